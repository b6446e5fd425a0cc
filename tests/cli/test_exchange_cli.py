"""casetrack export / import: the round trip, seeds/, bad files, bulk lists, CSV and FtM exports."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, Cli
from tests.exchange.test_ftm import assert_lossless
from tests.records import build_record

SEEDS = REPO / "seeds"
VIASNA_MAP = SEEDS / "mappings" / "viasna-prisoners.yaml"


@pytest.fixture
def second(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cli]:
    """A second, empty database (another SQLite file, or another PostgreSQL schema)."""
    pg_url = os.environ.get("CASETRACK_TEST_PG_URL")
    if not pg_url:
        yield Cli(str(tmp_path / "second.db"))
        return
    from tests.pg import fresh_schema_url

    with fresh_schema_url(pg_url, request.node.name + "_second") as url:
        yield Cli(url)


def ok(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def one_error_line(result, code: int) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("casetrack: error:"), result.stderr
    return lines[0]


def export_json(cli: Cli, *args: str) -> str:
    return ok(cli("export", "--format", "json", *args)).stdout


def counts(cli: Cli) -> dict[str, int]:
    snap = json.loads(export_json(cli))
    return {key: len(items) for key, items in snap.items()} | {
        "aliases": sum(len(p["aliases"]) for p in snap["persons"]),
        "charges": sum(len(c["charges"]) for c in snap["cases"]),
        "parties": sum(len(c["parties"]) for c in snap["cases"]),
        "citations": sum(len(x["citations"]) for key in ("persons", "cases", "events") for x in snap[key]),
    }


# --- the round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("with_raw", [False, True], ids=["text-only", "with-raw"])
def test_export_import_export_is_byte_identical(cli, database, second, tmp_path, with_raw):
    build_record(database)
    raw = ["--with-raw"] if with_raw else []
    first = export_json(cli, *raw)
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")
    ok(second("import", str(path)))
    again = export_json(second, *raw)
    assert again == first
    snap = json.loads(again)
    assert snap["persons"] and snap["events"] and all("id" in p for p in snap["persons"])
    assert any(e["date"]["precision"] == "month-day" for e in snap["events"])
    ok(second("person", "add", "Added After Import"))  # ids written explicitly did not break new ones
    ok(second("case", "add", "Case Added After Import"))


def test_yaml_export_imports_to_the_same_record(cli, database, second, tmp_path):
    build_record(database)
    path = tmp_path / "export.yaml"
    ok(cli("export", "--format", "yaml", "-o", str(path)))
    ok(second("import", str(path)))
    assert export_json(second) == export_json(cli)


def test_reimport_updates_nothing_and_duplicates_nothing(cli, database, tmp_path):
    build_record(database)
    before = export_json(cli)
    path = tmp_path / "export.json"
    path.write_text(before, encoding="utf-8")
    result = ok(cli("import", str(path)))
    assert "created in" not in result.stdout
    assert export_json(cli) == before


def test_import_into_a_database_whose_ids_are_taken_translates_references(cli, database, second, tmp_path):
    build_record(database)
    path = tmp_path / "export.json"
    path.write_text(export_json(cli), encoding="utf-8")
    ok(second("person", "add", "Someone Else"))
    ok(second("import", str(path)))
    snap = json.loads(export_json(second))
    rita = next(p for p in snap["persons"] if p["name"] == "Rita Karasartova")
    source = next(s for s in snap["sources"] if s["id"] == rita["citations"][0]["source_id"])
    start, end = rita["citations"][0]["span"]
    assert source["text"][start:end] == rita["citations"][0]["quote"]
    case = next(c for c in snap["cases"] if c["name"] == "Kempir-Abad case")
    assert case["charges"][0]["person_id"] == rita["id"]
    assert {p["name"] for p in snap["persons"]} >= {"Someone Else", "Rita Karasartova", "Ales Bialiatski"}


def test_import_is_in_the_audit_log_and_undone_in_one_step(cli, tmp_path):
    before = export_json(cli)
    ok(cli("import", str(SEEDS / "kempir-abad.yaml"), actor="importer"))
    log = ok(cli("log")).stdout
    assert "importer" in log
    ok(cli("undo"))
    assert export_json(cli) == before


# --- seeds ----------------------------------------------------------------------------------


def test_seeds_import_then_show_rita_with_her_case_and_charge(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # whole phrases on one line: the test reads the table's text
    ok(cli("import", str(SEEDS)))
    shown = ok(cli("show", "person", "Rita Karasartova")).stdout
    assert "Kempir-Abad case" in shown
    assert "attempted violent overthrow" in shown and "15 years" in shown
    ales = ok(cli("show", "person", "Алесь Беляцкий")).stdout
    assert "Ales Bialiatski" in ales and "Viasna" in ales
    timeline = ok(cli("timeline", "--person", "Ales Bialiatski")).stdout
    assert "4 July, year unknown" in timeline


def test_seeds_are_curated_and_reimport_adds_nothing(cli):
    ok(cli("import", str(SEEDS)))
    first = export_json(cli)
    snap = json.loads(first)
    assert {p["origin"] for p in snap["persons"]} == {"curated"}
    rita = next(p for p in snap["persons"] if p["name"] == "Rita Karasartova")
    assert "description" in rita["curated_fields"]
    viasna = next(o for o in snap["organisations"] if o["name"] == 'Human Rights Center "Viasna"')
    assert set(viasna["aliases"]) == {"Viasna", "Vyasna", "Вясна"}
    ok(cli("import", str(SEEDS)))
    assert export_json(cli) == first


# --- bad files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "code", "words"),
    [
        ("bad.yaml", "persons:\n  - name: [unclosed\n", 6, "invalid YAML at line"),
        ("bad.json", '{"persons": [{"name": "A"},]}', 6, "invalid JSON at line 1"),
        ("list.yaml", "- just\n- a list\n", 6, "expected a mapping"),
        ("key.yaml", "people: []\n", 6, "unknown top-level key 'people'"),
        ("status.yaml", "cases:\n  - name: X case\n    status: jailed\n", 5, "status 'jailed' is not one of"),
        ("date.yaml", "persons:\n  - name: A B\n    birth_date: 1990-02-30\n", 5, "birth_date"),
    ],
)
def test_a_bad_file_is_one_error_line_and_changes_nothing(cli, tmp_path, name, text, code, words):
    ok(cli("import", str(SEEDS / "kempir-abad.yaml")))
    before = export_json(cli)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    line = one_error_line(cli("import", str(path)), code)
    assert str(path) in line and words in line
    assert export_json(cli) == before


def test_a_bad_value_late_in_a_file_keeps_nothing_of_it(cli, tmp_path):
    path = tmp_path / "late.yaml"
    path.write_text(
        "persons:\n  - name: Early Person\ncases:\n  - name: Late case\n    parties:\n"
        "      - {name: Early Person, role: chauffeur}\n",
        encoding="utf-8",
    )
    line = one_error_line(cli("import", str(path)), 5)
    assert "cases[0]" in line and "chauffeur" in line
    assert json.loads(export_json(cli))["persons"] == []


def test_a_folder_keeps_its_good_files_and_fails_on_the_bad_one(cli, tmp_path):
    (tmp_path / "a-good.yaml").write_text("persons:\n  - name: Good Person\n", encoding="utf-8")
    (tmp_path / "b-bad.yaml").write_text("persons: {name: x}\n", encoding="utf-8")
    result = cli("import", str(tmp_path))
    assert result.exit_code == 6
    assert "b-bad.yaml" in result.stderr and "'persons' must be a list" in result.stderr
    assert [p["name"] for p in json.loads(export_json(cli))["persons"]] == ["Good Person"]


def test_a_list_without_a_mapping_is_a_usage_error(cli, tmp_path):
    path = tmp_path / "list.jsonl"
    path.write_text('{"name": "A B"}\n', encoding="utf-8")
    one_error_line(cli("import", str(path), "--format", "jsonl"), 2)


# --- bulk lists -----------------------------------------------------------------------------


@pytest.mark.corpus
def test_viasna_sample_imports_every_article_and_date_and_reimport_adds_nothing(cli, corpus_dir):
    sample = corpus_dir / "viasna-prisoners" / "prisoners-sample.jsonl"
    result = ok(cli("import", str(sample), "--map", str(VIASNA_MAP)))
    assert "skipped:" not in result.stderr
    snap = json.loads(export_json(cli))
    [source] = snap["sources"]
    assert source["sha256"] and source["title"] == "prisoners-sample.jsonl"
    lines = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines() if line.strip()]
    persons = {p["name"]: p for p in snap["persons"]}
    cases = {c["name"]: c for c in snap["cases"]}
    events = snap["events"]
    for line in lines:
        name = line["name"].split(" (")[0]
        person = persons[name]
        assert person["birth_date"]["date"] == (line["birthday"] or None)
        assert person["citations"] and person["citations"][0]["source_id"] == source["id"]
        case = cases[f"Criminal case of {name}"]
        articles = [ch["legal_article"] for ch in case["charges"]]
        assert len(articles) == len(line["articles_list"]) and all(articles), (name, articles)
        dated = {
            e["kind"]: e["date"]["date"]
            for e in events
            if e["case_id"] == case["id"] and e["date"]["precision"] == "day"
        }
        for kind, column in (
            ("arrest", "arrested"),
            ("verdict", "verdict_date"),
            ("appeal", "appeal_date"),
            ("release", "release_date"),
        ):
            assert dated.get(kind) == (line[column] or None), (name, kind)
        assert case["status"] == (
            "released" if line["status"] == "former" else "convicted" if line["verdict_date"] else "detained"
        )
    chapiuk = cases["Criminal case of Andrei Chapiuk"]
    assert {"Art. 341", "Art. 285 Part 2", "Art. 130", "Art. 13 Part 1; Art. 293"} == {
        ch["legal_article"] for ch in chapiuk["charges"]
    }
    assert {(p["name"], p["role"]) for p in chapiuk["parties"]} >= {
        ("Siarhei Khrypach", "judge"),
        ("Raman Biziuk", "lawyer"),
    }
    assert "Andrej Capiuk" in persons["Andrei Chapiuk"]["aliases"]
    assert "Katsiaryna Bakhvalava" in persons["Katsiaryna Andreyeva"]["aliases"]
    ok(cli("import", str(sample), "--map", str(VIASNA_MAP)))
    assert export_json(cli) == json.dumps(snap, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.corpus
def test_viasna_sample_reports_its_oddities_per_line(cli, corpus_dir):
    sample = corpus_dir / "viasna-prisoners" / "prisoners-sample.jsonl"
    result = ok(cli("import", str(sample), "--map", str(VIASNA_MAP)))
    notes = [line for line in result.stderr.splitlines() if ": note: " in line]
    assert any("single word" in n for n in notes)
    assert any("URL slug 'sjarheikryuczenja'" in n for n in notes)
    assert all(n.startswith(f"{sample}:") for n in notes)


def _mapping(tmp_path: Path) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(
        """
