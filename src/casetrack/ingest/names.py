"""Name normalisation and matching keys (first version; extraction refines it).

``name_key`` maps every spelling of a name -- Latin or Cyrillic, with or
without diacritics, in any letter case -- to one ASCII key, so that aliases can
be looked up with an index. Pure, no database imports.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9]+")


def name_key(name: str) -> str:
    """An ASCII, lower-case, punctuation-free key: 'Aleś Bialacki' -> 'ales bialacki'."""
    text = unicodedata.normalize("NFKC", name)
    return _NON_WORD.sub(" ", anyascii(text).lower()).strip()
