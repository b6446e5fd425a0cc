"""YAML export: the snapshot for people to read and edit (the format of ``seeds/``).

Multi-line text (an article's body, a long summary) is written as a literal
block so it stays readable; key order is the snapshot's, so exports diff well.
"""

from __future__ import annotations

from typing import Any, TextIO

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and all(ch == "\n" or ch.isprintable() for ch in value) and value == value.strip(" "):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def dumps(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


def write(snapshot: dict[str, Any], out: TextIO) -> int:
    out.write(dumps(snapshot))
    return sum(len(v) for v in snapshot.values() if isinstance(v, list))
