"""Russian persons and organisations with natasha (NER + morphology, models inside the package).

natasha's NewsNERTagger finds PER and ORG spans; the lemmatiser turns inflected
forms (Беляцкому, Беляцкого) into the nominative (Беляцкий). A person named by
surname alone joins the full name with the same surname. Models load once,
lazily, on the first Russian document.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from casetrack.ingest.extract.sentences import Sentence
from casetrack.ingest.types import OrganisationMention, PersonMention

_KIND = [
    ("court", re.compile(r"суд\b|суда\b", re.I)),
    (
        "government",
        re.compile(
            r"посольств|министерств|МВД|ФСБ|КГБ|ГКНБ|прокуратур|СК\b|полици|милици|правительств", re.I
        ),
    ),
    ("intergovernmental", re.compile(r"\bООН\b|ОБСЕ|Евросоюз|Совет Европы", re.I)),
    ("media", re.compile(r"газет|радио|\bТВ\b|телеканал|агентств", re.I)),
    ("party", re.compile(r"парти", re.I)),
    ("ngo", re.compile(r"правозащит|центр|Мемориал|Весна|Вясна|Amnesty|фонд|движени|ОВД", re.I)),
]


@lru_cache(maxsize=1)
def _models() -> tuple[Any, Any, Any, Any]:
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    embedding = NewsEmbedding()
    return Segmenter(), MorphVocab(), NewsNERTagger(embedding), NewsMorphTagger(embedding)


def ner_spans(text: str) -> list[tuple[str, int, int, str]]:
    """(type, start, end, nominative) for every PER/ORG/LOC span natasha finds."""
    from natasha import Doc

    segmenter, morph_vocab, ner_tagger, morph_tagger = _models()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(ner_tagger)
    doc.tag_morph(morph_tagger)
    spans = []
    for span in doc.spans:
        span.normalize(morph_vocab)
        spans.append((span.type, span.start, span.stop, span.normal or span.text))
    return spans


def _sentence_at(sentences: list[Sentence], position: int) -> Sentence | None:
    return next((s for s in sentences if s.start <= position < s.end), None)


def _kind(name: str) -> str:
    return next((kind for kind, pattern in _KIND if pattern.search(name)), "other")


def russian_names(
    text: str, sentences: list[Sentence]
) -> tuple[list[OrganisationMention], dict[str, str], list[PersonMention], dict[str, str]]:
    persons: dict[str, PersonMention] = {}
    person_surface: dict[str, str] = {}
    organisations: dict[str, OrganisationMention] = {}
    org_surface: dict[str, str] = {}
    spans = ner_spans(text)
    full_names = {
        normal.split()[-1]: normal
        for kind, _, _, normal in spans
        if kind == "PER" and len(normal.split()) > 1
    }
    for kind, start, end, normal in spans:
        sentence = _sentence_at(sentences, start)
        quote = sentence.quote() if sentence else None
        surface = text[start:end]
        if kind == "PER":
            canonical = normal if len(normal.split()) > 1 else full_names.get(normal)
            if canonical is None:
                continue
            mention = persons.setdefault(canonical, PersonMention(name=canonical, quote=quote))
            if surface != canonical and surface not in mention.aliases:
                mention.aliases.append(surface)
            person_surface[surface] = canonical
            person_surface[canonical] = canonical
        elif kind == "ORG":
            name = normal.strip('«»"')
            mention_org = organisations.setdefault(
                name, OrganisationMention(name=name, kind=_kind(name), quote=quote)
            )
            if surface.strip('«»"') != name and surface not in mention_org.aliases:
                mention_org.aliases.append(surface.strip('«»"'))
            org_surface[surface] = name
            org_surface[name] = name
    return list(organisations.values()), org_surface, list(persons.values()), person_surface
