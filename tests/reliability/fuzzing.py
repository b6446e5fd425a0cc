"""Hostile command lines for every casetrack command, and the rules every outcome must obey.

Shared by ``tests/reliability/test_fuzz_cli.py`` (a few dozen cases per command
in the normal suite) and ``bench/bench_fuzz.py`` (10,000+ cases).

Commands are not listed by hand: :func:`leaf_commands` walks the Typer app, so
a command added by anyone is fuzzed the next time the tests run. For each
command, :func:`command_lines` builds a hypothesis strategy from its parameters
(positional arguments, options, flags, repeated options, integers, formats):
SQL-looking, Markdown/HTML-looking, NUL-bearing, right-to-left and mixed-script
text, impossible dates, unknown ids, names that exist in the record, and path
traversal in file names.

Every case must end (:func:`judge`) in success, or in a non-zero exit with a
one-line ``casetrack: ...`` error on stderr (one per failed input for ingest,
after its summary table; a Click usage error, exit 2, and a declined
confirmation are the other accepted forms), never exit 70 (an
internal error), never a traceback, and with the database exactly as it was
(:func:`fingerprint`: row counts plus a hash of every row of every table).

Safety: the fuzzer runs as the developer (even as root in CI), so file names
are kept inside a sandbox directory (absolute paths and ``~`` are made
relative, ``..`` never climbs above the sandbox's root) and no argument can
look like a URL, so nothing is fetched and nothing outside the sandbox is
written.
"""

from __future__ import annotations

import enum
import functools
import gzip
import hashlib
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import strategies as st

INTERNAL_ERROR = 70
SANDBOX_DEPTH = 4
PATH_WORDS = ("path", "file", "output", "target", "targets", "input", "inputs", "directory", "folder")

HOSTILE = [
    "'; DROP TABLE person; --",
    "Robert'); DELETE FROM source WHERE ('1'='1",
    '" OR 1=1 --',
    "%",
    "_",
    "*",
    "\\",
    "# Heading\n\n- item",
    "<script>alert('x')</script>",
    "<b>Rita</b> & <i>co</i>",
    "[click](javascript:alert(1))",
    "**bold** _it_ `code` | a | b |",
    "a\x00b",
    "\x00",
    "\x1b[31mred\x1b[0m",
    "line\nbreak",
    "\r\n",
    "\u202eevil\u202c",
    "\u200b",
    "مرحبا بالعالم",
    "שלום Rita עולם",
    "Алесь Беляцкий",
    "Ales\u0301 Bi\u0308aliatski",
    "李明 and 王芳",
    "🙂🙃",
    "31 February",
    "2024-02-31",
    "February 30, 2023",
    "--13-45",
    "0000-00-00",
    "2024-13",
    "99999-01-01",
    "yesterday",
    "#999999",
    "#0",
    "#-1",
    "999999",
    "0",
    "-1",
    "1e309",
    "",
    " ",
    "-",
    "--",
    "--help-not",
    "x" * 5000,
]
# What Python makes of invalid UTF-8 in argv (surrogate escapes): fuzzed by the benchmark.
UNDECODABLE = ["\udcff\udcfe", "Rita \udce9"]
RECORD_WORDS = [
    "Rita Karasartova",
    "Rita",
    "Алесь",
    "Ales Bialiatski",
    "Amnesty International",
    "Viasna",
    "#1",
    "1",
    "2",
]
FILE_NAMES = [
    "article.html",
    "article.txt",
    "binary.bin",
    "empty.txt",
    "nul.txt",
    "articles",
    "report.md",
    "out",
]
TRAVERSALS = ["../", "../../", "./././", "..\\", "....//"]


