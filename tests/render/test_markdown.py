"""Dossiers are valid CommonMark, structured, footnoted, and inert against injected markup."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from casetrack.models import Person
from casetrack.render.markdown import case_dossier, escape, person_dossier
from casetrack.store import query
from tests.records import build_record

INJECTIONS = [
    "[click](javascript:alert(1))",
    "<script>alert(1)</script>",
    "**bold** _em_ `code`",
    "a | b | c",
    "# heading\n- list\n> quote",
    "![img](http://evil/x.png)",
    "&lt;b&gt; &amp;",
    "https://evil.example/autolink",
]


def _html(text: str) -> str:
    return MarkdownIt("commonmark").render(text)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_escaped_data_renders_as_its_own_text(payload):
    html = _html(escape(payload))
    for tag in ("<a ", "<script", "<strong", "<em", "<code", "<img", "<h1", "<li", "<blockquote", "<table"):
        assert tag not in html
    tokens = MarkdownIt("commonmark").parseInline(escape(payload))[0].children
    assert "".join(t.content for t in tokens if t.type == "text") == " ".join(payload.split())


def _dossier(database, record, public=False):
    with database.session() as s:
        view = query.show_person(s, "Rita Karasartova")
        line = query.timeline(s, person="Rita Karasartova", limit=None)
    return person_dossier(view, line, public=public)


def test_person_dossier_structure_and_footnotes(database):
    record = build_record(database)
    text = _dossier(database, record)
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Rita Karasartova",
        "Summary",
        "Cases, charges and status",
        "Timeline",
        "Private notes",
        "Sources",
    ]
    html = _html(text)
    assert '<a href="https://24.kg/english/293644/">' in html
    assert html.count("<a ") == html.count('<a href="https://24.kg/english/293644/">') >= 1
    sources = text.split("## Sources", 1)[1]
    assert "sha256" in sources and "published 2024" in sources and "retrieved 2026" in sources
    assert "\\[1\\]" in text.split("## Sources")[0]
    assert "15 years in prison" in html


def test_public_leaves_out_private_notes(database):
    record = build_record(database)
    assert "PRIVATE" in _dossier(database, record)
    public = _dossier(database, record, public=True)
    assert "PRIVATE" not in public and "Private notes" not in public


def test_hostile_names_cannot_inject(database):
    record = build_record(database, notes="<img src=x onerror=alert(1)>")
    with database.session(write=True) as s:
        person = s.get(Person, record.rita)
        person.description = "[x](http://evil) | <b>bold</b> *em*"
        s.add(person)
    text = _dossier(database, record)
    html = _html(text)
    assert "<img" not in html and "<b>" not in html and "<em>em</em>" not in html
    assert "[x](http://evil) | &lt;b&gt;bold&lt;/b&gt; *em*" in html
    assert 'href="http://evil"' not in html
    with database.session() as s:
        case_html = _html(case_dossier(query.show_case(s, "Kempir-Abad case")))
    assert "<img" not in case_html and "Art. 326" in case_html


def test_rendered_html_reads_well(database):
    """What a look at the dossier in Chromium showed: notes as literal [n], status as words, one link per note."""
    build_record(database)
    with database.session() as s:
        html = _html(case_dossier(query.show_case(s, "Kempir-Abad case")))
    assert "Current status: on trial" in html and "on_trial" not in html
    assert "[1]</p>" in html or "[1]</li>" in html
    assert html.count("<li>“") == 2  # each cited sentence once in Sources, in quotes
    assert "<code>" in html  # sha256 set apart, not mistaken for text


def _conflict(database, record, field: str, curated: str, extracted: str, *, cite: bool = True) -> None:
    from casetrack.models import Citation, Conflict

    with database.session(write=True) as s:
        s.add(
            Conflict(
                record_type="person",
                record_id=record.rita,
                field=field,
                curated_value=curated,
                extracted_value=extracted,
                source_id=record.source_viasna,
            )
        )
        if cite:
            s.add(
                Citation(
                    source_id=record.source_viasna,
                    record_type="person",
                    record_id=record.rita,
                    field=None,
                    quote=f"She was described as {extracted} by the paper.",
                )
            )


def test_open_conflicts_are_open_questions_footnoted_to_their_source(database):
    record = build_record(database)
    _conflict(database, record, "description", "journalist", "[a](http://evil) *blogger* <b>x</b>")
    text = _dossier(database, record)
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[:3] == ["Rita Karasartova", "Summary", "Open questions"]
    section = text.split("## Open questions", 1)[1].split("\n## ", 1)[0]
    html = _html(section)
    [item] = [line for line in html.splitlines() if line.startswith("<li>")]
    assert item.startswith(
        "<li>Description: recorded “journalist”; a source says “[a](http://evil) *blogger*"
    )
    assert "<a " not in html and "<em>" not in html and "<b>" not in html
    number = int(item.rsplit("[", 1)[1].split("]")[0])
    sources = _html(text.split("## Sources", 1)[1])
    note = re.findall(r"<li>(.*?)</li>", sources, re.S)[number - 1]
    assert "She was described as [a](http://evil)" in note and "Viasna" in note  # the source's own sentence


def test_public_dossier_leaves_out_open_questions(database):
    record = build_record(database)
    _conflict(database, record, "birth_date", "1980", "1981-02-03", cite=False)
    assert "Birth date: recorded “1980”; a source says “1981\\-02\\-03”" in _dossier(database, record)
    public = _dossier(database, record, public=True)
    assert "Open questions" not in public and "1981" not in public


def test_case_dossier_shows_its_open_questions(database):
    from casetrack.models import Conflict

    record = build_record(database)
    with database.session(write=True) as s:
        s.add(
            Conflict(
                record_type="case",
                record_id=record.case,
                field="status",
                curated_value="on_trial",
                extracted_value="convicted",
                source_id=record.source_24kg,
            )
        )
    with database.session() as s:
        text = case_dossier(query.show_case(s, "Kempir-Abad case"))
    html = _html(text)
    assert "<h2>Open questions</h2>" in html
    assert "<li>Status: recorded “on_trial”; a source says “convicted” [" in html


def test_a_missing_summary_is_not_footnoted_as_if_a_source_said_it(database):
    from casetrack.models import Case

    record = build_record(database)
    with database.session(write=True) as s:
        case = s.get(Case, record.case)
        case.summary = None
        s.add(case)
    with database.session() as s:
        html = _html(case_dossier(query.show_case(s, "Kempir-Abad case")))
    summary = html.split("<h2>Summary</h2>", 1)[1].split("</p>", 1)[0]
    assert summary.strip().startswith("<p>No summary recorded; named in [")
    with database.session(write=True) as s:
        case = s.get(Case, record.case)
        case.summary = "Protesters detained over the reservoir deal"
        s.add(case)
    with database.session() as s:
        html = _html(case_dossier(query.show_case(s, "Kempir-Abad case")))
    assert "<p>Protesters detained over the reservoir deal [" in html
