"""Rich tables and panels for people reading a terminal.

Data is passed to Rich as :class:`rich.text.Text`, never as markup, so a name
containing ``[bold]`` is printed as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from casetrack.store.query import (
    CaseRoleView,
    CaseRow,
    CaseView,
    ChargeView,
    CitationView,
    ConflictView,
    EventRow,
    OrgRow,
    OrgView,
    PersonRow,
    PersonView,
    SourceRow,
    SourceView,
    Timeline,
)

if TYPE_CHECKING:
    from casetrack.store.search import Hit


def _t(value: Any) -> Text:
    return Text("" if value is None else str(value))


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def listing(rows: Sequence[Any]) -> Table | FittedTable | Text:
    if not rows:
        return Text("no records match these filters")
    first = rows[0]
    table: Table | FittedTable
    if isinstance(first, PersonRow):
        table = _table("persons", "id", "name", "aliases", "country", "description")
        for p in rows:
            table.add_row(_t(p.id), _t(p.name), _t(", ".join(p.aliases)), _t(p.country), _t(p.description))
    elif isinstance(first, OrgRow):
        table = _table("organisations", "id", "name", "kind", "country", "aliases")
        for o in rows:
            table.add_row(_t(o.id), _t(o.name), _t(o.kind), _t(o.country), _t(", ".join(o.aliases)))
    elif isinstance(first, CaseRow):
        table = _table("cases", "id", "name", "country", "status")
        for c in rows:
            table.add_row(_t(c.id), _t(c.name), _t(c.country), _t(c.status))
    elif isinstance(first, EventRow):
        table = events_table("events", rows)
    elif isinstance(first, SourceRow):
        table = _table("sources", "id", "title", "publisher", "published", "url")
        for s in rows:
            table.add_row(_t(s.id), _t(s.title), _t(s.publisher), _t(s.published), _t(s.url))
    else:
        raise TypeError(f"no table for {type(first).__name__}")
    return table


@dataclass(frozen=True, slots=True)
class Fit:
    """How a column of a :class:`FittedTable` shares the width: at least ``floor``, at most ``share`` of it."""

    header: str
    floor: int
    share: float = 0.0  # 0: the one flexible column, which takes what the others leave


class FittedTable:
    """A table whose column widths are chosen for the width it is printed at.

    Rich's own collapse lets a long text squeeze a short column until a name or a
    date is cut mid-word; here every column but one gets its natural width, capped
    at a share of the line and never below a floor, and the flexible column (a
    summary, a charge) takes the rest. Wide terminals get wider cells.
    """

    def __init__(self, title: str, columns: Sequence[Fit]) -> None:
        self.title = title
        self.columns = list(columns)
        self.rows: list[list[Text]] = []

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def add_row(self, *cells: Text) -> None:
        self.rows.append(list(cells))

    def widths(self, width: int) -> list[int]:
        natural = [
            max([cell_len(column.header)] + [_longest_line(row[i]) for row in self.rows])
            for i, column in enumerate(self.columns)
        ]
        room = max(width - (3 * len(self.columns) + 1), len(self.columns))
        chosen = [
            min(natural[i], max(column.floor, int(column.share * room))) if column.share else 0
            for i, column in enumerate(self.columns)
        ]
        flexible = [i for i, column in enumerate(self.columns) if not column.share]
        for i in flexible:
            chosen[i] = max(min(natural[i], room - sum(chosen)), min(natural[i], 10))
        return chosen

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = Table(title=self.title, title_justify="left")
        for column, width in zip(self.columns, self.widths(options.max_width), strict=True):
            table.add_column(column.header, width=width, overflow="fold")
        for row in self.rows:
            table.add_row(*row)
        yield table


def _longest_line(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def events_table(title: str, events: Sequence[EventRow]) -> FittedTable:
    """Events: date over kind and place, the summary over its sources, one participant per line."""
    table = FittedTable(
        title,
        [
            Fit("id", 2, 0.08),
            Fit("date / kind", 12, 0.22),
            Fit("summary — sources", 24),
            Fit("participants", 16, 0.25),
        ],
    )
    for e in events:
        when = Text(e.date_display)
        when.append(f"\n{e.kind}", style="dim")
        if e.location:
            when.append(f"\n{e.location}", style="dim")
        summary = Text(e.summary)
        sources = _source_labels(e.citations).replace("\n", "; ")
        if sources:
            summary.append(f"\n— {sources}", style="dim")
        table.add_row(_t(e.id), when, summary, _t("\n".join(p.name for p in e.participants)))
    return table


def _source_labels(citations: Sequence[CitationView]) -> str:
    """Short names of the sources (publisher, else title), one per line; `show source` has the rest."""
    labels = {c.publisher or c.title or c.url or f"source #{c.source_id}" for c in citations}
    return "\n".join(sorted(labels))


def _cites(citations: Sequence[CitationView]) -> str:
    """Each source once, with its URL, one per line."""
    seen = dict.fromkeys(f"{c.publisher or c.title or ''} {c.url or ''}".strip() for c in citations)
    return "\n".join(seen)


def _charge_label(charge: ChargeView) -> str:
    article = charge.article or charge.article_raw
    description = charge.description or "charge not stated"
    return f"{description} ({article})" if article else description


def person(view: PersonView, public: bool = False) -> Group:
    head = _table(f"person #{view.id}", "field", "value")
    head.add_row("name", _t(view.name))
    head.add_row("aliases", _t(", ".join(view.aliases)))
    head.add_row("country", _t(view.country))
    head.add_row("description", _t(view.description))
    head.add_row("sources", _t(view.source_count))
    head.add_row("cited in", _t(_cites(view.citations)))
    if view.notes and not public:
        head.add_row("notes (private)", _t(view.notes))
    cases = _table("cases", "case", "role", "status", "sources")
    charges = _charges_table("charges", "case")
    for c, roles, citations in _cases_by_id(view.cases):
        cases.add_row(_t(c.name), _t(", ".join(sorted(roles))), _t(c.status), _t(_source_labels(citations)))
    seen: set[int] = set()
    for c in view.cases:
        for ch in c.charges:
            if ch.id not in seen:
                seen.add(ch.id)
                _charge_row(charges, c.name, ch)
    members = _table("memberships", "organisation", "role", "since")
    for m in view.memberships:
        members.add_row(_t(m.organisation_name), _t(m.role), _t(m.start.display() if m.start.known else ""))
    return Group(
        *_non_empty(
            head,
            conflicts_table(view.conflicts),
            members,
            cases,
            charges,
            events_table("latest events", view.events),
        )
    )


def _cases_by_id(
    cases: Sequence[CaseRoleView],
) -> list[tuple[CaseRoleView, list[str], list[CitationView]]]:
    """One row per case: a person who is both detainee and defendant is listed once, with both roles."""
    grouped: dict[int, tuple[CaseRoleView, list[str], list[CitationView]]] = {}
    for c in cases:
        _, roles, citations = grouped.setdefault(c.case_id, (c, [], []))
        if c.role not in roles:
            roles.append(c.role)
        citations.extend(c.citations)
    return list(grouped.values())


def _charges_table(title: str, first: str) -> FittedTable:
    return FittedTable(
        title,
        [
            Fit(first, 10, 0.22),
            Fit("charge — sources", 20),
            Fit("max penalty", 11, 0.2),
            Fit("sentence", 10, 0.2),
        ],
    )


def _charge_row(table: FittedTable, first: str | None, charge: ChargeView) -> None:
    label = Text(_charge_label(charge))
    sources = _source_labels(charge.citations).replace("\n", "; ")
    if sources:
        label.append(f"\n— {sources}", style="dim")
    table.add_row(_t(first), label, _t(charge.max_penalty), _t(charge.sentence))


def conflicts_table(conflicts: Sequence[ConflictView]) -> Table:
    """Curated values kept against disagreeing extracted ones (never applied)."""
    table = _table("conflicts (curated value kept)", "field", "curated", "extracted", "source")
    for c in conflicts:
        source = f"#{c.source_id} {c.source or ''}".strip() if c.source_id is not None else ""
        table.add_row(_t(c.field), _t(c.curated_value), _t(c.extracted_value), _t(source))
    return table


def _non_empty(*tables: Table | FittedTable) -> list[Table | FittedTable]:
    return [t for t in tables if t.row_count or t is tables[0]]


def org(view: OrgView, public: bool = False) -> Group:
    head = _table(f"organisation #{view.id}", "field", "value")
    for label, value in (
        ("name", view.name),
        ("kind", view.kind),
        ("country", view.country),
        ("aliases", ", ".join(view.aliases)),
        ("description", view.description),
        ("sources", view.source_count),
    ):
        head.add_row(label, _t(value))
    if view.notes and not public:
        head.add_row("notes (private)", _t(view.notes))
    members = _table("members", "person", "role")
    for m in view.members:
        members.add_row(_t(m.person_name), _t(m.role))
    cases = _table("cases", "case", "role", "status")
    for c in view.cases:
        cases.add_row(_t(c.name), _t(c.role), _t(c.status))
    return Group(
        *_non_empty(
            head, conflicts_table(view.conflicts), members, cases, events_table("latest events", view.events)
        )
    )


def case(view: CaseView, public: bool = False) -> Group:
    head = _table(f"case #{view.id}", "field", "value")
    for label, value in (
        ("name", view.name),
        ("country", view.country),
        ("status", view.status),
        ("summary", view.summary),
        ("sources", view.source_count),
    ):
        head.add_row(label, _t(value))
    if view.notes and not public:
        head.add_row("notes (private)", _t(view.notes))
    parties = _table("parties", "name", "role")
    for p in view.parties:
        parties.add_row(_t(p.name), _t(p.role))
    charges = _charges_table("charges", "person")
    for ch in view.charges:
        _charge_row(charges, ch.person_name, ch)
    extra = [conflicts_table(view.conflicts)] if view.conflicts else []
    return Group(head, *extra, parties, charges, *timeline_tables(view.timeline))


def source(view: SourceView) -> Group:
    head = _table(f"source #{view.source.id}", "field", "value")
    s = view.source
    for label, value in (
        ("title", s.title),
        ("publisher", s.publisher),
        ("url", s.url),
        ("input", view.input),
        ("published", s.published),
        ("retrieved", s.retrieved),
        ("language", view.language),
        ("sha256", s.sha256),
        ("size", view.size),
        ("replaces", view.previous_id),
    ):
        head.add_row(label, _t(value))
    facts = _table("extracted from it", "record", "field", "quote")
    for f in view.facts:
        facts.add_row(_t(f.label), _t(f.field), _t(f.quote))
    return Group(head, facts)


def timeline_tables(line: Timeline) -> list[FittedTable]:
    tables = [events_table("timeline", line.dated)] if line.dated or not line.undated else []
    if line.undated:
        tables.append(events_table("without a known year (not ordered)", line.undated))
    return tables


def hits(found: Sequence[Hit]) -> Table:
    table = _table("search results", "record", "title", "snippet")
    for h in found:
        snippet = Text()
        parts = h.snippet.split("\x02")
        snippet.append(parts[0])
        for part in parts[1:]:
            marked, _, rest = part.partition("\x03")
            snippet.append(marked, style="bold reverse")
            snippet.append(rest)
        table.add_row(_t(f"{h.record_type} #{h.record_id}"), _t(h.title), snippet)
    return table


# --- The audit log --------------------------------------------------------------------------
#
# Eight facts per entry do not fit eight columns at 80: the time and the change id
# keep whole columns of their own (never wrapped: a timestamp split over lines is
# unreadable), who is cut with an ellipsis, what changed ("update person #2",
# its field, what it undoes) is one cell and before -> after another, so the one
# cell that may wrap is the value itself.


def _brief(value: Any, action: str = "") -> str:
    """A logged value in a few words: a decision's gist, a row's name, or the value itself."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if "judgement" in value and "merged" in value:
            how = "out of" if action == "unmerge" else "into"
            aside = "".join(f", sets aside #{j}" for j in value.get("overrides", []))
            return f"#{value['merged']} {how} #{value['kept']} (judgement #{value['judgement']}{aside})"
        if "judgement" in value and "other" in value:
            return f"not #{value['other']} (judgement #{value['judgement']})"
        if "conflict" in value:
            return f"conflict #{value['conflict']}: {value.get('status', '')}".rstrip(": ")
        for key in ("name", "summary", "description", "quote", "role", "article"):
            if value.get(key):
                return f"{key}: {value[key]}"
        if "judgement" in value:
            return f"judgement #{value['judgement']}"
        return f"{len(value)} fields"
    return str(value)


