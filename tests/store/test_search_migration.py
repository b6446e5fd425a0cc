"""Migration 0003: PostgreSQL search folds diacritics with unaccent, and still migrates where unaccent is missing."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
import sqlalchemy as sa

from casetrack import db
from casetrack.store.search import folds_diacritics, search
from tests.records import indexed_person


def _migration() -> Any:
    path = db.migrations_dir() / "versions" / "0003_search_folds_diacritics.py"
    spec = importlib.util.spec_from_file_location("migration_0003", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _found(database: db.Database, words: str) -> list[int]:
    with database.session() as s:
        return [hit.record_id for hit in search(s, words)]


def test_down_to_0002_and_up_again_keeps_search_working(database: db.Database) -> None:
    ales = indexed_person(database, "Aleś Bialacki")
    db.downgrade(database, "0002")
    assert db.current_revision(database) == "0002"
    if database.dialect == "postgresql":
        with database.engine.connect() as connection:
            configs = connection.execute(sa.text("SELECT cfgname FROM pg_ts_config")).scalars().all()
            index = connection.execute(
                sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_doc_tsv'")
            ).scalar_one()
        assert "casetrack_search" not in configs
        assert "'simple'::regconfig" in index
    db.upgrade(database)
    assert db.current_revision(database) == db.head_revision() == "0003"
    assert _found(database, "ales") == [ales]


@pytest.fixture
def postgres(database: db.Database) -> db.Database:
    if database.dialect != "postgresql":
        pytest.skip("the unaccent configuration is PostgreSQL's")
    return database


def _set_mapping(database: db.Database, statement: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(sa.text(statement))
        connection.execute(sa.text("REINDEX INDEX ix_search_doc_tsv"))


def test_without_unaccent_search_keeps_accents_and_the_documented_statement_turns_folding_on(
    postgres: db.Database,
) -> None:
    migration = _migration()
    cafe = indexed_person(postgres, "Café Müller")
    _set_mapping(
        postgres,
        f"ALTER TEXT SEARCH CONFIGURATION casetrack_search ALTER MAPPING FOR {migration.WORD_TOKENS} "
        "WITH pg_catalog.simple",
    )  # what the migration leaves where unaccent cannot be installed
    with postgres.session() as s:
        assert not folds_diacritics(s)
    assert _found(postgres, "Café") == [cafe]
    assert _found(postgres, "cafe") == []

    with postgres.engine.connect() as connection:
        schema = migration.unaccent_schema(connection, install=False)
    assert schema is not None
    _set_mapping(postgres, migration.fold_with_unaccent(schema))
    with postgres.session() as s:
        assert folds_diacritics(s)
    assert _found(postgres, "cafe muller") == [cafe]


class _NoExtensionAllowed:
    """A connection on which CREATE EXTENSION fails and no unaccent is installed."""

    def __init__(self) -> None:
        self.tried: list[str] = []

    def begin_nested(self) -> Any:
        from contextlib import nullcontext

        return nullcontext()

    def exec_driver_sql(self, statement: str) -> None:
        self.tried.append(statement)
        raise sa.exc.ProgrammingError(statement, None, Exception("permission denied to create extension"))

    def execute(self, _query: Any) -> Any:
        class _Result:
            def scalar(self) -> None:
                return None

        return _Result()


def test_a_server_that_refuses_the_extension_still_migrates() -> None:
    connection = _NoExtensionAllowed()
    assert _migration().unaccent_schema(connection, install=True) is None
    assert len(connection.tried) == 2  # public first, then the current schema


def test_sqlite_needs_nothing_from_0003(database: db.Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite only")
    with database.session() as s:
        assert folds_diacritics(s)
    tokenizer = sa.text("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
    with database.engine.connect() as connection:
        assert "remove_diacritics 2" in connection.execute(tokenizer).scalar_one()
