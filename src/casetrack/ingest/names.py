"""Name normalisation, cross-script keys and a match score for resolution.

``name_key`` maps every spelling of a name -- Latin or Cyrillic, with or
without diacritics, in any letter case -- to one ASCII key, so that aliases can
be looked up with an index. ``phonetic_key`` goes further for matching across
transliteration systems: Russian, Belarusian and Polish-style Latin spellings
of one name (Беляцкий, Бяляцкі, Bialiatski, Bialacki, Bialiatki) collapse to a
skeleton (consonant classes, vowels and soft signs dropped). Both are stored in
indexed columns: their output must stay stable (a change needs a data
migration that recomputes them).

The variant layer (``word_forms``, ``GIVEN_NAMES``, ``variant_relation``) is
only compared in memory, so it can be richer than the stored key: it reads
the systematic Russian / Belarusian differences (akanye, ў for в, дз and ц for
soft д and т, г spelt h, Łacinka cz/sz/c) into script-neutral comparison
forms per word, and a small table of given names tells which spellings are
one name (Дмитрий / Дзмітрый / Зміцер / Dzmitry) and which are two (Ihar /
Yahor, Yana / Anna). A name is read as given names + surname; the given names
and the surname are compared word by word.

``match_score`` compares two :class:`NameProfile` (names and aliases plus
optional country, organisations and cases) and returns a score in [0, 1] with
the evidence. Thresholds for the store: ``AUTO_MERGE`` (>= 0.9) merges and
records the new spelling as an alias; ``REVIEW`` (0.6 up to 0.9) makes a merge
candidate for the curator; below 0.6 the records stay apart. Equivalent given
name and surname across scripts reach AUTO_MERGE (0.92); a diminutive, an
initial or a one-consonant name only REVIEW. Two different given names with one
surname (father and son) never take the transliteration paths; a contradicting
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
NEAR_SPELLING = 0.8
RUN_TOGETHER = 0.7
RUN_TOGETHER_MIN_LETTERS = 10

_NON_WORD = re.compile(r"[^a-z0-9]+")
_RUSSIAN_ENDINGS = re.compile(r"(ого|ому|ым|ом|ой|ую|ая|его|ему|ей|ю|а|у|е)$")
_SLAVIC_SUFFIX = re.compile(r"(skii|skiy|ski|sky|skij|ska|skaya)$")
_SKELETON_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
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
]


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """An ASCII, lower-case, punctuation-free key: 'Aleś Bialacki' -> 'ales bialacki'.

    Cached (like ``phonetic_key``): resolution and matching ask for the same names' keys again and again.
    """
    text = unicodedata.normalize("NFKC", name)
    return _NON_WORD.sub(" ", anyascii(text).lower()).strip()


@lru_cache(maxsize=16384)
def _word_skeleton(word: str) -> str:
    text = _SLAVIC_SUFFIX.sub("sk", anyascii(word).lower())
    feminine = text.endswith("a") and len(text) > 4
    for pattern, replacement in _SKELETON_RULES:
        text = pattern.sub(replacement, text)
    return text + "a" if feminine else text


@lru_cache(maxsize=65536)
def phonetic_key(name: str) -> str:
    """A transliteration-insensitive skeleton: 'Алесь Бяляцкі' and 'Ales Bialiatski' agree."""
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", name).replace("ь", "").replace("ъ", ""))
    return " ".join(_word_skeleton(w) for w in words)


# ---------------------------------------------------------------------------
# The variant layer: script-neutral comparison forms of one word.
#
# Russian, Belarusian and their Latin transliterations (BGN/PCGN, ICAO, the
# Belarusian official system, Łacinka, English habits) differ systematically:
# akanye (о -> а), Belarusian ў for Russian в (Салаўёў / Соловьёв), дз and ц
# for soft д and т (Дзяніс / Денис, Цімур / Тимур), г spelt h (Siarhei /
# Sergei), х spelt kh or ch, ч spelt ch, cz or č, ц spelt ts, c or tz. A word's
# comparison forms are its consonant skeleton over these classes -- vowels
# dropped, a u after a vowel read as ў, тц as ц, doubled letters collapsed -- plus the
# class of a word-initial vowel (Yury and Ilya stay apart) and a feminine
# marker for a final -a (Petrov / Petrova stay apart; -ka / -ko do not count:
# Kavalenka is Kovalenko). A letter that several systems read differently
# (Latin h: г or х; a bare c: ц, ч with its caron lost, or k) yields one form
# per reading, and two words agree when their form sets meet. The forms are
# only compared in memory; phonetic_key (stored, indexed) is unchanged.
# ---------------------------------------------------------------------------

_CYRILLIC_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "jo", "є": "je",
        "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m",
        "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "w", "ф": "f",
        "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
        "э": "e", "ю": "ju", "я": "ja", "ł": "l", "č": "ch", "š": "sh", "ž": "zh", "ż": "zh",
        "ć": "ts", "ś": "s", "ź": "z", "ń": "n", "ŭ": "w", "'": "", "’": "", "ʼ": "",
    }
)  # fmt: skip
_VOWELS = frozenset("aeiouyj")
_VOWEL_LETTERS = frozenset("aeiouy")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SOFT = frozenset("iej")
_DIGRAPHS: list[tuple[str, tuple[str, ...]]] = [
    ("shch", ("SC",)), ("szcz", ("SC",)), ("dzh", ("Z",)), ("tch", ("C",)), ("tcz", ("C",)), ("kh", ("x",)),
    ("zh", ("Z",)), ("sh", ("S",)), ("sz", ("S",)), ("ch", ("C",)), ("cz", ("C",)), ("dz", ("d",)),
    ("ph", ("f",)), ("th", ("t",)), ("x", ("ks",)), ("q", ("k",)), ("w", ("v",)),
    ("h", ("g", "x")),
]  # fmt: skip
_MAX_FORMS = 16


def _latin(word: str) -> str:
    """One lower-case Latin spelling: Belarusian-aware for Cyrillic, diacritics read, the rest anyascii."""
    text = unicodedata.normalize("NFC", word).lower().translate(_CYRILLIC_LATIN)
    return _NON_WORD.sub("", anyascii(text).lower())


def _initial_vowel(latin: str) -> str:
    """The class of a word-initial vowel: 'A' (а о е э я ё), 'I' (и і ы), 'U' (у ю), '' for a consonant."""
    match = re.match(r"[jyi]?([aeou])|[iy]", latin)
    if match is None:
        return ""
    vowel = match.group(1)
    return "I" if vowel is None else "U" if vowel == "u" else "A"


def _feminine(latin: str) -> bool:
    return latin.endswith("a") and (latin.endswith("ska") or not latin.endswith("ka"))


def _readings(latin: str, *, written_latin: bool) -> list[tuple[str, ...]]:
    """The consonant classes of a Latin spelling, one tuple of readings per sound. A j written in
    Latin before a vowel is a glide (Jauhen) or ж / дж (Japarov = Жапаров, Azimjan = Азимжан)."""
    sounds: list[tuple[str, ...]] = []
    i = 0
    while i < len(latin):
        rest = latin[i:]
        digraph = next(((g, r) for g, r in _DIGRAPHS if rest.startswith(g)), None)
        soft = latin[i + 2 : i + 3] in _SOFT if rest[:2] in ("ts", "tz") else latin[i + 1 : i + 2] in _SOFT
        if rest[:2] in ("ts", "tz"):
            sounds.append(("C", "t") if soft else ("C",))
            i += 2
        elif digraph is not None:
            sounds.append(digraph[1])
            i += len(digraph[0])
        elif rest[0] == "c":
            sounds.append(("C", "k", "t", "s") if soft else ("C", "k"))
            i += 1
        else:
            if rest[0] == "j" and written_latin and latin[i + 1 : i + 2] in _VOWEL_LETTERS:
                sounds.append(("", "Z"))
            elif rest[0] == "u" and i and latin[i - 1] in "aeo":
                sounds.append(("v",))
            elif rest[0] not in _VOWELS:
                sounds.append((rest[0],))
            i += 1
    return sounds


def _skeletons(sounds: list[tuple[str, ...]]) -> set[str]:
    forms = [""]
    for readings in sounds:
        forms = [f + r for f in forms for r in readings][:_MAX_FORMS]
    return {re.sub(r"(.)\1+", r"\1", form.replace("tC", "C")) for form in forms}


@lru_cache(maxsize=16384)
def word_forms(word: str) -> frozenset[str]:
    """The comparison forms of one word: 'Салаўёў', 'Salauyou', 'Solovyov', 'Соловьёв' share 'slv'."""
    latin = _latin(word)
    if not latin:
        return frozenset()
    written_latin = not _CYRILLIC.search(word)
    suffix = "/f" if _feminine(latin) else ""
    forms = {
        f"{_initial_vowel(latin)}|{s}{suffix}" for s in _skeletons(_readings(latin, written_latin=False))
    }
    if written_latin and "j" in latin:
        readings = _readings(latin, written_latin=True)
        forms |= {
            f"{'' if s.startswith('Z') else _initial_vowel(latin)}|{s}{suffix}" for s in _skeletons(readings)
        }
    return frozenset(forms)


# One line per given name: its Russian, Belarusian (and Ukrainian) forms and the Latin spellings whose
# comparison forms differ (Aliaksandr needs no line of its own: it has Aleksandr's forms); after ';'
# diminutives and related names, which only make a merge candidate. Spellings whose forms already
# agree (Dzianis / Denis, Ihar / Igor) are listed anyway: the table is also what tells Ihar from Yahor.
GIVEN_NAMES = """
Александр Аляксандр Олександр Alexander Aleksandr Oleksandr ; Алесь Саша Sasha
Алексей Аляксей Олексій Aleksei Alexei Oleksii ; Алесь Лёша Alyosha
Алесь Aleś Ales ; Александр Алексей
Дмитрий Дзмітрый Зміцер Змiцер Дмитро Dmitry Dzmitry Zmitser Zmicier Dmytro ; Дима Dima
Сергей Сяргей Сергій Sergei Siarhei Serhii ; Серж
Юрий Юрый Юрій Yury Yuri Iurii Yurii ; Юра Юрась Yuras
Владимир Уладзімір Володимир Vladimir Uladzimir Volodymyr ; Володя Валодзя Vova
Валентин Валянцін Valentin Valiantsin
Николай Мікалай Микола Nikolai Mikalai Mykola ; Коля
Павел Павал Павло Pavel Paval Paul Pavlo ; Паша
Андрей Андрэй Андрій Andrei Andrii
Ольга Вольга Olga Volha Olha
Марина Maryna Marina
Татьяна Тацяна Тетяна Tatiana Tatsiana Tetiana ; Таня
Мария Марыя Марія Maria Maryia ; Маша Маруся
Елена Алена Олена Yelena Elena Alena Olena Helena ; Алёна Лена
Михаил Міхаіл Михайло Mikhail Mihail Michael Mykhailo ; Міхась Миша
Евгений Яўген Евген Євген Yevgeny Yauhen Eugene Yevhen ; Женя
Евгения Яўгенія Yevgenia Yauheniya Eugenia ; Женя
Анна Ганна Anna Hanna Ganna ; Аня
Илья Ілья Ілля Ilya Illia
Юлия Юлія Yulia Yuliya Julia
Яна Yana Jana
Игорь Ігар Ігор Igor Ihar Ihor
Егор Ягор Єгор Yegor Yahor
Олег Алег Oleg Aleh Oleh
Денис Дзяніс Denis Dzianis
Екатерина Кацярына Катерина Yekaterina Ekaterina Katsiaryna Kateryna ; Катя Кася Kasia Katia
Константин Канстанцін Kostiantyn Konstantin Kanstantsin ; Костя Kastus Кастусь
Григорий Рыгор Григорій Grigory Ryhor Hryhorii ; Гриша
Иван Іван Ivan ; Ян Янка
Виктор Віктар Viktor Viktar Victor
Виктория Вікторыя Viktoria Viktoryia Victoria ; Вика
Светлана Святлана Svetlana Sviatlana ; Света
Наталья Наталля Наталія Natalia Natallia Natalya ; Наташа
Анастасия Анастасія Anastasia Anastasiya ; Настя Nastia
Кирилл Кірыл Kirill Kiryl
Тимур Цімур Timur Tsimur
Артём Арцём Артем Artyom Artsiom Artem
Роман Раман Roman Raman
Станислав Станіслаў Stanislav Stanislau
Ярослав Яраслаў Yaroslav Yaraslau
Вячеслав Вячаслаў Vyacheslav Viachaslau ; Слава
Святослав Святаслаў Sviatoslav Sviataslau
Ростислав Расціслаў Rostislav Rastsislau
Геннадий Генадзь Gennady Henadz
Василий Васіль Vasily Vasil
Пётр Пятро Петро Pyotr Piatro Petr Petro Piotr
Степан Сцяпан Stepan Stsiapan
Леонид Леанід Leonid Leanid
Фёдор Фёдар Fyodor Fiodar Fedor
Максим Максім Maksim Maxim
Ксения Ксенія Ksenia Kseniya
Дарья Дар'я Darya Daria
Надежда Надзея Nadezhda Nadzeya ; Надя
Людмила Людміла Lyudmila Liudmila
Галина Галіна Galina Halina
Ирина Ірына Iryna Irina
Вероника Вераніка Veronika Veranika
Алла Ала Alla Ala
Инна Іна Inna Ina
"""


@dataclass(frozen=True, slots=True)
class _GivenTable:
    exact: dict[str, frozenset[int]]
    forms: dict[str, frozenset[int]]
    related: dict[str, frozenset[int]]
    members: tuple[tuple[str, ...], ...]

    def spellings(self, lines: frozenset[int]) -> list[str]:
        return [name for line in sorted(lines) for name in self.members[line]]


def _index(pairs: list[tuple[str, int]], key: Any) -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for spelling, line in pairs:
        for k in key(spelling):
            found.setdefault(k, set()).add(line)
    return {k: frozenset(v) for k, v in found.items()}


@lru_cache(maxsize=1)
def _given_table() -> _GivenTable:
    full: list[tuple[str, int]] = []
    related: list[tuple[str, int]] = []
    members: list[tuple[str, ...]] = []
    for line, text in enumerate(t for t in GIVEN_NAMES.splitlines() if t.strip()):
        names, _, diminutives = text.partition(";")
        full += [(n, line) for n in names.split()]
        related += [(n, line) for n in diminutives.split()]
        members.append(tuple(names.split()))
    return _GivenTable(
        _index(full, lambda n: [name_key(n)]),
        _index(full, word_forms),
        _index(related, lambda n: [name_key(n), *(f for f in word_forms(n) if _form_consonants(f) >= 2)]),
        tuple(members),
    )


@lru_cache(maxsize=16384)
def given_classes(word: str) -> frozenset[int]:
    """The lines of GIVEN_NAMES a given name belongs to: by its spelling, else by its comparison forms."""
    table = _given_table()
    exact = table.exact.get(name_key(word))
    if exact is not None:
        return exact
    return frozenset().union(*(table.forms.get(f, frozenset()) for f in word_forms(word)))


def _diminutive_of(word: str) -> frozenset[int]:
    """The lines of GIVEN_NAMES that list the word after ';' (a diminutive or related name)."""
    table = _given_table()
    keys = [name_key(word), *(f for f in word_forms(word) if _form_consonants(f) >= 2)]
    return frozenset().union(*(table.related.get(k, frozenset()) for k in keys))


def _form_consonants(form: str) -> int:
    return len(form.partition("|")[2].removesuffix("/f"))


def _consonants(word: str) -> int:
    return min((_form_consonants(f) for f in word_forms(word)), default=0)


@lru_cache(maxsize=16384)
def _initials(word: str) -> frozenset[str]:
    """What a given name may start with in any script: 'Uladzimir' -> U or v (Vladimir)."""
    if word.lower() in ("y", "j", "i"):
        return frozenset("AIU")
    starts = {_first_sound(f) for f in word_forms(word)}
    table = _given_table()
    for line in given_classes(word):
        starts |= {_first_sound(f) for f, lines in table.forms.items() if line in lines}
    return frozenset(starts)


def initials_agree(a: str, b: str) -> bool:
    """Two given names (or initials) may start the same in some script: 'Ihar' / 'I.', 'Vladimir' / 'U.'."""
    return bool(_initials(a) & _initials(b))


def _first_sound(form: str) -> str:
    vowel, _, skeleton = form.partition("|")
    return vowel or skeleton[:1]


SAME_WORD, WEAK, RELATED, INITIAL, CONFLICT = "same", "weak", "related", "initial", "conflict"


def given_relation(a: str, b: str) -> str | None:
    """How two given names relate: the same name in any script, a weak (short) agreement, related
    (a diminutive), an initial that fits, a conflict (two different names: one of them a known given
    name, or initials that cannot agree), or None (two unknown words: perhaps not given names at all)."""
    if name_key(a) == name_key(b):
        return SAME_WORD
    if len(a) == 1 or len(b) == 1:
        return INITIAL if initials_agree(a, b) else CONFLICT
    classes_a, classes_b = given_classes(a), given_classes(b)
    if classes_a and classes_b and classes_a & classes_b:
        return SAME_WORD
    if not (classes_a and classes_b) and word_forms(a) & word_forms(b):
        return SAME_WORD if min(_consonants(a), _consonants(b)) >= 2 else WEAK
    if classes_a & _diminutive_of(b) or classes_b & _diminutive_of(a):
        return RELATED
    return CONFLICT if classes_a or classes_b or not initials_agree(a, b) else None


def surname_relation(a: str, b: str) -> str | None:
    """'same', 'weak' (a one-consonant skeleton) or None for two surnames."""
    if name_key(a) == name_key(b):
        return SAME_WORD
    if word_forms(a) & word_forms(b):
        return SAME_WORD if min(_consonants(a), _consonants(b)) >= 2 else WEAK
    return None


_PATRONYMIC = re.compile(r"(vich|vych|vna|ichna|вич|вна|ична|ічна)$", re.I)


def name_words(name: str) -> list[str]:
    """The words of a name, apostrophes inside words dropped ("Дар'я" is one word)."""
    text = re.sub(r"['’ʼ]", "", unicodedata.normalize("NFC", name))
    return re.findall(r"[^\W\d_]+", text)


def _parsings(name: str) -> list[tuple[tuple[str, ...], str]]:
    """(given names, surname) readings of a name: either order of two words, a patronymic dropped."""
    words = name_words(name)
    if not words:
        return []
    if len(words) == 1:
        return [((), words[0])]
    if len(words) == 2:
        return [((words[0],), words[1]), ((words[1],), words[0])]
    readings = [(tuple(words[:-1]), words[-1])]
    if len(words) == 3 and _PATRONYMIC.search(words[1]):
        readings.append(((words[0],), words[2]))
    if len(words) == 3 and _PATRONYMIC.search(words[2]):
        readings.append(((words[1],), words[0]))
    return readings


_VARIANT_SCORES = {SAME_WORD: 0.92, WEAK: 0.8, RELATED: 0.75, INITIAL: 0.75}


def _reading_relation(given_a: tuple[str, ...], given_b: tuple[str, ...], surname: str) -> str | None:
    """The weakest relation of the given names, the surnames' ('same' or 'weak') counted too."""
    relations = [given_relation(x, y) for x, y in zip(given_a, given_b, strict=True)]
    if CONFLICT in relations:
        return CONFLICT
    known = [r for r in relations if r is not None]
    if len(known) < len(relations):
        return None
    return min([*known, surname], key=lambda r: _VARIANT_SCORES[r])


