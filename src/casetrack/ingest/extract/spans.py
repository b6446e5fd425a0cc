"""Capitalised-word runs, the raw candidates for English names and organisations."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*|\(|\)|[“”«»\"]")
_RUN = re.compile(
    r"(?:[A-ZÀ-ÞĀ-ŽА-ЯЁ][\w\-]*(?:['’][a-z]+)?|[A-Z]\.)"
    r"(?:[ ](?:of|for|on|against|the|and|de|van|von)?[ ]?(?:[A-ZÀ-ÞĀ-ŽА-ЯЁ][\w\-]*|[A-Z]\.))*"
)


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    start: int
    end: int


def capitalised_runs(text: str) -> list[Span]:
    spans = []
    for match in re.finditer(
        r"(?<![\w\-])[A-ZÀ-ÞĀ-ŽА-ЯЁ][\w\-]*(?:[ ][A-ZÀ-ÞĀ-ŽА-ЯЁ][\w\-]*|[ ][A-Z]\.)*", text
    ):
        spans.append(Span(match.group(0), match.start(), match.end()))
    return spans


def strip_possessive(span: Span) -> Span:
    for suffix in ("’s", "'s"):
        if span.text.endswith(suffix):
            return Span(span.text[: -len(suffix)], span.start, span.end - len(suffix))
    return span
