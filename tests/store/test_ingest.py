"""Storing analysed articles: evidence, idempotence, versions, resolution, citations, curated values."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from casetrack.dates import PartialDate
from casetrack.ingest.extract import extract
from casetrack.ingest.names import phonetic_key
from casetrack.ingest.types import (
    Analysis,
    CaseMention,
    ChargeMention,
    Document,
    EventMention,
    Extraction,
    MembershipMention,
    OrganisationMention,
    PartyMention,
    PersonMention,
    Quote,
)
from casetrack.models import (
    Case,
    CaseParty,
    Charge,
    Citation,
    Conflict,
    Event,
    EventParticipant,
    MatchCandidate,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    SearchDoc,
    Source,
)
from casetrack.store import search
from casetrack.store.ingest import (
    DUPLICATE,
    INGESTED,
    RE_EXTRACTED,
    UPDATED_VERSION,
    StoreResult,
    _insert_source,
    store_analysis,
)

SEEDS = ["000_ce902227b9a06b84.txt", "003_c6731568ab90a96d.txt"]
TABLES = [
    Source,
    Citation,
    Person,
    PersonAlias,
    Organisation,
    OrganisationAlias,
    Membership,
    Case,
    CaseParty,
    Charge,
    Event,
    EventParticipant,
    MatchCandidate,
    Conflict,
    SearchDoc,
]

RUSSIAN_BIALIATSKI = """Алеся Беляцкого перевели в колонию в Горках

Председатель Правозащитного центра «Весна» Алесь Беляцкий отбывает наказание в исправительной колонии в Горках, сообщили в «Вясне».

Беляцкий был задержан в Минске 14 июля 2021 года. В марте 2023 года суд приговорил Алеся Беляцкого к 10 годам лишения свободы по ч. 4 ст. 228 УК.