def variant_relation(a: str, b: str) -> str | None:
    """The best relation between two full names read as given names + surname (either order of
    two words), None when no reading shares a surname. A conflict on any reading wins: 'Yana
    Petrova' is not 'Anna Petrova' although 'Yana' and 'Anna' could be surnames alike, and 'Anna
    Petrova' is not 'Ivan Petrov' (a surname in its two genders)."""
    best: str | None = None
    for given_a, surname_a in _parsings(a):
        for given_b, surname_b in _parsings(b):
            if not given_a or len(given_a) != len(given_b):
                continue
            surname = surname_relation(surname_a, surname_b)
            if surname is None:
                if _other_gender(surname_a, surname_b) and _given_conflict(given_a, given_b):
                    return CONFLICT
                continue
            relation = _reading_relation(given_a, given_b, surname)
            if relation == CONFLICT:
                return CONFLICT
            if relation is not None and (best is None or _rank(relation) > _rank(best)):
                best = relation
    return best


def _other_gender(a: str, b: str) -> bool:
    """'Petrov' / 'Petrova': one surname, masculine and feminine."""
    return bool({f.removesuffix("/f") for f in word_forms(a)} & {f.removesuffix("/f") for f in word_forms(b)})


def _given_conflict(given_a: tuple[str, ...], given_b: tuple[str, ...]) -> bool:
    return any(given_relation(x, y) == CONFLICT for x, y in zip(given_a, given_b, strict=True))


