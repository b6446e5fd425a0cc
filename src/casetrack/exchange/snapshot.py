"""The export snapshot: the whole live record as one JSON-ready dict.

``{"sources": [...], "persons": [...], "organisations": [...], "cases": [...], "events": [...]}``

Every item has the shape of the ingest JSON contract (:mod:`casetrack.ingest.types`)
plus what a curated record adds: its ``id``, ``origin``, ``curated_fields`` and
``citations`` (``[{"source_id", "quote", "span": [start, end], "field"}]``).
Relations are nested where they belong -- a person's ``memberships``, a case's
``parties`` and ``charges``, an event's ``participants`` -- and carry both the
name (readable, as in the ingest contract) and the id (unambiguous:
``organisation_id``, ``person_id``, ``case_id``). Dates are
``{"date", "precision", "inferred"}``.

Merged-away persons and organisations are left out (they live on in the record
they were merged into); the order is by id everywhere, so two exports of the
same record are byte-identical. Every exporter (JSON, YAML, CSV, FtM) and the
importer in :mod:`casetrack.exchange.load` speak this one shape. Everything is
read with one query per table, never one per row.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from casetrack.dates import PartialDate
from casetrack.models import (
    Case,
    CaseParty,
    Charge,
    Citation,
    Event,
    EventParticipant,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Source,
)
from casetrack.vocab import Precision

KEYS = ("sources", "persons", "organisations", "cases", "events")


def date_json(value: str | None, precision: str | None, inferred: bool = False) -> dict[str, Any]:
    if value is None:
        return PartialDate.unknown().to_json()
    return PartialDate(value, Precision(precision or "unknown"), bool(inferred)).to_json()


def _fact(row: Any) -> dict[str, Any]:
    return {"origin": row.origin, "curated_fields": json.loads(row.curated_fields or "[]")}


class _Citations:
    def __init__(self, session: Session) -> None:
        self._by_record: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        rows = session.exec(
            select(Citation).order_by(
                col(Citation.record_type),
                col(Citation.record_id),
                col(Citation.source_id),
                col(Citation.start),
                col(Citation.id),
            )
        )
        for c in rows:
            span = [c.start, c.end] if c.start is not None and c.end is not None else None
            self._by_record[(c.record_type, c.record_id)].append(
                {"source_id": c.source_id, "quote": c.quote, "span": span, "field": c.field}
            )

    def __call__(self, record_type: str, record_id: int | None) -> list[dict[str, Any]]:
        return list(self._by_record.get((record_type, record_id or 0), []))


def _aliases(session: Session, model: Any, owner: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for alias in session.exec(select(model).order_by(col(model.id))):
        found[getattr(alias, owner)].append(alias.name)
    return found


def build(session: Session, *, with_raw: bool = False) -> dict[str, Any]:
    """The snapshot of everything live in the database."""
    cite = _Citations(session)
    persons = {p.id: p for p in session.exec(select(Person).order_by(col(Person.id)))}
    orgs = {o.id: o for o in session.exec(select(Organisation).order_by(col(Organisation.id)))}
    cases = {c.id: c for c in session.exec(select(Case).order_by(col(Case.id)))}
    names: dict[tuple[str, Any], str] = {("person", i): p.name for i, p in persons.items()} | {
        ("organisation", i): o.name for i, o in orgs.items()
    }
    return {
        "sources": [_source(s, with_raw) for s in session.exec(select(Source).order_by(col(Source.id)))],
        "persons": _persons(session, persons, orgs, cite),
        "organisations": _organisations(session, orgs, cite),
        "cases": _cases(session, cases, persons, names, cite),
        "events": _events(session, cases, names, cite),
    }


def _source(s: Source, with_raw: bool) -> dict[str, Any]:
    item = {
        "id": s.id,
        "input": s.input,
        "title": s.title,
        "publisher": s.publisher,
        "url": s.url,
        "language": s.language,
        "published": date_json(s.published, s.published_precision, s.published_inferred)
        | {"evidence": s.published_evidence},
        "retrieved": date_json(s.retrieved, s.retrieved_precision) | {"evidence": s.retrieved_evidence},
        "retrieved_at": s.retrieved_at.isoformat() if s.retrieved_at else None,
        "sha256": s.sha256,
        "media_type": s.media_type,
        "encoding": s.encoding,
        "size": s.size,
        "previous_id": s.previous_id,
        "ingested_by": s.ingested_by,
        "text": s.text,
    }
    if with_raw:
        item["raw_base64"] = base64.b64encode(s.raw).decode("ascii")
    return item


def _persons(
    session: Session, persons: dict[Any, Person], orgs: dict[Any, Organisation], cite: _Citations
) -> list[dict[str, Any]]:
    aliases = _aliases(session, PersonAlias, "person_id")
    memberships: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for m in session.exec(select(Membership).order_by(col(Membership.id))):
        org = orgs.get(m.organisation_id)
        memberships[m.person_id].append(
            {
                "id": m.id,
                "organisation": org.name if org else None,
                "organisation_id": m.organisation_id,
                "role": m.role,
                "start": date_json(m.start, m.start_precision),
                "end": date_json(m.end, m.end_precision),
            }
            | _fact(m)
            | {"citations": cite("membership", m.id)}
        )
    return [
        {
            "id": p.id,
            "name": p.name,
            "aliases": aliases.get(p.id or 0, []),
            "description": p.description,
            "country": p.country,
            "birth_date": date_json(p.birth_date, p.birth_date_precision),
            "notes": p.notes,
            "memberships": memberships.get(p.id or 0, []),
        }
        | _fact(p)
        | {"citations": cite("person", p.id)}
        for p in persons.values()
        if p.merged_into_id is None
    ]


def _organisations(session: Session, orgs: dict[Any, Organisation], cite: _Citations) -> list[dict[str, Any]]:
    aliases = _aliases(session, OrganisationAlias, "organisation_id")
    return [
        {
            "id": o.id,
            "name": o.name,
            "aliases": aliases.get(o.id or 0, []),
            "kind": o.kind,
            "country": o.country,
            "description": o.description,
            "notes": o.notes,
        }
        | _fact(o)
        | {"citations": cite("organisation", o.id)}
        for o in orgs.values()
        if o.merged_into_id is None
    ]


def _cases(
    session: Session,
    cases: dict[Any, Case],
    persons: dict[Any, Person],
    names: dict[tuple[str, Any], str],
    cite: _Citations,
) -> list[dict[str, Any]]:
    parties: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for party in session.exec(select(CaseParty).order_by(col(CaseParty.id))):
        ref = _party_ref(party.person_id, party.organisation_id, names)
        parties[party.case_id].append(
            {"id": party.id}
            | ref
            | {"role": party.role}
            | _fact(party)
            | {"citations": cite("case_party", party.id)}
        )
    charges: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for charge in session.exec(select(Charge).order_by(col(Charge.id))):
        person = persons.get(charge.person_id)
        charges[charge.case_id].append(
            {
                "id": charge.id,
                "person": person.name if person else None,
                "person_id": charge.person_id,
                "charge": charge.description,
                "legal_article": charge.article,
                "legal_article_raw": charge.article_raw,
                "code": charge.code,
                "max_penalty": charge.max_penalty,
                "sentence": charge.sentence,
                "date": date_json(charge.date, charge.date_precision, charge.date_inferred),
            }
            | _fact(charge)
            | {"citations": cite("charge", charge.id)}
        )
    return [
        {
            "id": c.id,
            "name": c.name,
            "country": c.country,
            "status": c.status,
            "summary": c.summary,
            "notes": c.notes,
            "parties": parties.get(c.id or 0, []),
            "charges": charges.get(c.id or 0, []),
        }
        | _fact(c)
        | {"citations": cite("case", c.id)}
        for c in cases.values()
    ]


def _party_ref(
    person_id: int | None, org_id: int | None, names: dict[tuple[str, Any], str]
) -> dict[str, Any]:
    if person_id is not None:
        return {"name": names.get(("person", person_id)), "person_id": person_id}
    return {"name": names.get(("organisation", org_id or 0)), "organisation_id": org_id}


def _events(
    session: Session, cases: dict[Any, Case], names: dict[tuple[str, Any], str], cite: _Citations
) -> list[dict[str, Any]]:
    participants: dict[int, list[EventParticipant]] = defaultdict(list)
    for p in session.exec(select(EventParticipant).order_by(col(EventParticipant.id))):
        participants[p.event_id].append(p)
    items = []
    for e in session.exec(select(Event).order_by(col(Event.id))):
        taking_part = participants.get(e.id or 0, [])
        case = cases.get(e.case_id)
        items.append(
            {
                "id": e.id,
                "kind": e.kind,
                "date": date_json(e.date, e.date_precision, e.date_inferred),
                "summary": e.summary,
                "location": e.location,
                "persons": [names.get(("person", p.person_id)) for p in taking_part if p.person_id],
                "organisations": [
                    names.get(("organisation", p.organisation_id)) for p in taking_part if p.organisation_id
                ],
                "actors": [
                    _party_ref(p.person_id, p.organisation_id, names)["name"]
                    for p in taking_part
                    if p.role == "actor"
                ],
                "case": case.name if case else None,
                "case_id": e.case_id,
                "figures": json.loads(e.figures or "{}"),
                "participants": [
                    _party_ref(p.person_id, p.organisation_id, names) | {"role": p.role, "origin": p.origin}
                    for p in taking_part
                ],
            }
            | _fact(e)
            | {"citations": cite("event", e.id)}
        )
    return items


#: Fields that are private to the team that keeps the record: left out of ``--public`` exports.
PRIVATE_FIELDS = ("notes",)


def public(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A copy of the snapshot without private fields, at any depth."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in PRIVATE_FIELDS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return {key: strip(items) for key, items in snapshot.items()}
