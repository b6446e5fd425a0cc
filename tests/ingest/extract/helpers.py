"""Build a Document from text and check that every quote cites the text exactly."""

from __future__ import annotations

import hashlib
from pathlib import Path

from casetrack.dates import PartialDate
from casetrack.ingest.extract import extract
from casetrack.ingest.types import Document, Extraction


def document(
    text: str, published: str | None = None, language: str | None = None, title: str | None = None
) -> Document:
    return Document(
        input="test",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        raw=text.encode(),
        published=PartialDate.parse(published),
        language=language,
        title=title,
    )


def assert_quotes_exact(extraction: Extraction, text: str) -> None:
    facts: list = [*extraction.persons, *extraction.organisations, *extraction.cases, *extraction.events]
    facts += [charge for case in extraction.cases for charge in case.charges]
    for fact in facts:
        assert fact.quote is not None, fact
        assert text[fact.quote.start : fact.quote.end] == fact.quote.text


def run(
    text: str, published: str | None = None, language: str | None = None, title: str | None = None
) -> Extraction:
    result = extract(document(text, published, language, title))
    assert_quotes_exact(result, text)
    return result


def ner_texts(corpus_dir: Path) -> list[str]:
    """The Russian NER devset texts and the English NER files' sentences (tokens joined by spaces)."""
    texts = [
        p.read_text(encoding="utf-8-sig") for p in sorted((corpus_dir / "ner-ru" / "devset").glob("*.txt"))
    ]
    for path in sorted((corpus_dir / "ner-en").glob("*.tsv")):
        tokens = [
            line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        texts.append(" ".join(tokens))
    return texts
