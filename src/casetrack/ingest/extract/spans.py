"""Capitalised-word runs, the raw candidates for English names and organisations.

Also ``standalone``: where a name occurs not inside a longer word, found with
``str.find`` instead of a pattern compiled per name (names differ per document, so
such patterns overflow ``re``'s cache and are compiled again and again).
"""

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


def _is_word_char(char: str, dash: bool) -> bool:
    """``re``'s ``\\w`` (``str.isalnum()`` or ``_``), and ``-`` when ``dash``."""
    return char.isalnum() or char == "_" or (dash and char == "-")


def standalone(text: str, name: str, *, dash: bool = False) -> list[int]:
    """Starts of ``name`` in ``text`` not inside a longer word, left to right, no overlaps.

    The same starts as ``re.finditer(rf"(?<!\\w){re.escape(name)}(?!\\w)", text)``, or with
    ``[\\w\\-]`` for ``\\w`` when ``dash``.
    """
    found: list[int] = []
    index = text.find(name)
    while index >= 0:
        end = index + len(name)
        if not (index > 0 and _is_word_char(text[index - 1], dash)) and not (
            end < len(text) and _is_word_char(text[end], dash)
        ):
            found.append(index)
            if end == index:
                end += 1
            index = text.find(name, end)
        else:
            index = text.find(name, index + 1)
    return found
