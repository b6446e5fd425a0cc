"""Deciding whether an extracted mention is a record we already have.

Resolution is pure: the store hands over the mention's :class:`NameProfile`
and the profiles of a few candidate records it found through indexed lookups,
and :func:`decide` returns one of three verdicts with the evidence:

* ``same`` -- the best candidate scores at least :data:`names.AUTO_MERGE` and
  nothing contradicts it: the mention is that record (its spelling becomes an
  alias);
* ``review`` -- one or more candidates score in the ``REVIEW`` band (or reached
  ``AUTO_MERGE`` on context alone while a contradiction forbids an automatic
  match): the mention becomes a new record and each such candidate a merge
  candidate for the curator;
* ``new`` -- nothing comes close.

Guards sit on top of :func:`names.match_score`, so that two different
people are never merged silently: a contradicting country, and given names
whose initials cannot agree in any script ("A. Smith" is not "B. Smith", while
"Uladzimir" may be "V." for Vladimir), keep a pair out of ``same`` whatever
the score; and pairs a curator rejected (``decide(..., rejected=...)``) are
never merged or proposed again.

Organisations are compared by their names, aliases and the name they carry in
quotes: Правозащитный центр «Весна» and Human Rights Center "Viasna" share the
quoted name Весна ~ Viasna, which ``names.phonetic_key`` equates across scripts.
A one-word organisation name is also compared without its case ending, so an
inflected Russian form («Вясне», «Весны») still finds Viasna.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from casetrack.ingest.names import (
    AUTO_MERGE,
    REVIEW,
    NameProfile,
    initials_agree,
    match_score,
    name_key,
    name_words,
    phonetic_key,
    word_forms,
)

SAME = "same"
REVIEW_VERDICT = "review"
NEW = "new"

_QUOTED = re.compile(r"[«\"“„‘'‹]\s*([^«»\"“”„‘’'‹›]{2,}?)\s*(?:[»\"”’'›]|$)")
_CASE_ENDING = re.compile(r"(ами|ого|ому|ой|ом|ам|ах|ы|и|е|у|ю|а|я|о|a|e|i|o|u|y)$")
_MIN_STEM = 3
REJECTED_MARGIN = 0.05
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An existing record offered for comparison."""

    record_id: int
    profile: NameProfile


@dataclass(frozen=True, slots=True)
class Scored:
    record_id: int
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict for one mention: the matched record, or the candidates to review."""

    verdict: str
    record_id: int | None = None
    score: float = 0.0
    evidence: tuple[str, ...] = ()
    reviews: tuple[Scored, ...] = field(default_factory=tuple)


def quoted_names(name: str) -> list[str]:
    """The names an organisation carries in quotes: 'Центр «Весна»' -> ['Весна']."""
    return [m.group(1).strip() for m in _QUOTED.finditer(name) if name_key(m.group(1))]


def organisation_profile(
    names: Iterable[str], country: str | None = None, organisations: Iterable[str] = ()
) -> NameProfile:
    """An organisation's profile: its names plus the names it carries in quotes."""
    expanded: list[str] = []
    for name in names:
        for variant in (name, *quoted_names(name)):
            if variant not in expanded:
                expanded.append(variant)
    return NameProfile(expanded, country, list(organisations))


def script_of(name: str) -> str | None:
    """'Cyrl' for a Cyrillic spelling, 'Latn' for a Latin one (ISO 15924), else None."""
    if _CYRILLIC.search(name):
        return "Cyrl"
    if _LATIN.search(name):
        return "Latn"
    return None


def _given_names(name: str) -> tuple[str, ...]:
    return tuple(name_words(name)[:-1])


def initials_differ(a: NameProfile, b: NameProfile) -> bool:
    """True when every pairing of two multi-word names has given names that cannot start alike in any
    script ('Igor' / 'Ivan' do, 'Yauhen' / 'Jauhen' and 'Uladzimir' / 'Vladimir' do not differ)."""
    pairs = [
        (_given_names(x), _given_names(y))
        for x in a.names
        for y in b.names
        if _given_names(x) and _given_names(y)
    ]
    return bool(pairs) and all(not _compatible(x, y) for x, y in pairs)


