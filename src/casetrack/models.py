"""Every table of the casetrack record, in one module.

The record has three layers:

* **Evidence** -- :class:`Source` keeps the raw bytes of each ingested page,
  their sha256 (unique: the same bytes are never stored twice), the cleaned
  text and the metadata found in it. A changed page at the same URL is a new
  source pointing at the one it replaces.
* **Facts** -- persons, organisations, cases, charges, events and the links
  between them. Every fact row has an ``origin`` (extracted, curated or
  imported) and ``curated_fields``: the names of the fields a curator has set,
  which a later ingest never overwrites. A :class:`Citation` ties any fact to a
  source with the exact quoted sentence and its offsets in the cleaned text.
* **Judgements and history** -- :class:`AuditEntry` records every curated
  change (who, when, what, before, after) so it can be shown and undone;
  :class:`Judgement` records a curator's decision that two records are (or are
  not) the same, as nomenklatura's resolver does, so that a merge can be undone;
  :class:`MatchCandidate` holds the uncertain matches found during ingest;
  :class:`Conflict` an extracted value that disagrees with a curated one.

Dates keep their precision (see :mod:`casetrack.dates`): each date is three
columns -- the ISO prefix, its precision and whether it was inferred -- and
events also store the first and last day the date can denote, so that range
filters are index-backed and aware of precision.

Vocabulary columns are plain strings validated against :mod:`casetrack.vocab`
by the repository, which keeps the schema identical on SQLite and PostgreSQL.

Every table derives from :class:`Table`, whose pydantic validator is built only
if something ever validates through it: SQLModel table models are constructed
without validation and loaded by SQLAlchemy, so building the validators of
seventeen tables at import was start-up time spent for nothing. For the same
reason the annotations here are evaluated (no ``from __future__ import
annotations``): pydantic and SQLAlchemy would otherwise parse ~250 strings back
into types at every start.
"""

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, Text, UniqueConstraint, event
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

from casetrack.ingest.names import phonetic_key


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _text(nullable: bool = True) -> Column:
    return Column(Text, nullable=nullable)


def _phonetic_key_field() -> Any:
    """The indexed ``names.phonetic_key`` of a name or alias: finds cross-script spellings by an exact match."""
    return Field(
        default="",
        max_length=300,
        nullable=False,
        index=True,
        sa_column_kwargs={"server_default": ""},
        description="names.phonetic_key of the name: finds cross-script spellings by an indexed match",
    )


class Table(SQLModel):
    """Base of every table (no columns of its own): pydantic builds its validator on first use only."""

    model_config = SQLModelConfig(defer_build=True)


class Timestamped(Table):
    created_at: dt.datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: dt.datetime = Field(default_factory=utcnow, nullable=False)


class Fact(Timestamped):
    """Columns shared by every fact: where it came from and what a curator fixed."""

    origin: str = Field(default="extracted", max_length=16, nullable=False)
    curated_fields: str = Field(default="[]", sa_column_kwargs={"nullable": False})


# --- Evidence -------------------------------------------------------------------------------


class Source(Table, table=True):
    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    input: str = Field(sa_column=_text(False))
    url: str | None = Field(default=None, sa_column=_text(), description="canonical URL")
    title: str | None = Field(default=None, sa_column=_text())
    publisher: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=16)
    published: str | None = Field(default=None, max_length=32)
    published_precision: str = Field(default="unknown", max_length=16)
    published_inferred: bool = False
    published_evidence: str | None = Field(default=None, sa_column=_text())
    retrieved: str | None = Field(default=None, max_length=32)
    retrieved_precision: str = Field(default="unknown", max_length=16)
    retrieved_evidence: str | None = Field(default=None, sa_column=_text())
    retrieved_at: dt.datetime = Field(default_factory=utcnow, nullable=False)
    sha256: str = Field(max_length=64, unique=True, nullable=False)
    media_type: str = Field(default="text/plain", max_length=100)
    encoding: str | None = Field(default=None, max_length=40)
    size: int = 0
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    text: str = Field(sa_column=_text(False))
    previous_id: int | None = Field(default=None, foreign_key="source.id", ondelete="SET NULL", index=True)
    extracted_at: dt.datetime | None = None
    ingested_by: str | None = Field(default=None, max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, nullable=False)

    __table_args__ = (Index("ix_source_url", "url"), Index("ix_source_published", "published"))


class Citation(Table, table=True):
    """The exact sentence of a source that states a fact, with its offsets."""

    __tablename__ = "citation"

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", ondelete="CASCADE", nullable=False, index=True)
    record_type: str = Field(max_length=20, nullable=False)
    record_id: int = Field(nullable=False)
    field: str | None = Field(default=None, max_length=40)
    quote: str = Field(sa_column=_text(False))
    start: int | None = None
    end: int | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, nullable=False)

    __table_args__ = (
        Index("ix_citation_record", "record_type", "record_id"),
        UniqueConstraint("source_id", "record_type", "record_id", "field", "start", name="uq_citation"),
    )


