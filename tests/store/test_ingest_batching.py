"""Storing in few statements: what the batched paths of ``store.ingest`` must keep.

An article's person and organisation candidates are read once per record type;
records, aliases and events the article writes are seen by its later mentions
in memory; rows inserted without the session still refuse overlong values and
still gain the values a later mention of the same article brings.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func
from sqlmodel import select

from casetrack.dates import PartialDate
from casetrack.errors import InvalidValue
from casetrack.ingest.types import Analysis, EventMention, Extraction, PersonMention
from casetrack.models import Event, MatchCandidate, Person, PersonAlias, SearchDoc
from casetrack.store import search
from tests.store.test_ingest import _counts, _document, _persons_only, _quote, _store


def _statements(database: Any, analysis: Analysis) -> list[str]:
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        _store(database, analysis)
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    return sent


def test_candidates_are_read_once_per_record_type_per_article(database: Any) -> None:
    _store(
        database,
        _persons_only("Earlier\n\nAnna Petrova spoke.", ("Anna Petrova", None, "Anna Petrova spoke.")),
    )
    text = "Many names\n\nAnna Petrova, Boris Orlov, Vera Lebedeva and Anton Petrov were detained."
    sentence = text.split("\n\n")[1]
    names = ("Anna Petrova", "Boris Orlov", "Vera Lebedeva", "Anton Petrov")
    sent = _statements(database, _persons_only(text, *((name, None, sentence) for name in names)))
    buckets = [s for s in sent if s.startswith("SELECT person.id, person.name, person.name_key")]
    assert len(buckets) == 1, buckets
    assert sum(s.startswith("INSERT INTO person ") for s in sent) == 3


def test_a_record_created_earlier_in_the_article_is_a_later_mentions_candidate(database: Any) -> None:
    text = "Two spellings\n\nRita Karasartova was detained. R. Karasartova denied the charges."
    analysis = _persons_only(
        text,
        ("Rita Karasartova", None, "Rita Karasartova was detained."),
        ("R. Karasartova", None, "R. Karasartova denied the charges."),
    )
    result = _store(database, analysis)
    with database.session() as session:
        rita = session.exec(select(Person).where(Person.name == "Rita Karasartova")).one()
        initials = session.exec(select(Person).where(Person.name == "R. Karasartova")).one()
        pairs = session.exec(select(MatchCandidate.left_id, MatchCandidate.right_id)).all()
    assert [tuple(p) for p in pairs] == [(rita.id, initials.id)]
    assert [(c.existing_id, c.new_id) for c in result.candidates] == [(rita.id, initials.id)]


def test_an_alias_added_earlier_in_the_article_finds_the_record_for_a_later_mention(database: Any) -> None:
    text = "Cross-script\n\nAles Bialiatski (Алесь Бяляцкі) was sentenced. Алесь Бяляцкі appealed."
    first = PersonMention(
        "Ales Bialiatski", aliases=["Алесь Бяляцкі"], quote=_quote(text, "Ales Bialiatski (Алесь Бяляцкі)")
    )
    second = PersonMention("Алесь Бяляцкі", quote=_quote(text, "Алесь Бяляцкі appealed"))
    _store(database, Analysis(_document(text), Extraction(persons=[first, second])))
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(Person)).one() == 1
        assert session.exec(select(PersonAlias.name)).all() == ["Алесь Бяляцкі"]
        doc = session.exec(select(SearchDoc).where(SearchDoc.record_type == "person")).one()
        assert "Алесь Бяляцкі" in doc.body
        assert [
            hit.record_id for hit in search.search(session, "Бяляцкі") if hit.record_type == "person"
        ] == [doc.record_id]


def test_an_overlong_alias_is_refused_and_nothing_is_stored(database: Any) -> None:
    text = "Long alias\n\nAnna Petrova was detained."
    mention = PersonMention("Anna Petrova", aliases=["Petrova " * 40], quote=_quote(text, "Anna Petrova"))
    before = _counts(database)
    with pytest.raises(InvalidValue, match="limited to 300 characters"):
        _store(database, Analysis(_document(text), Extraction(persons=[mention])))
    assert _counts(database) == before


def test_an_event_created_earlier_in_the_article_gains_a_later_mentions_location(database: Any) -> None:
    text = "Detention\n\nAnna Petrova was detained on 3 May 2024. She was detained in Minsk on 3 May 2024."
    day = PartialDate.parse("2024-05-03")
    first = EventMention(
        "detention",
        date=day,
        summary="detained",
        persons=["Anna Petrova"],
        quote=_quote(text, "Anna Petrova"),
    )
    second = EventMention(
        "detention",
        date=day,
        summary="detained in Minsk",
        location="Minsk",
        persons=["Anna Petrova"],
        quote=_quote(text, "She was detained in Minsk"),
    )
    person = PersonMention("Anna Petrova", quote=_quote(text, "Anna Petrova was detained"))
    result = _store(database, Analysis(_document(text), Extraction(persons=[person], events=[first, second])))
    assert result.new["events"] == 1 and result.matched["events"] == 1
    with database.session() as session:
        events = session.exec(select(Event)).all()
        doc = session.exec(select(SearchDoc).where(SearchDoc.record_type == "event")).one()
    assert [(e.kind, e.date, e.location) for e in events] == [("detention", "2024-05-03", "Minsk")]
    assert "Minsk" in doc.body
