"""natasha's NER run on the segmenter's tokens with our CRF decoding: the same spans as natasha's own.

``russian._segment`` replaces ``Doc.segment`` (the same tokens and sentences without natasha's
intermediate records); ``russian._tag_ner`` replaces ``Doc.tag_ner`` (which tokenises the text a
second time and decodes slovnet's CRF with a per-word batch-indexed loop); ``russian._viterbi``
replaces ``CRF.decode``.
Both are checked against the originals on random scores (with ties), hand-written edge cases
and the Russian texts of the shared corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from casetrack.ingest.extract import russian

EDGE_CASES = [
    "",
    "   \n ",
    "Путин",
    "Алесь Беляцкий",
    "Беляцкий приехал в Минск.",
    "Сегодня шёл дождь. Было холодно.",
    "Правозащитный центр «Весна» и «Мемориал». Да. К.К. ответил: «Нет».",
    "12 мая 2024 года Ленинский районный суд Минска приговорил правозащитника Алеся Беляцкого к 10 "
    "годам колонии.\nАдвокат Беляцкого Наталья Матвеева обжаловала приговор\n\nЕвросоюз осудил.",
    "Hello from London, said John Smith to ООН.",
]


def _crf() -> Any:
    return russian._models()[2].infer.model.head.crf


def _reference_tags(emissions: np.ndarray) -> list[int]:
    mask = np.ones((1, len(emissions)), dtype=bool)
    return [int(tag) for tag in _crf().decode(emissions[None, :, :], mask)[0]]


@pytest.mark.parametrize("length", [1, 2, 3, 17, 400])
def test_viterbi_equals_slovnets_crf_decode_on_random_scores(length: int) -> None:
    rng = np.random.default_rng(length)
    transitions = _crf().transitions.array
    tags = transitions.shape[0]
    for scale in (0.5, 3.0, 30.0):
        emissions = (rng.standard_normal((length, tags)) * scale).astype(transitions.dtype)
        assert russian._viterbi(emissions, transitions) == _reference_tags(emissions)
    ties = rng.integers(0, 2, (length, tags)).astype(transitions.dtype)
    assert russian._viterbi(ties, np.zeros_like(transitions)) == [
        int(t)
        for t in _crf_with(np.zeros_like(transitions)).decode(ties[None], np.ones((1, length), bool))[0]
    ]


def _crf_with(transitions: np.ndarray) -> Any:
    crf = _crf()
    return type(crf)(type(crf.transitions)(list(transitions.shape), str(transitions.dtype), transitions))


def _spans(doc: Any) -> list[tuple[int, int, str, str, list[str]]]:
    return [(s.start, s.stop, s.type, s.text, [t.text for t in s.tokens or []]) for s in doc.spans]


def _segments(doc: Any) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str, list[str]]]]:
    tokens = [(t.start, t.stop, t.text) for t in doc.tokens]
    return tokens, [(s.start, s.stop, s.text, [t.text for t in s.tokens]) for s in doc.sents]


def _assert_same_spans(texts: list[str]) -> int:
    from natasha import Doc

    segmenter, _, ner_tagger, _ = russian._models()
    found = 0
    for text in texts:
        ours, theirs = Doc(text), Doc(text)
        russian._segment(ours)
        theirs.segment(segmenter)
        assert _segments(ours) == _segments(theirs), text[:80]
        russian._tag_ner(ours, ner_tagger)
        theirs.tag_ner(ner_tagger)
        assert _spans(ours) == _spans(theirs), text[:80]
        assert [len(sent.spans or []) for sent in ours.sents or []] == [
            len(sent.spans or []) for sent in theirs.sents or []
        ]
        found += len(ours.spans)
    return found


def test_tag_ner_finds_natashas_spans_on_edge_cases() -> None:
    assert _assert_same_spans(EDGE_CASES) > 5


def test_ner_spans_leaves_the_blas_thread_count_as_it_was() -> None:
    before = [lib["num_threads"] for lib in russian._blas().info()]
    assert russian.ner_spans("Правозащитник Алесь Беляцкий приехал в Минск.")
    assert [lib["num_threads"] for lib in russian._blas().info()] == before


@pytest.mark.corpus
def test_tag_ner_finds_natashas_spans_on_the_corpus(corpus_dir: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus_dir / "ner-ru" / "devset").glob("*.txt"))]
    assert len(texts) > 100
    assert _assert_same_spans(texts[:60]) > 400
