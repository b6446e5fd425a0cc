"""What the curation command groups share: options, one write transaction, one report line.

``person`` and ``org`` have the same commands (add, edit, delete, alias, link,
merge, unmerge, distinct); :func:`record_app` builds them for either. Every command runs
its domain call from :mod:`casetrack.store.curate` inside one write
transaction, so a rejected value leaves the database exactly as it was, and
reports one line naming the change id that ``casetrack undo`` accepts.
"""

# No `from __future__ import annotations`: the option help texts below are built per record type.

from collections.abc import Callable
from typing import Annotated, Any

import typer

from casetrack.cli._common import state
from casetrack.vocab import PartyRole, choices

Sets = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="FIELD=VALUE", help="Set a field (repeatable); FIELD= clears it."),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
Ref = Annotated[str, typer.Argument(help="Id (12 or #12), name, alias or unique prefix.")]
PartyRoleOption = Annotated[
    str | None,
    typer.Option("--role", help=f"Role: in a case one of {choices(PartyRole)}; free text for an org."),
]


def write(ctx: typer.Context, action: Callable[[Any, str], Any]) -> Any:
    """Run ``action(session, actor)`` in one write transaction (rolled back on any error)."""
    run = state(ctx)
    with run.database().session(write=True) as session:
        return action(session, run.actor)


def read(ctx: typer.Context, action: Callable[[Any], Any]) -> Any:
    with state(ctx).database().session() as session:
        return action(session)


def report(verb: str, change: Any) -> None:
    """'edited person #3 Rita Karasartova (2 fields; change 1a2b3c4d5e6f)'."""
    detail = f"{change.changed} field(s) changed; " if verb == "edited" else ""
    typer.echo(f"{verb} {change.record_type} {change.label} ({detail}change {change.change_id})")


def _moved_label(verb: str, key: str) -> str:
    if key == "overridden":
        return "negative judgement " + ("set aside" if verb == "merged" else "in force again")
    return key.replace("_", " ")


def report_merge(verb: str, result: Any) -> None:
    moved = ", ".join(f"{n} {_moved_label(verb, k)}" for k, n in sorted(result.moved.items()) if n)
    typer.echo(
        f"{verb} {result.record_type} {result.merged} {'into' if verb == 'merged' else 'from'} {result.kept}"
        f" ({moved or 'nothing to move'}; judgement #{result.judgement_id}; change {result.change_id})"
    )


def confirm_delete(ctx: typer.Context, kind: str, ref: str, yes: bool) -> None:
    if yes:
        return
    from casetrack.store import curate, lookup

    label = read(ctx, lambda session: lookup.describe(kind, curate.find(session, kind, ref)))
    typer.confirm(f"Delete {kind} {label} with its links and citations? (undo restores it)", abort=True)


