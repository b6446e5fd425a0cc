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

import itertools
import re
from dataclasses import dataclass

from casetrack.ingest.extract import lexicon
from casetrack.ingest.extract.sentences import Sentence, is_credit
from casetrack.ingest.extract.spans import standalone
from casetrack.ingest.types import MembershipMention, PersonMention

_NAME = re.compile(
    r"(?<![\w\-“«\".])((?:(?:Mr|Mrs|Ms|Dr)\.|[A-ZÀ-ÞĀ-Ž][a-zà-ÿā-ž\-]+|[A-Z]\.)(?:\s(?:[A-ZÀ-ÞĀ-Ž][a-zà-ÿā-ž\-]+|[A-Z]\.)){1,5})(?:['’]s)?(?![\w”»\"])"
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
_ROLE_OF_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(lexicon.TITLES | {'co-founder'}))})\s(?:of|at)\s(?:the\s)?[A-Z][\w\- ]{{1,60}},\s$",
    re.I,
)
_COORDINATION = re.compile(r"^(?:,\s|\s(?:and|or)\s|,\s(?:and|or)\s)$")
_TITLED_ROLE = re.compile(r"[’']s\s((?:[A-Z][a-z]+\s){0,4}[A-Z][a-z]+)\s$")
_CITY_ROLE = re.compile(r"([A-Z][a-z]+)[’']s\s([a-z][a-z\- ]{2,40})\s$")


@dataclass(slots=True)
class PersonHit:
    name: str
    start: int
    end: int
    sentence: Sentence
    evidence: str | None = None
    mention_start: int = -1


_SAID = (
    r"said|says|told|added|stated|explained|wrote|writes|noted|asked|argued|warned|urged|announced|"
    r"replied|commented|insisted|claimed|recalled|admitted|denied|confirmed|believes|thinks"
)
_AFTER_CUE = re.compile(
    rf"^(?:[’']s\s(?:wife|husband|son|daughter|mother|father|brother|sister|lawyer|family|colleague)\b"
    rf"|,?\s(?:{_SAID})\b|\s(?:has|had|was|is)\s(?:{_SAID})\b"
    r"|,\s(?:\d{1,3},|who\b|whose\b|aged\s\d|(?:has|had|was|is)\s[a-z]+ed\b)"
    rf"|,\s(?:the|a|an)\s(?:[\w\-’']+\s){{0,4}}?(?:{'|'.join(sorted(lexicon.TITLES))})\b"
    r"|\s\(\d{1,3}\))"
)
_BEFORE_CUE = re.compile(rf"(?:[»”\"],?|\baccording to|\b(?:{_SAID})|\bby|\bMr|\bMrs|\bMs|\bDr)\.?\s$", re.I)
_ROMANISED_GIVEN = re.compile(r"^[A-Z][a-z]{1,5}-[a-z]{2,6}$")
_SURNAME_MORPHOLOGY = re.compile(
    r"(?:ov|ova|ev|eva|yev|yeva|iev|ieva|enko|sky|ski|ska|skaya|skiy|skii|vich|vych|"
    r"ovna|evna|yan|uly|kyzy|shvili|dze|uulu)$"
)


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


def _given_and_common_surname(words: list[str], common: frozenset[str]) -> bool:
    """ "Nathan Law", "James To", "Bill Ingalls": a given name beside a capitalised common word.

    Only when the given name is not used in lower case in the document ("will", "rose"; the
    surname may be: "To" and "Law" are common words capitalised as a name) and neither word
    is a month, weekday, title, organisation head or place word. Such a run still needs a cue.
    """
    given, surname = words[-2], words[-1]
    low = {given.lower(), surname.lower()}
    return (
        given.lower() in lexicon.census_given_names()
        and given.lower() not in common
        and not low & _NOT_SURNAMES
        and all(w[:1].isupper() and w[1:].islower() for w in (given, surname))
        and (surname.lower() not in lexicon.NON_NAME_WORDS or len(surname) <= 4)
    )


_NOT_SURNAMES = (
    lexicon.CALENDAR_WORDS | lexicon.TITLES | lexicon.ORG_HEADS | lexicon.PLACE_WORDS | lexicon.THING_HEADS
)


def _is_thing_word(word: str) -> bool:
    return word.lower().strip("’'") in lexicon.THING_HEADS


