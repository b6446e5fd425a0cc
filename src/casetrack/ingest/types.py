"""The data that flows out of the ingest pipeline.

These dataclasses are the contract between extraction (pure), storage and the
``ingest --json`` output: ``to_json`` gives exactly the documented JSON Lines
shape. Every fact carries a :class:`Quote`: the sentence it came from and its
character offsets in ``Document.text`` (the cleaned text that is stored with
the source), so a citation can always be checked against the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casetrack.dates import PartialDate


@dataclass(slots=True)
class Quote:
    """An exact sentence of the cleaned text and its [start, end) offsets."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


def _quote_json(quote: Quote | None) -> dict[str, Any]:
    if quote is None:
        return {"quote": None, "span": None}
    return {"quote": quote.text, "span": [quote.start, quote.end]}


@dataclass(slots=True)
class Document:
    """A cleaned source: what ``clean`` and ``dates`` make of one input."""

    input: str
    text: str
    sha256: str
    raw: bytes = field(repr=False)
    media_type: str = "text/plain"
    encoding: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    language: str | None = None
    published: PartialDate = field(default_factory=PartialDate.unknown)
    published_evidence: str | None = None
    retrieved: PartialDate = field(default_factory=PartialDate.unknown)
    retrieved_evidence: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "language": self.language,
            "published": self.published.to_json() | {"evidence": self.published_evidence},
            "retrieved": self.retrieved.to_json() | {"evidence": self.retrieved_evidence},
            "sha256": self.sha256,
            "text": self.text,
        }


@dataclass(slots=True)
class MembershipMention:
    organisation: str
    role: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"organisation": self.organisation, "role": self.role}


@dataclass(slots=True)
class PersonMention:
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    memberships: list[MembershipMention] = field(default_factory=list)
    quote: Quote | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "description": self.description,
            "country": self.country,
            "memberships": [m.to_json() for m in self.memberships],
        } | _quote_json(self.quote)


@dataclass(slots=True)
class OrganisationMention:
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str = "other"  # vocab.OrgKind value
    country: str | None = None
    quote: Quote | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "kind": self.kind,
            "country": self.country,
        } | _quote_json(self.quote)


@dataclass(slots=True)
class ChargeMention:
    person: str | None
    charge: str | None
    legal_article: str | None = None  # normalised, e.g. "Art. 342 Part 2"
    legal_article_raw: str | None = None  # as written: "ч. 2 ст. 342 УК"
    max_penalty: str | None = None
    sentence: str | None = None
    date: PartialDate = field(default_factory=PartialDate.unknown)
    quote: Quote | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "charge": self.charge,
            "legal_article": self.legal_article,
            "legal_article_raw": self.legal_article_raw,
            "max_penalty": self.max_penalty,
            "sentence": self.sentence,
            "date": self.date.to_json(),
        } | _quote_json(self.quote)


@dataclass(slots=True)
class PartyMention:
    name: str
    role: str  # vocab.PartyRole value

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role}


@dataclass(slots=True)
class CaseMention:
    name: str
    country: str | None = None
    status: str = "unknown"  # vocab.CaseStatus value
    parties: list[PartyMention] = field(default_factory=list)
    charges: list[ChargeMention] = field(default_factory=list)
    quote: Quote | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "status": self.status,
            "parties": [p.to_json() for p in self.parties],
            "charges": [c.to_json() for c in self.charges],
        } | _quote_json(self.quote)


@dataclass(slots=True)
class EventMention:
    kind: str  # vocab.EventKind value
    date: PartialDate = field(default_factory=PartialDate.unknown)
    summary: str = ""
    location: str | None = None
    persons: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)  # names above that act; the rest are subjects
    case: str | None = None
    figures: dict[str, int] = field(default_factory=dict)
    quote: Quote | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.date.to_json(),
            "summary": self.summary,
            "location": self.location,
            "persons": list(self.persons),
            "organisations": list(self.organisations),
            "actors": list(self.actors),
            "case": self.case,
            "figures": dict(self.figures),
        } | _quote_json(self.quote)


@dataclass(slots=True)
class Extraction:
    persons: list[PersonMention] = field(default_factory=list)
    organisations: list[OrganisationMention] = field(default_factory=list)
    cases: list[CaseMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "persons": [p.to_json() for p in self.persons],
            "organisations": [o.to_json() for o in self.organisations],
            "cases": [c.to_json() for c in self.cases],
            "events": [e.to_json() for e in self.events],
        }


@dataclass(slots=True)
class Analysis:
    """One input, cleaned and extracted: one line of ``ingest --json``."""

    document: Document
    extraction: Extraction = field(default_factory=Extraction)

    def to_json(self) -> dict[str, Any]:
        return {"input": self.document.input, "source": self.document.to_json()} | self.extraction.to_json()
