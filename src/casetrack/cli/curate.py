"""``casetrack edit``, ``review``, ``log`` and ``undo``: curating through an editor, deciding
merge candidates, reading the audit trail and taking changes back.

``edit`` follows ``git commit`` and ``kubectl edit``: the record is written as YAML
to a private temporary file and ``$VISUAL``/``$EDITOR`` opened on it; on save the
whole file is validated and applied in one transaction. If anything is invalid
the errors are shown and the editor can be re-opened on the same text (with the
errors as comments at the top); nothing is saved until it is valid.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from casetrack.cli._common import FormatOption, OutputFormat, stderr, stdout
from casetrack.cli._curation import Ref, read, report, report_merge, write

GROUP = None
ORDER = 54
app = typer.Typer()

EDIT_KINDS = "person, org, case or event"


# --- edit -----------------------------------------------------------------------------------


def _header(kind: str, record_id: int, errors: list[str] | None = None) -> str:
    head = [
        f"# casetrack: editing {kind} #{record_id}. Save and close to apply; lines starting with # are ignored."
    ]
    head.append("# Dates: YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD. Empty a field to clear it.")
    if errors:
        head.append("# ERRORS (nothing was saved; fix them, or restore the text to cancel):")
        head += [f"#   - {error}" for error in errors]
    return "\n".join(head) + "\n"


def _document_text(kind: str, record_id: int, data: dict[str, Any]) -> str:
    import yaml

    return _header(kind, record_id) + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _significant(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _launch_editor(text: str) -> str:
    import os
    import shlex
    import subprocess
    import tempfile
    from pathlib import Path

    from casetrack.errors import InputError, UsageError

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    handle, name = tempfile.mkstemp(prefix="casetrack-", suffix=".yaml")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        try:
            completed = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except FileNotFoundError:
            raise UsageError(f"the editor {editor!r} was not found", hint="set $EDITOR") from None
        if completed.returncode != 0:
            raise InputError(
                f"the editor {editor!r} exited with status {completed.returncode}; nothing was saved"
            )
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


def _load(text: str) -> Any:
    import yaml

    from casetrack.store.curate import InvalidFields

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InvalidFields([f"the file is not valid YAML{where}: {getattr(exc, 'problem', exc)}"]) from None


@app.command("edit")
def edit(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"Record type: {EDIT_KINDS}.")],
    ref: Ref,
) -> None:
    """Edit a record in $EDITOR as YAML; validated on save, nothing saved until valid."""
    from casetrack.store import curate

    record_id, data = read(ctx, lambda s: curate.document(s, kind, ref))
    original = _document_text(kind, record_id, data)
    text = original
    while True:
        edited = _launch_editor(text)
        if _significant(edited) == _significant(original):
            typer.echo("nothing changed")
            return
        try:
            loaded = _load(edited)
            change = _apply(ctx, kind, record_id, loaded)
        except curate.InvalidFields as exc:
            errors = stderr()
            for error in exc.errors:
                errors.print(f"casetrack: invalid: {error}", markup=False)
            if not typer.confirm("Re-open the editor to fix it?", default=True):
                raise
            text = _with_errors(kind, record_id, edited, exc.errors)
            continue
        report("edited", change)
        return


def _with_errors(kind: str, record_id: int, edited: str, errors: list[str]) -> str:
    """The user's own text again, under a fresh header that lists the errors."""
    lines = edited.splitlines()
    while lines and lines[0].lstrip().startswith("#"):
        lines.pop(0)
    return _header(kind, record_id, errors) + "\n".join(lines) + "\n"


def _apply(ctx: typer.Context, kind: str, record_id: int, data: Any) -> Any:
    from casetrack.store import curate

    return write(ctx, lambda s, actor: curate.apply_document(s, kind, record_id, data, actor))


# --- review ---------------------------------------------------------------------------------


def _summary_text(summary: Any) -> str:
    parts = [f"#{summary.id} {summary.name}"]
    if summary.country:
        parts.append(f"country {summary.country}")
    if summary.aliases:
        parts.append("aka " + ", ".join(summary.aliases))
    if summary.organisations:
        parts.append("with " + ", ".join(summary.organisations))
    if summary.cases:
        parts.append("cases: " + ", ".join(summary.cases))
    parts.append(f"{summary.sources} source(s)")
    return "; ".join(parts)


