# mypy: disable-error-code="call-overload,arg-type,union-attr,attr-defined,misc,var-annotated,unused-ignore,operator"
"""Read side of the record: listings with combinable filters, ``show`` views and timelines.

Everything returned is a plain frozen dataclass, never a live ORM object, so the
renderers cannot trigger lazy loads and a view can be serialised as it is.

Design rules, all for scale:

* **Index-backed filters.** Every filter becomes ``id IN (SELECT ... )`` over an
  indexed foreign key (case_party.person_id, event_participant.event_id,
  citation(record_type, record_id), ...) so filters combine freely and the
  planner never scans a whole table.
* **No query per row.** Related rows (aliases, parties, charges, participants,
  citations and their sources) are loaded in batches with ``IN`` over the ids of
  the page being shown: a ``show person`` costs a fixed number of queries
  whatever the size of the record.
* **Dates keep their precision.** ``--since/--until`` compare the first and last
  day an event's date can denote (``event.date_min/date_max``): an event dated
  "2024-05" is *within* 2024-05-01..2024-05-31 and is flagged ``uncertain`` for
  any narrower range it overlaps. Events without a year (undated, or "--07-04")
  are never ordered as if dated: timelines list them apart.
* **Merged records are hidden**: only rows with ``merged_into_id IS NULL``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from casetrack.dates import PartialDate
from casetrack.errors import InvalidValue, UsageError
from casetrack.ingest.names import name_key
from casetrack.models import (
    Case,
    CaseParty,
    Charge,
    Citation,
    Conflict,
    Event,
    EventParticipant,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Source,
)
from casetrack.store import lookup
from casetrack.vocab import Precision

LATEST_EVENTS = 10

# --- Views ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CitationView:
    source_id: int
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    retrieved: str | None
    sha256: str
    quote: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class ConflictView:
    """An extracted value that disagrees with a curated one: shown, never applied."""

    field: str
    curated_value: str | None
    extracted_value: str | None
    source_id: int | None
    source: str | None
    #: The source's sentence for it (its own citation of the field, else one holding the value, else the value).
    citation: CitationView | None = None


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    name: str
    country: str | None
    description: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OrgRow:
    id: int
    name: str
    kind: str
    country: str | None
    description: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: int
    name: str
    country: str | None
    status: str
    summary: str | None


@dataclass(frozen=True, slots=True)
class SourceRow:
    id: int
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    retrieved: str | None
    sha256: str


@dataclass(frozen=True, slots=True)
class Participant:
    kind: str  # "person" | "organisation"
    id: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    kind: str
    date: PartialDate
    summary: str
    location: str | None
    case_id: int | None
    case_name: str | None
    uncertain: bool = False
    participants: tuple[Participant, ...] = ()
    citations: tuple[CitationView, ...] = ()

    @property
    def date_display(self) -> str:
        text = self.date.display()
        return f"{text} (uncertain for this range)" if self.uncertain else text


@dataclass(frozen=True, slots=True)
class ChargeView:
    id: int
    person_id: int | None
    person_name: str | None
    description: str | None
    article: str | None
    article_raw: str | None
    code: str | None
    max_penalty: str | None
    sentence: str | None
    date: PartialDate
    citations: tuple[CitationView, ...] = ()


@dataclass(frozen=True, slots=True)
class PartyView:
    kind: str
    id: int
    name: str
    role: str
    citations: tuple[CitationView, ...] = ()


@dataclass(frozen=True, slots=True)
class MembershipView:
    person_id: int
    person_name: str
    organisation_id: int
    organisation_name: str
    role: str | None
    start: PartialDate
    end: PartialDate
    citations: tuple[CitationView, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseRoleView:
    case_id: int
    name: str
    role: str
    status: str
    country: str | None
    charges: tuple[ChargeView, ...] = ()
    citations: tuple[CitationView, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonView:
    id: int
    name: str
    aliases: tuple[str, ...]
    description: str | None
    country: str | None
    birth_date: PartialDate
    notes: str | None
    memberships: tuple[MembershipView, ...]
    cases: tuple[CaseRoleView, ...]
    events: tuple[EventRow, ...]
    source_count: int
    citations: tuple[CitationView, ...]
    conflicts: tuple[ConflictView, ...] = ()


@dataclass(frozen=True, slots=True)
class OrgView:
    id: int
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None
    description: str | None
    notes: str | None
    members: tuple[MembershipView, ...]
    cases: tuple[CaseRoleView, ...]
    events: tuple[EventRow, ...]
    source_count: int
    citations: tuple[CitationView, ...]
    conflicts: tuple[ConflictView, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseView:
    id: int
    name: str
    country: str | None
    status: str
    summary: str | None
    notes: str | None
    parties: tuple[PartyView, ...]
    charges: tuple[ChargeView, ...]
    status_history: tuple[EventRow, ...]
    timeline: Timeline
    source_count: int
    citations: tuple[CitationView, ...]
    conflicts: tuple[ConflictView, ...] = ()


@dataclass(frozen=True, slots=True)
class ExtractedFact:
    record_type: str
    record_id: int
    label: str
    field: str | None
    quote: str


@dataclass(frozen=True, slots=True)
class SourceView:
    source: SourceRow
    input: str
    language: str | None
    media_type: str
    size: int
    previous_id: int | None
    facts: tuple[ExtractedFact, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    dated: tuple[EventRow, ...]
    undated: tuple[EventRow, ...]


@dataclass(slots=True)
class Filters:
    """The options of ``casetrack list``; every filter given must hold (AND)."""

    country: str | None = None
    status: str | None = None
    role: str | None = None
    org: str | None = None
    case: str | None = None
    charge: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None
    q: str | None = None
    person: str | None = None
    sort: str | None = None
    limit: int = 50
    offset: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


# --- Date ranges ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayRange:
    first: str | None
    last: str | None

    def contains(self, date_min: str | None, date_max: str | None) -> bool:
        """True when every day the date can denote lies in the range (not merely overlaps)."""
        if date_min is None or date_max is None:
            return False
        return (self.first is None or date_min >= self.first) and (self.last is None or date_max <= self.last)


def day_range(since: str | None, until: str | None) -> DayRange | None:
    """--since 2024-05 means from 2024-05-01; --until 2024-05 up to 2024-05-31."""
    if not since and not until:
        return None
    first = _bound(since, "--since", 0)
    last = _bound(until, "--until", 1)
    if first and last and first > last:
        raise UsageError(f"--since {since} is after --until {until}", hint="swap them")
    return DayRange(first, last)


def _bound(text: str | None, option: str, index: int) -> str | None:
    if not text:
        return None
    try:
        bounds = PartialDate.parse(text).bounds()
    except ValueError as exc:
        raise InvalidValue(f"{option}: {exc}") from None
    if bounds is None:
        raise InvalidValue(f"{option} {text!r} has no year", hint="give YYYY, YYYY-MM or YYYY-MM-DD")
    return bounds[index]


def _event_in_range(rng: DayRange) -> Any:
    conditions = [Event.date_min.is_not(None)]  # type: ignore[union-attr]
    if rng.first:
        conditions.append(Event.date_max >= rng.first)  # type: ignore[operator]
    if rng.last:
        conditions.append(Event.date_min <= rng.last)  # type: ignore[operator]
    return and_(*conditions)


# --- Resolving filter arguments -------------------------------------------------------------


def _ids(session: Session, kind: str, ref: str | None) -> int | None:
    return None if not ref else int(lookup.find(session, kind, ref).id)


def _charge_condition(text: str) -> Any:
    like = f"%{_escape_like(text)}%"
    return or_(
        func.lower(Charge.article).like(like.lower(), escape="\\"),
        func.lower(Charge.article_raw).like(like.lower(), escape="\\"),
        func.lower(Charge.description).like(like.lower(), escape="\\"),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_like(column: Any, text: str) -> Any:
    return column.like(f"%{_escape_like(name_key(text))}%", escape="\\")


def _cited_by(record_type: str, source_id: int) -> Any:
    return select(Citation.record_id).where(
        Citation.record_type == record_type, Citation.source_id == source_id
    )


def _page(query: Any, filters: Filters) -> Any:
    if filters.limit < 0 or filters.offset < 0:
        raise UsageError("--limit and --offset must not be negative")
    return query.limit(filters.limit).offset(filters.offset)


def _order(query: Any, filters: Filters, columns: dict[str, Any], default: str) -> Any:
    key = filters.sort or default
    descending = key.startswith("-")
    column = columns.get(key.lstrip("-"))
    if column is None:
        raise UsageError(
            f"cannot sort by {key!r}", hint="use one of: " + ", ".join(columns) + " (prefix - for descending)"
        )
    return query.order_by(column.desc() if descending else column.asc(), columns["id"])


# --- Listings -------------------------------------------------------------------------------


def list_persons(session: Session, filters: Filters) -> list[PersonRow]:
    query = select(Person).where(Person.merged_into_id.is_(None))  # type: ignore[union-attr]
    if filters.country:
        query = query.where(Person.country == filters.country.upper())
    party = select(CaseParty.person_id).where(CaseParty.person_id.is_not(None))  # type: ignore[union-attr]
    party_filtered = False
    if filters.role:
        party, party_filtered = party.where(CaseParty.role == filters.role), True
    if filters.status:
        statuses = select(Case.id).where(Case.status == filters.status)
        party, party_filtered = party.where(CaseParty.case_id.in_(statuses)), True  # type: ignore[attr-defined]
    case_id = _ids(session, "case", filters.case)
    if case_id is not None:
        party, party_filtered = party.where(CaseParty.case_id == case_id), True
    if party_filtered:
        query = query.where(Person.id.in_(party))  # type: ignore[union-attr]
    org_id = _ids(session, "organisation", filters.org)
    if org_id is not None:
        members = select(Membership.person_id).where(Membership.organisation_id == org_id)
        query = query.where(Person.id.in_(members))  # type: ignore[union-attr]
    if filters.charge:
        charged = select(Charge.person_id).where(_charge_condition(filters.charge))
        query = query.where(Person.id.in_(charged))  # type: ignore[union-attr]
    rng = day_range(filters.since, filters.until)
    if filters.kind or rng:
        events = select(EventParticipant.event_id)
        in_events = select(Event.id)
        if filters.kind:
            in_events = in_events.where(Event.kind == filters.kind)
        if rng:
            in_events = in_events.where(_event_in_range(rng))
        participants = select(EventParticipant.person_id).where(
            EventParticipant.event_id.in_(in_events)  # type: ignore[attr-defined]
        )
        del events
        query = query.where(Person.id.in_(participants))  # type: ignore[union-attr]
    source_id = _ids(session, "source", filters.source)
    if source_id is not None:
        query = query.where(Person.id.in_(_cited_by("person", source_id)))  # type: ignore[union-attr]
    if filters.q:
        aliased = select(PersonAlias.person_id).where(_name_like(PersonAlias.key, filters.q))
        query = query.where(or_(_name_like(Person.name_key, filters.q), Person.id.in_(aliased)))  # type: ignore[union-attr]
    query = _order(
        query, filters, {"id": Person.id, "name": Person.name_key, "country": Person.country}, "name"
    )
    persons = list(session.exec(_page(query, filters)).scalars())  # type: ignore[call-overload]
    aliases = _aliases(session, PersonAlias, "person_id", [p.id for p in persons])
    return [PersonRow(p.id, p.name, p.country, p.description, aliases.get(p.id, ())) for p in persons]


def list_orgs(session: Session, filters: Filters) -> list[OrgRow]:
    model = Organisation
    query = select(model).where(model.merged_into_id.is_(None))  # type: ignore[union-attr]
    if filters.country:
        query = query.where(model.country == filters.country.upper())
    if filters.kind:
        query = query.where(model.kind == filters.kind)
    party = select(CaseParty.organisation_id).where(CaseParty.organisation_id.is_not(None))  # type: ignore[union-attr]
    party_filtered = False
    if filters.role:
        party, party_filtered = party.where(CaseParty.role == filters.role), True
    if filters.status:
        statuses = select(Case.id).where(Case.status == filters.status)
        party, party_filtered = party.where(CaseParty.case_id.in_(statuses)), True  # type: ignore[attr-defined]
    case_id = _ids(session, "case", filters.case)
    if case_id is not None:
        party, party_filtered = party.where(CaseParty.case_id == case_id), True
    if party_filtered:
        query = query.where(model.id.in_(party))  # type: ignore[union-attr]
    rng = day_range(filters.since, filters.until)
    if rng:
        in_events = select(Event.id).where(_event_in_range(rng))
        participants = select(EventParticipant.organisation_id).where(
            EventParticipant.event_id.in_(in_events)  # type: ignore[attr-defined]
        )
        query = query.where(model.id.in_(participants))  # type: ignore[union-attr]
    source_id = _ids(session, "source", filters.source)
    if source_id is not None:
        query = query.where(model.id.in_(_cited_by("organisation", source_id)))  # type: ignore[union-attr]
    if filters.q:
        aliased = select(OrganisationAlias.organisation_id).where(
            _name_like(OrganisationAlias.key, filters.q)
        )
        query = query.where(or_(_name_like(model.name_key, filters.q), model.id.in_(aliased)))  # type: ignore[union-attr]
    query = _order(
        query,
        filters,
        {"id": model.id, "name": model.name_key, "country": model.country, "kind": model.kind},
        "name",
    )
    orgs = list(session.exec(_page(query, filters)).scalars())  # type: ignore[call-overload]
    aliases = _aliases(session, OrganisationAlias, "organisation_id", [o.id for o in orgs])
    return [OrgRow(o.id, o.name, o.kind, o.country, o.description, aliases.get(o.id, ())) for o in orgs]


def list_cases(session: Session, filters: Filters) -> list[CaseRow]:
    query = select(Case)
    if filters.country:
        query = query.where(Case.country == filters.country.upper())
    if filters.status:
        query = query.where(Case.status == filters.status)
    person_id = _ids(session, "person", filters.person)
    org_id = _ids(session, "organisation", filters.org)
    if filters.role or person_id is not None or org_id is not None:
        party = select(CaseParty.case_id)
        if filters.role:
            party = party.where(CaseParty.role == filters.role)
        if person_id is not None:
            party = party.where(CaseParty.person_id == person_id)
        if org_id is not None:
            party = party.where(CaseParty.organisation_id == org_id)
        query = query.where(Case.id.in_(party))  # type: ignore[union-attr]
    case_id = _ids(session, "case", filters.case)
    if case_id is not None:
        query = query.where(Case.id == case_id)
    if filters.charge:
        query = query.where(Case.id.in_(select(Charge.case_id).where(_charge_condition(filters.charge))))  # type: ignore[union-attr]
    rng = day_range(filters.since, filters.until)
    if filters.kind or rng:
        events = select(Event.case_id).where(Event.case_id.is_not(None))  # type: ignore[union-attr]
        if filters.kind:
            events = events.where(Event.kind == filters.kind)
        if rng:
            events = events.where(_event_in_range(rng))
        query = query.where(Case.id.in_(events))  # type: ignore[union-attr]
    source_id = _ids(session, "source", filters.source)
    if source_id is not None:
        query = query.where(Case.id.in_(_cited_by("case", source_id)))  # type: ignore[union-attr]
    if filters.q:
        query = query.where(_name_like(Case.name_key, filters.q))
    query = _order(
        query,
        filters,
        {"id": Case.id, "name": Case.name_key, "country": Case.country, "status": Case.status},
        "id",
    )
    return [
        CaseRow(c.id, c.name, c.country, c.status, c.summary)
        for c in session.exec(_page(query, filters)).scalars()  # type: ignore[call-overload]
    ]


def list_events(session: Session, filters: Filters) -> list[EventRow]:
    query = select(Event)
    if filters.kind:
        query = query.where(Event.kind == filters.kind)
    rng = day_range(filters.since, filters.until)
    if rng:
        query = query.where(_event_in_range(rng))
    case_id = _ids(session, "case", filters.case)
    if case_id is not None:
        query = query.where(Event.case_id == case_id)
    if filters.country or filters.status:
        cases = select(Case.id)
        if filters.country:
            cases = cases.where(Case.country == filters.country.upper())
        if filters.status:
            cases = cases.where(Case.status == filters.status)
        query = query.where(Event.case_id.in_(cases))  # type: ignore[union-attr]
    person_id = _ids(session, "person", filters.person)
    org_id = _ids(session, "organisation", filters.org)
    if person_id is not None or org_id is not None or filters.role:
        participants = select(EventParticipant.event_id)
        if person_id is not None:
            participants = participants.where(EventParticipant.person_id == person_id)
        if org_id is not None:
            participants = participants.where(EventParticipant.organisation_id == org_id)
        if filters.role:
            participants = participants.where(EventParticipant.role == filters.role)
        query = query.where(Event.id.in_(participants))  # type: ignore[union-attr]
    if filters.charge:
        charged = select(Charge.case_id).where(_charge_condition(filters.charge))
        query = query.where(Event.case_id.in_(charged))  # type: ignore[union-attr]
    source_id = _ids(session, "source", filters.source)
    if source_id is not None:
        query = query.where(Event.id.in_(_cited_by("event", source_id)))  # type: ignore[union-attr]
    if filters.q:
        query = query.where(
            func.lower(Event.summary).like(f"%{_escape_like(filters.q.lower())}%", escape="\\")
        )
    query = _order(query, filters, {"id": Event.id, "date": Event.date_min, "kind": Event.kind}, "date")
    events = list(session.exec(_page(query, filters)).scalars())  # type: ignore[call-overload]
    return _event_rows(session, events, rng)


def list_sources(session: Session, filters: Filters) -> list[SourceRow]:
    query = select(Source)
    if filters.q:
        like = f"%{_escape_like(filters.q.lower())}%"
        query = query.where(
            or_(
                func.lower(Source.title).like(like, escape="\\"),
                func.lower(Source.url).like(like, escape="\\"),
            )
        )
    if filters.since:
        query = query.where(Source.published >= _bound(filters.since, "--since", 0))  # type: ignore[operator]
    if filters.until:
        query = query.where(Source.published <= _bound(filters.until, "--until", 1) + "~")  # type: ignore[operator]
    for kind, ref in (("person", filters.person), ("case", filters.case), ("organisation", filters.org)):
        record_id = _ids(session, kind, ref)
        if record_id is not None:
            cited = select(Citation.source_id).where(
                Citation.record_type == kind, Citation.record_id == record_id
            )
            query = query.where(Source.id.in_(cited))  # type: ignore[union-attr]
    query = _order(
        query, filters, {"id": Source.id, "published": Source.published, "title": Source.title}, "id"
    )
    return [_source_row(s) for s in session.exec(_page(query, filters)).scalars()]  # type: ignore[call-overload]


LISTINGS: dict[str, Callable[[Session, Filters], list[Any]]] = {
    "persons": list_persons,
    "orgs": list_orgs,
    "cases": list_cases,
    "events": list_events,
    "sources": list_sources,
}


# --- Batch loaders --------------------------------------------------------------------------


def _aliases(session: Session, model: Any, fk: str, ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not ids:
        return {}
    owner = getattr(model, fk)
    found: dict[int, list[str]] = defaultdict(list)
    for owner_id, name in session.exec(select(owner, model.name).where(owner.in_(ids)).order_by(model.id)):
        found[owner_id].append(name)
    return {k: tuple(v) for k, v in found.items()}


def _source_row(source: Source) -> SourceRow:
    return SourceRow(
        int(source.id or 0),
        source.title,
        source.publisher,
        source.url,
        source.published,
        source.retrieved,
        source.sha256,
    )


def citations_for(
    session: Session, refs: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], tuple[CitationView, ...]]:
    """Citations of many records, one query per record type, each with its source's metadata."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for record_type, record_id in refs:
        by_type[record_type].add(record_id)
    found: dict[tuple[str, int], list[CitationView]] = defaultdict(list)
    for record_type, ids in by_type.items():
        query = (
            select(
                Citation.record_id,
                Citation.field,
                Citation.quote,
                Source.id,
                Source.title,
                Source.publisher,
                Source.url,
                Source.published,
                Source.retrieved,
                Source.sha256,
            )
            .join(Source, Source.id == Citation.source_id)  # type: ignore[arg-type]
            .where(Citation.record_type == record_type, Citation.record_id.in_(sorted(ids)))  # type: ignore[attr-defined]
            .order_by(Citation.id)
        )
        for rid, fld, quote, sid, title, publisher, url, published, retrieved, sha in session.exec(query):
            found[(record_type, rid)].append(
                CitationView(sid, title, publisher, url, published, retrieved, sha, quote, fld)
            )
    return {k: tuple(v) for k, v in found.items()}


