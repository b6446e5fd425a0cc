"""Name normalisation, cross-script keys and a match score for resolution.

``name_key`` maps every spelling of a name -- Latin or Cyrillic, with or
without diacritics, in any letter case -- to one ASCII key, so that aliases can
be looked up with an index. ``phonetic_key`` goes further for matching across
transliteration systems: Russian, Belarusian and Polish-style Latin spellings
of one name (Беляцкий, Бяляцкі, Bialiatski, Bialacki, Bialiatki) collapse to a
skeleton (consonant classes, vowels and soft signs dropped).

``match_score`` compares two :class:`NameProfile` (names and aliases plus
optional country, organisations and cases) and returns a score in [0, 1] with
the evidence. Thresholds for the store: ``AUTO_MERGE`` (>= 0.9) merges and
records the new spelling as an alias; ``REVIEW`` (0.6 up to 0.9) makes a merge
candidate for the curator; below 0.6 the records stay apart. A contradicting
country or different initials cap the score below AUTO_MERGE, so two different
people are never merged silently. Pure, no database imports.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from anyascii import anyascii

AUTO_MERGE = 0.9
REVIEW = 0.6

_NON_WORD = re.compile(r"[^a-z0-9]+")
_RUSSIAN_ENDINGS = re.compile(r"(ого|ому|ым|ом|ой|ую|ая|его|ему|ей|ю|а|у|е)$")
_SKELETON_RULES = [
    (r"kh", "h"),
    (r"(k|q)", "k"),
    (r"(sch|shch|sh|sz|ś|ş)", "s"),
    (r"(ch|cz|tch|ć)", "c"),
    (r"(zh|ż|ź|rz)", "z"),
    (r"(ts|tz)", "c"),
    (r"(ph)", "f"),
    (r"w", "v"),
    (r"(j|y|i)", ""),
    (r"[aeouh']", ""),
    (r"(.)\1+", r"\1"),
]


def name_key(name: str) -> str:
    """An ASCII, lower-case, punctuation-free key: 'Aleś Bialacki' -> 'ales bialacki'."""
    text = unicodedata.normalize("NFKC", name)
    return _NON_WORD.sub(" ", anyascii(text).lower()).strip()


def _word_skeleton(word: str) -> str:
    text = anyascii(word).lower()
    text = re.sub(r"(skii|skiy|ski|sky|skij|ska|skaya)$", "sk", text)
    feminine = text.endswith("a") and len(text) > 4
    for pattern, replacement in _SKELETON_RULES:
        text = re.sub(pattern, replacement, text)
    return text + "a" if feminine else text


def phonetic_key(name: str) -> str:
    """A transliteration-insensitive skeleton: 'Алесь Бяляцкі' and 'Ales Bialiatski' agree."""
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", name).replace("ь", "").replace("ъ", ""))
    return " ".join(_word_skeleton(w) for w in words)


@dataclass(slots=True)
class NameProfile:
    names: list[str]
    country: str | None = None
    organisations: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MatchScore:
    score: float
    evidence: list[str] = field(default_factory=list)


def _initial_match(a: str, b: str) -> bool:
    """'R. Karasartova' against 'Rita Karasartova'."""
    wa, wb = name_key(a).split(), name_key(b).split()
    if len(wa) != len(wb) or len(wa) < 2:
        return False
    if phonetic_key(wa[-1]) != phonetic_key(wb[-1]) or not phonetic_key(wa[-1]):
        return False
    return all(
        x[0] == y[0] and (len(x) == 1 or len(y) == 1 or x == y) for x, y in zip(wa[:-1], wb[:-1], strict=True)
    )


@lru_cache(maxsize=1)
def _morphology() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_PERSONAL = {"Surn", "Name", "Patr"}
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@lru_cache(maxsize=4096)
def nominative(name: str) -> str:
    """Inflected Russian personal names in the nominative: 'Алеся Беляцкого' -> 'Алесь Беляцкий'.

    The words of a name agree in case and gender, so the first (case, gender) reading that fits
    every given name, surname and patronymic of the name is used, nominative first: 'Наталья
    Матвеева' stays, 'Ирину Славникову' -> 'Ирина Славникова', 'Петровой' -> 'Петрова'. Other
    words and non-Cyrillic names are returned as they are.
    """
    if not re.search(r"[а-яё]", name, re.I):
        return name
    words = name.split()
    parses = [_morphology().parse(w) if w[:1].isupper() else [] for w in words]
    readings = [[p for p in ps if _PERSONAL & set(p.tag.grammemes) and "sing" in p.tag] for ps in parses]
    adjectives = [[p for p in ps if "ADJF" in p.tag and "sing" in p.tag] for ps in parses]
    if not any(readings):
        return name
    for case in _CASES:
        for gender in ("masc", "femn"):
            wanted = {case, gender}
            chosen = [
                next((p for p in r or a if wanted <= set(p.tag.grammemes)), None)
                for r, a in zip(readings, adjectives, strict=True)
            ]
            if all(c is not None for c, r, a in zip(chosen, readings, adjectives, strict=True) if r or a):
                return " ".join(_inflected(w, parse, gender) for w, parse in zip(words, chosen, strict=True))
    return name


def _inflected(word: str, parse: Any, gender: str) -> str:
    """The nominative of one word; an unknown word keeps its stem ('Фургала' never becomes 'Фургалаа')."""
    if parse is None:
        return word
    inflected = parse.inflect({"nomn", "sing", gender} if "ADJF" in parse.tag else {"nomn", "sing"})
    if not inflected:
        return word
    result = str(inflected.word).capitalize()
    stem = len(word) - 3
    if not parse.is_known and (result[:stem].lower() != word[:stem].lower() or len(result) > len(word) + 1):
        return word
    return result


def _one_letter_dropped(a: str, b: str) -> bool:
    """'Bialiatki' for 'Bialiatski': one letter missing inside a long surname (not at its end,
    where Russian gender and case endings live: Petrov / Petrova stay apart)."""
    short, long = sorted((a, b), key=len)
    if len(long) != len(short) + 1 or len(short) < 7:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(1, len(long) - 2))


def _same_given_one_letter(a: str, b: str) -> bool:
    wa, wb = name_key(a).split(), name_key(b).split()
    return (
        len(wa) == len(wb) >= 2
        and [phonetic_key(w) for w in wa[:-1]] == [phonetic_key(w) for w in wb[:-1]]
        and _one_letter_dropped(wa[-1], wb[-1])
    )


def _name_similarity(a: str, b: str) -> tuple[float, str]:
    a, b = nominative(a), nominative(b)
    if name_key(a) == name_key(b):
        return 1.0, f"same name {a!r} = {b!r}"
    pa, pb = phonetic_key(a), phonetic_key(b)
    if pa and pa == pb:
        return 0.95, f"same transliterated name {a!r} ~ {b!r}"
    if _same_given_one_letter(a, b):
        return 0.9, f"same given name, surname one letter apart {a!r} ~ {b!r}"
    if _initial_match(a, b):
        return 0.75, f"initials agree {a!r} ~ {b!r}"
    ratio = SequenceMatcher(None, pa, pb).ratio() if pa and pb else 0.0
    ratio = max(ratio, SequenceMatcher(None, name_key(a), name_key(b)).ratio())
    if ratio >= 0.85 and len(pa.split()) == len(pb.split()):
        return 0.8 * ratio, f"similar transliteration {a!r} ~ {b!r} ({ratio:.2f})"
    return 0.0, ""


def match_score(a: NameProfile, b: NameProfile) -> MatchScore:
    best, reason = 0.0, ""
    for x in a.names:
        for y in b.names:
            score, why = _name_similarity(x, y)
            if score > best:
                best, reason = score, why
    if best == 0.0:
        return MatchScore(0.0, ["no name in common"])
    evidence = [reason]
    if a.country and b.country:
        if a.country == b.country:
            best += 0.05
            evidence.append(f"same country {a.country}")
        else:
            best = min(best, AUTO_MERGE - 0.05) - 0.2
            evidence.append(f"different countries {a.country} / {b.country}")
    shared_orgs = {phonetic_key(o) for o in a.organisations} & {phonetic_key(o) for o in b.organisations}
    if shared_orgs:
        best += 0.1
        evidence.append("shared organisation")
    shared_cases = {phonetic_key(c) for c in a.cases} & {phonetic_key(c) for c in b.cases}
    if shared_cases:
        best += 0.1
        evidence.append("shared case")
    return MatchScore(round(max(0.0, min(1.0, best)), 3), evidence)
