"""Read side of the record: listings with combinable filters, ``show`` views and timelines.

Everything returned is a plain dataclass, never a live ORM object, so the
renderers cannot trigger lazy loads and a view can be serialised as it is.

Start-up is part of every read (issue 6: ``show person`` within 1.3x of ``import
sqlmodel``), so this module never touches the ORM: it selects from the Core
tables of :mod:`casetrack.tables` (generated from the models, checked by
``tests/test_tables.py``), finds records with :func:`casetrack.store.lookup.find`
(rows, not model objects), selects only the columns a view shows, and a read
command neither imports :mod:`casetrack.models` nor configures a mapper
(``tests/store/test_query_read_path.py``). Dataclasses compile their methods
at import, so the views are ``slots`` dataclasses that are not ``frozen`` (three
more methods each, ~0.5 ms a class; nothing hashes or changes a view) and share
one ``__eq__`` and ``__repr__`` (:class:`_View`): ~20 ms less at every start.

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
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select
from sqlmodel import Session

from casetrack import tables as t
from casetrack.dates import PartialDate
from casetrack.errors import InvalidValue, UsageError
from casetrack.ingest.names import name_key
from casetrack.store import lookup
from casetrack.vocab import Precision

LATEST_EVENTS = 10

# --- Views ----------------------------------------------------------------------------------


class _View:
    """Base of the views: ``==`` and ``repr`` written once instead of generated for each class.

    ``@dataclass`` would compile a new ``__eq__`` and ``__repr__`` for every one of
    twenty classes at every start (about 4 ms). These behave as the generated ones:
    equal when of the same class with equal fields in order; unhashable.
    """

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))  # type: ignore[arg-type]
        return f"{type(self).__qualname__}({shown})"


@dataclass(slots=True, eq=False, repr=False)
class CitationView(_View):
    """The sentence of a source that states a fact, with the source's metadata."""

    source_id: int
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    retrieved: str | None
    sha256: str
    quote: str
    field: str | None = None


@dataclass(slots=True, eq=False, repr=False)
class ConflictView(_View):
    """An extracted value that disagrees with a curated one: shown, never applied."""

    field: str
    curated_value: str | None
    extracted_value: str | None
    source_id: int | None
    source: str | None
    #: The source's sentence for it (its own citation of the field, else one holding the value, else the value).
    citation: CitationView | None = None


@dataclass(slots=True, eq=False, repr=False)
class PersonRow(_View):
    """One person of a listing."""

    id: int
    name: str
    country: str | None
    description: str | None
    aliases: tuple[str, ...] = ()


@dataclass(slots=True, eq=False, repr=False)
class OrgRow(_View):
    """One organisation of a listing."""

    id: int
    name: str
    kind: str
    country: str | None
    description: str | None
    aliases: tuple[str, ...] = ()


@dataclass(slots=True, eq=False, repr=False)
class CaseRow(_View):
    """One case of a listing."""

    id: int
    name: str
    country: str | None
    status: str
    summary: str | None


@dataclass(slots=True, eq=False, repr=False)
class SourceRow(_View):
    """One source of a listing (and the head of ``show source``)."""

    id: int
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    retrieved: str | None
    sha256: str


@dataclass(slots=True, eq=False, repr=False)
class Participant(_View):
    """A person or organisation taking part in an event, with its role."""

    kind: str  # "person" | "organisation"
    id: int
    name: str
    role: str


@dataclass(slots=True, eq=False, repr=False)
class EventRow(_View):
    """An event at its real date precision, with participants and citations."""

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


@dataclass(slots=True, eq=False, repr=False)
class ChargeView(_View):
    """A charge of a case as stated, with the normalised article and the charged person."""

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


@dataclass(slots=True, eq=False, repr=False)
class PartyView(_View):
    """A party of a case (person or organisation) with its role."""

    kind: str
    id: int
    name: str
    role: str
    citations: tuple[CitationView, ...] = ()


@dataclass(slots=True, eq=False, repr=False)
class MembershipView(_View):
    """A person's membership of (or role in) an organisation, with its dates."""

    person_id: int
    person_name: str
    organisation_id: int
    organisation_name: str
    role: str | None
    start: PartialDate
    end: PartialDate
    citations: tuple[CitationView, ...] = ()