def _event_rows(session: Session, events: list[Event], rng: DayRange | None = None) -> list[EventRow]:
    ids = [int(e.id or 0) for e in events]
    case_ids = sorted({e.case_id for e in events if e.case_id is not None})
    case_names = (
        dict(session.exec(select(Case.id, Case.name).where(Case.id.in_(case_ids))).all()) if case_ids else {}
    )  # type: ignore[union-attr]
    participants = _participants(session, ids)
    cites = citations_for(session, (("event", i) for i in ids))
    rows = []
    for event in events:
        eid = int(event.id or 0)
        rows.append(
            EventRow(
                id=eid,
                kind=event.kind,
                date=_partial(event.date, event.date_precision, event.date_inferred),
                summary=event.summary,
                location=event.location,
                case_id=event.case_id,
                case_name=case_names.get(event.case_id) if event.case_id else None,
                uncertain=bool(rng) and not rng.contains(event.date_min, event.date_max),  # type: ignore[union-attr]
                participants=participants.get(eid, ()),
                citations=cites.get(("event", eid), ()),
            )
        )
    return rows


def _participants(session: Session, event_ids: list[int]) -> dict[int, tuple[Participant, ...]]:
    if not event_ids:
        return {}
    found: dict[int, list[Participant]] = defaultdict(list)
    persons = (
        select(EventParticipant.event_id, Person.id, Person.name, EventParticipant.role)
        .join(Person, Person.id == EventParticipant.person_id)  # type: ignore[arg-type]
        .where(EventParticipant.event_id.in_(event_ids))  # type: ignore[attr-defined]
    )
    for eid, pid, name, role in session.exec(persons):
        found[eid].append(Participant("person", pid, name, role))
    orgs = (
        select(EventParticipant.event_id, Organisation.id, Organisation.name, EventParticipant.role)
        .join(Organisation, Organisation.id == EventParticipant.organisation_id)  # type: ignore[arg-type]
        .where(EventParticipant.event_id.in_(event_ids))  # type: ignore[attr-defined]
    )
    for eid, oid, name, role in session.exec(orgs):
        found[eid].append(Participant("organisation", oid, name, role))
    return {k: tuple(v) for k, v in found.items()}


