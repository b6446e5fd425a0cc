# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload,misc,operator,list-item,assignment,return-value"
"""Storing one analysed article: the source, its facts, their citations, and resolution.

:func:`store_analysis` runs inside the caller's write transaction (one per
input), so an input is stored whole or not at all.

* **Evidence first.** A :class:`Source` is unique by the sha256 of its raw
  bytes: the same bytes add nothing and say so (``duplicate``). A changed page
  at the same canonical URL becomes a new source whose ``previous_id`` points
  at the version it replaces (``updated-version``). ``force`` re-extracts a
  known source (``re-extracted``): what that source alone contributed is
  removed first, then stored again from the new analysis.
* **Resolution.** Persons and organisations are matched against live records
  (``merged_into_id IS NULL``) found through indexed lookups only: exact
  name/alias keys and phonetic keys (cross-script, never capped), then a
  capped first-letter range over the phonetic keys for initials and one-letter
  differences; :func:`casetrack.ingest.resolve.decide` scores that small set.
  A person's own case resolves through the person. A confident match reuses the record and keeps the new
  spelling as an alias; an uncertain one creates a new record plus a
  :class:`MatchCandidate` for the curator. Cases resolve by name key.
* **One row per fact, one citation per source.** Memberships, case parties,
  charges, events and participants are deduplicated on their natural keys, so
  the same fact read in a second article gains a citation, not a row. Every
  stored fact cites the exact sentence with its offsets in ``source.text``.
* **Curated values win.** A field listed in a row's ``curated_fields`` (or any
  field of a curated row) is never changed; a disagreeing extracted value is
  kept as a :class:`Conflict`.
* **Concurrency.** SQLite write sessions begin with ``BEGIN IMMEDIATE``; on
  PostgreSQL the transaction takes an advisory lock first, so two processes
  ingesting overlapping inputs are serialised. Should the same bytes still
  arrive meanwhile, the source insert (``ON CONFLICT (sha256) DO NOTHING``)
  writes nothing and the input is reported as a duplicate.
* **Few statements.** An article's person and organisation candidates are read
  once per record type (:class:`_CandidatePool`); what the article writes is
  added to that view in memory. New sources, persons, organisations and events
  are inserted with one ``INSERT ... RETURNING id`` each outside the session's
  unit of work; aliases, citations and event participants in one multi-row
  statement each.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import and_, bindparam, exists, func, insert, inspect, literal, or_, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, delete, select

from casetrack.dates import PartialDate
from casetrack.db import refuse_overlong
from casetrack.errors import DatabaseError
from casetrack.ingest import resolve
from casetrack.ingest.names import NameProfile, name_key, phonetic_key
from casetrack.ingest.names import phonetic_variants as _phonetic_variants
from casetrack.ingest.types import (
    Analysis,
    CaseMention,
    ChargeMention,
    Document,
    EventMention,
    OrganisationMention,
    PersonMention,
    Quote,
)
from casetrack.models import (
    Case,
    CaseParty,
    Charge,
    Citation,
    Conflict,
    Event,
    EventParticipant,
    Judgement,
    MatchCandidate,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Source,
    utcnow,
)
from casetrack.store import search_index
from casetrack.store.audit import type_name
from casetrack.store.curate import rejected_pairs
from casetrack.vocab import JudgementKind

#: Key of the PostgreSQL advisory lock that serialises ingest transactions.
ADVISORY_LOCK_KEY = 0x43415345  # "CASE"
#: Most rows read per prefix bucket when looking for fuzzy candidates.
BUCKET_LIMIT = 500
#: First letters are looked up in groups of this many (unused ones match nothing: ``>= '' AND < ''``).
LETTER_SLOTS = 8

#: Case statuses from the strongest signal to the weakest, as extraction ranks them.
STATUS_STRENGTH = ("convicted", "acquitted", "released", "on_trial", "charged", "detained", "investigation")
#: Roles that make a case the party's own case.
OWN_CASE_ROLES = ("defendant", "detainee")
_OWN_CASE = re.compile(r"(?:case|detention)\s+of\s+(.+)$|(.+?)['’]s\s+case$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def phonetic_variants(name: str) -> frozenset[str]:
    """The keys of the name with its given name in its other spellings (Uladzimir/Vladimir), memoised."""
    return frozenset(_phonetic_variants(name))


INGESTED = "ingested"
DUPLICATE = "duplicate"
UPDATED_VERSION = "updated-version"
RE_EXTRACTED = "re-extracted"


class RawLike(Protocol):
    """What :func:`store_analysis` needs of ``casetrack.ingest.read.RawInput``."""

    input: str
    data: bytes
    media_type: str
    url: str | None
    retrieved_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CandidateNote:
    """An uncertain match left for the curator: the new record and the existing one."""

    record_type: str
    new_id: int
    existing_id: int
    score: float
    evidence: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "record_type": self.record_type,
            "new_id": self.new_id,
            "existing_id": self.existing_id,
            "score": self.score,
            "evidence": list(self.evidence),
        }


@dataclass(slots=True)
class StoreResult:
    """What one input did to the record."""

    status: str
    source_id: int
    title: str | None = None
    previous_id: int | None = None
    new: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    matched: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    candidates: list[CandidateNote] = field(default_factory=list)
    conflicts: int = 0
    citations: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "source_id": self.source_id,
            "title": self.title,
            "previous_id": self.previous_id,
            "new": dict(self.new),
            "matched": dict(self.matched),
            "candidates": [c.to_json() for c in self.candidates],
            "conflicts": self.conflicts,
            "citations": self.citations,
        }


def store_analysis(
    session: Session, analysis: Analysis, raw: RawLike | None = None, *, actor: str, force: bool = False
) -> StoreResult:
    """Store one analysed input in the caller's write transaction."""
    lock_for_ingest(session)
    document = analysis.document
    url = document.url or (raw.url if raw is not None else None)
    known, previous_id = _known_versions(session, document.sha256, url)
    if known is not None and not force:
        return StoreResult(DUPLICATE, known.id, known.title, known.previous_id)
    forgotten: list[tuple[str, int]] = []
    if known is not None:
        source = session.get(Source, known.id)
        forgotten = forget_source(session, source)
        _refresh_source(source, document)
        session.add(source)
        status = RE_EXTRACTED
    else:
        created = _insert_source(session, document, raw, actor, url, previous_id)
        if isinstance(created, StoreResult):
            return created
        source = created
        status = UPDATED_VERSION if source.previous_id is not None else INGESTED
    result = StoreResult(status, source.id, source.title, source.previous_id)
    writer = _Writer(session, source, document, result)
    writer.touch("source", source)
    writer.store(analysis)
    touched = [key for key in writer.touched if key[0] in search_index.SEARCHABLE]
    search_index.refresh_many(session, [*forgotten, *touched], current=writer.touched)
    return result


