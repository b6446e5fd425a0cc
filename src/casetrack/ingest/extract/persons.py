"""Persons in English text: capitalised 2-4 word names filtered by gazetteers, with descriptors.

A candidate is a run of capitalised words (or initials "R.") in which no word is
a common word, a title, an organisation head word, a place or a demonym, and
that is not inside an organisation phrase or a quoted name. Descriptions come
from the words before the name ("Kyrgyz human rights activist X", "Bishkek's
mayor X", "a high official from the Office ..., X") or an apposition after it
("X, Amnesty International's Central Asia Researcher,", "X, the head of the
center “Y”"). Memberships are "ROLE of ORG" / "ORG's ROLE" inside the descriptor.
Later mentions by surname alone ("Bialiatski") join the full name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casetrack.ingest.extract import lexicon
from casetrack.ingest.extract.sentences import Sentence
from casetrack.ingest.types import MembershipMention, PersonMention

_NAME = re.compile(
    r"(?<![\w\-“«\".])((?:(?:Mr|Mrs|Ms|Dr)\.|[A-ZÀ-ÞĀ-Ž][a-zà-ÿā-ž\-]+|[A-Z]\.)(?:\s(?:[A-ZÀ-ÞĀ-Ž][a-zà-ÿā-ž\-]+|[A-Z]\.)){1,3})(?:['’]s)?(?![\w”»\"])"
)
_HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "professor",
    "prof",
    "general",
    "senator",
    "judge",
    "president",
    "minister",
}
_PRE_DESC = re.compile(r"((?:[A-Za-z\-]+\s){0,5}?(?:[a-z\-]+))\s$")
_APPOSITION = re.compile(r"^,\s+([^,.;:]{3,120}?)(?:,|\s(?:said|told|says|stated|noted)\b)")
_STOP_DESC = lexicon.NON_NAME_WORDS | {"against", "charges", "about", "with", "without", "for", "by"}
_CITY_ROLE = re.compile(r"([A-Z][a-z]+)[’']s\s([a-z][a-z\- ]{2,40})\s$")


@dataclass(slots=True)
class PersonHit:
    name: str
    start: int
    end: int
    sentence: Sentence


def _is_name_word(word: str) -> bool:
    low = word.lower().rstrip(".")
    if len(low) == 1 and word.endswith("."):
        return True
    return (
        low not in lexicon.NON_NAME_WORDS
        and low not in lexicon.ORG_HEADS
        and low not in lexicon.TITLES
        and low not in lexicon.PLACE_WORDS
        and low not in lexicon.RIGHTS_WORDS
        and low not in lexicon.COUNTRIES
        and low not in lexicon.CITIES
        and low not in lexicon.DEMONYMS
        and not word.isupper()
    )


def find_in_sentence(sentence: Sentence, org_spans: list[tuple[int, int]]) -> list[PersonHit]:
    hits = []
    for match in _NAME.finditer(sentence.text):
        name = match.group(1)
        words = name.split()
        lead = 0
        while lead < len(words) and not _is_name_word(words[lead]):
            lead += 1
        honorific = lead > 0 and words[lead - 1].lower().rstrip(".") in _HONORIFICS
        words = words[lead:]
        if (
            len(words) < (1 if honorific else 2)
            or not all(_is_name_word(w) for w in words)
            or words[-1].endswith(".")
        ):
            continue
        offset = len(name) - len(" ".join(words))
        name = " ".join(words)
        start = sentence.start + match.start(1) + offset
        end = start + len(name)
        if any(s <= start < e for s, e in org_spans):
            continue
        hits.append(PersonHit(name, start, end, sentence))
    return hits


def describe(
    hit: PersonHit, orgs: dict[str, str], org_names: list[str]
) -> tuple[str | None, str | None, list[MembershipMention]]:
    text = hit.sentence.text
    local_start = hit.start - hit.sentence.start
    local_end = hit.end - hit.sentence.start
    before, after = text[:local_start], re.sub(r"^[’']s", "", text[local_end:])
    description: str | None = None
    country: str | None = None
    memberships: list[MembershipMention] = []
    apposition = _APPOSITION.match(after)
    city_role = _CITY_ROLE.search(before)
    if apposition:
        description = apposition.group(1).strip()
    elif city_role and city_role.group(2).split()[-1] in lexicon.TITLES:
        description = f"{city_role.group(2)} of {city_role.group(1)}"
    else:
        pre = _PRE_DESC.search(before)
        if pre and pre.group(1).split()[-1].lower() in lexicon.TITLES:
            kept: list[str] = []
            for word in reversed(pre.group(1).split()):
                low = word.lower()
                if low in _STOP_DESC or (word[0].isupper() and low not in lexicon.DEMONYMS):
                    break
                kept.insert(0, word)
            description = " ".join(kept) or None
    if description:
        description = re.sub(r"^(?:the|a|an)\s", "", description)
        for word in re.findall(r"[A-Za-z]+", description):
            country = country or lexicon.DEMONYMS.get(word.lower())
        memberships.extend(_memberships(description, org_names))
    memberships.extend(_memberships_before(before, org_names))
    if description and re.search(r"[A-Z].*[’']s\s", description):
        for org in org_names:
            possessive = re.search(rf"{re.escape(org)}[’']s\s(.+)$", description)
            if possessive:
                description = possessive.group(1)
                memberships.append(MembershipMention(org, possessive.group(1)))
    return description, country, _unique(memberships)


def _role_of(words: str) -> str | None:
    words = words.strip().lower()
    for role in sorted(lexicon.ROLE_WORDS, key=len, reverse=True):
        if words.endswith(role):
            return lexicon.ROLE_WORDS[role]
    last = words.split()[-1] if words.split() else ""
    return last if last in lexicon.TITLES else None


def _memberships(text: str, org_names: list[str]) -> list[MembershipMention]:
    out = []
    for org in org_names:
        for variant in {org, org.replace('"', "“", 1).replace('"', "”", 1)}:
            match = re.search(
                rf"(\b[\w\-]+(?:\s[\w\-]+)?)\s(?:of|from|at)\s(?:the\s)?(?:[a-z ]*?)[“\"]?{re.escape(variant.split(' “')[0] if False else variant)}",
                text,
            )
            if match:
                role = _role_of(match.group(1))
                if role:
                    out.append(MembershipMention(org, role))
    return out


def _memberships_before(before: str, org_names: list[str]) -> list[MembershipMention]:
    """ROLE of ORG [and ROLE of ORG] directly before the name."""
    out: list[MembershipMention] = []
    tail = before.rstrip(" ,")
    while True:
        hit = None
        for org in org_names:
            pattern = re.escape(org).replace('"', '[“”"]')
            match = re.search(
                rf"^.*(?<![\w\-])([\w\-]+(?:\s[\w\-]+)?)\s(?:of|from)\s(?:the\s)?(?:[a-z]+\s){{0,3}}?{pattern}[”\"]?$",
                tail,
            )
            if match:
                hit = (org, match)
                break
        if not hit:
            return out
        role = _role_of(hit[1].group(1).split()[-1])
        if not role:
            return out
        out.append(MembershipMention(hit[0], role))
        tail = re.sub(r"\s*(?:,|and)$", "", tail[: hit[1].start(1)].rstrip())


_GROUP = re.compile(
    r"\b([A-Z][a-z]+)\s(?:[a-z\-]+\s){0,2}(?:activists|defenders|journalists|lawyers|colleagues|bloggers|citizens)\b"
)


def _group_country(text: str) -> str | None:
    """'X told about Kyrgyz human rights defenders who...': X speaks for a national group."""
    codes = {
        lexicon.DEMONYMS[m.group(1).lower()]
        for m in _GROUP.finditer(text)
        if m.group(1).lower() in lexicon.DEMONYMS
    }
    return codes.pop() if len(codes) == 1 else None


def _unique(memberships: list[MembershipMention]) -> list[MembershipMention]:
    seen: dict[str, MembershipMention] = {}
    for m in memberships:
        seen.setdefault(m.organisation, m)
    return list(seen.values())


def extract_persons(
    sentences: list[Sentence], org_spans: list[tuple[int, int]], orgs: dict[str, str], org_names: list[str]
) -> tuple[list[PersonMention], dict[str, str]]:
    """Persons, and a map from every surface form (full name, surname) to the canonical name."""
    found: dict[str, PersonMention] = {}
    surface: dict[str, str] = {}
    for sentence in sentences:
        for hit in find_in_sentence(sentence, org_spans):
            canonical = surface.get(hit.name, hit.name)
            mention = found.get(canonical)
            if mention is None:
                mention = PersonMention(name=hit.name, quote=sentence.quote())
                found[canonical] = mention
                surface[hit.name] = canonical
                surface.setdefault(hit.name.split()[-1], canonical)
            description, country, memberships = describe(hit, orgs, org_names)
            if description and not mention.description:
                mention.description = description
                mention.quote = sentence.quote()
            mention.country = mention.country or country or _group_country(sentence.text)
            for membership in memberships:
                if all(m.organisation != membership.organisation for m in mention.memberships):
                    mention.memberships.append(membership)
    text = "\n".join(sentence.text for sentence in sentences)
    places = {name for name in found if _only_as_place(name, text)}
    for name in places:
        del found[name]
    surface = {form: canonical for form, canonical in surface.items() if canonical not in places}
    return list(found.values()), surface


_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|near|across|outside|inside|visited|around)\s(?:the\s)?$", re.I)


def _only_as_place(name: str, text: str) -> bool:
    """A name seen only after a place preposition ("in Cape Canaveral") and never described is a place."""
    occurrences = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    return bool(occurrences) and all(_PLACE_PREPOSITION.search(text[max(0, i - 20) : i]) for i in occurrences)
