"""casetrack person|org|case|event add/edit/delete/alias/link and case charge add, as a user runs them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlmodel import SQLModel, select

from casetrack.models import AuditEntry, Person
from casetrack.store import audit
from tests.records import build_record


@pytest.fixture
def record(database):
    return build_record(database)


def snapshot(database) -> tuple[dict[str, int], dict]:
    """Row counts of every table and Rita's full row: 'the database exactly as it was'."""
    with database.session() as session:
        counts = {
            name: session.exec(select(func.count()).select_from(table)).one()
            for name, table in SQLModel.metadata.tables.items()
        }
        rita = session.exec(select(Person).where(Person.name == "Rita Karasartova")).one()
        return counts, audit.row_dict(rita)


def one_error_line(result, code: int) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("casetrack: error:"), result.stderr
    return lines[0]


def log_json(cli, *args: str) -> list[dict]:
    result = cli("log", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_person_add_edit_alias_and_their_audit_entries(cli, database):
    added = cli("person", "add", "Aigul Temirova", "--set", "country=kg", "--alias", "Айгуль Темирова")
    assert added.exit_code == 0, added.stderr
    assert added.stdout.startswith("added person #1 Aigul Temirova (KG)")
    edited = cli("person", "edit", "Айгуль", "--set", "birth_date=1984-05", "--set", "description=lawyer")
    assert edited.exit_code == 0 and "2 field(s) changed" in edited.stdout
    assert cli("person", "alias", "Aigul", "A. Temirova").exit_code == 0

    shown = json.loads(cli("show", "person", "A. Temirova", "--format", "json").stdout)
    assert shown["birth_date"]["display"] == "May 1984" and shown["description"] == "lawyer"
    assert shown["aliases"] == ["Айгуль Темирова", "A. Temirova"]

    entries = log_json(cli, "--person", "Aigul Temirova")
    assert {(e["action"], e["record"].split()[0], e["field"]) for e in entries} >= {
        ("create", "person", None),
        ("create", "person_alias", None),
        ("update", "person", "birth_date"),
        ("update", "person", "description"),
    }
    assert {e["actor"] for e in entries} == {"tester"}
    update = next(e for e in entries if e["field"] == "description")
    assert (update["old"], update["new"]) == (None, "lawyer")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("person", "edit", "Rita Karasartova", "--set", "shoe_size=44"),
            5,
            "unknown person field 'shoe_size'",
        ),
        (("person", "edit", "Rita Karasartova", "--set", "birth_date=31/12/1980"), 5, "YYYY-MM-DD"),
        (("case", "edit", "Kempir", "--set", "status=jailed"), 5, "on_trial, convicted"),
        (("org", "add", "Bar Association", "--set", "kind=club"), 5, "ngo, media, court"),
        (("event", "add", "--summary", "x", "--kind", "raid"), 5, "arrest, detention, search"),
        (("event", "add", "--summary", "x", "--date", "yesterday"), 5, "not a date"),
        (("person", "edit", "Rita Karasartova", "--set", "country"), 2, "is not field=value"),
        (("person", "edit", "Nobody Known", "--set", "country=KG"), 3, "no person called 'Nobody Known'"),
        (
            ("person", "link", "Rita Karasartova", "--case", "Kempir", "--role", "hero"),
            5,
            "defendant, detainee",
        ),
        (("case", "charge", "add", "Kempir", "--person", "Nobody Known", "--charge", "x"), 5, "no person"),
        (("event", "edit", "999", "--summary", "x"), 3, "no event with id 999"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(cli, database, record, args, code, message):
    before = snapshot(database)
    line = one_error_line(cli(*args), code)
    assert message in line
    assert snapshot(database) == before


def test_ambiguous_name_lists_candidates_and_exits_4(cli, database, record):
    assert cli("person", "add", "Rita Sultanova").exit_code == 0
    before = snapshot(database)
    line = one_error_line(cli("person", "edit", "Rita", "--set", "country=KZ"), 4)
    assert "#1 Rita Karasartova (KG)" in line and "Rita Sultanova" in line
    assert snapshot(database) == before


def test_case_add_link_and_charge(cli, database, record):
    assert (
        cli("case", "add", "Temirova case", "--set", "country=KG", "--set", "status=charged").exit_code == 0
    )
    linked = cli("case", "link", "Temirova case", "--org", "Amnesty", "--role", "supporter")
    assert linked.exit_code == 0, linked.stderr
    charged = cli(
        "case", "charge", "add", "Temirova case", "--person", "Ales Bialiatski", "--charge", "tax evasion",
        "--article", "243", "--max-penalty", "7 years", "--date", "2021-07",
    )  # fmt: skip
    assert charged.exit_code == 0, charged.stderr
    case = json.loads(cli("show", "case", "Temirova case", "--format", "json").stdout)
    assert {(p["name"], p["role"]) for p in case["parties"]} == {
        ("Amnesty International", "supporter"),
        ("Ales Bialiatski", "defendant"),
    }
    charge = case["charges"][0]
    assert (charge["article"], charge["max_penalty"], charge["date"]["display"]) == (
        "Art. 243",
        "7 years",
        "July 2021",
    )
    assert cli("person", "link", "Ales", "--case", "Temirova case", "--role", "defendant").exit_code == 7


def test_person_org_membership_both_ways(cli, database, record):
    assert (
        cli(
            "person",
            "link",
            "Rita Karasartova",
            "--org",
            "Amnesty",
            "--role",
            "researcher",
            "--start",
            "2019",
        ).exit_code
        == 0
    )
    assert cli("org", "link", "Viasna", "--person", "Rita Karasartova", "--end", "2022-03").exit_code == 0
    shown = json.loads(cli("show", "person", "Rita Karasartova", "--format", "json").stdout)
    memberships = {
        (m["organisation_name"], m["role"], m["start"]["date"], m["end"]["date"])
        for m in shown["memberships"]
    }
    assert memberships == {
        ("Amnesty International", "researcher", "2019", None),
        ("Viasna", None, None, "2022-03"),
    }
    assert one_error_line(cli("person", "link", "Rita Karasartova"), 2)


def test_event_add_edit_delete(cli, database, record):
    added = cli(
        "event", "add", "--kind", "hearing", "--date", "2024-06", "--summary", "Appeal hearing",
        "--case", "Kempir", "--person", "Rita Karasartova", "--org", "Pervomaisky",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    event_id = added.stdout.split("#")[1].split()[0]
    edited = cli("event", "edit", event_id, "--date", "2024-06-12", "--person", "Ales Bialiatski")
    assert edited.exit_code == 0, edited.stderr
    shown = json.loads(cli("show", "event", event_id, "--format", "json").stdout)
    assert shown["date"]["date"] == "2024-06-12" and shown["case_name"] == "Kempir-Abad case"
    assert {p["name"] for p in shown["participants"]} == {
        "Rita Karasartova",
        "Pervomaisky District Court",
        "Ales Bialiatski",
    }
    assert cli("event", "delete", event_id, "--yes").exit_code == 0
    assert cli("show", "event", event_id).exit_code == 3
    assert cli("undo").exit_code == 0
    assert cli("show", "event", event_id).exit_code == 0


def test_delete_asks_and_undo_restores(cli, database, record):
    before = snapshot(database)
    refused = cli("person", "delete", "Rita Karasartova", input="n\n")
    assert refused.exit_code != 0 and snapshot(database) == before
    deleted = cli("person", "delete", "Rita Karasartova", input="y\n")
    assert deleted.exit_code == 0, deleted.stderr
    assert cli("show", "person", "Rita Karasartova").exit_code == 3
    undone = cli("undo")
    assert undone.exit_code == 0 and undone.stdout.startswith("undid change")
    counts, rita = snapshot(database)
    assert {k: v for k, v in counts.items() if k not in ("audit_log", "search_doc")} == {
        k: v for k, v in before[0].items() if k not in ("audit_log", "search_doc")
    }
    assert rita == before[1]
    shown = cli("show", "person", "Rita Karasartova")
    assert "Kempir-Abad case" in shown.stdout and "Art. 326" in shown.stdout


def test_as_sets_the_actor_and_undo_is_logged(cli, database, record):
    assert cli("org", "edit", "Amnesty", "--set", "country=GB", actor="maria").exit_code == 0
    assert cli("undo", actor="oleg").exit_code == 0
    entries = log_json(cli, "--org", "Amnesty")
    assert [(e["actor"], e["field"], e["old"], e["new"]) for e in entries] == [
        ("oleg", "country", "GB", None),
        ("maria", "country", None, "GB"),
    ]
    assert entries[0]["undoes"] and entries[1]["undone_by"] == entries[0]["change_id"]
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(AuditEntry)).one() >= 2
    assert one_error_line(cli("undo", entries[1]["change_id"]), 7)
