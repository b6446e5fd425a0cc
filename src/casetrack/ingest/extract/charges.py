"""Charges, penalties and sentences.

Triggers: "charged with", "accused of", "convicted of", "found guilty of/under",
"обвиняется/обвиняют в", "осужден(а) по". The charge text runs from the trigger
to the end of the clause, with framing such as "far-fetched accusations of" and
quotation marks removed. The person is the nearest name before the trigger in
the sentence; a pronoun-led follow-up sentence ("For this she faces up to 15
years in prison") adds the maximum penalty to the previous charge.
"""

from __future__ import annotations

import re

from casetrack.ingest.extract.guard import Guarded
from casetrack.ingest.extract.legal_articles import find_articles
from casetrack.ingest.extract.sentences import Sentence
from casetrack.ingest.types import ChargeMention

_TRIGGER = Guarded(
    re.compile(
        r"\b(?:charged with|accused of|convicted of|found guilty (?:of|under)|indicted (?:for|on)|prosecuted (?:for|under)|"
        r"обвиня(?:ется|ются|ют|ли)\s+в|обвинил[аи]?\s+в|обвин[её]н[аы]?\s+в|вменя\w+|осужден[аы]?\s+(?:по|за)"
        r"|обвинени[еяю]\s+(?:в|по))\s+"
    ),
    (
        "charged with",
        "accused of",
        "convicted of",
        "found guilty",
        "indicted",
        "prosecuted",
        "обвин",
        "вменя",
        "осужден",
    ),
)
_FRAMING = re.compile(r"^(?:(?:the\s)?(?:[\w\-]+\s)?(?:accusations?|charges?)\s+of\s+)", re.I)
_MAX_PENALTY = Guarded(
    re.compile(
        r"\bfaces?\s+(up to\s+\d+\s+years?(?:\s+(?:in|of)\s+(?:prison|jail|imprisonment|a penal colony))?)|грозит\s+(до\s+\d+\s+лет(?:\s+[а-я ]{0,30}свободы)?)"
    ),
    ("face", "грозит"),
)
_SENTENCE = Guarded(
    re.compile(
        r"\bsentenced\s+(?:[^.;]{0,150}?\s)?to\s+([^.,;]*?(?:years?|months?|days?|life)[^.,;]*?)(?=[.,;]|$)"
        r"|\bfined\s+([^.;]+?)(?=[.;]|,\s|\s(?:for|on|under|after)\s|$)"
        r"|\b((?:a\s)?suspended\s(?:sentence|prison term)[^.;,]*?)(?=[.;,]|$)"
        r"|\b((?:\w+|\d+)\s(?:years?|months?)\s(?:of\s)?probation)\b"
        r"|\b(?:put|placed)\son\s(probation[^.;,]*?)(?=[.;,]|$)"
        r"|приговорил[аи]?\s+(?:[^.;]*?\s)?(к\s+[^.;]+?)(?=[.;]|,\s[а-я]+\s|$)"
        r"|оштрафова\w*\s+на\s+([^.;]+?)(?=[.;]|,\s|$)"
        r"|(условн\w+\s+срок\w*(?:\s+[^.,;]+?)?)(?=[.,;]|$)"
        r"|\bjailed\s+for\s+([^.,;]*?(?:years?|months?))(?=[.,;\s]|$)"
        r"|получил[аи]?\s+((?:\d+|[а-яё]+)\s+(?:лет|год\w*|месяц\w*)[^.,;]*?)(?=[.,;]|$)"
    ),
    (
        "sentenced",
        "fined",
        "suspended",
        "probation",
        "приговорил",
        "оштрафова",
        "условн",
        "jailed",
        "получил",
    ),
)
_TERM = re.compile(
    r"(?:\bto\s+|(?<!\w)к\s+|—\s*|\bfor\s+|получил[аи]?\s+)((?:\d+(?:[.,]\d+)?|[a-zа-яё\-]+)\s+"
    r"(?:years?|months?|лет|год\w*|месяц\w*)(?:\s+(?:in|of)\s+(?:a\s+)?(?:penal colony|prison|jail))?)",
    re.I,
)
"""A prison term after one person of a sentence naming several ("X to nine years and Y to seven")."""
_COLLECTIVE = re.compile(
    r"\b(?:they|They|the\s(?:[a-z\-]+\s)?[a-z]+s)\s(?:were|have been|had been|are)\s$"
    r"|(?:^|\s)(?:[А-ЯЁа-яё]+(?:ов|ев|ей|ых|их)|Они|они|Их|их)\s$"
)
"""A plural subject before the trigger: the charge concerns every sentenced person of the text."""
_PARTS = re.compile(r"\s(?:и|and)\s(?:в|with|of)\s")
_PRONOUN_PENALTY = re.compile(r"\b(?:he|she|they)\s+faces?\b|(?:^|\s)(?:ему|ей|им)\s+грозит", re.I)
_IN_ABSENTIA = re.compile(r"\bin absentia\b|заочно", re.I)
_CLAUSE_END = re.compile(
    r"[.;»”\"]|\s(?:and|but)\s(?:was\s|were\s)?(?:sentenced|fined|jailed|released|detained|arrested)\b"
    r"|\s(?:under|in the|on \d|in \d{4})\b|\s(?=(?:Part|Article|Art\.)\s)|,\s(?:and|but|which|who)\s|\s(?:and faces|for which)\b"
    r"|\s\((?=\s*(?:ч\.|ст\.|част|стат|Part|Art|part|art))"
)


