"""``casetrack event add|edit|delete``: curating events (kind, date at its precision, participants)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from casetrack.cli._curation import Yes, confirm_delete, report, write
from casetrack.vocab import EventKind, choices

GROUP = "event"
ORDER = 53
app = typer.Typer(help="Curate events: add, edit, delete.", no_args_is_help=True)

EventRef = Annotated[str, typer.Argument(help="Event id (12 or #12).")]
Kind = Annotated[str | None, typer.Option("--kind", help=f"Event kind: {choices(EventKind)}.")]
Date = Annotated[
    str | None, typer.Option("--date", help="Date at its precision: YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD.")
]
Summary = Annotated[str | None, typer.Option("--summary", help="What happened, in one sentence.")]
Location = Annotated[str | None, typer.Option("--location", help="Where it happened.")]
CaseRef = Annotated[str | None, typer.Option("--case", help="The case it belongs to (id or name).")]
Persons = Annotated[list[str] | None, typer.Option("--person", help="A person taking part (repeatable).")]
Orgs = Annotated[list[str] | None, typer.Option("--org", help="An organisation taking part (repeatable).")]


def _values(**options: Any) -> dict[str, Any]:
    return {name: value for name, value in options.items() if value is not None}


@app.command("add")
def add(
    ctx: typer.Context,
    summary: Summary = None,
    kind: Kind = None,
    date: Date = None,
    location: Location = None,
    case: CaseRef = None,
    persons: Persons = None,
    orgs: Orgs = None,
) -> None:
    """Add a curated event with its participants."""
    from casetrack.store import curate

    values = _values(kind=kind, date=date, summary=summary, location=location, case=case)
    change = write(
        ctx, lambda s, actor: curate.add_event(s, values, actor, persons=persons or [], orgs=orgs or [])
    )
    report("added", change)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: EventRef,
    summary: Summary = None,
    kind: Kind = None,
    date: Date = None,
    location: Location = None,
    case: CaseRef = None,
    persons: Persons = None,
    orgs: Orgs = None,
) -> None:
    """Change an event's fields (each becomes curated) and add participants."""
    from casetrack.store import curate

    values = _values(kind=kind, date=date, summary=summary, location=location, case=case)
    change = write(
        ctx,
        lambda s, actor: curate.edit_event(s, ref, values, actor, persons=persons or [], orgs=orgs or []),
    )
    report("edited", change)


@app.command("delete")
def delete(ctx: typer.Context, ref: EventRef, yes: Yes = False) -> None:
    """Delete an event with its participants and citations (undo restores them)."""
    from casetrack.store import curate

    confirm_delete(ctx, "event", ref, yes)
    report("deleted", write(ctx, lambda s, actor: curate.delete(s, "event", ref, actor)))
