"""JSON and CSV output of query results (dataclasses), dates at their real precision.

JSON keeps the nested structure of a view (citations included); CSV flattens a
listing to one row per record with scalar columns only, so it opens cleanly in
a spreadsheet. Cells that a spreadsheet would run as a formula are prefixed
with an apostrophe.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Sequence
from typing import Any, TextIO

from casetrack.dates import PartialDate

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_plain(value: Any) -> Any:
    """Dataclasses, tuples and PartialDates as JSON-ready values."""
    if isinstance(value, PartialDate):
        return value.to_json() | {"display": value.display()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain = {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if hasattr(value, "date_display"):
            plain["date_display"] = value.date_display
        return plain
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def write_json(value: Any, out: TextIO) -> None:
    json.dump(to_plain(value), out, ensure_ascii=False, indent=2)
    out.write("\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.display() if value.known else ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value if not dataclasses.is_dataclass(v)) or (
            str(len(value)) if value else ""
        )
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(rows: Sequence[Any], out: TextIO) -> None:
    """One row per record; nested lists of records become counts."""
    if not rows:
        return
    names = [f.name for f in dataclasses.fields(rows[0])]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in names])