def _partial(value: str | None, precision: str, inferred: bool = False) -> PartialDate:
    if not value:
        return PartialDate.unknown()
    try:
        return PartialDate(value, Precision(precision), inferred)
    except ValueError:
        return PartialDate.parse(value, inferred=inferred)


def _charges(session: Session, condition: Any) -> list[ChargeView]:
    query = (
        select(Charge, Person.name)
        .outerjoin(Person, Person.id == Charge.person_id)  # type: ignore[arg-type]
        .where(condition)
        .order_by(Charge.id)
    )
    rows = list(session.exec(query))
    cites = citations_for(session, (("charge", int(c.id or 0)) for c, _ in rows))
    return [
        ChargeView(
            int(c.id or 0),
            c.person_id,
            pname,
            c.description,
            c.article,
            c.article_raw,
            c.code,
            c.max_penalty,
            c.sentence,
            _partial(c.date, c.date_precision, c.date_inferred),
            cites.get(("charge", int(c.id or 0)), ()),
        )
        for c, pname in rows
    ]


def _memberships(session: Session, condition: Any) -> list[MembershipView]:
    query = (
        select(Membership, Person.name, Organisation.name)
        .join(Person, Person.id == Membership.person_id)  # type: ignore[arg-type]
        .join(Organisation, Organisation.id == Membership.organisation_id)  # type: ignore[arg-type]
        .where(condition)
        .order_by(Membership.id)
    )
    rows = list(session.exec(query))
    cites = citations_for(session, (("membership", int(m.id or 0)) for m, _, _ in rows))
    return [
        MembershipView(
            m.person_id,
            pname,
            m.organisation_id,
            oname,
            m.role,
            _partial(m.start, m.start_precision),
            _partial(m.end, m.end_precision),
            cites.get(("membership", int(m.id or 0)), ()),
        )
        for m, pname, oname in rows
    ]


