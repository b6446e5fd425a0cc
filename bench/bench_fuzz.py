"""Hostile input at scale: 10,000+ generated command lines and ingest inputs through the real CLI.

Two families of cases, both judged by :func:`tests.reliability.fuzzing.judge`
(success, or a non-zero exit with a ``casetrack: ...`` error line; never exit 70,
never a traceback; the database unchanged after an error):

* **command lines** for every command of the Typer app (enumerated, so new
  commands are included), split evenly; the argument pool here also holds
  what Python makes of invalid UTF-8 in argv (surrogate escapes), which the
  normal suite leaves out. Failures are reported per command and per kind.
* **ingest inputs**: generated files (binary bytes, NUL bytes inside text,
  invalid UTF-8, deeply nested HTML, mixed scripts and right-to-left text,
  markup and SQL in the article, truncated gzip) ingested one at a time, plus
  one 50 MB file.

The database is SQLite in a temporary folder (or ``--db URL``, e.g. a
PostgreSQL URL with a scratch schema). The number of cases is
``CASETRACK_FUZZ_CASES`` (default 10,000; at least that many are run, split
about 85/15 between command lines and ingest inputs). Writes
``bench/results/fuzz.json`` and prints a summary; exits 1 if any case failed.
``--workers N`` (default 2) splits the commands and files over N processes, each
with its own SQLite database (one worker when ``--db`` is given).

    python bench/bench_fuzz.py            # 10,000 cases
    CASETRACK_FUZZ_CASES=500 python bench/bench_fuzz.py
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "bench" / "results" / "fuzz.json"
INGEST_SHARE = 0.15
BIG_FILE_BYTES = 50 * 1024 * 1024

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests.reliability import fuzzing  # noqa: E402
from typer.testing import CliRunner  # noqa: E402


class Tally:
    """Cases run and failures found, by command and by kind."""

    def __init__(self) -> None:
        self.cases: collections.Counter[str] = collections.Counter()
        self.failures: list[dict[str, Any]] = []
        self.exits: collections.Counter[int] = collections.Counter()

    def record(self, command: str, args: list[str], outcome: fuzzing.Outcome, problem: str | None) -> None:
        self.cases[command] += 1
        self.exits[outcome.exit_code] += 1
        if problem is not None:
            kind = "argv with invalid UTF-8" if any(_undecodable(a) for a in args) else "hostile input"
            self.failures.append(
                {"command": command, "kind": kind, "args": [a[:120] for a in args], "problem": problem[:400]}
            )


def _undecodable(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


class Bench:
    def __init__(self, database_url: str, sandbox: fuzzing.Sandbox, engine: Any) -> None:
        self.database_url = database_url
        self.sandbox = sandbox
        self.engine = engine
        self.runner = CliRunner()
        self.tally = Tally()

    def run(self, command: str, args: list[str]) -> None:
        before = fuzzing.fingerprint(self.engine)
        with contextlib.chdir(self.sandbox.cwd):
            outcome = fuzzing.run_case(self.runner, self.database_url, args)
        after = fuzzing.fingerprint(self.engine)
        batch = fuzzing.is_batch(args[len(command.split()) :], self.sandbox.cwd)
        self.tally.record(command, args, outcome, fuzzing.judge(outcome, before, after, batch=batch))

    def command_lines(self, name: str, wanted: int) -> None:
        """At least ``wanted`` generated lines for one command (fresh seeds until the count is reached)."""
        path, command = tuple(name.split()), fuzzing.find_command(name)
        start, round_number = self.tally.cases[name], 0
        while self.tally.cases[name] - start < wanted and round_number < 50:
            remaining = wanted - (self.tally.cases[name] - start)

            @seed(round_number)
            @settings(max_examples=remaining, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            @given(fuzzing.command_lines(path, command))
            def case(args: list[str]) -> None:
                self.run(name, args)

            case()
            round_number += 1

    def ingest_inputs(self, wanted: int, *, seed_offset: int = 0) -> None:
        folder = self.sandbox.cwd / "generated"
        folder.mkdir(exist_ok=True)
        counter = iter(range(10**9))
        start = self.tally.cases["ingest (generated file)"]
        round_number = 0
        while self.tally.cases["ingest (generated file)"] - start < wanted:

            @seed(1000 + seed_offset + round_number)
            @settings(max_examples=wanted, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            @given(hostile_file())
            def case(file: tuple[str, bytes]) -> None:
                suffix, data = file
                path = folder / f"input-{next(counter)}{suffix}"
                path.write_bytes(data)
                self.run_ingest(path)

            case()
            round_number += 1

    def run_ingest(self, path: Path, label: str = "ingest (generated file)") -> None:
        before = fuzzing.fingerprint(self.engine)
        with contextlib.chdir(self.sandbox.cwd):
            outcome = fuzzing.run_case(self.runner, self.database_url, ["ingest", str(path)])
        after = fuzzing.fingerprint(self.engine)
        self.tally.record(label, ["ingest", path.name], outcome, fuzzing.judge(outcome, before, after))

    def big_file(self) -> float:
        path = self.sandbox.cwd / "big.html"
        paragraph = b"<p>Rita Karasartova was detained in Bishkek on 12 March 2024. " * 20 + b"</p>\n"
        with path.open("wb") as handle:
            handle.write(b"<html><body><article>")
            while handle.tell() < BIG_FILE_BYTES:
                handle.write(paragraph)
            handle.write(b"</article></body></html>")
        started = time.perf_counter()
        self.run_ingest(path, "ingest (50 MB file)")
        path.unlink()
        return time.perf_counter() - started


def hostile_file() -> st.SearchStrategy[tuple[str, bytes]]:
    suffix = st.sampled_from([".html", ".htm", ".txt", ".md", ".html.gz", ".bin", ""])
    words = st.sampled_from(fuzzing.HOSTILE + fuzzing.RECORD_WORDS)
    sentences = st.lists(words, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")
    text = st.lists(sentences, min_size=1, max_size=8).map(lambda ss: "\n".join(ss))
    body = st.one_of(
        st.binary(max_size=4096),
        text.map(lambda t: t.encode("utf-8", "surrogatepass")),
        text.map(lambda t: t.replace(" ", "\x00").encode("utf-8", "surrogatepass")),
        st.tuples(text, st.binary(min_size=1, max_size=16)).map(lambda p: p[0].encode("utf-8", "ignore") + b"\xff\xfe" + p[1]),
        st.integers(min_value=1, max_value=20_000).map(nested_html),
        text.map(lambda t: f"<html><body><article><h1>{t[:60]}</h1><p>{t}</p></article></body></html>".encode("utf-8", "ignore")),
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=2000).map(str.encode),
    )  # fmt: skip
    return st.tuples(suffix, body, st.booleans()).map(_maybe_gzip)


def nested_html(depth: int) -> bytes:
    return (
        b"<html><body>" + b"<div>" * depth + b"<p>Deep text about Rita Karasartova.</p>" + b"</div>" * depth
    ) + b"</body></html>"


def _maybe_gzip(choice: tuple[str, bytes, bool]) -> tuple[str, bytes]:
    suffix, data, truncate = choice
    if suffix != ".html.gz":
        return suffix, data
    packed = gzip.compress(data)
    return suffix, packed[: len(packed) // 2] if truncate else packed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a SQLite file per worker in a temporary folder)")
    parser.add_argument("--cases", type=int, default=int(os.environ.get("CASETRACK_FUZZ_CASES", "10000")))
    parser.add_argument("--workers", type=int, default=2, help="processes, each with its own database")
    parser.add_argument("--no-big-file", action="store_true", help="skip the 50 MB file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        return run_worker(options)

    workers = 1 if options.db else max(1, options.workers)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="casetrack-fuzz-") as tmp:
        children = [
            subprocess.Popen(
                [sys.executable, __file__, *sys.argv[1:], "--worker", f"{n}/{workers}/{tmp}/{n}.json"]
            )
            for n in range(workers)
        ]
        if any(child.wait() != 0 for child in children):
            print("a fuzz worker crashed", file=sys.stderr)
            return 2
        parts = [json.loads(Path(tmp, f"{n}.json").read_text(encoding="utf-8")) for n in range(workers)]
    tally, big_seconds = Tally(), None
    for part in parts:
        tally.cases.update(part["cases"])
        tally.exits.update({int(code): count for code, count in part["exits"].items()})
        tally.failures.extend(part["failures"])
        big_seconds = part["big_seconds"] if part["big_seconds"] is not None else big_seconds
    report = summarise(tally, time.perf_counter() - started, big_seconds, options.db or "sqlite")
    report["workers"] = workers
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=True, indent=2) + "\n", encoding="utf-8")
    print(
        f"{report['cases_run']} cases, {report['failures']} failures "
        f"({report['commands']} commands, {report['seconds']:.0f} s); written to {RESULTS.relative_to(REPO)}"
    )
    for kind, count in report["failures_by_kind"].items():
        print(f"  {kind}: {count}")
    return 1 if report["failures"] else 0


def run_worker(options: argparse.Namespace) -> int:
    """One share of the cases: every N-th command, 1/N of the ingest files, on its own database."""
    from tests.records import build_record

    from casetrack.db import open_database, resolve_location

    number, workers, out = options.worker.split("/", 2)
    index, count = int(number), int(workers)
    fuzzing.HOSTILE.extend(fuzzing.UNDECODABLE)
    with tempfile.TemporaryDirectory(prefix="casetrack-fuzz-worker-") as tmp:
        os.environ.update({"HOME": tmp, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"})
        os.environ.pop("CASETRACK_DB", None)
        url = options.db or str(Path(tmp) / "fuzz.db")
        database = open_database(resolve_location(url, Path(tmp)))
        build_record(database)
        bench = Bench(url, fuzzing.Sandbox(Path(tmp) / "sandbox"), database.engine)
        names = fuzzing.command_names()
        per_command = max(1, round(options.cases * (1 - INGEST_SHARE) / len(names)))
        for name in names[index::count]:
            bench.command_lines(name, per_command)
            print(f"{name:24} {bench.tally.cases[name]:6} cases", file=sys.stderr)
        bench.ingest_inputs(max(1, round(options.cases * INGEST_SHARE / count)), seed_offset=index * 100)
        big_seconds = None if options.no_big_file or index else bench.big_file()
        database.dispose()
    part = {
        "cases": dict(bench.tally.cases),
        "exits": {str(code): n for code, n in bench.tally.exits.items()},
        "failures": bench.tally.failures,
        "big_seconds": big_seconds,
    }
    Path(f"/{out}" if not out.startswith("/") else out).write_text(
        json.dumps(part, ensure_ascii=True), encoding="utf-8"
    )
    return 0


def summarise(tally: Tally, seconds: float, big_seconds: float | None, backend: str) -> dict[str, Any]:
    by_command = collections.Counter(failure["command"] for failure in tally.failures)
    examples: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for failure in tally.failures:
        key = f"{failure['command']}: {failure['problem'][:80]}"
        if len(examples[key]) < 2:
            examples[key].append(failure)
    return {
        "backend": "postgresql" if backend.startswith("postgres") else "sqlite",
        "cases_run": sum(tally.cases.values()),
        "failures": len(tally.failures),
        "commands": len([name for name in tally.cases if not name.startswith("ingest (")]),
        "seconds": round(seconds, 1),
        "ingest_50mb_seconds": None if big_seconds is None else round(big_seconds, 1),
        "cases_by_command": dict(sorted(tally.cases.items())),
        "exit_codes": {str(code): count for code, count in sorted(tally.exits.items())},
        "failures_by_kind": dict(collections.Counter(failure["kind"] for failure in tally.failures)),
        "failures_by_command": dict(sorted(by_command.items())),
        "failure_examples": [item for group in examples.values() for item in group][:60],
    }


if __name__ == "__main__":
    sys.exit(main())
