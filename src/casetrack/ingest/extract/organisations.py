"""Organisations in English text: head-word phrases, quoted names, bracketed abbreviations.

Rules (in order): a capitalised phrase that contains an organisation head word
("International", "Center", "Embassy", "Office", "Court"...) possibly chained with
"of/for/on/in the" ("Office of the Supreme Commissioner on Human Rights of the UN",
"Embassy of Kyrgyzstan in the UK"); a head phrase directly followed by a quoted
name (Human Rights Center “Viasna”, human rights center “Citizens against
Corruption”); an abbreviation in brackets right after a name ("(FIDH)"); and an
all-capitals token that equals the initials of a found organisation ("AI").
Bylines and credits ("Photo:", AFP, AP) never match because they carry no head
word and are not the initials of an organisation in the text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from casetrack.dates import MONTH_NAMES
from casetrack.ingest.extract import lexicon
from casetrack.ingest.extract.guard import Guarded
from casetrack.ingest.extract.sentences import Sentence, is_credit
from casetrack.ingest.names import name_key
from casetrack.ingest.types import OrganisationMention

_CAP = r"(?:[A-Z][\w\-–]*|UN|UK|US)"
_CONNECT = r"(?:\s(?:of|for|on|in|against|to)(?:\sthe)?\s)"
_MONTHS = frozenset(MONTH_NAMES)
_ON_HEADS = {"Commissioner", "Committee", "Commission", "Council", "Conference", "Convention"}
_IN_HEADS = {"Embassy", "Consulate", "Mission", "Representation"}
_PHRASE = re.compile(rf"{_CAP}(?:(?:\s{_CAP})|{_CONNECT}{_CAP})*")
_FACILITY_CENTRE = re.compile(
    r"\b(?:Space|Science|Convention|Shopping|Trade|Exhibition|Visitors?|Rocket|Medical|Sports|Fitness|"
    r"Detention|Data|Call|Business|Conference|Cultural|Community|Leisure)\s(?:Center|Centre)\b"
)
_TRAILING_ROLES = {
    "ceo",
    "cfo",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "chairman",
    "director",
    "president",
}
_QUOTED = re.compile(r"([“\"«])([^”\"»\n]{2,60})([”\"»])")
_HEAD_LOWER = re.compile(
    r"\b((?:[Hh]uman [Rr]ights |[Pp]ublic |[Nn]on-governmental )?(?:[Cc]ent(?:er|re)|[Oo]rgani[sz]ation|"
    r"[Ff]oundation|[Mm]ovement|[Aa]ssociation|[Uu]nion|[Pp]arty|[Gg]roup|[Ii]nitiative|[Nn]ewspaper|"
    r"[Cc]ampaign|NGO|[Ff]und))\s*$"
)
_NAMED_AFTER_HEAD = Guarded(
    re.compile(
        r"\b(?:organi[sz]ation|group|NGO|movement|association|foundation|union|initiative|newspaper|network)"
        r" ([A-Z][\w\-]+(?: (?:(?:for|of|against|on) )?[A-Z][\w\-]+){0,4})(?![\w\-]| [A-Z]| (?:for|of|against|on) [A-Z])"
    ),
    (
        "organi",
        "group",
        "NGO",
        "movement",
        "association",
        "foundation",
        "union",
        "initiative",
        "newspaper",
        "network",
    ),
)
"""'the Russian organisation Memorial', 'the rights group Zvon': a name right after a lower-case head."""
_BRACKET = re.compile(r"\s*\(([A-Z][a-z]{0,3}[A-Z][A-Za-z]{0,8})\)")


@dataclass(slots=True)
class OrgHit:
    name: str
    start: int
    end: int
    aliases: list[str] = field(default_factory=list)
    country: str | None = None


def _kind(name: str) -> str:
    low = name.lower()
    if re.search(r"\b(court|tribunal)\b", low):
        return "court"
    if re.search(r"\b(un|united nations|osce|european union|council of europe|commissioner)\b", low):
        return "intergovernmental"
    if re.search(
        r"\b(embassy|ministry|consulate|police|government|parliament|prosecutor|committee for state security|mayor)\b",
        low,
    ):
        return "government"
    if re.search(r"\b(party)\b", low):
        return "party"
    if re.search(r"\b(news|radio|tv|times|press|newspaper|agency)\b", low):
        return "media"
    if re.search(
        r"\b(rights|amnesty|watch|federation|center|centre|foundation|citizens|memorial|helsinki|viasna|initiative|movement)\b",
        low,
    ):
        return "ngo"
    return "other"


def _country(name: str) -> str | None:
    match = re.search(
        r"\b(?:Embassy|Consulate|Ministry|Government|Mission)\b.*?\bof\s(?:the\s)?([A-Z][\w ]+?)(?:\sin\b|$)",
        name,
    )
    if match:
        return lexicon.COUNTRIES.get(match.group(1).lower())
    for table in (lexicon.DEMONYMS, lexicon.CITIES):
        for word, code in table.items():
            if re.search(rf"\b{word}\b", name.lower()):
                return code
    return None


def _org_word(word: str) -> bool:
    low = word.lower().strip("’'")
    return (
        low in lexicon.ORG_HEADS
        or low in lexicon.RIGHTS_WORDS
        or low in lexicon.COUNTRIES
        or low in lexicon.CITIES
    )


def _trim(text: str) -> str:
    words = text.split()
    tail = 0
    while tail < len(words) and words[-1 - tail][:1].isupper() and not _org_word(words[-1 - tail]):
        tail += 1
    if tail >= 2 and tail < len(words) and words[-1 - tail][:1].isupper():
        words = words[:-tail]
    words = _cut_connectors(_cut_person(words))
    if (
        words[-3:-1] == ["of", "the"]
        and words[-1].lower() in lexicon.COUNTRIES
        and ("of" in words[:-3] or {"University", "Institute", "College", "Academy"} & set(words[:-3]))
    ):
        words = words[:-3]
    while words and words[-1].lower() in {"of", "for", "on", "in", "the", "to", "against"} | _TRAILING_ROLES:
        words.pop()
    while words and words[0].lower() in {"the", "a"}:
        words.pop(0)
    connectors = [i for i, w in enumerate(words) if w in _CONNECTORS]
    if connectors and not any(_org_word(w) for w in words[: connectors[0]]):
        rest = words[connectors[0] + 1 :]
        if rest and rest[0] == "the":
            rest = rest[1:]
        words = rest
    return " ".join(words)


_CONNECTORS = {"of", "for", "on", "in", "against", "to"}


def _is_org_phrase(text: str) -> bool:
    words = [w.lower().strip("’'") for w in re.split(r"\s+", text)]
    if any(w in lexicon.FACILITY_HEADS for w in words) or _FACILITY_CENTRE.search(text):
        return False
    return (any(w in lexicon.ORG_HEADS for w in words) and len(words) >= 2) or text in {"UN", "OSCE"}


def _cut_connectors(words: list[str]) -> list[str]:
    """Keep "in" only in missions ("Embassy of X in the UK"), "on" only after a committee-like head
    and before a name ("Commissioner on Human Rights", not "Center on April"), never "to"."""
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if (
            word == "to"
            or (word == "in" and not _IN_HEADS & set(words[:i]))
            or (word == "on" and (words[i - 1] not in _ON_HEADS or nxt in _MONTHS or not nxt[:1].isupper()))
        ):
            return words[:i]
    return words


def _cut_person(words: list[str]) -> list[str]:
    """'University of Texas Arlington Amneh Jafari' -> the part before a trailing person name."""
    heads = [i for i, w in enumerate(words) if w.lower().strip("’'") in lexicon.ORG_HEADS]
    if not heads:
        return words
    for i in range(heads[-1] + 1, len(words) - 1):
        if words[i].lower() in lexicon.given_names() and words[i + 1][:1].isupper():
            return words[:i]
    return words


def _expand(name: str) -> str:
    for short, long in lexicon.COUNTRY_ABBREVIATIONS.items():
        name = re.sub(rf"\bin the {short}$", f"in the {long}", name)
    return re.sub(r"\bin the (United Kingdom|United States)$", r"in the \1", name)


@functools.lru_cache(maxsize=8192)
def _phrase_name(phrase: str) -> tuple[str, str | None]:
    """A capitalised phrase without its possessive, and the organisation name in it (None: not one).

    Cached: the same phrases ("The", "He", a name) recur in every sentence and document.
    """
    raw = re.sub(r"[’']s$", "", phrase)
    name = _trim(raw)
    return raw, name if _is_org_phrase(name) else None


def find_in_sentence(sentence: Sentence) -> list[OrgHit]:
    text = sentence.text
    hits: list[OrgHit] = []
    for quoted in _QUOTED.finditer(text):
        inner = quoted.group(2).strip()
        if not inner[:1].isupper() or len(inner.split()) > 6 or inner.endswith((".", "?", "!", ",")):
            continue
        head = _HEAD_LOWER.search(text[: quoted.start()])
        if not head:
            continue
        head_text = head.group(1)
        if head_text[:1].isupper():
            name = f'{head_text} "{inner}"'
            hits.append(OrgHit(name, sentence.start + head.start(1), sentence.start + quoted.end(), [inner]))
        else:
            hits.append(OrgHit(inner, sentence.start + quoted.start(2), sentence.start + quoted.end(2)))
    for match in _PHRASE.finditer(text):
        raw, phrase_name = _phrase_name(match.group(0))
        if phrase_name is None:
            continue
        start = sentence.start + match.start() + raw.find(phrase_name)
        end = start + len(phrase_name)
        if any(h.start <= start < h.end or start <= h.start < end for h in hits):
            continue
        hit = OrgHit(_expand(phrase_name), start, end)
        bracket = _BRACKET.match(text, match.start() + len(raw))
        if bracket:
            hit.aliases.append(bracket.group(1))
        hits.append(hit)
    for match in _NAMED_AFTER_HEAD.finditer(text):
        name = match.group(1)
        start = sentence.start + match.start(1)
        if any(h.start < start + len(name) and start < h.end for h in hits) or not _is_named_after_head(name):
            continue
        demonym = re.search(r"([A-Za-z]+)\s$", text[: match.start()])
        country = lexicon.DEMONYMS.get(demonym.group(1).lower()) if demonym else None
        hits.append(OrgHit(name, start, start + len(name), country=country))
    return hits


def _is_named_after_head(name: str) -> bool:
    """Not a place, a month, a person's given name or a common word ('the group Monday')."""
    words = name.lower().split()
    return not (
        name.lower() in lexicon.COUNTRIES
        or words[0] in lexicon.CITIES
        or words[0] in lexicon.DEMONYMS
        or words[0] in _MONTHS_LOWER
        or words[0] in lexicon.given_names()
        or (len(words) == 1 and words[0] in lexicon.NON_NAME_WORDS)
    )


