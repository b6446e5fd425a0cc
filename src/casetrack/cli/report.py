"""``casetrack report``: Markdown dossiers with every statement footnoted to its source.

``report case|person|org NAME [-o FILE]`` writes one dossier (stdout without
``-o``); ``report --all -o DIR`` writes one file per case, person and
organisation. File names are built from the record id and a slug of its name
(ASCII letters, digits and dashes only), so no name can escape DIR.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from casetrack.cli._common import state

GROUP = None
ORDER = 70
app = typer.Typer()

_KINDS = {"case": "case", "person": "person", "org": "organisation", "organisation": "organisation"}


def safe_filename(kind: str, record_id: int, name: str) -> str:
    from casetrack.ingest.names import name_key

    slug = re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-")[:60] or "record"
    return f"{kind}-{record_id}-{slug}.md"


def _dossier(session: Any, kind: str, ref: str, public: bool) -> tuple[int, str, str]:
    from casetrack.render import markdown
    from casetrack.store import query

    if kind == "case":
        case_view = query.show_case(session, ref)
        return case_view.id, case_view.name, markdown.case_dossier(case_view, public=public)
    if kind == "person":
        person_view = query.show_person(session, ref)
        line = query.timeline(session, person=f"#{person_view.id}", limit=None)
        return person_view.id, person_view.name, markdown.person_dossier(person_view, line, public=public)
    org_view = query.show_org(session, ref)
    line = query.timeline(session, org=f"#{org_view.id}", limit=None)
    return org_view.id, org_view.name, markdown.org_dossier(org_view, line, public=public)


@app.command("report")
def report(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Argument(help="case, person or org.")] = None,
    name: Annotated[str | None, typer.Argument(help="Id, name or alias of the record.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (or directory with --all).")
    ] = None,
    all_records: Annotated[
        bool, typer.Option("--all", help="A dossier for every case, person and org.")
    ] = False,
    public: Annotated[bool, typer.Option("--public", help="Leave out private notes.")] = False,
) -> None:
    """Write a Markdown dossier: summary, people, charges, status, timeline, sources."""
    from casetrack.errors import InputError, UsageError

    if all_records:
        if kind or name or output is None:
            raise UsageError("--all takes no record and needs -o DIR", hint="casetrack report --all -o DIR")
        _report_all(ctx, output, public)
        return
    if kind not in _KINDS or not name:
        raise UsageError("say what to report on", hint="casetrack report case|person|org NAME [-o FILE]")
    with state(ctx).database().session() as session:
        _, _, text = _dossier(session, _KINDS[kind], name, public)
    if output is None:
        typer.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror}", hint="check the path") from None
    typer.echo(f"wrote {output}", err=True)


def _report_all(ctx: typer.Context, directory: Path, public: bool) -> None:
    from casetrack.errors import InputError
    from casetrack.store import query

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {directory}: {exc.strerror}", hint="check the path") from None
    written = 0
    with state(ctx).database().session() as session:
        for kind, listing in (("case", "cases"), ("person", "persons"), ("organisation", "orgs")):
            offset = 0
            while True:
                rows: list[Any] = query.LISTINGS[listing](
                    session, query.Filters(limit=500, offset=offset, sort="id")
                )
                for row in rows:
                    record_id, name, text = _dossier(session, kind, f"#{row.id}", public)
                    target = directory / safe_filename(kind, record_id, name)
                    target.write_text(text + "\n", encoding="utf-8")
                    written += 1
                if len(rows) < 500:
                    break
                offset += 500
    typer.echo(f"wrote {written} dossiers to {directory}", err=True)