def _case_roles(session: Session, party_condition: Any, charge_person: int | None) -> list[CaseRoleView]:
    query = (
        select(CaseParty, Case)
        .join(Case, Case.id == CaseParty.case_id)  # type: ignore[arg-type]
        .where(party_condition)
        .order_by(Case.id)
    )
    rows = list(session.exec(query))
    case_ids = sorted({c.id for _, c in rows})
    charge_condition = Charge.case_id.in_(case_ids)  # type: ignore[attr-defined]
    if charge_person is not None:
        charge_condition = and_(
            charge_condition, or_(Charge.person_id == charge_person, Charge.person_id.is_(None))
        )  # type: ignore[union-attr]
    charges: dict[int, list[ChargeView]] = defaultdict(list)
    if case_ids:
        for charge, case_id in zip(
            _charges(session, charge_condition),
            session.exec(select(Charge.case_id).where(charge_condition).order_by(Charge.id)).scalars(),
            strict=True,
        ):
            charges[case_id].append(charge)
    cites = citations_for(session, (("case_party", int(p.id or 0)) for p, _ in rows))
    return [
        CaseRoleView(
            int(c.id or 0),
            c.name,
            p.role,
            c.status,
            c.country,
            tuple(charges.get(int(c.id or 0), ())),
            cites.get(("case_party", int(p.id or 0)), ()),
        )
        for p, c in rows
    ]


