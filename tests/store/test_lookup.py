"""Finding records the way users name them: id, name, alias, prefix; never guessing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from casetrack.db import Database
from casetrack.errors import Ambiguous, NotFound, UsageError
from casetrack.ingest.names import name_key
from casetrack.models import Person, PersonAlias, SearchDoc
from casetrack.store import lookup, search_index


def _person(session, name: str, *aliases: str, country: str | None = None) -> Person:  # type: ignore[no-untyped-def]
    person = Person(name=name, name_key=name_key(name), country=country)
    session.add(person)
    session.flush()
    for alias in aliases:
        session.add(PersonAlias(person_id=person.id, name=alias, key=name_key(alias)))
    session.flush()
    return person


@pytest.fixture
def people(database: Database) -> Database:
    with database.session(write=True) as session:
        _person(session, "Ales Bialiatski", "Алесь Бяляцкі", "Aleś Bialacki", country="BY")
        _person(session, "Rita Karasartova", country="KG")
        _person(session, "Rita Ivanova")
    return database


@pytest.mark.parametrize(
    "ref", ["1", "#1", "Ales Bialiatski", "ales bialiatski", "Алесь Бяляцкі", "Ales Bialacki", "Ales B"]
)
def test_finds_one_person_by_id_name_alias_or_prefix(people: Database, ref: str) -> None:
    with people.session() as session:
        assert lookup.find(session, "person", ref).name == "Ales Bialiatski"


def test_an_ambiguous_prefix_lists_the_candidates(people: Database) -> None:
    with people.session() as session, pytest.raises(Ambiguous) as raised:
        lookup.find(session, "person", "Rita")
    assert "#2 Rita Karasartova (KG)" in str(raised.value)
    assert "#3 Rita Ivanova" in str(raised.value)


def test_unknown_names_ids_and_types_are_clear_errors(people: Database) -> None:
    with people.session() as session:
        with pytest.raises(NotFound, match="no person called 'Nobody'"):
            lookup.find(session, "person", "Nobody")
        with pytest.raises(NotFound, match="no person with id 99"):
            lookup.find(session, "person", "99")
        with pytest.raises(UsageError, match="unknown record type"):
            lookup.find(session, "planet", "Mars")
        with pytest.raises(UsageError):
            lookup.find(session, "person", "%%%")


@pytest.mark.parametrize("ref", ["99999999999999999999", "#4294967296", "¹", "١"])
def test_numbers_no_record_can_have_are_not_found_not_database_errors(people: Database, ref: str) -> None:
    with people.session() as session, pytest.raises(NotFound):
        lookup.find(session, "person", ref)


def test_a_merged_record_resolves_to_the_one_it_was_merged_into(people: Database) -> None:
    with people.session(write=True) as session:
        duplicate = _person(session, "A. Bialiatski")
        duplicate.merged_into_id = 1
        session.add(duplicate)
    with people.session() as session:
        assert lookup.find(session, "person", str(duplicate.id)).id == 1
        with pytest.raises(NotFound):
            lookup.find(session, "person", "A. Bialiatski")


def test_search_documents_follow_the_record(people: Database) -> None:
    with people.session(write=True) as session:
        search_index.refresh(session, "person", 1)
        doc = session.exec(select(SearchDoc)).one()
        assert doc.title == "Ales Bialiatski" and "Алесь Бяляцкі" in doc.body
        person = session.get(Person, 1)
        assert person is not None
        person.merged_into_id = 2
        session.add(person)
        search_index.refresh(session, "person", 1)
        assert session.exec(select(SearchDoc)).all() == []
        assert search_index.reindex_all(session) == 2