def _review_table(items: list[Any]) -> Any:
    """One candidate a row; the record type goes in the title when all share it (narrow terminals)."""
    from rich.table import Table
    from rich.text import Text

    if not items:
        return Text("no merge candidates pending")
    types = sorted({item.record_type for item in items})
    mixed = len(types) > 1
    title = "merge candidates" + ("" if mixed else f" ({types[0]})")
    table = Table(title=title, title_justify="left")
    table.add_column("id", no_wrap=True)
    if mixed:
        table.add_column("type", no_wrap=True)
    table.add_column("score", no_wrap=True)
    for column in ("record", "possible duplicate", "evidence"):
        table.add_column(column, overflow="fold", ratio=1)
    for item in items:
        table.add_row(
            Text(str(item.id)),
            *((Text(item.record_type),) if mixed else ()),
            Text(f"{item.score:.2f}"),
            Text(_summary_text(item.left)),
            Text(_summary_text(item.right)),
            Text("; ".join(item.evidence)),
        )
    return table


def _conflict_table(conflicts: list[Any]) -> Any:
    from rich.table import Table
    from rich.text import Text

    if not conflicts:
        return Text("no conflicts open")
    table = Table(title="conflicts: extracted values that disagree with curated ones", title_justify="left")
    for column in ("id", "record", "field", "curated (kept)", "extracted", "source"):
        table.add_column(column, overflow="fold")
    for c in conflicts:
        table.add_row(
            Text(str(c.id)),
            Text(c.record),
            Text(c.field),
            Text(c.curated_value or ""),
            Text(c.extracted_value or ""),
            Text(f"#{c.source_id}" if c.source_id is not None else ""),
        )
    return table