format: csv
country: BY
person:
  name: Name
  aliases: [Other spelling]
  birth_date: {column: Born, formats: [DD.MM.YYYY, MM.YYYY, YYYY]}
case:
  name: "Case of {name}"
charges: {column: Articles, split: ";"}
events:
  arrest: {column: Arrested, formats: [DD.MM.YYYY, MM.YYYY, YYYY], summary: "{name} arrested"}
parties:
  lawyer: Lawyer
""",
        encoding="utf-8",
    )
    return path


CSV_LIST = (
    "Name,Other spelling,Born,Articles,Arrested,Lawyer\n"
    'Ivan Ivanou,Ivan Ivanov,05.03.1990,"Part 2 of Art. 342; Art. 130",12.2020,Anna Lawyerka\n'
    "Ivan Ivanou,,05.03.1990,Art. 342,2020,\n"
    ",,,,,\n"
    "No Birth,,31.02.1990,Article 369,2021,\n"
    ",Orphan,,,,\n"
)


def test_csv_list_with_partial_dates_and_per_line_reports(cli, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(CSV_LIST, encoding="utf-8")
    result = ok(cli("import", str(path), "--map", str(_mapping(tmp_path))))
    assert f"{path}:3: skipped: repeats line 2" in result.stderr
    assert f"{path}:6: skipped: no name" in result.stderr
    assert f"{path}:5: note: birth date '31.02.1990'" in result.stderr
    snap = json.loads(export_json(cli))
    persons = {p["name"]: p for p in snap["persons"]}
    assert persons["Ivan Ivanou"]["birth_date"] == {
        "date": "1990-03-05",
        "precision": "day",
        "inferred": False,
    }
    assert persons["Ivan Ivanou"]["aliases"] == ["Ivan Ivanov"]
    arrest = next(e for e in snap["events"] if e["summary"] == "Ivan Ivanou arrested")
    assert arrest["date"] == {"date": "2020-12", "precision": "month", "inferred": False}
    case = next(c for c in snap["cases"] if c["name"] == "Case of Ivan Ivanou")
    assert [ch["legal_article"] for ch in case["charges"]] == ["Art. 342 Part 2", "Art. 130"]
    quote = persons["Ivan Ivanou"]["citations"][0]
    start, end = quote["span"]
    assert snap["sources"][0]["text"][start:end] == quote["quote"] == CSV_LIST.splitlines()[1]


def test_a_changed_list_updates_records_and_links_the_new_version(cli, tmp_path):
    path = tmp_path / "list.csv"
    mapping = _mapping(tmp_path)
    path.write_text(CSV_LIST, encoding="utf-8")
    ok(cli("import", str(path), "--map", str(mapping)))
    before = json.loads(export_json(cli))
    path.write_text(CSV_LIST.replace("12.2020", "14.12.2020"), encoding="utf-8")
    ok(cli("import", str(path), "--map", str(mapping)))
    after = json.loads(export_json(cli))
    assert len(after["persons"]) == len(before["persons"])
    assert len(after["events"]) == len(before["events"])
    assert after["sources"][1]["previous_id"] == after["sources"][0]["id"]
    arrest = next(e for e in after["events"] if e["summary"] == "Ivan Ivanou arrested")
    assert arrest["date"]["date"] == "2020-12-14"


# --- exports for other tools ----------------------------------------------------------------


def test_csv_export_writes_one_file_per_type_with_headers(cli, database, tmp_path):
    build_record(database)
    out = tmp_path / "csv"
    ok(cli("export", "--format", "csv", "-o", str(out)))
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"{t}.csv"
        for t in (
            "sources",
            "persons",
            "organisations",
            "memberships",
            "cases",
            "case_parties",
            "charges",
            "events",
            "event_participants",
            "citations",
        )
    )
    persons = list(csv.DictReader((out / "persons.csv").open(encoding="utf-8")))
    rita = next(p for p in persons if p["name"] == "Rita Karasartova")
    assert rita["aliases"] == "Рита Карасартова" and rita["country"] == "KG"
    events = list(csv.DictReader((out / "events.csv").open(encoding="utf-8")))
    protest = next(e for e in events if e["date_precision"] == "month-day")
    assert protest["date"] == "'--07-04", "a leading '-' would make a spreadsheet compute a formula"
    for path in out.iterdir():
        header = path.read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith(("id,", "event_id,", "record_type,")), path.name
    one = ok(cli("export", "--format", "csv", "--type", "charges")).stdout
    assert next(iter(csv.DictReader(io.StringIO(one))))["legal_article"] == "Art. 326"


def test_csv_export_needs_a_folder_or_a_type(cli):
    one_error_line(cli("export", "--format", "csv"), 2)
    one_error_line(cli("export", "--format", "csv", "--type", "nope"), 2)


def test_public_export_leaves_out_private_notes(cli, database):
    build_record(database, notes="PRIVATE: lawyer's phone")
    assert "PRIVATE" in export_json(cli)
    for fmt in ("json", "yaml", "ftm"):
        assert "PRIVATE" not in ok(cli("export", "--format", fmt, "--public")).stdout


def test_ftm_export_loads_without_losing_a_value(cli, database, tmp_path):
    build_record(database)
    path = tmp_path / "record.ftm.json"
    ok(cli("export", "--format", "ftm", "-o", str(path)))
    entities = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert {"Person", "CourtCase", "Event", "Article", "Documentation"} <= {e["schema"] for e in entities}
    for entity in entities:
        assert_lossless(entity)


@pytest.mark.corpus
def test_ftm_export_of_the_viasna_sample_loses_nothing(cli, corpus_dir):
    sample = corpus_dir / "viasna-prisoners" / "prisoners-sample.jsonl"
    ok(cli("import", str(sample), "--map", str(VIASNA_MAP)))
    entities = [json.loads(line) for line in ok(cli("export", "--format", "ftm")).stdout.splitlines()]
    parties = [e for e in entities if e["schema"] == "CourtCaseParty"]
    assert len(parties) > 62
    for entity in entities:
        assert_lossless(entity)


def test_format_option_reads_a_list_whatever_its_name(cli, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text(CSV_LIST, encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        _mapping(tmp_path).read_text(encoding="utf-8").replace("format: csv\n", ""), encoding="utf-8"
    )
    one_error_line(cli("import", str(path), "--map", str(mapping)), 6)
    ok(cli("import", str(path), "--map", str(mapping), "--format", "csv"))
    assert "Ivan Ivanou" in {p["name"] for p in json.loads(export_json(cli))["persons"]}


def test_ingested_articles_and_seeds_round_trip_and_export_to_ftm(cli, second, seeds_dir, tmp_path):
    """Real ingest output (sources with evidence, extracted facts, curated seeds on top) survives the trip."""
    articles = [str(SEEDS / "articles"), *(str(p) for p in sorted(seeds_dir.glob("*.txt")))]
    ok(cli("ingest", *articles))
    ok(cli("import", str(SEEDS)))
    first = export_json(cli, "--with-raw")
    snap = json.loads(first)
    assert {"extracted", "curated"} <= {p["origin"] for p in snap["persons"]}
    path = tmp_path / "record.json"
    path.write_text(first, encoding="utf-8")
    ok(second("import", str(path)))
    assert export_json(second, "--with-raw") == first
    for line in ok(cli("export", "--format", "ftm")).stdout.splitlines():
        assert_lossless(json.loads(line))


def test_readme_first_run_on_the_sample_articles_shows_ales_bialiatski(cli):
    """The README's first command: ingest seeds/articles, then show the person."""
    ok(cli("ingest", str(SEEDS / "articles")))
    shown = ok(cli("show", "person", "Ales Bialiatski")).stdout
    assert "Viasna" in shown and "Алесь Беляцкий" in shown
    assert "2023-03-03" in shown or "2021-07-14" in shown
    assert "Rita Karasartova" in ok(cli("show", "person", "Rita Karasartova")).stdout
