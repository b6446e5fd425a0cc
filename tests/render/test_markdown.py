"""Dossiers are valid CommonMark, structured, footnoted, and inert against injected markup."""

from __future__ import annotations

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