def _source_count(session: Session, refs: list[tuple[str, list[int]]]) -> int:
    conditions = [
        and_(Citation.record_type == kind, Citation.record_id.in_(ids))  # type: ignore[attr-defined]
        for kind, ids in refs
        if ids
    ]
    if not conditions:
        return 0
    return int(
        session.exec(
            select(func.count(func.distinct(Citation.source_id))).where(or_(*conditions))
        ).scalar_one()
    )


def _latest_events(
    session: Session, participant_condition: Any, limit: int = LATEST_EVENTS
) -> list[EventRow]:
    """The newest dated events, then undated ones (most recently recorded first) up to ``limit``."""
    theirs = select(EventParticipant.event_id).where(participant_condition)
    dated = select(Event).where(Event.date_min.is_not(None))  # type: ignore[union-attr]
    if _takes_part_in_many(session, theirs):
        dated = dated.where(
            select(EventParticipant.event_id)
            .where(EventParticipant.event_id == Event.id, participant_condition)
            .exists()
        )
    else:
        dated = dated.where(Event.id.in_(theirs))  # type: ignore[union-attr]
    newest = dated.order_by(Event.date_min.desc(), Event.id.desc()).limit(limit)  # type: ignore[union-attr]
    events = list(session.exec(newest).scalars())  # type: ignore[call-overload]
    if len(events) < limit:
        undated = (
            select(Event)
            .where(Event.id.in_(theirs), Event.date_min.is_(None))  # type: ignore[union-attr]
            .order_by(Event.id.desc())  # type: ignore[union-attr]
            .limit(limit - len(events))
        )
        events += session.exec(undated).scalars()  # type: ignore[call-overload]
    return _event_rows(session, events)


