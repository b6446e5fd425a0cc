"""Events: one per sentence whose trigger word names an event kind.

Kinds come from a trigger lexicon (English and Russian stems) checked in order
of specificity. Each event takes the sentence's date (see relative_dates), or the
date of an earlier sentence of the same quoted passage when the trigger sentence
refers back ("came there"); a location from the place gazetteer; the persons and
organisations named in the sentence; actors (the grammatical subject: names
before the trigger, the speaker of "..., X said", or the narrator of a
first-person passage); figures ("405,000 signatures"); and the case it concerns.
"""

from __future__ import annotations

import re
from functools import lru_cache

from casetrack.dates import PartialDate
from casetrack.ingest.extract import lexicon
from casetrack.ingest.extract.guard import case_folded
from casetrack.ingest.extract.relative_dates import find_date
from casetrack.ingest.extract.sentences import Sentence
from casetrack.ingest.extract.spans import standalone
from casetrack.ingest.types import CaseMention, EventMention

TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    ("petition", re.compile(r"\b(petition|signatures)\b|подпис", re.I)),
    (
        "sentence",
        re.compile(
            r"\b(sentenced|jailed|fined|suspended sentence|probation)\b|приговорил|осужден|оштрафова|условн\w+ срок"
            r"|\bsentences\b(?=[^.]*?\bto\s(?:[\w\-]+\s){1,2}?(?:years?|months?|life)\b)"
            r"|получил[аи]?\s+(?:\d+|[а-яё]+)\s+(?:лет|год)",
            re.I,
        ),
    ),
    ("verdict", re.compile(r"\b(verdict|found guilty|convicted)\b|признал[аи]? виновн|приговор", re.I)),
    ("acquittal", re.compile(r"\bacquitted\b|оправда(?:л|н)", re.I)),
    ("pardon", re.compile(r"\bpardoned\b|помиловал", re.I)),
    ("appeal", re.compile(r"\b(appeal|appealed)\b|апелляц", re.I)),
    ("extradition", re.compile(r"\bextradit\w*|экстрадир|выдач", re.I)),
    (
        "release",
        re.compile(
            r"\b(was|were|been) released\b|\bfreed\b|освобо(?:жден|дил)|вы(?:шел|шла|пустил\w*) на свободу",
            re.I,
        ),
    ),
    ("search", re.compile(r"\b(searched|raided|search of)\b|обыск", re.I)),
    ("arrest", re.compile(r"\barrested\b|арестова|\bарест\b", re.I)),
    ("detention", re.compile(r"\bdetained\b|задерж", re.I)),
    (
        "charge",
        re.compile(
            r"\b(charged with|indicted|accused of)\b|предъявил[аи]? обвинение|обвиня(?:ется|ют)|обвинил[аи]?\s+в\s",
            re.I,
        ),
    ),
    ("hearing", re.compile(r"\b(hearing|court session)\b|заседани", re.I)),
    ("trial", re.compile(r"\btrial\b|судебн\w+ процесс", re.I)),
    (
        "protest",
        re.compile(r"\b(protest\w*|picket\w*|rall(?:y|ied)|demonstrat\w+)\b|пикет|митинг|протест", re.I),
    ),
    ("award", re.compile(r"\b(award(?:ed)?|prize|laureate)\b|преми\w*|лауреат\w*", re.I)),
    (
        "statement",
        re.compile(
            r"[»”\"],?\s+[A-Z][^.]*\b(said|says|stated|urged)\b|\b(urged|called on|called for|demanded|condemned|denounced)\b"
            r"|заявил|призвал|осудил[аи]?\b",
            re.I,
        ),
    ),
]
_KIND_STEMS: dict[str, tuple[str, ...]] = {
    "petition": ("petition", "signatures", "подпис"),
    "sentence": (
        "sentence",
        "jailed",
        "fined",
        "probation",
        "приговорил",
        "осужден",
        "оштрафова",
        "условн",
        "получил",
    ),
    "verdict": ("verdict", "found guilty", "convicted", "признал", "приговор"),
    "acquittal": ("acquitted", "оправда"),
    "pardon": ("pardoned", "помиловал"),
    "appeal": ("appeal", "апелляц"),
    "extradition": ("extradit", "экстрадир", "выдач"),
    "release": ("released", "freed", "освобо", "на свободу"),
    "search": ("searched", "raided", "search of", "обыск"),
    "arrest": ("arrested", "арест"),
    "detention": ("detained", "задерж"),
    "charge": ("charged with", "indicted", "accused of", "обвин"),
    "hearing": ("hearing", "court session", "заседани"),
    "trial": ("trial", "судебн"),
    "protest": ("protest", "picket", "rall", "demonstrat", "пикет", "митинг", "протест"),
    "award": ("award", "prize", "laureate", "преми", "лауреат"),
    "statement": (
        *("said", "says", "stated", "urged", "called on", "called for", "demanded", "condemned", "denounced"),
        *("заявил", "призвал", "осудил"),
    ),
}
"""Every match of a kind's ``TRIGGERS`` pattern contains one of the kind's stems (once folded): a
sentence without any skips that pattern. Keep in step when a trigger is added."""
_TRIGGER_STEMS = tuple(stem for stems in _KIND_STEMS.values() for stem in stems)
"""A sentence without any stem is no event and skips every pattern."""


