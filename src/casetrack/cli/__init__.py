"""The ``casetrack`` command line: one Typer app, one small module per command group.

A module ``casetrack/cli/<name>.py`` with an ``app`` adds a group (``GROUP =
"word"``) or top-level commands (``GROUP = None``), in ``ORDER``. The root group
does not import them all: it lists commands from the static registry in
:mod:`casetrack.cli._registry` and builds only the one invoked
(:class:`LazyCommands`), so a run imports one command module and ``--help``
none. ``tests/test_help.py`` keeps the registry equal to what the modules define.

Every failure a user can fix is a :class:`casetrack.errors.CasetrackError`;
:class:`CasetrackGroup` turns it into one line on stderr and the error's exit
code, Ctrl-C into a clean exit 130, and an unexpected exception into one line
(a traceback only with ``--debug``, never with local variables).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer
from typer._click import Command, Context, HelpFormatter
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperCommand, TyperGroup
from typer.main import get_group_from_info
from typer.models import TyperInfo

from casetrack import __version__
from casetrack.cli._common import State, state
from casetrack.cli._registry import COMMANDS, Entry
from casetrack.errors import CasetrackError

INTERNAL_ERROR_EXIT = 70


def _report(message: str) -> None:
    typer.echo(f"casetrack: {message}", err=True)


class LazyCommands(MutableMapping[str, Command]):
    """The root's sub-commands: named by the registry, built the first time one is looked up.

    Looking up ``show`` imports ``casetrack.cli.show`` and nothing else. A CLI
    module on disk that the registry does not know is imported at once, and a
    name the registry does not know makes every module load before it is
    declared unknown, so a stale registry costs time, never a command.
    """

    def __init__(self, entries: Iterable[Entry], loaded: MutableMapping[str, Command]) -> None:
        on_disk = set(module_names())
        self._entries = {e.name: e for e in entries if e.module.rpartition(".")[2] in on_disk}
        self._loaded: dict[str, Command] = dict(loaded)
        self._everything_loaded = False
        registered = {e.module.rpartition(".")[2] for e in self._entries.values()}
        for name in sorted(on_disk - registered):
            self._load(f"{__name__}.{name}")

    def _load(self, module_name: str) -> None:
        module = importlib.import_module(module_name)
        if hasattr(module, "app"):
            for name, command in module_commands(module).items():
                self._loaded.setdefault(name, command)

    def _load_everything(self) -> None:
        if not self._everything_loaded:
            self._everything_loaded = True
            for module in command_modules():
                self._load(module.__name__)

    def __getitem__(self, name: str) -> Command:
        if name not in self._loaded:
            entry = self._entries.get(name)
            if entry is not None:
                self._load(entry.module)
            if name not in self._loaded:
                self._load_everything()
        return self._loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._entries.pop(name, None)
        del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._entries
        yield from (name for name in self._loaded if name not in self._entries)

    def __len__(self) -> int:
        return len(self._entries.keys() | self._loaded.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._entries or name in self._loaded

    def listed(self, name: str) -> Command | None:
        """The command as ``--help`` lists it: the real one if built, else a stand-in with its summary."""
        if name in self._loaded:
            return self._loaded[name]
        entry = self._entries.get(name)
        return TyperCommand(name=name, help=entry.summary) if entry is not None else None


class CasetrackGroup(TyperGroup):
    """The root group: lazy sub-commands; every exception becomes one stderr line and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = LazyCommands(COMMANDS, self.commands)
        self.commands = self.lazy_commands
        self._listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return [*self.lazy_commands]  # not list(): the submodule casetrack.cli.list shadows it here

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if self._listing:
            return self.lazy_commands.listed(cmd_name)
        return self.lazy_commands.get(cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The help lists every command from the registry without importing their modules."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

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


def module_names() -> list[str]:
    """The CLI modules on disk (a directory listing: nothing is imported)."""
    return sorted(path.stem for path in Path(__file__).parent.glob("*.py") if not path.stem.startswith("_"))


def command_modules() -> list[ModuleType]:
    """Every ``casetrack.cli.<name>`` module with an ``app``, imported, in ``ORDER``.

    A module declares ``GROUP = "person"`` to become ``casetrack person ...``
    or ``GROUP = None`` to add its commands at the top level.
    """
    modules = [importlib.import_module(f"{__name__}.{name}") for name in module_names()]
    return sorted(
        (m for m in modules if hasattr(m, "app")), key=lambda m: (getattr(m, "ORDER", 100), m.__name__)
    )


def module_commands(module: ModuleType) -> dict[str, Command]:
    """The Click commands one CLI module adds at the top level, built as ``app.add_typer`` would."""
    group_name = getattr(module, "GROUP", None)
    info = TyperInfo(module.app, name=group_name) if group_name else TyperInfo(module.app)
    group = get_group_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
        suggest_commands=app.suggest_commands,
    )
    return {group_name: group} if group_name else dict(group.commands)


def summary(command: Command) -> str:
    """What ``--help`` lists for a command: the first paragraph of its help."""
    return inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]


def discover() -> list[Entry]:
    """The registry as the modules define it (imports every CLI module; for tests and regeneration)."""
    return [
        Entry(name, module.__name__, summary(command))
        for module in command_modules()
        for name, command in module_commands(module).items()
    ]


def main() -> None:
    """Console-script entry point."""
    from casetrack import startup

    startup.begin()
    app()
