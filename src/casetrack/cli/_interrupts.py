"""Ctrl-C held back while one input is being committed and counted.

``casetrack ingest`` stores each input in its own transaction and, when
interrupted, says how far it got ("interrupted at input 33 of 96: it was rolled
back"). A Ctrl-C landing between a transaction's COMMIT and the line that counts
the input would make that sentence false: the input is stored but reported as
rolled back. :func:`deferred` makes that stretch atomic: a SIGINT arriving inside
it is remembered and raised as :class:`KeyboardInterrupt` as soon as it ends, so
an input is either stored and counted or neither. The stretch is one store (tens
of milliseconds), never the analysis, which stays interruptible. It does nothing
outside the main thread (where Python cannot install signal handlers) or when
SIGINT is not Python's default (ignored, or handled by someone else).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def deferred() -> Iterator[None]:
    """Run the block with SIGINT held back; raise KeyboardInterrupt after it if one came."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    received: list[int] = []

    def remember(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGINT, remember)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt
