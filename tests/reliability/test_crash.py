"""Crash safety: ``kill -9`` and Ctrl-C in the middle of a large ingest.

Each input is stored in its own transaction, so whatever instant the process
dies at, the database must (1) pass SQLite's ``PRAGMA integrity_check``, (2)
hold no partial record of the input in hand -- every source has its citations
and every extracted fact cites a source -- and (3) let a re-run finish the
batch with each source, person and organisation stored once. The process is
killed several times at different, randomly chosen points (after a random
number of inputs are stored, plus a random delay), each time continuing on the
same database. SIGINT must end the run with exit 130 and a message saying how
far it got, with the same guarantees.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casetrack.models import RECORD_TYPES, Citation, Organisation, Person, Source
from tests.reliability.articles import write_articles
from tests.reliability.test_concurrency import duplicates

ARTICLES = 96
KILLS = 3
FACT_TYPES = ("person", "organisation", "case", "charge", "event")


def start_ingest(database_url: str, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "casetrack", "--db", database_url, "ingest", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    """A shell runs background jobs with SIGINT ignored, and Python keeps it so: restore Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def source_count(database) -> int:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return int(session.execute(select(func.count()).select_from(Source)).scalar_one())


def wait_for_sources(database, process: subprocess.Popen[str], target: int) -> bool:  # type: ignore[no-untyped-def]
    """Poll until ``target`` sources are stored; False if the process ended first."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if source_count(database) >= target:
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError("the ingest made no progress for 10 minutes")


def assert_whole(database) -> None:  # type: ignore[no-untyped-def]
    """No partial input: every source is cited, every extracted fact cites a live source."""
    if database.dialect == "sqlite":
        with sqlite3.connect(database.location.path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    with database.session() as session:
        uncited_sources = session.execute(
            select(func.count())
            .select_from(Source)
            .where(~select(Citation.id).where(Citation.source_id == Source.id).exists())
        ).scalar_one()
        assert uncited_sources == 0, "a source was stored without the facts it states"
        for record_type in FACT_TYPES:
            model = RECORD_TYPES[record_type]
            uncited = session.execute(
                select(func.count())
                .select_from(model)
                .where(
                    model.origin == "extracted",
                    ~select(Citation.id)
                    .where(Citation.record_type == record_type, Citation.record_id == model.id)
                    .exists(),
                )
            ).scalar_one()
            assert uncited == 0, f"an extracted {record_type} was stored without its citation"


def assert_complete(database) -> None:  # type: ignore[no-untyped-def]
    assert_whole(database)
    assert source_count(database) == ARTICLES
    with database.session() as session:
        assert duplicates(session, Person) == []
        assert duplicates(session, Organisation) == []


@pytest.mark.slow
def test_kill_9_at_random_points_then_rerun(database, database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    write_articles(folder, range(ARTICLES), seed=7)
    rng = random.Random(int(os.environ.get("CASETRACK_CRASH_SEED", "20261122")))
    killed_after = []
    for _ in range(KILLS):
        stored = source_count(database)
        target = rng.randint(
            stored + 1, stored + ARTICLES // (KILLS + 1)
        )  # a quarter of the batch stays after the last
        process = start_ingest(database_url, folder)
        reached = wait_for_sources(database, process, target)
        time.sleep(rng.uniform(0, 0.3))
        process.kill()
        process.communicate()
        assert reached, "the batch finished before it could be killed"
        assert process.returncode == -signal.SIGKILL
        killed_after.append(source_count(database))
        assert_whole(database)
    assert killed_after == sorted(killed_after) and killed_after[-1] < ARTICLES

    rerun = start_ingest(database_url, folder)
    _stdout, stderr = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, stderr
    assert_complete(database)


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_says_how_far_it_got(database, database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    write_articles(folder, range(ARTICLES), seed=11)
    process = start_ingest(database_url, folder)
    assert wait_for_sources(database, process, ARTICLES // 3)
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    progress = re.search(r"interrupted at input (\d+) of (\d+)", stderr)
    assert progress, stderr
    stored = source_count(database)
    assert int(progress.group(2)) == ARTICLES
    assert int(progress.group(1)) - 1 == stored
    assert_whole(database)

    rerun = start_ingest(database_url, folder)
    _stdout, stderr = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, stderr
    assert_complete(database)
