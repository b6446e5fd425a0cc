"""Facts about the database as a whole: what it holds, where, at which revision."""

from __future__ import annotations

import os
from dataclasses import dataclass

from casetrack.db import Database, current_revision, head_revision


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
