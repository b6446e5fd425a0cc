"""search folds diacritics on PostgreSQL: the casetrack_search text search configuration

SQLite's FTS5 tokenizer (``unicode61 remove_diacritics 2``) already folds
Latin diacritics, so this revision changes nothing there. On PostgreSQL it
creates the text search configuration ``casetrack_search``: a copy of
``simple`` whose word tokens go through the ``unaccent`` dictionary first, so
"Ales" finds "Aleś" and "cafe" finds "Café", in the index, the query and the
highlighted snippet alike. The GIN index is rebuilt over that configuration.

``unaccent`` is an extension (trusted since PostgreSQL 13: a user with CREATE
on the database may install it). It is created if missing -- in ``public`` when
allowed, else in the current schema -- inside a savepoint, so a server where it
cannot be created (no contrib package, no privilege) still migrates: the
configuration is then a plain copy of ``simple`` and search keeps accents,
exactly as before. Installing the extension later and running the ``ALTER TEXT
SEARCH CONFIGURATION`` of :func:`fold_with_unaccent` (see docs/queries.md) turns
folding on without another revision. The downgrade leaves the extension
installed: other databases or schemas of the server may use it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONFIG = "casetrack_search"
WORD_TOKENS = "word, numword, hword, numhword, hword_part, hword_numpart"
INDEX = "ix_search_doc_tsv"


def _index_on(config: str) -> str:
    return f"CREATE INDEX {INDEX} ON search_doc USING gin (to_tsvector('{config}'::regconfig, title || ' ' || body))"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)")
    schema = unaccent_schema(bind, install=True)
    if schema is not None:
        op.execute(fold_with_unaccent(schema))
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(_index_on(CONFIG))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(_index_on("simple"))
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


def fold_with_unaccent(schema: str) -> str:
    """The statement that makes ``casetrack_search`` fold diacritics with ``<schema>.unaccent``."""
    return (
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {WORD_TOKENS} "
        f'WITH "{schema}".unaccent, pg_catalog.simple'
    )


def unaccent_schema(bind: sa.Connection, *, install: bool) -> str | None:
    """The schema holding the ``unaccent`` extension, installing it first if allowed; None if unavailable."""
    found = _extension_schema(bind)
    attempts = (
        "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public",
        "CREATE EXTENSION IF NOT EXISTS unaccent",
    )
    for statement in attempts if install and found is None else ():
        try:
            with bind.begin_nested():
                bind.exec_driver_sql(statement)
        except sa.exc.DBAPIError:
            continue
        found = _extension_schema(bind)
        break
    return found


def _extension_schema(bind: sa.Connection) -> str | None:
    query = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'"
    )
    schema = bind.execute(query).scalar()
    return str(schema) if schema is not None else None
