"""Patterns that skip texts which cannot match them.

Most sentences hold none of the words a rule looks for ("sentenced", "обвин"...),
yet a pattern with many unanchored alternatives still tries every position of
them. A :class:`Guarded` pattern first asks whether the text contains one of its
``stems`` (plain substring tests, far cheaper) and only then runs the pattern, so
its answers are exactly the pattern's, provided every match contains a stem;
``tests/ingest/extract/test_guard.py`` checks that for each guarded pattern on the
corpus.

``case_folded`` is the same idea for ``re.I`` patterns: a stem or literal a case-insensitive
pattern matches is always a substring of the case-folded text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Guarded:
    """``pattern``, run only on texts containing one of ``stems`` (each match contains one)."""

    pattern: re.Pattern[str]
    stems: tuple[str, ...]

    def possible(self, text: str) -> bool:
        return any(stem in text for stem in self.stems)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.possible(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.possible(text) else iter(())


_FOLD = str.maketrans(
    {"İ": "i", "ı": "i", "ſ": "s", "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с", "ᲄ": "т", "ᲅ": "т", "ᲆ": "ъ"}
)
"""What ``re.I`` also equates with a letter but ``str.lower`` does not make it."""


def case_folded(text: str) -> str:
    """``text`` lower-cased so that whatever an ``re.I`` pattern of lower-case literals matches in
    ``text`` is a substring of it."""
    if any(char in text for char in _FOLDED_CHARS):
        return text.translate(_FOLD).lower()
    return text.lower()


_FOLDED_CHARS = "İıſᲀᲁᲂᲃᲄᲅᲆ"