MANY_EVENTS = 2000
"""Above this many events, a record's newest are found walking the date index (stopping at
``limit``) instead of sorting all of them: a hub in 160,000 of a million events took 0.2 s."""


def _takes_part_in_many(session: Session, theirs: Any) -> bool:
    capped = theirs.limit(MANY_EVENTS + 1).subquery()
    return int(session.exec(select(func.count()).select_from(capped)).scalar_one()) > MANY_EVENTS  # type: ignore[call-overload]


# --- Show -----------------------------------------------------------------------------------


def show_person(session: Session, ref: str) -> PersonView:
    person = lookup.find(session, "person", ref)
    pid = int(person.id)
    aliases = _aliases(session, PersonAlias, "person_id", [pid]).get(pid, ())
    memberships = _memberships(session, Membership.person_id == pid)
    cases = _case_roles(session, CaseParty.person_id == pid, pid)
    events = _latest_events(session, EventParticipant.person_id == pid)
    charge_ids = [ch.id for c in cases for ch in c.charges]
    party_ids = list(session.exec(select(CaseParty.id).where(CaseParty.person_id == pid)).scalars())
    count = _source_count(
        session,
        [
            ("person", [pid]),
            ("charge", charge_ids),
            ("case_party", party_ids),
            ("event", [e.id for e in events]),
            (
                "membership",
                list(session.exec(select(Membership.id).where(Membership.person_id == pid)).scalars()),
            ),
        ],
    )
    return PersonView(
        id=pid,
        name=person.name,
        aliases=aliases,
        description=person.description,
        country=person.country,
        birth_date=_partial(person.birth_date, person.birth_date_precision),
        notes=person.notes,
        memberships=tuple(memberships),
        cases=tuple(cases),
        events=tuple(events),
        source_count=count,
        citations=citations_for(session, [("person", pid)]).get(("person", pid), ()),
        conflicts=open_conflicts(session, "person", pid),
    )


