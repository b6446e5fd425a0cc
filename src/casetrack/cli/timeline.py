"""``casetrack timeline``: what happened, in order, and who says so."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from casetrack.cli._common import FormatOption, OutputFormat, state

GROUP = None
ORDER = 45
app = typer.Typer()


@app.command("timeline")
def timeline(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Option(help="Events of this person (id, name or alias).")] = None,
    case: Annotated[str | None, typer.Option(help="Events of this case.")] = None,
    org: Annotated[str | None, typer.Option(help="Events of this organisation.")] = None,
    country: Annotated[str | None, typer.Option(help="Events of cases in this country (ISO code).")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY, YYYY-MM, YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY, YYYY-MM, YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many dated (and undated) events.")] = 500,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Events in date order at their real precision; events without a year listed apart."""
    from casetrack.cli._render import emit
    from casetrack.store import query

    with state(ctx).database().session() as session:
        line = query.timeline(
            session, person=person, case=case, org=org, country=country, since=since, until=until, limit=limit
        )

    def as_markdown() -> str:
        from casetrack.render import markdown

        notes = markdown.Notes()
        return "\n".join(markdown._timeline(line, notes, level=1) + notes.section())

    emit(
        line,
        fmt,
        table=lambda: _timeline_tables(line),
        markdown=as_markdown,
        rows=[*line.dated, *line.undated],
    )


def _timeline_tables(line: Any) -> Any:
    """The Rich tables of a timeline (the renderers imported only when printed)."""
    from casetrack.render import table

    return table.timeline_tables(line)
