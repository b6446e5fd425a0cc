"""``casetrack db backup`` and ``casetrack db check`` on real databases, healthy and damaged."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from casetrack import db
from casetrack.store.maintenance import pg_dump_command
from tests.records import build_record

ON_POSTGRES = bool(os.environ.get("CASETRACK_TEST_PG_URL"))
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="a SQLite file matter")


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("source", "person", "citation", "event", "search_doc")
        }


def _raw_sql(database: db.Database, *statements: str) -> None:
    """Write rows behind casetrack's back, with foreign keys switched off (as a careless tool would)."""
    with database.engine.connect() as connection:
        if database.dialect == "sqlite":
            connection.exec_driver_sql("COMMIT")
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("SET session_replication_role = replica")
        for statement in statements:
            connection.exec_driver_sql(statement)
        connection.commit()
        if database.dialect == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


@sqlite_only
def test_backup_copies_everything_into_a_private_file(cli, database, db_path: Path, tmp_path: Path) -> None:
    build_record(database)
    target = tmp_path / "backup.db"
    result = cli("db", "backup", str(target))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _counts(target) == _counts(db_path)
    assert _counts(target)["person"] > 0
    assert cli("--db", str(target), "db", "check").exit_code == 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


@sqlite_only
def test_backup_refuses_to_overwrite_without_force(cli, database, tmp_path: Path) -> None:
    target = tmp_path / "existing.db"
    target.write_bytes(b"keep me")
    refused = cli("db", "backup", str(target))
    assert refused.exit_code == 7
    assert "--force" in refused.output
    assert target.read_bytes() == b"keep me"
    forced = cli("db", "backup", "--force", str(target))
    assert forced.exit_code == 0, forced.output
    assert _counts(target)["person"] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@sqlite_only
@pytest.mark.parametrize("target", ["missing-folder/backup.db", "."])
def test_backup_to_a_bad_place_is_one_clear_error(cli, database, tmp_path: Path, target: str) -> None:
    result = cli("db", "backup", str(tmp_path / target))
    assert result.exit_code == 2
    assert result.output.startswith("casetrack: error: ")
    assert len(result.output.strip().splitlines()) == 1


@sqlite_only
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_backup_to_a_name_too_long_for_the_file_system_is_one_clear_error(
    cli, database, tmp_path: Path, force: list[str]
) -> None:
    result = cli("db", "backup", *force, str(tmp_path / ("x" * 300)))
    assert result.exit_code == 6, result.output
    assert result.output.startswith("casetrack: error: cannot write the backup")
    assert len(result.output.strip().splitlines()) == 1


@sqlite_only
def test_backup_never_overwrites_the_database_itself(cli, database, db_path: Path) -> None:
    before = db_path.read_bytes()
    result = cli("db", "backup", "--force", str(db_path))
    assert result.exit_code == 2
    assert db_path.read_bytes() == before


def test_pg_dump_command_hides_the_password() -> None:
    command = pg_dump_command(
        "postgresql+psycopg://monitor:s3cret@db.example:5432/cases?options=-csearch_path%3Dteam",
        Path("out file"),
    )
    assert "s3cret" not in command
    assert "--host=db.example" in command and "--username=monitor" in command
    assert "--schema=team" in command and "--dbname=cases" in command
    assert "'--file=out file'" in command


def test_postgres_backup_prints_the_command_and_writes_nothing(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from casetrack.cli import app

    url = "postgresql://monitor:s3cret@unreachable.invalid/cases"
    result = CliRunner().invoke(app, ["--db", url, "db", "backup", str(tmp_path / "x.dump")])
    assert result.exit_code == 0, result.output
    assert "pg_dump" in result.stdout and "s3cret" not in result.output
    assert not (tmp_path / "x.dump").exists()


def test_check_passes_on_a_healthy_record(cli, database) -> None:
    build_record(database)
    result = cli("db", "check", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"problem"' not in result.stdout
    assert '"migrations"' in result.stdout


def test_check_finds_citations_aliases_and_parties_pointing_nowhere(cli, database) -> None:
    build_record(database)
    _raw_sql(
        database,
        "INSERT INTO citation (source_id, record_type, record_id, quote, created_at) "
        "SELECT min(id), 'person', 999999, 'ghost', CURRENT_TIMESTAMP FROM source",
        "INSERT INTO person_alias (person_id, name, key, origin, created_at) "
        "VALUES (888888, 'Ghost', 'ghost', 'extracted', CURRENT_TIMESTAMP)",
        "UPDATE case_party SET person_id = 777777 WHERE person_id IS NOT NULL",
    )
    result = cli("db", "check")
    assert result.exit_code == 8
    for expected in ("orphans: citation", "orphans: person_alias.person_id", "orphans: case_party.person_id"):
        assert expected in result.stdout
    assert result.stderr.startswith("casetrack: error: db check found")


def test_check_finds_a_database_behind_its_migrations(cli, database) -> None:
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    result = cli("db", "check")
    assert result.exit_code == 8
    assert "migrations" in result.stderr


@sqlite_only
def test_check_finds_a_readable_file(cli, database, db_path: Path) -> None:
    db_path.chmod(0o644)
    result = cli("db", "check")
    assert result.exit_code == 8
    assert "file mode" in result.stdout and "chmod 600" in result.stdout


@sqlite_only
def test_check_finds_a_corrupted_file(cli, database, db_path: Path) -> None:
    build_record(database)
    database.dispose()
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_person_name_key'"
        ).fetchone()[0]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    with db_path.open("r+b") as handle:
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff" * 64)
    result = cli("db", "check")
    assert result.exit_code == 8
    assert result.stderr.startswith("casetrack: error: ")
    assert "Traceback" not in result.output


@sqlite_only
def test_backup_to_a_name_that_is_not_valid_utf8(cli, database, tmp_path: Path) -> None:
    target = tmp_path / "backup-\udcff.db"
    result = cli("db", "backup", str(target))
    assert result.exit_code == 0, result.output
    assert "\\udcff" in result.stdout
    assert os.path.exists(os.fsencode(target))
