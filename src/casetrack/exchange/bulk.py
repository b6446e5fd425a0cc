"""Bulk import of structured lists (CSV, JSON Lines) through a small YAML column mapping.

A monitor's lists -- a prisoners' database export, a spreadsheet of detentions --
have one record per line. A mapping (see ``seeds/mappings/viasna-prisoners.yaml``
and docs/exchange.md) says which column is the person's name, aliases, birth
date and its formats, the case status, the charges (Criminal Code articles), the
dated events and the judges and lawyers. :func:`convert` turns a file into one
document of the export format (:mod:`casetrack.exchange.load`) that
:mod:`casetrack.store.importer` writes in one transaction:

* the file itself is a source (sha256 and raw bytes) and every record made from
  a line cites that line (its text and offsets in the file);
* dates are read with the mapping's formats (``DD.MM.YYYY``, ``MM.YYYY``,
  ``YYYY`` ...): a partial date keeps its precision, nothing is filled in;
* articles are normalised with :func:`casetrack.ingest.extract.legal_articles.find_articles`
  ("Part 2 of Art. 293" -> "Art. 293 Part 2");
* a line that cannot be used (not JSON, no name, a repeat of an earlier line)
  is skipped and reported with its number and reason; oddities that do not stop
  a line (a date that does not parse, dates out of order, a one-word judge name,
  a URL slug that does not split into the name's words) are reported as notes.
  Only an unreadable file or mapping fails as a whole.

Pure: no database.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casetrack.errors import InputError
from casetrack.ingest.extract.legal_articles import find_articles
from casetrack.ingest.names import name_key

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv"}
DEFAULT_DATE_FORMATS = ["YYYY-MM-DD", "YYYY-MM", "YYYY"]
EVENT_ORDER = ("arrest", "detention", "charge", "trial", "verdict", "sentence", "appeal", "release")
_STATUS_FROM_EVENTS = (
    ("release", "released"),
    ("appeal", "convicted"),
    ("verdict", "convicted"),
    ("sentence", "convicted"),
    ("trial", "on_trial"),
    ("charge", "charged"),
    ("arrest", "detained"),
    ("detention", "detained"),
)
_TOKENS = {"YYYY": r"(?P<y>\d{4})", "MM": r"(?P<m>\d{1,2})", "DD": r"(?P<d>\d{1,2})"}
_DESCRIPTION_DASH = re.compile(r"\s+[—–-]\s+")
_ARTICLE_SUFFIX = re.compile(r"^-(\d+)")
_PARENTHESES = re.compile(r"\s*\(([^()]+)\)\s*")
_FIELD = re.compile(r"{([^{}]+)}")


@dataclass
class LineReport:
    line: int
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Conversion:
    document: dict[str, Any]
    reports: list[LineReport]
    lines: int

    @property
    def skipped(self) -> list[LineReport]:
        return [r for r in self.reports if r.skipped]

    @property
    def noted(self) -> list[LineReport]:
        return [r for r in self.reports if r.notes and not r.skipped]


# --- the mapping ------------------------------------------------------------------------------


@dataclass
class DateColumn:
    column: str
    formats: list[re.Pattern[str]]
    summary: list[str] = field(default_factory=list)


@dataclass
class Mapping:
    """A checked column mapping (see docs/exchange.md for the YAML)."""

    where: str
    name_column: str
    format: str | None = None
    delimiter: str = ","
    country: str | None = None
    code: str | None = None
    empty: set[str] = field(default_factory=lambda: {""})
    aliases: list[str] = field(default_factory=list)
    alias_from_url: str | None = None
    birth_date: DateColumn | None = None
    description: str | None = None
    case_name: str = "Case of {name}"
    status_column: str | None = None
    status_values: dict[str, str] = field(default_factory=dict)
    case_summary: list[str] = field(default_factory=list)
    charges_column: str | None = None
    charges_split: str = ";"
    charge_sentence: list[str] = field(default_factory=list)
    events: dict[str, DateColumn] = field(default_factory=dict)
    parties: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Mapping:
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f"{path}: cannot read the mapping: {exc.strerror}") from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: the mapping is not valid YAML: {str(exc).splitlines()[0]}") from None
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Mapping:
        return _MappingReader(where).read(data)


class _MappingReader:
    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, message: str) -> InputError:
        return InputError(f"{self.where}: {message}", hint="see docs/exchange.md for the mapping format")

    def section(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise self.fail(f"{key!r} must be a mapping")
        return value

    def texts(self, value: Any, what: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        raise self.fail(f"{what} must be text or a list of text")

    def date_column(self, value: Any, what: str) -> DateColumn:
        if isinstance(value, str):
            value = {"column": value}
        if not isinstance(value, dict) or not isinstance(value.get("column"), str):
            raise self.fail(f"{what} must be a column name or {{column, formats}}")
        formats = self.texts(value.get("formats") or value.get("format"), f"{what} formats")
        return DateColumn(
            value["column"],
            [self.date_pattern(f) for f in formats or DEFAULT_DATE_FORMATS],
            self.texts(value.get("summary"), f"{what} summary"),
        )

    def date_pattern(self, text: str) -> re.Pattern[str]:
        if "YYYY" not in text and not ("MM" in text and "DD" in text):
            raise self.fail(f"date format {text!r} needs YYYY (or MM and DD)")
        pattern = re.escape(text)
        for token, group in _TOKENS.items():
            pattern = pattern.replace(token, group, 1)
        return re.compile(f"^{pattern}$")

    def read(self, data: Any) -> Mapping:
        from casetrack.vocab import CaseStatus, EventKind, PartyRole

        if not isinstance(data, dict):
            raise self.fail("a mapping must be a YAML mapping")
        person = self.section(data, "person")
        if not isinstance(person.get("name"), str):
            raise self.fail("person.name (the column with the person's name) is required")
        case = self.section(data, "case")
        status = case.get("status") or {}
        if isinstance(status, str):
            status = {"column": status}
        values = {str(k): str(v) for k, v in (status.get("values") or {}).items()}
        for value in values.values():
            if value not in CaseStatus.__members__:
                raise self.fail(f"case status {value!r} is not one of: {', '.join(CaseStatus)}")
        charges = self.section(data, "charges")
        events = {}
        for kind, spec in self.section(data, "events").items():
            if kind not in EventKind.__members__:
                raise self.fail(f"event kind {kind!r} is not one of: {', '.join(EventKind)}")
            events[kind] = self.date_column(spec, f"events.{kind}")
        parties = {}
        for role, spec in self.section(data, "parties").items():
            if role not in PartyRole.__members__:
                raise self.fail(f"party role {role!r} is not one of: {', '.join(PartyRole)}")
            spec = {"column": spec} if isinstance(spec, str) else spec
            if not isinstance(spec, dict) or not isinstance(spec.get("column"), str):
                raise self.fail(f"parties.{role} must be a column name or {{column, split}}")
            parties[role] = (spec["column"], str(spec.get("split") or ","))
        fmt = data.get("format")
        if fmt is not None and fmt not in ("jsonl", "csv"):
            raise self.fail(f"format {fmt!r} must be jsonl or csv")
        return Mapping(
            where=self.where,
            name_column=person["name"],
            format=fmt,
            delimiter=str(data.get("delimiter") or ","),
            country=data.get("country"),
            code=data.get("code"),
            empty={str(v) for v in data.get("empty", [""])} | {""},
            aliases=self.texts(person.get("aliases"), "person.aliases"),
            alias_from_url=person.get("alias_from_url"),
            birth_date=self.date_column(person["birth_date"], "person.birth_date")
            if person.get("birth_date")
            else None,
            description=person.get("description"),
            case_name=str(case.get("name") or "Case of {name}"),
            status_column=status.get("column"),
            status_values=values,
            case_summary=self.texts(case.get("summary"), "case.summary"),
            charges_column=charges.get("column"),
            charges_split=str(charges.get("split") or ";"),
            charge_sentence=self.texts(charges.get("sentence"), "charges.sentence"),
            events=events,
            parties=parties,
        )


# --- reading lines ----------------------------------------------------------------------------


@dataclass
class Line:
    number: int
    start: int
    end: int
    quote: str
    values: dict[str, Any] | None
    problem: str | None = None


def file_format(path: Path, mapping: Mapping, fmt: str | None = None) -> str:
    found = fmt or FORMATS.get(path.suffix.lower()) or mapping.format
    if found is None:
        raise InputError(
            f"{path}: cannot tell whether it is CSV or JSON Lines", hint="set format: in the mapping"
        )
    return found


def read_lines(text: str, fmt: str, delimiter: str = ",") -> Iterator[Line]:
    return _jsonl_lines(text) if fmt == "jsonl" else _csv_lines(text, delimiter)


def _jsonl_lines(text: str) -> Iterator[Line]:
    offset = 0
    for number, raw in enumerate(text.splitlines(keepends=True), 1):
        start, body = offset, raw.rstrip("\r\n")
        offset += len(raw)
        if not body.strip():
            continue
        try:
            values = json.loads(body)
        except json.JSONDecodeError as exc:
            yield Line(number, start, start + len(body), body, None, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(values, dict):
            yield Line(number, start, start + len(body), body, None, "not a JSON object")
            continue
        yield Line(number, start, start + len(body), body, values)


def _csv_lines(text: str, delimiter: str) -> Iterator[Line]:
    physical = text.splitlines(keepends=True)
    offsets = [0]
    for raw in physical:
        offsets.append(offsets[-1] + len(raw))
    position = {"line": -1}

    def feed() -> Iterator[str]:
        for index, raw in enumerate(physical):
            position["line"] = index
            yield raw

    reader = csv.reader(feed(), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        raise InputError(f"the CSV header cannot be read: {exc}") from None
    first = position["line"] + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last = position["line"]
            yield Line(first + 1, offsets[first], offsets[last + 1], "", None, f"not valid CSV ({exc})")
            first = last + 1
            continue
        last = position["line"]
        start, end = offsets[first], offsets[last + 1]
        quote = text[start:end].rstrip("\r\n")
        if any(cell.strip() for cell in row):
            if len(row) != len(header):
                yield Line(
                    first + 1,
                    start,
                    start + len(quote),
                    quote,
                    None,
                    f"{len(row)} cells, header has {len(header)}",
                )
            else:
                yield Line(first + 1, start, start + len(quote), quote, dict(zip(header, row, strict=True)))
        first = last + 1


# --- converting -------------------------------------------------------------------------------


def convert(path: Path, data: bytes, mapping: Mapping, fmt: str | None = None) -> Conversion:
    """The document for one list file, and what was skipped or noted per line.

    ``fmt`` (jsonl or csv) overrides the file name's suffix and the mapping's ``format``.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})", hint="save it as UTF-8") from None
    fmt = file_format(path, mapping, fmt)
    source = {
        "id": 1,
        "input": str(path),
        "title": path.name,
        "media_type": "text/csv" if fmt == "csv" else "application/jsonl",
        "encoding": "utf-8",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "raw_base64": base64.b64encode(data).decode("ascii"),
        "text": text,
    }
    converter = _Converter(mapping)
    count = 0
    for line in read_lines(text, fmt, mapping.delimiter):
        count += 1
        converter.line(line)
    document = {
        "sources": [source],
        "persons": converter.persons,
        "organisations": [],
        "cases": converter.cases,
        "events": converter.events,
    }
    return Conversion(document, converter.reports, count)


