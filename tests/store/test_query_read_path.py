"""The read commands never build the ORM: no ``casetrack.models``, no mapper configured.

``store/query.py`` and ``lookup.find`` select from the Core tables of
:mod:`casetrack.tables` so that ``show``, ``list``, ``timeline``, ``search`` and
``report`` start without the seventeen SQLModel classes (issue 6: ``show person``
within 1.3x of ``import sqlmodel``). Each command here runs as the console
script does, in its own interpreter, and reports at exit what it imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casetrack.db import Database
from tests.records import build_record

PROBE = """
import atexit, json, sys

def report():
    from sqlalchemy.orm import mapperlib
    mappers = [m for r in mapperlib._all_registries() for m in r.mappers] if "sqlalchemy.orm" in sys.modules else []
    print(json.dumps({
        "models": "casetrack.models" in sys.modules,
        "mappers": len(mappers),
        "configured": sum(1 for m in mappers if m.configured),
        "query": "casetrack.store.query" in sys.modules,
    }), file=sys.stderr)

atexit.register(report)
sys.argv = ["casetrack", *sys.argv[1:]]
from casetrack.startup import main
main()
"""

READ_COMMANDS = [
    ("show", "person", "Rita Karasartova"),
    ("show", "person", "#1", "--format", "md"),
    ("show", "org", "Amnesty"),
    ("show", "case", "#1"),
    ("show", "source", "#1"),
    ("show", "event", "#1"),
    ("list", "persons", "--country", "KG", "--q", "rita"),
    ("list", "orgs"),
    ("list", "cases", "--person", "Rita"),
    ("list", "events", "--since", "2024", "--person", "Rita"),
    ("list", "sources", "--person", "Rita"),
    ("timeline", "--person", "Rita Karasartova"),
    ("search", "signatures"),
    ("report", "person", "Rita"),
]


@pytest.fixture
def recorded(database: Database) -> Database:
    build_record(database)
    return database


def _run(database_url: str, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), os.environ.get("PYTHONPATH", "")])}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", database_url, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return completed, json.loads(completed.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_read_command_imports_no_models_and_configures_no_mapper(
    recorded: Database, database_url: str, args: tuple[str, ...]
) -> None:
    completed, seen = _run(database_url, *args)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip(), "the command printed its result"
    assert seen["query"] or args[0] == "search", "the probe saw the read path run"
    assert seen == {**seen, "models": False, "mappers": 0, "configured": 0}


def test_the_probe_sees_the_models_when_a_command_writes(recorded: Database, database_url: str) -> None:
    completed, seen = _run(database_url, "person", "edit", "Rita Karasartova", "--set", "country=KZ")
    assert completed.returncode == 0, completed.stderr
    assert seen["models"] is True
    assert isinstance(seen["configured"], int) and seen["configured"] > 0


def test_a_not_found_name_fails_the_same_way_without_the_models(
    recorded: Database, database_url: str
) -> None:
    completed, seen = _run(database_url, "show", "person", "Nobody At All")
    assert completed.returncode == 3
    assert completed.stderr.startswith("casetrack: error: no person called 'Nobody At All'")
    assert seen["models"] is False