def _person_before(
    sentence: Sentence, position: int, persons: dict[str, str], previous: Sentence | None = None
) -> str | None:
    found = _last_person(sentence, position, persons)
    pronoun = re.match(
        r"(?:He|She|They|Он|Она|Они|Его|Её|Ее|Ей|Ему)(?!\w)", sentence.text
    ) or _PRONOUN_SUBJECT.search(sentence.text[:position])
    if found is None and previous is not None and pronoun:
        found = _last_person(previous, len(previous.text), persons)
    return found


_PRONOUN_SUBJECT = re.compile(
    r"\b(?:he|she|He|She|он|она|Он|Она)\s(?:(?:is|was|has been|had been|was also|is also)\s)?$"
)
"""A singular pronoun right before the trigger ("In the X case she is accused of")."""


def _last_person(sentence: Sentence, position: int, persons: dict[str, str]) -> str | None:
    best: tuple[int, str] | None = None
    for surface, canonical in persons.items():
        for match in re.finditer(rf"\b{re.escape(surface)}\b", sentence.text[:position]):
            if best is None or match.start() > best[0]:
                best = (match.start(), canonical)
    return best[1] if best else None


def _clean_charge(text: str) -> str:
    text = text.strip(" «“\"'»”")
    text = _FRAMING.sub("", text)
    articles = find_articles(text)
    if (articles and articles[0][2] == 0) or re.fullmatch(r"(?:ч|ст|п|Part|Art|Article)\.?", text):
        return ""
    return text.strip(" «“\"'»”,")


def _charged(
    sentence: Sentence, match: re.Match[str], persons: dict[str, str], previous: Sentence | None
) -> list[ChargeMention]:
    """The charges a trigger introduces: one per "X and of Y" part when the sentence gives one
    legal article per part ("в контрабанде ... и в финансировании ... (ч. 4 ст. 228 и ч. 2
    ст. 342 УК)"), else one with the first article."""
    text = sentence.text
    rest = text[match.end() :]
    body = rest.lstrip('«“"')
    end = _CLAUSE_END.search(body)
    clause = body[: end.start() if end else len(body)]
    articles = find_articles(rest[:300])
    parts = _PARTS.split(clause) if len(articles) > 1 else [clause]
    if len(parts) != len(articles):
        parts = [clause]
    person = _person_before(sentence, match.start(), persons, previous)
    prepositional = bool(re.search(r"\sв\s+$", match.group(0)))
    charges = []
    for index, part in enumerate(parts):
        text_of_charge = _clean_charge(part)
        if prepositional and text_of_charge:
            text_of_charge = _nominative_head(text_of_charge)
        charge = ChargeMention(person=person, charge=text_of_charge or None, quote=sentence.quote())
        if articles:
            article = articles[index if len(parts) > 1 else 0]
            charge.legal_article, charge.legal_article_raw = article[0], article[1]
        _penalties(charge, text)
        charges.append(charge)
    return charges


def _nominative_head(charge: str) -> str:
    """'контрабанде наличных денег' -> 'контрабанда наличных денег': after 'обвиняется в' the head
    noun (and the adjectives before it) stand in the prepositional case; the rest is kept."""
    from casetrack.ingest.names import _morphology

    words = charge.split(" ")
    out = []
    for index, word in enumerate(words):
        parses = [p for p in _morphology().parse(word) if p.tag.case in ("loct", "datv")]
        nominative = parses[0].inflect({"nomn"}) if parses else None
        if nominative is None:
            return charge
        out.append(nominative.word)
        if "NOUN" in parses[0].tag:
            return " ".join([*out, *words[index + 1 :]])
    return charge