# --- Persons and organisations --------------------------------------------------------------


class Person(Fact, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, nullable=False)
    name_key: str = Field(max_length=300, nullable=False, index=True)
    phonetic_key: str = _phonetic_key_field()
    description: str | None = Field(default=None, sa_column=_text())
    country: str | None = Field(default=None, max_length=2, index=True)
    birth_date: str | None = Field(default=None, max_length=32)
    birth_date_precision: str = Field(default="unknown", max_length=16)
    notes: str | None = Field(default=None, sa_column=_text(), description="private: left out of --public")
    merged_into_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL", index=True)


class PersonAlias(Table, table=True):
    __tablename__ = "person_alias"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", nullable=False, index=True)
    name: str = Field(max_length=300, nullable=False)
    key: str = Field(max_length=300, nullable=False, index=True)
    phonetic_key: str = _phonetic_key_field()
    script: str | None = Field(default=None, max_length=16, description="Latn, Cyrl, ...")
    language: str | None = Field(default=None, max_length=16)
    origin: str = Field(default="extracted", max_length=16)
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, nullable=False)

    __table_args__ = (UniqueConstraint("person_id", "name", name="uq_person_alias"),)


class Organisation(Fact, table=True):
    __tablename__ = "organisation"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, nullable=False)
    name_key: str = Field(max_length=300, nullable=False, index=True)
    phonetic_key: str = _phonetic_key_field()
    kind: str = Field(default="other", max_length=32)
    country: str | None = Field(default=None, max_length=2, index=True)
    description: str | None = Field(default=None, sa_column=_text())
    notes: str | None = Field(default=None, sa_column=_text())
    merged_into_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL", index=True
    )


class OrganisationAlias(Table, table=True):
    __tablename__ = "organisation_alias"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(
        foreign_key="organisation.id", ondelete="CASCADE", nullable=False, index=True
    )
    name: str = Field(max_length=300, nullable=False)
    key: str = Field(max_length=300, nullable=False, index=True)
    phonetic_key: str = _phonetic_key_field()
    script: str | None = Field(default=None, max_length=16)
    language: str | None = Field(default=None, max_length=16)
    origin: str = Field(default="extracted", max_length=16)
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, nullable=False)

    __table_args__ = (UniqueConstraint("organisation_id", "name", name="uq_organisation_alias"),)


class Membership(Fact, table=True):
    __tablename__ = "membership"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", nullable=False, index=True)
    organisation_id: int = Field(
        foreign_key="organisation.id", ondelete="CASCADE", nullable=False, index=True
    )
    role: str | None = Field(default=None, max_length=300)
    start: str | None = Field(default=None, max_length=32)
    start_precision: str = Field(default="unknown", max_length=16)
    end: str | None = Field(default=None, max_length=32)
    end_precision: str = Field(default="unknown", max_length=16)


# --- Cases ----------------------------------------------------------------------------------


class Case(Fact, table=True):
    __tablename__ = "legal_case"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, nullable=False)
    name_key: str = Field(max_length=300, nullable=False, index=True)
    country: str | None = Field(default=None, max_length=2)
    status: str = Field(default="unknown", max_length=32)
    summary: str | None = Field(default=None, sa_column=_text())
    notes: str | None = Field(default=None, sa_column=_text())

    __table_args__ = (Index("ix_case_country_status", "country", "status"),)


class CaseParty(Fact, table=True):
    __tablename__ = "case_party"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="legal_case.id", ondelete="CASCADE", nullable=False, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE", index=True)
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="CASCADE", index=True
    )
    role: str = Field(default="other", max_length=32)

    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)", name="ck_case_party_one_party"),
    )


class Charge(Fact, table=True):
    __tablename__ = "charge"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="legal_case.id", ondelete="CASCADE", nullable=False, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL", index=True)
    description: str | None = Field(default=None, sa_column=_text(), description="as stated")
    article_raw: str | None = Field(default=None, max_length=200, description="as given")
    article: str | None = Field(default=None, max_length=100, index=True, description="normalised")
    code: str | None = Field(default=None, max_length=100, description="criminal code named")
    max_penalty: str | None = Field(default=None, sa_column=_text())
    sentence: str | None = Field(default=None, sa_column=_text())
    date: str | None = Field(default=None, max_length=32)
    date_precision: str = Field(default="unknown", max_length=16)
    date_inferred: bool = False


# --- Events ---------------------------------------------------------------------------------


class Event(Fact, table=True):
    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="other", max_length=32, index=True)
    date: str | None = Field(default=None, max_length=32)
    date_precision: str = Field(default="unknown", max_length=16)
    date_inferred: bool = False
    date_min: str | None = Field(default=None, max_length=10, description="first day the date can denote")
    date_max: str | None = Field(default=None, max_length=10, description="last day the date can denote")
    location: str | None = Field(default=None, sa_column=_text())
    summary: str = Field(default="", sa_column=_text(False))
    case_id: int | None = Field(default=None, foreign_key="legal_case.id", ondelete="SET NULL", index=True)
    figures: str = Field(default="{}", sa_column_kwargs={"nullable": False})

    __table_args__ = (Index("ix_event_date", "date_min", "date_max"),)


