"""Cases: named cases and a person's own case.

Named: "the (so-called) X case", "the case of X" where X is capitalised, "дело «X»".
A person's own case: "X's case", "release of ... X", "detention/arrest of X" ->
"Detention of X" when the text demands the release or calls the person a
political prisoner, else "Case of X". Parties: persons with a charge become
defendants of the document's single named case; the subject of a detention case
is its detainee. Status follows the strongest signal: convicted/sentenced,
acquitted, released, on trial, charged, detained.
"""

from __future__ import annotations

import re

from casetrack.ingest.extract.guard import Guarded
from casetrack.ingest.extract.sentences import Sentence
from casetrack.ingest.types import CaseMention, ChargeMention, PartyMention, PersonMention

_NAMED = Guarded(
    re.compile(
        r"\b(?:the\s+)?(?:so-called\s+)?((?:[A-Z][\w\-]+\s){0,3}?[A-Z][\w\-]+)\s+case\b|дел[оау]\s+«([^»]{2,40})»"
    ),
    ("case", "дел"),
)
_STATUS = [
    (
        "convicted",
        re.compile(
            r"\b(sentenced|convicted|found guilty|fined|suspended sentence|probation)\b|приговор|осужд|оштраф|условн",
            re.I,
        ),
    ),
    ("acquitted", re.compile(r"\bacquitted\b|оправда", re.I)),
    ("released", re.compile(r"\b(was|were|has been) released\b|освобожд[её]н", re.I)),
    ("on_trial", re.compile(r"\b(trial|hearing)\b|суд начал", re.I)),
    ("charged", re.compile(r"\b(charged|accused|indicted|charges)\b|обвин", re.I)),
    (
        "detained",
        re.compile(
            r"\b(political prisoner|imprisoned|detained|in custody|behind bars|release of)\b|задерж|арест|политзаключ",
            re.I,
        ),
    ),
]
_NOT_CASE = {"this", "that", "the", "a", "his", "her", "criminal", "court"}


def _status(text: str) -> str:
    for status, pattern in _STATUS:
        if pattern.search(text):
            return status
    return "unknown"


def extract_cases(
    sentences: list[Sentence],
    text: str,
    persons: dict[str, str],
    charges: list[ChargeMention],
    country: str | None,
) -> list[CaseMention]:
    cases: dict[str, CaseMention] = {}
    for sentence in sentences:
        for match in _NAMED.finditer(sentence.text):
            raw = (match.group(1) or match.group(2) or "").strip()
            if raw.lower() in _NOT_CASE or raw.endswith(("’s", "'s")) or raw in persons:
                continue
            name = f"{raw} case" if match.group(1) else f"дело «{raw}»"
            cases.setdefault(name, CaseMention(name=name, country=country, quote=sentence.quote()))
    own = _own_cases(sentences, persons, country)
    if len(cases) == 1:
        case = next(iter(cases.values()))
        for charge in charges:
            case.charges.append(charge)
            if charge.person and all(p.name != charge.person for p in case.parties):
                case.parties.append(PartyMention(charge.person, "defendant"))
    else:
        for charge in charges:
            target = next((c for c in own if c.parties and c.parties[0].name == charge.person), None)
            if target is None and charge.person:
                target = CaseMention(
                    name=f"Case of {charge.person}",
                    country=country,
                    quote=charge.quote,
                    parties=[PartyMention(charge.person, "defendant")],
                )
                own.append(target)
            if target is not None:
                target.charges.append(charge)
    for case in [*cases.values(), *own]:
        case.status = _status(
            " ".join(c.quote.text for c in case.charges if c.quote) or (case.quote.text if case.quote else "")
        )
        if any(c.sentence for c in case.charges) and case.status not in ("acquitted", "released"):
            case.status = "convicted"
        if case.status == "unknown" and case.name.startswith("Detention of"):
            case.status = "detained"
    return [*cases.values(), *own]


_OWN_CASE_CUE = Guarded(
    re.compile(r"\b(?:release|detention|arrest|imprisonment)\s+of\s|\bpolitical prisoner\s|[’']s\s+case\b"),
    ("release", "detention", "arrest", "imprisonment", "political prisoner", "case"),
)
"""What either pattern of ``_own_cases`` needs besides the name: sentences without it are skipped."""


def _own_cases(sentences: list[Sentence], persons: dict[str, str], country: str | None) -> list[CaseMention]:
    found: dict[str, CaseMention] = {}
    for sentence in sentences:
        if not _OWN_CASE_CUE.search(sentence.text):
            continue
        for surface, canonical in persons.items():
            if surface not in sentence.text:
                continue
            esc = re.escape(surface)
            detention = re.search(
                rf"\b(?:release|detention|arrest|imprisonment)\s+of\s+(?:[^.]*?\s)?{esc}\b|\bpolitical prisoner\s+{esc}\b",
                sentence.text,
            )
            own = re.search(rf"\b{esc}[’']s\s+case\b", sentence.text)
            if detention or own:
                name = f"Detention of {canonical}" if detention else f"Case of {canonical}"
                other = f"Case of {canonical}"
                if detention and other in found:
                    found[name] = found.pop(other)
                    found[name].name = name
                if name in found or (not detention and f"Detention of {canonical}" in found):
                    continue
                role = "detainee" if detention else "defendant"
                found[name] = CaseMention(
                    name=name,
                    country=country,
                    quote=sentence.quote(),
                    parties=[PartyMention(canonical, role)],
                )
    return list(found.values())


_ROLE_DESCRIPTIONS = [
    ("lawyer", re.compile(r"^(?:defen[cs]e\s)?(?:lawyer|attorney|advocate)\b|^(?:адвокат|защитник)", re.I)),
    ("judge", re.compile(r"^judge\b|^судья", re.I)),
    ("prosecutor", re.compile(r"^prosecutor\b|^прокурор", re.I)),
    ("investigator", re.compile(r"^investigator\b|^следователь", re.I)),
]


def add_case_roles(cases: list[CaseMention], persons: list[PersonMention], surface: dict[str, str]) -> None:
    """'адвокат Алеся Беляцкого Наталья Матвеева', 'Judge X ... sentenced Y': lawyers, judges,
    prosecutors and investigators join the case of the defendant their description or sentence names
    (not when they are accused themselves: "the lawyer X [was sentenced] to seven years")."""
    accused = {p.name for case in cases for p in case.parties if p.role in ("defendant", "detainee")}
    for person in persons:
        role = next(
            (r for r, pattern in _ROLE_DESCRIPTIONS if pattern.search(person.description or "")), None
        )
        context = f"{person.description or ''} {person.quote.text if person.quote else ''}"
        if role is None or person.name in accused:
            continue
        for case in cases:
            defendants = {p.name for p in case.parties if p.role in ("defendant", "detainee")}
            names = [form for form, canonical in surface.items() if canonical in defendants]
            if any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", context) for form in names) and all(
                p.name != person.name for p in case.parties
            ):
                case.parties.append(PartyMention(person.name, role))
