"""Morphology only for the sentences that hold a name: the extraction must not change.

The reference tags every sentence with natasha's own ``Doc.tag_morph`` (what the extractor did
before); the extractor now tags only the sentences holding a token of a PER/ORG span.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casetrack.ingest.extract import extract, russian
from casetrack.ingest.types import Document
from tests.ingest.extract.helpers import document

ARTICLES = [
    (
        "12 мая 2024 года Ленинский районный суд Минска приговорил правозащитника Алеся Беляцкого к 10 годам "
        "колонии. Погода в тот день была холодной, шёл дождь. Правозащитный центр «Весна» заявил, что дело "
        "политически мотивировано. В зале было много людей. Адвокат Беляцкого Наталья Матвеева обжаловала приговор."
    ),
    (
        "В Москве задержали журналистку Анну Иванову. Её доставили в ОВД «Тверской». По данным ОВД-Инфо, "
        "в тот вечер задержали ещё 40 человек. Акция прошла у памятника. Никто не пострадал. "
        "Председатель Мосгорсуда Михаил Ершов отказался комментировать решение. Иванову отпустили утром."
    ),
    (
        "Сегодня в Санкт-Петербурге прошла акция. Участники держали плакаты. Полиция не вмешивалась. "
        "Посольство Беларуси в Кыргызстане отказалось выдать паспорт Ивану Петрову. "
        "Петров обратился в Европейский суд по правам человека. Решение ожидается весной."
    ),
]


def _full_morphology(doc: object, tagger: object) -> None:
    doc.tag_morph(tagger)  # type: ignore[attr-defined]


def _assert_same_as_full_tagging(documents: list[Document], monkeypatch: pytest.MonkeyPatch) -> None:
    fast = [extract(doc).to_json() for doc in documents]
    with monkeypatch.context() as patch:
        patch.setattr(russian, "_tag_morphology", _full_morphology)
        reference = [extract(doc).to_json() for doc in documents]
    for doc, got, expected in zip(documents, fast, reference, strict=True):
        assert got == expected, doc.input


def test_own_articles_extract_the_same_as_with_every_sentence_tagged(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = [document(text, language="ru") for text in ARTICLES]
    _assert_same_as_full_tagging(documents, monkeypatch)
    assert any(p.name == "Алесь Беляцкий" for p in extract(documents[0]).persons)


def test_only_sentences_holding_a_person_or_organisation_are_tagged(monkeypatch: pytest.MonkeyPatch) -> None:
    tagger = russian._models()[3]
    tagged: list[list[str]] = []
    original = tagger.map

    def spy(items: list[list[str]]) -> object:
        tagged.extend(items)
        return original(items)

    monkeypatch.setattr(tagger, "map", spy)
    spans = russian.ner_spans(ARTICLES[2])
    sentences = {" ".join(words) for words in tagged}
    assert any("Посольство" in sentence for sentence in sentences)
    assert not any("плакаты" in sentence or "Полиция" in sentence for sentence in sentences)
    assert len(tagged) < 6
    loc = [normal for kind, start, end, normal in spans if kind == "LOC"]
    assert "Санкт-Петербурге" in loc, spans


def test_text_without_names_tags_nothing() -> None:
    assert russian.ner_spans("Сегодня шёл дождь. Было холодно.") == []


@pytest.mark.corpus
def test_corpus_extracts_the_same_as_with_every_sentence_tagged(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casetrack.ingest.pipeline import build_document

    pages = sorted((corpus_dir / "ovdinfo-pages").rglob("*.html"))
    texts = sorted((corpus_dir / "ner-ru" / "devset").glob("*.txt"))[:30]
    assert len(pages) >= 10 and len(texts) == 30
    documents = [build_document(str(page)) for page in pages]
    documents += [document(text.read_text(encoding="utf-8"), language="ru") for text in texts]
    _assert_same_as_full_tagging(documents, monkeypatch)
