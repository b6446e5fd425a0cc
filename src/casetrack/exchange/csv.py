"""CSV export: one flat table per entity type, for spreadsheets.

The nested snapshot is split into tables that join on ids: ``sources``,
``persons``, ``organisations``, ``memberships``, ``cases``, ``case_parties``,
``charges``, ``events``, ``event_participants`` and ``citations``
(``record_type``, ``record_id``, ``source_id``, quote). A date is two columns,
its ISO prefix and its precision (plus ``*_inferred`` where it can be
inferred), so "--07-04" stays "4 July, year unknown" and is never read as a
full date. Lists of names (aliases) are joined with "; ". A cell a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) gets a
leading apostrophe. Every table has its header even when it has no rows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from casetrack.errors import InputError, UsageError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FACT = ["origin", "curated_fields"]

Row = dict[str, Any]


def _date(prefix: str, value: Any, *, inferred: bool = True) -> Row:
    value = value if isinstance(value, dict) else {}
    row = {prefix: value.get("date"), f"{prefix}_precision": value.get("precision")}
    if inferred:
        row[f"{prefix}_inferred"] = value.get("inferred")
    return row


def _pick(item: dict[str, Any], names: list[str]) -> Row:
    return {name: item.get(name) for name in names}


def _sources(snap: dict[str, Any]) -> Iterator[Row]:
    for s in snap.get("sources", []):
        yield (
            _pick(s, ["id", "input", "title", "publisher", "url", "language"])
            | _date("published", s.get("published"))
            | _date("retrieved", s.get("retrieved"), inferred=False)
            | _pick(
                s, ["retrieved_at", "sha256", "media_type", "encoding", "size", "previous_id", "ingested_by"]
            )
        )


def _persons(snap: dict[str, Any]) -> Iterator[Row]:
    for p in snap.get("persons", []):
        yield (
            _pick(p, ["id", "name"])
            | {"aliases": p.get("aliases", [])}
            | _pick(p, ["description", "country"])
            | _date("birth_date", p.get("birth_date"), inferred=False)
            | _pick(p, ["notes", *_FACT])
        )


def _organisations(snap: dict[str, Any]) -> Iterator[Row]:
    for o in snap.get("organisations", []):
        yield (
            _pick(o, ["id", "name"])
            | {"aliases": o.get("aliases", [])}
            | _pick(o, ["kind", "country", "description", "notes", *_FACT])
        )


def _memberships(snap: dict[str, Any]) -> Iterator[Row]:
    for p in snap.get("persons", []):
        for m in p.get("memberships", []):
            yield (
                {"id": m.get("id"), "person_id": p.get("id"), "person": p.get("name")}
                | _pick(m, ["organisation_id", "organisation", "role"])
                | _date("start", m.get("start"), inferred=False)
                | _date("end", m.get("end"), inferred=False)
                | _pick(m, _FACT)
            )


def _cases(snap: dict[str, Any]) -> Iterator[Row]:
    for c in snap.get("cases", []):
        yield _pick(c, ["id", "name", "country", "status", "summary", "notes", *_FACT])


def _case_parties(snap: dict[str, Any]) -> Iterator[Row]:
    for c in snap.get("cases", []):
        for party in c.get("parties", []):
            yield (
                {"id": party.get("id"), "case_id": c.get("id"), "case": c.get("name")}
                | _pick(party, ["name", "person_id", "organisation_id", "role", *_FACT])
            )


def _charges(snap: dict[str, Any]) -> Iterator[Row]:
    for c in snap.get("cases", []):
        for charge in c.get("charges", []):
            yield (
                {"id": charge.get("id"), "case_id": c.get("id"), "case": c.get("name")}
                | _pick(
                    charge,
                    [
                        "person_id",
                        "person",
                        "charge",
                        "legal_article",
                        "legal_article_raw",
                        "code",
                        "max_penalty",
                        "sentence",
                    ],
                )
                | _date("date", charge.get("date"))
                | _pick(charge, _FACT)
            )


def _events(snap: dict[str, Any]) -> Iterator[Row]:
    for e in snap.get("events", []):
        yield (
            _pick(e, ["id", "kind"])
            | _date("date", e.get("date"))
            | _pick(e, ["summary", "location", "case_id", "case"])
            | {"figures": json.dumps(e.get("figures") or {}, ensure_ascii=False, sort_keys=True)}
            | _pick(e, _FACT)
        )


def _event_participants(snap: dict[str, Any]) -> Iterator[Row]:
    for e in snap.get("events", []):
        for p in e.get("participants", []):
            yield {"event_id": e.get("id")} | _pick(
                p, ["name", "person_id", "organisation_id", "role", "origin"]
            )


_CITED = {
    "persons": "person",
    "organisations": "organisation",
    "cases": "case",
    "events": "event",
}
_NESTED = {"memberships": "membership", "parties": "case_party", "charges": "charge"}


def _citations(snap: dict[str, Any]) -> Iterator[Row]:
    for key, record_type in _CITED.items():
        for item in snap.get(key, []):
            yield from _cited(record_type, item)
            for nested, nested_type in _NESTED.items():
                for sub in item.get(nested, []):
                    yield from _cited(nested_type, sub)


def _cited(record_type: str, item: dict[str, Any]) -> Iterator[Row]:
    for c in item.get("citations", []):
        span = c.get("span") or [None, None]
        yield {
            "record_type": record_type,
            "record_id": item.get("id"),
            "source_id": c.get("source_id"),
            "field": c.get("field"),
            "start": span[0],
            "end": span[1],
            "quote": c.get("quote"),
        }


#: Each table's rows and the columns it always has (so an empty table still has its header).
TABLES: dict[str, Callable[[dict[str, Any]], Iterator[Row]]] = {
    "sources": _sources,
    "persons": _persons,
    "organisations": _organisations,
    "memberships": _memberships,
    "cases": _cases,
    "case_parties": _case_parties,
    "charges": _charges,
    "events": _events,
    "event_participants": _event_participants,
    "citations": _citations,
}

_EMPTY: dict[str, Any] = {
    "sources": [{"published": {}, "retrieved": {}}],
    "persons": [{"memberships": [{}], "birth_date": {}}],
    "organisations": [{}],
    "cases": [{"parties": [{"citations": [{}]}], "charges": [{}]}],
    "events": [{"participants": [{}], "date": {}}],
}


def columns(table: str) -> list[str]:
    return list(next(TABLES[table](_EMPTY)))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_table(snapshot: dict[str, Any], table: str, out: TextIO) -> int:
    """One table as CSV with its header; returns how many rows."""
    if table not in TABLES:
        raise UsageError(f"unknown CSV table {table!r}", hint=f"use one of: {', '.join(TABLES)}")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(table))
    count = 0
    for row in TABLES[table](snapshot):
        writer.writerow([_cell(v) for v in row.values()])
        count += 1
    return count


def write(snapshot: dict[str, Any], out: TextIO, table: str = "persons") -> int:
    return write_table(snapshot, table, out)


def write_dir(snapshot: dict[str, Any], directory: Path) -> dict[str, int]:
    """Every table as ``DIR/<table>.csv``; returns the row count of each."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {directory}: {exc.strerror}", hint="check the path") from None
    if not directory.is_dir():
        raise InputError(f"{directory} is not a folder", hint="give -o a folder for CSV")
    counts = {}
    for table in TABLES:
        path = directory / f"{table}.csv"
        try:
            with path.open("w", encoding="utf-8", newline="") as out:
                counts[table] = write_table(snapshot, table, out)
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror}", hint="check the path") from None
    return counts
