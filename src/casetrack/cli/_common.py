"""What every command shares: the run's state, the database, consoles and common options.

Commands stay thin: they parse options, call :mod:`casetrack.store` or
:mod:`casetrack.ingest`, and hand the result to :mod:`casetrack.render`. Heavy
libraries (SQLAlchemy, dateparser, trafilatura) are imported inside commands,
never at module level, so ``casetrack --help`` stays fast.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from casetrack.db import Database, Location

APP_NAME = "casetrack"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format: a Rich table for people, json/csv/md for tools."),
]


def make_console(*, stderr: bool = False) -> Console:
    """A console that respects $COLUMNS (tests fix the width) and never colours pipes."""
    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    return Console(stderr=stderr, width=width, soft_wrap=False, highlight=False)


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class State:
    """Global options of one run, kept on the Click context."""

    db_option: str | None = None
    actor: str = field(default_factory=default_actor)
    debug: bool = False
    _database: Database | None = None

    def location(self) -> Location:
        from casetrack.db import resolve_location

        return resolve_location(self.db_option, Path(typer.get_app_dir(APP_NAME)))

    def database(self, *, check_revision: bool = True) -> Database:
        """Open the database once per run (created and migrated if brand-new)."""
        if self._database is None:
            from casetrack.db import open_database

            self._database = open_database(self.location(), check_revision=check_revision)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def stdout() -> Console:
    return make_console()


def stderr() -> Console:
    return make_console(stderr=True)
