"""``split_sentences`` looks only at the few characters before a boundary for an abbreviation.

The reference is the former splitter, which searched the whole paragraph before every
boundary (quadratic in a long paragraph); both must cut every text the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casetrack.ingest.extract import sentences
from casetrack.ingest.extract.sentences import Sentence, split_sentences


def _reference(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    offset = 0
    for paragraph, line in enumerate(text.split("\n")):
        start = 0
        for match in sentences._BOUNDARY.finditer(line):
            if sentences._ABBREVIATIONS.search(line[: match.start()].rstrip("»”\"'")):
                continue
            end = match.start() + len(match.group(0).rstrip())
            sentences._append(out, line, start, end, offset, paragraph)
            start = match.end()
        sentences._append(out, line, start, len(line), offset, paragraph)
        offset += len(line) + 1
    return out


OUR_TEXTS = [
    "He was charged under Art. 342 and Arts. 5 and 6. Mr. Smith and Dr. Jones said so. St. Louis is far.",
    "Acme Inc. Ltd. Reports. No. 5 was read vs. No. 6 etc. Then A. B. Jones spoke. «Да.» Он ушёл.",
    "По ч. 2 ст. 342 УК. Его судили в г. Минске на ул. Ленина, обл. Минская. Им. Горького. Р. Иванов ушёл.",
    "xArt. Next. The end!» “Quoted.” 1990. 2000? Yes… Again.\n\nNew paragraph. A. B.",
    "",
    ".",
    "Art. " * 40 + "End. " * 40,
]


def test_our_texts_split_as_before() -> None:
    for text in OUR_TEXTS:
        assert split_sentences(text) == _reference(text), text[:60]
    assert len(split_sentences(OUR_TEXTS[0])) == 3


@pytest.mark.corpus
def test_the_corpus_splits_as_before(corpus_dir: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus_dir / "ner-ru" / "devset").glob("*.txt"))]
    bodies = json.loads((corpus_dir / "article-extraction" / "ground-truth.json").read_text(encoding="utf-8"))
    texts += [entry["articleBody"] for entry in bodies.values() if entry.get("articleBody")]
    assert len(texts) > 200
    for text in texts:
        assert split_sentences(text) == _reference(text), text[:60]
