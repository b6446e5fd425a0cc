"""Full-text search: ranking, snippets, diacritics, Cyrillic, and FTS syntax in user input."""

from __future__ import annotations

import pytest

from casetrack.errors import UsageError
from casetrack.store.search import MARK_END, MARK_START, fts5_query, search
from tests.records import build_record


@pytest.fixture
def record(database):
    return build_record(database)


def test_finds_the_source_with_a_highlighted_snippet(database, record):
    with database.session() as s:
        hits = search(s, "signatures")
    assert ("source", record.source_24kg) in {(h.record_type, h.record_id) for h in hits}
    source_hit = next(h for h in hits if h.record_type == "source")
    assert f"{MARK_START}signatures{MARK_END}" in source_hit.snippet
    assert "[signatures]" in source_hit.snippet_with("[", "]")


def test_title_matches_rank_above_body_matches(database, record):
    with database.session() as s:
        hits = search(s, "Karasartova")
    assert (hits[0].record_type, hits[0].record_id) == ("person", record.rita)


def test_diacritics_and_cyrillic(database, record):
    with database.session() as s:
        assert any(h.record_id == record.ales for h in search(s, "Bialacki", record_type="person"))
        assert any(h.record_id == record.ales for h in search(s, "Беляцкий", record_type="person"))
        if database.dialect == "sqlite":  # PostgreSQL's 'simple' config keeps accents: see docs/queries.md
            assert search(s, "cafe", record_type="source")  # "Café" in the text


@pytest.mark.parametrize(
    "nasty", ['"unbalanced', "NEAR(a b)", "title:x", "a AND OR NOT", "x*", "-(", "'; DROP"]
)
def test_fts_syntax_in_input_is_searched_as_words(database, record, nasty):
    with database.session() as s:
        if any(c.isalnum() for c in nasty):
            assert isinstance(search(s, nasty), list)
        else:
            with pytest.raises(UsageError):
                search(s, nasty)


def test_query_quoting():
    assert fts5_query('he said "no" AND') == '"he" "said" "no" "AND"'
    assert fts5_query("Aleś") == '"Aleś"'