class EventParticipant(Table, table=True):
    __tablename__ = "event_participant"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", nullable=False, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE", index=True)
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="CASCADE", index=True
    )
    role: str = Field(default="subject", max_length=16)
    origin: str = Field(default="extracted", max_length=16)

    __table_args__ = (
        CheckConstraint(
            "(person_id IS NULL) <> (organisation_id IS NULL)", name="ck_event_participant_one_party"
        ),
    )


# --- Judgements, review and history ---------------------------------------------------------


class AuditEntry(Table, table=True):
    """One curated change of one field (or a whole record); ``change_id`` groups a command."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    change_id: str = Field(max_length=36, nullable=False, index=True)
    at: dt.datetime = Field(default_factory=utcnow, nullable=False, index=True)
    actor: str = Field(max_length=200, nullable=False)
    action: str = Field(max_length=32, nullable=False)
    record_type: str = Field(max_length=20, nullable=False)
    record_id: int | None = None
    field: str | None = Field(default=None, max_length=40)
    old_value: str | None = Field(default=None, sa_column=_text(), description="JSON")
    new_value: str | None = Field(default=None, sa_column=_text(), description="JSON")
    undoes: str | None = Field(default=None, max_length=36, description="change_id this entry reverts")
    undone_by: str | None = Field(default=None, max_length=36)

    __table_args__ = (Index("ix_audit_record", "record_type", "record_id"),)


class Judgement(Table, table=True):
    """A curator's decision that two records are (not) the same; merges keep what they moved."""

    __tablename__ = "judgement"

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(max_length=20, nullable=False)
    kept_id: int = Field(nullable=False)
    merged_id: int = Field(nullable=False)
    kind: str = Field(default="positive", max_length=16)
    score: float | None = None
    evidence: str = Field(default="[]", sa_column_kwargs={"nullable": False})
    moved: str = Field(default="{}", sa_column=_text(False), description="JSON: rows re-pointed by the merge")
    actor: str = Field(max_length=200, nullable=False)
    at: dt.datetime = Field(default_factory=utcnow, nullable=False)
    undone_at: dt.datetime | None = None

    __table_args__ = (Index("ix_judgement_pair", "record_type", "kept_id", "merged_id"),)


class MatchCandidate(Table, table=True):
    """An uncertain match found on ingest, waiting for a curator."""

    __tablename__ = "match_candidate"

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(max_length=20, nullable=False)
    left_id: int = Field(nullable=False)
    right_id: int = Field(nullable=False)
    score: float = 0.0
    evidence: str = Field(default="[]", sa_column_kwargs={"nullable": False})
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="SET NULL")
    status: str = Field(default="pending", max_length=16, index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, nullable=False)

    __table_args__ = (UniqueConstraint("record_type", "left_id", "right_id", name="uq_match_candidate"),)


class Conflict(Table, table=True):
    """An extracted value that disagrees with a curated one: kept, shown, never applied."""

    __tablename__ = "conflict"

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(max_length=20, nullable=False)
    record_id: int = Field(nullable=False)
    field: str = Field(max_length=40, nullable=False)
    curated_value: str | None = Field(default=None, sa_column=_text())
    extracted_value: str | None = Field(default=None, sa_column=_text())
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="CASCADE")
    status: str = Field(default="open", max_length=16)
    created_at: dt.datetime = Field(default_factory=utcnow, nullable=False)

    __table_args__ = (
        Index("ix_conflict_record", "record_type", "record_id"),
        UniqueConstraint("record_type", "record_id", "field", "source_id", name="uq_conflict"),
    )


class SearchDoc(Table, table=True):
    """Text of every searchable record; SQLite indexes it with FTS5, PostgreSQL with tsvector."""

    __tablename__ = "search_doc"

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(max_length=20, nullable=False)
    record_id: int = Field(nullable=False)
    title: str = Field(default="", sa_column=_text(False))
    body: str = Field(default="", sa_column=_text(False))

    __table_args__ = (UniqueConstraint("record_type", "record_id", name="uq_search_doc"),)


RECORD_TYPES: dict[str, type[SQLModel]] = {
    "source": Source,
    "person": Person,
    "organisation": Organisation,
    "membership": Membership,
    "case": Case,
    "case_party": CaseParty,
    "charge": Charge,
    "event": Event,
    "event_participant": EventParticipant,
    "person_alias": PersonAlias,
    "organisation_alias": OrganisationAlias,
}


def _set_phonetic_key(mapper: Any, connection: Any, target: Any) -> None:
    """Every ORM write keeps ``phonetic_key`` in step with ``name``, whichever code path wrote it."""
    target.phonetic_key = phonetic_key(target.name or "")


for _keyed in (Person, Organisation, PersonAlias, OrganisationAlias):
    event.listen(_keyed, "before_insert", _set_phonetic_key)
    event.listen(_keyed, "before_update", _set_phonetic_key)
