"""Listings, filters, show views and timelines over a record built from model rows."""

from __future__ import annotations

import pytest

from casetrack.errors import InvalidValue, NotFound
from casetrack.store import query
from casetrack.store.query import Filters
from tests.records import build_record


@pytest.fixture
def record(database):
    return build_record(database)


def _names(rows):
    return [r.name for r in rows]


def test_merged_person_is_hidden_and_filters_combine(database, record):
    with database.session() as s:
        assert _names(query.list_persons(s, Filters())) == ["Ales Bialiatski", "Rita Karasartova"]
        assert _names(query.list_persons(s, Filters(country="kg", role="defendant"))) == ["Rita Karasartova"]
        assert _names(query.list_persons(s, Filters(country="BY", role="defendant", status="on_trial"))) == []
        assert _names(query.list_persons(s, Filters(charge="326"))) == ["Rita Karasartova"]
        assert _names(query.list_persons(s, Filters(charge="smuggling", status="convicted"))) == [
            "Ales Bialiatski"
        ]
        assert _names(query.list_persons(s, Filters(org="Viasna"))) == ["Ales Bialiatski"]
        assert _names(query.list_persons(s, Filters(q="Беляцкий"))) == ["Ales Bialiatski"]
        assert _names(query.list_persons(s, Filters(q="bialacki"))) == ["Ales Bialiatski"]
        assert _names(query.list_persons(s, Filters(kind="petition"))) == ["Rita Karasartova"]
        assert _names(query.list_persons(s, Filters(source="https://spring96.org/en/news/1"))) == [
            "Ales Bialiatski"
        ]
        assert _names(query.list_persons(s, Filters(sort="-name", limit=1))) == ["Rita Karasartova"]
        assert _names(query.list_persons(s, Filters(limit=1, offset=1))) == ["Rita Karasartova"]


def test_cases_orgs_sources_filters(database, record):
    with database.session() as s:
        assert _names(query.list_cases(s, Filters(country="KG", status="on_trial"))) == ["Kempir-Abad case"]
        assert _names(query.list_cases(s, Filters(country="KG", status="convicted"))) == []
        assert _names(query.list_cases(s, Filters(charge="Art. 228"))) == ["Viasna case"]
        assert _names(query.list_cases(s, Filters(person="Рита Карасартова"))) == ["Kempir-Abad case"]
        assert _names(query.list_orgs(s, Filters(kind="court"))) == ["Pervomaisky District Court"]
        assert _names(query.list_orgs(s, Filters(q="вясна"))) == ["Viasna"]
        assert [r.url for r in query.list_sources(s, Filters(case="Kempir-Abad case"))] == [
            "https://24.kg/english/293644/"
        ]


def test_since_until_is_precision_aware(database, record):
    with database.session() as s:
        may = query.list_events(s, Filters(since="2024-05-01", until="2024-05-31"))
        assert [(e.kind, e.uncertain) for e in may] == [("trial", True), ("petition", False)]
        day = query.list_events(s, Filters(since="2024-05-10", until="2024-05-10"))
        assert [(e.kind, e.uncertain) for e in day] == [("trial", True), ("petition", True)] or [
            (e.kind, e.uncertain) for e in day
        ] == [("petition", True), ("trial", True)]
        assert "uncertain" in day[0].date_display
        year = query.list_events(s, Filters(since="2024", until="2024"))
        assert {e.kind for e in year} == {"petition", "trial"}
        assert all(not e.uncertain for e in year)
        assert query.list_events(s, Filters(since="2025")) == []
        with pytest.raises(InvalidValue):
            query.list_events(s, Filters(since="--07-04"))


def test_timeline_keeps_undated_apart(database, record):
    with database.session() as s:
        line = query.timeline(s)
        assert [e.kind for e in line.dated] == ["arrest", "sentence", "trial", "petition"]
        assert {e.kind for e in line.undated} == {"protest", "statement"}
        protest = next(e for e in line.undated if e.kind == "protest")
        assert protest.date.display() == "4 July, year unknown"
        assert protest.citations[0].url == "https://24.kg/english/293644/"
        trial = next(e for e in line.dated if e.kind == "trial")
        assert trial.date.display() == "2024 (inferred)"
        ales = query.timeline(s, person="Ales Bialiatski")
        assert [e.kind for e in ales.dated] == ["sentence"] and [e.kind for e in ales.undated] == ["protest"]
        rita = query.timeline(s, person="Rita Karasartova", since="2024-05-01")
        assert [e.kind for e in rita.dated] == ["trial", "petition"]
        assert rita.undated == ()