@dataclass(slots=True, eq=False, repr=False)
class CaseRoleView(_View):
    """A case seen from one of its parties: the party's role and the charges concerning it."""

    case_id: int
    name: str
    role: str
    status: str
    country: str | None
    charges: tuple[ChargeView, ...] = ()
    citations: tuple[CitationView, ...] = ()


@dataclass(slots=True, eq=False, repr=False)
class PersonView(_View):
    """``show person``: everything known about one person and who says so."""

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


@dataclass(slots=True, eq=False, repr=False)
class OrgView(_View):
    """``show org``: everything known about one organisation and who says so."""

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


@dataclass(slots=True, eq=False, repr=False)
class CaseView(_View):
    """``show case``: parties, charges, status history and timeline of one case."""

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


@dataclass(slots=True, eq=False, repr=False)
class ExtractedFact(_View):
    """A fact a source states (``show source``), labelled with its record."""

    record_type: str
    record_id: int
    label: str
    field: str | None
    quote: str


@dataclass(slots=True, eq=False, repr=False)
class SourceView(_View):
    """``show source``: a source's metadata and what was extracted from it."""

    source: SourceRow
    input: str
    language: str | None
    media_type: str
    size: int
    previous_id: int | None
    facts: tuple[ExtractedFact, ...]


@dataclass(slots=True, eq=False, repr=False)
class Timeline(_View):
    """Events in date order; events without a year apart."""

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


def _columns(table: Table, names: str) -> list[Any]:
    return [table.c[name] for name in names.split()]


#: The columns each view is built from (a select of whole rows would compile and fetch the rest too).
_EVENT_COLUMNS = _columns(
    t.event, "id kind date date_precision date_inferred date_min date_max summary location case_id"
)
_PERSON_ROW_COLUMNS = _columns(t.person, "id name country description")
_ORG_ROW_COLUMNS = _columns(t.organisation, "id name kind country description")
_CASE_ROW_COLUMNS = _columns(t.legal_case, "id name country status summary")
_SOURCE_ROW_COLUMNS = _columns(t.source, "id title publisher url published retrieved sha256")
_CHARGE_COLUMNS = _columns(
    t.charge,
    "id case_id person_id description article article_raw code max_penalty sentence date date_precision"
    " date_inferred",
)
_MEMBERSHIP_COLUMNS = _columns(
    t.membership, "id person_id organisation_id role start start_precision end end_precision"
)


def _run(session: Session, query: Select[Any]) -> Any:
    """Rows of a Core select, on the session's connection (and transaction)."""
    return session.connection().execute(query)


# --- Date ranges ----------------------------------------------------------------------------


@dataclass(slots=True, eq=False, repr=False)
class DayRange(_View):
    """The first and last day of a ``--since/--until`` range (either may be open)."""

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
    conditions: list[ColumnElement[bool]] = [t.event.c.date_min.is_not(None)]
    if rng.first:
        conditions.append(t.event.c.date_max >= rng.first)
    if rng.last:
        conditions.append(t.event.c.date_min <= rng.last)
    return and_(*conditions)


# --- Resolving filter arguments -------------------------------------------------------------


def _ids(session: Session, kind: str, ref: str | None) -> int | None:
    return None if not ref else int(lookup.find(session, kind, ref).id)


