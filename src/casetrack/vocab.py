"""Controlled vocabularies shared by the models, extraction, curation and rendering.

Each vocabulary is a ``StrEnum`` so that values are stored as plain text in the
database (portable between SQLite and PostgreSQL, readable in exports) while the
code still gets a closed set to validate against. This module imports nothing
heavy: the CLI uses it to build help texts and choices at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class Origin(StrEnum):
    """Where a fact came from: a curated fact is never overwritten by ingestion."""

    extracted = "extracted"
    curated = "curated"
    imported = "imported"


class OrgKind(StrEnum):
    ngo = "ngo"
    media = "media"
    court = "court"
    government = "government"
    intergovernmental = "intergovernmental"
    party = "party"
    other = "other"


class CaseStatus(StrEnum):
    investigation = "investigation"
    detained = "detained"
    charged = "charged"
    on_trial = "on_trial"
    convicted = "convicted"
    acquitted = "acquitted"
    released = "released"
    closed = "closed"
    unknown = "unknown"


class PartyRole(StrEnum):
    defendant = "defendant"
    detainee = "detainee"
    victim = "victim"
    lawyer = "lawyer"
    judge = "judge"
    prosecutor = "prosecutor"
    investigator = "investigator"
    supporter = "supporter"
    witness = "witness"
    other = "other"


class EventKind(StrEnum):
    arrest = "arrest"
    detention = "detention"
    search = "search"
    charge = "charge"
    hearing = "hearing"
    trial = "trial"
    verdict = "verdict"
    sentence = "sentence"
    appeal = "appeal"
    release = "release"
    acquittal = "acquittal"
    pardon = "pardon"
    transfer = "transfer"
    extradition = "extradition"
    petition = "petition"
    protest = "protest"
    statement = "statement"
    award = "award"
    other = "other"


class ParticipantRole(StrEnum):
    """How a person or organisation takes part in an event."""

    actor = "actor"
    subject = "subject"
    other = "other"


class Precision(StrEnum):
    """How much of a date is known (FollowTheMoney-style prefixes plus month-day)."""

    minute = "minute"
    day = "day"
    month = "month"
    year = "year"
    month_day = "month-day"
    unknown = "unknown"


class JudgementKind(StrEnum):
    """A curator's decision about two records (as in nomenklatura's resolver)."""

    positive = "positive"
    negative = "negative"
    unsure = "unsure"


def choices(enum: type[StrEnum]) -> str:
    """A comma-separated list of the values, for error messages and help."""
    return ", ".join(member.value for member in enum)
