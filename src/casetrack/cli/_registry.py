"""The static table of top-level commands, so that a run imports only the module it needs.

Each entry names a top-level command or group, the CLI module that defines it
and the first paragraph of its help (what ``casetrack --help`` lists). The root
group (:mod:`casetrack.cli`) lists commands from this table and imports a
module only when its command is invoked or its own help is asked for.

The table is an optimisation, never a second source of truth:
``tests/test_help.py`` checks it against the real modules (names, order, help),
and at run time a CLI module missing from it is still discovered and a
command missing from it is still found (only slower). After adding or
renaming a command or changing its help, copy the entries the failing test
prints (:func:`casetrack.cli.discover`) into ``COMMANDS``.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    name: str
    module: str
    summary: str


COMMANDS: tuple[Entry, ...] = (
    Entry(
        "ingest",
        "casetrack.cli.ingest",
        "Ingest articles: keep the evidence, extract the facts, resolve them against the record.",
    ),
    Entry(
        "list", "casetrack.cli.list", "List records with filters that combine (every filter given must hold)."
    ),
    Entry("show", "casetrack.cli.show", "Show one record with its relations and citations."),
    Entry(
        "timeline",
        "casetrack.cli.timeline",
        "Events in date order at their real precision; events without a year listed apart.",
    ),
    Entry(
        "person", "casetrack.cli.person", "Curate persons: add, edit, delete, alias, link, merge, distinct."
    ),
    Entry(
        "org", "casetrack.cli.org", "Curate organisations: add, edit, delete, alias, link, merge, distinct."
    ),
    Entry("case", "casetrack.cli.case", "Curate cases: add, edit, delete, link parties, add charges."),
    Entry("event", "casetrack.cli.event", "Curate events: add, edit, delete."),
    Entry(
        "edit",
        "casetrack.cli.curate",
        "Edit a record in $EDITOR as YAML; validated on save, nothing saved until valid.",
    ),
    Entry(
        "review",
        "casetrack.cli.curate",
        "Decide merge candidates (score, evidence, both records) and conflicts found on ingest.",
    ),
    Entry(
        "log",
        "casetrack.cli.curate",
        "The audit trail: who changed what and when, before and after, newest first.",
    ),
    Entry(
        "undo",
        "casetrack.cli.curate",
        "Revert the last change (or the given one); the revert is itself logged.",
    ),
    Entry(
        "search",
        "casetrack.cli.search",
        "Search sources and records (English and Russian; case and diacritics ignored).",
    ),
    Entry(
        "report",
        "casetrack.cli.report",
        "Write a Markdown dossier: summary, people, charges, status, timeline, sources.",
    ),
    Entry(
        "export",
        "casetrack.cli.exchange",
        "Write the whole record: JSON/YAML to re-import, CSV for spreadsheets, FtM for Aleph.",
    ),
    Entry(
        "import",
        "casetrack.cli.exchange",
        "Load records from files; re-importing the same file updates, never duplicates.",
    ),
    Entry("db", "casetrack.cli.db", "Database location, information, migrations, backups and checks."),
)