@dataclass(frozen=True, slots=True)
class Pending:
    """What awaits a curator: merge candidates and conflicts."""

    candidates: list[Any]
    conflicts: list[Any]


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One pending decision flattened for CSV: a merge candidate or a conflict."""

    kind: str
    id: int
    record_type: str
    score: float | None
    record: str
    other: str
    evidence: str


def _review_rows(pending: Pending) -> list[ReviewRow]:
    rows = [
        ReviewRow(
            "merge",
            i.id,
            i.record_type,
            round(i.score, 3),
            _summary_text(i.left),
            _summary_text(i.right),
            "; ".join(i.evidence),
        )
        for i in pending.candidates
    ]
    rows += [
        ReviewRow(
            "conflict",
            c.id,
            c.record_type,
            None,
            c.record,
            f"{c.field}: {c.extracted_value}",
            f"curated {c.field}: {c.curated_value}; source #{c.source_id}",
        )
        for c in pending.conflicts
    ]
    return rows


def _accept(ctx: typer.Context, candidate_id: int) -> None:
    from casetrack.store import curate

    report_merge("merged", write(ctx, lambda s, actor: curate.accept(s, candidate_id, actor)))


def _reject(ctx: typer.Context, candidate_id: int) -> None:
    from casetrack.store import curate

    change_id = write(ctx, lambda s, actor: curate.reject(s, candidate_id, actor))
    typer.echo(f"rejected candidate #{candidate_id}: kept apart (change {change_id})")


def _settle(ctx: typer.Context, conflict_id: int, take: bool) -> None:
    from casetrack.store import curate

    change_id = write(
        ctx, lambda s, actor: curate.settle_conflict(s, conflict_id, actor, take_extracted=take)
    )
    what = "took the extracted value" if take else "kept the curated value"
    typer.echo(f"conflict #{conflict_id}: {what} (change {change_id})")


def _pending(ctx: typer.Context) -> Pending:
    from casetrack.store import curate

    return read(ctx, lambda s: Pending(curate.review_items(s), curate.conflict_items(s)))


def _ask(console: Any, question: str, choices: list[str]) -> str:
    from rich.prompt import Prompt

    return str(Prompt.ask(question, choices=choices, default="s", console=console))


def _interactive(ctx: typer.Context) -> None:
    pending = _pending(ctx)
    console = stdout()
    if not pending.candidates and not pending.conflicts:
        console.print("nothing to review: no merge candidates pending, no conflicts open")
        return
    for item in pending.candidates:
        console.print(_review_table([item]))
        answer = _ask(
            console, "Same record? a = accept (merge), r = reject, s = skip, q = quit", ["a", "r", "s", "q"]
        )
        if answer == "q":
            return
        if answer in ("a", "r"):
            (_accept if answer == "a" else _reject)(ctx, item.id)
    for conflict in pending.conflicts:
        console.print(_conflict_table([conflict]))
        answer = _ask(
            console,
            "k = keep the curated value, t = take the extracted one, s = skip, q = quit",
            ["k", "t", "s", "q"],
        )
        if answer == "q":
            return
        if answer in ("k", "t"):
            _settle(ctx, conflict.id, take=answer == "t")


IdList = list[int] | None


@app.command("review")
def review(
    ctx: typer.Context,
    accept: Annotated[IdList, typer.Option("--accept", help="Merge candidate ID (repeatable).")] = None,
    reject: Annotated[
        IdList, typer.Option("--reject", help="Keep candidate ID's records apart (repeatable).")
    ] = None,
    keep: Annotated[
        IdList, typer.Option("--keep", help="Conflict ID: keep the curated value (repeatable).")
    ] = None,
    take: Annotated[
        IdList, typer.Option("--take", help="Conflict ID: take the extracted value instead (repeatable).")
    ] = None,
    list_only: Annotated[bool, typer.Option("--list", help="Only list what awaits review.")] = False,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", "-i", help="Ask about each item even if stdin is not a terminal."),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Decide merge candidates (score, evidence, both records) and conflicts found on ingest."""
    from casetrack.cli._render import emit

    if accept or reject or keep or take:
        for candidate_id in accept or []:
            _accept(ctx, candidate_id)
        for candidate_id in reject or []:
            _reject(ctx, candidate_id)
        for conflict_id in keep or []:
            _settle(ctx, conflict_id, take=False)
        for conflict_id in take or []:
            _settle(ctx, conflict_id, take=True)
        return
    if not list_only and (interactive or sys.stdin.isatty()) and fmt == OutputFormat.table:
        _interactive(ctx)
        return
    pending = _pending(ctx)
    emit(
        pending,
        fmt,
        table=lambda: [_review_table(pending.candidates), _conflict_table(pending.conflicts)],
        rows=_review_rows(pending) if fmt == OutputFormat.csv else None,
    )


# --- log and undo ---------------------------------------------------------------------------


def _csv_rows(rows: list[Any]) -> list[Any]:
    import dataclasses

    def dump(value: Any) -> Any:
        return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    return [dataclasses.replace(r, old=dump(r.old), new=dump(r.new)) for r in rows]


def _audit_table(rows: list[Any]) -> Any:
    from casetrack.render import table

    return table.audit_log(rows)


@app.command("log")
def log(
    ctx: typer.Context,
    person: Annotated[
        str | None, typer.Option("--person", help="Only changes to this person and its links.")
    ] = None,
    case: Annotated[
        str | None, typer.Option("--case", help="Only changes to this case and its links.")
    ] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Only changes to this organisation and its links.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date (YYYY, YYYY-MM, YYYY-MM-DD).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many entries.")] = 50,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The audit trail: who changed what and when, before and after, newest first."""
    from casetrack.cli._render import emit
    from casetrack.store import curate

    rows = read(ctx, lambda s: curate.log(s, person=person, case=case, org=org, since=since, limit=limit))
    emit(
        rows, fmt, table=lambda: _audit_table(rows), rows=_csv_rows(rows) if fmt == OutputFormat.csv else None
    )


@app.command("undo")
def undo(
    ctx: typer.Context,
    change_id: Annotated[
        str | None,
        typer.Argument(help="Change id (or a unique prefix) from `casetrack log`; default: the last."),
    ] = None,
) -> None:
    """Revert the last change (or the given one); the revert is itself logged."""
    from casetrack.store import audit, curate

    del curate  # imported so that merge/reject undoers are registered
    result = write(ctx, lambda s, actor: audit.undo(s, actor, change_id))
    typer.echo(f"undid change {result.undone} ({result.entries} entries; change {result.change_id})")