Коллеги из Правозащитного центра «Весна» требуют немедленного освобождения Алеся Беляцкого.
"""


# --- helpers --------------------------------------------------------------------------------


def _document(
    text: str, *, url: str | None = None, language: str | None = "en", name: str = "article"
) -> Document:
    return Document(
        input=name,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        raw=text.encode(),
        title=text.splitlines()[0],
        url=url,
        language=language,
        published=PartialDate.parse("2024-05-10"),
    )


def _analysed(text: str, **kwargs: Any) -> Analysis:
    document = _document(text, **kwargs)
    return Analysis(document, extract(document))


def _quote(text: str, sentence: str) -> Quote:
    start = text.index(sentence)
    return Quote(sentence, start, start + len(sentence))


def _persons_only(text: str, *persons: tuple[str, str | None, str], language: str = "en") -> Analysis:
    """An analysis with hand-made person mentions: (name, country, sentence quoted)."""
    document = _document(text, language=language)
    mentions = [
        PersonMention(name, country=country, quote=_quote(text, sentence))
        for name, country, sentence in persons
    ]
    return Analysis(document, Extraction(persons=mentions))


def _store(database: Any, analysis: Analysis, *, force: bool = False) -> StoreResult:
    with database.session(write=True) as session:
        return store_analysis(session, analysis, None, actor="tester", force=force)


def _counts(database: Any) -> dict[str, int]:
    with database.session() as session:
        return {m.__tablename__: session.exec(select(func.count()).select_from(m)).one() for m in TABLES}


def _seed(seeds_dir: Path, name: str) -> Analysis:
    from casetrack.ingest import pipeline

    return pipeline.analyse(str(seeds_dir / name))


def _live_persons(session: Session) -> list[Person]:
    return list(session.exec(select(Person).where(Person.merged_into_id.is_(None))))  # type: ignore[union-attr]


# --- evidence and idempotence ---------------------------------------------------------------


def test_seeds_are_stored_with_their_evidence(database: Any, seeds_dir: Path) -> None:
    analyses = [_seed(seeds_dir, name) for name in SEEDS]
    results = [_store(database, a) for a in analyses]
    assert [r.status for r in results] == [INGESTED, INGESTED]
    with database.session() as session:
        for analysis, result in zip(analyses, results, strict=True):
            source = session.get(Source, result.source_id)
            document = analysis.document
            assert source.sha256 == hashlib.sha256(source.raw).hexdigest() == document.sha256
            assert (source.title, source.publisher, source.url) == (
                document.title,
                document.publisher,
                document.url,
            )
            assert source.text == document.text
            assert source.published == document.published.value
            assert source.published_precision == document.published.precision.value
            assert source.published_inferred == document.published.inferred
            assert source.retrieved == document.retrieved.value
            assert source.ingested_by == "tester"
            assert source.input.endswith(document.input.rsplit("/", 1)[-1])
        persons = {p.name for p in _live_persons(session)}
    assert {"Rita Karasartova", "Maisy Weicherding", "Ales Bialiatski", "Talekan Ismailova"} <= persons


def test_the_same_bytes_add_nothing(database: Any, seeds_dir: Path) -> None:
    analysis = _seed(seeds_dir, SEEDS[0])
    first = _store(database, analysis)
    before = _counts(database)
    again = _store(database, analysis)
    assert again.status == DUPLICATE
    assert again.source_id == first.source_id
    assert not again.new and not again.citations
    assert _counts(database) == before


def test_every_citation_quotes_the_stored_text_exactly(database: Any, seeds_dir: Path) -> None:
    for name in SEEDS:
        _store(database, _seed(seeds_dir, name))
    with database.session() as session:
        citations = list(session.exec(select(Citation)))
        assert len(citations) > 10
        for citation in citations:
            source = session.get(Source, citation.source_id)
            assert source.text[citation.start : citation.end] == citation.quote


def test_every_stored_fact_has_a_citation(database: Any, seeds_dir: Path) -> None:
    _store(database, _seed(seeds_dir, SEEDS[0]))
    with database.session() as session:
        cited = set(session.exec(select(Citation.record_type, Citation.record_id)))
        for record_type, model in [
            ("person", Person),
            ("organisation", Organisation),
            ("case", Case),
            ("case_party", CaseParty),
            ("charge", Charge),
            ("event", Event),
            ("membership", Membership),
        ]:
            for record_id in session.exec(select(model.id)):
                assert (record_type, record_id) in cited


def test_a_changed_page_at_the_same_url_is_a_new_version(database: Any) -> None:
    url = "https://example.org/news/1"
    first = _store(
        database, _analysed("Activist detained\n\nRita Karasartova was detained on Monday.", url=url)
    )
    second = _store(
        database,
        _analysed("Activist detained\n\nRita Karasartova was detained on Monday in Bishkek.", url=url),
    )
    assert second.status == UPDATED_VERSION
    assert second.previous_id == first.source_id
    with database.session() as session:
        assert session.get(Source, second.source_id).previous_id == first.source_id


def test_sha256_race_is_reported_as_a_duplicate(database: Any) -> None:
    analysis = _analysed("A short note\n\nNothing happened.")
    first = _store(database, analysis)
    with database.session(write=True) as session:
        outcome = _insert_source(session, analysis.document, None, "tester")
        assert isinstance(outcome, StoreResult)
        assert (outcome.status, outcome.source_id) == (DUPLICATE, first.source_id)
        assert session.exec(select(func.count()).select_from(Source)).one() == 1


def test_concurrent_ingests_of_the_same_input_store_one_source(database_url: str) -> None:
    from casetrack.db import open_database, resolve_location

    analysis = _analysed(
        "Rights defender detained\n\nHuman rights defender Aibek Asanov was detained in Osh."
    )
    databases = [open_database(resolve_location(database_url, Path("/nonexistent"))) for _ in range(3)]
    statuses: list[str] = []
    barrier = threading.Barrier(len(databases))

    def worker(db: Any) -> None:
        barrier.wait()
        statuses.append(_store(db, analysis).status)

    threads = [threading.Thread(target=worker, args=(db,)) for db in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(statuses) == [DUPLICATE, DUPLICATE, INGESTED]
        with databases[0].session() as session:
            assert session.exec(select(func.count()).select_from(Source)).one() == 1
            names = [p.name for p in session.exec(select(Person))]
            assert len(names) == len(set(names))
    finally:
        for db in databases:
            db.dispose()


# --- resolution -----------------------------------------------------------------------------


def test_russian_article_leaves_one_bialiatski_and_one_viasna(database: Any, seeds_dir: Path) -> None:
    for name in SEEDS:
        _store(database, _seed(seeds_dir, name))
    result = _store(database, _analysed(RUSSIAN_BIALIATSKI, language="ru", name="bialiatski-ru.txt"))
    assert result.status == INGESTED
    assert result.matched["persons"] >= 1
    with database.session() as session:
        bialiatski = [p for p in _live_persons(session) if phonetic_key("Bialiatski") in phonetic_key(p.name)]
        assert [p.name for p in bialiatski] == ["Ales Bialiatski"]
        aliases = set(session.exec(select(PersonAlias.name).where(PersonAlias.person_id == bialiatski[0].id)))
        assert "Алесь Беляцкий" in aliases
        scripts = set(
            session.exec(select(PersonAlias.script).where(PersonAlias.person_id == bialiatski[0].id))
        )
        assert "Cyrl" in scripts
        viasna = [
            o
            for o in session.exec(select(Organisation))
            if o.merged_into_id is None and any(k in phonetic_key(o.name) for k in ("vsn", "vsna"))
        ]
        assert len(viasna) == 1
        russian_source = session.get(Source, result.source_id)
        cited_here = set(
            session.exec(
                select(Citation.record_id).where(
                    Citation.source_id == russian_source.id, Citation.record_type == "person"
                )
            )
        )
        assert bialiatski[0].id in cited_here


def test_initials_become_a_review_candidate(database: Any) -> None:
    text_a = "Activist charged\n\nKyrgyz human rights activist Rita Karasartova was charged."
    _store(
        database,
        _persons_only(
            text_a, ("Rita Karasartova", "KG", "Kyrgyz human rights activist Rita Karasartova was charged.")
        ),
    )
    text_b = "Hearing postponed\n\nThe hearing of R. Karasartova was postponed."
    result = _store(
        database,
        _persons_only(text_b, ("R. Karasartova", None, "The hearing of R. Karasartova was postponed.")),
    )
    assert result.new["persons"] == 1
    assert len(result.candidates) == 1
    with database.session() as session:
        candidate = session.exec(select(MatchCandidate)).one()
        rita = session.exec(select(Person).where(Person.name == "Rita Karasartova")).one()
        initials = session.exec(select(Person).where(Person.name == "R. Karasartova")).one()
        assert (candidate.record_type, candidate.left_id, candidate.right_id) == (
            "person",
            rita.id,
            initials.id,
        )
        assert 0.6 <= candidate.score < 0.9
        assert "initials agree" in json.loads(candidate.evidence)[0]
        assert candidate.source_id == result.source_id


def test_same_surname_different_first_names_are_two_people(database: Any) -> None:
    text = "Two brothers detained\n\nIvan Petrov was detained. Igor Petrov was detained too."
    result = _store(
        database,
        _persons_only(
            text,
            ("Ivan Petrov", "RU", "Ivan Petrov was detained."),
            ("Igor Petrov", "RU", "Igor Petrov was detained too."),
        ),
    )
    assert result.new["persons"] == 2
    assert result.candidates == []
    with database.session() as session:
        assert sorted(p.name for p in session.exec(select(Person))) == ["Igor Petrov", "Ivan Petrov"]


def test_confident_match_adds_the_spelling_as_an_alias_and_a_second_citation(database: Any) -> None:
    text_a = "Statement\n\nAles Bialiatski remains in prison."
    text_b = "Заявление\n\nАлесь Беляцкий остаётся в заключении."
    _store(database, _persons_only(text_a, ("Ales Bialiatski", "BY", "Ales Bialiatski remains in prison.")))
    result = _store(
        database,
        _persons_only(
            text_b, ("Алесь Беляцкий", "BY", "Алесь Беляцкий остаётся в заключении."), language="ru"
        ),
    )
    assert result.matched["persons"] == 1 and not result.new
    with database.session() as session:
        person = session.exec(select(Person)).one()
        alias = session.exec(select(PersonAlias)).one()
        assert (alias.person_id, alias.name, alias.script, alias.language) == (
            person.id,
            "Алесь Беляцкий",
            "Cyrl",
            "ru",
        )
        sources = set(session.exec(select(Citation.source_id).where(Citation.record_type == "person")))
        assert len(sources) == 2
        assert [h.record_id for h in search.search(session, "Беляцкий", record_type="person")] == [person.id]


def test_merged_records_are_not_matched(database: Any) -> None:
    text = "Statement\n\nAles Bialiatski remains in prison."
    first = _store(
        database, _persons_only(text, ("Ales Bialiatski", None, "Ales Bialiatski remains in prison."))
    )
    with database.session(write=True) as session:
        old = session.exec(select(Person)).one()
        kept = Person(name="Aleś Bialacki", name_key="ales bialacki")
        session.add(kept)
        session.flush()
        old.merged_into_id = kept.id
        session.add(old)
    text_b = "Another statement\n\nAles Bialiatski was moved to Horki."
    _store(database, _persons_only(text_b, ("Ales Bialiatski", None, "Ales Bialiatski was moved to Horki.")))
    with database.session() as session:
        cited = set(
            session.exec(
                select(Citation.record_id).where(
                    Citation.record_type == "person", Citation.source_id != first.source_id
                )
            )
        )
        assert cited == {kept.id}


# --- facts, dedupe and curated values -------------------------------------------------------


CASE_TEXT = (
    "Activist sentenced\n\n"
    "Human rights defender Nurlan Abdiev, head of the group «Justice Watch», was sentenced to 5 years. "
    "He was convicted under Article 278 of the Criminal Code. "
    "Police detained Nurlan Abdiev in Bishkek on 3 March 2024."
)


def _case_analysis(text: str = CASE_TEXT) -> Analysis:
    document = _document(text)
    intro = (
        "Human rights defender Nurlan Abdiev, head of the group «Justice Watch», was sentenced to 5 years."
    )
    article = "He was convicted under Article 278 of the Criminal Code."
    arrest = "Police detained Nurlan Abdiev in Bishkek on 3 March 2024."
    person = PersonMention(
        "Nurlan Abdiev",
        description="human rights defender",
        country="KG",
        memberships=[MembershipMention("Justice Watch", "head")],
        quote=_quote(text, intro),
    )
    organisation = OrganisationMention("Justice Watch", kind="ngo", country="KG", quote=_quote(text, intro))
    charge = ChargeMention(
        "Nurlan Abdiev",
        "mass riots",
        legal_article="Art. 278",
        legal_article_raw="Article 278",
        sentence="5 years",
        date=PartialDate.parse("2024-03"),
        quote=_quote(text, article),
    )
    case = CaseMention(
        "Case of Nurlan Abdiev",
        country="KG",
        status="convicted",
        parties=[PartyMention("Nurlan Abdiev", "defendant")],
        charges=[charge],
        quote=_quote(text, intro),
    )
    event = EventMention(
        "arrest",
        date=PartialDate.parse("2024-03-03"),
        summary="Police detained Nurlan Abdiev in Bishkek",
        location="Bishkek",
        persons=["Nurlan Abdiev"],
        organisations=["Justice Watch"],
        actors=["Justice Watch"],
        case="Case of Nurlan Abdiev",
        figures={"detained": 1},
        quote=_quote(text, arrest),
    )
    return Analysis(document, Extraction([person], [organisation], [case], [event]))


def test_case_charges_events_and_participants_are_stored(database: Any) -> None:
    result = _store(database, _case_analysis())
    assert result.new["charges"] == 1 and result.new["events"] == 1
    with database.session() as session:
        person = session.exec(select(Person)).one()
        case = session.exec(select(Case)).one()
        charge = session.exec(select(Charge)).one()
        event = session.exec(select(Event)).one()
        assert (case.name, case.status, case.country) == ("Case of Nurlan Abdiev", "convicted", "KG")
        party = session.exec(select(CaseParty)).one()
        assert (party.case_id, party.person_id, party.role) == (case.id, person.id, "defendant")
        assert (charge.article, charge.article_raw, charge.sentence) == ("Art. 278", "Article 278", "5 years")
        assert (charge.date, charge.date_precision, charge.person_id) == ("2024-03", "month", person.id)
        assert (event.date, event.date_precision, event.date_min, event.date_max) == (
            "2024-03-03",
            "day",
            "2024-03-03",
            "2024-03-03",
        )
        assert (event.case_id, event.location, json.loads(event.figures)) == (
            case.id,
            "Bishkek",
            {"detained": 1},
        )
        roles = {(p.person_id, p.organisation_id, p.role) for p in session.exec(select(EventParticipant))}
        organisation = session.exec(select(Organisation)).one()
        assert roles == {(person.id, None, "subject"), (None, organisation.id, "actor")}
        membership = session.exec(select(Membership)).one()
        assert (membership.person_id, membership.organisation_id, membership.role) == (
            person.id,
            organisation.id,
            "head",
        )
        hits = search.search(session, "Abdiev", record_type="person")
        assert [h.record_id for h in hits] == [person.id]


def test_the_same_facts_from_a_second_article_gain_citations_not_rows(database: Any) -> None:
    _store(database, _case_analysis())
    before = _counts(database)
    second = CASE_TEXT.replace("Activist sentenced", "Court upholds sentence")
    result = _store(database, _case_analysis(second))
    assert result.status == INGESTED
    after = _counts(database)
    for table in (
        "person",
        "organisation",
        "membership",
        "legal_case",
        "case_party",
        "charge",
        "event",
        "event_participant",
    ):
        assert after[table] == before[table], table
    assert after["citation"] == 2 * before["citation"]
    assert after["source"] == 2


def test_curated_field_survives_and_a_disagreement_becomes_a_conflict(database: Any) -> None:
    _store(database, _case_analysis())
    with database.session(write=True) as session:
        case = session.exec(select(Case)).one()
        case.status = "released"
        case.curated_fields = json.dumps(["status"])
        session.add(case)
    second = CASE_TEXT.replace("Activist sentenced", "Activist still in prison")
    result = _store(database, _case_analysis(second))
    assert result.conflicts == 1
    with database.session() as session:
        assert session.exec(select(Case)).one().status == "released"
        conflict = session.exec(select(Conflict)).one()
        assert (conflict.record_type, conflict.field) == ("case", "status")
        assert (conflict.curated_value, conflict.extracted_value) == ("released", "convicted")
        assert conflict.source_id == result.source_id


def test_force_replaces_what_the_source_contributed_and_keeps_curated_values(database: Any) -> None:
    first = _store(database, _case_analysis())
    with database.session(write=True) as session:
        person = session.exec(select(Person)).one()
        person.description = "lawyer and human rights defender"
        person.curated_fields = json.dumps(["description"])
        session.add(person)
    before = _counts(database)
    again = _store(database, _case_analysis(), force=True)
    assert again.status == RE_EXTRACTED and again.source_id == first.source_id
    after = _counts(database)
    assert after == before | {"conflict": 1}
    with database.session() as session:
        person = session.exec(select(Person)).one()
        assert person.description == "lawyer and human rights defender"
        assert person.id == session.exec(select(CaseParty)).one().person_id


def test_force_removes_facts_the_new_extraction_no_longer_finds(database: Any) -> None:
    analysis = _case_analysis()
    _store(database, analysis)
    fewer = Analysis(analysis.document, dataclasses.replace(analysis.extraction, events=[]))
    _store(database, fewer, force=True)
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(Event)).one() == 0
        assert session.exec(select(func.count()).select_from(EventParticipant)).one() == 0
        assert session.exec(select(func.count()).select_from(Person)).one() == 1
        assert not list(session.exec(select(SearchDoc).where(SearchDoc.record_type == "event")))


def test_force_keeps_a_curated_row_that_only_this_source_cited(database: Any) -> None:
    analysis = _case_analysis()
    _store(database, analysis)
    with database.session(write=True) as session:
        event = session.exec(select(Event)).one()
        event.origin = "curated"
        session.add(event)
    fewer = Analysis(analysis.document, dataclasses.replace(analysis.extraction, events=[]))
    _store(database, fewer, force=True)
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(Event)).one() == 1


@pytest.mark.parametrize("kind", ["person", "organisation"])
def test_force_on_a_shared_record_keeps_it(database: Any, kind: str) -> None:
    _store(database, _case_analysis())
    second = CASE_TEXT.replace("Activist sentenced", "Another report")
    _store(database, _case_analysis(second))
    with database.session() as session:
        first_source = session.exec(select(Source).order_by(Source.id)).first()
    analysis = _case_analysis()
    _store(database, Analysis(analysis.document, Extraction()), force=True)
    with database.session() as session:
        model = Person if kind == "person" else Organisation
        assert session.exec(select(func.count()).select_from(model)).one() == 1
        assert not list(session.exec(select(Citation).where(Citation.source_id == first_source.id)))


def test_a_membership_names_an_organisation_the_article_did_not_list(database: Any) -> None:
    text = "Lawyer detained\n\nLawyer Aigul Sadykova of the Legal Clinic Adilet was detained."
    sentence = "Lawyer Aigul Sadykova of the Legal Clinic Adilet was detained."
    person = PersonMention(
        "Aigul Sadykova",
        memberships=[MembershipMention("Legal Clinic Adilet", "lawyer")],
        quote=_quote(text, sentence),
    )
    result = _store(database, Analysis(_document(text), Extraction(persons=[person])))
    assert result.new["organisations"] == 1 and result.new["memberships"] == 1
    with database.session() as session:
        organisation = session.exec(select(Organisation)).one()
        assert organisation.name == "Legal Clinic Adilet"
        cited = set(session.exec(select(Citation.record_type)))
        assert {"person", "organisation", "membership"} <= cited


def test_an_organisation_abbreviation_resolves_to_the_same_record(database: Any) -> None:
    text_a = "Report\n\nThe International Federation for Human Rights (FIDH) condemned the verdict."
    sentence_a = "The International Federation for Human Rights (FIDH) condemned the verdict."
    first = OrganisationMention(
        "International Federation for Human Rights",
        aliases=["FIDH"],
        kind="ngo",
        quote=_quote(text_a, sentence_a),
    )
    _store(database, Analysis(_document(text_a), Extraction(organisations=[first])))
    text_b = "Appeal\n\nFIDH called for the release of the defenders."
    second = OrganisationMention(
        "FIDH", kind="ngo", quote=_quote(text_b, "FIDH called for the release of the defenders.")
    )
    result = _store(database, Analysis(_document(text_b), Extraction(organisations=[second])))
    assert result.matched["organisations"] == 1 and not result.new
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(Organisation)).one() == 1


def test_a_case_named_after_a_person_resolves_across_scripts(database: Any) -> None:
    def article(text: str, person: str, sentence: str) -> Analysis:
        quote = _quote(text, sentence)
        case = CaseMention(f"Case of {person}", parties=[PartyMention(person, "defendant")], quote=quote)
        return Analysis(_document(text), Extraction([PersonMention(person, quote=quote)], [], [case]))

    english = "Verdict\n\nAles Bialiatski was sentenced."
    russian = "Приговор\n\nАлесь Беляцкий осуждён."
    _store(database, article(english, "Ales Bialiatski", "Ales Bialiatski was sentenced."))
    result = _store(database, article(russian, "Алесь Беляцкий", "Алесь Беляцкий осуждён."))
    assert result.matched["cases"] == 1 and not result.new
    with database.session() as session:
        assert [c.name for c in session.exec(select(Case))] == ["Case of Ales Bialiatski"]
        assert session.exec(select(func.count()).select_from(CaseParty)).one() == 1


# --- a person's own case --------------------------------------------------------------------

OWN_CASE_ENGLISH = """Belarus: rights defender held

