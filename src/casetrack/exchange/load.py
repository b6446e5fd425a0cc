"""Reading the export format back: JSON or YAML files, one file or a folder of them.

A document is what :func:`casetrack.exchange.snapshot.build` writes: a mapping
with any of the keys ``sources``, ``persons``, ``organisations``, ``cases``,
``events``, each a list of mappings. Hand-written files (``seeds/``) use the
same shape with fewer keys: no ids, references by name, dates as plain ISO
prefixes (``"2024-05"``) or ``{date, precision, inferred}``.

This module only reads and checks the *shape*; values (vocabularies, dates,
references) are checked by :mod:`casetrack.store.importer` while it writes, in
the same transaction, so a bad value anywhere keeps the whole file out. Every
problem is an :class:`~casetrack.errors.InputError` whose message starts with
the file and says what is wrong in it. Pure: no database.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from casetrack.errors import InputError, UsageError

KEYS = ("sources", "persons", "organisations", "cases", "events")
SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
MAX_BYTES = 512 * 1024 * 1024


def documents(path: Path) -> list[Path]:
    """The file itself, or the export files (``*.json``, ``*.yaml``, ``*.yml``) directly in a folder."""
    try:
        return _documents(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}", hint="check the path") from None


def _documents(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not found:
            raise InputError(f"{path}: no .json, .yaml or .yml files in this folder", hint="give a file")
        return found
    if not path.exists():
        raise InputError(f"{path}: no such file or folder", hint="check the path")
    return [path]


def detect_format(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    try:
        return SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise UsageError(
            f"{path}: cannot tell the format from the name", hint="give --format json or --format yaml"
        ) from None


def read(path: Path, fmt: str = "auto") -> dict[str, Any]:
    """The checked document in ``path``; one InputError naming the file if anything is wrong."""
    fmt = detect_format(path, fmt)
    text = _text(path)
    data = _parse(path, text, fmt)
    return check(data, str(path))


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MiB", hint="split the export")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})", hint="save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from None


def _parse(path: Path, text: str, fmt: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            ) from None
    import yaml

    try:
        return _plain(yaml.load(text, Loader=_loader()))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path}: invalid YAML{where}: {problem}") from None


def _loader() -> Any:
    """YAML's safe loader, except that dates stay text (casetrack checks them itself, naming the
    field) and only true/false are booleans: ``country: NO`` is Norway, not false."""
    import re

    import yaml

    class Loader(yaml.SafeLoader):
        pass

    dropped = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in dropped]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return Loader


def _plain(value: Any) -> Any:
    """YAML's dates and times as the ISO text the rest of casetrack speaks."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def check(data: Any, where: str) -> dict[str, Any]:
    """The document's shape: a mapping of known keys to lists of mappings."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise InputError(
            f"{where}: expected a mapping with {', '.join(KEYS)}; found {kind}",
            hint="see docs/exchange.md for the format",
        )
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise InputError(
            f"{where}: unknown top-level key {unknown[0]!r}", hint=f"the keys are: {', '.join(KEYS)}"
        )
    for key in KEYS:
        items = data.get(key) or []
        if not isinstance(items, list):
            raise InputError(f"{where}: {key!r} must be a list, found {type(items).__name__}")
        for number, item in enumerate(items):
            if not isinstance(item, dict):
                raise InputError(f"{where}: {key}[{number}] must be a mapping, found {type(item).__name__}")
    return {key: list(data.get(key) or []) for key in KEYS}