def _sentenced(sentence: Sentence, persons: dict[str, str]) -> list[ChargeMention]:
    """Sentence-only charges: one per person when each person of the sentence has a term of
    their own ("sentenced X to nine years and Y to seven years", "X получил 9 лет, Y — 7 лет"),
    else one for the last person named."""
    text = sentence.text
    mentions = _mentions(text, persons)
    terms = []
    bounds = [start for start, _, _ in mentions[1:]] + [len(text)] if mentions else []
    for (_, end, name), following in zip(mentions, bounds, strict=True):
        term = _TERM.search(text[end:following])
        if term:
            terms.append((name, term.group(1)))
    if len(terms) > 1 and len({name for name, _ in terms}) == len(terms):
        return [
            ChargeMention(
                person=name, charge=None, sentence=_with_absentia(term, text), quote=sentence.quote()
            )
            for name, term in terms
        ]
    articles = find_articles(text)
    charge = ChargeMention(
        person=_person_before(sentence, len(text), persons), charge=None, quote=sentence.quote()
    )
    if articles:
        charge.legal_article, charge.legal_article_raw = articles[0][0], articles[0][1]
    _penalties(charge, text)
    return [charge] if charge.person else []


def _mentions(text: str, persons: dict[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of each person mention, longest surface form first, no overlaps."""
    found: list[tuple[int, int, str]] = []
    for surface in sorted((form for form in persons if form in text), key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w\-]){re.escape(surface)}(?![\w\-])", text):
            if not any(s < match.end() and match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), persons[surface]))
    return sorted(found)


def _with_absentia(term: str, text: str) -> str:
    absentia = _IN_ABSENTIA.search(text)
    return f"{term} {absentia.group(0)}" if absentia and not _IN_ABSENTIA.search(term) else term


def _distribute(charges: list[ChargeMention], collective: list[ChargeMention]) -> list[ChargeMention]:
    """A charge with a plural subject ("Правозащитников обвинили в ...", "They were charged
    with ...") becomes one charge for each person the text sentences; a sentence-only charge
    from the headline is dropped when the body sentences the same person again."""
    sentenced = [c for c in charges if c.person and c.charge is None and c.sentence]
    out: list[ChargeMention] = []
    for charge in charges:
        if charge in collective and sentenced:
            for person in dict.fromkeys(c.person for c in sentenced):
                out.append(
                    ChargeMention(
                        person=person,
                        charge=charge.charge,
                        legal_article=charge.legal_article,
                        legal_article_raw=charge.legal_article_raw,
                        max_penalty=charge.max_penalty,
                        quote=charge.quote,
                    )
                )
            continue
        out.append(charge)
    first = min((c.quote.start for c in out if c.quote), default=0)
    headline = [
        c
        for c in sentenced
        if c.quote
        and c.quote.start == first
        and any(o is not c and o.person == c.person and o.sentence and o.charge is None for o in out)
    ]
    return [c for c in out if c not in headline]


def extract_charges(sentences: list[Sentence], persons: dict[str, str]) -> list[ChargeMention]:
    charges: list[ChargeMention] = []
    collective: list[ChargeMention] = []
    for index, sentence in enumerate(sentences):
        text = sentence.text
        for match in _TRIGGER.finditer(text):
            found = _charged(sentence, match, persons, sentences[index - 1] if index else None)
            if found[0].person is None and _COLLECTIVE.search(text[: match.start()]):
                collective.extend(found)
            charges.extend(found)
        if not _TRIGGER.search(text):
            follow = (
                charges
                and charges[-1].quote is not None
                and index
                and sentences[index - 1].start == charges[-1].quote.start
            )
            penalty_or_sentence = _MAX_PENALTY.search(text) or _SENTENCE.search(text)
            follow_up = (
                penalty_or_sentence
                and follow
                and re.match(r"^(?:For this\s)?(?:he|she|they|He|She|They|For)\b", text)
            )
            pronoun_penalty = charges and _MAX_PENALTY.search(text) and _PRONOUN_PENALTY.search(text)
            if follow_up or pronoun_penalty:
                _penalties(charges[-1], text)
            elif _SENTENCE.search(text):
                charges.extend(_sentenced(sentence, persons))
    return _distribute(charges, collective)


def _penalties(charge: ChargeMention, text: str) -> None:
    penalty = _MAX_PENALTY.search(text)
    if penalty and not charge.max_penalty:
        charge.max_penalty = (penalty.group(1) or penalty.group(2)).strip()
    sentence = _SENTENCE.search(text)
    if not sentence and _IN_ABSENTIA.search(text) and not charge.sentence:
        charge.sentence = _IN_ABSENTIA.search(text).group(0)  # type: ignore[union-attr]
    if sentence and not charge.sentence:
        found = next(g for g in sentence.groups() if g).strip()
        found = re.split(r"\s(?:on|in)\s(?=\d)|\s(?:under|for)\s", found)[0]
        absentia = _IN_ABSENTIA.search(text)
        if absentia and not _IN_ABSENTIA.search(found):
            found = f"{found} {absentia.group(0)}"
        charge.sentence = found
