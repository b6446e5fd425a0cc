"""The importer's rules: matching, ids, curated fields, origin, audit, and all-or-nothing files."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from casetrack.errors import Ambiguous, InvalidValue
from casetrack.exchange import load, snapshot
from casetrack.models import AuditEntry, Person
from casetrack.store.importer import import_document
from tests.records import build_record


def _import(database, document, actor="importer", **options):
    with database.session(write=True) as session:
        return import_document(
            session, load.check(document, "test.yaml"), actor=actor, where="test.yaml", **options
        )


def _snap(database):
    with database.session() as session:
        return snapshot.build(session)


def test_hand_written_records_are_imported_and_reimport_matches_them(database):
    document = {
        "organisations": [{"name": "Viasna", "aliases": ["Вясна"], "kind": "ngo", "country": "BY"}],
        "persons": [
            {
                "name": "Ales Bialiatski",
                "aliases": ["Алесь Беляцкий"],
                "birth_date": "1962-09-25",
                "memberships": [{"organisation": "Вясна", "role": "founder", "start": "1996"}],
            }
        ],
        "events": [
            {
                "kind": "award",
                "date": "2022-10",
                "summary": "Nobel Peace Prize",
                "persons": ["Ales Bialiatski"],
            }
        ],
    }
    first = _import(database, document)
    assert first.created["person"] == 1 and first.created["membership"] == 1
    second = _import(database, document)
    assert second.totals[0] == 0 and second.totals[1] == 0
    [person] = _snap(database)["persons"]
    assert person["origin"] == "imported"
    assert person["birth_date"] == {"date": "1962-09-25", "precision": "day", "inferred": False}
    assert person["memberships"][0]["organisation"] == "Viasna"
    assert person["memberships"][0]["start"]["precision"] == "year"


def test_an_alias_in_the_file_finds_the_record_in_the_database(database):
    _import(database, {"persons": [{"name": "Алесь Беляцкий"}]})
    result = _import(database, {"persons": [{"name": "Ales Bialiatski", "aliases": ["Алесь Беляцкий"]}]})
    assert result.created["person"] == 0 and result.updated["person"] == 1
    [person] = _snap(database)["persons"]
    assert person["name"] == "Ales Bialiatski" and person["aliases"] == ["Алесь Беляцкий"]


def test_different_birth_dates_keep_namesakes_apart(database):
    _import(database, {"persons": [{"name": "Ivan Petrov", "birth_date": "1980"}]})
    result = _import(database, {"persons": [{"name": "Ivan Petrov", "birth_date": "1991-02-03"}]})
    assert result.created["person"] == 1
    assert len(_snap(database)["persons"]) == 2
    with pytest.raises(Ambiguous, match="matches 2 person records"):
        _import(database, {"persons": [{"name": "Ivan Petrov", "description": "which one?"}]})


def test_a_curated_field_is_kept_unless_the_file_curates_it_too(database):
    _import(
        database, {"persons": [{"name": "Rita Karasartova", "description": "activist", "origin": "curated"}]}
    )
    _import(database, {"persons": [{"name": "Rita Karasartova", "description": "someone", "country": "KG"}]})
    [person] = _snap(database)["persons"]
    assert person["description"] == "activist" and person["country"] == "KG"
    assert person["origin"] == "curated" and "description" in person["curated_fields"]
    _import(
        database, {"persons": [{"name": "Rita Karasartova", "description": "lawyer", "origin": "curated"}]}
    )
    assert _snap(database)["persons"][0]["description"] == "lawyer"


def test_missing_keys_leave_fields_alone(database):
    _import(database, {"cases": [{"name": "X case", "country": "KG", "status": "charged", "summary": "S"}]})
    _import(database, {"cases": [{"name": "X case", "status": "on trial"}]})
    [case] = _snap(database)["cases"]
    assert (case["country"], case["status"], case["summary"]) == ("KG", "on_trial", "S")


def test_every_change_is_audited_with_the_actor(database):
    result = _import(database, {"persons": [{"name": "A Person"}]}, actor="alice")
    with database.session() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.change_id == result.change_id)).all()
    assert entries and {e.actor for e in entries} == {"alice"}
    assert {e.action for e in entries} == {"create"}


def test_a_bad_value_keeps_nothing_of_the_file(database):
    document = {
        "persons": [{"name": "Kept Nowhere"}],
        "events": [{"kind": "arrest", "date": "2024-13-01", "summary": "x"}],
    }
    with pytest.raises(InvalidValue, match=r"test.yaml: events\[0\].*date"):
        _import(database, document)
    with database.session() as session:
        assert session.exec(select(Person)).all() == []


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"persons": [{"name": "A B", "country": "Kyrgyzstan"}]}, "two-letter"),
        ({"persons": [{"description": "no name"}]}, "'name' is missing"),
        ({"organisations": [{"name": "O", "kind": "club"}]}, "kind 'club'"),
        ({"events": [{"kind": "arrest", "case": "Unknown case"}]}, "case 'Unknown case'"),
        ({"persons": [{"name": "A B", "citations": [{"source_id": 9, "quote": "q"}]}]}, "source_id 9"),
        ({"events": [{"kind": "arrest", "date": {"date": "2024", "precision": "day"}}]}, "precision 'day'"),
    ],
)
def test_invalid_values_name_the_record_and_the_problem(database, document, words):
    with pytest.raises(InvalidValue, match=words):
        _import(database, document)


def test_ids_are_kept_when_free_and_translated_when_taken(database):
    build_record(database)
    exported = json.loads(json.dumps(_snap(database)))
    rita = next(p for p in exported["persons"] if p["name"] == "Rita Karasartova")
    rita_copy = dict(rita, id=10_000, name="Rita Karasartova-Copy", aliases=[])
    document = {"sources": [], "persons": [rita_copy]}
    with pytest.raises(InvalidValue, match="not in this file"):
        _import(database, document)
    document["sources"] = exported["sources"]
    _import(database, document)
    persons = {p["name"]: p for p in _snap(database)["persons"]}
    assert persons["Rita Karasartova-Copy"]["id"] == 10_000
    assert persons["Rita Karasartova-Copy"]["citations"] == rita["citations"]


def test_bulk_ids_are_references_only(database):
    _import(database, {"persons": [{"id": 777, "name": "Line Person"}]}, keep_ids=False)
    [person] = _snap(database)["persons"]
    assert person["id"] != 777
