"""Finding one record from what a user types: an id, a name, an alias or a unique prefix.

Every command that takes a record argument goes through :func:`find`, so they
all behave alike: ``12`` or ``#12`` is an id; otherwise the text is compared by
its matching key (:func:`casetrack.ingest.names.name_key`, which folds case,
diacritics and script) with canonical names, then aliases, then as a prefix of
either. Exactly one match wins; several raise :class:`Ambiguous` listing them;
none raises :class:`NotFound`. A merged record resolves to the record it was
merged into, so old ids in notes and scripts keep working.

:func:`find` reads the Core tables of :mod:`casetrack.tables` and returns a row
(its columns as attributes: ``row.id``, ``row.name``), so a read command never
imports the ORM models. Writes need the ORM object: :func:`record` is the same
lookup followed by ``session.get`` of the model (pending changes are flushed
first, as the ORM's own queries would). A found row has the columns a reader
shows, not the bookkeeping ones (timestamps, origin, curated_fields, matching
keys) nor a source's raw bytes and text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, true
from sqlalchemy.sql.schema import Column, Table
from sqlmodel import Session

from casetrack.errors import Ambiguous, NotFound, UsageError
from casetrack.ingest.names import name_key
from casetrack.tables import event, legal_case, organisation, organisation_alias, person, person_alias, source

MAX_LISTED = 8

#: The record types a user can name, with the words accepted for them.
TYPE_WORDS = {
    "person": "person",
    "persons": "person",
    "people": "person",
    "org": "organisation",
    "orgs": "organisation",
    "organisation": "organisation",
    "organisations": "organisation",
    "organization": "organisation",
    "organizations": "organisation",
    "case": "case",
    "cases": "case",
    "event": "event",
    "events": "event",
    "source": "source",
    "sources": "source",
}

_LIST_COMMAND = {
    "person": "persons",
    "organisation": "orgs",
    "case": "cases",
    "event": "events",
    "source": "sources",
}


@dataclass(frozen=True, slots=True)
class _Named:
    table: Table
    alias: Table | None
    alias_owner: Column[Any] | None


_NAMED = {
    "person": _Named(person, person_alias, person_alias.c.person_id),
    "organisation": _Named(organisation, organisation_alias, organisation_alias.c.organisation_id),
    "case": _Named(legal_case, None, None),
}

_OTHER_TABLES = {"event": event, "source": source}

#: Columns a found row leaves out: bookkeeping, matching keys, a source's bytes and text.
_NOT_READ = {
    "created_at",
    "updated_at",
    "origin",
    "curated_fields",
    "name_key",
    "phonetic_key",
    "raw",
    "text",
}

#: The ORM model of each kind (for :func:`record`), by name: imported only when a write asks.
_MODEL_NAMES = {
    "person": "Person",
    "organisation": "Organisation",
    "case": "Case",
    "event": "Event",
    "source": "Source",
}


def record_type(word: str) -> str:
    """'org' -> 'organisation'; unknown words are a usage error listing the choices."""
    try:
        return TYPE_WORDS[word.lower()]
    except KeyError:
        choices = ", ".join(sorted({"person", "org", "case", "event", "source"}))
        raise UsageError(f"unknown record type {word!r}", hint=f"use one of: {choices}") from None


MAX_ID = 2**31 - 1
"""Ids are 32-bit on PostgreSQL: a larger number can name no record."""


def parse_id(ref: str) -> int | None:
    """``12`` or ``#12`` -> 12; anything else (including "¹" and "١٢") is a name, not an id."""
    text = ref.strip().removeprefix("#")
    return int(text) if text.isascii() and text.isdecimal() else None


def find(session: Session, kind: str, ref: str) -> Any:
    """The one live record of ``kind`` that ``ref`` names, as a row of its table."""
    kind = record_type(kind)
    if not ref.strip():
        raise UsageError(f"an empty {kind} name was given", hint=f"give an id or a name of a {kind}")
    record_id = parse_id(ref)
    if record_id is not None:
        return _by_id(session, kind, record_id, ref)
    if kind == "source":
        return _source_by_text(session, ref)
    if kind == "event":
        raise UsageError(f"events are found by id, not by name: {ref!r}", hint="see `casetrack list events`")
    return _by_name(session, kind, ref)


def record(session: Session, kind: str, ref: str) -> Any:
    """:func:`find`, as the ORM object a write can change (for curation; imports the models)."""
    from casetrack import models

    if session.autoflush:
        session.flush()
    found = find(session, kind, ref)
    return session.get(getattr(models, _MODEL_NAMES[record_type(kind)]), found.id)


def _run(session: Session, query: Select[Any]) -> Any:
    return session.connection().execute(query)


def _select(table: Table) -> Select[Any]:
    return select(*(c for c in table.c if c.name not in _NOT_READ))


def _table(kind: str) -> Table:
    if kind in _OTHER_TABLES:
        return _OTHER_TABLES[kind]
    return _NAMED[kind].table


