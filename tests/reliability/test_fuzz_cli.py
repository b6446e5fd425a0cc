"""Every casetrack command, driven through the real CLI with hostile generated arguments.

The commands are enumerated from the Typer app when the tests are collected,
so a new command is fuzzed without touching this file. Each case must succeed
or fail with one-line ``casetrack: error: ...`` messages and a non-zero exit,
never an internal error (exit 70) or a traceback, and a failure must leave the
database exactly as it was (see :mod:`tests.reliability.fuzzing`).
"""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.records import build_record
from tests.reliability import fuzzing

EXAMPLES_PER_COMMAND = 20
# Shrinking a failure re-runs the command hundreds of times; the failing line is reported as generated.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]


@pytest.fixture
def outbound(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every network connection attempted to anything but this machine (there must be none)."""
    attempts: list[object] = []
    connect = socket.socket.connect

    def watched(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else ""
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise OSError("network access blocked by the test")
        return connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", watched)
    return attempts


@pytest.fixture
def sandbox(tmp_path: Path) -> fuzzing.Sandbox:
    return fuzzing.Sandbox(tmp_path / "sandbox")


@pytest.mark.parametrize("name", fuzzing.command_names())
def test_hostile_arguments_end_cleanly(
    name: str, database, database_url: str, sandbox: fuzzing.Sandbox, outbound: list[object]
) -> None:
    build_record(database)
    path = tuple(name.split())
    command = fuzzing.find_command(name)
    runner = CliRunner()
    seen: list[list[str]] = []

    @settings(
        max_examples=EXAMPLES_PER_COMMAND,
        deadline=None,
        database=None,
        phases=PHASES,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(args=fuzzing.command_lines(path, command))
    def case(args: list[str]) -> None:
        seen.append(args)
        before = fuzzing.fingerprint(database.engine)
        with contextlib.chdir(sandbox.cwd):
            outcome = fuzzing.run_case(runner, database_url, args)
        after = fuzzing.fingerprint(database.engine)
        problem = fuzzing.judge(
            outcome, before, after, batch=fuzzing.is_batch(args[len(path) :], sandbox.cwd)
        )
        assert problem is None, f"casetrack {' '.join(map(repr, args))}: {problem}"

    case()
    assert seen and all(list(args[: len(path)]) == list(path) for args in seen)
    assert outbound == [], "a command reached for the network without being given a URL"
    outside = {p.name for p in sandbox.root.parent.iterdir()} - {sandbox.root.name, "home"}
    assert {name for name in outside if not name.startswith("casetrack.db")} == set()


def test_the_walk_reaches_every_group() -> None:
    names = fuzzing.command_names()
    assert {"db check", "db backup", "search", "report"} <= set(names)
    assert len(names) >= 10


@given(st.text(max_size=40), st.lists(st.sampled_from(fuzzing.TRAVERSALS), max_size=8))
def test_generated_paths_stay_inside_the_sandbox(leaf: str, climb: list[str]) -> None:
    contained = fuzzing.contain("/" + "".join(climb) + leaf)
    assert not contained.startswith(("/", "~", "\\"))
    assert "://" not in contained
    assert contained.replace("\\", "/").split("/").count("..") <= fuzzing.SANDBOX_DEPTH - 1


def test_the_network_watch_sees_a_fetch(cli, outbound: list[object]) -> None:
    result = cli("ingest", "http://192.0.2.1/article.html")
    assert outbound, "the watch must see the one fetch a URL asks for"
    assert result.exit_code == 6
    assert result.stderr.startswith("casetrack: error: ")


def test_an_existing_input_beside_another_is_a_batch_but_one_alone_is_not(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("text", encoding="utf-8")
    assert fuzzing.is_batch(["--force", "good.txt", "missing.txt"], tmp_path)
    assert not fuzzing.is_batch(["--force", "good.txt"], tmp_path)
    assert not fuzzing.is_batch(["missing.txt", "gone.txt"], tmp_path)
    assert fuzzing.is_batch(["."], tmp_path)