def _charge_condition(text: str) -> Any:
    like = f"%{_escape_like(text)}%"
    return or_(
        func.lower(t.charge.c.article).like(like.lower(), escape="\\"),
        func.lower(t.charge.c.article_raw).like(like.lower(), escape="\\"),
        func.lower(t.charge.c.description).like(like.lower(), escape="\\"),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_like(column: Any, text: str) -> Any:
    return column.like(f"%{_escape_like(name_key(text))}%", escape="\\")


def _cited_by(record_type: str, source_id: int) -> Any:
    return select(t.citation.c.record_id).where(
        t.citation.c.record_type == record_type, t.citation.c.source_id == source_id
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
    query = select(*_PERSON_ROW_COLUMNS).where(t.person.c.merged_into_id.is_(None))
    if filters.country:
        query = query.where(t.person.c.country == filters.country.upper())
    party = select(t.case_party.c.person_id).where(t.case_party.c.person_id.is_not(None))
    party_filtered = False
    if filters.role:
        party, party_filtered = party.where(t.case_party.c.role == filters.role), True
    if filters.status:
        statuses = select(t.legal_case.c.id).where(t.legal_case.c.status == filters.status)
        party, party_filtered = party.where(t.case_party.c.case_id.in_(statuses)), True
    case_id = _ids(session, "case", filters.case)
    if case_id is not None:
        party, party_filtered = party.where(t.case_party.c.case_id == case_id), True
    if party_filtered:
        query = query.where(t.person.c.id.in_(party))
    org_id = _ids(session, "organisation", filters.org)
    if org_id is not None:
        members = select(t.membership.c.person_id).where(t.membership.c.organisation_id == org_id)
        query = query.where(t.person.c.id.in_(members))
    if filters.charge:
        charged = select(t.charge.c.person_id).where(_charge_condition(filters.charge))
        query = query.where(t.person.c.id.in_(charged))
    rng = day_range(filters.since, filters.until)
    if filters.kind or rng:
        events = select(t.event_participant.c.event_id)
        in_events = select(t.event.c.id)
        if filters.kind:
            in_events = in_events.where(t.event.c.kind == filters.kind)
        if rng:
            in_events = in_events.where(_event_in_range(rng))
        participants = select(t.event_participant.c.person_id).where(
            t.event_participant.c.event_id.in_(in_events)
        )
        del events
        query = query.where(t.person.c.id.in_(participants))
    source_id = _ids(session, "source", filters.source)
    if source_id is not None:
        query = query.where(t.person.c.id.in_(_cited_by("person", source_id)))
    if filters.q:
        aliased = select(t.person_alias.c.person_id).where(_name_like(t.person_alias.c.key, filters.q))
        query = query.where(or_(_name_like(t.person.c.name_key, filters.q), t.person.c.id.in_(aliased)))
    query = _order(
        query,
        filters,
        {"id": t.person.c.id, "name": t.person.c.name_key, "country": t.person.c.country},
        "name",
    )
    persons = list(_run(session, _page(query, filters)))
    aliases = _aliases(session, t.person_alias, "person_id", [p.id for p in persons])
    return [PersonRow(p.id, p.name, p.country, p.description, aliases.get(p.id, ())) for p in persons]


def list_orgs(session: Session, filters: Filters) -> list[OrgRow]:
    org = t.organisation.c
    query = select(*_ORG_ROW_COLUMNS).where(org.merged_into_id.is_(None))
    if filters.country:
        query = query.where(org.country == filters.country.upper())
    if filters.kind:
        query = query.where(org.kind == filters.kind)
    party = select(t.case_party.c.organisation_id).where(t.case_party.c.organisation_id.is_not(None))
    party_filtered = False
    if filters.role:
        party, party_filtered = party.where(t.case_party.c.role == filters.role), True
    if filters.status:
        statuses = select(t.legal_case.c.id).where(t.legal_case.c.status == filters.status)
        party, party_filtered = party.where(t.case_party.c.case_id.in_(statuses)), True
    case_id = _ids(session, "case", filters.case)
    if case_id is not None:
        party, party_filtered = party.where(t.case_party.c.case_id == case_id), True
    if party_filtered:
        query = query.where(org.id.in_(party))
    rng = day_range(filters.since, filters.until)
    if rng:
        in_events = select(t.event.c.id).where(_event_in_range(rng))
        participants = select(t.event_participant.c.organisation_id).where(
            t.event_participant.c.event_id.in_(in_events)
        )
        query = query.where(org.id.in_(participants))
    source_id = _ids(session, "source", filters.source)
    if source_id is not None:
        query = query.where(org.id.in_(_cited_by("organisation", source_id)))
    if filters.q:
        aliased = select(t.organisation_alias.c.organisation_id).where(
            _name_like(t.organisation_alias.c.key, filters.q)
        )
        query = query.where(or_(_name_like(org.name_key, filters.q), org.id.in_(aliased)))
    query = _order(
        query,
        filters,
        {"id": org.id, "name": org.name_key, "country": org.country, "kind": org.kind},
        "name",
    )
    orgs = list(_run(session, _page(query, filters)))
    aliases = _aliases(session, t.organisation_alias, "organisation_id", [o.id for o in orgs])
    return [OrgRow(o.id, o.name, o.kind, o.country, o.description, aliases.get(o.id, ())) for o in orgs]


def list_cases(session: Session, filters: Filters) -> list[CaseRow]:
    query = select(*_CASE_ROW_COLUMNS)
    if filters.country:
        query = query.where(t.legal_case.c.country == filters.country.upper())
    if filters.status:
        query = query.where(t.legal_case.c.status == filters.status)
    person_id = _ids(session, "person", filters.person)
    org_id = _ids(session, "organisation", filters.org)
    if filters.role or person_id is not None or org_id is not None:
        party = select(t.case_party.c.case_id)
        if filters.role:
            party = party.where(t.case_party.c.role == filters.role)
        if person_id is not None:
            party = party.where(t.case_party.c.person_id == person_id)
        if org_id is not None:
            party = party.where(t.case_party.c.organisation_id == org_id)
        query = query.where(t.legal_case.c.id.in_(party))
    case_id = _ids(session, "case", filters.case)
    if case_id is not None:
        query = query.where(t.legal_case.c.id == case_id)
    if filters.charge:
        query = query.where(
            t.legal_case.c.id.in_(select(t.charge.c.case_id).where(_charge_condition(filters.charge)))
        )
    rng = day_range(filters.since, filters.until)
    if filters.kind or rng:
        events = select(t.event.c.case_id).where(t.event.c.case_id.is_not(None))
        if filters.kind:
            events = events.where(t.event.c.kind == filters.kind)
        if rng:
            events = events.where(_event_in_range(rng))
        query = query.where(t.legal_case.c.id.in_(events))
    source_id = _ids(session, "source", filters.source)
    if source_id is not None:
        query = query.where(t.legal_case.c.id.in_(_cited_by("case", source_id)))
    if filters.q:
        query = query.where(_name_like(t.legal_case.c.name_key, filters.q))
    query = _order(
        query,
        filters,
        {
            "id": t.legal_case.c.id,
            "name": t.legal_case.c.name_key,
            "country": t.legal_case.c.country,
            "status": t.legal_case.c.status,
        },
        "id",
    )
    return [
        CaseRow(c.id, c.name, c.country, c.status, c.summary) for c in _run(session, _page(query, filters))
    ]


def list_events(session: Session, filters: Filters) -> list[EventRow]:
    query = select(*_EVENT_COLUMNS)
    if filters.kind:
        query = query.where(t.event.c.kind == filters.kind)
    rng = day_range(filters.since, filters.until)
    if rng:
        query = query.where(_event_in_range(rng))
    case_id = _ids(session, "case", filters.case)
    if case_id is not None:
        query = query.where(t.event.c.case_id == case_id)
    if filters.country or filters.status:
        cases = select(t.legal_case.c.id)
        if filters.country:
            cases = cases.where(t.legal_case.c.country == filters.country.upper())
        if filters.status:
            cases = cases.where(t.legal_case.c.status == filters.status)
        query = query.where(t.event.c.case_id.in_(cases))
    person_id = _ids(session, "person", filters.person)
    org_id = _ids(session, "organisation", filters.org)
    if person_id is not None or org_id is not None or filters.role:
        participants = select(t.event_participant.c.event_id)
        if person_id is not None:
            participants = participants.where(t.event_participant.c.person_id == person_id)
        if org_id is not None:
            participants = participants.where(t.event_participant.c.organisation_id == org_id)
        if filters.role:
            participants = participants.where(t.event_participant.c.role == filters.role)
        query = query.where(t.event.c.id.in_(participants))
    if filters.charge:
        charged = select(t.charge.c.case_id).where(_charge_condition(filters.charge))
        query = query.where(t.event.c.case_id.in_(charged))
    source_id = _ids(session, "source", filters.source)
    if source_id is not None:
        query = query.where(t.event.c.id.in_(_cited_by("event", source_id)))
    if filters.q:
        query = query.where(
            func.lower(t.event.c.summary).like(f"%{_escape_like(filters.q.lower())}%", escape="\\")
        )
    query = _order(
        query, filters, {"id": t.event.c.id, "date": t.event.c.date_min, "kind": t.event.c.kind}, "date"
    )
    events = list(_run(session, _page(query, filters)))
    return _event_rows(session, events, rng)


def list_sources(session: Session, filters: Filters) -> list[SourceRow]:
    query = select(*_SOURCE_ROW_COLUMNS)
    if filters.q:
        like = f"%{_escape_like(filters.q.lower())}%"
        query = query.where(
            or_(
                func.lower(t.source.c.title).like(like, escape="\\"),
                func.lower(t.source.c.url).like(like, escape="\\"),
            )
        )
    if filters.since:
        query = query.where(t.source.c.published >= _bound(filters.since, "--since", 0))
    if filters.until:
        query = query.where(t.source.c.published <= f"{_bound(filters.until, '--until', 1)}~")
    for kind, ref in (("person", filters.person), ("case", filters.case), ("organisation", filters.org)):
        record_id = _ids(session, kind, ref)
        if record_id is not None:
            cited = select(t.citation.c.source_id).where(
                t.citation.c.record_type == kind, t.citation.c.record_id == record_id
            )
            query = query.where(t.source.c.id.in_(cited))
    query = _order(
        query,
        filters,
        {"id": t.source.c.id, "published": t.source.c.published, "title": t.source.c.title},
        "id",
    )
    return [_source_row(s) for s in _run(session, _page(query, filters))]


LISTINGS: dict[str, Callable[[Session, Filters], list[Any]]] = {
    "persons": list_persons,
    "orgs": list_orgs,
    "cases": list_cases,
    "events": list_events,
    "sources": list_sources,
}


# --- Batch loaders --------------------------------------------------------------------------


def _aliases(session: Session, model: Table, fk: str, ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not ids:
        return {}
    owner = model.c[fk]
    found: dict[int, list[str]] = defaultdict(list)
    query = select(owner, model.c.name).where(owner.in_(ids)).order_by(model.c.id)
    for owner_id, name in _run(session, query):
        found[owner_id].append(name)
    return {k: tuple(v) for k, v in found.items()}


def _source_row(source: Any) -> SourceRow:
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
                t.citation.c.record_id,
                t.citation.c.field,
                t.citation.c.quote,
                t.source.c.id,
                t.source.c.title,
                t.source.c.publisher,
                t.source.c.url,
                t.source.c.published,
                t.source.c.retrieved,
                t.source.c.sha256,
            )
            .join(t.source, t.source.c.id == t.citation.c.source_id)
            .where(t.citation.c.record_type == record_type, t.citation.c.record_id.in_(sorted(ids)))
            .order_by(t.citation.c.id)
        )
        for rid, fld, quote, sid, title, publisher, url, published, retrieved, sha in _run(session, query):
            found[(record_type, rid)].append(
                CitationView(sid, title, publisher, url, published, retrieved, sha, quote, fld)
            )
    return {k: tuple(v) for k, v in found.items()}


def _event_rows(session: Session, events: list[Any], rng: DayRange | None = None) -> list[EventRow]:
    ids = [int(e.id or 0) for e in events]
    case_ids = sorted({e.case_id for e in events if e.case_id is not None})
    case_names = (
        dict(
            _run(
                session, select(t.legal_case.c.id, t.legal_case.c.name).where(t.legal_case.c.id.in_(case_ids))
            ).all()
        )
        if case_ids
        else {}
    )
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
                uncertain=rng is not None and not rng.contains(event.date_min, event.date_max),
                participants=participants.get(eid, ()),
                citations=cites.get(("event", eid), ()),
            )
        )
    return rows


