"""``casetrack list persons|orgs|cases|events|sources``: filtered, sorted, paged listings."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from casetrack.cli._common import FormatOption, OutputFormat, state

GROUP = "list"
ORDER = 30
app = typer.Typer(
    help="List records with filters that combine (every filter given must hold).", no_args_is_help=True
)

Country = Annotated[str | None, typer.Option(help="ISO country code, e.g. KG.")]
Status = Annotated[str | None, typer.Option(help="Case status, e.g. on_trial, convicted.")]
Role = Annotated[str | None, typer.Option(help="Role in a case or event, e.g. defendant.")]
Org = Annotated[str | None, typer.Option("--org", help="Organisation (id, name or alias).")]
CaseRef = Annotated[str | None, typer.Option("--case", help="Case (id or name).")]
PersonRef = Annotated[str | None, typer.Option("--person", help="Person (id, name or alias).")]
ChargeText = Annotated[str | None, typer.Option("--charge", help="Charge text or legal article, e.g. 326.")]
Kind = Annotated[str | None, typer.Option(help="Event kind (or organisation kind for orgs).")]
Since = Annotated[
    str | None, typer.Option(help="From this date (YYYY, YYYY-MM or YYYY-MM-DD), precision-aware.")
]
Until = Annotated[
    str | None, typer.Option(help="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD), precision-aware.")
]
SourceRef = Annotated[
    str | None, typer.Option("--source", help="Only records cited by this source (id or URL).")
]
Query = Annotated[str | None, typer.Option("--q", help="Text in the name, alias, title or summary.")]
Sort = Annotated[
    str | None, typer.Option(help="Sort column (name, id, country, status, date...); prefix - to reverse.")
]
Limit = Annotated[int, typer.Option(help="At most this many rows.")]
Offset = Annotated[int, typer.Option(help="Skip this many rows first.")]


def _run(ctx: typer.Context, what: str, fmt: OutputFormat, **options: object) -> None:
    from casetrack.render import table
    from casetrack.store import query

    filters = query.Filters(**options)  # type: ignore[arg-type]
    rows: list[Any]
    with state(ctx).database().session() as session:
        rows = query.LISTINGS[what](session, filters)
    from casetrack.render.markdown import escape

    def markdown() -> str:
        return "\n".join(
            f"- {escape(getattr(r, 'name', None) or getattr(r, 'title', None) or getattr(r, 'summary', ''))} (#{r.id})"
            for r in rows
        )

    from casetrack.cli._render import emit

    emit(rows, fmt, table=lambda: table.listing(rows), markdown=markdown)


@app.command("persons")
def persons(
    ctx: typer.Context,
    country: Country = None,
    status: Status = None,
    role: Role = None,
    org: Org = None,
    case: CaseRef = None,
    charge: ChargeText = None,
    kind: Kind = None,
    since: Since = None,
    until: Until = None,
    source: SourceRef = None,
    q: Query = None,
    sort: Sort = None,
    limit: Limit = 50,
    offset: Offset = 0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List persons (merged duplicates are hidden)."""
    _run(
        ctx,
        "persons",
        fmt,
        country=country,
        status=status,
        role=role,
        org=org,
        case=case,
        charge=charge,
        kind=kind,
        since=since,
        until=until,
        source=source,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )


@app.command("orgs")
def orgs(
    ctx: typer.Context,
    country: Country = None,
    status: Status = None,
    role: Role = None,
    case: CaseRef = None,
    kind: Kind = None,
    since: Since = None,
    until: Until = None,
    source: SourceRef = None,
    q: Query = None,
    sort: Sort = None,
    limit: Limit = 50,
    offset: Offset = 0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List organisations."""
    _run(
        ctx,
        "orgs",
        fmt,
        country=country,
        status=status,
        role=role,
        case=case,
        kind=kind,
        since=since,
        until=until,
        source=source,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )


@app.command("cases")
def cases(
    ctx: typer.Context,
    country: Country = None,
    status: Status = None,
    role: Role = None,
    org: Org = None,
    person: PersonRef = None,
    case: CaseRef = None,
    charge: ChargeText = None,
    kind: Kind = None,
    since: Since = None,
    until: Until = None,
    source: SourceRef = None,
    q: Query = None,
    sort: Sort = None,
    limit: Limit = 50,
    offset: Offset = 0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List cases."""
    _run(
        ctx,
        "cases",
        fmt,
        country=country,
        status=status,
        role=role,
        org=org,
        person=person,
        case=case,
        charge=charge,
        kind=kind,
        since=since,
        until=until,
        source=source,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )


@app.command("events")
def events(
    ctx: typer.Context,
    country: Country = None,
    status: Status = None,
    role: Role = None,
    org: Org = None,
    person: PersonRef = None,
    case: CaseRef = None,
    charge: ChargeText = None,
    kind: Kind = None,
    since: Since = None,
    until: Until = None,
    source: SourceRef = None,
    q: Query = None,
    sort: Sort = None,
    limit: Limit = 50,
    offset: Offset = 0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List events; dates that only overlap --since/--until are marked uncertain."""
    _run(
        ctx,
        "events",
        fmt,
        country=country,
        status=status,
        role=role,
        org=org,
        person=person,
        case=case,
        charge=charge,
        kind=kind,
        since=since,
        until=until,
        source=source,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )


@app.command("sources")
def sources(
    ctx: typer.Context,
    person: PersonRef = None,
    org: Org = None,
    case: CaseRef = None,
    since: Since = None,
    until: Until = None,
    q: Query = None,
    sort: Sort = None,
    limit: Limit = 50,
    offset: Offset = 0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List sources (by publication date with --since/--until)."""
    _run(
        ctx,
        "sources",
        fmt,
        person=person,
        org=org,
        case=case,
        since=since,
        until=until,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )
