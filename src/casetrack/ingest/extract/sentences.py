"""Sentence splitting with exact offsets.

Paragraphs are lines; inside a line a sentence ends at ``.``, ``!``, ``?`` or
``…`` (optionally followed by closing quotes) before whitespace and an upper-case
letter or opening quote. Abbreviations such as "Art." or "ст." do not end a
sentence. Every :class:`Sentence` keeps ``text == document[start:end]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casetrack.ingest.extract.guard import Guarded
from casetrack.ingest.types import Quote

_BOUNDARY = re.compile(r"(?<=[.!?…])[»”\"']?\s+(?=[«“\"A-ZА-ЯЁ0-9])")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Art|Arts|No|Mr|Mrs|Ms|Dr|St|Jr|ст|ч|п|г|им|ул|обл|р|Inc|Ltd|vs|etc)\.|\b[A-ZА-Я]\.)$"
)


_ABBREVIATION_CONTEXT = 12
"""Characters before a boundary that ``_ABBREVIATIONS`` needs: its longest match ("Arts.", 5)
and the character before it (for ``\\b``). Searching only them keeps long paragraphs linear.
(The boundary's look-behind puts a full stop, not a quote, right before it: nothing to strip.)"""


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int

    def quote(self) -> Quote:
        return Quote(self.text, self.start, self.end)


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    offset = 0
    for paragraph, line in enumerate(text.split("\n")):
        start = 0
        for match in _BOUNDARY.finditer(line):
            if _ABBREVIATIONS.search(line[max(0, match.start() - _ABBREVIATION_CONTEXT) : match.start()]):
                continue
            end = match.start() + len(match.group(0).rstrip())
            _append(sentences, line, start, end, offset, paragraph)
            start = match.end()
        _append(sentences, line, start, len(line), offset, paragraph)
        offset += len(line) + 1
    return sentences


def _append(out: list[Sentence], line: str, start: int, end: int, offset: int, paragraph: int) -> None:
    chunk = line[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = offset + start + lead
    out.append(Sentence(stripped, begin, begin + len(stripped), paragraph))


_CREDIT = Guarded(
    re.compile(
        r"^(?:Photo|Photos|Photograph|Image|Picture|Source|Text|Author|Фото|Автор|Текст|Источник)\s*[:/]"
        r"|^By\s+[A-Z][\w\-]+(?:\s[A-Z][\w\-]+){0,3}\s*(?:[,/|]\s*[A-Z][\w .]{1,30})?$"
        r"|\b[A-Z]{2,5}\s?(?:Photo|Images)\b|\bPhoto(?:graph)?\s?(?:by|/)"
    ),
    ("Photo", "Image", "Picture", "Source", "Text", "Author", "Фото", "Автор", "Текст", "Источник", "By"),
)


def is_credit(text: str) -> bool:
    """A photo credit or byline ("Photo: AFP", "AP Photo/...", "By Jane Doe, AP", "Фото: ...")."""
    return bool(_CREDIT.search(text))
