"""The lazy command line: the static registry matches the modules, help lists everything, runs import little."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from casetrack.cli import CasetrackGroup, LazyCommands, app, discover, module_commands
from casetrack.cli._registry import COMMANDS, Entry


def test_registry_matches_the_modules() -> None:
    discovered = discover()
    listing = "\n".join(f"    {entry!r}," for entry in discovered)
    assert list(COMMANDS) == discovered, (
        f"casetrack/cli/_registry.py is stale; COMMANDS should be:\n{listing}"
    )


def test_help_lists_every_command_as_the_built_commands_would() -> None:
    lazy = CliRunner().invoke(app, ["--help"])
    assert lazy.exit_code == 0
    for entry in COMMANDS:
        assert f" {entry.name} " in lazy.output

    def real(self: LazyCommands, name: str) -> Any:
        return self[name]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LazyCommands, "listed", real)
        eager = CliRunner().invoke(app, ["--help"])
    assert lazy.output == eager.output


def test_no_arguments_list_the_commands_too() -> None:
    result = CliRunner().invoke(app, [])
    assert "Usage" in result.output
    assert all(f" {entry.name} " in result.output for entry in COMMANDS)


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [path]
    return [leaf for name, sub in subcommands.items() for leaf in _leaves(sub, (*path, name))]


def test_every_command_is_reachable_with_its_help() -> None:
    import typer.main

    leaves = _leaves(typer.main.get_command(app))
    assert ("show", "person") in leaves and ("search",) in leaves and ("db", "upgrade") in leaves
    for path in leaves:
        result = CliRunner().invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert f"casetrack {' '.join(path)}" in result.output


def test_an_unknown_command_is_a_usage_error() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "casetrack", "shwo", "person", "x"], capture_output=True, text=True
    )
    assert completed.returncode == 2
    assert "No such command 'shwo'" in completed.stderr


def test_a_stale_registry_costs_time_not_commands() -> None:
    from typer.core import TyperGroup

    without_db = LazyCommands([e for e in COMMANDS if e.name != "db"], {})
    assert "db" in list(without_db), "an unregistered module on disk is loaded at once"
    assert isinstance(without_db["db"], TyperGroup)

    missing_log = LazyCommands([e for e in COMMANDS if e.name != "log"], {})
    assert missing_log["log"].name == "log", "a name the registry lacks is found by loading everything"

    gone = Entry("gone", "casetrack.cli.gone", "A module that is not on disk.")
    with_ghost = LazyCommands([*COMMANDS, gone], {})
    assert "gone" not in list(with_ghost)
    with pytest.raises(KeyError):
        with_ghost["gone"]


def test_the_root_group_builds_one_module_per_lookup() -> None:
    group = CasetrackGroup(name="casetrack")
    show = group.get_command(None, "show")  # type: ignore[arg-type]
    assert show is not None and show.name == "show"
    assert set(group.lazy_commands._loaded) == {"show"}
    assert set(module_commands(sys.modules["casetrack.cli.curate"])) == {"edit", "review", "log", "undo"}


UNRELATED = (
    "casetrack.cli.ingest",
    "casetrack.cli.curate",
    "casetrack.cli.exchange",
    "casetrack.cli.list",
    "casetrack.cli.report",
    "casetrack.cli.db",
    "casetrack.ingest.pipeline",
    "casetrack.store.curate",
    "casetrack.store.ingest",
    "casetrack.exchange",
    "dateparser",
    "trafilatura",
    "alembic",
    "natasha",
    "httpx",
)

MODULES_AFTER_RUN = """
import json, sys
from casetrack.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""


def test_show_person_imports_no_module_of_another_command(cli, database_url: str) -> None:
    assert cli("person", "add", "Aleś Bialacki").exit_code == 0
    completed = subprocess.run(
        [sys.executable, "-c", MODULES_AFTER_RUN, "--db", database_url, "show", "person", "Aleś Bialacki"],
        capture_output=True,
        text=True,
        check=True,
    )
    run = json.loads(completed.stdout.splitlines()[-1])
    assert run["exit"] == 0, completed.stderr
    assert "Aleś Bialacki" in completed.stdout
    modules = set(run["modules"])
    assert "casetrack.cli.show" in modules and "casetrack.store.query" in modules
    loaded = [name for name in UNRELATED if name in modules or any(m.startswith(f"{name}.") for m in modules)]
    assert loaded == []
