"""Full-text search: ranking, snippets, diacritics, Cyrillic, and FTS syntax in user input."""

from __future__ import annotations

import pytest

from casetrack.errors import UsageError
from casetrack.store.search import MARK_END, MARK_START, folds_diacritics, fts5_query, search
from tests.records import build_record, indexed_person


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
        assert folds_diacritics(s)
        assert any(h.record_id == record.ales for h in search(s, "Bialacki", record_type="person"))
        assert any(h.record_id == record.ales for h in search(s, "Беляцкий", record_type="person"))
        (cafe,) = search(s, "cafe", record_type="source")  # "Café" in the text
        assert f"{MARK_START}Café{MARK_END}" in cafe.snippet, "the snippet keeps the original spelling"
        assert search(s, "CAFÉ", record_type="source") == [cafe]


def test_unaccented_words_find_accented_names_and_the_snippet_keeps_the_accents(database):
    ales = indexed_person(database, "Aleś Bialacki")
    zoe = indexed_person(database, "Zoë Šimková-Dvořák")
    with database.session() as s:
        assert [h.record_id for h in search(s, "Ales")] == [ales]
        assert [h.record_id for h in search(s, "Bialacki")] == [ales]
        assert [h.record_id for h in search(s, "ales bialacki")] == [ales]
        assert [h.record_id for h in search(s, "zoe simkova")] == [zoe]
        assert [h.record_id for h in search(s, "dvorak")] == [zoe]
        assert [h.title for h in search(s, "Aleś")] == ["Aleś Bialacki"]


def test_accents_in_the_query_are_folded_too(database):
    plain = indexed_person(database, "Ales Novak")
    with database.session() as s:
        assert [h.record_id for h in search(s, "Aleś Nováķ")] == [plain]


def test_cyrillic_short_i_is_not_folded_into_i(database):
    short_i = indexed_person(database, "Андрей Бойко")
    with database.session() as s:
        assert [h.record_id for h in search(s, "Бойко")] == [short_i]
        assert search(s, "Боико") == []  # й is a letter of its own, not и with a mark


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