class _Converter:
    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.persons: list[dict[str, Any]] = []
        self.cases: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.reports: list[LineReport] = []
        self.seen: dict[tuple[str, str | None], int] = {}

    def line(self, line: Line) -> None:
        report = LineReport(line.number)
        self.reports.append(report)
        if line.values is None:
            report.skipped = line.problem
            return
        values = {k: self.cell(v) for k, v in line.values.items()}
        raw_name = values.get(self.mapping.name_column)
        if not isinstance(raw_name, str) or not raw_name:
            report.skipped = f"no name in column {self.mapping.name_column!r}"
            return
        name, aliases = split_name(raw_name)
        birth = self.date(values, self.mapping.birth_date, "birth date", report)
        seen_key = (name_key(name), birth)
        if seen_key in self.seen:
            report.skipped = f"repeats line {self.seen[seen_key]} (same name and birth date)"
            return
        self.seen[seen_key] = line.number
        aliases += self.aliases(values, name, raw_name, report)
        cite = [{"source_id": 1, "quote": line.quote, "span": [line.start, line.end]}]
        person_ref = -line.number
        self.persons.append(self.person(person_ref, name, aliases, birth, values, cite))
        fields = {**values, "name": name}
        found = {kind: self.date(values, spec, kind, report) for kind, spec in self.mapping.events.items()}
        dates = {kind: date for kind, date in found.items() if date}
        self.check_order(birth, dates, report)
        case_name = fill(self.mapping.case_name, fields) or f"Case of {name}"
        self.cases.append(self.case(case_name, person_ref, fields, dates, values, report, cite))
        for kind, date in dates.items():
            summary = fill_parts(self.mapping.events[kind].summary, fields) or f"{name}: {kind}"
            self.events.append(
                {
                    "kind": kind,
                    "date": date,
                    "summary": summary,
                    "case": case_name,
                    "participants": [{"person_id": person_ref, "name": name, "role": "subject"}],
                    "citations": cite,
                }
            )

    def cell(self, value: Any) -> Any:
        if isinstance(value, str):
            value = " ".join(value.split())
            return None if value in self.mapping.empty else value
        if isinstance(value, list):
            return [v for v in (self.cell(x) for x in value) if v]
        if value is None or isinstance(value, bool):
            return None
        return str(value)

    def person(
        self,
        ref: int,
        name: str,
        aliases: list[str],
        birth: str | None,
        values: dict[str, Any],
        cite: list[dict[str, Any]],
    ) -> dict[str, Any]:
        person: dict[str, Any] = {"id": ref, "name": name, "aliases": aliases, "citations": cite}
        if birth:
            person["birth_date"] = birth
        if self.mapping.country:
            person["country"] = self.mapping.country
        if self.mapping.description and values.get(self.mapping.description):
            person["description"] = values[self.mapping.description]
        return person

    def aliases(self, values: dict[str, Any], name: str, raw_name: str, report: LineReport) -> list[str]:
        found = [str(values[c]) for c in self.mapping.aliases if isinstance(values.get(c), str)]
        column = self.mapping.alias_from_url
        if column and isinstance(values.get(column), str):
            slug = values[column].rstrip("/").rsplit("/", 1)[-1]
            words = [w for w in re.split(r"[-_]+", slug) if w]
            expected = len(_PARENTHESES.sub(" ", raw_name).split()) + len(
                re.findall(r"\(([^()]+)\)", raw_name)
            )
            if words and len(words) in (len(name.split()), expected):
                found.append(" ".join(w.capitalize() for w in words))
            elif words:
                report.notes.append(f"URL slug {slug!r} does not split into the name's words: no alias taken")
        keys = {name_key(name)}
        unique = []
        for alias in found:
            if name_key(alias) not in keys:
                keys.add(name_key(alias))
                unique.append(alias)
        return unique

    def date(
        self, values: dict[str, Any], spec: DateColumn | None, what: str, report: LineReport
    ) -> str | None:
        if spec is None:
            return None
        value = values.get(spec.column)
        if not value:
            return None
        parsed = parse_date(str(value), spec.formats)
        if parsed is None:
            report.notes.append(f"{what} {value!r} does not match the mapping's formats: left out")
        return parsed

    def check_order(self, birth: str | None, dates: dict[str, str], report: LineReport) -> None:
        ordered = [("birth", birth)] if birth else []
        ordered += [(kind, dates[kind]) for kind in EVENT_ORDER if kind in dates]
        for (first, a), (second, b) in itertools.pairwise(ordered):
            if _comparable(a, b) and b < a:
                report.notes.append(f"{second} date {b} is before {first} date {a}")

    def case(
        self,
        name: str,
        person_ref: int,
        fields: dict[str, Any],
        dates: dict[str, str],
        values: dict[str, Any],
        report: LineReport,
        cite: list[dict[str, Any]],
    ) -> dict[str, Any]:
        case: dict[str, Any] = {
            "name": name,
            "status": self.status(values, dates, report),
            "parties": [
                {"person_id": person_ref, "name": fields["name"], "role": "defendant", "citations": cite}
            ],
            "charges": self.charges(person_ref, fields, values, report, cite),
            "citations": cite,
        }
        if self.mapping.country:
            case["country"] = self.mapping.country
        summary = fill_parts(self.mapping.case_summary, fields)
        if summary:
            case["summary"] = summary
        for role, (column, separator) in self.mapping.parties.items():
            for party in self.party_names(values.get(column), separator, role, report):
                case["parties"].append({"name": party, "role": role, "citations": cite})
        return case

    def status(self, values: dict[str, Any], dates: dict[str, str], report: LineReport) -> str:
        stated = values.get(self.mapping.status_column) if self.mapping.status_column else None
        if isinstance(stated, str) and stated in self.mapping.status_values:
            status = self.mapping.status_values[stated]
            if status == "released" and "release" in self.mapping.events and "release" not in dates:
                report.notes.append(f"status {stated!r} (released) but no release date")
            return status
        return next((status for kind, status in _STATUS_FROM_EVENTS if kind in dates), "unknown")

    def party_names(self, value: Any, separator: str, role: str, report: LineReport) -> list[str]:
        names = value if isinstance(value, list) else str(value or "").split(separator)
        kept = []
        for party in (" ".join(str(n).split()) for n in names):
            if not party:
                continue
            if len(party.split()) < 2:
                report.notes.append(f"{role} {party!r} is a single word, not a full name: left out")
                continue
            kept.append(party)
        return kept

    def charges(
        self,
        person_ref: int,
        fields: dict[str, Any],
        values: dict[str, Any],
        report: LineReport,
        cite: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        column = self.mapping.charges_column
        if not column:
            return []
        items = values.get(column) or []
        if not items:
            report.notes.append(f"no charges in column {column!r}")
        if isinstance(items, str):
            items = [i.strip() for i in items.split(self.mapping.charges_split) if i.strip()]
        sentence = fill_parts(self.mapping.charge_sentence, fields)
        charges = []
        for item in items:
            charge = split_charge(str(item))
            if not charge.get("legal_article"):
                report.notes.append(f"no Criminal Code article found in {str(item)[:80]!r}: kept as text")
            charge |= {"person_id": person_ref, "person": fields["name"], "citations": cite}
            if self.mapping.code:
                charge["code"] = self.mapping.code
            if sentence:
                charge["sentence"] = sentence
            charges.append(charge)
        return charges


def split_name(raw: str) -> tuple[str, list[str]]:
    """'Katsiaryna Andreyeva (Bakhvalava)' -> ('Katsiaryna Andreyeva', ['Katsiaryna Bakhvalava'])."""
    inner = re.findall(r"\(([^()]+)\)", raw)
    name = " ".join(_PARENTHESES.sub(" ", raw).split())
    aliases = []
    for text in inner:
        words = text.split()
        if len(words) == 1 and len(name.split()) >= 2:
            aliases.append(" ".join([*name.split()[:-1], words[0]]))
        elif words:
            aliases.append(" ".join(words))
    return name or raw.strip(), aliases


def split_charge(text: str) -> dict[str, Any]:
    """'Part 2 of Art. 293 of the Criminal Code — Participation in riots' -> article, raw, description."""
    parts = _DESCRIPTION_DASH.split(text, maxsplit=1)
    label = parts[0].strip()
    description = parts[1].strip() if len(parts) > 1 else None
    articles = []
    for normal, _raw, _start, end in find_articles(label):
        suffix = _ARTICLE_SUFFIX.match(label[end:])
        if suffix and re.match(r"^Art\. \d+", normal):
            normal = re.sub(r"^(Art\. \d+(?:\.\d+)*)", rf"\1-{suffix.group(1)}", normal)
        articles.append(normal)
    charge: dict[str, Any] = {"legal_article_raw": label[:200]}
    if articles:
        charge["legal_article"] = "; ".join(dict.fromkeys(articles))[:100]
        charge["charge"] = description
    else:
        charge["charge"] = text.strip()
    return charge


def parse_date(value: str, formats: list[re.Pattern[str]]) -> str | None:
    """An ISO prefix at the precision the value has; None when no format fits or the date is impossible."""
    from casetrack.dates import InvalidDate, PartialDate

    for pattern in formats:
        match = pattern.match(value.strip())
        if not match:
            continue
        parts = match.groupdict()
        year, month, day = parts.get("y"), parts.get("m"), parts.get("d")
        if year and month and day:
            iso = f"{year}-{int(month):02d}-{int(day):02d}"
        elif year and month:
            iso = f"{year}-{int(month):02d}"
        elif year:
            iso = year
        elif month and day:
            iso = f"--{int(month):02d}-{int(day):02d}"
        else:
            continue
        try:
            return PartialDate.parse(iso).value
        except InvalidDate:
            return None
    return None


def _comparable(a: str, b: str) -> bool:
    return not a.startswith("--") and not b.startswith("--") and len(a) == len(b)


def fill(template: str, fields: dict[str, Any]) -> str | None:
    """The template with {column} filled in; None when a column it names is empty."""
    names = _FIELD.findall(template)
    if any(not fields.get(n) for n in names):
        return None
    return _FIELD.sub(lambda m: _text(fields[m.group(1)]), template)


def fill_parts(templates: list[str], fields: dict[str, Any]) -> str | None:
    parts = [p for p in (fill(t, fields) for t in templates) if p]
    return " ".join(parts) or None


def _text(value: Any) -> str:
    return "; ".join(map(str, value)) if isinstance(value, list) else str(value)