def test_show_person_returns_plain_views_with_citations(database, record):
    with database.session() as s:
        view = query.show_person(s, "Rita Karasartova")
    assert view.aliases == ("Рита Карасартова",)
    assert view.source_count == 1
    [case] = view.cases
    assert (case.name, case.role, case.status) == ("Kempir-Abad case", "defendant", "on_trial")
    [charge] = case.charges
    assert charge.max_penalty == "15 years in prison" and charge.article == "Art. 326"
    assert charge.citations[0].sha256 and charge.citations[0].publisher == "24.kg"
    assert [e.kind for e in view.events] == ["petition", "trial", "arrest"]
    petition = view.events[0]
    assert petition.citations[0].quote.startswith("Amnesty International collected")
    assert {p.name for p in petition.participants} == {"Rita Karasartova", "Amnesty International"}


def test_show_merged_id_resolves_and_case_org_source(database, record):
    with database.session() as s:
        assert query.show_person(s, f"#{record.merged}").name == "Rita Karasartova"
        case = query.show_case(s, "Kempir-Abad case")
        assert [(p.name, p.role) for p in case.parties] == [
            ("Rita Karasartova", "defendant"),
            ("Pervomaisky District Court", "judge"),
        ]
        assert case.charges[0].article_raw == "Article 326 of the Criminal Code"
        assert [e.kind for e in case.timeline.dated] == ["arrest", "trial", "petition"]
        org = query.show_org(s, "Viasna")
        assert org.members[0].person_name == "Ales Bialiatski" and org.aliases == ("Вясна",)
        source = query.show_source(s, str(record.source_24kg))
        assert len(source.facts) == 8 and source.source.publisher == "24.kg"
        with pytest.raises(NotFound):
            query.show_person(s, "Nobody Atall")


def test_show_person_query_count_does_not_grow_with_rows(database, record):
    from sqlalchemy import event

    from casetrack.models import Citation, Event, EventParticipant

    statements = []
    event.listen(
        database.engine,
        "before_cursor_execute",
        lambda *a: statements.append(a[2]) if a[2].lstrip().upper().startswith("SELECT") else None,
    )
    with database.session() as s:
        query.show_person(s, "Rita Karasartova")  # warm-up: the first connection runs its own queries
        statements.clear()
        query.show_person(s, "Rita Karasartova")
    before = len(statements)
    with database.session(write=True) as s:
        for day in range(1, 21):
            e = Event(
                kind="hearing",
                date=f"2025-01-{day:02d}",
                date_precision="day",
                date_min=f"2025-01-{day:02d}",
                date_max=f"2025-01-{day:02d}",
                summary=f"hearing {day}",
            )
            s.add(e)
            s.flush()
            s.add(EventParticipant(event_id=e.id, person_id=record.rita))
            s.add(
                Citation(source_id=record.source_24kg, record_type="event", record_id=e.id, quote=f"q{day}")
            )
    statements.clear()
    with database.session() as s:
        view = query.show_person(s, "Rita Karasartova")
    assert len(view.events) == query.LATEST_EVENTS and all(e.citations for e in view.events)
    assert len(statements) <= before  # (one fewer here: the latest events have no case to name)


def test_latest_events_are_the_same_whether_found_by_sorting_or_by_walking_the_dates(
    database, record, monkeypatch
):
    from casetrack.models import Event, EventParticipant

    with database.session(write=True) as s:
        for day in (3, 1, 2):
            dated = Event(
                kind="hearing", date=f"2025-02-0{day}", date_precision="day", summary=f"hearing {day}"
            )
            dated.date_min = dated.date_max = dated.date
            undated = Event(kind="statement", date=None, date_precision="unknown", summary=f"statement {day}")
            s.add_all([dated, undated])
            s.flush()
            s.add_all(
                [
                    EventParticipant(event_id=dated.id, person_id=record.rita),
                    EventParticipant(event_id=undated.id, person_id=record.rita),
                ]
            )

    def latest() -> list[str]:
        with database.session() as s:
            return [e.summary for e in query.show_person(s, "Rita Karasartova").events]

    sorted_all = latest()
    monkeypatch.setattr(query, "MANY_EVENTS", 2)
    walked = latest()

    assert walked == sorted_all
    assert sorted_all[:3] == ["hearing 3", "hearing 2", "hearing 1"]
    assert sorted_all[-3:] == ["statement 2", "statement 1", "statement 3"]


