"""Migration 0002: phonetic keys added, backfilled from existing names, and removed again without data loss."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from casetrack import db
from casetrack.ingest.names import phonetic_key

NAMES = {
    "person": ["Yurii Ivanov", "Алесь Беляцкий"],
    "organisation": ["Правозащитный центр «Весна»", "Human Rights Center Viasna"],
}


def _table(name: str, *columns: str) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in columns))


REQUIRED = {"person": {"birth_date_precision": "unknown"}, "organisation": {"kind": "other"}}


def _fill_a_0001_database(database: db.Database) -> None:
    now = sa.func.current_timestamp()
    fact = {"origin": "extracted", "curated_fields": "[]", "created_at": now, "updated_at": now}
    with database.engine.begin() as connection:
        for table, names in NAMES.items():
            values = {"name_key": "", **fact, **REQUIRED[table]}
            rows = _table(table, "id", "name", *values)
            for i, name in enumerate(names, 1):
                connection.execute(sa.insert(rows).values(id=i, name=name, **values))
        alias = _table("person_alias", "id", "person_id", "name", "key", "origin", "created_at")
        connection.execute(
            sa.insert(alias).values(
                id=1, person_id=1, name="Юрий Иванов", key="yurii ivanov", origin="extracted", created_at=now
            )
        )


def _keys(database: db.Database, table: str) -> dict[str, Any]:
    rows = _table(table, "name", "phonetic_key")
    with database.engine.connect() as connection:
        return {
            r.name: r.phonetic_key for r in connection.execute(sa.select(rows.c.name, rows.c.phonetic_key))
        }


def test_a_0001_database_upgrades_and_gets_phonetic_keys_backfilled(database: db.Database) -> None:
    db.downgrade(database, "0001")
    assert db.current_revision(database) == "0001"
    _fill_a_0001_database(database)
    db.upgrade(database)
    assert db.current_revision(database) == db.head_revision()
    for table, names in NAMES.items():
        assert _keys(database, table) == {n: phonetic_key(n) for n in names}
    assert _keys(database, "person_alias") == {"Юрий Иванов": phonetic_key("Yurii Ivanov")}
    assert _keys(database, "organisation_alias") == {}


def test_downgrade_to_0001_keeps_the_rows(database: db.Database) -> None:
    db.downgrade(database, "0001")
    _fill_a_0001_database(database)
    db.upgrade(database)
    db.downgrade(database, "0001")
    names = _table("person", "name")
    aliases = _table("person_alias", "name")
    with database.engine.connect() as connection:
        assert sorted(connection.execute(sa.select(names.c.name)).scalars()) == sorted(NAMES["person"])
        assert list(connection.execute(sa.select(aliases.c.name)).scalars()) == ["Юрий Иванов"]
    inspector = sa.inspect(database.engine)
    assert "phonetic_key" not in {c["name"] for c in inspector.get_columns("person")}