def record_app(kind: str) -> typer.Typer:
    """The commands of ``casetrack person`` or ``casetrack org``."""
    app = typer.Typer(
        help=f"Curate {kind}s: add, edit, delete, alias, link, merge, distinct.", no_args_is_help=True
    )

    @app.command("add")
    def add(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help=f"The {kind}'s name.")],
        sets: Sets = None,
        aliases: Annotated[
            list[str] | None, typer.Option("--alias", help="Another name or spelling (repeatable).")
        ] = None,
    ) -> None:
        """Add a curated record."""
        from casetrack.store import curate

        values = {**curate.parse_assignments(sets or []), "name": name}
        change = write(ctx, lambda s, actor: curate.add(s, kind, values, actor, aliases=aliases or []))
        report("added", change)

    @app.command("edit")
    def edit(ctx: typer.Context, ref: Ref, sets: Sets = None) -> None:
        """Set fields (each becomes curated: ingest never overwrites it)."""
        from casetrack.store import curate

        values = curate.parse_assignments(sets or [])
        report("edited", write(ctx, lambda s, actor: curate.edit(s, kind, ref, values, actor)))

    @app.command("delete")
    def delete(ctx: typer.Context, ref: Ref, yes: Yes = False) -> None:
        """Delete a record with its aliases, links and citations (undo restores them)."""
        from casetrack.store import curate

        confirm_delete(ctx, kind, ref, yes)
        report("deleted", write(ctx, lambda s, actor: curate.delete(s, kind, ref, actor)))

    @app.command("alias")
    def alias(
        ctx: typer.Context, ref: Ref, name: Annotated[str, typer.Argument(help="The other name.")]
    ) -> None:
        """Add another name: a spelling, a transliteration, an abbreviation."""
        from casetrack.store import curate

        report("aliased", write(ctx, lambda s, actor: curate.alias(s, kind, ref, name, actor)))

    other_word, other_kind = ("org", "organisation") if kind == "person" else ("person", "person")

    @app.command("link")
    def link(
        ctx: typer.Context,
        ref: Ref,
        case: Annotated[str | None, typer.Option("--case", help="Case the record is a party of.")] = None,
        other: Annotated[
            str | None, typer.Option(f"--{other_word}", help=f"The {other_kind} of a membership.")
        ] = None,
        role: PartyRoleOption = None,
        start: Annotated[str | None, typer.Option(help="Membership start (YYYY, YYYY-MM, ...).")] = None,
        end: Annotated[str | None, typer.Option(help="Membership end (YYYY, YYYY-MM, ...).")] = None,
    ) -> None:
        """Link to a case (--case CASE --role ROLE) or a membership (--org/--person, role, dates)."""
        from casetrack.errors import UsageError
        from casetrack.store import curate

        if (case is None) == (other is None):
            raise UsageError(f"give either --case or --{other_word}")
        if case is not None:
            if role is None:
                raise UsageError("--case needs --role", hint=f"one of: {choices(PartyRole)}")
            change = write(ctx, lambda s, actor: curate.link_case(s, kind, ref, case, role, actor))
        else:
            assert other is not None
            person_ref, org_ref = (ref, other) if kind == "person" else (other, ref)
            change = write(
                ctx,
                lambda s, actor: curate.link_org(
                    s, person_ref, org_ref, actor, role=role, start=start, end=end
                ),
            )
        report("linked", change)

    @app.command("merge")
    def merge(
        ctx: typer.Context,
        keep: Annotated[str, typer.Argument(help="The record to keep.")],
        other: Annotated[str, typer.Argument(help="The duplicate to fold into it.")],
        force: Annotated[
            bool,
            typer.Option(
                "--force",
                help="Merge even though the two were judged different (that judgement is set aside).",
            ),
        ] = False,
    ) -> None:
        """Merge a duplicate into a record: every alias, citation, case role and membership moves."""
        from casetrack.store import curate

        report_merge(
            "merged", write(ctx, lambda s, actor: curate.merge(s, kind, keep, other, actor, force=force))
        )

    @app.command("distinct")
    def distinct(
        ctx: typer.Context,
        first: Annotated[str, typer.Argument(help=f"One {kind}.")],
        second: Annotated[str, typer.Argument(help=f"Another {kind} that is not the same.")],
    ) -> None:
        """Record that two records are different (a negative judgement): merging them is then refused."""
        from casetrack.store import curate

        judged = write(ctx, lambda s, actor: curate.distinct(s, kind, first, second, actor))
        typer.echo(
            f"kept apart {judged.record_type} {judged.left} and {judged.right}"
            f" (judgement #{judged.judgement_id}; change {judged.change_id})"
        )

    @app.command("unmerge")
    def unmerge(
        ctx: typer.Context,
        ref: Annotated[
            str, typer.Argument(help="The merged record's id (or the kept record: its latest merge).")
        ],
    ) -> None:
        """Undo a merge: both records come back exactly as they were."""
        from casetrack.store import curate

        report_merge("unmerged", write(ctx, lambda s, actor: curate.unmerge(s, kind, ref, actor)))

    return app
