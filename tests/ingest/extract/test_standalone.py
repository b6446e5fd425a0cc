"""``spans.standalone`` finds exactly what the per-name pattern it replaces finds.

``re.finditer(rf"(?<!\\w){re.escape(name)}(?!\\w)", text)`` (``[\\w\\-]`` with ``dash``): same
starts, left to right, no overlaps, for any text and name, including Unicode letters and digits,
underscores, hyphens and an empty name.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from casetrack.ingest.extract.spans import standalone

ALPHABET = "ab -_.1٣Ⅻ²éЖж’'\u0301"
"""Letters, an Arabic-Indic and a Roman-numeral digit, a superscript, a combining accent, punctuation."""


def _reference(text: str, name: str, dash: bool) -> list[int]:
    word = r"[\w\-]" if dash else r"\w"
    return [m.start() for m in re.finditer(rf"(?<!{word}){re.escape(name)}(?!{word})", text)]


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=30), st.text(ALPHABET, max_size=4), st.booleans())
def test_standalone_matches_the_pattern(text: str, name: str, dash: bool) -> None:
    assert standalone(text, name, dash=dash) == _reference(text, name, dash)


def test_standalone_examples() -> None:
    text = "Ales Bialiatski, Bialiatski-Sr and Bialiatskis met Bialiatski."
    assert standalone(text, "Bialiatski") == [5, 17, 51]
    assert standalone(text, "Bialiatski", dash=True) == [5, 51]
    assert standalone("aa", "") == _reference("aa", "", False)
    assert standalone("x_Bob Bob_ Bob", "Bob") == [11]