def _log_change(action: str, old: Any, new: Any) -> str:
    before, after = _brief(old, action), _brief(new, action)
    if action == "update":
        return f"{before or '(empty)'} → {after or '(empty)'}"
    return after or before


def audit_log(rows: Sequence[Any]) -> Table | Text:
    """The audit trail for a terminal of 80 columns or more (``rows``: ``curate.LogRow``)."""
    if not rows:
        return Text("no changes logged")
    table = Table(title="audit log (newest first)", title_justify="left", expand=True)
    table.add_column("at (UTC)", no_wrap=True, min_width=16, max_width=16)
    table.add_column("change", no_wrap=True, min_width=8, max_width=8)
    table.add_column("who", no_wrap=True, overflow="ellipsis", max_width=9)
    table.add_column("what", overflow="fold", min_width=16)
    table.add_column("before → after", overflow="fold", min_width=14)
    for row in rows:
        what = Text(f"{row.action} {row.record}")
        if row.field:
            what.append(f"\n{row.field}", style="italic")
        if row.undoes:
            what.append(f"\nundoes {row.undoes[:8]}")
        if row.undone_by:
            what.append(f"\nundone by {row.undone_by[:8]}")
        table.add_row(
            Text(row.at[:16].replace("T", " ")),
            Text(row.change_id[:8]),  # undo takes a unique prefix
            Text(row.actor),
            what,
            Text(_log_change(row.action, row.old, row.new)),
        )
    return table
