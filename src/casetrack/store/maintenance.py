"""Facts about the database as a whole: what it holds, backups, and health checks.

``database_info`` answers ``casetrack db info``. ``backup`` copies a SQLite
database with SQLite's online backup API (consistent even while other
processes write), into a private temporary file beside the target that is
renamed into place only once complete, so a failed or interrupted backup never
leaves a half-written file under the requested name. A PostgreSQL database is
backed up with ``pg_dump``, which casetrack does not run for you: ``backup``
``pg_dump_command`` gives the command line, with the password hidden.

``check`` runs every health check and returns one :class:`Finding` per check:
SQLite's own integrity check, rows that point at records that do not exist
(foreign keys as declared, plus the ``record_type``/``record_id`` pairs of
citations, conflicts and search documents, which no foreign key can cover),
the migration revision, and the file's permissions.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casetrack.db import Database, current_revision, head_revision
from casetrack.errors import Conflict, InputError, UsageError

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    location: str
    origin: str
    dialect: str
    revision: str | None
    head: str
    counts: dict[str, int]
    size_bytes: int | None
    mode: str | None


COUNTED_TABLES = [
    "source",
    "person",
    "organisation",
    "legal_case",
    "charge",
    "event",
    "citation",
    "audit_log",
    "match_candidate",
]


def table_counts(database: Database) -> dict[str, int]:
    from sqlalchemy import text

    with database.session() as session:
        return {
            table: int(session.connection().execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in COUNTED_TABLES
        }


def database_info(database: Database) -> DatabaseInfo:
    path = database.location.path
    stat = path.stat() if path is not None and path.exists() else None
    return DatabaseInfo(
        location=database.location.display(),
        origin=database.location.origin,
        dialect=database.dialect,
        revision=current_revision(database),
        head=head_revision(),
        counts=table_counts(database),
        size_bytes=stat.st_size if stat else None,
        mode=oct(stat.st_mode & 0o777) if stat else None,
    )


def file_is_private(database: Database) -> bool:
    path = database.location.path
    return path is None or (os.stat(path).st_mode & 0o077) == 0


# --- Backups ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackupResult:
    """A finished SQLite backup."""

    target: str
    size_bytes: int
    pages: int


def backup(database: Database, target: Path, *, force: bool = False) -> BackupResult:
    """Copy a SQLite database to ``target`` with the online backup API (PostgreSQL: see pg_dump_command)."""
    if not database.location.is_sqlite:
        raise UsageError("PostgreSQL databases are backed up with pg_dump", hint="see `casetrack db backup`")
    source = database.location.path
    if source is None:
        raise UsageError("an in-memory database cannot be backed up", hint="give --db a file path")
    target = target.expanduser()
    try:
        _refuse_target(source, target, force=force)
    except OSError as exc:
        raise InputError(f"cannot write the backup {_printable(target)}: {_reason(exc)}") from None
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        _create_private(partial)
        with (
            closing(sqlite3.connect(source)) as origin,
            closing(sqlite3.connect(os.fsencode(partial))) as copy,
        ):
            origin.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            pages = int(copy.execute("PRAGMA page_count").fetchone()[0])
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        raise InputError(f"cannot write the backup {_printable(target)}: {_reason(exc)}") from None
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target=_printable(target), size_bytes=target.stat().st_size, pages=pages)


def _printable(path: Path) -> str:
    """A file name as text that can always be printed (invalid UTF-8 shown as escapes)."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def _refuse_target(source: Path, target: Path, *, force: bool) -> None:
    if target.is_dir():
        raise UsageError(f"{target} is a directory", hint="give the backup a file name")
    if not target.parent.is_dir():
        raise UsageError(f"the folder {target.parent} does not exist", hint="create it first")
    if target.exists() and target.resolve() == source.resolve():
        raise UsageError("the backup would overwrite the database itself", hint="give another file name")
    if target.exists() and not force:
        raise Conflict(f"{target} already exists", hint="choose another name or add --force to overwrite it")


