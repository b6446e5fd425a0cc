"""Markdown dossiers: CommonMark, every statement footnoted, every byte of data escaped.

A dossier is handed to people outside the tool, so two rules hold everywhere:

* **Data is text, never markup.** Every value from the record goes through
  :func:`escape`: each ASCII punctuation character that CommonMark could read as
  syntax is backslash-escaped and line breaks become spaces, so a name or a
  quote cannot open a link, an image, raw HTML, emphasis, a heading, a list or a
  table cell. URLs become links only when they are plain ``http(s)`` URLs, and
  then as autolinks ``<...>`` with nothing that could close them early.
* **Every statement says who says so.** A statement ends with ``[n]`` markers;
  the "Sources" section lists each cited sentence with the source's title,
  publisher, URL, publication and retrieval dates and the sha256 of the stored
  evidence. Pure CommonMark has no footnote syntax, so the notes are a numbered
  list that renders the same in every viewer.

Open conflicts (an extracted value that disagrees with a curated one) are listed
under "Open questions", each footnoted to the source that says otherwise.

``public=True`` leaves out the private notes and the open questions: a conflict
is unsettled curation work (the extracted value was never accepted, and could be
a private field), not a statement to publish.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from casetrack.store.query import (
    CaseRoleView,
    CaseView,
    ChargeView,
    CitationView,
    ConflictView,
    EventRow,
    MembershipView,
    OrgView,
    PersonView,
    Timeline,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~\"'=:^$%@;/?])")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$")


def escape(value: object) -> str:
    """Data as inert CommonMark text: punctuation escaped, whitespace flattened."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", text)


def url(value: str | None) -> str:
    if not value:
        return ""
    return f"<{value}>" if _SAFE_URL.match(value) else escape(value)


