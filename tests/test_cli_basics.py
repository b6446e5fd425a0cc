"""The command line as a user meets it: help, version, errors as one line, no tracebacks."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.core import TyperGroup, TyperOption
from typer.testing import CliRunner

from casetrack.cli import app

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "dateparser", "trafilatura", "natasha")


def _walk(command: Any, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    yield path, command
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            yield from _walk(sub, (*path, name))


def test_every_command_and_option_has_help() -> None:
    root = typer_command()
    missing = []
    for path, command in _walk(root):
        if not (command.help or command.short_help):
            missing.append(" ".join(path) or "casetrack")
        for param in command.params:
            if isinstance(param, TyperOption) and not param.help and not param.hidden:
                missing.append(f"{' '.join(path)} {param.opts[0]}")
    assert missing == []
    assert len(list(_walk(root))) > 3, "the walk must reach the sub-commands"


def typer_command() -> Any:
    import typer.main

    return typer.main.get_command(app)


@pytest.mark.parametrize("args", [[], ["--help"]])
def test_help_lists_commands(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert "db" in result.output


def test_help_and_version_import_nothing_heavy() -> None:
    for flag in ("--help", "--version"):
        completed = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "casetrack", flag],
            capture_output=True,
            text=True,
            check=True,
        )
        imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in completed.stderr.splitlines()}
        assert not imported & set(HEAVY), f"{flag} imports {imported & set(HEAVY)}"


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("casetrack ")


def test_db_upgrade_creates_a_private_file(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("CASETRACK_TEST_PG_URL"):
        pytest.skip("file permissions are a SQLite matter")
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    info = cli("db", "info")
    assert "revision" in info.output and "person" in info.output


def test_db_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASETRACK_DB", str(tmp_path / "team.db"))
    result = CliRunner().invoke(app, ["db", "path"])
    assert result.stdout.strip() == str(tmp_path / "team.db")


def test_bad_database_is_one_line_with_exit_code(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "casetrack", "--db", str(tmp_path), "db", "info"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 8
    assert completed.stderr.count("\n") == 1
    assert completed.stderr.startswith("casetrack: error:")
    assert "Traceback" not in completed.stderr


def test_internal_errors_hide_the_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import casetrack.store.maintenance as maintenance

    def explode(database):  # type: ignore[no-untyped-def]
        secret = "name of a person at risk"  # noqa: F841  (locals must never be printed)
        raise RuntimeError("boom")

    monkeypatch.setattr(maintenance, "database_info", explode)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "db", "info"])
    assert result.exit_code == 70
    assert "internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output
    assert "person at risk" not in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["list", "events", "--bogus"], "No such option: --bogus"),
        (["show", "person"], "Missing argument"),
        (["list", "events", "--limit", "many"], "Invalid value for '--limit'"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], says: str) -> None:
    completed = subprocess.run([sys.executable, "-m", "casetrack", *args], capture_output=True, text=True)
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1, completed.stderr
    assert completed.stderr.startswith("casetrack: usage error:") and says in completed.stderr
    assert "--help" in completed.stderr


def test_no_arguments_still_show_the_help() -> None:
    completed = subprocess.run([sys.executable, "-m", "casetrack"], capture_output=True, text=True)
    assert completed.returncode == 2
    assert "Usage" in completed.stdout and "ingest" in completed.stdout
    assert completed.stderr == ""