def _evidence(words: list[str], before: str, after: str, common: frozenset[str]) -> str | None:
    """Why a capitalised run is a person's name, or None when nothing says so.

    A given name counts unless the document also uses it as a common word ("art", "will").
    """
    first = words[0].lower()
    if first in lexicon.given_names() and first not in common:
        return "given name"
    if any(len(w) == 2 and w.endswith(".") for w in words[:-1]):
        return "initial"
    if any(_ROMANISED_GIVEN.match(w) for w in words[1:]):
        return "romanised given name"
    if words[-1].lower() in lexicon.surnames() and first not in common and words[-1].lower() not in common:
        return "surname"
    if _AFTER_CUE.match(after):
        return "speech or apposition after"
    previous = re.findall(r"[A-Za-z\-]+", before[-40:])
    if previous and previous[-1].lower() in lexicon.TITLES | _HONORIFICS | lexicon.PROFESSIONS:
        return "title before"
    if _ROLE_OF_BEFORE.search(before):
        return "role of an organisation before"
    if _BEFORE_CUE.search(before):
        return "context before"
    if (
        _SURNAME_MORPHOLOGY.search(words[-1])
        and len(words[-1]) > 4
        and words[-1].lower() not in lexicon.DEMONYMS
    ):
        return "surname ending"
    return None


_APPOSITION_AT_END = re.compile(r"^,\s+([^,;:]{3,120}?)\.?$")


def _final_apposition(after: str) -> re.Match[str] | None:
    """'..., said X, Central Asia Researcher at Amnesty International.': an apposition that ends
    the sentence, when it holds a title or profession."""
    match = _APPOSITION_AT_END.match(after)
    if match and set(re.findall(r"[a-z\-]+", match.group(1).lower())) & (
        lexicon.TITLES | lexicon.PROFESSIONS
    ):
        return match
    return None


def _name_start(words: list[str]) -> int:
    """Index where the longest tail of name words begins (len(words) when the last is none)."""
    first = len(words)
    while first > 0 and _is_name_word(words[first - 1]):
        first -= 1
    return first


def _titled_place_surname(words: list[str], before: str) -> bool:
    """'professor Marc Lamont Hill': after a title, a place word ending a run of names is a surname."""
    previous = re.findall(r"[A-Za-z\-]+", before[-30:])
    if not previous or previous[-1] not in lexicon.TITLES | lexicon.PROFESSIONS:
        return False
    names = words[_name_start(words[:-1]) : -1]
    return words[-1].lower() in lexicon.PLACE_WORDS and (
        len(names) >= 2 or (len(names) == 1 and names[0].lower() in lexicon.given_names())
    )


def find_in_sentence(
    sentence: Sentence, org_spans: list[tuple[int, int]], common: frozenset[str] = frozenset()
) -> list[PersonHit]:
    """Candidate names in one sentence; ``evidence`` says which cue (if any) marks each as a person."""
    hits = []
    text = sentence.text
    for match in _NAME.finditer(text):
        words = match.group(1).split()
        first = _name_start(words)
        if first == len(words) and _titled_place_surname(words, text[: match.start(1)]):
            first = _name_start(words[:-1])
        if first >= len(words) - 1 and _given_and_common_surname(words, common):
            first = len(words) - 2
        while first < len(words) - 2 and words[first].lower() in lexicon.PROFESSIONS:
            first += 1
        cue = words[first - 1].lower().rstrip(".") if first > 0 else ""
        honorific = cue in _HONORIFICS or cue in lexicon.TITLES
        name_words = words[first:]
        if (
            len(name_words) >= 3
            and name_words[0].lower() not in lexicon.given_names()
            and name_words[1].lower() in lexicon.given_names()
        ):
            name_words = name_words[1:]
        if (
            len(name_words) < (1 if cue in _HONORIFICS else 2)
            or name_words[-1].endswith(".")
            or any(_is_thing_word(w) for w in words)
        ):
            continue
        name = " ".join(name_words)
        local = match.start(1) + len(match.group(1)) - len(name)
        start = sentence.start + local
        end = start + len(name)
        if any(s <= start < e for s, e in org_spans):
            continue
        before = text[:local]
        after = re.sub(r"^[’']s(?=\s(?:said|says))", "", text[match.end(1) :])
        evidence = "title before" if honorific else _evidence(name_words, before, after, common)
        mention_start = start
        if len(name_words) == 1:
            mention_start = sentence.start + local - len(words[first - 1]) - 1
        hits.append(PersonHit(name, start, end, sentence, evidence, mention_start))
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
    apposition = _APPOSITION.match(after) or _final_apposition(after)
    city_role = _CITY_ROLE.search(before)
    titled = _TITLED_ROLE.search(before)
    if titled and titled.group(1).split()[-1].lower() in lexicon.TITLES:
        description = titled.group(1)
        for org in org_names:
            if before[: titled.start(1)].rstrip().removesuffix("’s").removesuffix("'s").endswith(org):
                memberships.append(MembershipMention(org, titled.group(1)))
    elif apposition and not _RELATIVE.match(apposition.group(1)):
        description = apposition.group(1).strip()
    elif city_role and city_role.group(2).split()[-1] in lexicon.TITLES:
        description = f"{city_role.group(2)} of {city_role.group(1)}"
        owner = orgs.get(city_role.group(1)) or next(
            (org for org in org_names if re.search(rf"[“\"«]{re.escape(city_role.group(1))}[”\"»]", org)),
            None,
        )
        if owner:
            memberships.append(MembershipMention(owner, _role_of(city_role.group(2)) or city_role.group(2)))
    else:
        pre = _PRE_DESC.search(before)
        if pre and pre.group(1).split()[-1].lower() in lexicon.TITLES:
            kept: list[str] = []
            for word in reversed(pre.group(1).split()):
                low = word.lower()
                if low in _STOP_DESC or low == "s" or (word[0].isupper() and low not in lexicon.DEMONYMS):
                    break
                kept.insert(0, word)
            description = " ".join(kept) or None
    leading = re.search(r"(?:^|\s)([A-Z][a-z]+)\s$", before)
    if not description and leading and leading.group(1).lower() in lexicon.TITLES:
        description = leading.group(1).lower()
    if description:
        description = re.sub(r"^(?:the|a|an)\s", "", description)
        for word in re.findall(r"[A-Za-z]+", description):
            country = country or lexicon.DEMONYMS.get(word.lower())
        memberships.extend(_memberships(description, org_names))
    chain, chain_start = _memberships_before(before, org_names)
    memberships.extend(chain)
    if chain and not description:
        description = re.sub(r"^(?:the|a|an)\s", "", before[chain_start:].strip(" ,")) or None
    if description and _is_relational(description):
        description = None
    if description and re.search(r"[A-Z].*[’']s\s", description):
        for org in org_names:
            if org not in description:
                continue
            possessive = re.search(rf"{re.escape(org)}[’']s\s(.+)$", description)
            if possessive:
                description = possessive.group(1)
                memberships.append(MembershipMention(org, possessive.group(1)))
    return description, country, _unique(memberships)


