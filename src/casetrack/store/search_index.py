"""Keeping the full-text index in step with the record.

Every searchable record (source, person, organisation, case, event) has one
``search_doc`` row: a title and a body of everything a user may search it by
(names, aliases, descriptions, summaries, the cleaned article text). SQLite
indexes those rows with FTS5 through triggers created by the migration;
PostgreSQL with a GIN index over their tsvector. Code that creates, changes or
deletes a record calls :func:`refresh` (or :func:`remove`) in the same
transaction, so the index can never disagree with the data after a commit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import and_, bindparam, insert, literal, or_, union_all, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, delete, select

from casetrack.models import (
    Case,
    Event,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    SearchDoc,
    Source,
)

SEARCHABLE = ("source", "person", "organisation", "case", "event")


def refresh(session: Session, record_type: str, record_id: int) -> bool:
    """Rebuild the search text of one record (or drop it if the record is gone or merged)."""
    return bool(refresh_many(session, [(record_type, record_id)]))


def refresh_many(
    session: Session,
    records: Iterable[tuple[str, int]],
    *,
    current: Mapping[tuple[str, int], Any] | None = None,
) -> int:
    """Rebuild the search text of several records at once; returns how many are indexed.

    The same rows as :func:`refresh` on each record in turn, in a few statements:
    records neither in ``current`` (rows the caller wrote, as they are now) nor
    in the session are loaded per record type in one query, the aliases of all
    persons and organisations in one, the existing search documents in one;
    changed documents are updated by id in one statement and new ones inserted
    in one multi-row statement.
    """
    session.flush()  # the statements below go to the connection: the session's changes first
    wanted = list(dict.fromkeys(records))
    for record_type, _record_id in wanted:
        if record_type not in _MODELS:
            raise ValueError(f"not a searchable record type: {record_type}")
    records_by_key = _records(session, wanted, current or {})
    aliases = _aliases(session, [key for key, row in records_by_key.items() if row is not None])
    existing = _existing_docs(session, wanted)
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for key, row in records_by_key.items():
        if row is None:
            remove(session, *key)
            continue
        title, body = _BUILDERS[key[0]](row, aliases.get(key, []))
        doc = existing.get(key)
        if doc is None:
            new.append({"record_type": key[0], "record_id": key[1], "title": title, "body": body})
        elif (doc.title, doc.body) != (title, body):
            changed.append({"doc_id": doc.id, "title": title, "body": body})
    if changed:
        session.connection().execute(_update_statement(), changed)
    if new:
        session.connection().execute(insert(SearchDoc), new)
    return sum(row is not None for row in records_by_key.values())


@functools.cache
def _update_statement() -> Any:
    return (
        update(SearchDoc)
        .where(col(SearchDoc.id) == bindparam("doc_id"))
        .values(title=bindparam("title"), body=bindparam("body"))
    )


def remove(session: Session, record_type: str, record_id: int) -> None:
    session.exec(
        delete(SearchDoc).where(
            col(SearchDoc.record_type) == record_type, col(SearchDoc.record_id) == record_id
        )
    )


def reindex_all(session: Session) -> int:
    """Rebuild every search document; returns how many records are indexed."""
    session.exec(delete(SearchDoc))
    count = 0
    for record_type, model in _MODELS.items():
        ids = session.exec(select(model.id).order_by(model.id)).all()
        for start in range(0, len(ids), 500):
            count += refresh_many(session, [(record_type, i) for i in ids[start : start + 500]])
    return count


_MODELS: dict[str, Any] = {
    "source": Source,
    "person": Person,
    "organisation": Organisation,
    "case": Case,
    "event": Event,
}


def _records(
    session: Session, keys: list[tuple[str, int]], current: Mapping[tuple[str, int], Any]
) -> dict[tuple[str, int], Any]:
    """Each live record, or None when it is gone or merged into another.

    Rows the caller holds (``current``: rows it wrote, as they are now) and rows
    already in the session are used as they are; the others are loaded in one
    query per record type.
    """
    found: dict[tuple[str, int], Any] = {}
    missing: dict[str, list[int]] = {}
    for record_type, record_id in keys:
        row = current.get((record_type, record_id))
        if row is None:
            row = session.identity_map.get(identity_key(_MODELS[record_type], record_id))
        if row is None:
            missing.setdefault(record_type, []).append(record_id)
        found[(record_type, record_id)] = row
    for record_type, ids in missing.items():
        model = _MODELS[record_type]
        for row in session.exec(select(model).where(col(model.id).in_(ids))):
            found[(record_type, row.id)] = row
    return {
        key: None if row is None or getattr(row, "merged_into_id", None) else row
        for key, row in found.items()
    }


@functools.cache
def _aliases_statement() -> Any:
    """Alias names of some persons (``person_ids``) and organisations (``organisation_ids``), by owner and name."""
    parts = [
        select(literal(record_type), owner, model.name).where(
            col(owner).in_(bindparam(f"{record_type}_ids", expanding=True))
        )
        for record_type, owner, model in (
            ("person", PersonAlias.person_id, PersonAlias),
            ("organisation", OrganisationAlias.organisation_id, OrganisationAlias),
        )
    ]
    rows = union_all(*parts).subquery()
    return sa_select(rows).order_by(rows.c[1], rows.c[2])


def _aliases(session: Session, keys: list[tuple[str, int]]) -> dict[tuple[str, int], list[str]]:
    """Alias names of the persons and organisations among ``keys``, by name (the unique index's order)."""
    found: dict[tuple[str, int], list[str]] = {}
    ids = {f"{kind}_ids": [i for t, i in keys if t == kind] for kind in ("person", "organisation")}
    if not any(ids.values()):
        return found
    for record_type, owner_id, name in session.connection().execute(_aliases_statement(), ids):
        found.setdefault((record_type, owner_id), []).append(name)
    return found


@functools.cache
def _docs_statement() -> Any:
    """The search documents of some records, their ids bound per record type (``<type>_ids``)."""
    columns = (SearchDoc.id, SearchDoc.record_type, SearchDoc.record_id, SearchDoc.title, SearchDoc.body)
    return sa_select(*(col(c) for c in columns)).where(
        or_(
            *(
                and_(
                    col(SearchDoc.record_type) == record_type,
                    col(SearchDoc.record_id).in_(bindparam(f"{record_type}_ids", expanding=True)),
                )
                for record_type in SEARCHABLE
            )
        )
    )


def _existing_docs(session: Session, keys: list[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    """(id, record type, record id, title, body) of the records' search documents."""
    if not keys:
        return {}
    ids = {f"{kind}_ids": [i for t, i in keys if t == kind] for kind in SEARCHABLE}
    rows = session.connection().execute(_docs_statement(), ids)
    return {(doc.record_type, doc.record_id): doc for doc in rows}


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def _source(source: Source, _aliases: list[str]) -> tuple[str, str]:
    return source.title or source.input, _join(source.publisher, source.url, source.text)


def _person(person: Person, aliases: list[str]) -> tuple[str, str]:
    return person.name, _join(" ".join(aliases), person.description, person.country)


def _organisation(organisation: Organisation, aliases: list[str]) -> tuple[str, str]:
    return organisation.name, _join(" ".join(aliases), organisation.description, organisation.country)


def _case(case: Case, _aliases: list[str]) -> tuple[str, str]:
    return case.name, _join(case.summary, case.country, case.status)


def _event(event: Event, _aliases: list[str]) -> tuple[str, str]:
    return event.summary or event.kind, _join(event.kind, event.location, event.date)


_BUILDERS: dict[str, Any] = {
    "source": _source,
    "person": _person,
    "organisation": _organisation,
    "case": _case,
    "event": _event,
}
