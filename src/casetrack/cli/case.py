"""``casetrack case add|edit|delete|link`` and ``casetrack case charge add``: curating cases."""

from __future__ import annotations

from typing import Annotated

import typer

from casetrack.cli._curation import Ref, Sets, Yes, confirm_delete, report, write
from casetrack.vocab import PartyRole, choices

GROUP = "case"
ORDER = 52
app = typer.Typer(help="Curate cases: add, edit, delete, link parties, add charges.", no_args_is_help=True)
charge_app = typer.Typer(help="Charges on a case.", no_args_is_help=True)
app.add_typer(charge_app, name="charge")


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The case's name, e.g. 'Kempir-Abad case'.")],
    sets: Sets = None,
) -> None:
    """Add a curated case (fields: country, status, summary, notes)."""
    from casetrack.store import curate

    values = {**curate.parse_assignments(sets or []), "name": name}
    report("added", write(ctx, lambda s, actor: curate.add(s, "case", values, actor)))


@app.command("edit")
def edit(ctx: typer.Context, ref: Ref, sets: Sets = None) -> None:
    """Set fields: name, country, status, summary, notes (each becomes curated)."""
    from casetrack.store import curate

    values = curate.parse_assignments(sets or [])
    report("edited", write(ctx, lambda s, actor: curate.edit(s, "case", ref, values, actor)))


@app.command("delete")
def delete(ctx: typer.Context, ref: Ref, yes: Yes = False) -> None:
    """Delete a case with its parties, charges and citations (events keep existing, unlinked)."""
    from casetrack.store import curate

    confirm_delete(ctx, "case", ref, yes)
    report("deleted", write(ctx, lambda s, actor: curate.delete(s, "case", ref, actor)))


@app.command("link")
def link(
    ctx: typer.Context,
    ref: Ref,
    role: Annotated[str, typer.Option("--role", help=f"Party role: {choices(PartyRole)}.")],
    person: Annotated[str | None, typer.Option("--person", help="A person who is a party.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="An organisation that is a party.")] = None,
) -> None:
    """Add a party to the case: a person or an organisation with a role."""
    from casetrack.errors import UsageError
    from casetrack.store import curate

    if (person is None) == (org is None):
        raise UsageError("give either --person or --org")
    kind, party = ("person", person) if person is not None else ("organisation", org)
    assert party is not None
    change = write(ctx, lambda s, actor: curate.link_case(s, kind, party, ref, role, actor))
    typer.echo(f"linked {kind} {change.label} to case {ref!r} as {role} (change {change.change_id})")


@charge_app.command("add")
def charge_add(
    ctx: typer.Context,
    ref: Ref,
    person: Annotated[str | None, typer.Option("--person", help="The person charged.")] = None,
    charge: Annotated[str | None, typer.Option("--charge", help="The charge as stated.")] = None,
    article: Annotated[
        str | None, typer.Option("--article", help="Legal article, e.g. 326 or 'Art. 278 Part 2'.")
    ] = None,
    code: Annotated[str | None, typer.Option("--code", help="The criminal code named.")] = None,
    max_penalty: Annotated[
        str | None, typer.Option("--max-penalty", help="Maximum penalty, e.g. '15 years'.")
    ] = None,
    sentence: Annotated[str | None, typer.Option("--sentence", help="Sentence handed down.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Date charged (YYYY, YYYY-MM, YYYY-MM-DD).")
    ] = None,
) -> None:
    """Add a charge on a case; the person becomes a defendant if not yet a party."""
    from casetrack.store import curate

    values = {
        name: value
        for name, value in {
            "person": person,
            "description": charge,
            "article": article,
            "code": code,
            "max_penalty": max_penalty,
            "sentence": sentence,
            "date": date,
        }.items()
        if value is not None
    }
    change = write(ctx, lambda s, actor: curate.add_charge(s, ref, values, actor))
    typer.echo(f"added charge #{change.record_id} on case {change.label} (change {change.change_id})")