def lock_for_ingest(session: Session) -> None:
    """Serialise ingest transactions on PostgreSQL (SQLite's BEGIN IMMEDIATE already does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa_select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))


# --- Sources --------------------------------------------------------------------------------


def _known_versions(session: Session, sha256: str, url: str | None) -> tuple[Any, int | None]:
    """The source with these bytes (id, title, previous_id), and the newest source at ``url``, in one query.

    Reads only those few columns (not the stored bytes and text of every version).
    """
    same_bytes = Source.sha256 == sha256
    query = sa_select(Source.id, Source.title, Source.previous_id, Source.sha256, Source.url).where(
        or_(same_bytes, Source.url == url) if url else same_bytes
    )
    known, previous_id = None, None
    for row in session.connection().execute(query.order_by(col(Source.id).desc())):
        if row.sha256 == sha256:
            known = row
        if url and row.url == url and previous_id is None:
            previous_id = row.id
    return known, previous_id


def _source_by_sha(session: Session, sha256: str) -> Source | None:
    return session.exec(select(Source).where(Source.sha256 == sha256)).first()


def _insert_source(
    session: Session,
    document: Document,
    raw: RawLike | None,
    actor: str,
    url: str | None = None,
    previous_id: int | None = None,
) -> Source | StoreResult:
    """Insert a new source (``previous_id``: the version it replaces); a sha256 race is a duplicate."""
    url = url or document.url or (raw.url if raw is not None else None)
    source = Source(
        input=raw.input if raw is not None else document.input,
        url=url,
        retrieved_at=raw.retrieved_at if raw is not None else utcnow(),
        sha256=document.sha256,
        media_type=(raw.media_type if raw is not None else None) or document.media_type,
        size=len(raw.data if raw is not None else document.raw),
        raw=raw.data if raw is not None else document.raw,
        previous_id=previous_id,
        ingested_by=actor,
        text=document.text,
    )
    _refresh_source(source, document)
    values = {column.key: getattr(source, column.key) for column in Source.__table__.columns}
    del values["id"]
    _refuse_overlong(Source, [values])
    connection = session.connection()
    inserted = connection.execute(_insert_new_source(connection.dialect.name), values).scalar_one_or_none()
    if inserted is None:
        known = _source_by_sha(session, document.sha256)
        if known is None:
            raise DatabaseError(
                "the source could not be stored, nor found by its sha256", hint="run it again"
            )
        return StoreResult(DUPLICATE, known.id, known.title, known.previous_id)
    source.id = inserted
    return source


@functools.cache
def _insert_new_source(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT (sha256) DO NOTHING RETURNING id``: no row back when the bytes are stored."""
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(Source).on_conflict_do_nothing(index_elements=[Source.sha256]).returning(Source.id)


def _refresh_source(source: Source, document: Document) -> None:
    source.text = document.text
    source.title = document.title
    source.publisher = document.publisher
    source.language = document.language
    source.encoding = document.encoding
    source.published = document.published.value
    source.published_precision = document.published.precision.value
    source.published_inferred = document.published.inferred
    source.published_evidence = document.published_evidence
    source.retrieved = document.retrieved.value
    source.retrieved_precision = document.retrieved.precision.value
    source.retrieved_evidence = document.retrieved_evidence
    source.extracted_at = utcnow()
    if document.url:
        source.url = document.url


# --- Writing the facts ----------------------------------------------------------------------


@functools.cache
def _insert_returning_id(model: Any) -> Any:
    return insert(model).returning(model.id)


@functools.cache
def _length_limits(model: Any) -> dict[str, int]:
    return {c.key: c.type.length for c in model.__table__.columns if getattr(c.type, "length", None)}


def _refuse_overlong(model: Any, rows: list[dict[str, Any]]) -> None:
    """The length limits the session checks before a flush, for rows inserted without one."""
    limits = _length_limits(model)
    for row in rows:
        for name, value in row.items():
            refuse_overlong(name, limits.get(name), value)


def _curated(row: Any) -> set[str]:
    if getattr(row, "origin", "extracted") == "curated":
        return {"*"}
    return set(json.loads(row.curated_fields or "[]"))


@dataclass(frozen=True, slots=True)
class _Named:
    """How one kind of named record (person, organisation) is resolved and stored."""

    record_type: str
    plural: str
    model: Any
    alias_model: Any
    fields: tuple[str, ...]