def get(session: Session, model: Any, record_id: int | None) -> Any:
    """``session.get`` for an id that may be out of the column's range (then None, never a database error)."""
    return session.get(model, record_id) if _storable(record_id) else None


def _storable(record_id: int | None) -> bool:
    return record_id is not None and 0 <= record_id <= MAX_ID


def _row(session: Session, table: Table, record_id: int | None) -> Any:
    if not _storable(record_id):
        return None
    return _run(session, _select(table).where(table.c.id == record_id)).first()


def _by_id(session: Session, kind: str, record_id: int, ref: str) -> Any:
    table = _table(kind)
    row = _row(session, table, record_id)
    seen = set()
    while row is not None and getattr(row, "merged_into_id", None) and row.id not in seen:
        seen.add(row.id)
        row = _row(session, table, row.merged_into_id)
    if row is None:
        raise NotFound(
            f"no {kind} with id {record_id} ({ref!r})",
            hint=f"list them with `casetrack list {_LIST_COMMAND[kind]}`",
        )
    return row


def _live(table: Table) -> ColumnElement[bool]:
    return table.c.merged_into_id.is_(None) if "merged_into_id" in table.c else true()


def _by_name(session: Session, kind: str, ref: str) -> Any:
    named = _NAMED[kind]
    key = name_key(ref)
    if not key:
        raise UsageError(f"{ref!r} does not look like a name", hint=f"give an id or a name of a {kind}")
    for stage in (_exact, _prefix):
        matches = stage(session, named, key)
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise _ambiguous(kind, ref, matches)
    raise NotFound(
        f"no {kind} called {ref!r}",
        hint=f"check the spelling, or list them with `casetrack list {_LIST_COMMAND[kind]} --q ...`",
    )


def _exact(session: Session, named: _Named, key: str) -> list[Any]:
    table = named.table
    rows = {r.id: r for r in _run(session, _select(table).where(table.c.name_key == key, _live(table)))}
    if named.alias is not None and named.alias_owner is not None:
        alias = named.alias
        query = (
            _select(table)
            .join(alias, named.alias_owner == table.c.id)
            .where(alias.c.key == key, _live(table))
        )
        rows.update({r.id: r for r in _run(session, query)})
    return _by_id_order(rows)


def _prefix(session: Session, named: _Named, key: str) -> list[Any]:
    table = named.table
    pattern = _like_prefix(key)
    query = _select(table).where(table.c.name_key.like(pattern, escape="\\"), _live(table)).limit(50)
    rows = {r.id: r for r in _run(session, query)}
    if named.alias is not None and named.alias_owner is not None:
        alias = named.alias
        query = (
            _select(table)
            .join(alias, named.alias_owner == table.c.id)
            .where(alias.c.key.like(pattern, escape="\\"), _live(table))
            .limit(50)
        )
        rows.update({r.id: r for r in _run(session, query)})
    return _by_id_order(rows)


def _by_id_order(rows: dict[int, Any]) -> list[Any]:
    return sorted(rows.values(), key=lambda r: r.id)


def _like_prefix(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _ambiguous(kind: str, ref: str, matches: list[Any]) -> Ambiguous:
    listed = "; ".join(describe(kind, m) for m in matches[:MAX_LISTED])
    more = f" and {len(matches) - MAX_LISTED} more" if len(matches) > MAX_LISTED else ""
    return Ambiguous(
        f"{ref!r} matches {len(matches)} {kind} records: {listed}{more}",
        hint="give the id (e.g. #12) or more of the name",
    )


def describe(kind: str, record: Any) -> str:
    """'#12 Rita Karasartova (KG)': how a candidate is listed (a row or an ORM object alike)."""
    label = getattr(record, "name", None) or getattr(record, "title", None) or getattr(record, "summary", "")
    country = getattr(record, "country", None)
    return f"#{record.id} {label}" + (f" ({country})" if country else "")


def _source_by_text(session: Session, ref: str) -> Any:
    text = ref.strip()
    query = _select(source).where(or_(source.c.url == text, source.c.input == text))
    rows = list(_run(session, query))
    if not rows and len(text) >= 6 and all(c in "0123456789abcdef" for c in text.lower()):
        by_hash = _select(source).where(source.c.sha256.like(text.lower() + "%")).limit(20)
        rows = list(_run(session, by_hash))
    if len(rows) == 1:
        return rows[0]
    if rows:
        latest = [r for r in rows if not _is_superseded(session, r.id)]
        if len(latest) == 1:
            return latest[0]
        raise _ambiguous("source", ref, rows)
    raise NotFound(
        f"no source with id, URL, input path or sha256 prefix {ref!r}",
        hint="list them with `casetrack list sources`",
    )


def _is_superseded(session: Session, source_id: int) -> bool:
    query = select(source.c.id).where(source.c.previous_id == source_id).limit(1)
    return _run(session, query).first() is not None