_RELATIVE = re.compile(r"(?:who|whose|whom|which|that|where|when)\b")
"""An apposition that is a relative clause ("X, who had left Belarus,") describes no role."""
_RELATIONAL = {
    "colleague", "colleagues", "friend", "wife", "husband", "son", "daughter", "mother", "father",
    "brother", "sister", "relative", "neighbour", "neighbor", "partner", "cousin", "uncle", "aunt",
    "nephew", "niece", "grandson", "granddaughter", "fiancé", "fiancée",
}  # fmt: skip


def _is_relational(description: str) -> bool:
    """'our colleague', 'his wife': a relation to someone else, not the person's own role."""
    words = re.findall(r"[\w\-]+", description.lower())
    return bool(words) and words[-1] in _RELATIONAL


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
            if variant not in text:
                continue
            match = re.search(
                rf"(\b[\w\-]+(?:\s[\w\-]+)?)\s(?:of|from|at)\s(?:the\s)?(?:[a-z ]*?)[“\"]?{re.escape(variant.split(' “')[0] if False else variant)}",
                text,
            )
            if match:
                role = _role_of(match.group(1))
                if role:
                    out.append(MembershipMention(org, role))
    return out


def _memberships_before(before: str, org_names: list[str]) -> tuple[list[MembershipMention], int]:
    """ROLE of ORG [and ROLE of ORG] directly before the name, and where that chain starts."""
    out: list[MembershipMention] = []
    tail = before.rstrip(" ,")
    chain_start = len(before)
    while True:
        hit = None
        for org in org_names:
            if not all(part in tail for part in org.split('"')):
                continue
            pattern = re.escape(org).replace('"', '[“”"]')
            match = re.search(
                rf"^.*(?<![\w\-])([\w\-]+(?:\s[\w\-]+)?)\s(?:of|from)\s(?:the\s)?(?:[a-z]+\s){{0,3}}?{pattern}[”\"]?$",
                tail,
            )
            if match:
                hit = (org, match)
                break
        if not hit:
            return out, chain_start
        role = _role_of(hit[1].group(1).split()[-1])
        if not role:
            return out, chain_start
        out.append(MembershipMention(hit[0], role))
        chain_start = hit[1].start(1) + len(hit[1].group(1)) - len(hit[1].group(1).split()[-1])
        modifier = re.search(r"(?:deputy|vice|acting|former|executive)[\s\-]$", before[:chain_start], re.I)
        chain_start = modifier.start() if modifier else chain_start
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


@dataclass(slots=True)
class PersonResult:
    persons: list[PersonMention]
    surface: dict[str, str]
    """Every surface form (full name, alias, surname) -> canonical name."""
    mentions: list[tuple[int, int]]
    """Character spans of the full-name mentions (with the honorific for "Professor Eastman")."""


