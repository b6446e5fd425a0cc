"""The read commands as a user runs them: list, show, timeline, search, report."""

from __future__ import annotations

import json

import pytest

from tests.records import build_record


@pytest.fixture
def record(database):
    return build_record(database)


def test_show_person_table_has_charge_penalty_and_petition(cli, record):
    result = cli("show", "person", "Rita Karasartova")
    assert result.exit_code == 0, result.stderr
    for expected in ("Kempir-Abad case", "Art. 326", "15 years in prison", "petition", "24.kg", "PRIVATE"):
        assert expected in result.stdout
    public = cli("show", "person", "Rita Karasartova", "--public")
    assert "PRIVATE" not in public.stdout


def test_show_person_json_is_plain_data(cli, record):
    result = cli("show", "person", "Рита Карасартова", "--format", "json")
    data = json.loads(result.stdout)
    assert data["cases"][0]["charges"][0]["citations"][0]["url"] == "https://24.kg/english/293644/"


def test_list_cases_filters_and_csv(cli, record):
    result = cli("list", "cases", "--country", "KG", "--status", "on_trial", "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("id,name") and len(lines) == 2 and "Kempir-Abad case" in lines[1]


def test_list_bad_date_is_one_line_error(cli, record):
    result = cli("list", "events", "--since", "31 February")
    assert result.exit_code == 5
    assert result.stderr.startswith("casetrack: error:") and len(result.stderr.strip().splitlines()) == 1


def test_timeline_lists_year_unknown_apart(cli, record):
    result = cli("timeline", "--person", "Ales Bialiatski")
    assert result.exit_code == 0
    dated, _, undated = result.stdout.partition("without a known year")
    assert "2023-03-03" in dated and "4 July, year unknown" in undated


def test_search_finds_the_article(cli, record):
    result = cli("search", "signatures", "--format", "json")
    hits = json.loads(result.stdout)
    assert any(h["record_type"] == "source" and h["record_id"] == record.source_24kg for h in hits)


def test_show_unknown_person_exits_not_found(cli, record):
    result = cli("show", "person", "Nobody Atall")
    assert result.exit_code == 3 and "casetrack: error: no person" in result.stderr


def test_report_case_cites_the_url_and_all_is_path_safe(cli, record, tmp_path, database):
    out = tmp_path / "case.md"
    result = cli("report", "case", "Kempir-Abad case", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "<https://24.kg/english/293644/>" in out.read_text()
    from casetrack.models import Person

    with database.session(write=True) as s:
        s.add(Person(name="../../etc/passwd", name_key="etc passwd"))
    target = tmp_path / "all"
    result = cli("report", "--all", "-o", str(target), "--public")
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in target.iterdir())
    assert "person-4-etc-passwd.md" in files and all(p.parent == target for p in target.iterdir())
    assert not any("PRIVATE" in (target / f).read_text() for f in files)


def test_every_format_of_list_persons(cli, record):
    for fmt in ("table", "json", "csv", "md"):
        result = cli("list", "persons", "--country", "KG", "--format", fmt)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert "Rita Karasartova" in result.stdout and "Ales" not in result.stdout


def test_timeline_markdown_and_csv(cli, record):
    md = cli("timeline", "--case", "Kempir-Abad case", "--format", "md")
    assert md.stdout.startswith("# Timeline") and "May 2024" in md.stdout and "24\\.kg" in md.stdout
    csv_out = cli("timeline", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,kind,date") and len(csv_out) == 7


def test_report_usage_errors_are_one_line(cli, record, tmp_path):
    for args in (("report",), ("report", "planet", "x"), ("report", "--all")):
        result = cli(*args)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, args
    assert cli("report", "case", "No such case").exit_code == 3


def test_search_rejects_empty_and_survives_syntax(cli, record):
    assert cli("search", "***").exit_code == 2
    result = cli("search", 'signatures" OR "x', "--format", "md")
    assert result.exit_code == 0


def test_show_person_keeps_sentence_and_max_penalty_apart(cli, record, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    added = cli(
        "case",
        "charge",
        "add",
        "Kempir-Abad case",
        "--person",
        "Rita Karasartova",
        "--charge",
        "mass riots",
        "--sentence",
        "5 years probation",
    )
    assert added.exit_code == 0, added.stderr
    lines = cli("show", "person", "Rita Karasartova").stdout.splitlines()
    header = [cell.strip() for cell in next(line for line in lines if "max penalty" in line).split("┃")]
    row = [cell.strip() for cell in next(line for line in lines if "probation" in line).split("│")]
    assert "5 years probation" in row[header.index("sentence")]
    assert "probation" not in row[header.index("max penalty")]
    assert "mass riots" in row[header.index("charge — sources")]  # each charge a row of its own
    article = [cell.strip() for cell in next(line for line in lines if "Art. 326" in line).split("│")]
    assert "15 years in prison" in article[header.index("max penalty")]
    assert article[header.index("sentence")] == ""


def test_an_empty_listing_says_so(cli, record):
    result = cli("list", "events", "--kind", "pardon")
    assert result.exit_code == 0
    assert result.stdout.strip() == "no records match these filters"
    assert cli("list", "events", "--kind", "pardon", "--format", "json").stdout.strip() == "[]"


def test_show_person_lists_undated_events_after_dated_ones(cli, record, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    added = cli(
        "event",
        "add",
        "--kind",
        "petition",
        "--summary",
        "Undated petition for her release",
        "--person",
        "Rita Karasartova",
    )
    assert added.exit_code == 0, added.stderr
    shown = cli("show", "person", "Rita Karasartova").stdout
    assert "Undated petition for her release" in shown and "date unknown" in shown
    events = json.loads(cli("show", "person", "Rita Karasartova", "--format", "json").stdout)["events"]
    dated = [e["date"]["date"] is not None for e in events]
    assert dated == sorted(dated, reverse=True), "dated events come first"


def test_a_timeline_of_undated_events_only_has_no_empty_dated_table(cli):
    assert cli("person", "add", "Aigul Sadykova").exit_code == 0
    added = cli(
        "event", "add", "--kind", "protest", "--person", "Aigul Sadykova", "--summary", "A picket in Osh"
    )
    assert added.exit_code == 0, added.stderr

    result = cli("timeline", "--person", "Aigul Sadykova")

    assert result.exit_code == 0, result.stderr
    assert "without a known year" in result.stdout and "A picket in Osh" in result.stdout
    assert "timeline" not in result.stdout.split("without a known year")[0]