class _Writer:
    """Stores the facts of one analysis for one source, counting what it did."""

    def __init__(self, session: Session, source: Source, document: Document, result: StoreResult) -> None:
        self.session = session
        self.source = source
        self.document = document
        self.result = result
        #: Records whose search text may have changed, with their rows: holding them keeps them in
        #: the session's (weak) identity map, so the search index refresh does not load them again.
        self.touched: dict[tuple[str, int], Any] = {}
        self.persons: dict[str, int] = {}
        self.organisations: dict[str, int] = {}
        self.cases: dict[str, int] = {}
        self.person_names: dict[int, str] = {}
        #: Citations written for this source; the only ones it has (a re-extraction forgets the old).
        self.cited: set[tuple[str, int, str | None, int]] = set()
        #: Those citations' rows, inserted together at the end (nothing here reads them back).
        self.citations: list[dict[str, Any]] = []
        #: New event participants, inserted together at the end: this article's are known from
        #: ``memo`` and ``events_here``, so no lookup needs them in the database before then.
        self.new_participants: list[dict[str, Any]] = []
        #: Records created in this run: nothing stored earlier can point at them.
        self.fresh: set[tuple[str, int]] = set()
        #: Facts found or created in this run, by their natural key.
        self.memo: dict[tuple[Any, ...], Any] = {}
        self.events_here: list[tuple[EventMention, frozenset[tuple[str, int]], Event]] = []
        #: Undated events stored before this article, the oldest per (kind, summary) it mentions.
        self.undated: dict[tuple[str, str], Event] = {}
        #: Where person and organisation candidates come from (read once for the article).
        self.pools = {kind: _CandidatePool(session, kind) for kind in ("person", "organisation")}
        #: New aliases, inserted together once every mention is resolved (the pools know them before).
        self.new_aliases: dict[Any, list[dict[str, Any]]] = defaultdict(list)

    # -- orchestration

    def store(self, analysis: Analysis) -> None:
        extraction = analysis.extraction
        self.prefetch(extraction)
        for organisation in extraction.organisations:
            self.organisation(organisation)
        case_names = _case_names_by_person(extraction.cases)
        for person in extraction.persons:
            self.person(person, case_names.get(name_key(person.name), []))
        for person in extraction.persons:
            for membership in person.memberships:
                self.membership(person, membership.organisation, membership.role)
        self.insert_aliases()
        for case in extraction.cases:
            self.case(case)
        self.undated = self.stored_undated_events(extraction.events)
        for event in extraction.events:
            self.event(event)
        if self.new_participants:
            self.session.connection().execute(insert(EventParticipant), self.new_participants)
        if self.citations:
            self.session.connection().execute(insert(Citation), self.citations)

    def prefetch(self, extraction: Any) -> None:
        """Read the candidates of every person and organisation the article names, in a few statements."""
        organisations = [
            resolve.organisation_profile([m.name, *m.aliases], m.country) for m in extraction.organisations
        ]
        organisations += [
            resolve.organisation_profile([membership.organisation])
            for person in extraction.persons
            for membership in person.memberships
        ]
        self.pools["organisation"].prefetch(organisations)
        self.pools["person"].prefetch([NameProfile([p.name, *p.aliases]) for p in extraction.persons])

    def insert_aliases(self) -> None:
        for model, rows in self.new_aliases.items():
            _refuse_overlong(model, rows)
            self.session.connection().execute(insert(model), rows)
        self.new_aliases.clear()

    def touch(self, record_type: str, row: Any) -> None:
        self.touched[(record_type, row.id)] = row

    # -- citations, conflicts, curated fields

    def cite(self, record_type: str, record_id: int, field_name: str | None, quote: Quote | None) -> None:
        if quote is None:
            return
        key = (record_type, record_id, field_name, quote.start)
        if key in self.cited:
            return
        self.cited.add(key)
        self.citations.append(
            {
                "source_id": self.source.id,
                "record_type": record_type,
                "record_id": record_id,
                "field": field_name,
                "quote": quote.text,
                "start": quote.start,
                "end": quote.end,
                "created_at": utcnow(),
            }
        )
        self.result.citations += 1

    def fill(self, record_type: str, row: Any, values: dict[str, Any]) -> None:
        """Set fields the row lacks; a curated field that disagrees becomes a Conflict instead."""
        curated = _curated(row)
        for name, value in values.items():
            if value is None or value == "" or getattr(row, name) == value:
                continue
            if "*" in curated or name in curated:
                self.conflict(record_type, row.id, name, getattr(row, name), value)
            elif getattr(row, name) in (None, "", "unknown", "other"):
                setattr(row, name, value)
                row.updated_at = utcnow()
                self.session.add(row)
                self.touch(record_type, row)

    def conflict(self, record_type: str, record_id: int, name: str, curated: Any, extracted: Any) -> None:
        known = self.session.exec(
            select(Conflict.id).where(
                Conflict.record_type == record_type,
                Conflict.record_id == record_id,
                Conflict.field == name,
                Conflict.source_id == self.source.id,
            )
        ).first()
        if known is not None:
            return
        self.session.add(
            Conflict(
                record_type=record_type,
                record_id=record_id,
                field=name,
                curated_value=None if curated is None else str(curated),
                extracted_value=str(extracted),
                source_id=self.source.id,
            )
        )
        self.result.conflicts += 1

    def created(self, record_type: str, row: SQLModel) -> Any:
        self.session.add(row)
        self.session.flush()
        self.result.new[record_type] += 1
        self.fresh.add((type_name(row), row.id))
        self.touch(type_name(row), row)
        return row

    def inserted(self, record_type: str, row: Any) -> Any:
        """Like :meth:`created`, without the session's bookkeeping: one ``INSERT ... RETURNING id``.

        The row stays outside the session (nothing reads it back); whoever changes it later
        changes the session's own copy (:meth:`attached`).
        """
        values = {column.key: getattr(row, column.key) for column in row.__table__.columns}
        del values["id"]
        _refuse_overlong(type(row), [values])
        row.id = self.session.connection().execute(_insert_returning_id(type(row)), values).scalar_one()
        self.result.new[record_type] += 1
        self.fresh.add((type_name(row), row.id))
        self.touch(type_name(row), row)
        return row

    def attached(self, row: Any) -> Any:
        """The session's copy of a row (loaded once if the row was inserted by :meth:`inserted`)."""
        if inspect(row).persistent:
            return row
        attached = self.session.get(type(row), row.id)
        self.events_here = [(m, p, attached if r is row else r) for m, p, r in self.events_here]
        self.touch(type_name(row), attached)
        return attached

    def existing(
        self, key: tuple[Any, ...], depends: Iterable[tuple[str, int | None]], query: Callable[[], Any]
    ) -> Any:
        """The row with this natural key: from this run, else from the database unless a part is new.

        ``query`` builds the lookup, only when the database must be asked.
        """
        if key in self.memo:
            return self.memo[key]
        if any(part in self.fresh for part in depends):
            return None
        return self.session.exec(query()).first()

    # -- organisations and persons

    def organisation(self, mention: OrganisationMention) -> int:
        names = [mention.name, *mention.aliases]
        return self.resolved(_ORGANISATIONS, mention, resolve.organisation_profile(names, mention.country))[0]

    def person(self, mention: PersonMention, cases: list[str]) -> int:
        names = [mention.name, *mention.aliases]
        profile = NameProfile(names, mention.country, [m.organisation for m in mention.memberships], cases)
        record_id, row = self.resolved(_PERSONS, mention, profile)
        if row is not None:
            self.person_names[record_id] = row.name
        return record_id

    def resolved(self, kind: _Named, mention: Any, profile: NameProfile) -> tuple[int, Any]:
        """The record a person or organisation mention is: known in this article, matched, or new.

        Returns its id, and its row unless an earlier mention of this article already resolved it.
        """
        names = [mention.name, *mention.aliases]
        known: dict[str, int] = getattr(self, kind.plural)
        earlier = _first(known, names)
        if earlier is not None:
            return earlier, None
        pool = self.pools[kind.record_type]
        candidates = pool.candidates(profile)
        decision = resolve.decide(
            profile,
            candidates,
            person=kind.model is Person,
            rejected=self.rejected(kind.record_type, [c.record_id for c in candidates]),
        )
        values = {name: getattr(mention, name) for name in kind.fields}
        if decision.verdict == resolve.SAME:
            row = self.session.get(kind.model, decision.record_id)
            pool.attach(row)
            self.result.matched[kind.plural] += 1
            self.fill(kind.record_type, row, values)
        else:
            new = kind.model(
                name=mention.name,
                name_key=name_key(mention.name),
                phonetic_key=phonetic_key(mention.name),
                **values,
            )
            row = self.inserted(kind.plural, new)
            pool.add_record(row)
            self.candidates(kind.record_type, row.id, decision)
        self.aliases(kind.alias_model, f"{kind.record_type}_id", row, names)
        for name in names:
            known[name_key(name)] = row.id
        self.cite(kind.record_type, row.id, "name", mention.quote)
        return int(row.id), row

    def rejected(self, record_type: str, ids: list[int]) -> set[tuple[int, int]]:
        """Pairs among ``ids`` (and their partners) a curator judged different: never merged nor proposed."""
        if not ids or not self.any_negative_judgement(record_type):
            return set()
        pairs = rejected_pairs(self.session, record_type, ids)
        return {(min(pair), max(pair)) for pair in pairs}

    def any_negative_judgement(self, record_type: str) -> bool:
        """Whether any live "not the same" judgement exists for the type (asked once an article, for all types)."""
        if ("negatives",) not in self.memo:
            self.memo[("negatives",)] = set(
                self.session.connection().execute(_negative_types_statement()).scalars()
            )
        return record_type in self.memo[("negatives",)]

    def aliases(self, model: Any, owner: str, row: Any, names: Iterable[str]) -> None:
        """Keep the record's new spellings as aliases (inserted by :meth:`insert_aliases`)."""
        record_type = type_name(row)
        pool = self.pools[record_type]
        known = pool.aliases(row.id)
        if known is None:
            known = list(self.session.exec(select(model.name).where(getattr(model, owner) == row.id)))
        have = {row.name, *known}
        for name in dict.fromkeys(n.strip() for n in names):
            if not name or name in have or not name_key(name):
                continue
            key, sound = name_key(name), phonetic_key(name)
            self.new_aliases[model].append(
                {
                    owner: row.id,
                    "name": name,
                    "key": key,
                    "phonetic_key": sound,
                    "script": resolve.script_of(name),
                    "language": self.document.language,
                    "origin": "extracted",
                    "source_id": self.source.id,
                    "created_at": utcnow(),
                }
            )
            pool.add_alias(row.id, name, key, sound)
            have.add(name)
            self.touch(record_type, row)

    def candidates(self, record_type: str, new_id: int, decision: resolve.Decision) -> None:
        """Each uncertain match of a record just created, for the curator (none can exist yet)."""
        for scored in decision.reviews:
            self.session.add(
                MatchCandidate(
                    record_type=record_type,
                    left_id=scored.record_id,
                    right_id=new_id,
                    score=scored.score,
                    evidence=json.dumps(list(scored.evidence), ensure_ascii=False),
                    source_id=self.source.id,
                )
            )
            self.result.candidates.append(
                CandidateNote(record_type, new_id, scored.record_id, scored.score, scored.evidence)
            )

    def person_ref(self, name: str) -> int | None:
        return self.persons.get(name_key(name))

    def organisation_ref(self, name: str) -> int | None:
        return self.organisations.get(name_key(name))

    # -- memberships

    def membership(self, person: PersonMention, organisation: str, role: str | None) -> None:
        person_id = self.person_ref(person.name)
        organisation_id = self.organisation_ref(organisation)
        if organisation_id is None:
            organisation_id = self.organisation(OrganisationMention(organisation, quote=person.quote))
        if person_id is None:
            return
        role_condition = (
            func.lower(Membership.role) == role.lower() if role else col(Membership.role).is_(None)
        )
        key = ("membership", person_id, organisation_id, role.lower() if role else None)

        def query() -> Any:
            return select(Membership).where(
                Membership.person_id == person_id,
                Membership.organisation_id == organisation_id,
                role_condition,
            )

        row = self.existing(key, [("person", person_id), ("organisation", organisation_id)], query)
        if row is None:
            row = self.created(
                "memberships", Membership(person_id=person_id, organisation_id=organisation_id, role=role)
            )
        self.memo[key] = row
        self.cite("membership", row.id, "role", person.quote)

    # -- cases, parties, charges

    def case(self, mention: CaseMention) -> int:
        key = name_key(mention.name)
        if key in self.cases:
            return self.cases[key]
        name = self.canonical_case_name(mention)
        keys = list(dict.fromkeys([name_key(name), key]))
        owner = self.own_case_owner(mention)
        row = self.own_case(owner) if owner is not None else None
        if row is None:
            query = select(Case).where(col(Case.name_key).in_(keys)).order_by(col(Case.id))
            row = self.session.exec(query).first()
        if row is None:
            row = self.created(
                "cases", Case(name=name, name_key=keys[0], country=mention.country, status=mention.status)
            )
        else:
            self.result.matched["cases"] += 1
            self.fill("case", row, {"country": mention.country})
            self.strengthen_status(row, mention.status)
        self.cases[key] = row.id
        if owner is not None:
            self.memo[("own_case", owner)] = row
        self.cite("case", row.id, "name", mention.quote)
        for party in mention.parties:
            self.party(row.id, party.name, party.role, mention.quote)
        for charge in mention.charges:
            self.charge(row.id, charge)
        return row.id

    def canonical_case_name(self, mention: CaseMention) -> str:
        """A case named after a party takes the party's record name.

        'Case of Алесь Беляцкий' becomes 'Case of Ales Bialiatski' when that is the person's record.
        """
        name = mention.name
        for party in mention.parties:
            person_id = self.person_ref(party.name)
            canonical = self.person_names.get(person_id) if person_id is not None else None
            if canonical and party.name in name:
                name = name.replace(party.name, canonical)
        return name

    def own_case_owner(self, mention: CaseMention) -> int | None:
        """The person whose own case this is ('Case of X', 'Detention of X', "X's case"), if resolved."""
        subject = own_case_subject(mention.name)
        if subject is None:
            return None
        for party in mention.parties:
            if party.role in OWN_CASE_ROLES and name_key(party.name) == name_key(subject):
                return self.person_ref(party.name)
        return None

    def own_case(self, person_id: int) -> Case | None:
        """The person's existing own case: they are its defendant or detainee and it is named after them."""
        memo_key = ("own_case", person_id)
        if memo_key in self.memo:
            return self.memo[memo_key]
        if ("person", person_id) in self.fresh:
            return None
        query = (
            select(Case)
            .join(CaseParty, col(CaseParty.case_id) == col(Case.id))
            .where(CaseParty.person_id == person_id, col(CaseParty.role).in_(OWN_CASE_ROLES))
            .order_by(col(Case.id))
        )
        cases = list(self.session.exec(query))
        if not cases:
            return None
        keys = self.person_keys(person_id)
        for case in cases:
            subject = own_case_subject(case.name)
            if subject is not None and keys.knows(subject):
                return case
        return None

    def person_keys(self, person_id: int) -> _KeySet:
        """Name keys and phonetic keys of every name the person is known by."""
        row = self.session.get(Person, person_id)
        names = [row.name] if row is not None else []
        names += self.session.exec(select(PersonAlias.name).where(PersonAlias.person_id == person_id))
        return _KeySet({name_key(n) for n in names} - {""}, {phonetic_key(n) for n in names} - {""})

    def strengthen_status(self, row: Case, status: str) -> None:
        """A case's status moves only to a stronger signal; a curated status that disagrees is a conflict."""
        if not status or status == "unknown" or row.status == status:
            return
        curated = _curated(row)
        if "*" in curated or "status" in curated:
            self.conflict("case", row.id, "status", row.status, status)
        elif stronger_status(status, row.status):
            row.status = status
            row.updated_at = utcnow()
            self.session.add(row)
            self.touch("case", row)

    def party(self, case_id: int, name: str, role: str, quote: Quote | None) -> None:
        person_id = self.person_ref(name)
        organisation_id = None if person_id is not None else self.organisation_ref(name)
        if person_id is None and organisation_id is None:
            return
        owner = (
            CaseParty.person_id == person_id
            if person_id is not None
            else CaseParty.organisation_id == organisation_id
        )
        key = ("case_party", case_id, person_id, organisation_id, role)
        depends = [("case", case_id), ("person", person_id), ("organisation", organisation_id)]
        row = self.existing(
            key,
            depends,
            lambda: select(CaseParty).where(CaseParty.case_id == case_id, owner, CaseParty.role == role),
        )
        if row is None:
            row = self.created(
                "case_parties",
                CaseParty(case_id=case_id, person_id=person_id, organisation_id=organisation_id, role=role),
            )
        self.memo[key] = row
        self.cite("case_party", row.id, "role", quote)

    def charge(self, case_id: int, mention: ChargeMention) -> None:
        person_id = self.person_ref(mention.person) if mention.person else None
        query = select(Charge).where(
            Charge.case_id == case_id,
            Charge.person_id == person_id if person_id is not None else col(Charge.person_id).is_(None),
        )
        if mention.legal_article:
            query = query.where(Charge.article == mention.legal_article)
        elif mention.charge:
            query = query.where(func.lower(Charge.description) == mention.charge.lower())
        else:
            query = query.where(col(Charge.article).is_(None), col(Charge.description).is_(None))
        what = mention.legal_article or (mention.charge.lower() if mention.charge else None)
        key = ("charge", case_id, person_id, what)
        row = self.existing(
            key, [("case", case_id), ("person", person_id)], lambda: query.order_by(col(Charge.id))
        )
        values = {
            "description": mention.charge,
            "article_raw": mention.legal_article_raw,
            "article": mention.legal_article,
            "max_penalty": mention.max_penalty,
            "sentence": mention.sentence,
        }
        if row is None:
            row = self.created("charges", Charge(case_id=case_id, person_id=person_id, **values))
            _set_date(row, "date", mention.date)
            self.memo[key] = row
        else:
            self.fill("charge", row, values)
            if row.date is None and mention.date.known and "date" not in _curated(row):
                _set_date(row, "date", mention.date)
        self.cite("charge", row.id, "description", mention.quote)

    # -- events

    def event(self, mention: EventMention) -> None:
        case_id = self.cases.get(name_key(mention.case)) if mention.case else None
        participants = self.participants(mention)
        row = self.matching_event(mention, participants)
        if row is None:
            bounds = mention.date.bounds()
            row = self.inserted(
                "events",
                Event(
                    kind=mention.kind,
                    date=mention.date.value,
                    date_precision=mention.date.precision.value,
                    date_inferred=mention.date.inferred,
                    date_min=bounds[0] if bounds else None,
                    date_max=bounds[1] if bounds else None,
                    location=mention.location,
                    summary=mention.summary,
                    case_id=case_id,
                    figures=json.dumps(mention.figures, sort_keys=True),
                ),
            )
        else:
            self.result.matched["events"] += 1
            row = self.attached(row)
            self.fill("event", row, {"location": mention.location, "case_id": case_id})
        self.events_here.append((mention, frozenset(participants), row))
        for (kind, record_id), role in participants.items():
            self.participant(row.id, kind, record_id, role)
        self.cite("event", row.id, "summary", mention.quote)

    def participants(self, mention: EventMention) -> dict[tuple[str, int], str]:
        actors = {name_key(a) for a in mention.actors}
        found: dict[tuple[str, int], str] = {}
        for names, lookup, kind in (
            (mention.persons, self.person_ref, "person"),
            (mention.organisations, self.organisation_ref, "organisation"),
        ):
            for name in names:
                record_id = lookup(name)
                if record_id is not None:
                    found[(kind, record_id)] = "actor" if name_key(name) in actors else "subject"
        return found

    def matching_event(self, mention: EventMention, participants: dict[tuple[str, int], str]) -> Event | None:
        """The same event already stored: same kind and date with a shared participant, or undated with the same words."""
        for earlier, parties, row in self.events_here:
            if earlier.kind == mention.kind and _same_event(earlier, parties, mention, set(participants)):
                return row
        if not mention.date.known:
            return self.undated.get((mention.kind, mention.summary))
        if all(part in self.fresh for part in participants):
            return None
        values = {
            "kind": mention.kind,
            "date": mention.date.value,
            "persons": [i for (k, i) in participants if k == "person"],
            "organisations": [i for (k, i) in participants if k == "organisation"],
        }
        return self.session.scalars(_dated_event_statement(), values).first()

    def stored_undated_events(self, mentions: list[EventMention]) -> dict[tuple[str, str], Event]:
        """The oldest stored undated event per (kind, summary) of the article's undated mentions, in one query.

        Read before the article's events are stored: an undated event this article creates
        is matched through ``events_here`` first, so the earlier state is the one that matters.
        """
        wanted = {(m.kind, m.summary) for m in mentions if not m.date.known}
        if not wanted:
            return {}
        values = {
            "kinds": sorted({kind for kind, _ in wanted}),
            "summaries": sorted({summary for _, summary in wanted}),
        }
        found: dict[tuple[str, str], Event] = {}
        for row in self.session.scalars(_undated_events_statement(), values):
            if (row.kind, row.summary) in wanted:
                found.setdefault((row.kind, row.summary), row)
        return found

    def participant(self, event_id: int, kind: str, record_id: int, role: str) -> None:
        column = EventParticipant.person_id if kind == "person" else EventParticipant.organisation_id
        key = ("event_participant", event_id, kind, record_id)

        def query() -> Any:
            return select(EventParticipant.id).where(
                EventParticipant.event_id == event_id, column == record_id
            )

        if self.existing(key, [("event", event_id), (kind, record_id)], query) is not None:
            return
        person_id, organisation_id = (record_id, None) if kind == "person" else (None, record_id)
        self.new_participants.append(
            {
                "event_id": event_id,
                "person_id": person_id,
                "organisation_id": organisation_id,
                "role": role,
                "origin": "extracted",
            }
        )
        self.memo[key] = True
        self.result.new["event_participants"] += 1


