"""Exchange formats: the export snapshot and the files other tools read.

:mod:`~casetrack.exchange.snapshot` builds one dict of the whole record; one
module per format writes it (:mod:`.json`, :mod:`.yaml`, :mod:`.csv`, and
:mod:`.ftm` for FollowTheMoney). :mod:`.load` reads the JSON/YAML form back
(export -> import -> export is identical) and :mod:`.bulk` imports structured
lists (CSV, JSON Lines) through a column mapping. Writers are looked up by name
and imported lazily, so a missing optional writer is a clear error, not a crash.
"""

from __future__ import annotations

import importlib
from typing import Any, TextIO

from casetrack.errors import UsageError

FORMATS = ("json", "yaml", "csv", "ftm")


def writer(fmt: str) -> Any:
    """The module that writes ``fmt``: it has ``write(snapshot, out) -> int``."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    try:
        return importlib.import_module(f"casetrack.exchange.{fmt}")
    except ImportError as exc:
        raise UsageError(f"the {fmt} exporter is not available: {exc}", hint="reinstall casetrack") from None


def write(snapshot: dict[str, Any], fmt: str, out: TextIO) -> int:
    return int(writer(fmt).write(snapshot, out))
