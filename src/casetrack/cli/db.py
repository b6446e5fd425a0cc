"""``casetrack db``: where the database is, what it holds, migrating, backing up and checking it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from casetrack.cli._common import FormatOption, OutputFormat, state, stdout

GROUP = "db"
ORDER = 90
app = typer.Typer(
    help="Database location, information, migrations, backups and checks.", no_args_is_help=True
)


@app.command("path")
def path_command(ctx: typer.Context) -> None:
    """Print where the database is and which setting chose it (--db, $CASETRACK_DB or default)."""
    location = state(ctx).location()
    typer.echo(location.display())
    typer.echo(f"chosen by: {location.origin}", err=True)


@app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Create the database if needed and migrate it to this casetrack's schema."""
    from casetrack import db

    run = state(ctx)
    path = run.location().path
    try:
        is_new = path is not None and (not path.exists() or path.stat().st_size == 0)
    except OSError:
        is_new = True  # opening it, next, says what is wrong with the path
    database = run.database(check_revision=False)
    before = None if is_new else db.current_revision(database)
    db.upgrade(database)
    after = db.current_revision(database)
    if before == after:
        typer.echo(f"{database.location.display()}: already at revision {after}")
    else:
        typer.echo(f"{database.location.display()}: migrated from {before or 'empty'} to {after}")


@app.command("info")
def info_command(ctx: typer.Context) -> None:
    """Show the database's location, backend, revision and how many records it holds."""
    from rich.table import Table

    from casetrack.store.maintenance import database_info

    info = database_info(state(ctx).database(check_revision=False))
    table = Table(show_header=False, box=None)
    table.add_row("location", info.location)
    table.add_row("chosen by", info.origin)
    table.add_row("backend", info.dialect)
    table.add_row("revision", f"{info.revision} (head {info.head})")
    if info.size_bytes is not None:
        table.add_row("size", f"{info.size_bytes:,} bytes, mode {info.mode}")
    for name, count in info.counts.items():
        table.add_row(name, f"{count:,}")
    stdout().print(table)


@app.command("backup")
def backup_command(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="File to write the backup to (created with mode 0600).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite TARGET if it already exists.")] = False,
) -> None:
    """Back the database up to a file (SQLite), or print the pg_dump command to use (PostgreSQL)."""
    from casetrack.store.maintenance import backup, pg_dump_command

    run = state(ctx)
    location = run.location()
    if not location.is_sqlite:
        typer.echo("casetrack does not run pg_dump itself; back this database up with:", err=True)
        typer.echo(pg_dump_command(location.url, target))
        typer.echo("(the password is not shown: give it through PGPASSWORD or ~/.pgpass)", err=True)
        return
    result = backup(run.database(check_revision=False), target, force=force)
    typer.echo(
        f"backed up to {result.target} ({result.size_bytes:,} bytes, {result.pages:,} pages, mode 0600)"
    )


@app.command("check")
def check_command(
    ctx: typer.Context,
    quick: Annotated[
        bool, typer.Option("--quick", help="Use SQLite's faster quick_check instead of integrity_check.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Check the database: integrity, rows pointing at missing records, migrations, file permissions."""
    from casetrack.cli._render import emit
    from casetrack.errors import DatabaseError
    from casetrack.store.maintenance import check, problems

    findings = check(state(ctx).database(check_revision=False), quick=quick)
    emit(findings, fmt, table=lambda: _findings_table(findings))
    found = problems(findings)
    if found:
        raise DatabaseError(
            f"db check found {len(found)} problem(s): {', '.join(f.check for f in found)}",
            hint="the table above says what is wrong with each",
        )


def _findings_table(findings: list[Any]) -> Any:
    from rich.table import Table

    table = Table("check", "status", "detail", title="Database check")
    for finding in findings:
        table.add_row(
            finding.check,
            finding.status.upper() if finding.status == "problem" else finding.status,
            finding.detail,
        )
    return table
