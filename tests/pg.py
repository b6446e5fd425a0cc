"""A fresh PostgreSQL schema per test, so the whole suite can run against one server.

``fresh_schema_url`` creates a schema with a unique, safe name (lower-case
letters, digits and underscores only, derived from the test's name plus a random
suffix), yields a URL whose connections use that schema as their
``search_path`` (libpq ``options=-csearch_path=...``, URL-encoded in the query
string), and drops the schema with everything in it afterwards. Alembic's
version table, casetrack's tables and the full-text index are all created
inside it, because every connection made from the URL sees only that schema.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

MAX_IDENTIFIER = 63  # PostgreSQL truncates longer identifiers


def schema_name(test_name: str) -> str:
    """A unique schema name built from the test's name: ``t_<slug>_<hex>``."""
    suffix = secrets.token_hex(4)
    slug = re.sub(r"[^a-z0-9]+", "_", test_name.lower()).strip("_")
    room = MAX_IDENTIFIER - len("t__") - len(suffix)
    return f"t_{slug[:room]}_{suffix}"


def with_search_path(pg_url: str, schema: str) -> str:
    """``pg_url`` with ``options=-csearch_path=<schema>`` added to its query string."""
    separator = "&" if "?" in pg_url else "?"
    return f"{pg_url}{separator}options={quote(f'-csearch_path={schema}', safe='')}"


def _driver_url(pg_url: str) -> str:
    if pg_url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + pg_url.split("://", 1)[1]
    return pg_url


@contextmanager
def fresh_schema_url(pg_url: str, test_name: str) -> Iterator[str]:
    """Create a schema, yield a URL confined to it, then drop it (CASCADE)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    schema = schema_name(test_name)
    admin = create_engine(_driver_url(pg_url), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield with_search_path(pg_url, schema)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        admin.dispose()
