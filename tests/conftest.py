"""Fixtures shared by every test: a fresh database per test, a fixed-width CLI, the shared data.

Every test gets its own SQLite file in a temporary directory, created and
migrated exactly as a user's would be. With ``CASETRACK_TEST_PG_URL`` set (CI
does), the ``database_url`` fixture gives each test a fresh PostgreSQL schema
instead, so the same tests run on both backends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own database or settings; Rich gets a fixed width."""
    monkeypatch.delenv("CASETRACK_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "casetrack.db"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str]:
    """A fresh, empty database: SQLite by default, PostgreSQL when CASETRACK_TEST_PG_URL is set."""
    pg_url = os.environ.get("CASETRACK_TEST_PG_URL")
    if not pg_url:
        yield str(db_path)
        return
    from tests.pg import fresh_schema_url

    with fresh_schema_url(pg_url, request.node.name) as url:
        yield url


@pytest.fixture
def database(database_url: str):  # type: ignore[no-untyped-def]
    from casetrack.db import open_database, resolve_location

    db = open_database(resolve_location(database_url, Path("/nonexistent")))
    yield db
    db.dispose()


class Cli:
    """Runs the real Typer app as a user would, against one database."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, actor: str = "tester"):  # type: ignore[no-untyped-def]
        from casetrack.cli import app

        return self.runner.invoke(
            app, ["--db", self.database_url, "--as", actor, *args], input=input, catch_exceptions=False
        )


@pytest.fixture
def cli(database_url: str) -> Cli:
    return Cli(database_url)


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED}: clone the project beside its shared/ folder")
    return SHARED


@pytest.fixture
def seeds_dir(shared_dir: Path) -> Path:
    seeds = shared_dir / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed articles not found at {seeds}")
    return seeds


@pytest.fixture
def corpus_dir(shared_dir: Path) -> Path:
    corpus = shared_dir / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"corpus not found at {corpus}")
    return corpus