def _participants(session: Session, event_ids: list[int]) -> dict[int, tuple[Participant, ...]]:
    """Participants of many events in one query: each event's persons, then its organisations."""
    if not event_ids:
        return {}
    taking_part, person, org = t.event_participant, t.person, t.organisation
    query = (
        select(taking_part.c.event_id, taking_part.c.role, person.c.id, person.c.name, org.c.id, org.c.name)
        .outerjoin(person, person.c.id == taking_part.c.person_id)
        .outerjoin(org, org.c.id == taking_part.c.organisation_id)
        .where(taking_part.c.event_id.in_(event_ids))
    )
    persons: dict[int, list[Participant]] = defaultdict(list)
    orgs: dict[int, list[Participant]] = defaultdict(list)
    for eid, role, pid, pname, oid, oname in _run(session, query):
        if pid is not None:
            persons[eid].append(Participant("person", pid, pname, role))
        elif oid is not None:
            orgs[eid].append(Participant("organisation", oid, oname, role))
    return {eid: tuple(persons[eid] + orgs[eid]) for eid in event_ids if eid in persons or eid in orgs}


def _partial(value: str | None, precision: str, inferred: bool = False) -> PartialDate:
    if not value:
        return PartialDate.unknown()
    try:
        return PartialDate(value, Precision(precision), inferred)
    except ValueError:
        return PartialDate.parse(value, inferred=inferred)


