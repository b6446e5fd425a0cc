"""``casetrack search TEXT``: ranked full-text search with highlighted snippets."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from casetrack.cli._common import FormatOption, OutputFormat, state

GROUP = None
ORDER = 60
app = typer.Typer()


@app.command("search")
def search(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(help="Words to find (all must occur); query syntax is not interpreted.")
    ],
    record_type: Annotated[
        str | None, typer.Option("--type", help="Only this record type: person, org, case, event, source.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
    offset: Annotated[int, typer.Option(help="Skip this many hits first.")] = 0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Search sources and records (English and Russian; case and diacritics ignored)."""
    from casetrack.cli._render import emit
    from casetrack.store import search as searching

    kind = _record_type(record_type) if record_type else None
    with state(ctx).database().session() as session:
        hits = searching.search(session, text, record_type=kind, limit=limit, offset=offset)

    def as_markdown() -> str:
        from casetrack.render import markdown

        return "\n".join(
            f"- {markdown.escape(h.record_type)} #{h.record_id} {markdown.escape(h.title)}: "
            + "**".join(markdown.escape(p) for p in h.snippet.replace("\x03", "\x02").split("\x02"))
            for h in hits
        )

    emit(hits, fmt, table=lambda: _hits_table(hits), markdown=as_markdown)


def _record_type(word: str) -> str:
    from casetrack.store import lookup

    return lookup.record_type(word)


def _hits_table(hits: Any) -> Any:
    """The Rich table of the hits (the renderers imported only when printed)."""
    from casetrack.render import table

    return table.hits(hits)