def _accepted(hits: list[PersonHit], text: str) -> set[str]:
    """Names with a cue in at least one sentence, or whose surname alone has one elsewhere."""
    names = {hit.name for hit in hits if hit.evidence}
    for previous, hit in itertools.pairwise(hits):
        between = hit.sentence.text[previous.end - hit.sentence.start : hit.start - hit.sentence.start]
        if previous.name in names and previous.sentence is hit.sentence and _COORDINATION.match(between):
            names.add(hit.name)
    cued: dict[str, bool] = {}
    for hit in hits:
        words = hit.name.split()
        if hit.name in names or len(words) == 1:
            continue
        surname = words[-1]
        if surname not in cued:
            cued[surname] = _surname_cued(surname, text)
        if cued[surname]:
            names.add(hit.name)
    return names


_CUE_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Professor", "Prof")
_SAID_AFTER = re.compile(rf",?\s(?:{_SAID})\b")


def _surname_cued(surname: str, text: str) -> bool:
    """Whether "Mr|Mrs|Ms|Dr|Professor|Prof[.] SURNAME" or "SURNAME[,] said" occurs in ``text``.

    Word boundaries as in a regular expression's ``\\b``; found with ``str.find`` so that no
    pattern is compiled per surname (that compilation was most of the time of this step).
    """
    index = text.find(surname)
    while index >= 0:
        end = index + len(surname)
        if _boundary(text, index) and _SAID_AFTER.match(text, end):
            return True
        if _boundary(text, end) and _title_before(text, index):
            return True
        index = text.find(surname, index + 1)
    return False


def _title_before(text: str, index: int) -> bool:
    """A cue title, an optional full stop and one space end right before ``index``."""
    if index == 0 or not text[index - 1].isspace():
        return False
    stop = index - 1
    ends = (stop, stop - 1) if text[stop - 1 : stop] == "." else (stop,)
    for title_end in ends:
        for title in _CUE_TITLES:
            start = title_end - len(title)
            if start >= 0 and text[start:title_end] == title and _boundary(text, start):
                return True
    return False


def _boundary(text: str, index: int) -> bool:
    """``\\b`` at ``index``: a word character on exactly one side."""
    before = index > 0 and _is_word_char(text[index - 1])
    after = index < len(text) and _is_word_char(text[index])
    return before != after


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


_LOWER_WORD = re.compile(r"(?<![\w.])[a-z]+\b")


def extract_persons(
    sentences: list[Sentence],
    org_spans: list[tuple[int, int]],
    orgs: dict[str, str],
    org_names: list[str],
    *,
    skip_credits: bool = True,
) -> PersonResult:
    """Persons with descriptions and memberships; only names that some cue marks as a person's.

    Photo credits and bylines are skipped unless ``skip_credits`` is false (the NER benchmark
    counts a photographer's name as a person mention; a case record does not).
    """
    text = "\n".join(sentence.text for sentence in sentences)
    common = frozenset(_LOWER_WORD.findall(text))
    hits = [
        hit
        for sentence in sentences
        if not (skip_credits and is_credit(sentence.text))
        for hit in find_in_sentence(sentence, org_spans, common)
    ]
    accepted = _accepted(hits, text)
    found: dict[str, PersonMention] = {}
    surface: dict[str, str] = {}
    mentions: list[tuple[int, int]] = []
    for hit in hits:
        if hit.name not in accepted:
            continue
        canonical = surface.get(hit.name, hit.name)
        mention = found.get(canonical)
        if mention is None:
            mention = PersonMention(name=hit.name, quote=hit.sentence.quote())
            found[canonical] = mention
            surface[hit.name] = canonical
            surface.setdefault(hit.name.split()[-1], canonical)
        mentions.append((hit.mention_start, hit.end))
        description, country, memberships = describe(hit, orgs, org_names)
        if description and not mention.description:
            mention.description = description
            mention.quote = hit.sentence.quote()
        mention.country = mention.country or country or _group_country(hit.sentence.text)
        for membership in memberships:
            if all(m.organisation != membership.organisation for m in mention.memberships):
                mention.memberships.append(membership)
    places = {name for name in found if _only_as_place(name, text)}
    for name in places:
        del found[name]
    surface = {form: canonical for form, canonical in surface.items() if canonical not in places}
    kept = [span for span in mentions if _span_name(span, hits) not in places]
    return PersonResult(list(found.values()), surface, kept)


def _span_name(span: tuple[int, int], hits: list[PersonHit]) -> str:
    return next(hit.name for hit in hits if hit.end == span[1])


_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|near|across|outside|inside|visited|around)\s(?:the\s)?$", re.I)


def _only_as_place(name: str, text: str) -> bool:
    """A name seen only after a place preposition ("in Cape Canaveral") and never described is a place."""
    occurrences = standalone(text, name)
    return bool(occurrences) and all(_PLACE_PREPOSITION.search(text[max(0, i - 20) : i]) for i in occurrences)
