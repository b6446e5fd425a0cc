"""Extraction of persons, organisations, cases, charges and events from cleaned text.

Rules and gazetteers over sentences for English (see the modules: sentences,
organisations, persons, legal_articles, charges, cases, relative_dates, events);
natasha's NER and lemmatiser for Russian person and organisation names (loaded
lazily once, the models ship inside the PyPI packages). Every fact keeps the
sentence it came from with offsets into ``Document.text``. A headline restating the
body's event is folded into it (see folding).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from casetrack.ingest.extract import lexicon
from casetrack.ingest.extract.cases import add_case_roles, extract_cases
from casetrack.ingest.extract.charges import extract_charges
from casetrack.ingest.extract.events import extract_events
from casetrack.ingest.extract.folding import fold_events, headline_starts
from casetrack.ingest.extract.guard import case_folded
from casetrack.ingest.extract.organisations import extract_organisations, organisation_hits
from casetrack.ingest.extract.persons import extract_persons
from casetrack.ingest.extract.sentences import split_sentences
from casetrack.ingest.types import Document, Extraction, Quote

_SPACES = str.maketrans({c: " " for c in "\u00a0\u2007\u202f\u2009\u200a\t"})


def _document_country(text: str) -> str | None:
    """The country named most; demonyms and capitals only break ties between country names."""
    counts: Counter[str] = Counter()
    words = Counter(re.findall(r"\w+", text.lower()))
    folded = case_folded(text)
    for table in (lexicon.DEMONYMS, lexicon.CITIES):
        for word, code in table.items():
            counts[code] += words[word]
    for name, code in lexicon.COUNTRIES.items():
        if len(name) > 3 and name.split()[0] in words and name in folded:
            counts[code] += 10 * len(_country_pattern(name).findall(text))
    if not counts or counts.most_common(1)[0][1] == 0:
        return None
    return counts.most_common(1)[0][0]


@functools.cache
def _country_pattern(name: str) -> re.Pattern[str]:
    """Compiled once per country name (there are a few hundred: more than ``re``'s own cache keeps)."""
    return re.compile(rf"\b{re.escape(name)}\b", re.I)


def _organisation_countries(organisations: list, persons: list, country: str | None) -> None:
    """An NGO without a stated country takes its head's country, else the article's (unless international)."""
    for organisation in organisations:
        if organisation.country or organisation.kind != "ngo":
            continue
        heads = [
            p.country
            for p in persons
            if p.country and any(m.organisation == organisation.name for m in p.memberships)
        ]
        if heads:
            organisation.country = heads[0]
        elif not re.search(
            r"international|federation|\bun\b|world|global|amnesty|watch", organisation.name, re.I
        ):
            organisation.country = country


def _is_russian(document: Document) -> bool:
    if document.language:
        return document.language.startswith(("ru", "be"))
    cyrillic = len(re.findall(r"[а-яё]", document.text, re.I))
    return cyrillic > len(re.findall(r"[a-z]", document.text, re.I))


def extract(document: Document) -> Extraction:
    """Every fact the cleaned text of ``document`` states, each with its quote."""
    text = document.text.translate(_SPACES)
    sentences = split_sentences(text)
    country = _document_country(text)
    if _is_russian(document):
        from casetrack.ingest.extract.russian import russian_names

        organisations, org_surface, persons, person_surface = russian_names(text, sentences)
    else:
        hits = organisation_hits(sentences)
        organisations, org_surface = extract_organisations(sentences, hits)
        org_spans = [(h.start, h.end) for sentence_hits in hits for h in sentence_hits]
        found = extract_persons(sentences, org_spans, org_surface, [o.name for o in organisations])
        persons, person_surface = found.persons, found.surface
    _organisation_countries(organisations, persons, country)
    org_surface_full = dict(org_surface)
    for organisation in organisations:
        org_surface_full[organisation.name] = organisation.name
        for alias in organisation.aliases:
            org_surface_full[alias] = organisation.name
    charges = extract_charges(sentences, person_surface)
    cases = extract_cases(sentences, text, person_surface, charges, country)
    add_case_roles(cases, persons, person_surface)
    memberships = {p.name: [m.organisation for m in p.memberships] for p in persons}
    events = extract_events(
        sentences, person_surface, org_surface_full, cases, document.published, memberships
    )
    events = fold_events(events, headline_starts(sentences, document.title))
    extraction = Extraction(persons=persons, organisations=organisations, cases=cases, events=events)
    _quote_original(extraction, document.text)
    return extraction


def _quote_original(extraction: Extraction, original: str) -> None:
    """Rules ran on a copy with uniform spaces; quotes cite the original characters."""
    facts: list = [*extraction.persons, *extraction.organisations, *extraction.cases, *extraction.events]
    facts += [charge for case in extraction.cases for charge in case.charges]
    for fact in facts:
        if fact.quote is not None:
            fact.quote = Quote(original[fact.quote.start : fact.quote.end], fact.quote.start, fact.quote.end)


def english_mentions(text: str, *, skip_credits: bool = False) -> dict[str, list[tuple[int, int]]]:
    """Character spans where the English rules found person and organisation mentions.

    For benchmarks: persons are the full-name mentions the person rules accepted (with
    the honorific of "Professor Eastman"); organisations are the phrases the rules found
    plus later occurrences of their aliases (bracketed abbreviations, initialisms). Names in
    photo credits and bylines count unless ``skip_credits`` (``extract`` skips them).
    """
    text = text.translate(_SPACES)
    sentences = split_sentences(text)
    hits = organisation_hits(sentences)
    organisations, org_surface = extract_organisations(sentences, hits)
    spans = [(h.start, h.end) for sentence_hits in hits for h in sentence_hits]
    names = [o.name for o in organisations]
    found = extract_persons(sentences, spans, org_surface, names, skip_credits=skip_credits)
    org_spans = list(spans)
    for alias in {a for o in organisations for a in o.aliases}:
        for match in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", text):
            if not any(s < match.end() and match.start() < e for s, e in org_spans):
                org_spans.append((match.start(), match.end()))
    return {"person": sorted(set(found.mentions)), "organisation": sorted(org_spans)}
