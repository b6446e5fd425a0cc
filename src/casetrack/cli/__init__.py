"""The ``casetrack`` command line: one Typer app, one small module per command group.

Every failure a user can fix is a :class:`casetrack.errors.CasetrackError`;
:class:`CasetrackGroup` turns it into one line on stderr and the error's exit
code, Ctrl-C into a clean exit 130, and an unexpected exception into one line
(a traceback only with ``--debug``, never with local variables).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from casetrack import __version__
from casetrack.cli._common import State, state
from casetrack.errors import CasetrackError

INTERNAL_ERROR_EXIT = 70


def _report(message: str) -> None:
    typer.echo(f"casetrack: {message}", err=True)


class CasetrackGroup(TyperGroup):
    """The root group: turns every exception into one stderr line and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's standalone mode, except that usage errors are one line too (not a box)."""
        run = partial(super().main, args, prog_name, complete_var, False, windows_expand_args, **extra)
        if not standalone_mode:
            return run()
        try:
            result = run()
        except NoArgsIsHelpError as exc:  # the help has been printed already
            sys.exit(exc.exit_code)
        except UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "casetrack"
            _report(f"usage error: {exc.format_message()} (see '{command} --help')")
            sys.exit(exc.exit_code)
        except ClickException as exc:
            _report(f"error: {exc.format_message()}")
            sys.exit(exc.exit_code)
        except typer.Abort:
            _report("aborted: nothing was changed by the command that was stopped")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CasetrackError as exc:
            _report(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _report("interrupted: the input being processed was rolled back; nothing half-written was kept")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            if isinstance(ctx.obj, State) and ctx.obj.debug:
                raise
            _report(
                f"internal error: {type(exc).__name__}: {exc}. "
                "Nothing was saved from the failing step; run again with --debug for a traceback and report it."
            )
            raise typer.Exit(INTERNAL_ERROR_EXIT) from None
        finally:
            if isinstance(ctx.obj, State):
                ctx.obj.close()


app = typer.Typer(
    name="casetrack",
    cls=CasetrackGroup,
    help="Track human-rights cases: ingest articles into a sourced record of persons, "
    "organisations, cases, charges and events; curate it; query it; report on it.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"casetrack {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH|URL",
            help="Database: a SQLite file path or a postgresql+psycopg:// URL. "
            "Default: $CASETRACK_DB, else a file in your user data directory.",
            show_default=False,
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--as", metavar="NAME", help="Who is making curated changes (default: your OS user)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    run = state(ctx)
    run.db_option = db
    run.debug = debug
    if actor:
        run.actor = actor


def command_modules() -> list[Any]:
    """Every ``casetrack.cli.<name>`` module with an ``app``, in ``ORDER``.

    A module declares ``GROUP = "person"`` to become ``casetrack person ...``
    or ``GROUP = None`` to add its commands at the top level.
    """
    package = Path(__file__).parent
    modules = [
        importlib.import_module(f"casetrack.cli.{info.name}")
        for info in pkgutil.iter_modules([str(package)])
        if not info.name.startswith("_")
    ]
    return sorted(
        (m for m in modules if hasattr(m, "app")), key=lambda m: (getattr(m, "ORDER", 100), m.__name__)
    )


def _register() -> None:
    for module in command_modules():
        group = getattr(module, "GROUP", None)
        if group is None:
            app.add_typer(module.app)
        else:
            app.add_typer(module.app, name=group)


_register()


def main() -> None:
    """Console-script entry point."""
    app()