def _charges(session: Session, condition: Any) -> list[ChargeView]:
    return [view for _, view in _charges_by_case(session, condition)]


def _charges_by_case(session: Session, condition: Any) -> list[tuple[int, ChargeView]]:
    """The charges matching ``condition`` in id order, each with the id of its case."""
    charge = t.charge
    query = (
        select(*_CHARGE_COLUMNS, t.person.c.name.label("person_name"))
        .outerjoin(t.person, t.person.c.id == charge.c.person_id)
        .where(condition)
        .order_by(charge.c.id)
    )
    rows = list(_run(session, query))
    cites = citations_for(session, (("charge", c.id) for c in rows))
    return [
        (
            c.case_id,
            ChargeView(
                c.id,
                c.person_id,
                c.person_name,
                c.description,
                c.article,
                c.article_raw,
                c.code,
                c.max_penalty,
                c.sentence,
                _partial(c.date, c.date_precision, c.date_inferred),
                cites.get(("charge", c.id), ()),
            ),
        )
        for c in rows
    ]


def _memberships(session: Session, condition: Any) -> list[MembershipView]:
    membership = t.membership
    query = (
        select(
            *_MEMBERSHIP_COLUMNS,
            t.person.c.name.label("person_name"),
            t.organisation.c.name.label("organisation_name"),
        )
        .join(t.person, t.person.c.id == membership.c.person_id)
        .join(t.organisation, t.organisation.c.id == membership.c.organisation_id)
        .where(condition)
        .order_by(membership.c.id)
    )
    rows = list(_run(session, query))
    cites = citations_for(session, (("membership", m.id) for m in rows))
    return [
        MembershipView(
            m.person_id,
            m.person_name,
            m.organisation_id,
            m.organisation_name,
            m.role,
            _partial(m.start, m.start_precision),
            _partial(m.end, m.end_precision),
            cites.get(("membership", m.id), ()),
        )
        for m in rows
    ]