_MONTHS_LOWER = frozenset(m.lower() for m in MONTH_NAMES) | lexicon.CALENDAR_WORDS


def organisation_hits(sentences: list[Sentence]) -> list[list[OrgHit]]:
    """``find_in_sentence`` of every sentence, found once for both organisations and person spans."""
    return [find_in_sentence(sentence) for sentence in sentences]


def extract_organisations(
    sentences: list[Sentence], hits: list[list[OrgHit]] | None = None
) -> tuple[list[OrganisationMention], dict[str, str]]:
    """Organisations and a map from every alias/surface key to the canonical name.

    ``hits`` are ``organisation_hits(sentences)`` when the caller already has them.
    """
    found: dict[str, OrganisationMention] = {}
    surface: dict[str, str] = {}
    if hits is None:
        hits = organisation_hits(sentences)
    for sentence, sentence_hits in zip(sentences, hits, strict=True):
        if is_credit(sentence.text):
            continue
        for hit in sentence_hits:
            key = name_key(hit.name)
            canonical = surface.get(key)
            if canonical is None:
                canonical = next(
                    (surface[name_key(a)] for a in hit.aliases if name_key(a) in surface), hit.name
                )
            mention = found.get(canonical)
            if mention is None:
                mention = OrganisationMention(
                    name=hit.name,
                    kind=_kind(hit.name),
                    country=_country(hit.name) or hit.country,
                    quote=sentence.quote(),
                )
                found[canonical] = mention
            for alias in hit.aliases:
                if alias not in mention.aliases and alias != mention.name:
                    mention.aliases.append(alias)
            if hit.name != mention.name and hit.name not in mention.aliases:
                mention.aliases.append(hit.name)
            for spelling in [hit.name, *hit.aliases]:
                surface[name_key(spelling)] = canonical
    _add_initialisms(sentences, found, surface)
    return list(found.values()), surface


def _add_initialisms(
    sentences: list[Sentence], found: dict[str, OrganisationMention], surface: dict[str, str]
) -> None:
    initials = {
        "".join(w[0] for w in m.name.split() if w[0].isupper()): m
        for m in found.values()
        if len(m.name.split()) > 1
    }
    for sentence in sentences:
        for token in re.findall(r"\b[A-Z]{2,6}\b", sentence.text):
            mention = initials.get(token)
            if mention and token not in mention.aliases and token.lower() not in lexicon.COUNTRIES:
                mention.aliases.append(token)
                surface[name_key(token)] = mention.name
