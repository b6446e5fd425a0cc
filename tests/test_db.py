"""The database layer: location precedence, file safety, migrations that agree with the models."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from casetrack import db
from casetrack.errors import DatabaseError


def test_precedence_flag_then_env_then_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default_dir = tmp_path / "app"
    assert db.resolve_location(None, default_dir).url == f"sqlite:///{default_dir / 'casetrack.db'}"
    monkeypatch.setenv("CASETRACK_DB", str(tmp_path / "env.db"))
    assert db.resolve_location(None, default_dir).origin == "$CASETRACK_DB"
    assert db.resolve_location(None, default_dir).path == tmp_path / "env.db"
    chosen = db.resolve_location(str(tmp_path / "flag.db"), default_dir)
    assert (chosen.origin, chosen.path) == ("--db", tmp_path / "flag.db")


def test_postgres_urls_get_the_psycopg_driver() -> None:
    assert db.to_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert db.to_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    location = db.Location("postgresql+psycopg://u:secret@h/d", "--db")
    assert "secret" not in location.display()


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(DatabaseError, match="unsupported"):
        db.to_url("mysql://x/y")


def test_new_sqlite_file_is_private_wal_and_migrated(db_path: Path) -> None:
    database = db.open_database(db.resolve_location(str(db_path), Path("/nonexistent")))
    try:
        assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
        assert db.current_revision(database) == db.head_revision()
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        database.dispose()


def test_a_foreign_sqlite_file_is_not_touched(db_path: Path) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="not a casetrack database"):
        db.open_database(db.resolve_location(str(db_path), Path("/nonexistent")))
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("command", [("list", "persons"), ("db", "upgrade"), ("db", "info")])
def test_a_database_path_the_file_system_refuses_is_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    from typer.testing import CliRunner

    from casetrack.cli import app

    too_long = tmp_path / ("a" * 300 + ".db")
    result = CliRunner().invoke(app, ["--db", str(too_long), *command])
    assert result.exit_code == 8, result.output
    assert "cannot open the database" in result.output and "File name too long" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_older_revision_asks_for_upgrade(database: db.Database) -> None:
    db.downgrade(database, "base")
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) PRIMARY KEY)"
        )
        connection.exec_driver_sql("INSERT INTO alembic_version VALUES ('0000')")
    with pytest.raises(DatabaseError, match="newer casetrack"):
        db.open_database(database.location)


def test_models_and_migrations_agree(database: db.Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import casetrack.models  # noqa: F401

    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": _not_search_shadow_table},
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def _not_search_shadow_table(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """The full-text index is raw SQL in the migration (FTS5 tables, PostgreSQL's tsvector GIN index)."""
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    return not (type_ == "index" and name == "ix_search_doc_tsv")


def test_downgrade_and_upgrade_keep_working_with_data(database: db.Database) -> None:
    from casetrack.models import Person

    with database.session(write=True) as session:
        session.add(Person(name="Rita Karasartova", name_key="rita karasartova"))
    db.downgrade(database, "base")
    db.upgrade(database)
    with database.session(write=True) as session:
        session.add(Person(name="Ales Bialiatski", name_key="ales bialiatski"))
    with database.session() as session:
        from sqlmodel import select

        assert [p.name for p in session.exec(select(Person))] == ["Ales Bialiatski"]


def test_write_sessions_roll_back_on_error(database: db.Database) -> None:
    from sqlmodel import select

    from casetrack.models import Person

    with pytest.raises(RuntimeError), database.session(write=True) as session:
        session.add(Person(name="Half Written", name_key="half written"))
        session.flush()
        raise RuntimeError("crash half-way")
    with database.session() as session:
        assert session.exec(select(Person)).all() == []


def test_revision_graph_read_from_files_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db.alembic_config())
    assert db.head_revision() == script.get_current_head()
    assert db.known_revisions() == {rev.revision for rev in script.walk_revisions()}


def test_reading_a_database_does_not_import_alembic(database: db.Database) -> None:
    import subprocess
    import sys

    url = database.location.url
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "casetrack", "--db", url, "list", "persons"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in completed.stderr.splitlines()}
    assert "alembic" not in imported