def _case_roles(session: Session, party_condition: Any, charge_person: int | None) -> list[CaseRoleView]:
    party, case = t.case_party, t.legal_case
    query = (
        select(
            party.c.id, party.c.role, case.c.id.label("case_id"), case.c.name, case.c.status, case.c.country
        )
        .join(case, case.c.id == party.c.case_id)
        .where(party_condition)
        .order_by(case.c.id)
    )
    rows = list(_run(session, query))
    case_ids = sorted({r.case_id for r in rows})
    charge_condition: ColumnElement[bool] = t.charge.c.case_id.in_(case_ids)
    if charge_person is not None:
        charge_condition = and_(
            charge_condition, or_(t.charge.c.person_id == charge_person, t.charge.c.person_id.is_(None))
        )
    charges: dict[int, list[ChargeView]] = defaultdict(list)
    if case_ids:
        for case_id, charge in _charges_by_case(session, charge_condition):
            charges[case_id].append(charge)
    cites = citations_for(session, (("case_party", r.id) for r in rows))
    return [
        CaseRoleView(
            r.case_id,
            r.name,
            r.role,
            r.status,
            r.country,
            tuple(charges.get(r.case_id, ())),
            cites.get(("case_party", r.id), ()),
        )
        for r in rows
    ]


def _sources_cited(*citations: Iterable[CitationView]) -> int:
    """How many distinct sources the citations come from.

    A view loads every citation of the record and of what it shows (memberships,
    parties, charges, events), so its source count needs no query of its own.
    """
    return len({c.source_id for group in citations for c in group})


