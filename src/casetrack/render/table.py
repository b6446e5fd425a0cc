"""Rich tables and panels for people reading a terminal.

Data is passed to Rich as :class:`rich.text.Text`, never as markup, so a name
containing ``[bold]`` is printed as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from casetrack.store.query import (
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
from casetrack.store.search import Hit


def _t(value: Any) -> Text:
    return Text("" if value is None else str(value))


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def listing(rows: Sequence[Any]) -> Table | Text:
    if not rows:
        return Text("no records match these filters")
    first = rows[0]
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


def events_table(title: str, events: Sequence[EventRow]) -> Table:
    table = _table(title, "id", "date", "kind", "summary", "participants", "sources")
    for e in events:
        table.add_row(
            _t(e.id),
            _t(e.date_display),
            _t(e.kind),
            _t(e.summary),
            _t(", ".join(p.name for p in e.participants)),
            _t(", ".join(sorted({c.publisher or c.url or str(c.source_id) for c in e.citations}))),
        )
    return table


def _cites(citations: Sequence[CitationView]) -> str:
    return "; ".join(f"{c.publisher or c.title or ''} {c.url or ''}".strip() for c in citations)


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
    cases = _table("cases", "case", "role", "status", "charges", "max penalty", "sentence", "cited in")
    for c in view.cases:
        cases.add_row(
            _t(c.name),
            _t(c.role),
            _t(c.status),
            _t("; ".join(_charge_label(ch) for ch in c.charges)),
            _t("; ".join(ch.max_penalty for ch in c.charges if ch.max_penalty)),
            _t("; ".join(ch.sentence for ch in c.charges if ch.sentence)),
            _t(_cites([ct for ch in c.charges for ct in ch.citations])),
        )
    members = _table("memberships", "organisation", "role", "since")
    for m in view.memberships:
        members.add_row(_t(m.organisation_name), _t(m.role), _t(m.start.display() if m.start.known else ""))
    return Group(
        *_non_empty(
            head, conflicts_table(view.conflicts), members, cases, events_table("latest events", view.events)
        )
    )


def conflicts_table(conflicts: Sequence[ConflictView]) -> Table:
    """Curated values kept against disagreeing extracted ones (never applied)."""
    table = _table("conflicts (curated value kept)", "field", "curated", "extracted", "source")
    for c in conflicts:
        source = f"#{c.source_id} {c.source or ''}".strip() if c.source_id is not None else ""
        table.add_row(_t(c.field), _t(c.curated_value), _t(c.extracted_value), _t(source))
    return table


def _non_empty(*tables: Table) -> list[Table]:
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
    charges = _table("charges", "person", "charge", "article", "max penalty", "sentence", "cited in")
    for ch in view.charges:
        charges.add_row(
            _t(ch.person_name),
            _t(ch.description),
            _t(ch.article or ch.article_raw),
            _t(ch.max_penalty),
            _t(ch.sentence),
            _t(_cites(ch.citations)),
        )
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


def timeline_tables(line: Timeline) -> list[Table]:
    tables = [events_table("timeline", line.dated)]
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


def print_all(console: Console, *renderables: Any) -> None:
    for renderable in renderables:
        console.print(renderable)
