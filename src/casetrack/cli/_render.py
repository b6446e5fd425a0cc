"""Shared output step of the read commands: one renderer per ``--format``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from casetrack.cli._common import OutputFormat, stdout


def emit(
    value: Any,
    fmt: OutputFormat,
    *,
    table: Callable[[], Any],
    markdown: Callable[[], str] | None = None,
    rows: Sequence[Any] | None = None,
) -> None:
    """Print ``value`` as a Rich table, JSON, CSV (``rows`` or the value itself) or Markdown."""
    from casetrack.render import data

    if fmt == OutputFormat.json:
        data.write_json(value, sys.stdout)
    elif fmt == OutputFormat.csv:
        data.write_csv(
            list(rows if rows is not None else value if isinstance(value, list) else [value]), sys.stdout
        )
    elif fmt == OutputFormat.md:
        if markdown is None:
            from casetrack.errors import UsageError

            raise UsageError("this command has no Markdown form", hint="use --format table, json or csv")
        sys.stdout.write(markdown() + "\n")
    else:
        console = stdout()
        rendered = table()
        for part in rendered if isinstance(rendered, list) else [rendered]:
            console.print(part)
