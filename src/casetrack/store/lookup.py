"""Finding one record from what a user types: an id, a name, an alias or a unique prefix.

Every command that takes a record argument goes through :func:`find`, so they
all behave alike: ``12`` or ``#12`` is an id; otherwise the text is compared by
its matching key (:func:`casetrack.ingest.names.name_key`, which folds case,
diacritics and script) with canonical names, then aliases, then as a prefix of
either. Exactly one match wins; several raise :class:`Ambiguous` listing them;
none raises :class:`NotFound`. A merged record resolves to the record it was
merged into, so old ids in notes and scripts keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from casetrack.errors import Ambiguous, NotFound, UsageError
from casetrack.ingest.names import name_key
from casetrack.models import (
    Case,
    Event,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Source,
)

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
    model: Any
    alias_model: Any | None
    alias_fk: str | None


_NAMED = {
    "person": _Named(Person, PersonAlias, "person_id"),
    "organisation": _Named(Organisation, OrganisationAlias, "organisation_id"),
    "case": _Named(Case, None, None),
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
    """The one live record of ``kind`` that ``ref`` names."""
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


def _model(kind: str) -> Any:
    return {"event": Event, "source": Source}.get(kind) or _NAMED[kind].model


def get(session: Session, model: Any, record_id: int | None) -> Any:
    """``session.get`` for an id that may be out of the column's range (then None, never a database error)."""
    return session.get(model, record_id) if record_id is not None and 0 <= record_id <= MAX_ID else None


def _by_id(session: Session, kind: str, record_id: int, ref: str) -> Any:
    record = get(session, _model(kind), record_id)
    seen = set()
    while record is not None and getattr(record, "merged_into_id", None) and record.id not in seen:
        seen.add(record.id)
        record = session.get(_model(kind), record.merged_into_id)
    if record is None:
        raise NotFound(
            f"no {kind} with id {record_id} ({ref!r})",
            hint=f"list them with `casetrack list {_LIST_COMMAND[kind]}`",
        )
    return record


def _live(model: Any) -> Any:
    return model.merged_into_id.is_(None) if hasattr(model, "merged_into_id") else True


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
    model = named.model
    rows = {r.id: r for r in session.exec(select(model).where(model.name_key == key, _live(model)))}
    if named.alias_model is not None:
        alias = named.alias_model
        owner_id = getattr(alias, named.alias_fk)  # type: ignore[arg-type]
        query = select(model).join(alias, owner_id == model.id).where(alias.key == key, _live(model))
        rows.update({r.id: r for r in session.exec(query)})
    return _resolve_merged(session, model, rows)


def _prefix(session: Session, named: _Named, key: str) -> list[Any]:
    model = named.model
    pattern = _like_prefix(key)
    conditions = [model.name_key.like(pattern, escape="\\")]
    rows = {r.id: r for r in session.exec(select(model).where(or_(*conditions), _live(model)).limit(50))}
    if named.alias_model is not None:
        alias = named.alias_model
        owner_id = getattr(alias, named.alias_fk)  # type: ignore[arg-type]
        query = (
            select(model)
            .join(alias, owner_id == model.id)
            .where(alias.key.like(pattern, escape="\\"), _live(model))
            .limit(50)
        )
        rows.update({r.id: r for r in session.exec(query)})
    return _resolve_merged(session, model, rows)


def _resolve_merged(session: Session, model: Any, rows: dict[int, Any]) -> list[Any]:
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
    """'#12 Rita Karasartova (KG)': how a candidate is listed."""
    label = getattr(record, "name", None) or getattr(record, "title", None) or getattr(record, "summary", "")
    country = getattr(record, "country", None)
    return f"#{record.id} {label}" + (f" ({country})" if country else "")


def _source_by_text(session: Session, ref: str) -> Any:
    text = ref.strip()
    rows = list(session.exec(select(Source).where(or_(col(Source.url) == text, col(Source.input) == text))))
    if not rows and len(text) >= 6 and all(c in "0123456789abcdef" for c in text.lower()):
        rows = list(session.exec(select(Source).where(col(Source.sha256).like(text.lower() + "%")).limit(20)))
    if len(rows) == 1:
        return rows[0]
    if rows:
        latest = [r for r in rows if not _is_superseded(session, r)]
        if len(latest) == 1:
            return latest[0]
        raise _ambiguous("source", ref, rows)
    raise NotFound(
        f"no source with id, URL, input path or sha256 prefix {ref!r}",
        hint="list them with `casetrack list sources`",
    )


def _is_superseded(session: Session, source: Source) -> bool:
    return session.exec(select(Source.id).where(Source.previous_id == source.id)).first() is not None