Human rights defender Ales Bialiatski, chairman of the Human Rights Center "Viasna", remains in prison in Belarus. Amnesty International called for the release of Ales Bialiatski.
"""
OWN_CASE_RUSSIAN = """Алеся Беляцкого перевели в колонию в Горках

Председатель Правозащитного центра «Весна» Алесь Беляцкий отбывает наказание в исправительной колонии в Горках.

В марте 2023 года суд приговорил Алеся Беляцкого к 10 годам лишения свободы по ч. 4 ст. 228 УК.
"""


def _cases(database: Any) -> list[Case]:
    with database.session() as session:
        return list(session.exec(select(Case).order_by(Case.id)))  # type: ignore[arg-type]


def test_own_cases_in_other_words_and_scripts_are_one_case(database: Any) -> None:
    english = _analysed(OWN_CASE_ENGLISH)
    assert [c.name for c in english.extraction.cases] == ["Detention of Ales Bialiatski"]
    _store(database, english)
    result = _store(database, _analysed(OWN_CASE_RUSSIAN, language="ru"))
    assert result.matched["cases"] == 1 and "cases" not in result.new
    [case] = _cases(database)
    assert (case.name, case.status, case.country) == ("Detention of Ales Bialiatski", "convicted", "BY")
    with database.session() as session:
        roles = sorted(session.exec(select(CaseParty.role)))
        assert roles == ["defendant", "detainee"]
        assert session.exec(select(func.count()).select_from(Charge)).one() == 1


def test_an_own_case_keeps_its_first_name_and_gains_a_missing_country(database: Any) -> None:
    _store(database, _analysed(OWN_CASE_RUSSIAN, language="ru"))
    assert [(c.name, c.country) for c in _cases(database)] == [("Case of Алесь Беляцкий", None)]
    _store(database, _analysed(OWN_CASE_ENGLISH))
    [case] = _cases(database)
    assert (case.name, case.status, case.country) == ("Case of Алесь Беляцкий", "convicted", "BY")


def _own_case_article(text: str, case_name: str, person: str, role: str, status: str) -> Analysis:
    sentence = text.splitlines()[-1]
    quote = _quote(text, sentence)
    case = CaseMention(
        case_name, country="BY", status=status, parties=[PartyMention(person, role)], quote=quote
    )
    return Analysis(
        _document(text), Extraction([PersonMention(person, country="BY", quote=quote)], [], [case])
    )


def test_a_curated_status_is_never_overwritten_by_an_own_case(database: Any) -> None:
    _store(
        database,
        _own_case_article(
            "Held\n\nPolice detained Ales Bialiatski.",
            "Detention of Ales Bialiatski",
            "Ales Bialiatski",
            "detainee",
            "detained",
        ),
    )
    with database.session(write=True) as session:
        case = session.exec(select(Case)).one()
        case.status = "released"
        case.curated_fields = json.dumps(["status"])
    result = _store(
        database,
        _own_case_article(
            "Verdict\n\nAles Bialiatski's case ended with a sentence.",
            "Case of Ales Bialiatski",
            "Ales Bialiatski",
            "defendant",
            "convicted",
        ),
    )
    assert result.conflicts == 1
    [case] = _cases(database)
    assert (case.name, case.status) == ("Detention of Ales Bialiatski", "released")


def test_a_weaker_signal_does_not_lower_an_own_case_status(database: Any) -> None:
    _store(
        database,
        _own_case_article(
            "Verdict\n\nAles Bialiatski was sentenced.",
            "Case of Ales Bialiatski",
            "Ales Bialiatski",
            "defendant",
            "convicted",
        ),
    )
    _store(
        database,
        _own_case_article(
            "Appeal\n\nFree Ales Bialiatski, held in custody.",
            "Ales Bialiatski's case",
            "Ales Bialiatski",
            "detainee",
            "detained",
        ),
    )
    assert [(c.name, c.status) for c in _cases(database)] == [("Case of Ales Bialiatski", "convicted")]


def test_a_named_case_is_never_merged_with_an_own_case(database: Any) -> None:
    _store(
        database,
        _own_case_article(
            "Trial\n\nAles Bialiatski stood trial in the Viasna case.",
            "Viasna case",
            "Ales Bialiatski",
            "defendant",
            "on_trial",
        ),
    )
    _store(
        database,
        _own_case_article(
            "Verdict\n\nAles Bialiatski was sentenced.",
            "Case of Ales Bialiatski",
            "Ales Bialiatski",
            "defendant",
            "convicted",
        ),
    )
    assert [(c.name, c.status) for c in _cases(database)] == [
        ("Viasna case", "on_trial"),
        ("Case of Ales Bialiatski", "convicted"),
    ]


def test_an_own_case_of_another_person_is_not_reused(database: Any) -> None:
    _store(
        database,
        _own_case_article(
            "Verdict\n\nAles Bialiatski was sentenced.",
            "Case of Ales Bialiatski",
            "Ales Bialiatski",
            "defendant",
            "convicted",
        ),
    )
    _store(
        database,
        _own_case_article(
            "Held\n\nPolice detained Valiantsin Stefanovic.",
            "Detention of Valiantsin Stefanovic",
            "Valiantsin Stefanovic",
            "detainee",
            "detained",
        ),
    )
    assert [c.name for c in _cases(database)] == [
        "Case of Ales Bialiatski",
        "Detention of Valiantsin Stefanovic",
    ]


def test_seed_articles_leave_bialiatski_one_own_case(database: Any, seeds_dir: Path) -> None:
    from casetrack.ingest import pipeline
    from casetrack.ingest.read import iter_inputs

    repo_seeds = Path(__file__).resolve().parents[2] / "seeds" / "articles"
    inputs = [*iter_inputs([str(repo_seeds)]), *(str(seeds_dir / name) for name in SEEDS)]
    for target in inputs:
        _store(database, pipeline.analyse(target))
    with database.session() as session:
        bialiatski = [p for p in _live_persons(session) if p.name_key == "ales bialiatski"]
        assert len(bialiatski) == 1
        cases = session.exec(
            select(Case.name, Case.country)
            .join(CaseParty, CaseParty.case_id == Case.id)  # type: ignore[arg-type]
            .where(CaseParty.person_id == bialiatski[0].id)
            .distinct()
        ).all()
    assert [tuple(c) for c in cases] == [("Case of Ales Bialiatski", "BY")]


# --- phonetic keys --------------------------------------------------------------------------


def _candidate_ids(database: Any, *names: str) -> list[int]:
    from casetrack.ingest.names import NameProfile
    from casetrack.store.ingest import _candidates_now

    with database.session() as session:
        return sorted(c.record_id for c in _candidates_now(session, "person", NameProfile(list(names))))


def test_a_person_is_found_by_the_phonetic_key_of_any_spelling(database: Any) -> None:
    from casetrack.store.ingest import BUCKET_LIMIT

    with database.session(write=True) as session:
        yurii = Person(
            name="Yurii Ivanov", name_key="yurii ivanov", phonetic_key=phonetic_key("Yurii Ivanov")
        )
        session.add(yurii)
        decoys = [f"Ri B{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(BUCKET_LIMIT + 100)]
        session.add_all(Person(name=n, name_key=n.lower(), phonetic_key=phonetic_key(n)) for n in decoys)
        session.flush()
        yurii_id = yurii.id
    assert phonetic_key("Юрий Иванов") == phonetic_key("Iurii Ivanov") == yurii.phonetic_key
    assert _candidate_ids(database, "Юрий Иванов") == [yurii_id]
    assert _candidate_ids(database, "Iurii Ivanov") == [yurii_id]


def test_stored_persons_organisations_and_aliases_carry_phonetic_keys(database: Any) -> None:
    _store(database, _analysed(OWN_CASE_RUSSIAN, language="ru"))
    _store(database, _analysed(OWN_CASE_ENGLISH))
    with database.session() as session:
        for model in (Person, Organisation, PersonAlias, OrganisationAlias):
            rows = session.exec(select(model.name, model.phonetic_key)).all()  # type: ignore[attr-defined]
            assert rows and all(key == phonetic_key(name) for name, key in rows), model
        assert session.exec(select(func.count()).select_from(Person)).one() == 1


# --- cost per article -----------------------------------------------------------------------


def test_statements_per_article_are_bounded_by_its_facts(database: Any, seeds_dir: Path) -> None:
    """Storing costs a few statements per fact: lookups batched, citations and search documents in bulk."""
    from sqlalchemy import event

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    for name in SEEDS:
        analysis = _seed(seeds_dir, name)
        found = analysis.extraction
        facts = len(found.persons) + len(found.organisations) + len(found.cases) + len(found.events)
        statements.clear()
        event.listen(database.engine, "before_cursor_execute", count)
        try:
            result = _store(database, analysis)
        finally:
            event.remove(database.engine, "before_cursor_execute", count)
        assert result.status == INGESTED and result.citations > 1
        assert len(statements) <= 14 + 2 * facts, (name, len(statements), facts)
        inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO CITATION")]
        assert len(inserts) == 1, name


def _undated_events(title: str, *summaries: tuple[str, str]) -> Analysis:
    """An article whose undated events are (kind, summary), each summary quoted from the text."""
    text = title + "\n\n" + " ".join(f"{summary}." for _, summary in summaries)
    events = [EventMention(kind, summary=summary, quote=_quote(text, summary)) for kind, summary in summaries]
    return Analysis(_document(text), Extraction(events=events))


def test_undated_events_match_by_kind_and_words_across_articles(database: Any) -> None:
    petition = ("other", "Amnesty International launched a petition for her release")
    _store(database, _undated_events("First", petition, ("protest", "Supporters gathered outside the court")))
    second = _store(
        database,
        _undated_events(
            "Second",
            petition,
            ("statement", "Supporters gathered outside the court"),
            petition,
        ),
    )
    assert (second.new["events"], second.matched["events"]) == (1, 2)
    with database.session() as session:
        rows = session.exec(select(Event.id, Event.kind, Event.summary).order_by(Event.id)).all()  # type: ignore[arg-type]
        assert [(kind, summary) for _, kind, summary in rows] == [
            petition,
            ("protest", "Supporters gathered outside the court"),
            ("statement", "Supporters gathered outside the court"),
        ]
        cited = session.exec(select(Citation.source_id).where(Citation.record_id == rows[0][0])).all()
        assert sorted(cited) == [1, 2]  # one citation per quoted sentence and source