def _rank(relation: str) -> float:
    return _VARIANT_SCORES.get(relation, 0.0)


def phonetic_variants(name: str) -> set[str]:
    """The phonetic keys of the name with each given name spelt as the other forms of its name in
    GIVEN_NAMES: 'Uladzimir Khamichenka' also yields the key of 'Vladimir Khamichenka'. For indexed
    candidate lookups (phonetic_key itself is stored and must not change)."""
    words = name_words(name)
    keys = {phonetic_key(name)} - {""}
    if len(words) < 2:
        return keys
    table = _given_table()
    for position, word in enumerate(words[:-1]):
        for spelling in table.spellings(given_classes(word)):
            keys.add(phonetic_key(" ".join([*words[:position], spelling, *words[position + 1 :]])))
    return keys - {""}


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

    The words of a name agree in case and gender, so a (case, gender) reading that fits every
    given name, surname and patronymic of the name is used: of several, the likeliest in
    pymorphy3's estimate ('Дмитрия Соловьёва' is a genitive, not a woman called Дмитрия), the
    nominative first for one word and on ties: 'Наталья Матвеева' stays, 'Ирину Славникову' ->
    'Ирина Славникова', 'Петровой' -> 'Петрова'. Other words and non-Cyrillic names are returned
    as they are.
    """
    if not re.search(r"[а-яё]", name, re.I):
        return name
    words = name.split()
    parses = [_morphology().parse(w) if w[:1].isupper() else [] for w in words]
    readings = [[p for p in ps if _PERSONAL & set(p.tag.grammemes) and "sing" in p.tag] for ps in parses]
    adjectives = [[p for p in ps if "ADJF" in p.tag and "sing" in p.tag] for ps in parses]
    if not any(readings):
        return name
    fits = []
    for case in _CASES:
        for gender in ("masc", "femn"):
            chosen = [
                next((p for p in r or a if _agrees(p, case, gender)), None)
                for r, a in zip(readings, adjectives, strict=True)
            ]
            if all(c is not None for c, r, a in zip(chosen, readings, adjectives, strict=True) if r or a):
                fits.append((gender, chosen))
    if not fits:
        return name
    readings_of = [
        (_listed_given_names(results, chosen), _likelihood(chosen), results)
        for gender, chosen in fits
        for results in [[_inflected(w, p, gender) for w, p in zip(words, chosen, strict=True)]]
    ]
    if len(words) == 1:
        best = max(listed for listed, _, _ in readings_of)
        return " ".join(next(r for listed, _, r in readings_of if listed == best))
    return " ".join(max(readings_of, key=lambda reading: reading[:2])[2])


def _listed_given_names(words: list[str], parses: list[Any]) -> int:
    """How many given names of a reading are in GIVEN_NAMES: 'Марину' is far likelier Марина
    (accusative) than a man called Марин (dative), which pymorphy3 scores alike."""
    table = _given_table().exact
    return sum(
        1
        for word, parse in zip(words, parses, strict=True)
        if parse is not None and "Name" in parse.tag and name_key(word) in table
    )


def _agrees(parse: Any, case: str, gender: str) -> bool:
    """A reading in this case and gender; an indeclinable surname (Саакашвили, 'ms-f') fits either."""
    grammemes = set(parse.tag.grammemes)
    return case in grammemes and bool({gender, "ms-f"} & grammemes)


def _likelihood(parses: list[Any]) -> float:
    """How likely pymorphy3 finds one reading of all the words ('Дмитрия' is far likelier a genitive)."""
    product = 1.0
    for parse in parses:
        product *= parse.score if parse is not None else 1.0
    return product


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


@lru_cache(maxsize=65536)
def _name_similarity(a: str, b: str) -> tuple[float, str]:
    """The score and evidence of two spellings (cached: a batch compares the same pairs again and again)."""
    a, b = nominative(a), nominative(b)
    if name_key(a) == name_key(b):
        return 1.0, f"same name {a!r} = {b!r}"
    relation = variant_relation(a, b)
    pa, pb = phonetic_key(a), phonetic_key(b)
    if relation != CONFLICT:
        if pa and pa == pb and (relation is not None or not _read_as_persons(a, b)):
            return 0.95, f"same transliterated name {a!r} ~ {b!r}"
        if _same_given_one_letter(a, b):
            return 0.9, f"same given name, surname one letter apart {a!r} ~ {b!r}"
    if relation is not None and relation != CONFLICT:
        return _VARIANT_SCORES[relation], f"{_VARIANT_EVIDENCE[relation]} {a!r} ~ {b!r}"
    if not _read_as_persons(a, b) and _initial_match(a, b):
        return 0.75, f"initials agree {a!r} ~ {b!r}"
    if relation is None and _run_together(a, b):
        return RUN_TOGETHER, f"same letters, words run together {a!r} ~ {b!r}"
    return _similar_spelling(a, b, pa, pb, conflict=relation == CONFLICT)


def _read_as_persons(a: str, b: str) -> bool:
    """Both names read as given name(s) + surname: then the coarse stored key alone is no proof
    ('Brehan' and 'Burunou' share it, their comparison forms do not)."""
    return all(2 <= len(name_words(n)) <= 3 for n in (a, b))


def _run_together(a: str, b: str) -> bool:
    """'Sjarheikryuczenja' (a slug or hashtag without its hyphen) against 'Siarhei Kryuchenia'."""
    words_a, words_b = sorted((name_words(a), name_words(b)), key=len)
    if len(words_a) != 1 or len(words_b) < 2 or len(words_a[0]) < RUN_TOGETHER_MIN_LETTERS:
        return False
    return bool(word_forms(words_a[0]) & word_forms("".join(words_b)))


_VARIANT_EVIDENCE = {
    SAME_WORD: "same given name and surname across scripts",
    WEAK: "short names agree across scripts",
    RELATED: "related given names, same surname",
    INITIAL: "initials agree",
}


def _similar_spelling(a: str, b: str, pa: str, pb: str, *, conflict: bool) -> tuple[float, str]:
    """A near spelling of the whole name whose surnames are near too (Ivanov is not Ivanenko). When
    the given names are two different names (Yulia / Illia), only a near spelling of the given names
    themselves (Maria / Marina, perhaps a typo) is worth a look."""
    words_a, words_b = name_key(a).split(), name_key(b).split()
    if not pa or not pb or len(pa.split()) != len(pb.split()) or len(words_a) != len(words_b):
        return 0.0, ""
    if _ratio(words_a[-1], words_b[-1]) < NEAR_SPELLING:
        return 0.0, ""
    if conflict and any(_ratio(x, y) < NEAR_SPELLING for x, y in zip(words_a, words_b, strict=True)):
        return 0.0, ""
    ratio = (
        _ratio(name_key(a), name_key(b))
        if conflict
        else max(_ratio(pa, pb), _ratio(name_key(a), name_key(b)))
    )
    if ratio >= 0.85:
        return 0.8 * ratio, f"similar transliteration {a!r} ~ {b!r} ({ratio:.2f})"
    return 0.0, ""


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


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
