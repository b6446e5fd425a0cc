"""store/curate: validated edits through the audit recorder, merges by judgement, exact undo."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from casetrack.errors import Ambiguous, Conflict, NotFound
from casetrack.ingest.names import name_key
from casetrack.models import (
    AuditEntry,
    CaseParty,
    Charge,
    Citation,
    Event,
    EventParticipant,
    Judgement,
    MatchCandidate,
    Membership,
    Person,
    PersonAlias,
)
from casetrack.store import audit, curate
from tests.records import build_record

#: The tables a curated change may touch, compared row by row to prove "exactly as it was".
FACT_TABLES = (
    Person,
    PersonAlias,
    Citation,
    CaseParty,
    Membership,
    Charge,
    Event,
    EventParticipant,
)


def state(database, *, ignore: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    """Every row of the fact tables (minus ``ignore`` columns), in id order."""
    with database.session() as session:
        return {
            model.__tablename__: sorted(
                (
                    {k: v for k, v in audit.row_dict(row).items() if k not in ignore}
                    for row in session.exec(select(model))
                ),
                key=lambda r: r["id"],
            )
            for model in FACT_TABLES
        }


@pytest.fixture
def record(database):
    return build_record(database)


@pytest.fixture
def duplicate(database, record) -> int:
    """A second record of Rita with its own alias, citation, party, membership, charge and event."""
    with database.session(write=True) as session:
        dup = Person(name="Rita Karassartova", name_key=name_key("Rita Karassartova"), country="KG")
        session.add(dup)
        session.flush()
        session.add_all(
            [
                PersonAlias(person_id=dup.id, name="Рита Карасартова", key=name_key("Рита Карасартова")),
                PersonAlias(person_id=dup.id, name="Rita K.", key=name_key("Rita K.")),
                Citation(
                    source_id=record.source_viasna,
                    record_type="person",
                    record_id=dup.id,
                    quote="Café owners signed.",
                ),
                CaseParty(case_id=record.case, person_id=dup.id, role="detainee"),
                CaseParty(case_id=record.case, person_id=dup.id, role="defendant"),  # Rita is one too
                EventParticipant(event_id=record.events["arrest"], person_id=dup.id, role="subject"),
                Membership(person_id=dup.id, organisation_id=record.amnesty, role="supporter"),
                Charge(case_id=record.case, person_id=dup.id, description="organising riots"),
                EventParticipant(event_id=record.events["undated"], person_id=dup.id, role="subject"),
            ]
        )
        session.flush()
        twin_party = session.exec(
            select(CaseParty).where(CaseParty.person_id == dup.id, CaseParty.role == "defendant")
        ).one()
        session.add(
            Citation(
                source_id=record.source_viasna,
                record_type="case_party",
                record_id=twin_party.id,
                quote="Алесь Беляцкий, head of Viasna",
            )
        )
        return int(dup.id or 0)


def _write(database, fn, *args, **kwargs):
    with database.session(write=True) as session:
        return fn(session, *args, **kwargs)


# --- Editing --------------------------------------------------------------------------------


def test_add_person_is_curated_with_aliases_and_logged(database):
    change = _write(
        database,
        curate.add,
        "person",
        {"name": "Aigul Temirova", "country": "kg"},
        "alice",
        aliases=["Айгуль"],
    )
    with database.session() as session:
        person = session.get(Person, change.record_id)
        assert (person.origin, person.country, person.name_key) == ("curated", "KG", "aigul temirova")
        assert json.loads(person.curated_fields) == ["country", "name"]
        entries = session.exec(select(AuditEntry).where(AuditEntry.change_id == change.change_id)).all()
        assert {(e.action, e.record_type, e.actor) for e in entries} == {
            ("create", "person", "alice"),
            ("create", "person_alias", "alice"),
        }
        alias = session.exec(select(PersonAlias).where(PersonAlias.person_id == person.id)).one()
        assert (alias.script, alias.origin) == ("Cyrl", "curated")


def test_edit_keeps_derived_columns_in_sync(database, record):
    _write(database, curate.edit, "person", "Rita Karasartova", {"name": "Rita Karasartova-Ulu"}, "bob")
    _write(database, curate.edit, "event", str(record.events["arrest"]), {"date": "2022-10"}, "bob")
    with database.session() as session:
        rita = session.get(Person, record.rita)
        assert rita.name_key == "rita karasartova ulu"
        assert "name" in json.loads(rita.curated_fields)
        event = session.get(Event, record.events["arrest"])
        assert (event.date, event.date_precision, event.date_min, event.date_max) == (
            "2022-10",
            "month",
            "2022-10-01",
            "2022-10-31",
        )
        assert json.loads(event.curated_fields) == ["date"]


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        ("person", {"height": "2m"}, "unknown person field 'height' (fields: name, description"),
        ("person", {"birth_date": "31 February"}, "YYYY, YYYY-MM, YYYY-MM-DD"),
        ("person", {"birth_date": "2023-02-30"}, "impossible date"),
        ("case", {"status": "jailed"}, "status 'jailed' is not one of: investigation, detained"),
        ("organisation", {"kind": "club"}, "ngo, media, court"),
        ("person", {"country": "Kyrgyzstan"}, "two-letter ISO code"),
        ("person", {"name": ""}, "person name cannot be empty"),
    ],
)
def test_invalid_values_change_nothing(database, record, kind, values, expected):
    before = state(database)
    ref = "Rita Karasartova" if kind == "person" else ("Kempir" if kind == "case" else "Amnesty")
    with pytest.raises(curate.InvalidFields) as caught:
        _write(database, curate.edit, kind, ref, values, "alice")
    assert expected in str(caught.value)
    assert state(database) == before
    with database.session() as session:
        assert session.exec(select(AuditEntry)).first() is None


def test_every_problem_is_listed_at_once(database, record):
    with pytest.raises(curate.InvalidFields) as caught:
        _write(database, curate.edit, "person", "#1", {"foo": "x", "birth_date": "May"}, "alice")
    assert len(caught.value.errors) == 2


def test_ambiguous_prefix_lists_candidates(database, record):
    _write(database, curate.add, "person", {"name": "Rita Sultanova"}, "alice")
    with pytest.raises(Ambiguous) as caught:
        _write(database, curate.edit, "person", "Rita", {"country": "KZ"}, "alice")
    assert "Rita Karasartova" in str(caught.value) and "Rita Sultanova" in str(caught.value)


def test_delete_and_undo_restore_every_row(database, record, duplicate):
    before = state(database, ignore=("updated_at",))  # a charge's person is unset, then set back
    change = _write(database, curate.delete, "person", f"#{duplicate}", "alice")
    with database.session() as session:
        assert session.get(Person, duplicate) is None
        assert session.exec(select(Charge).where(Charge.person_id == duplicate)).first() is None
    _write(database, audit.undo, "alice", change.change_id)
    assert state(database, ignore=("updated_at",)) == before


def test_link_charge_and_event(database, record):
    _write(database, curate.add, "person", {"name": "Aigul Temirova"}, "alice")
    _write(database, curate.link_case, "person", "Aigul", "Kempir", "lawyer", "alice")
    with pytest.raises(Conflict):
        _write(database, curate.link_case, "person", "Aigul", "Kempir", "lawyer", "alice")
    _write(database, curate.link_org, "Aigul", "Amnesty", "alice", role="researcher", start="2019-04")
    charge = _write(
        database,
        curate.add_charge,
        "Viasna case",
        {"person": "Aigul", "article": "342", "date": "2021"},
        "alice",
    )
    event = _write(
        database,
        curate.add_event,
        {"kind": "hearing", "date": "--07-04", "summary": "Hearing", "case": "Viasna case"},
        "alice",
        persons=["Aigul"],
    )
    with database.session() as session:
        row = session.get(Charge, charge.record_id)
        assert (row.article, row.article_raw, row.date_precision) == ("Art. 342", "342", "year")
        parties = session.exec(select(CaseParty.role).where(CaseParty.case_id == row.case_id)).all()
        assert "defendant" in parties
        hearing = session.get(Event, event.record_id)
        assert (hearing.date, hearing.date_min, hearing.origin) == ("--07-04", None, "curated")
        membership = session.exec(select(Membership).where(Membership.role == "researcher")).one()
        assert membership.start_precision == "month"


# --- Merges ---------------------------------------------------------------------------------


def test_merge_moves_everything_and_unmerge_restores_exactly(database, record, duplicate):
    before = state(database)
    result = _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol")
    with database.session() as session:
        assert session.get(Person, duplicate).merged_into_id == record.rita
        aliases = set(
            session.exec(select(PersonAlias.name).where(PersonAlias.person_id == record.rita)).all()
        )
        assert aliases == {"Рита Карасартова", "Rita K.", "Rita Karassartova"}
        for model in (CaseParty, Membership, Charge, EventParticipant):
            assert session.exec(select(model).where(model.person_id == duplicate)).first() is None
        cited = session.exec(
            select(Citation.record_id).where(
                Citation.record_type == "person", Citation.quote == "Café owners signed."
            )
        ).one()
        assert cited == record.rita
        judgement = session.get(Judgement, result.judgement_id)
        moved = json.loads(judgement.moved)
        assert (judgement.kind, judgement.actor, judgement.kept_id, judgement.merged_id) == (
            "positive",
            "carol",
            record.rita,
            duplicate,
        )
        assert len(moved["case_party"]) == 1 and len(moved["citation"]) == 1
        assert sorted(r["type"] for r in moved["removed"]) == [
            "case_party",
            "event_participant",
            "person_alias",
        ]
        parties = session.exec(select(CaseParty).where(CaseParty.person_id == record.rita)).all()
        assert sorted(p.role for p in parties) == ["defendant", "detainee"]  # one defendant, not two
        defendant = next(p for p in parties if p.role == "defendant")
        party_quotes = session.exec(
            select(Citation.quote).where(
                Citation.record_type == "case_party", Citation.record_id == defendant.id
            )
        ).all()
        assert "Алесь Беляцкий, head of Viasna" in party_quotes
    _write(database, curate.unmerge, "person", f"#{duplicate}", "carol")
    assert state(database) == before
    with database.session() as session:
        assert session.get(Judgement, result.judgement_id).undone_at is not None


def test_undo_of_a_merge_restores_exactly(database, record, duplicate):
    before = state(database)
    result = _write(database, curate.merge, "person", "#1", f"#{duplicate}", "carol")
    undone = _write(database, audit.undo, "carol")
    assert undone.undone == result.change_id
    assert state(database) == before
    lines = _write(database, curate.log, person=f"#{record.rita}")
    assert [line.action for line in lines[:4]] == ["unmerge", "unmerge", "merge", "merge"]


def test_merge_refuses_itself_and_merged_records(database, record, duplicate):
    with pytest.raises(Conflict, match="same record"):
        _write(database, curate.merge, "person", "Ales Bialiatski", "Алесь Беляцкий", "carol")
    with pytest.raises(Conflict, match="already merged"):
        _write(database, curate.merge, "person", f"#{duplicate}", f"#{record.merged}", "carol")
    with pytest.raises(NotFound):
        _write(database, curate.unmerge, "person", "Ales Bialiatski", "carol")


# --- Review ---------------------------------------------------------------------------------


def _candidate(database, left: int, right: int) -> int:
    with database.session(write=True) as session:
        candidate = MatchCandidate(
            record_type="person",
            left_id=left,
            right_id=right,
            score=0.78,
            evidence=json.dumps(["similar transliteration", "shared case"]),
        )
        session.add(candidate)
        session.flush()
        return int(candidate.id or 0)


def test_review_lists_accepts_and_rejects(database, record, duplicate):
    first = _candidate(database, record.rita, duplicate)
    second = _candidate(database, record.rita, record.ales)
    with database.session() as session:
        items = curate.review_items(session)
    assert [i.id for i in items] == [first, second]
    assert items[0].evidence == ("similar transliteration", "shared case")
    assert items[0].right.cases == ("Kempir-Abad case",) and items[0].left.sources == 1

    change_id = _write(database, curate.reject, second, "dan")
    result = _write(database, curate.accept, first, "dan")
    with database.session() as session:
        assert session.get(MatchCandidate, second).status == "rejected"
        assert session.get(MatchCandidate, first).status == "accepted"
        negative = session.exec(select(Judgement).where(Judgement.kind == "negative")).one()
        assert (negative.kept_id, negative.merged_id, negative.score) == (record.rita, record.ales, 0.78)
        assert session.get(Judgement, result.judgement_id).score == 0.78
        assert curate.review_items(session) == []
    _write(database, audit.undo, "dan", change_id)
    _write(database, audit.undo, "dan", result.change_id)
    with database.session() as session:
        assert {c.status for c in session.exec(select(MatchCandidate))} == {"pending"}
        assert session.get(Person, duplicate).merged_into_id is None


# --- Judged different -----------------------------------------------------------------------


def _judgements(database) -> list[tuple[str, int, int, bool]]:
    with database.session() as session:
        return [
            (j.kind, j.kept_id, j.merged_id, j.undone_at is None)
            for j in session.exec(select(Judgement).order_by(Judgement.id))
        ]


def _rejected(database, ids) -> set[frozenset[int]]:
    with database.session() as session:
        return curate.rejected_pairs(session, "person", ids)


def test_merge_refuses_a_rejected_pair_until_forced_and_unmerge_restores_the_rejection(
    database, record, duplicate
):
    _write(database, curate.reject, _candidate(database, record.rita, duplicate), "dan")
    before = state(database)
    with pytest.raises(
        Conflict, match=r"judged different by dan on \d{4}-\d\d-\d\d .*judgement #1"
    ) as refused:
        _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol")
    assert f"merge {record.rita} {duplicate} --force" in str(refused.value)
    assert state(database) == before
    assert _rejected(database, [duplicate]) == {frozenset((record.rita, duplicate))}

    forced = _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol", force=True)
    assert _judgements(database) == [
        ("negative", record.rita, duplicate, False),
        ("positive", record.rita, duplicate, True),
    ]
    assert _rejected(database, [record.rita]) == set()
    with database.session() as session:
        merge_entry = session.exec(
            select(AuditEntry).where(AuditEntry.change_id == forced.change_id, AuditEntry.action == "merge")
        ).first()
        assert json.loads(merge_entry.new_value)["overrides"] == [1]

    _write(database, curate.unmerge, "person", f"#{duplicate}", "carol")
    assert state(database) == before
    assert _judgements(database)[0] == ("negative", record.rita, duplicate, True)
    with pytest.raises(Conflict, match="judged different"):
        _write(database, curate.merge, "person", f"#{duplicate}", f"#{record.rita}", "carol")


def test_undo_of_a_forced_merge_puts_the_rejection_back(database, record, duplicate):
    _write(database, curate.distinct, "person", f"#{record.rita}", f"#{duplicate}", "dan")
    _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol", force=True)
    _write(database, audit.undo, "carol")
    assert _rejected(database, [record.rita]) == {frozenset((record.rita, duplicate))}
    with pytest.raises(Conflict, match="judged different"):
        _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol")


def test_distinct_records_a_negative_judgement_and_rejects_the_pending_candidate(database, record, duplicate):
    candidate = _candidate(database, duplicate, record.rita)
    judged = _write(database, curate.distinct, "person", f"{record.rita}", f"#{duplicate}", "dan")
    assert (judged.left, judged.right) == (
        f"#{record.rita} Rita Karasartova (KG)",
        f"#{duplicate} Rita Karassartova (KG)",
    )
    with database.session() as session:
        assert session.get(MatchCandidate, candidate).status == "rejected"
        assert session.get(Judgement, judged.judgement_id).score == 0.78
    with pytest.raises(Conflict, match="judged different by dan"):
        _write(database, curate.distinct, "person", f"#{duplicate}", f"#{record.rita}", "dan")
    with pytest.raises(Conflict, match="one record"):
        _write(database, curate.distinct, "person", "Ales Bialiatski", "Алесь Беляцкий", "dan")

    _write(database, audit.undo, "dan", judged.change_id)
    with database.session() as session:
        assert session.get(MatchCandidate, candidate).status == "pending"
    assert _rejected(database, [record.rita, duplicate]) == set()
    _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol")


def test_a_judgement_holds_for_what_is_merged_into_either_record(database, record, duplicate):
    _write(database, curate.distinct, "person", f"#{record.ales}", f"#{duplicate}", "dan")
    _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol")
    # the duplicate now lives on as Rita: the pair is (Ales, Rita), asked from either side
    assert _rejected(database, [record.ales]) == {frozenset((record.ales, record.rita))}
    assert _rejected(database, [record.rita, 999]) == {frozenset((record.ales, record.rita))}
    assert _rejected(database, []) == set()
    with pytest.raises(Conflict, match=rf"judgement #1, about #{record.ales} and #{duplicate}"):
        _write(database, curate.merge, "person", f"#{record.ales}", f"#{record.rita}", "carol")


def test_undo_of_an_unmerge_refuses_a_pair_judged_different_since(database, record, duplicate):
    _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol")
    unmerged = _write(database, curate.unmerge, "person", f"#{duplicate}", "carol")
    _write(database, curate.distinct, "person", f"#{record.rita}", f"#{duplicate}", "dan")
    before = state(database)
    with pytest.raises(Conflict, match=r"cannot redo the merge: .*judged different by dan"):
        _write(database, audit.undo, "carol", unmerged.change_id)
    assert state(database) == before


def test_undo_of_the_unmerge_of_a_forced_merge_forces_it_again(database, record, duplicate):
    _write(database, curate.distinct, "person", f"#{record.rita}", f"#{duplicate}", "dan")
    _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol", force=True)
    unmerged = _write(database, curate.unmerge, "person", f"#{duplicate}", "carol")
    _write(database, audit.undo, "carol", unmerged.change_id)
    with database.session() as session:
        assert session.get(Person, duplicate).merged_into_id == record.rita
    assert [live for kind, *_, live in _judgements(database) if kind == "negative"] == [False]


def test_a_rejection_set_aside_by_a_forced_merge_is_not_undone_behind_its_back(database, record, duplicate):
    judged = _write(database, curate.distinct, "person", f"#{record.rita}", f"#{duplicate}", "dan")
    _write(database, curate.merge, "person", f"#{record.rita}", f"#{duplicate}", "carol", force=True)
    with pytest.raises(Conflict, match="forced merge set judgement #1 aside"):
        _write(database, audit.undo, "dan", judged.change_id)
    _write(database, curate.unmerge, "person", f"#{duplicate}", "carol")
    _write(database, audit.undo, "dan", judged.change_id)
    assert _rejected(database, [record.rita]) == set()
