"""Start-up garbage collection: rare while the command line starts, frozen once the database opens."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from casetrack import startup

PROBE = """
import gc, json, sys
from casetrack import startup
if sys.argv[1] == "cli":
    startup.begin()
    raised = gc.get_threshold()[0]
    from casetrack.cli import app
    try:
        app(sys.argv[2:])
    except SystemExit:
        pass
else:
    raised = None
    from pathlib import Path
    from casetrack.db import open_database, resolve_location
    open_database(resolve_location(sys.argv[2], Path("/nonexistent"))).dispose()
print(json.dumps({"raised": raised, "threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(),
                  "enabled": gc.isenabled()}))
"""


def _probe(*args: str) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return dict(json.loads(completed.stdout.splitlines()[-1]))


def test_a_command_collects_rarely_until_the_database_opens_then_freezes_and_collects_normally(
    database_url: str,
) -> None:
    run = _probe("cli", "--db", database_url, "db", "info")
    assert run["raised"] == startup.STARTUP_THRESHOLD
    assert run["threshold"] == list(gc.get_threshold())
    assert isinstance(run["frozen"], int) and run["frozen"] > 10_000, "the start-up objects are frozen"
    assert run["enabled"] is True


def test_a_command_without_a_database_still_collects() -> None:
    run = _probe("cli", "db", "path")
    assert run["threshold"][0] == startup.STARTUP_THRESHOLD  # type: ignore[index]
    assert run["frozen"] == 0
    assert run["enabled"] is True


def test_library_use_is_left_alone(tmp_path: Path) -> None:
    run = _probe("library", str(tmp_path / "library.db"))
    assert run["threshold"] == list(gc.get_threshold())
    assert run["frozen"] == 0


def test_a_batch_collects_less_often_and_restores_the_collector() -> None:
    before = gc.get_threshold()
    with startup.batch():
        assert gc.get_threshold()[0] == startup.BATCH_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), startup.batch():
        raise RuntimeError
    assert gc.get_threshold() == before


def test_a_batch_in_a_started_command_ends_start_up_first() -> None:
    before = gc.get_threshold()
    startup.begin()
    try:
        with startup.batch():
            assert gc.get_threshold()[0] == startup.BATCH_THRESHOLD
            startup.end()  # the database opened inside the batch: nothing changes
            assert gc.get_threshold()[0] == startup.BATCH_THRESHOLD
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
