"""``casetrack export`` and ``casetrack import``: the record in and out as files.

``export`` writes the snapshot (:mod:`casetrack.exchange.snapshot`) as JSON,
YAML, CSV tables or FollowTheMoney JSON Lines. ``import`` reads the JSON/YAML
export format from a file or a folder (each file in its own write transaction,
through the audit trail), or a CSV / JSON Lines list through a column mapping
(``--map``). A file with a bad value is reported in one line and nothing of it
is kept; the other files of a folder still import. See docs/exchange.md.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from casetrack.cli._common import state, stderr, stdout

if TYPE_CHECKING:
    from casetrack.store.importer import ImportResult

GROUP = None
ORDER = 80
app = typer.Typer()


class ExportFormat(StrEnum):
    json = "json"
    yaml = "yaml"
    csv = "csv"
    ftm = "ftm"


class ImportFormat(StrEnum):
    auto = "auto"
    json = "json"
    yaml = "yaml"
    jsonl = "jsonl"
    csv = "csv"


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", help="json or yaml (the import format), csv (tables), ftm (FollowTheMoney)."
        ),
    ] = ExportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (a folder for csv); default: standard output."),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option("--type", "-t", help="csv only: write this one table to the output (e.g. persons)."),
    ] = None,
    public: Annotated[bool, typer.Option("--public", help="Leave out private notes.")] = False,
    with_raw: Annotated[
        bool, typer.Option("--with-raw", help="Include each source's raw bytes (base64) for a full copy.")
    ] = False,
) -> None:
    """Write the whole record: JSON/YAML to re-import, CSV for spreadsheets, FtM for Aleph."""
    from casetrack.errors import UsageError
    from casetrack.exchange import snapshot

    if table is not None and fmt != ExportFormat.csv:
        raise UsageError("--type is for --format csv", hint="drop --type, or use --format csv")
    if fmt == ExportFormat.csv and table is None and output is None:
        raise UsageError(
            "CSV export writes one file per table", hint="give -o DIR, or --type persons for one table"
        )
    with state(ctx).database().session() as session:
        snap = snapshot.build(session, with_raw=with_raw)
    if public:
        snap = snapshot.public(snap)
    if fmt == ExportFormat.csv and table is None:
        _export_csv_dir(snap, output)
        return
    _export_stream(snap, fmt, output, table)


def _export_csv_dir(snap: dict[str, Any], output: Path | None) -> None:
    from casetrack.exchange import csv as csv_export

    assert output is not None
    counts = csv_export.write_dir(snap, output)
    total = sum(counts.values())
    stderr().print(f"Wrote {len(counts)} CSV files ({total} rows) to {output}", markup=False)


def _export_stream(snap: dict[str, Any], fmt: ExportFormat, output: Path | None, table: str | None) -> None:
    from casetrack.errors import InputError
    from casetrack.exchange import csv as csv_export
    from casetrack.exchange import write

    def emit(out: Any) -> int:
        if table is not None:
            return csv_export.write_table(snap, table, out)
        return write(snap, fmt.value, out)

    if output is None:
        emit(sys.stdout)
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as out:
            count = emit(out)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror}", hint="check the path") from None
    stderr().print(f"Wrote {count} records to {output}", markup=False)


@app.command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="A JSON/YAML export, a folder of them (e.g. seeds/), or a list.")
    ],
    fmt: Annotated[
        ImportFormat,
        typer.Option(
            "--format", "-f", help="auto (from the file name), json, yaml; jsonl or csv with --map."
        ),
    ] = ImportFormat.auto,
    mapping: Annotated[
        Path | None,
        typer.Option("--map", "-m", help="YAML column mapping for a CSV or JSON Lines list."),
    ] = None,
) -> None:
    """Load records from files; re-importing the same file updates, never duplicates."""
    from casetrack.errors import CasetrackError, UsageError

    run = state(ctx)
    if mapping is not None or fmt in (ImportFormat.jsonl, ImportFormat.csv):
        if mapping is None:
            raise UsageError("a CSV or JSON Lines list needs a column mapping", hint="add --map MAPPING.yaml")
        _import_list(run, path, mapping, fmt.value if fmt in (ImportFormat.jsonl, ImportFormat.csv) else None)
        return
    from casetrack.exchange import load

    files = load.documents(path)
    results: list[tuple[Path, ImportResult | None]] = []
    failed: list[CasetrackError] = []
    for file in files:
        try:
            results.append((file, _import_file(run, file, fmt.value)))
        except CasetrackError as exc:
            if len(files) == 1:
                raise
            typer.echo(f"casetrack: error: {exc}", err=True)
            failed.append(exc)
            results.append((file, None))
    _summary(results)
    if failed:
        raise typer.Exit(failed[0].exit_code)


def _import_file(run: Any, file: Path, fmt: str) -> ImportResult:
    from casetrack.exchange import load
    from casetrack.store.importer import import_document

    document = load.read(file, fmt)
    with run.database().session(write=True) as session:
        return import_document(session, document, actor=run.actor, where=str(file))


def _import_list(run: Any, path: Path, mapping_path: Path, fmt: str | None) -> None:
    from casetrack.errors import InputError
    from casetrack.exchange import bulk
    from casetrack.store.importer import import_document

    mapping = bulk.Mapping.load(mapping_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}", hint="check the path") from None
    conversion = bulk.convert(path, data, mapping, fmt)
    if conversion.lines and len(conversion.skipped) == conversion.lines:
        raise InputError(f"{path}: no line could be used ({conversion.skipped[0].skipped})")
    with run.database().session(write=True) as session:
        result = import_document(
            session,
            conversion.document,
            actor=run.actor,
            where=str(path),
            link_previous_by_input=True,
            keep_ids=False,
        )
    for report in conversion.reports:
        if report.skipped:
            typer.echo(f"{path}:{report.line}: skipped: {report.skipped}", err=True)
        for note in report.notes:
            typer.echo(f"{path}:{report.line}: note: {note}", err=True)
    _summary([(path, result)], lines=(conversion.lines, len(conversion.skipped)))


def _summary(results: list[tuple[Path, ImportResult | None]], lines: tuple[int, int] | None = None) -> None:
    from rich.table import Table

    table = Table(title="Import", title_justify="left")
    for column in ("file", "created", "updated", "unchanged", *(("lines", "skipped") if lines else ())):
        table.add_column(column, justify="left" if column == "file" else "right")
    for file, result in results:
        if result is None:
            table.add_row(str(file), "failed", "-", "-", *(("-", "-") if lines else ()))
            continue
        created, updated, unchanged = result.totals
        extra = (str(lines[0]), str(lines[1])) if lines else ()
        table.add_row(str(file), str(created), str(updated), str(unchanged), *extra)
    stdout().print(table)
    details = [
        f"{file}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(result.created.items()))
        for file, result in results
        if result is not None and result.created
    ]
    for line in details:
        stdout().print(f"created in {line}", markup=False, soft_wrap=True)
