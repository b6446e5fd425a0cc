"""``casetrack db``: where the database is, what it holds, and migrating it."""

from __future__ import annotations

import typer

from casetrack.cli._common import state, stdout

GROUP = "db"
ORDER = 90
app = typer.Typer(help="Database location, information and migrations.", no_args_is_help=True)


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
    is_new = path is not None and (not path.exists() or path.stat().st_size == 0)
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
