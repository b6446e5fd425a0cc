"""``casetrack show person|case|org|source|event``: one record with everything known and who says so."""

from __future__ import annotations

from types import ModuleType
from typing import Annotated

import typer

from casetrack.cli._common import FormatOption, OutputFormat, state

GROUP = "show"
ORDER = 40
app = typer.Typer(help="Show one record with its relations and citations.", no_args_is_help=True)

Ref = Annotated[str, typer.Argument(help="Id (12 or #12), name, alias or unique prefix.")]
Public = Annotated[bool, typer.Option("--public", help="Leave out private notes.")]


def _table() -> ModuleType:
    """The Rich renderers, imported only when a table is printed."""
    from casetrack.render import table

    return table


def _markdown() -> ModuleType:
    """The Markdown renderers, imported only for ``--format md``."""
    from casetrack.render import markdown

    return markdown


@app.command("person")
def person(
    ctx: typer.Context, name: Ref, fmt: FormatOption = OutputFormat.table, public: Public = False
) -> None:
    """Names and aliases, memberships, cases with charges and status, latest events, sources."""
    from casetrack.cli._render import emit
    from casetrack.store import query

    with state(ctx).database().session() as session:
        view = query.show_person(session, name)
        line = (
            query.timeline(session, person=f"#{view.id}")
            if fmt == OutputFormat.md
            else query.Timeline((), ())
        )
    emit(
        view,
        fmt,
        table=lambda: _table().person(view, public),
        markdown=lambda: _markdown().person_dossier(view, line, public=public),
    )


@app.command("org")
def org(
    ctx: typer.Context, name: Ref, fmt: FormatOption = OutputFormat.table, public: Public = False
) -> None:
    """An organisation: aliases, members, cases, latest events, sources."""
    from casetrack.cli._render import emit
    from casetrack.store import query

    with state(ctx).database().session() as session:
        view = query.show_org(session, name)
        line = (
            query.timeline(session, org=f"#{view.id}") if fmt == OutputFormat.md else query.Timeline((), ())
        )
    emit(
        view,
        fmt,
        table=lambda: _table().org(view, public),
        markdown=lambda: _markdown().org_dossier(view, line, public=public),
    )


@app.command("case")
def case(
    ctx: typer.Context, name: Ref, fmt: FormatOption = OutputFormat.table, public: Public = False
) -> None:
    """A case: parties, charges with legal articles and penalties, status history, timeline."""
    from casetrack.cli._render import emit
    from casetrack.store import query

    with state(ctx).database().session() as session:
        view = query.show_case(session, name)
    emit(
        view,
        fmt,
        table=lambda: _table().case(view, public),
        markdown=lambda: _markdown().case_dossier(view, public=public),
    )


@app.command("source")
def source(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, URL, input path or sha256 prefix.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """A source: metadata, evidence hash, and what was extracted from it."""
    from casetrack.cli._render import emit
    from casetrack.store import query

    with state(ctx).database().session() as session:
        view = query.show_source(session, ref)
    emit(view, fmt, table=lambda: _table().source(view), rows=[view.source])


@app.command("event")
def event(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Event id.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """An event: date at its precision, kind, summary, participants and sources."""
    from casetrack.cli._render import emit
    from casetrack.store import query

    with state(ctx).database().session() as session:
        row = query.show_event(session, ref)
    emit(row, fmt, table=lambda: _table().events_table(f"event #{row.id}", [row]))