def _latest_events(
    session: Session, participant_condition: Any, limit: int = LATEST_EVENTS
) -> list[EventRow]:
    """The newest dated events, then undated ones (most recently recorded first) up to ``limit``."""
    theirs = select(t.event_participant.c.event_id).where(participant_condition)
    dated = select(*_EVENT_COLUMNS).where(t.event.c.date_min.is_not(None))
    if _takes_part_in_many(session, theirs):
        dated = dated.where(
            select(t.event_participant.c.event_id)
            .where(t.event_participant.c.event_id == t.event.c.id, participant_condition)
            .exists()
        )
    else:
        dated = dated.where(t.event.c.id.in_(theirs))
    newest = dated.order_by(t.event.c.date_min.desc(), t.event.c.id.desc()).limit(limit)
    events = list(_run(session, newest))
    if len(events) < limit:
        undated = (
            select(*_EVENT_COLUMNS)
            .where(t.event.c.id.in_(theirs), t.event.c.date_min.is_(None))
            .order_by(t.event.c.id.desc())
            .limit(limit - len(events))
        )
        events += _run(session, undated)
    return _event_rows(session, events)


MANY_EVENTS = 2000
"""Above this many events, a record's newest are found walking the date index (stopping at
``limit``) instead of sorting all of them: a hub in 160,000 of a million events took 0.2 s."""


def _takes_part_in_many(session: Session, theirs: Any) -> bool:
    """More than ``MANY_EVENTS`` rows: is there one past them (an index search, no count of a subquery)."""
    return _run(session, theirs.limit(1).offset(MANY_EVENTS)).first() is not None


# --- Show -----------------------------------------------------------------------------------


def show_person(session: Session, ref: str) -> PersonView:
    person = lookup.find(session, "person", ref)
    pid = int(person.id)
    aliases = _aliases(session, t.person_alias, "person_id", [pid]).get(pid, ())
    memberships = _memberships(session, t.membership.c.person_id == pid)
    cases = _case_roles(session, t.case_party.c.person_id == pid, pid)
    events = _latest_events(session, t.event_participant.c.person_id == pid)
    citations = citations_for(session, [("person", pid)]).get(("person", pid), ())
    count = _sources_cited(
        citations,
        *(m.citations for m in memberships),
        *(c.citations for c in cases),
        *(ch.citations for c in cases for ch in c.charges),
        *(e.citations for e in events),
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
        citations=citations,
        conflicts=open_conflicts(session, "person", pid),
    )


def show_org(session: Session, ref: str) -> OrgView:
    org = lookup.find(session, "organisation", ref)
    oid = int(org.id)
    members = _memberships(session, t.membership.c.organisation_id == oid)
    cases = _case_roles(session, t.case_party.c.organisation_id == oid, None)
    events = _latest_events(session, t.event_participant.c.organisation_id == oid)
    citations = citations_for(session, [("organisation", oid)]).get(("organisation", oid), ())
    count = _sources_cited(citations, *(e.citations for e in events))
    return OrgView(
        id=oid,
        name=org.name,
        aliases=_aliases(session, t.organisation_alias, "organisation_id", [oid]).get(oid, ()),
        kind=org.kind,
        country=org.country,
        description=org.description,
        notes=org.notes,
        members=tuple(members),
        cases=tuple(cases),
        events=tuple(events),
        source_count=count,
        citations=citations,
        conflicts=open_conflicts(session, "organisation", oid),
    )


def show_case(session: Session, ref: str) -> CaseView:
    case = lookup.find(session, "case", ref)
    cid = int(case.id)
    parties = _parties(session, cid)
    charges = _charges(session, t.charge.c.case_id == cid)
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
    citations = citations_for(session, [("case", cid)]).get(("case", cid), ())
    count = _sources_cited(
        citations, *(c.citations for c in charges), *(e.citations for e in (*line.dated, *line.undated))
    )
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
        citations=citations,
        conflicts=open_conflicts(session, "case", cid),
    )


