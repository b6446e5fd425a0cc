"""Two ``casetrack ingest`` processes on one database, over overlapping inputs.

Both must finish without a "database is locked" failure, and the record must
hold each distinct article once and each person and organisation once: SQLite
serialises writers with ``BEGIN IMMEDIATE`` plus a busy timeout (WAL lets
readers go on), PostgreSQL with an advisory lock per ingest transaction. The
same test runs on PostgreSQL when ``CASETRACK_TEST_PG_URL`` is set.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casetrack.models import Organisation, Person, Source
from tests.reliability.articles import write_articles

ARTICLES = 36
WRITERS = 2


def ingest_process(database_url: str, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "casetrack", "--db", database_url, "--as", "writer", "ingest", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def duplicates(session, model) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    query = (
        select(model.name_key, func.count())
        .where(model.merged_into_id.is_(None))
        .group_by(model.name_key)
        .having(func.count() > 1)
    )
    return [tuple(row) for row in session.execute(query).all()]


@pytest.mark.slow
def test_two_writers_over_overlapping_inputs(database, database_url: str, tmp_path: Path) -> None:
    half = ARTICLES * 2 // 3
    first = write_articles(tmp_path / "first", range(half))
    second = write_articles(tmp_path / "second", range(ARTICLES - half, ARTICLES))
    shared = {p.name for p in first} & {p.name for p in second}
    assert len(shared) == 2 * half - ARTICLES > 0

    writers = [ingest_process(database_url, folder) for folder in (tmp_path / "first", tmp_path / "second")]
    results = [writer.communicate(timeout=600) for writer in writers]

    for writer, (_stdout, stderr) in zip(writers, results, strict=True):
        assert "locked" not in stderr.lower(), stderr
        assert writer.returncode == 0, stderr
    with database.session() as session:
        assert session.execute(select(func.count()).select_from(Source)).scalar_one() == ARTICLES
        assert duplicates(session, Person) == []
        assert duplicates(session, Organisation) == []
        assert session.execute(select(func.count()).select_from(Person)).scalar_one() > 0