def show_org(session: Session, ref: str) -> OrgView:
    org = lookup.find(session, "organisation", ref)
    oid = int(org.id)
    members = _memberships(session, Membership.organisation_id == oid)
    cases = _case_roles(session, CaseParty.organisation_id == oid, None)
    events = _latest_events(session, EventParticipant.organisation_id == oid)
    count = _source_count(session, [("organisation", [oid]), ("event", [e.id for e in events])])
    return OrgView(
        id=oid,
        name=org.name,
        aliases=_aliases(session, OrganisationAlias, "organisation_id", [oid]).get(oid, ()),
        kind=org.kind,
        country=org.country,
        description=org.description,
        notes=org.notes,
        members=tuple(members),
        cases=tuple(cases),
        events=tuple(events),
        source_count=count,
        citations=citations_for(session, [("organisation", oid)]).get(("organisation", oid), ()),
        conflicts=open_conflicts(session, "organisation", oid),
    )


def show_case(session: Session, ref: str) -> CaseView:
    case = lookup.find(session, "case", ref)
    cid = int(case.id)
    parties = _parties(session, cid)
    charges = _charges(session, Charge.case_id == cid)
    line = timeline(session, case=str(cid), limit=None)
    status_kinds = {
        "arrest",
        "detention",
        "charge",
        "trial",
        "verdict",
        "sentence",
        "appeal",
        "release",
        "acquittal",
        "pardon",
    }
    history = tuple(e for e in line.dated if e.kind in status_kinds)
    events = [e.id for e in (*line.dated, *line.undated)]
    count = _source_count(session, [("case", [cid]), ("charge", [c.id for c in charges]), ("event", events)])
    return CaseView(
        id=cid,
        name=case.name,
        country=case.country,
        status=case.status,
        summary=case.summary,
        notes=case.notes,
        parties=tuple(parties),
        charges=tuple(charges),
        status_history=history,
        timeline=line,
        source_count=count,
        citations=citations_for(session, [("case", cid)]).get(("case", cid), ()),
        conflicts=open_conflicts(session, "case", cid),
    )


def open_conflicts(session: Session, record_type: str, record_id: int) -> tuple[ConflictView, ...]:
    """Open conflicts of one record: the curated value kept, the extracted one and its source."""
    rows = list(
        session.exec(
            select(
                Conflict,
                Source.title,
                Source.url,
                Source.input,
                Source.publisher,
                Source.published,
                Source.retrieved,
                Source.sha256,
            )
            .outerjoin(Source, Source.id == Conflict.source_id)  # type: ignore[arg-type]
            .where(
                Conflict.record_type == record_type,
                Conflict.record_id == record_id,
                Conflict.status == "open",
            )
            .order_by(Conflict.field, Conflict.id)
        )
    )
    if not rows:
        return ()
    cited = citations_for(session, [(record_type, record_id)]).get((record_type, record_id), ())
    views = []
    for c, title, url, path, publisher, published, retrieved, sha in rows:
        citation = None
        if c.source_id is not None:
            quote = _conflict_quote(cited, c.source_id, c.field, c.extracted_value)
            citation = CitationView(
                c.source_id, title, publisher, url, published, retrieved, sha, quote, c.field
            )
        views.append(
            ConflictView(
                c.field, c.curated_value, c.extracted_value, c.source_id, title or url or path, citation
            )
        )
    return tuple(views)


