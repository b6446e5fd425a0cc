"""One input to one :class:`~casetrack.ingest.types.Analysis`: read, clean, date, extract.

Pure and database-free: ``analyse`` takes a :class:`~casetrack.ingest.read.RawInput`
(or a path, URL or ``-`` that it reads first) and returns the cleaned document
with its metadata, publication and capture dates, and everything extraction
finds in the cleaned text. Bad input is refused with ``InputError`` only.
"""

from __future__ import annotations

import hashlib

from casetrack.errors import InputError
from casetrack.ingest.clean import clean
from casetrack.ingest.published import find_dates
from casetrack.ingest.read import RawInput, decode, read_input
from casetrack.ingest.types import Analysis, Document


def analyse(raw: RawInput | str, *, language: str | None = None) -> Analysis:
    """The cleaned, dated and extracted form of one input (``language`` overrides detection)."""
    from casetrack.ingest.extract import extract

    document = build_document(raw, language=language)
    return Analysis(document, extract(document))


def build_document(raw: RawInput | str, *, language: str | None = None) -> Document:
    """Everything but extraction: cleaned text, metadata and dates."""
    if isinstance(raw, str):
        raw = read_input(raw)
    text, encoding = decode(raw)
    cleaned = clean(text, raw.media_type, url=raw.url)
    if not cleaned.text.strip():
        raise InputError(
            f"{raw.input}: no article text found in it",
            hint="save the article page itself, not an index page",
        )
    detected = language or detect_language(cleaned.text)
    dates = find_dates(cleaned, base=raw.retrieved_at, fetched=raw.url is not None, language=detected)
    return Document(
        input=raw.input,
        text=cleaned.text,
        sha256=hashlib.sha256(raw.data).hexdigest(),
        raw=raw.data,
        media_type=raw.media_type,
        encoding=encoding,
        title=cleaned.title,
        publisher=cleaned.publisher,
        url=cleaned.url or raw.url,
        language=detected,
        published=dates.published,
        published_evidence=dates.published_evidence,
        retrieved=dates.retrieved,
        retrieved_evidence=dates.retrieved_evidence,
    )


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), None for too little text."""
    sample = text[:5000]
    if sum(c.isalpha() for c in sample) < 40:
        return None
    import py3langid

    code, _score = py3langid.classify(sample)
    return str(code)
