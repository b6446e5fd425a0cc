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

from casetrack.ingest.extract.legal_articles import find_articles
from casetrack.ingest.extract.sentences import Sentence
from casetrack.ingest.types import ChargeMention

_TRIGGER = re.compile(
    r"\b(?:charged with|accused of|convicted of|found guilty (?:of|under)|indicted (?:for|on)|prosecuted (?:for|under)|"
    r"обвиня(?:ется|ются|ют|ли)\s+в|вменя\w+|осужден[аы]?\s+(?:по|за)|обвинени[еяю]\s+(?:в|по))\s+"
)
_FRAMING = re.compile(r"^(?:(?:the\s)?(?:[\w\-]+\s)?(?:accusations?|charges?)\s+of\s+)", re.I)
_MAX_PENALTY = re.compile(
    r"\bfaces?\s+(up to\s+\d+\s+years?(?:\s+(?:in|of)\s+(?:prison|jail|imprisonment|a penal colony))?)|грозит\s+(до\s+\d+\s+лет(?:\s+[а-я ]{0,30}свободы)?)"
)
_SENTENCE = re.compile(
    r"\bsentenced\s+(?:[\w\-]+\s+){0,2}?to\s+([^.,;]*?(?:years?|months?|days?|life)[^.,;]*?)(?=[.,;]|$)"
    r"|\bfined\s+([^.;]+?)(?=[.;]|,\s|\s(?:for|on|under|after)\s|$)"
    r"|\b((?:a\s)?suspended\s(?:sentence|prison term)[^.;,]*?)(?=[.;,]|$)"
    r"|\b((?:\w+|\d+)\s(?:years?|months?)\s(?:of\s)?probation)\b"
    r"|\b(?:put|placed)\son\s(probation[^.;,]*?)(?=[.;,]|$)"
    r"|приговорил[аи]?\s+(?:[^.;]*?\s)?(к\s+[^.;]+?)(?=[.;]|,\s[а-я]+\s|$)"
    r"|оштрафова\w*\s+на\s+([^.;]+?)(?=[.;]|,\s|$)"
    r"|(условн\w+\s+срок\w*(?:\s+[^.,;]+?)?)(?=[.,;]|$)"
)
_PRONOUN_PENALTY = re.compile(r"\b(?:he|she|they)\s+faces?\b|(?:^|\s)(?:ему|ей|им)\s+грозит", re.I)
_IN_ABSENTIA = re.compile(r"\bin absentia\b|заочно", re.I)
_CLAUSE_END = re.compile(
    r"[.;»”\"]|\s(?:and|but)\s(?:was\s|were\s)?(?:sentenced|fined|jailed|released|detained|arrested)\b"
    r"|\s(?:under|in the|on \d|in \d{4})\b|\s(?=(?:Part|Article|Art\.)\s)|,\s(?:and|but|which|who)\s|\s(?:and faces|for which)\b"
)


def _person_before(
    sentence: Sentence, position: int, persons: dict[str, str], previous: Sentence | None = None
) -> str | None:
    found = _last_person(sentence, position, persons)
    if found is None and previous is not None and re.match(r"(?:He|She|They|Он|Она|Они)\b", sentence.text):
        found = _last_person(previous, len(previous.text), persons)
    return found


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


def extract_charges(sentences: list[Sentence], persons: dict[str, str]) -> list[ChargeMention]:
    charges: list[ChargeMention] = []
    for index, sentence in enumerate(sentences):
        text = sentence.text
        for match in _TRIGGER.finditer(text):
            rest = text[match.end() :]
            body = rest.lstrip('«“"')
            end = _CLAUSE_END.search(body)
            clause = body[: end.start() if end else len(body)]
            articles = find_articles(rest[:200])
            charge = ChargeMention(
                person=_person_before(
                    sentence, match.start(), persons, sentences[index - 1] if index else None
                ),
                charge=_clean_charge(clause) or None,
                quote=sentence.quote(),
            )
            if articles:
                charge.legal_article, charge.legal_article_raw = articles[0][0], articles[0][1]
            _penalties(charge, text)
            charges.append(charge)
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
                articles = find_articles(text)
                charge = ChargeMention(
                    person=_person_before(sentence, len(text), persons), charge=None, quote=sentence.quote()
                )
                if articles:
                    charge.legal_article, charge.legal_article_raw = articles[0][0], articles[0][1]
                _penalties(charge, text)
                if charge.person:
                    charges.append(charge)
    return charges


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
