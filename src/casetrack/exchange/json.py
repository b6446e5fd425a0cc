"""JSON export: the snapshot as one indented, key-stable JSON object (the ingest contract's shapes)."""

from __future__ import annotations

import json
from typing import Any, TextIO


def dumps(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, ensure_ascii=False, indent=2) + "\n"


def write(snapshot: dict[str, Any], out: TextIO) -> int:
    """Write the snapshot; returns how many records it holds."""
    out.write(dumps(snapshot))
    return sum(len(v) for v in snapshot.values() if isinstance(v, list))
