"""Indexed lookups give what the former scans gave.

``folding.fold_events`` compares an event only with the kept events of its kind (was: every kept
event); ``russian._sentence_locator`` bisects the sentences' starts (was: a scan per span). Both
are checked against the former code on interleaved hand-made events and on corpus texts.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from casetrack.dates import PartialDate
from casetrack.ingest.extract import folding, russian
from casetrack.ingest.extract.sentences import Sentence, split_sentences
from casetrack.ingest.types import EventMention, Quote


def _reference_fold(events: list[EventMention], headlines: set[int]) -> list[EventMention]:
    kept: list[EventMention] = []
    for event in events:
        index = next((i for i, k in enumerate(kept) if folding._same_happening(k, event, headlines)), None)
        if index is None:
            kept.append(event)
        else:
            kept[index] = folding._merged(kept[index], event, headlines)
    return kept


def _events(seed: int) -> list[EventMention]:
    rng = random.Random(seed)
    events = []
    for index in range(40):
        start = index * 100
        events.append(
            EventMention(
                kind=rng.choice(["petition", "arrest", "sentence"]),
                persons=rng.choice([["Oleg Marchenko"], ["Anna Berg"], [], ["Anna Berg", "Oleg Marchenko"]]),
                organisations=rng.choice([["Zvon"], []]),
                date=PartialDate.parse(rng.choice([None, "2024-05", "2024-05-03", "2024-06-01"])),
                location=rng.choice([None, "Minsk", "Gomel"]),
                figures=rng.choice([{}, {"signatures": 5000}, {"people": 5000}, {"signatures": 700}]),
                quote=Quote("x" * (10 + index), start, start + 10 + index),
            )
        )
    return events


@pytest.mark.parametrize("seed", range(20))
def test_fold_events_equals_the_scan_over_every_kept_event(seed: int) -> None:
    events = _events(seed)
    headlines = {e.quote.start for e in events[::7] if e.quote}
    folded = folding.fold_events(events, headlines)
    assert folded == _reference_fold(events, headlines)
    assert len(folded) < len(events)


def _reference_sentence_at(sentences: list[Sentence], position: int) -> Sentence | None:
    return next((s for s in sentences if s.start <= position < s.end), None)


def _assert_same_sentences(text: str) -> None:
    sentences = split_sentences(text)
    sentence_at = russian._sentence_locator(sentences)
    for position in range(-1, len(text) + 2):
        assert sentence_at(position) == _reference_sentence_at(sentences, position), position


def test_sentence_locator_on_edge_cases() -> None:
    for text in ["", " ", "Одно.", "  Первое. Второе!\n\nТретье?  \nЧетвёртое", "a\n\n\nb. C."]:
        _assert_same_sentences(text)
    assert russian._sentence_locator([])(0) is None


@pytest.mark.corpus
def test_sentence_locator_on_the_corpus(corpus_dir: Path) -> None:
    for path in sorted((corpus_dir / "ner-ru" / "devset").glob("*.txt"))[:20]:
        _assert_same_sentences(path.read_text(encoding="utf-8"))