def _folded(text: str) -> str:
    return case_folded(text)


def _has_stem(folded: str, stems: tuple[str, ...]) -> bool:
    return any(stem in folded for stem in stems)


def _may_trigger(text: str) -> bool:
    return _has_stem(_folded(text), _TRIGGER_STEMS)


_FIGURE = re.compile(
    r"(\d{1,3}(?:[,\s]\d{3})+|\d+)\s+(signatures|people|participants|protesters|detainees|подписей|человек)"
)
_FIGURE_NAMES = {"подписей": "signatures", "человек": "people"}
_FIRST_PERSON = re.compile(r"\b(I|we|We|My|my|our|Our)\b")
_NARRATOR_OPENING = re.compile(
    r"^([A-ZÀ-Þ][\w\-]+(?: [A-ZÀ-Þ][\w\-]+){1,2})(?:,[^.]*?)?\s(?:told|said|says|recounted|described)\b"
)
_PRONOUN_SUBJECT = re.compile(r"(?<!\w)(?:he|she|He|She|он|она|Он|Она)\s(?:[\w\-]+\s){0,3}$")
"""'In October 2022, while in custody, he was awarded': the person of the previous sentence."""
_PASSIVE = re.compile(r"\b(?:was|were|been|is|are|be)\s+(?:\w+\s)?$")


_DESCRIPTOR_WORDS = r"(?:(?:winner|winning|laureate|лауреат\w*|преми\w+|мира|[A-ZА-ЯЁ][\w\-]*|[«“\"][^»”\"]{1,40}[»”\"])\s+){0,3}?"


def _triggered(kind: str, pattern: re.Pattern[str], text: str, persons: dict[str, str]) -> bool:
    """Whether ``pattern`` names an event of ``kind`` in ``text``.

    An award noun that only describes a person ("Nobel laureate Ales Bialiatski", "Peace
    Prize winner X", "лауреат Нобелевской премии мира X") is no award event: every award
    trigger of the sentence must be something else for the sentence to be one.
    """
    if kind != "award":
        return pattern.search(text) is not None
    matches = list(pattern.finditer(text))
    names = "|".join(re.escape(form) for form in sorted(persons, key=len, reverse=True) if form in text)
    for match in matches:
        after = text[match.end() :]
        if re.match(r"[\s\-]*(?:winning|winner)\b", after):
            continue
        if names and re.match(rf"[\s\-]*{_DESCRIPTOR_WORDS}(?:{names})(?![\w\-])", after):
            continue
        return True
    return False


def _names_in(text: str, surface: dict[str, str]) -> list[tuple[int, str]]:
    found: dict[str, int] = {}
    for form, canonical in surface.items():
        if form not in text:
            continue
        starts = standalone(text, form, dash=True)
        if starts:
            found[canonical] = min(found.get(canonical, starts[0]), starts[0])
    return sorted((pos, name) for name, pos in found.items())


def _location(text: str) -> str | None:
    for place in lexicon.CITIES:
        if re.search(rf"\b{place}\b", text, re.I):
            return place.title()
    match = re.search(r"\bin the (UK|US|USA|United Kingdom|United States)\b", text)
    if match:
        return lexicon.COUNTRY_ABBREVIATIONS.get(match.group(1), match.group(1))
    country = _in_country().search(text)
    return country.group(1).title() if country else None