@functools.cache
def _dated_event_statement() -> Any:
    """The oldest event of a kind on a date with one of some persons or organisations among its participants."""
    shared = exists().where(
        EventParticipant.event_id == Event.id,
        or_(
            col(EventParticipant.person_id).in_(bindparam("persons", expanding=True)),
            col(EventParticipant.organisation_id).in_(bindparam("organisations", expanding=True)),
        ),
    )
    same_day = (col(Event.kind) == bindparam("kind"), col(Event.date) == bindparam("date"))
    return select(Event).where(*same_day, shared).order_by(col(Event.id)).limit(1)


@functools.cache
def _undated_events_statement() -> Any:
    """Undated events of some kinds with some summaries, oldest first."""
    return (
        select(Event)
        .where(
            col(Event.date).is_(None),
            col(Event.kind).in_(bindparam("kinds", expanding=True)),
            col(Event.summary).in_(bindparam("summaries", expanding=True)),
        )
        .order_by(col(Event.id))
    )


def _same_event(
    earlier: EventMention,
    parties: frozenset[tuple[str, int]],
    mention: EventMention,
    participants: set[tuple[str, int]],
) -> bool:
    if mention.date.known:
        return earlier.date.value == mention.date.value and bool(parties & participants)
    return not earlier.date.known and earlier.summary == mention.summary


