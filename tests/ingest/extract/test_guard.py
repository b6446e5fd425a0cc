"""Guarded patterns answer exactly as their patterns: every match holds one of the stems.

``guard.Guarded`` skips a text without any stem; a pattern alternative added without its
stem would silently find nothing. Checked on our own phrases for every alternative and
on the real Russian and English texts of the shared corpus (whole texts and lines).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from casetrack.ingest.extract import cases, charges, guard, organisations, sentences
from casetrack.ingest.extract.guard import Guarded
from tests.ingest.extract.helpers import ner_texts

GUARDED = {
    "charge trigger": charges._TRIGGER,
    "maximum penalty": charges._MAX_PENALTY,
    "sentence": charges._SENTENCE,
    "credit": sentences._CREDIT,
    "named case": cases._NAMED,
    "own case cue": cases._OWN_CASE_CUE,
    "named after a head": organisations._NAMED_AFTER_HEAD,
}
OUR_PHRASES = {
    "named after a head": [
        "the Russian organisation Memorial and the organization Human Rights Watch",
        "the rights group Zvon, the NGO Viasna, the movement Solidarnost",
        "the association Golos, the foundation Nasha Niva, the union Belarusian Journalists",
        "the initiative Free Speech, the newspaper Nasha Niva and the network Viasna",
    ],
    "named case": [
        "The so-called Palace case was heard.",
        "the Bolotnaya Square case",
        "Его судили по делу «Весны», дело «Сети» и дела «Нового величия».",
    ],
    "own case cue": [
        "They demand the release of Ales Bialiatski.",
        "the detention of X, the arrest of Y and the imprisonment of Z",
        "political prisoner Maria Kalesnikava",
        "Bialiatski's case and Bialiatski’s case",
    ],
    "charge trigger": [
        "He was charged with fraud.",
        "She is accused of treason.",
        "He was convicted of theft.",
        "She was found guilty of libel and found guilty under Article 5.",
        "He was indicted for bribery and indicted on two counts.",
        "She was prosecuted for a post and prosecuted under Article 3.",
        "Его обвиняют в экстремизме, её обвиняется в краже, их обвиняются в мошенничестве.",
        "Правозащитников обвинили в контрабанде; он обвинён в измене, она обвинена в клевете.",
        "Ему вменяют статью; он осужден по статье 342 и осуждена за пост.",
        "Ему предъявили обвинение в госизмене и обвинению по статье.",
    ],
    "maximum penalty": [
        "He faces up to 12 years in prison.",
        "She face up to 5 years.",
        "Ему грозит до 7 лет лишения свободы.",
    ],
    "sentence": [
        "The court sentenced him to ten years in prison.",
        "She was fined 500 dollars.",
        "He got a suspended sentence; she got a suspended prison term.",
        "He got three years of probation and was placed on probation for a year.",
        "They were put on probation.",
        "Суд приговорил его к девяти годам.",
        "Её оштрафовали на 30 тысяч рублей.",
        "Он получил условный срок и получила 9 лет.",
        "He was jailed for two years.",
    ],
    "credit": [
        "Photo: AFP",
        "Photos/Reuters",
        "Photograph: John Doe",
        "Image: Nick Moreau.",
        "Picture: someone",
        "Source: the ministry",
        "Text: Jane Roe",
        "Author: Jane Roe",
        "Фото: Весна",
        "Автор: Иван Петров",
        "Текст: редакция",
        "Источник: МВД",
        "By Jane Doe, AP",
        "AP Photo/Someone",
        "AFP Images",
        "Photo by Jane Doe",
        "Photograph by Jane Doe",
    ],
}


def _unstemmed(guarded: Guarded, text: str) -> list[str]:
    return [
        m.group(0) for m in guarded.pattern.finditer(text) if not guarded.possible(text[m.start() : m.end()])
    ]


def _whole_and_lines(text: str) -> list[str]:
    return [text, *text.splitlines()]


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_every_alternative_in_our_phrases_matches_and_holds_its_stem(name: str) -> None:
    guarded = GUARDED[name]
    for phrase in OUR_PHRASES[name]:
        assert guarded.pattern.search(phrase), phrase
        assert guarded.search(phrase) is not None, phrase
        assert _unstemmed(guarded, phrase) == [], phrase


def test_a_text_without_a_stem_is_skipped_and_answers_as_the_pattern() -> None:
    text = "The weather in Bishkek was warm on Tuesday, said Jane Doe."
    for guarded in GUARDED.values():
        assert not guarded.possible(text)
        assert guarded.search(text) is None and guarded.pattern.search(text) is None
        assert list(guarded.finditer(text)) == []


def test_a_text_with_a_stem_gets_the_patterns_own_matches() -> None:
    text = "He was charged with fraud and later charged with theft."
    expected = [m.span() for m in charges._TRIGGER.pattern.finditer(text)]
    assert [m.span() for m in charges._TRIGGER.finditer(text)] == expected and len(expected) == 2


def _corpus_texts(corpus_dir: Path) -> list[str]:
    texts = ner_texts(corpus_dir)
    bodies = corpus_dir / "article-extraction" / "ground-truth.json"
    if bodies.is_file():
        texts.extend(_strings(json.loads(bodies.read_text(encoding="utf-8"))))
    records = corpus_dir / "ovdinfo-records"
    for report in sorted(records.glob("*.md")):
        texts.extend(re.split(r"\n{2,}", report.read_text(encoding="utf-8")))
    prosecutions = records / "criminal-prosecutions-2011-2014.json"
    if prosecutions.is_file():
        texts.extend(_strings(json.loads(prosecutions.read_text(encoding="utf-8"))))
    return texts


def _strings(node: object) -> list[str]:
    """Every string of a JSON document longer than a few words (the report's paragraphs)."""
    if isinstance(node, str):
        return [node] if len(node) > 40 else []
    if isinstance(node, dict):
        node = list(node.values())
    return [s for item in node for s in _strings(item)] if isinstance(node, list) else []


@pytest.mark.corpus
def test_every_match_in_the_real_corpus_holds_a_stem(corpus_dir: Path) -> None:
    texts = [chunk for text in _corpus_texts(corpus_dir) for chunk in _whole_and_lines(text)]
    matched = 0
    for name, guarded in GUARDED.items():
        texts_matched = [t for t in texts if guarded.pattern.search(t)]
        matched += len(texts_matched)
        assert [m for t in texts_matched for m in _unstemmed(guarded, t)] == [], name
    assert matched > 60


def test_case_folded_holds_every_letter_re_i_matches() -> None:
    """Every character of the Basic Multilingual Plane that ``re.I`` equates with a Latin or
    Cyrillic lower-case letter becomes that letter in ``case_folded`` (so a folded stem test
    never hides a case-insensitive match)."""
    letters = "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    any_letter = re.compile(f"[{letters}]", re.I)
    checked = 0
    for code in range(0x10000):
        char = chr(code)
        if not any_letter.fullmatch(char):
            continue
        equal = [letter for letter in letters if re.fullmatch(letter, char, re.I)]
        assert guard.case_folded(char) in equal, (hex(code), equal)
        checked += 1
    assert checked > 2 * len(letters)


def test_case_folded_is_lower_case_with_re_i_equivalents() -> None:
    assert guard.case_folded("Amnesty SAID") == "amnesty said"
    assert guard.case_folded("İRAN ſentenced") == "iran sentenced"
    assert set(guard._FOLDED_CHARS) == {chr(code) for code in guard._FOLD}
