"""One input to one :class:`~casetrack.ingest.types.Analysis`: read, clean, date, extract.

Pure and database-free: ``analyse`` takes a :class:`~casetrack.ingest.read.RawInput`
(or a path, URL or ``-`` that it reads first) and returns the cleaned document
with its metadata, publication and capture dates, and everything extraction
finds in the cleaned text. Bad input is refused with ``InputError`` only.

``analyse_all`` does the same for many inputs, yielding them in input order.
With ``jobs > 1`` the analyses run in that many worker processes while the
caller stores the results (``casetrack ingest --jobs N``): inputs are still
read here (standard input and URLs stay in this process), at most ``2 * jobs``
are in flight (memory stays flat), workers ignore Ctrl-C (this process handles
it and cancels what is queued), and the order of the results never depends on
which worker finished first.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, BinaryIO

from casetrack.errors import CasetrackError, InputError
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


LANGUAGE_SAMPLE = 2000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid) from its first 2,000 characters, None for too little text.

    py3langid's time grows with the text; on the 135 corpus texts longer than 2,000
    characters, the first 2,000 give the same language as the first 5,000.
    """
    sample = text[:LANGUAGE_SAMPLE]
    if not _has_letters(sample, 40):
        return None
    import py3langid

    code, _score = py3langid.classify(sample)
    return str(code)


def _has_letters(text: str, count: int) -> bool:
    """Whether ``text`` holds at least ``count`` letters (stops counting there: usually in a line)."""
    letters = 0
    for char in text:
        if char.isalpha():
            letters += 1
            if letters >= count:
                return True
    return False


@dataclass(slots=True)
class Analysed:
    """One input of :func:`analyse_all`: its analysis, or the error that stopped it."""

    input: str
    raw: RawInput | None = None
    analysis: Analysis | None = None
    error: CasetrackError | None = None


def analyse_all(
    targets: Iterable[str],
    *,
    jobs: int = 1,
    language: str | None = None,
    stdin: BinaryIO | None = None,
) -> Generator[Analysed, None, None]:
    """Read and analyse each target, in input order; ``jobs > 1`` analyses in worker processes.

    A target that cannot be read or analysed yields its ``CasetrackError`` and the rest go on.
    Close the iterator (``contextlib.closing``) to stop early: queued analyses are cancelled.
    """
    if jobs <= 1:
        for target in targets:
            yield _analysed_here(target, language, stdin)
        return
    yield from _analysed_in_workers(targets, jobs, language, stdin)


def _analysed_here(target: str, language: str | None, stdin: BinaryIO | None) -> Analysed:
    try:
        raw = read_input(target, stdin=stdin)
        return Analysed(target, raw, analyse(raw, language=language))
    except CasetrackError as exc:
        return Analysed(target, error=exc)


def _analysed_in_workers(
    targets: Iterable[str], jobs: int, language: str | None, stdin: BinaryIO | None
) -> Iterator[Analysed]:
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    pending: deque[tuple[Analysed, Future[Any] | None]] = deque()
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_ignore_interrupts)
    try:
        remaining = iter(targets)
        while True:
            while len(pending) < 2 * jobs and (target := next(remaining, None)) is not None:
                pending.append(_submit(executor, target, language, stdin))
            if not pending:
                return
            item, future = pending.popleft()
            if future is not None:
                outcome = future.result()
                if isinstance(outcome, CasetrackError):
                    item.error = outcome
                else:
                    item.analysis = outcome
            yield item
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _submit(
    executor: ProcessPoolExecutor, target: str, language: str | None, stdin: BinaryIO | None
) -> tuple[Analysed, Future[Any] | None]:
    try:
        raw = read_input(target, stdin=stdin)
    except CasetrackError as exc:
        return Analysed(target, error=exc), None
    return Analysed(target, raw), executor.submit(_analyse_in_worker, raw, language)


def _analyse_in_worker(raw: RawInput, language: str | None) -> Analysis | CasetrackError:
    try:
        return analyse(raw, language=language)
    except CasetrackError as exc:
        return exc


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
