"""The event prefilter never hides a trigger: every match of a kind's pattern holds one of its stems.

``events._TRIGGER_STEMS`` lets a sentence without any stem skip the per-kind patterns, and
``events._KIND_STEMS[kind]`` lets it skip one kind's pattern; a trigger added without its stem
would silently find nothing. Checked on our own phrases for every kind and on the real
Russian and English texts of the shared corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casetrack.ingest.extract import events
from tests.ingest.extract.helpers import ner_texts

OUR_PHRASES = [
    "Amnesty collected 405,000 signatures under a petition.",
    "The court sentenced him to ten years; she was fined and got probation.",
    "He was found guilty and convicted; the verdict was appealed; she was acquitted and pardoned.",
    "He was extradited, then released and freed; police searched and raided the office.",
    "She was arrested, detained, charged with fraud, indicted and accused of treason.",
    "The hearing and trial followed a protest, a picket, a rally and a demonstration.",
    "He was awarded the prize and became a laureate; the ministry said, stated and condemned it.",
    "Суд приговорил его, он осужден и оштрафован, получил условный срок и 9 лет.",
    "Его задержали, арестовали, обвинили; провели обыск; митинг и пикет; он освобожден.",
    "Апелляция отклонена, экстрадиция и выдача; он стал лауреатом премии; МИД заявил и осудил.",
]


def _matches(text: str) -> list[tuple[str, str]]:
    return [(kind, m.group(0)) for kind, pattern in events.TRIGGERS for m in pattern.finditer(text)]


def _unstemmed(texts: list[str]) -> list[tuple[str, str]]:
    return [
        (kind, match)
        for text in texts
        for kind, match in _matches(text)
        if not events._may_trigger(match)
        or not events._has_stem(events._folded(match), events._KIND_STEMS[kind])
    ]


def test_every_kind_has_stems_and_the_prefilter_is_their_union() -> None:
    assert [kind for kind, _ in events.TRIGGERS] == list(events._KIND_STEMS)
    assert set(events._TRIGGER_STEMS) == {s for stems in events._KIND_STEMS.values() for s in stems}


def test_every_trigger_in_our_phrases_has_its_stem() -> None:
    assert all(_matches(phrase) for phrase in OUR_PHRASES)
    assert {kind for phrase in OUR_PHRASES for kind, _ in _matches(phrase)} == set(events._KIND_STEMS)
    assert _unstemmed(OUR_PHRASES) == []


def test_a_sentence_without_a_stem_is_skipped() -> None:
    assert not events._may_trigger("The weather in Bishkek was warm on Tuesday.")


@pytest.mark.corpus
def test_every_trigger_in_the_real_corpus_has_its_stem(corpus_dir: Path) -> None:
    texts = ner_texts(corpus_dir)
    assert sum(len(_matches(text)) for text in texts) > 150
    assert _unstemmed(texts) == []