def _conflict_quote(cited: Iterable[CitationView], source_id: int, field: str, value: str | None) -> str:
    """The source's sentence behind an extracted value: cited for the field, else holding the value."""
    from_source = [c for c in cited if c.source_id == source_id]
    for citation in from_source:
        if citation.field == field:
            return citation.quote
    for citation in from_source:
        if value and value.casefold() in citation.quote.casefold():
            return citation.quote
    return value or ""


def _parties(session: Session, case_id: int) -> list[PartyView]:
    rows = list(
        session.exec(
            select(CaseParty.id, CaseParty.role, Person.id, Person.name, Organisation.id, Organisation.name)
            .outerjoin(Person, Person.id == CaseParty.person_id)  # type: ignore[arg-type]
            .outerjoin(Organisation, Organisation.id == CaseParty.organisation_id)  # type: ignore[arg-type]
            .where(CaseParty.case_id == case_id)
            .order_by(CaseParty.id)
        )
    )
    cites = citations_for(session, (("case_party", r[0]) for r in rows))
    return [
        PartyView(
            "person" if pid else "organisation",
            pid or oid,
            pname or oname,
            role,
            cites.get(("case_party", cp), ()),
        )
        for cp, role, pid, pname, oid, oname in rows
    ]


def show_source(session: Session, ref: str) -> SourceView:
    source = lookup.find(session, "source", ref)
    cites = list(
        session.exec(
            select(Citation.record_type, Citation.record_id, Citation.field, Citation.quote)
            .where(Citation.source_id == source.id)
            .order_by(Citation.start, Citation.id)
        )
    )
    labels = _labels(session, [(t, i) for t, i, _, _ in cites])
    facts = tuple(ExtractedFact(t, i, labels.get((t, i), f"{t} #{i}"), f, q) for t, i, f, q in cites)
    return SourceView(
        _source_row(source),
        source.input,
        source.language,
        source.media_type,
        source.size,
        source.previous_id,
        facts,
    )


def show_event(session: Session, ref: str) -> EventRow:
    event = lookup.find(session, "event", ref)
    return _event_rows(session, [event])[0]


_LABEL_COLUMNS: dict[str, tuple[Any, Any]] = {
    "person": (Person.id, Person.name),
    "organisation": (Organisation.id, Organisation.name),
    "case": (Case.id, Case.name),
    "event": (Event.id, Event.summary),
    "charge": (Charge.id, func.coalesce(Charge.description, Charge.article)),
    "membership": (Membership.id, Membership.role),
    "case_party": (CaseParty.id, CaseParty.role),
}


def _labels(session: Session, refs: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    by_type: dict[str, set[int]] = defaultdict(set)
    for kind, rid in refs:
        by_type[kind].add(rid)
    labels = {}
    for kind, ids in by_type.items():
        columns = _LABEL_COLUMNS.get(kind)
        if columns is None:
            continue
        for rid, label in session.exec(select(*columns).where(columns[0].in_(sorted(ids)))):
            labels[(kind, rid)] = f"{kind} #{rid}: {label or ''}".rstrip(": ")
    return labels


# --- Timeline -------------------------------------------------------------------------------


def timeline(
    session: Session,
    *,
    person: str | None = None,
    case: str | None = None,
    org: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = 500,
) -> Timeline:
    """Events in date order at their real precision; events without a year listed apart."""
    query = select(Event)
    person_id, org_id, case_id = (
        _ids(session, "person", person),
        _ids(session, "organisation", org),
        _ids(session, "case", case),
    )
    if person_id is not None:
        query = query.where(
            Event.id.in_(select(EventParticipant.event_id).where(EventParticipant.person_id == person_id))
        )  # type: ignore[union-attr]
    if org_id is not None:
        query = query.where(
            Event.id.in_(select(EventParticipant.event_id).where(EventParticipant.organisation_id == org_id))  # type: ignore[union-attr]
        )
    if case_id is not None:
        query = query.where(Event.case_id == case_id)
    if country:
        query = query.where(Event.case_id.in_(select(Case.id).where(Case.country == country.upper())))  # type: ignore[union-attr]
    rng = day_range(since, until)
    dated_query = query.where(_event_in_range(rng) if rng else Event.date_min.is_not(None))  # type: ignore[union-attr]
    dated_query = dated_query.order_by(Event.date_min, Event.date_max, Event.id)
    undated_query = query.where(Event.date_min.is_(None)).order_by(Event.date, Event.id)  # type: ignore[union-attr]
    if limit is not None:
        dated_query, undated_query = dated_query.limit(limit), undated_query.limit(limit)
    dated = list(session.exec(dated_query).scalars())  # type: ignore[call-overload]
    undated = [] if rng else list(session.exec(undated_query).scalars())  # type: ignore[call-overload]
    rows = _event_rows(session, dated + undated, rng)
    return Timeline(tuple(rows[: len(dated)]), tuple(rows[len(dated) :]))