def _compatible(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    shorter, longer = sorted((x, y), key=len)
    return all(initials_agree(s, t) for s, t in zip(shorter, longer, strict=False))


def countries_differ(a: NameProfile, b: NameProfile) -> bool:
    return bool(a.country and b.country and a.country != b.country)


def word_stem(name: str) -> str | None:
    """The consonant skeleton of a one-word name without its case ending: 'Вясне', 'Viasna' -> 'vsn'."""
    words = name_key(name).split()
    if len(words) != 1:
        return None
    stem = phonetic_key(_CASE_ENDING.sub("", name.strip().lower()))
    return stem if len(stem) >= _MIN_STEM else None


def _stem_match(a: NameProfile, b: NameProfile) -> str | None:
    stems = {word_stem(n): n for n in b.names}
    stems.pop(None, None)
    for name in a.names:
        stem = word_stem(name)
        if stem is not None and stem in stems:
            return f"same one-word name in another case or script {name!r} ~ {stems[stem]!r}"
    return None


def _long_form(form: str) -> bool:
    """A comparison form with at least two consonant classes (one is too common to be a clue)."""
    return len(form.partition("|")[2].removesuffix("/f")) >= 2


@lru_cache(maxsize=65536)
def _sounds(name: str, person: bool) -> frozenset[str]:
    """What a name must share with another to be worth scoring: its words' skeletons (and stem)."""
    words = {w for w in phonetic_key(name).split() if len(w) >= 2} | {"key:" + name_key(name)}
    words |= {"form:" + form for word in name_words(name) for form in word_forms(word) if _long_form(form)}
    if not person:
        stem = word_stem(name)
        if stem:
            words.add("stem:" + stem)
    return frozenset(words)


def plausible(a: NameProfile, b: NameProfile, *, person: bool) -> bool:
    """A cheap filter before scoring: the two share a name key or at least one word skeleton."""
    sounds = set().union(*(_sounds(n, person) for n in a.names)) if a.names else set()
    return any(_sounds(n, person) & sounds for n in b.names)


def score(mention: NameProfile, candidate: Candidate, *, person: bool) -> Scored:
    """The match score of one candidate with its evidence, guards applied."""
    result = match_score(mention, candidate.profile)
    value, evidence = result.score, list(result.evidence)
    if not person and value < AUTO_MERGE:
        stem = _stem_match(mention, candidate.profile)
        if stem is not None and not countries_differ(mention, candidate.profile):
            value, evidence = AUTO_MERGE, [stem]
    if person and value > 0 and initials_differ(mention, candidate.profile):
        value = min(value, REVIEW - 0.01)
        evidence.append("given-name initials differ")
    return Scored(candidate.record_id, value, tuple(evidence))


def decide(
    mention: NameProfile,
    candidates: Iterable[Candidate],
    *,
    person: bool = True,
    rejected: Collection[tuple[int, int]] = frozenset(),
    mention_id: int | None = None,
) -> Decision:
    """``same`` (with the record), ``review`` (with the candidates) or ``new``.

    ``rejected`` holds the pairs of record ids a curator judged to be different (either order).
    A candidate rejected against ``mention_id`` (the mention's own record, when it has one) is
    never matched nor proposed again; when the best candidate's rejected partner scores within
    ``REJECTED_MARGIN`` of it, the mention could be either of two different people and is only
    proposed, never merged.
    """
    pairs = _pair_set(rejected)
    offered = [
        c
        for c in candidates
        if not _is_rejected(pairs, mention_id, c.record_id) and plausible(mention, c.profile, person=person)
    ]
    scored = sorted(
        (score(mention, c, person=person) for c in offered),
        key=lambda s: (-s.score, s.record_id),
    )
    best = scored[0] if scored else None
    if (
        best is not None
        and best.score >= AUTO_MERGE
        and not _contradicted(mention, offered, best)
        and not _rival(pairs, scored, best)
    ):
        return Decision(SAME, best.record_id, best.score, best.evidence)
    reviews = tuple(s for s in scored if s.score >= REVIEW)
    if reviews:
        return Decision(REVIEW_VERDICT, None, reviews[0].score, reviews[0].evidence, reviews)
    return Decision(NEW)


def _pair_set(rejected: Collection[tuple[int, int]]) -> frozenset[frozenset[int]]:
    return frozenset(frozenset(pair) for pair in rejected)


def _is_rejected(pairs: frozenset[frozenset[int]], left: int | None, right: int) -> bool:
    return left is not None and frozenset((left, right)) in pairs


def _rival(pairs: frozenset[frozenset[int]], scored: list[Scored], best: Scored) -> bool:
    """Another strong candidate that a curator holds to be a different person from the best one."""
    return any(
        other.record_id != best.record_id
        and other.score >= AUTO_MERGE
        and best.score - other.score <= REJECTED_MARGIN
        and _is_rejected(pairs, best.record_id, other.record_id)
        for other in scored
    )


def _contradicted(mention: NameProfile, candidates: list[Candidate], best: Scored) -> bool:
    profile = next(c.profile for c in candidates if c.record_id == best.record_id)
    return countries_differ(mention, profile)
