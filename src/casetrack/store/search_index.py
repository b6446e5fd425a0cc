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

from collections.abc import Iterable
from typing import Any

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
    text = _document(session, record_type, record_id)
    if text is None:
        remove(session, record_type, record_id)
        return False
    title, body = text
    existing = session.exec(
        select(SearchDoc).where(SearchDoc.record_type == record_type, SearchDoc.record_id == record_id)
    ).first()
    if existing is None:
        session.add(SearchDoc(record_type=record_type, record_id=record_id, title=title, body=body))
    elif (existing.title, existing.body) != (title, body):
        existing.title, existing.body = title, body
        session.add(existing)
    session.flush()
    return True


def refresh_many(session: Session, records: Iterable[tuple[str, int]]) -> None:
    for record_type, record_id in dict.fromkeys(records):
        refresh(session, record_type, record_id)


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
        for record_id in session.exec(select(model.id)).all():
            count += refresh(session, record_type, record_id)
    return count


_MODELS: dict[str, Any] = {
    "source": Source,
    "person": Person,
    "organisation": Organisation,
    "case": Case,
    "event": Event,
}


def _document(session: Session, record_type: str, record_id: int) -> tuple[str, str] | None:
    model = _MODELS.get(record_type)
    if model is None:
        raise ValueError(f"not a searchable record type: {record_type}")
    record = session.get(model, record_id)
    if record is None or getattr(record, "merged_into_id", None):
        return None
    return _BUILDERS[record_type](session, record)


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def _source(session: Session, source: Source) -> tuple[str, str]:
    return source.title or source.input, _join(source.publisher, source.url, source.text)


def _person(session: Session, person: Person) -> tuple[str, str]:
    aliases = session.exec(select(PersonAlias.name).where(PersonAlias.person_id == person.id)).all()
    return person.name, _join(" ".join(aliases), person.description, person.country)


def _organisation(session: Session, organisation: Organisation) -> tuple[str, str]:
    aliases = session.exec(
        select(OrganisationAlias.name).where(OrganisationAlias.organisation_id == organisation.id)
    ).all()
    return organisation.name, _join(" ".join(aliases), organisation.description, organisation.country)


def _case(session: Session, case: Case) -> tuple[str, str]:
    return case.name, _join(case.summary, case.country, case.status)


def _event(session: Session, event: Event) -> tuple[str, str]:
    return event.summary or event.kind, _join(event.kind, event.location, event.date)


_BUILDERS: dict[str, Any] = {
    "source": _source,
    "person": _person,
    "organisation": _organisation,
    "case": _case,
    "event": _event,
}