def _create_private(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def pg_dump_command(url: str, target: Path) -> str:
    """The pg_dump command line for a PostgreSQL URL; the password is left out (PGPASSWORD or ~/.pgpass)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    parts = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    for option in ("host", "port", "username"):
        value = getattr(parsed, option)
        if value:
            parts.append(f"--{option}={value}")
    schema = _search_path_schema(parsed.query.get("options"))
    if schema:
        parts.append(f"--schema={schema}")
    if parsed.database:
        parts.append(f"--dbname={parsed.database}")
    return " ".join(shlex.quote(part) for part in parts)


def _search_path_schema(options: Any) -> str | None:
    text = options if isinstance(options, str) else " ".join(options or ())
    for word in text.split():
        if word.startswith("-csearch_path="):
            return word.split("=", 1)[1].split(",")[0] or None
    return None


# --- Checks ------------------------------------------------------------------------------------

OK = "ok"
PROBLEM = "problem"
SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one check: ``ok``, ``problem`` or ``skipped``, with what was found."""

    check: str
    status: str
    detail: str


POLYMORPHIC_TABLES = ("citation", "conflict", "search_doc")


def check(database: Database, *, quick: bool = False) -> list[Finding]:
    """Run every health check; a finding with status ``problem`` means the database needs care."""
    findings = _guarded("integrity", lambda: [_integrity(database, quick=quick)])
    findings += _guarded("orphans", lambda: _orphans(database))
    findings += _guarded("migrations", lambda: [_revision(database)])
    findings.append(_file_mode(database))
    return findings


def _guarded(name: str, run: Callable[[], list[Finding]]) -> list[Finding]:
    """A check that cannot even run (a malformed file) is itself a problem, not a crash."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return run()
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        reason = str(orig) if orig is not None else type(exc).__name__
        return [Finding(name, PROBLEM, f"could not be checked: {reason}")]


def _orphans(database: Database) -> list[Finding]:
    with database.engine.connect() as connection:
        return _dangling_foreign_keys(connection) + _dangling_record_references(connection)


def problems(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.status == PROBLEM]


def _integrity(database: Database, *, quick: bool) -> Finding:
    name = "quick_check" if quick else "integrity_check"
    if not database.location.is_sqlite:
        return Finding("integrity", SKIPPED, "PostgreSQL checks its own pages; nothing to run here")
    with database.engine.connect() as connection:
        rows = [str(row[0]) for row in connection.exec_driver_sql(f"PRAGMA {name}")]
        foreign = list(connection.exec_driver_sql("PRAGMA foreign_key_check"))
    if rows == ["ok"] and not foreign:
        return Finding("integrity", OK, f"PRAGMA {name}: ok")
    details = [row for row in rows if row != "ok"][:5]
    if foreign:
        details.append(f"{len(foreign)} foreign key violation(s)")
    return Finding("integrity", PROBLEM, f"PRAGMA {name}: " + "; ".join(details))


def _dangling_foreign_keys(connection: Connection) -> list[Finding]:
    from sqlalchemy import func, select

    findings = []
    for table in _tables():
        for foreign_key in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
            column, parent = foreign_key.parent, foreign_key.column
            target = parent.table.alias("target")
            query = (
                select(func.count())
                .select_from(table.outerjoin(target, column == target.c[parent.name]))
                .where(column.is_not(None), target.c[parent.name].is_(None))
            )
            count = int(connection.execute(query).scalar_one())
            if count:
                findings.append(
                    Finding(
                        f"orphans: {table.name}.{column.name}",
                        PROBLEM,
                        f"{count} row(s) point at a missing {parent.table.name}",
                    )
                )
    if not findings:
        findings.append(Finding("orphans: references", OK, "every reference points at an existing row"))
    return findings


def _dangling_record_references(connection: Connection) -> list[Finding]:
    """Citations, conflicts and search documents name their record by type and id."""
    from sqlalchemy import func, select

    from casetrack.models import RECORD_TYPES

    tables = {table.name: table for table in _tables()}
    findings = []
    for name in POLYMORPHIC_TABLES:
        table = tables[name]
        missing = 0
        for record_type, model in RECORD_TYPES.items():
            target = tables[str(model.__tablename__)].alias("target")
            query = (
                select(func.count())
                .select_from(table.outerjoin(target, table.c.record_id == target.c.id))
                .where(table.c.record_type == record_type, target.c.id.is_(None))
            )
            missing += int(connection.execute(query).scalar_one())
        unknown = select(func.count()).where(table.c.record_type.not_in(list(RECORD_TYPES)))
        missing += int(connection.execute(unknown.select_from(table)).scalar_one())
        if missing:
            findings.append(
                Finding(f"orphans: {name}", PROBLEM, f"{missing} row(s) name a record that does not exist")
            )
    if not findings:
        findings.append(
            Finding(
                "orphans: cited records", OK, "every citation, conflict and search entry names a real record"
            )
        )
    return findings


def _tables() -> list[Table]:
    from sqlmodel import SQLModel

    import casetrack.models  # noqa: F401

    return list(SQLModel.metadata.sorted_tables)


def _revision(database: Database) -> Finding:
    current, head = current_revision(database), head_revision()
    if current == head:
        return Finding("migrations", OK, f"at head ({head})")
    return Finding(
        "migrations",
        PROBLEM,
        f"at {current or 'no revision'}, this casetrack needs {head} (run `casetrack db upgrade`)",
    )


def _file_mode(database: Database) -> Finding:
    path = database.location.path
    if path is None:
        return Finding("file mode", SKIPPED, "not a file: access is the server's matter")
    loose = []
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists() and candidate.stat().st_mode & 0o077:
            loose.append(f"{candidate.name} is {oct(candidate.stat().st_mode & 0o777)}")
    if loose:
        return Finding(
            "file mode", PROBLEM, "; ".join(loose) + f" (fix with: chmod 600 {shlex.quote(str(path))}*)"
        )
    return Finding("file mode", OK, "0600: only you can read it")