class Notes:
    """Numbers the cited sentences of a dossier, one note per (source, quote)."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[int, str], int] = {}
        self._citations: list[CitationView] = []

    def refs(self, citations: Sequence[CitationView]) -> str:
        numbers = []
        for citation in citations:
            key = (citation.source_id, citation.quote)
            if key not in self._numbers:
                self._citations.append(citation)
                self._numbers[key] = len(self._citations)
            numbers.append(self._numbers[key])
        return "".join(f" \\[{n}\\]" for n in sorted(set(numbers)))

    def section(self) -> list[str]:
        if not self._citations:
            return ["## Sources", "", "No statement in this dossier has a recorded source.", ""]
        lines = ["## Sources", ""]
        for number, c in enumerate(self._citations, 1):
            parts = [f"“{escape(c.quote)}”", f"*{escape(c.title or 'untitled')}*"]
            if c.publisher:
                parts.append(escape(c.publisher))
            if c.url:
                parts.append(url(c.url))
            parts.append(f"published {escape(c.published or 'unknown')}")
            parts.append(f"retrieved {escape(c.retrieved or 'unknown')}")
            parts.append(
                f"sha256 `{c.sha256}`" if re.fullmatch(r"[0-9a-f]{64}", c.sha256) else escape(c.sha256)
            )
            lines.append(f"{number}. " + ", ".join(parts))
        lines.append("")
        return lines


def _word(value: str) -> str:
    """A vocabulary value as words: 'on_trial' -> 'on trial'."""
    return escape(value.replace("_", " "))


def _heading(level: int, text: str) -> str:
    return f"{'#' * level} {escape(text)}"


def _charge_line(charge: ChargeView, notes: Notes, with_person: bool = True) -> str:
    parts = []
    if with_person and charge.person_name:
        parts.append(f"**{escape(charge.person_name)}**:")
    parts.append(escape(charge.description or "charge"))
    article = charge.article or charge.article_raw
    if article:
        parts.append(f"({escape(article)}{', ' + escape(charge.code) if charge.code else ''})")
    if charge.max_penalty:
        parts.append(f"— maximum penalty: {escape(charge.max_penalty)}")
    if charge.sentence:
        parts.append(f"— sentence: {escape(charge.sentence)}")
    if charge.date.known:
        parts.append(f"— {escape(charge.date.display())}")
    return "- " + " ".join(parts) + notes.refs(charge.citations)


def _event_line(event: EventRow, notes: Notes) -> str:
    who = ", ".join(escape(p.name) for p in event.participants)
    line = f"- **{escape(event.date.display())}** — {escape(event.kind)}: {escape(event.summary)}"
    if event.location:
        line += f" ({escape(event.location)})"
    if who:
        line += f" — {who}"
    return line + notes.refs(event.citations)


def _timeline(line: Timeline, notes: Notes, level: int = 2) -> list[str]:
    lines = [_heading(level, "Timeline"), ""]
    lines += [_event_line(e, notes) for e in line.dated] or ["No dated events."]
    lines.append("")
    if line.undated:
        lines += [_heading(level + 1, "Events without a known year (not in order)"), ""]
        lines += [_event_line(e, notes) for e in line.undated]
        lines.append("")
    return lines


def _memberships(memberships: Sequence[MembershipView], notes: Notes, person_side: bool) -> list[str]:
    lines = []
    for m in memberships:
        name = m.organisation_name if person_side else m.person_name
        since = f", since {escape(m.start.display())}" if m.start.known else ""
        role = f" — {escape(m.role)}" if m.role else ""
        lines.append(f"- {escape(name)}{role}{since}{notes.refs(m.citations)}")
    return lines


def _cases(cases: Sequence[CaseRoleView], notes: Notes) -> list[str]:
    lines = []
    for c in cases:
        lines.append(
            f"- **{escape(c.name)}** — role: {_word(c.role)}; status: {_word(c.status)}{notes.refs(c.citations)}"
        )
        lines += ["  " + _charge_line(ch, notes, with_person=False) for ch in c.charges]
    return lines


def _lead(text: str | None, what: str, citations: Sequence[CitationView], notes: Notes) -> str:
    """The summary line; without one, the sources only name the record, and say so."""
    if text:
        return escape(text) + notes.refs(citations)
    if citations:
        return f"No {what} recorded; named in{notes.refs(citations)}."
    return f"No {what} recorded."


def _open_questions(conflicts: Sequence[ConflictView], notes: Notes, public: bool) -> list[str]:
    if public or not conflicts:
        return []
    lines = [
        "## Open questions",
        "",
        "A source disagrees with the curated record. The curated value stands in this dossier"
        " until a curator settles it.",
        "",
    ]
    for c in conflicts:
        recorded = f"“{escape(c.curated_value)}”" if c.curated_value else "nothing"
        said = f"“{escape(c.extracted_value)}”" if c.extracted_value else "nothing"
        refs = notes.refs([c.citation]) if c.citation is not None else ""
        lines.append(f"- {_word(c.field).capitalize()}: recorded {recorded}; a source says {said}{refs}")
    lines.append("")
    return lines


def _notes_section(notes_text: str | None, public: bool) -> list[str]:
    if public or not notes_text:
        return []
    return ["## Private notes", "", escape(notes_text), ""]


def person_dossier(view: PersonView, line: Timeline, *, public: bool = False) -> str:
    notes = Notes()
    out = [_heading(1, view.name), "", "## Summary", ""]
    out.append(_lead(view.description, "description", view.citations, notes))
    out.append("")
    facts = [f"- Country: {escape(view.country or 'unknown')}"]
    if view.aliases:
        facts.append("- Also known as: " + ", ".join(escape(a) for a in view.aliases))
    if view.birth_date.known:
        facts.append(f"- Born: {escape(view.birth_date.display())}")
    facts.append(f"- Sources: {view.source_count}")
    out += [*facts, ""]
    out += _open_questions(view.conflicts, notes, public)
    if view.memberships:
        out += ["## Memberships", "", *_memberships(view.memberships, notes, True), ""]
    out += ["## Cases, charges and status", ""]
    out += _cases(view.cases, notes) or ["No cases recorded."]
    out.append("")
    out += _timeline(line, notes)
    out += _notes_section(view.notes, public)
    out += notes.section()
    return "\n".join(out)


def org_dossier(view: OrgView, line: Timeline, *, public: bool = False) -> str:
    notes = Notes()
    out = [_heading(1, view.name), "", "## Summary", ""]
    out.append(_lead(view.description, "description", view.citations, notes))
    out += ["", f"- Kind: {escape(view.kind)}", f"- Country: {escape(view.country or 'unknown')}"]
    if view.aliases:
        out.append("- Also known as: " + ", ".join(escape(a) for a in view.aliases))
    out += [f"- Sources: {view.source_count}", ""]
    out += _open_questions(view.conflicts, notes, public)
    if view.members:
        out += ["## Members", "", *_memberships(view.members, notes, False), ""]
    if view.cases:
        out += ["## Cases", "", *_cases(view.cases, notes), ""]
    out += _timeline(line, notes)
    out += _notes_section(view.notes, public)
    out += notes.section()
    return "\n".join(out)


def case_dossier(view: CaseView, *, public: bool = False) -> str:
    notes = Notes()
    out = [_heading(1, view.name), "", "## Summary", ""]
    out.append(_lead(view.summary, "summary", view.citations, notes))
    out += ["", f"- Country: {escape(view.country or 'unknown')}", f"- Current status: {_word(view.status)}"]
    out += [f"- Sources: {view.source_count}", ""]
    out += _open_questions(view.conflicts, notes, public)
    out += ["## People and roles", ""]
    out += [f"- {escape(p.name)} — {_word(p.role)}{notes.refs(p.citations)}" for p in view.parties] or [
        "No parties recorded."
    ]
    out += ["", "## Charges and penalties", ""]
    out += [_charge_line(c, notes) for c in view.charges] or ["No charges recorded."]
    out.append("")
    if view.status_history:
        out += ["## Status history", ""]
        out += [_event_line(e, notes) for e in view.status_history]
        out.append("")
    out += _timeline(view.timeline, notes)
    out += _notes_section(view.notes, public)
    out += notes.section()
    return "\n".join(out)