def leaf_commands(
    command: Any | None = None, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every runnable command of the casetrack CLI, as (words, command)."""
    if command is None:
        import typer.main

        from casetrack.cli import app

        command = typer.main.get_command(app)
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in sorted(subcommands.items()):
            yield from leaf_commands(sub, (*path, name))
    elif path:
        yield path, command


def command_names() -> list[str]:
    return [" ".join(path) for path, _ in leaf_commands()]


def find_command(name: str) -> Any:
    for path, command in leaf_commands():
        if " ".join(path) == name:
            return command
    raise KeyError(name)


# --- Values --------------------------------------------------------------------------------------


def free_text() -> st.SearchStrategy[str]:
    printable = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
    mixed = st.lists(st.sampled_from(HOSTILE + RECORD_WORDS), min_size=2, max_size=3).map(" ".join)
    return st.one_of(st.sampled_from(HOSTILE), st.sampled_from(RECORD_WORDS), printable, mixed)


def safe(value: str) -> str:
    """No URLs: nothing may be fetched."""
    return value.replace("://", ":/")


def path_text() -> st.SearchStrategy[str]:
    """File names inside the sandbox: existing fixtures, hostile names, bounded traversal."""
    climb = st.lists(st.sampled_from(TRAVERSALS), max_size=SANDBOX_DEPTH - 1).map("".join)
    name = st.one_of(st.sampled_from(FILE_NAMES), free_text())
    return st.builds(lambda up, leaf: contain(up + leaf), climb, name)


def contain(value: str) -> str:
    """Keep a generated path inside the sandbox (relative, at most SANDBOX_DEPTH - 1 levels up)."""
    value = safe(value).lstrip("/~\\") or "out"
    parts, depth, kept = value.replace("\\", "/").split("/"), 0, []
    for part in parts:
        if part == "..":
            if depth >= SANDBOX_DEPTH - 1:
                continue
            depth += 1
        kept.append(part)
    return "/".join(kept)


def _annotation(param: Any) -> Any:
    annotation = param.type_descriptor.annotation
    if typing.get_origin(annotation) in (list, tuple):
        return typing.get_args(annotation)[0]
    return annotation


def _is_path(param: Any) -> bool:
    return _annotation(param) is Path or param.name in PATH_WORDS


def value_for(param: Any) -> st.SearchStrategy[str]:
    annotation = _annotation(param)
    if _is_path(param):
        return path_text()
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.one_of(st.sampled_from([member.value for member in annotation]), free_text().map(safe))
    if annotation is int:
        numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
        return st.one_of(numbers, st.sampled_from(["1", "0", "-1", "999999"]), free_text().map(safe))
    return free_text().map(safe)


# --- Command lines -------------------------------------------------------------------------------


def command_lines(path: tuple[str, ...], command: Any) -> st.SearchStrategy[list[str]]:
    """Whole argument lists for one command: its words, options, then positional values."""
    parts = [_param_words(param) for param in command.params if not getattr(param, "hidden", False)]
    extra = st.sampled_from([(True, []), (True, []), (True, ["--no-such-option"]), (False, ["stray"])])
    return st.tuples(*parts, extra).map(lambda chosen: [*path, *_flatten(chosen)])


def _flatten(chosen: tuple[tuple[bool, list[str]], ...]) -> list[str]:
    options = [word for is_option, words in chosen if is_option for word in words]
    positional = [word for is_option, words in chosen if not is_option for word in words]
    return options + positional


def _param_words(param: Any) -> st.SearchStrategy[tuple[bool, list[str]]]:
    """(is_option, words) for one parameter."""
    if getattr(param, "param_type_name", "") == "argument":
        low = 1 if param.required else 0
        high = 3 if param.nargs == -1 else 1
        return st.lists(value_for(param), min_size=low, max_size=high).map(lambda words: (False, words))
    flag = param.opts[0]
    if getattr(param, "is_flag", False):
        return st.sampled_from([(True, []), (True, [flag])])
    times = st.integers(min_value=1 if param.required else 0, max_value=2 if param.multiple else 1)
    return times.flatmap(
        lambda n: st.lists(value_for(param), min_size=n, max_size=n).map(
            lambda values: (True, [word for value in values for word in (flag, value)])
        )
    )


# --- The sandbox ---------------------------------------------------------------------------------


@dataclass
class Sandbox:
    """A deep working directory holding a few inputs; generated paths never leave ``root``."""

    root: Path
    cwd: Path = field(init=False)

    def __post_init__(self) -> None:
        self.cwd = self.root.joinpath(*[f"level{n}" for n in range(SANDBOX_DEPTH)])
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.write_inputs(self.cwd)

    @staticmethod
    def write_inputs(folder: Path) -> None:
        article = (
            "<html><head><title>Hearing postponed</title></head><body><article><h1>Hearing postponed</h1>"
            "<p>On 12 March 2024 the Bishkek court postponed the hearing of journalist Rita Karasartova, "
            "charged under Article 278 of the Criminal Code. Her lawyer said the case was political.</p>"
            "</article></body></html>"
        )
        (folder / "article.html").write_text(article, encoding="utf-8")
        (folder / "article.txt").write_text(
            "Activist Ales Bialiatski was detained on 14 July 2021.\n", encoding="utf-8"
        )
        (folder / "binary.bin").write_bytes(bytes(range(256)) * 8)
        (folder / "empty.txt").write_bytes(b"")
        (folder / "nul.txt").write_bytes(b"Rita\x00Karasartova was arrested.\x00\n")
        (folder / "articles").mkdir(exist_ok=True)
        (folder / "articles" / "a.html.gz").write_bytes(gzip.compress(article.encode()))
        (folder / "articles" / "bad.txt").write_bytes(b"\xff\xfe\xfa invalid utf-8 \xc3\x28")


# --- Judging -------------------------------------------------------------------------------------


def fingerprint(engine: Any) -> str:
    """Row counts and a hash of every row of every casetrack table (and the migration revision)."""
    from sqlalchemy import select, text
    from sqlmodel import SQLModel

    import casetrack.models  # noqa: F401

    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{len(rows)}\n".encode())
            for row in rows:
                digest.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        digest.update(repr(revision).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None


def judge(outcome: Outcome, before: str, after: str, *, batch: bool = False) -> str | None:
    """Why this outcome breaks the rules, or None when it is fine.

    ``batch``: several inputs were given (or a directory), so a non-zero exit may
    keep the inputs that succeeded; each input's own atomicity is what the crash
    and concurrency tests check.
    """
    output = outcome.stdout + outcome.stderr
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        return f"uncaught {type(outcome.exception).__name__}: {outcome.exception}"
    if outcome.exit_code == INTERNAL_ERROR:
        return f"internal error (exit 70): {_last_line(outcome.stderr)}"
    if "Traceback (most recent call last)" in output:
        return "a traceback was printed"
    if outcome.exit_code == 0:
        return None
    if before != after and not batch:
        return f"exit {outcome.exit_code} but the database changed"
    return _error_shape(outcome)


def is_batch(args: list[str], cwd: Path) -> bool:
    """An existing input beside other inputs (existing or not), or a directory, among the arguments.

    ``ingest good.txt missing.txt`` stores good.txt and exits non-zero for the missing one, by design.
    """
    existing = [arg for arg in args if arg and _exists(cwd / arg)]
    inputs = [arg for arg in args if not arg.startswith("-")]
    return bool(existing) and (len(inputs) > 1 or any((cwd / arg).is_dir() for arg in existing))


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _error_shape(outcome: Outcome) -> str | None:
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    if outcome.exit_code == 2 and any(line.startswith("Usage: ") for line in lines):
        return None
    if lines in (["Aborted!"], ["Aborted."]):
        return None
    if not lines:
        return f"exit {outcome.exit_code} with nothing on stderr"
    if not any(line.startswith("casetrack: ") for line in lines):
        return f"exit {outcome.exit_code} without a `casetrack: ...` error line: {lines[-1][:120]!r}"
    return None


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def run_case(runner: Any, database_url: str, args: list[str]) -> Outcome:
    """Run one command line through the real Typer app (Click's test runner).

    Typer rebuilds the Click command tree on every ``invoke`` (a third of a
    second for this app); the fuzzer builds it once and reuses it.
    """
    import typer.testing

    from casetrack.cli import app

    env = {"EDITOR": "true", "VISUAL": "true", "CASETRACK_DB": None, "NO_COLOR": "1", "COLUMNS": "120"}
    with mock.patch.object(typer.testing, "_get_command", lambda _app: _click_command()):
        result = runner.invoke(app, ["--db", database_url, "--as", "fuzzer", *args], input="", env=env)
    return Outcome(result.exit_code, result.stdout, _stderr(result), result.exception)


@functools.cache
def _click_command() -> Any:
    import typer.main

    from casetrack.cli import app

    return typer.main.get_command(app)


def _stderr(result: Any) -> str:
    try:
        return str(result.stderr)
    except ValueError:
        return ""