@lru_cache(maxsize=1)
def _in_country() -> re.Pattern[str]:
    """'in <country>' for every country name longer than three letters, longest first (one pass)."""
    names = sorted((n for n in lexicon.COUNTRIES if len(n) > 3), key=len, reverse=True)
    return re.compile(rf"\bin ({'|'.join(re.escape(n) for n in names)})\b", re.I)


def _summary(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip(' «»“”"'))
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"


def extract_events(
    sentences: list[Sentence],
    persons: dict[str, str],
    orgs: dict[str, str],
    cases: list[CaseMention],
    published: PartialDate,
    memberships: dict[str, list[str]],
) -> list[EventMention]:
    events: list[EventMention] = []
    narrator: str | None = None
    for index, sentence in enumerate(sentences):
        text = sentence.text
        opening = _NARRATOR_OPENING.match(text)
        if opening and not _FIRST_PERSON.search(opening.group(0)):
            narrator = persons.get(opening.group(1), narrator)
        folded = _folded(text)
        if not _has_stem(folded, _TRIGGER_STEMS):
            continue
        kind = next(
            (
                k
                for k, pattern in TRIGGERS
                if _has_stem(folded, _KIND_STEMS[k]) and _triggered(k, pattern, text, persons)
            ),
            None,
        )
        if kind is None:
            continue
        people = _names_in(text, persons)
        trigger = next(p for k, p in TRIGGERS if k == kind).search(text)
        assert trigger is not None
        organisations = _names_in(text, orgs)
        date = find_date(text, published)
        location = _location(text)
        if re.search(r"\b(there|then)\b", text) and index:
            previous = sentences[index - 1]
            if not date.known:
                date = find_date(previous.text, published)
            location = location or _location(previous.text)
        actors = [name for pos, name in people + organisations if pos < trigger.start()]
        if _PASSIVE.search(text[: trigger.start()]):
            actors = []
        speaker = re.search(r"[»”\"],?\s+(.+?)\s+(?:said|says|stated)\b", text)
        if speaker:
            actors = [name for _, name in _names_in(speaker.group(1), persons)][:1] or actors
        if kind in ("statement", "petition") and not actors and not speaker:
            continue
        if _FIRST_PERSON.search(text) and narrator and not actors:
            actors = [narrator, *memberships.get(narrator, [])]
        figures = {}
        for match in _FIGURE.finditer(text):
            figures[_FIGURE_NAMES.get(match.group(2), match.group(2))] = int(
                re.sub(r"\D", "", match.group(1))
            )
        names = [name for _, name in people]
        org_names = [name for _, name in organisations]
        for actor in actors:
            if actor in orgs.values() and actor not in org_names:
                org_names.append(actor)
            elif actor in persons.values() and actor not in names:
                names.append(actor)
        if not names and kind in ("charge", "sentence"):
            names = _charged_in(sentence, cases)
        if not names and index and _PRONOUN_SUBJECT.search(text[: trigger.start()]):
            names = [name for _, name in _names_in(sentences[index - 1].text, persons)][-1:]
        case = _case_for(text, names, cases)
        if case and kind in ("protest", "petition", "statement"):
            for party in case.parties:
                if party.name not in names:
                    names.append(party.name)
        events.append(
            EventMention(
                kind=kind,
                date=date,
                summary=_summary(text),
                location=location,
                persons=names,
                organisations=org_names,
                actors=list(dict.fromkeys(actors)),
                case=case.name if case else None,
                figures=figures,
                quote=sentence.quote(),
            )
        )
    return events


def _charged_in(sentence: Sentence, cases: list[CaseMention]) -> list[str]:
    """The persons the charges of this sentence concern ("she is accused of", "Правозащитников
    обвинили в"), when the sentence names nobody itself."""
    charged = [
        charge.person
        for case in cases
        for charge in case.charges
        if charge.person and charge.quote and charge.quote.start == sentence.start
    ]
    return list(dict.fromkeys(charged))


def _case_for(text: str, names: list[str], cases: list[CaseMention]) -> CaseMention | None:
    for case in cases:
        if case.name.lower() in text.lower() or case.name.replace(" case", "") in text:
            return case
    for case in cases:
        if any(p.name in names for p in case.parties):
            return case
    own = [c for c in cases if c.name.startswith("Detention of")]
    return own[0] if len(own) == 1 else None