def open_conflicts(session: Session, record_type: str, record_id: int) -> tuple[ConflictView, ...]:
    """Open conflicts of one record: the curated value kept, the extracted one and its source."""
    conflict, source = t.conflict, t.source
    query = (
        select(
            conflict.c.field,
            conflict.c.curated_value,
            conflict.c.extracted_value,
            conflict.c.source_id,
            source.c.title,
            source.c.url,
            source.c.input,
            source.c.publisher,
            source.c.published,
            source.c.retrieved,
            source.c.sha256,
        )
        .outerjoin(source, source.c.id == conflict.c.source_id)
        .where(
            conflict.c.record_type == record_type,
            conflict.c.record_id == record_id,
            conflict.c.status == "open",
        )
        .order_by(conflict.c.field, conflict.c.id)
    )
    rows = list(_run(session, query))
    if not rows:
        return ()
    cited = citations_for(session, [(record_type, record_id)]).get((record_type, record_id), ())
    views = []
    for c in rows:
        citation = None
        if c.source_id is not None:
            quote = _conflict_quote(cited, c.source_id, c.field, c.extracted_value)
            citation = CitationView(
                c.source_id, c.title, c.publisher, c.url, c.published, c.retrieved, c.sha256, quote, c.field
            )
        views.append(
            ConflictView(
                c.field,
                c.curated_value,
                c.extracted_value,
                c.source_id,
                c.title or c.url or c.input,
                citation,
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
        _run(
            session,
            select(
                t.case_party.c.id,
                t.case_party.c.role,
                t.person.c.id,
                t.person.c.name,
                t.organisation.c.id,
                t.organisation.c.name,
            )
            .outerjoin(t.person, t.person.c.id == t.case_party.c.person_id)
            .outerjoin(t.organisation, t.organisation.c.id == t.case_party.c.organisation_id)
            .where(t.case_party.c.case_id == case_id)
            .order_by(t.case_party.c.id),
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
        _run(
            session,
            select(t.citation.c.record_type, t.citation.c.record_id, t.citation.c.field, t.citation.c.quote)
            .where(t.citation.c.source_id == source.id)
            .order_by(t.citation.c.start, t.citation.c.id),
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
    "person": (t.person.c.id, t.person.c.name),
    "organisation": (t.organisation.c.id, t.organisation.c.name),
    "case": (t.legal_case.c.id, t.legal_case.c.name),
    "event": (t.event.c.id, t.event.c.summary),
    "charge": (t.charge.c.id, func.coalesce(t.charge.c.description, t.charge.c.article)),
    "membership": (t.membership.c.id, t.membership.c.role),
    "case_party": (t.case_party.c.id, t.case_party.c.role),
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
        for rid, label in _run(session, select(*columns).where(columns[0].in_(sorted(ids)))):
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
    query = select(*_EVENT_COLUMNS)
    person_id, org_id, case_id = (
        _ids(session, "person", person),
        _ids(session, "organisation", org),
        _ids(session, "case", case),
    )
    if person_id is not None:
        query = query.where(
            t.event.c.id.in_(
                select(t.event_participant.c.event_id).where(t.event_participant.c.person_id == person_id)
            )
        )
    if org_id is not None:
        query = query.where(
            t.event.c.id.in_(
                select(t.event_participant.c.event_id).where(t.event_participant.c.organisation_id == org_id)
            )
        )
    if case_id is not None:
        query = query.where(t.event.c.case_id == case_id)
    if country:
        query = query.where(
            t.event.c.case_id.in_(select(t.legal_case.c.id).where(t.legal_case.c.country == country.upper()))
        )
    rng = day_range(since, until)
    dated_query = query.where(_event_in_range(rng) if rng else t.event.c.date_min.is_not(None))
    dated_query = dated_query.order_by(t.event.c.date_min, t.event.c.date_max, t.event.c.id)
    undated_query = query.where(t.event.c.date_min.is_(None)).order_by(t.event.c.date, t.event.c.id)
    if limit is not None:
        dated_query, undated_query = dated_query.limit(limit), undated_query.limit(limit)
    dated = list(_run(session, dated_query))
    undated = [] if rng else list(_run(session, undated_query))
    rows = _event_rows(session, dated + undated, rng)
    return Timeline(tuple(rows[: len(dated)]), tuple(rows[len(dated) :]))
