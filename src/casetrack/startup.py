"""Garbage collection while the command line starts: rare during start-up, frozen after it.

Starting a command builds a few hundred thousand objects that live until the
process ends (modules, SQLModel/SQLAlchemy classes and metadata, pydantic and
Typer machinery). With the default thresholds the cyclic collector scans them
again and again while they are being built, and once more in full at exit:
about a fifth of the start-up time of ``casetrack show person``.

:func:`begin` (called first by the entry points) raises the first-generation
threshold so that start-up triggers almost no collection; :func:`end` (called
when the database is opened, which every command that reads or writes the
record does once its modules are imported) moves everything built so far into
the permanent generation with :func:`gc.freeze` and restores the default
thresholds, so the command's own work is collected as usual and the start-up
objects are never scanned again. A command that opens no database keeps the
raised threshold: still collected, just less often. Library use and tests, which
never call :func:`begin`, are not affected.
"""

from __future__ import annotations

import gc

STARTUP_THRESHOLD = 100_000
_DEFAULT_THRESHOLDS = gc.get_threshold()


def begin() -> None:
    """Start-up begins: collect rarely while long-lived objects are built."""
    gc.set_threshold(STARTUP_THRESHOLD, *_DEFAULT_THRESHOLDS[1:])


def end() -> None:
    """Start-up is over: freeze what it built and collect normally from now on (once; only after begin)."""
    if gc.get_threshold()[0] == STARTUP_THRESHOLD:
        gc.freeze()
        gc.set_threshold(*_DEFAULT_THRESHOLDS)


def main() -> None:
    """The ``casetrack`` console script: :func:`begin`, then the command line (whose imports are start-up too)."""
    begin()
    from casetrack.cli import main as run_command_line

    run_command_line()