@dataclass(frozen=True, slots=True)
class _KeySet:
    names: set[str]
    phonetic: set[str]

    def knows(self, name: str) -> bool:
        return name_key(name) in self.names or phonetic_key(name) in self.phonetic


def own_case_subject(case_name: str) -> str | None:
    """The party a person's own case is named after: 'Case of X', 'Detention of X', "X's case"."""
    match = _OWN_CASE.match(case_name.strip())
    if match is None:
        return None
    return (match.group(1) or match.group(2)).strip() or None


def stronger_status(new: str, current: str | None) -> bool:
    """Whether ``new`` is a stronger signal than ``current``, in the order extraction uses."""
    if current in (None, "", "unknown"):
        return True
    if new not in STATUS_STRENGTH or current not in STATUS_STRENGTH:
        return False
    return STATUS_STRENGTH.index(new) < STATUS_STRENGTH.index(current)


def _set_date(row: Any, prefix: str, date: PartialDate) -> None:
    setattr(row, prefix, date.value)
    setattr(row, f"{prefix}_precision", date.precision.value)
    setattr(row, f"{prefix}_inferred", date.inferred)


def _first(known: dict[str, int], names: Iterable[str]) -> int | None:
    for name in names:
        found = known.get(name_key(name))
        if found is not None:
            return found
    return None


def _case_names_by_person(cases: list[CaseMention]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        for party in case.parties:
            found[name_key(party.name)].append(case.name)
    return found


# --- Candidate lookup (index-backed) --------------------------------------------------------


#: Per record type, the tables a mention's candidates come from: (id, name, key, phonetic key, live filter).
_BUCKET_TABLES: dict[str, tuple[tuple[Any, ...], ...]] = {
    "person": (
        (Person.id, Person.name, Person.name_key, Person.phonetic_key, col(Person.merged_into_id).is_(None)),
        (PersonAlias.person_id, PersonAlias.name, PersonAlias.key, PersonAlias.phonetic_key, None),
    ),
    "organisation": (
        (
            Organisation.id,
            Organisation.name,
            Organisation.name_key,
            Organisation.phonetic_key,
            col(Organisation.merged_into_id).is_(None),
        ),
        (
            OrganisationAlias.organisation_id,
            OrganisationAlias.name,
            OrganisationAlias.key,
            OrganisationAlias.phonetic_key,
            None,
        ),
    ),
}


@functools.lru_cache(maxsize=256)
def _bucket_statement(record_type: str, bounded: int, open_ended: bool) -> Any:
    """One statement for every row that may be one of an article's mentions, indexed lookups only.

    For the records and then their aliases, (id, name, key, phonetic key): exact, the name
    key or the phonetic key of a spelling ('Юрий Иванов', 'Yurii Ivanov' and 'Iurii
    Ivanov' share one), never capped; fuzzy (initials, a letter apart), the phonetic keys
    starting with one of the spellings' first phonetic letters, at most BUCKET_LIMIT rows
    per letter. The ``bounded`` letters are ranges ``[low_i, high_i)``; ``open_ended`` adds
    ``>= last`` (for "z"). The parts are joined by UNION ALL. Built once per shape; the keys
    and letters are bound parameters.
    """
    keys: Any = bindparam("keys", expanding=True)
    sounds: Any = bindparam("sounds", expanding=True)
    parts: list[Any] = []
    for id_column, name_column, key_column, phonetic_column, live in _BUCKET_TABLES[record_type]:
        columns = (id_column, name_column, key_column, phonetic_column)
        exact = select(*columns).where(or_(col(key_column).in_(keys), col(phonetic_column).in_(sounds)))
        parts.append(exact.where(live) if live is not None else exact)
        ranges = [
            and_(phonetic_column >= bindparam(f"low_{i}"), phonetic_column < bindparam(f"high_{i}"))
            for i in range(bounded)
        ]
        if open_ended:
            ranges.append(phonetic_column >= bindparam("last"))
        for letter_range in ranges:
            fuzzy = select(*columns).where(letter_range)
            fuzzy = fuzzy.where(live) if live is not None else fuzzy
            parts.append(select(*fuzzy.limit(BUCKET_LIMIT).subquery().c))
    return union_all(*parts)


@dataclass(frozen=True, slots=True)
class _SearchKeys:
    """What a mention's spellings are looked up by: name keys, phonetic keys and first phonetic letters."""

    keys: frozenset[str]
    sounds: frozenset[str]
    letters: tuple[str, ...]

    @classmethod
    def of(cls, names: Iterable[str]) -> _SearchKeys:
        names = list(names)
        own_sounds = {phonetic_key(n) for n in names} - {""}
        return cls(
            frozenset({name_key(n) for n in names} - {""}),
            frozenset(own_sounds.union(*(phonetic_variants(n) for n in names))),
            tuple(sorted({k[0] for k in own_sounds if k[0].isalpha()})),
        )

    def parameters(self) -> tuple[tuple[int, bool], dict[str, Any]]:
        """The bucket statement's shape (bounded letters, open-ended) and its parameters."""
        bounded = [letter for letter in self.letters if letter != "z"]
        values: dict[str, Any] = {"keys": sorted(self.keys), "sounds": sorted(self.sounds)}
        slots = -(-len(bounded) // LETTER_SLOTS) * LETTER_SLOTS  # few shapes, so few compilations
        for i in range(slots):
            letter = bounded[i] if i < len(bounded) else None
            values[f"low_{i}"], values[f"high_{i}"] = (letter, chr(ord(letter) + 1)) if letter else ("", "")
        bounded += [""] * (slots - len(bounded))
        if "z" in self.letters:
            values["last"] = "z"
        return (len(bounded), "z" in self.letters), values


@dataclass(slots=True)
class _Known:
    """A candidate record as the article sees it: its row, aliases (by name), organisations, cases."""

    row: Any
    aliases: list[str]
    organisations: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)


class _CandidatePool:
    """One record type's candidates for one article, read in a few statements.

    :meth:`prefetch` reads every record and alias that may be one of the article's
    mentions in one statement (:func:`_bucket_statement` with all their spellings), then
    the rows and profiles (aliases, organisations, cases) of the plausible ones in two
    more. Records and aliases the article writes are added with :meth:`add_record` and
    :meth:`add_alias` as they are written, so each mention sees what a lookup of its own
    at that moment would return; a record a mention finds that is not loaded yet is
    loaded then. Persons are resolved before any membership or case party of the
    article is written, so the organisations and cases read stay true.
    """

    def __init__(self, session: Session, record_type: str) -> None:
        self.session = session
        self.record_type = record_type
        self.person = record_type == "person"
        #: (record id, name) of the records and aliases read or written, and where to find them
        #: by name key, phonetic key and first phonetic letter.
        self.rows: list[tuple[int, str]] = []
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.by_sound: dict[str, list[int]] = defaultdict(list)
        self.by_letter: dict[str, list[int]] = defaultdict(list)
        self.known: dict[int, _Known] = {}
        #: Ids found through an alias whose record is merged into another: never candidates.
        self.merged: set[int] = set()
        #: A mention's plausible ids and how many rows there were when they were found.
        self.found: dict[tuple[str, ...], tuple[int, set[int]]] = {}

    def prefetch(self, profiles: list[NameProfile]) -> None:
        names = [name for profile in profiles for name in profile.names]
        if not names:
            return
        shape, values = _SearchKeys.of(names).parameters()
        statement = _bucket_statement(self.record_type, *shape)
        for record_id, name, key, sound in self.session.connection().execute(statement, values):
            self.add_row(record_id, name, key, sound)
        self.load(set().union(*(self.plausible(profile) for profile in profiles)))

    def add_row(self, record_id: int, name: str, key: str, sound: str | None) -> None:
        index = len(self.rows)
        self.rows.append((record_id, name))
        self.by_key[key].append(index)
        if sound:
            self.by_sound[sound].append(index)
            self.by_letter[sound[0]].append(index)

    def admitted(self, wanted: _SearchKeys, start: int = 0) -> list[tuple[int, str]]:
        """The rows (from ``start`` on) the bucket statement would return for these keys."""
        found: set[int] = set()
        for index, keys in ((self.by_key, wanted.keys), (self.by_sound, wanted.sounds)):
            for key in keys:
                found.update(index.get(key, ()))
        for letter in wanted.letters:
            for first, rows in self.by_letter.items():
                if first == letter or (letter == "z" and first >= "z"):
                    found.update(rows)
        return [self.rows[i] for i in sorted(found) if i >= start]

    def plausible(self, profile: NameProfile) -> set[int]:
        """The ids plausibly the mention; rows added since it was last asked are the only ones read again."""
        names = tuple(profile.names)
        seen, ids = self.found.get(names, (0, set()))
        if seen < len(self.rows):
            wanted = _SearchKeys.of(names)
            changed = {i for i, _ in self.admitted(wanted, seen)}
            if seen:
                rows = [row for row in self.admitted(wanted) if row[0] in changed]
            else:
                rows = self.admitted(wanted)
            ids = (ids - changed) | _plausible_ids(rows, profile, person=self.person)
            self.found[names] = (len(self.rows), ids)
        return ids

    def candidates(self, profile: NameProfile) -> list[resolve.Candidate]:
        plausible = self.plausible(profile)
        self.load(plausible)
        return [self.candidate(i) for i in sorted(plausible) if i in self.known]

    def candidate(self, record_id: int) -> resolve.Candidate:
        known = self.known[record_id]
        names = [known.row.name, *known.aliases]
        if self.person:
            profile = NameProfile(names, known.row.country, known.organisations, known.cases)
        else:
            profile = resolve.organisation_profile(names, known.row.country)
        return resolve.Candidate(record_id, profile)

    def load(self, ids: set[int]) -> None:
        wanted = ids - self.known.keys() - self.merged
        if not wanted:
            return
        model = Person if self.person else Organisation
        rows = _live_rows(self.session, model, wanted)
        live = {row.id for row in rows}
        self.merged |= wanted - live
        if not live:
            return
        if self.person:
            aliases, organisations, cases = _person_profiles(self.session, live)
        else:
            aliases = _grouped(self.session, OrganisationAlias.organisation_id, OrganisationAlias.name, live)
            organisations, cases = {}, {}
        for row in rows:
            self.known[row.id] = _Known(
                row, sorted(aliases.get(row.id, [])), organisations.get(row.id, []), cases.get(row.id, [])
            )

    def aliases(self, record_id: int) -> list[str] | None:
        """The record's alias names, if it is loaded."""
        known = self.known.get(record_id)
        return None if known is None else known.aliases

    def attach(self, row: Any) -> None:
        """Candidates read the session's copy of the record from now on (it may be changed)."""
        known = self.known.get(row.id)
        if known is not None:
            known.row = row

    def add_record(self, row: Any) -> None:
        self.add_row(row.id, row.name, row.name_key, row.phonetic_key)
        self.known[row.id] = _Known(row, [])

    def add_alias(self, record_id: int, name: str, key: str, sound: str) -> None:
        self.add_row(record_id, name, key, sound)
        known = self.known.get(record_id)
        if known is not None:
            bisect.insort(known.aliases, name)


def _plausible_ids(rows: list[Any], mention: NameProfile, *, person: bool) -> set[int]:
    """The ids whose names share something with the mention (scored later in full)."""
    names: dict[int, list[str]] = defaultdict(list)
    for record_id, name in rows:
        names[record_id].append(name)
    if person:
        return {i for i, n in names.items() if resolve.plausible(mention, NameProfile(n), person=True)}
    return {
        i
        for i, n in names.items()
        if resolve.plausible(mention, resolve.organisation_profile(n), person=False)
    }


def _candidates_now(session: Session, record_type: str, mention: NameProfile) -> list[resolve.Candidate]:
    """The candidates of one mention looked up on their own (what a pool gives the mention)."""
    pool = _CandidatePool(session, record_type)
    pool.prefetch([mention])
    return pool.candidates(mention)


_PERSONS = _Named("person", "persons", Person, PersonAlias, ("description", "country"))
_ORGANISATIONS = _Named("organisation", "organisations", Organisation, OrganisationAlias, ("kind", "country"))


@functools.cache
def _negative_types_statement() -> Any:
    """The record types that have a live "not the same" judgement."""
    return (
        sa_select(Judgement.record_type)
        .where(Judgement.kind == JudgementKind.negative.value, col(Judgement.undone_at).is_(None))
        .distinct()
    )


@functools.cache
def _live_rows_statement(model: Any) -> Any:
    ids: Any = bindparam("ids", expanding=True)
    return select(model).where(col(model.id).in_(ids), col(model.merged_into_id).is_(None))


def _live_rows(session: Session, model: Any, ids: set[int]) -> list[Any]:
    """The rows with these ids that are not merged into another."""
    if not ids:
        return []
    return list(session.scalars(_live_rows_statement(model), {"ids": sorted(ids)}))


@functools.cache
def _grouped_statement(owner: Any, value: Any) -> Any:
    return sa_select(owner, value).where(col(owner).in_(bindparam("ids", expanding=True)))


def _grouped(session: Session, owner: Any, value: Any, ids: set[int]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    rows = session.connection().execute(_grouped_statement(owner, value), {"ids": sorted(ids)})
    for owner_id, text in rows:
        grouped[owner_id].append(text)
    return grouped


@functools.cache
def _person_profile_statement() -> Any:
    """Aliases, organisations (memberships) and cases (parties) of some persons, tagged 0, 1, 2."""
    ids: Any = bindparam("ids", expanding=True)
    return union_all(
        select(literal(0), PersonAlias.person_id, PersonAlias.name).where(
            col(PersonAlias.person_id).in_(ids)
        ),
        select(literal(1), Membership.person_id, Organisation.name)
        .join_from(Membership, Organisation, Membership.organisation_id == Organisation.id)
        .where(col(Membership.person_id).in_(ids)),
        select(literal(2), CaseParty.person_id, Case.name)
        .join_from(CaseParty, Case, CaseParty.case_id == Case.id)
        .where(col(CaseParty.person_id).in_(ids)),
    )


def _person_profiles(session: Session, ids: set[int]) -> list[dict[int, list[str]]]:
    """[aliases, organisation names, case names] of each person, in one statement."""
    grouped: list[dict[int, list[str]]] = [defaultdict(list) for _ in range(3)]
    rows = session.connection().execute(_person_profile_statement(), {"ids": sorted(ids)})
    for part, owner_id, text in rows:
        grouped[part][owner_id].append(text)
    return grouped


# --- Re-extraction: forgetting what one source contributed ----------------------------------

#: Facts in the order they are removed: dependants before the records they point at.
_FORGET_ORDER = ("event", "charge", "case_party", "membership", "case", "person", "organisation")
_MODELS: dict[str, Any] = {
    "event": Event,
    "charge": Charge,
    "case_party": CaseParty,
    "membership": Membership,
    "case": Case,
    "person": Person,
    "organisation": Organisation,
}


def forget_source(session: Session, source: Source) -> list[tuple[str, int]]:
    """Remove what ``source`` alone contributed; curated rows and fields stay.

    Returns the searchable records whose search text this changed (removed ones included).
    """
    cited = session.exec(
        select(Citation.record_type, Citation.record_id).where(Citation.source_id == source.id).distinct()
    ).all()
    only_here = _cited_only_by(session, source.id, cited)
    removed: list[tuple[str, int]] = []
    for record_type in _FORGET_ORDER:
        for record_id in sorted(i for t, i in only_here if t == record_type):
            row = session.get(_MODELS[record_type], record_id)
            if row is not None and _removable(session, record_type, row):
                session.delete(row)
                session.flush()
                removed.append((record_type, record_id))
    for record_type, model, owner in (
        ("person", PersonAlias, PersonAlias.person_id),
        ("organisation", OrganisationAlias, OrganisationAlias.organisation_id),
    ):
        mine = (model.source_id == source.id, model.origin == "extracted")
        removed.extend((record_type, i) for i in session.exec(select(owner).where(*mine).distinct()))
        session.exec(delete(model).where(*mine))
    session.exec(
        delete(MatchCandidate).where(
            MatchCandidate.source_id == source.id, MatchCandidate.status == "pending"
        )
    )
    session.exec(delete(Conflict).where(Conflict.source_id == source.id, Conflict.status == "open"))
    session.exec(delete(Citation).where(Citation.source_id == source.id))
    session.flush()
    return [key for key in dict.fromkeys(removed) if key[0] in search_index.SEARCHABLE]


def _cited_only_by(session: Session, source_id: int, cited: Iterable[Any]) -> set[tuple[str, int]]:
    only: set[tuple[str, int]] = set()
    for record_type, record_id in cited:
        elsewhere = session.exec(
            select(Citation.id)
            .where(
                Citation.record_type == record_type,
                Citation.record_id == record_id,
                Citation.source_id != source_id,
            )
            .limit(1)
        ).first()
        if elsewhere is None:
            only.add((record_type, record_id))
    return only


def _removable(session: Session, record_type: str, row: Any) -> bool:
    """An extracted row nobody curated and nothing kept still points at."""
    if row.origin != "extracted" or _curated(row) or getattr(row, "merged_into_id", None):
        return False
    checks = _REFERENCES.get(record_type, [])
    for model, column in checks:
        if (
            session.exec(select(model.id).where(getattr(model, column) == row.id).limit(1)).first()
            is not None
        ):
            return False
    if record_type == "event":
        curated = select(EventParticipant.id).where(
            EventParticipant.event_id == row.id, EventParticipant.origin != "extracted"
        )
        return session.exec(curated.limit(1)).first() is None
    return True


_REFERENCES: dict[str, list[tuple[Any, str]]] = {
    "case": [(CaseParty, "case_id"), (Charge, "case_id"), (Event, "case_id")],
    "person": [
        (Membership, "person_id"),
        (CaseParty, "person_id"),
        (Charge, "person_id"),
        (EventParticipant, "person_id"),
        (Person, "merged_into_id"),
    ],
    "organisation": [
        (Membership, "organisation_id"),
        (CaseParty, "organisation_id"),
        (EventParticipant, "organisation_id"),
        (Organisation, "merged_into_id"),
    ],
}
