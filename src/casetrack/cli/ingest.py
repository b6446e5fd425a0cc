"""``casetrack ingest PATH|URL|- ...``: read, clean, extract and store articles, one transaction each.

Each input is read (:mod:`casetrack.ingest.read`), analysed
(:mod:`casetrack.ingest.pipeline`) and stored (:mod:`casetrack.store.ingest`)
in its own write transaction: a bad input is reported with its one-line reason
and the batch goes on; Ctrl-C rolls back the input in hand, keeps the finished
ones and exits 130. ``--jobs N`` analyses up to N inputs at once in worker
processes; storing stays here, one transaction per input, in input order, so
the database is the same as with one job. ``--json`` prints each input's analysis as one JSON line on
stdout (the documented contract); ``--dry-run`` touches no database at all. A
summary table ends every run (on stderr with ``--json``); the exit code is that
of the first failure, if any.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from casetrack.cli._common import make_console, state

if TYPE_CHECKING:
    from casetrack.db import Database

GROUP = None
ORDER = 10
app = typer.Typer()

FAILED = "failed"
ANALYSED = "analysed"


@dataclass(slots=True)
class Outcome:
    """One input's line of the summary."""

    input: str
    status: str
    title: str | None = None
    detail: str = ""
    exit_code: int = 0


@app.command("ingest")
def ingest(
    ctx: typer.Context,
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH|URL|-",
            help="Files (.html, .htm, .html.gz, .txt, .md), directories, http(s) URLs, or - for standard input.",
            show_default=False,
        ),
    ] = None,
    glob: Annotated[
        str, typer.Option("--glob", metavar="PATTERN", help="Which files of a directory to read (recursive).")
    ] = "**/*",
    force: Annotated[
        bool, typer.Option("--force", help="Re-extract sources already stored (curated facts stay).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Analyse only: touch no database (use with --json).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print each input's analysis as one JSON line on stdout.")
    ] = False,
    language: Annotated[
        str | None,
        typer.Option(
            "--language", metavar="CODE", help="The articles' language (e.g. en, ru) instead of detecting it."
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            min=0,
            help="Analyse N inputs at once in worker processes (0: one per CPU); storing stays in input order.",
        ),
    ] = 1,
) -> None:
    """Ingest articles: keep the evidence, extract the facts, resolve them against the record."""
    from casetrack.errors import CasetrackError, DatabaseError, Interrupted, UsageError
    from casetrack.ingest.read import iter_inputs

    stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    if not targets and (stdin is None or sys.stdin.isatty()):
        raise UsageError("nothing to ingest", hint="give files, directories, URLs, or - for standard input")
    try:
        inputs = list(iter_inputs(list(targets or []), glob=glob, stdin=stdin))
    except CasetrackError as exc:
        raise UsageError(str(exc)) from None
    run = _Run(ctx, force=force, dry_run=dry_run, as_json=as_json, language=language, stdin=stdin)
    run.jobs = min(jobs or os.cpu_count() or 1, len(inputs))
    try:
        run.all(inputs)
    except DatabaseError:
        if run.outcomes:
            run.summary()
        raise
    except KeyboardInterrupt:
        run.summary()
        done = len(run.outcomes)
        raise Interrupted(
            f"interrupted at input {done + 1} of {len(inputs)}: it was rolled back, "
            f"the {done} finished before it are kept"
        ) from None
    run.summary()
    failures = [o for o in run.outcomes if o.status == FAILED]
    if failures:
        raise typer.Exit(failures[0].exit_code)


class _Run:
    """One ``ingest`` invocation: the inputs in order, their outcomes, the summary."""

    def __init__(
        self,
        ctx: typer.Context,
        *,
        force: bool,
        dry_run: bool,
        as_json: bool,
        language: str | None,
        stdin: Any,
    ) -> None:
        self.ctx = ctx
        self.force = force
        self.dry_run = dry_run
        self.as_json = as_json
        self.language = language
        self.stdin = stdin
        self.jobs = 1
        self.outcomes: list[Outcome] = []
        self.errors = make_console(stderr=True)
        self._database: Database | None = None

    def database(self) -> Database:
        if self._database is None:
            self._database = state(self.ctx).database()
        return self._database

    def all(self, inputs: list[str]) -> None:
        from contextlib import closing

        from casetrack import startup
        from casetrack.ingest.pipeline import analyse_all

        analysed = analyse_all(inputs, jobs=self.jobs, language=self.language, stdin=self.stdin)
        with closing(analysed), startup.batch():
            if len(inputs) > 1 and sys.stderr.isatty():
                from rich.progress import Progress

                with Progress(console=self.errors, transient=True) as progress:
                    task = progress.add_task("ingesting", total=len(inputs))
                    for item in analysed:
                        self.one(item)
                        progress.advance(task)
            else:
                for item in analysed:
                    self.one(item)

    def one(self, item: Any) -> None:
        """Store one analysed input and count it; a Ctrl-C meanwhile waits until both are done."""
        from casetrack.cli._interrupts import deferred

        with deferred():
            self._one(item)

    def _one(self, item: Any) -> None:
        from casetrack.errors import CasetrackError, DatabaseError

        target = item.input
        try:
            if item.error is not None:
                raise item.error
            outcome = self._process(target, item.raw, item.analysis)
        except DatabaseError:
            raise
        except CasetrackError as exc:
            outcome = Outcome(target, FAILED, detail=_one_line(str(exc)), exit_code=exc.exit_code)
            where = "" if target in outcome.detail else f"{target}: "
            typer.echo(f"casetrack: error: {where}{outcome.detail}", err=True)
        self.outcomes.append(outcome)

    def _process(self, target: str, raw: Any, analysis: Any) -> Outcome:
        import json

        if self.dry_run:
            outcome = Outcome(target, ANALYSED, analysis.document.title, _extracted(analysis))
        else:
            outcome = self._store(target, analysis, raw)
        if self.as_json:
            sys.stdout.write(json.dumps(analysis.to_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return outcome

    def _store(self, target: str, analysis: Any, raw: Any) -> Outcome:
        from casetrack.store.ingest import store_analysis

        with self.database().session(write=True) as session:
            result = store_analysis(session, analysis, raw, actor=state(self.ctx).actor, force=self.force)
        return Outcome(target, result.status, result.title, _counts(result))

    def summary(self) -> None:
        from rich.table import Table

        table = Table(title="ingest", title_justify="left")
        for column in ("input", "status", "title", "counts or reason"):
            table.add_column(column, overflow="fold")
        for outcome in self.outcomes:
            table.add_row(outcome.input, outcome.status, outcome.title or "", outcome.detail)
        console = self.errors if self.as_json else make_console()
        console.print(table)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _extracted(analysis: Any) -> str:
    found = analysis.extraction
    return (
        f"{len(found.persons)} persons, {len(found.organisations)} organisations, "
        f"{len(found.cases)} cases, {len(found.events)} events found"
    )


def _counts(result: Any) -> str:
    if result.status == "duplicate":
        return f"already stored as source #{result.source_id}: nothing added"
    parts = [f"source #{result.source_id}"]
    if result.previous_id is not None:
        parts.append(f"new version of #{result.previous_id}")
    for kind in ("persons", "organisations", "cases", "charges", "events"):
        new, matched = result.new.get(kind, 0), result.matched.get(kind, 0)
        if new or matched:
            parts.append(f"{kind} {new} new" + (f" / {matched} matched" if matched else ""))
    if result.candidates:
        parts.append(f"{len(result.candidates)} merge candidates")
    if result.conflicts:
        parts.append(f"{result.conflicts} conflicts with curated values")
    return "; ".join(parts)