def _cited_sources(session, refs) -> int:  # type: ignore[no-untyped-def]
    """The source count as one SQL query over the citations of every record a view shows."""
    from sqlalchemy import and_, func, or_, select

    from casetrack.tables import citation

    conditions = [
        and_(citation.c.record_type == kind, citation.c.record_id.in_(ids)) for kind, ids in refs if ids
    ]
    query = select(func.count(func.distinct(citation.c.source_id))).where(or_(*conditions))
    return int(session.connection().execute(query).scalar_one())


def _person_refs(session, view):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from casetrack.tables import case_party, membership

    def ids(table):  # type: ignore[no-untyped-def]
        query = select(table.c.id).where(table.c.person_id == view.id)
        return list(session.connection().execute(query).scalars())

    return [
        ("person", [view.id]),
        ("membership", ids(membership)),
        ("case_party", ids(case_party)),
        ("charge", [ch.id for c in view.cases for ch in c.charges]),
        ("event", [e.id for e in view.events]),
    ]


def test_source_counts_are_the_distinct_sources_of_everything_a_view_shows(database, record):
    from casetrack.models import Citation

    with database.session(write=True) as s:
        rita = query.show_person(s, "Rita Karasartova")
        # A second source also cites Rita as a party of her case.
        [party_id] = _person_refs(s, rita)[2][1]
        s.add(
            Citation(source_id=record.source_viasna, record_type="case_party", record_id=party_id, quote="q")
        )
    with database.session() as s:
        for name in ("Rita Karasartova", "Ales Bialiatski"):
            view = query.show_person(s, name)
            assert view.source_count == _cited_sources(s, _person_refs(s, view))
        assert query.show_person(s, "Rita Karasartova").source_count == 2
        org = query.show_org(s, "Amnesty International")
        assert org.source_count == _cited_sources(
            s, [("organisation", [org.id]), ("event", [e.id for e in org.events])]
        )
        assert org.source_count == 1
        for case_ref in ("Kempir-Abad case", "Viasna case"):
            case = query.show_case(s, case_ref)
            events = [e.id for e in (*case.timeline.dated, *case.timeline.undated)]
            refs = [("case", [case.id]), ("charge", [c.id for c in case.charges]), ("event", events)]
            assert case.source_count == _cited_sources(s, refs) >= 1


def test_views_compare_print_and_serialise_like_generated_dataclasses():
    import dataclasses

    from casetrack.render.data import to_plain

    row = query.PersonRow(1, "Rita", "KG", None, ("Рита",))
    assert row == query.PersonRow(1, "Rita", "KG", None, ("Рита",))
    assert row != query.PersonRow(2, "Rita", "KG", None, ("Рита",))
    assert row != query.CaseRow(1, "Rita", "KG", "unknown", None)
    assert repr(row) == "PersonRow(id=1, name='Rita', country='KG', description=None, aliases=('Рита',))"
    assert dataclasses.is_dataclass(row) and to_plain(row)["aliases"] == ["Рита"]
    with pytest.raises(TypeError):
        hash(row)
    with pytest.raises(AttributeError):
        row.nickname = "R"  # type: ignore[attr-defined]


def test_takes_part_in_many_means_more_than_many_events_rows(database, record, monkeypatch):
    from sqlalchemy import select

    from casetrack.tables import event_participant

    theirs = select(event_participant.c.event_id).where(event_participant.c.person_id == record.rita)
    with database.session() as s:
        rows = len(list(s.connection().execute(theirs)))
        assert rows >= 2
        for many, expected in ((rows - 1, True), (rows, False), (rows + 1, False)):
            monkeypatch.setattr(query, "MANY_EVENTS", many)
            assert query._takes_part_in_many(s, theirs) is expected
