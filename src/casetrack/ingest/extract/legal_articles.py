"""Legal article references in English and Russian, normalised to "Art. N Part P".

"Article 278", "Art. 228.4", "Part 2, Art. 342", "Part 2 of Article 342",
"ч. 4 ст. 228 УК", "части 2 статьи 342 УК РФ" all normalise to one form.
"""

from __future__ import annotations

import re

_NUM = r"(\d+(?:\.\d+)*)"
_PATTERNS = [
    re.compile(
        rf"\b(?:Part|part|ч\.|част[ьиюя])\s*{_NUM}\s*,?\s*(?:of\s+)?(?:Art\.|Article|ст\.|стать[яиюей])\s*{_NUM}(?:\s*(?:УК|of the Criminal Code)(?:\s*(?:РФ|РБ|КР))?)?"
    ),
    re.compile(
        rf"\b(?:Art\.|Article|ст\.|стать[яиюей])\s*{_NUM}(?:\s*,?\s*(?:Part|part|ч\.|част[ьиюя])\s*{_NUM})?(?:\s*(?:УК|of the Criminal Code)(?:\s*(?:РФ|РБ|КР))?)?"
    ),
]


def find_articles(text: str) -> list[tuple[str, str, int, int]]:
    """(normalised, raw, start, end) for each reference, left to right, no overlaps."""
    found: list[tuple[str, str, int, int]] = []
    for index, pattern in enumerate(_PATTERNS):
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for _, _, s, e in found):
                continue
            if index == 0:
                part, article = match.group(1), match.group(2)
            else:
                article, part = match.group(1), match.group(2)
            normal = f"Art. {article}" + (f" Part {part}" if part else "")
            found.append((normal, match.group(0).strip(), match.start(), match.end()))
    return sorted(found, key=lambda item: item[2])
