"""casetrack person|org merge/unmerge, review, log and undo, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlmodel import select

from casetrack.ingest.names import name_key
from casetrack.models import (
    CaseParty,
    Citation,
    Judgement,
    MatchCandidate,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
)
from casetrack.store import audit
from tests.records import build_record

TABLES = (Person, PersonAlias, Organisation, OrganisationAlias, Citation, CaseParty, Membership)


def rows(database) -> dict[str, list[dict]]:
    with database.session() as session:
        return {
            m.__tablename__: sorted(
                (audit.row_dict(r) for r in session.exec(select(m))), key=lambda r: r["id"]
            )
            for m in TABLES
        }


@pytest.fixture
def record(database):
    return build_record(database)


@pytest.fixture
def twin(database, record) -> int:
    """'Rita Karasartowa': a duplicate of Rita with an alias, a citation, a case role and a membership."""
    with database.session(write=True) as session:
        twin = Person(name="Rita Karasartowa", name_key=name_key("Rita Karasartowa"))
        session.add(twin)
        session.flush()
        session.add_all(
            [
                PersonAlias(person_id=twin.id, name="Karasartowa", key=name_key("Karasartowa")),
                Citation(
                    source_id=record.source_viasna,
                    record_type="person",
                    record_id=twin.id,
                    quote="Café owners signed.",
                ),
                CaseParty(case_id=record.case, person_id=twin.id, role="detainee"),
                Membership(person_id=twin.id, organisation_id=record.amnesty, role="volunteer"),
            ]
        )
        return int(twin.id or 0)


def test_merge_shows_in_log_and_undo_brings_both_back(cli, database, record, twin):
    before = rows(database)
    merged = cli("person", "merge", "Rita Karasartova", "Rita Karasartowa", actor="anna")
    assert merged.exit_code == 0, merged.stderr
    assert merged.stdout.startswith(
        f"merged person #{twin} Rita Karasartowa into #{record.rita} Rita Karasartova"
    )

    shown = json.loads(cli("show", "person", "Rita Karasartova", "--format", "json").stdout)
    assert {"Karasartowa", "Rita Karasartowa"} <= set(shown["aliases"])
    assert {c["role"] for c in shown["cases"]} == {"defendant", "detainee"}
    assert {m["role"] for m in shown["memberships"]} == {"volunteer"}
    assert shown["source_count"] == 2
    assert (
        cli("show", "person", f"#{twin}", "--format", "json").stdout
        == cli("show", "person", "Rita Karasartova", "--format", "json").stdout
    )  # the old id leads to the kept record

    log = cli("log", "--person", "Rita Karasartova")
    assert "merge" in log.stdout and "anna" in log.stdout

    undone = cli("undo")
    assert undone.exit_code == 0, undone.stderr
    assert rows(database) == before
    assert (
        json.loads(cli("show", "person", f"#{twin}", "--format", "json").stdout)["name"] == "Rita Karasartowa"
    )


def test_unmerge_restores_and_is_logged(cli, database, record, twin):
    before = rows(database)
    assert cli("person", "merge", f"#{record.rita}", f"#{twin}").exit_code == 0
    unmerged = cli("person", "unmerge", f"#{twin}")
    assert unmerged.exit_code == 0 and unmerged.stdout.startswith("unmerged person")
    assert rows(database) == before
    entries = json.loads(cli("log", "--person", f"#{record.rita}", "--format", "json").stdout)
    assert [e["action"] for e in entries[:4]] == ["unmerge", "unmerge", "merge", "merge"]
    with database.session() as session:
        assert session.exec(select(Judgement)).one().undone_at is not None
    # undoing the unmerge merges them again
    assert cli("undo").exit_code == 0
    with database.session() as session:
        assert session.get(Person, twin).merged_into_id == record.rita


def test_merge_errors_are_one_line(cli, database, record, twin):
    result = cli("person", "merge", "Rita Karasartova", "Рита Карасартова")
    assert result.exit_code == 7 and "same record" in result.stderr
    result = cli("person", "merge", "Ales Bialiatski", f"#{record.merged}")
    assert result.exit_code == 7 and "already merged" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli("person", "merge", "Rita", "Ales Bialiatski").exit_code == 4  # two Ritas: ambiguous


def test_org_merge(cli, database, record):
    assert cli("org", "add", "Amnesty Intl", "--alias", "AI").exit_code == 0
    merged = cli("org", "merge", "Amnesty International", "Amnesty Intl")
    assert merged.exit_code == 0, merged.stderr
    shown = json.loads(cli("show", "org", "AI", "--format", "json").stdout)
    assert shown["name"] == "Amnesty International" and set(shown["aliases"]) == {"AI", "Amnesty Intl"}
    assert cli("org", "unmerge", "Amnesty International").exit_code == 0
    assert json.loads(cli("show", "org", "AI", "--format", "json").stdout)["name"] == "Amnesty Intl"


def _candidates(database, record, twin) -> tuple[int, int]:
    with database.session(write=True) as session:
        a = MatchCandidate(
            record_type="person",
            left_id=record.rita,
            right_id=twin,
            score=0.81,
            evidence=json.dumps(["similar transliteration 'Karasartova' ~ 'Karasartowa'", "shared case"]),
        )
        b = MatchCandidate(record_type="person", left_id=record.rita, right_id=record.ales, score=0.61)
        session.add_all([a, b])
        session.flush()
        return int(a.id or 0), int(b.id or 0)


def test_review_lists_candidates_with_evidence(cli, database, record, twin):
    first, second = _candidates(database, record, twin)
    listed = cli("review", "--list")
    assert listed.exit_code == 0
    assert "0.81" in listed.stdout and "shared case" in listed.stdout and "Rita Karasartowa" in listed.stdout
    as_json = json.loads(cli("review", "--list", "--format", "json").stdout)
    assert [i["id"] for i in as_json["candidates"]] == [first, second] and as_json["conflicts"] == []
    assert as_json["candidates"][0]["right"]["cases"] == ["Kempir-Abad case"]
    as_csv = list(csv.DictReader(io.StringIO(cli("review", "--format", "csv").stdout)))
    assert as_csv[0]["score"] == "0.81"


def test_review_table_names_a_single_record_type_in_its_title(cli, database, record, twin):
    _candidates(database, record, twin)
    listed = cli("review", "--list").stdout
    assert "merge candidates (person)" in listed
    assert "type" not in listed.splitlines()[2]


def test_review_accept_and_reject_with_flags(cli, database, record, twin):
    first, second = _candidates(database, record, twin)
    result = cli("review", "--accept", str(first), "--reject", str(second))
    assert result.exit_code == 0, result.stderr
    assert "merged person" in result.stdout and f"rejected candidate #{second}" in result.stdout
    with database.session() as session:
        assert session.get(Person, twin).merged_into_id == record.rita
        statuses = {c.id: c.status for c in session.exec(select(MatchCandidate))}
        assert statuses == {first: "accepted", second: "rejected"}
        kinds = sorted(j.kind for j in session.exec(select(Judgement)))
        assert kinds == ["negative", "positive"]
    assert "no merge candidates pending" in cli("review", "--list").stdout
    again = cli("review", "--reject", str(second))
    assert again.exit_code == 7 and "already rejected" in again.stderr


def test_review_interactive_prompts(cli, database, record, twin):
    first, second = _candidates(database, record, twin)
    result = cli("review", "--interactive", input="a\nr\n")
    assert result.exit_code == 0, result.stderr
    with database.session() as session:
        assert {c.id: c.status for c in session.exec(select(MatchCandidate))} == {
            first: "accepted",
            second: "rejected",
        }


def test_log_filters_and_formats(cli, database, record):
    assert cli("case", "edit", "Kempir", "--set", "status=convicted").exit_code == 0
    assert cli("person", "edit", "Ales Bialiatski", "--set", "description=Nobel laureate").exit_code == 0
    case_log = json.loads(cli("log", "--case", "Kempir", "--format", "json").stdout)
    assert [(e["field"], e["old"], e["new"]) for e in case_log] == [("status", "on_trial", "convicted")]
    assert len(json.loads(cli("log", "--limit", "1", "--format", "json").stdout)) == 1
    assert json.loads(cli("log", "--since", "2999", "--format", "json").stdout) == []
    table = cli("log", "--case", "Kempir", "--format", "csv")
    assert table.stdout.startswith("change_id,at,actor,action,record,field,old,new")
    bad = cli("log", "--since", "last week")
    assert bad.exit_code == 5 and len(bad.stderr.strip().splitlines()) == 1
    assert cli("log", "--person", "Ales", "--case", "Kempir").exit_code == 2


def test_merge_of_a_rejected_pair_is_refused_in_one_line_until_forced(cli, database, record, twin):
    first, _ = _candidates(database, record, twin)
    assert cli("review", "--reject", str(first), actor="dan").exit_code == 0
    before = rows(database)
    refused = cli("person", "merge", "Rita Karasartova", "Rita Karasartowa", actor="anna")
    assert refused.exit_code == 7 and refused.stdout == ""
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith(f"casetrack: error: person #{record.rita} Rita Karasartova")
    assert "were judged different by dan on " in line and "(judgement #1)" in line
    assert f"`casetrack person merge {record.rita} {twin} --force`" in line
    assert rows(database) == before

    forced = cli("person", "merge", "Rita Karasartova", "Rita Karasartowa", "--force", actor="anna")
    assert forced.exit_code == 0, forced.stderr
    assert "1 negative judgement set aside" in forced.stdout
    logged = json.loads(cli("log", "--limit", "2", "--format", "json").stdout)
    assert {e["actor"] for e in logged} == {"anna"} and logged[0]["new"]["overrides"] == [1]
    assert "sets aside #1" in cli("log", "--limit", "2").stdout

    assert cli("undo", actor="anna").exit_code == 0
    assert rows(database) == before
    again = cli("person", "merge", "Rita Karasartova", "Rita Karasartowa")
    assert again.exit_code == 7 and "judged different by dan" in again.stderr


def test_distinct_keeps_two_records_apart(cli, database, record, twin):
    first, _ = _candidates(database, record, twin)
    kept = cli("person", "distinct", str(record.rita), "Rita Karasartowa", actor="dan")
    assert kept.exit_code == 0, kept.stderr
    assert kept.stdout.startswith(
        f"kept apart person #{record.rita} Rita Karasartova (KG) and #{twin} Rita Karasartowa (judgement #1;"
    )
    assert "no merge candidates pending" not in cli("review", "--list").stdout  # Rita/Ales is still pending
    assert str(first) not in [
        str(c["id"]) for c in json.loads(cli("review", "--list", "--format", "json").stdout)["candidates"]
    ]
    refused = cli("person", "merge", str(twin), str(record.rita))
    assert refused.exit_code == 7 and len(refused.stderr.strip().splitlines()) == 1
    twice = cli("person", "distinct", "Rita Karasartowa", str(record.rita))
    assert twice.exit_code == 7 and "judged different by dan" in twice.stderr
    assert "not #" in cli("log", "--limit", "1").stdout


def test_org_merge_respects_distinct(cli, database, record):
    assert cli("org", "add", "Amnesty Intl").exit_code == 0
    assert cli("org", "distinct", "Amnesty International", "Amnesty Intl").exit_code == 0
    refused = cli("org", "merge", "Amnesty International", "Amnesty Intl")
    assert refused.exit_code == 7 and "`casetrack org merge" in refused.stderr
    assert cli("org", "merge", "Amnesty International", "Amnesty Intl", "--force").exit_code == 0


def test_log_reads_at_80_columns(cli, database, record, twin, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert cli("person", "merge", "Rita Karasartova", "Rita Karasartowa").exit_code == 0
    assert cli("undo").exit_code == 0
    lines = cli("log").stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    stamps = [line.split("│")[1].strip() for line in lines if line.startswith("│") and "│ 20" in line[:4]]
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", s) for s in stamps)
    assert "merged_into_id" in "\n".join(lines)
