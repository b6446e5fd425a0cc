"""``casetrack ingest`` as a user runs it: seeds, duplicates, bad inputs, JSON Lines, --force, Ctrl-C."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner

from casetrack.models import Citation, Person, Source

SEEDS = ["000_ce902227b9a06b84.txt", "003_c6731568ab90a96d.txt"]
ON_POSTGRES = bool(os.environ.get("CASETRACK_TEST_PG_URL"))


def _open(database_url: str) -> Any:
    from casetrack.db import open_database, resolve_location

    return open_database(resolve_location(database_url, Path("/nonexistent")))


def _counts(database_url: str) -> dict[str, int]:
    from sqlalchemy import table

    from casetrack.store.maintenance import COUNTED_TABLES

    db = _open(database_url)
    try:
        with db.session() as session:
            return {
                name: session.exec(select(func.count()).select_from(table(name))).one()
                for name in COUNTED_TABLES
            }
    finally:
        db.dispose()


def _seed_paths(seeds_dir: Path) -> list[str]:
    return [str(seeds_dir / name) for name in SEEDS]


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 20)
    return path


def test_seeds_ingest_with_title_publisher_link_and_dates(
    cli: Any, database_url: str, seeds_dir: Path
) -> None:
    result = cli("ingest", *_seed_paths(seeds_dir))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("ingested") == 2
    expected = yaml.safe_load((seeds_dir / "expected.yaml").read_text(encoding="utf-8"))
    db = _open(database_url)
    try:
        with db.session() as session:
            sources = {Path(s.input).name: s for s in session.exec(select(Source))}
    finally:
        db.dispose()
    kg, charter = sources[SEEDS[0]], sources[SEEDS[1]]
    want = expected[SEEDS[0]]["source"]
    assert (kg.title, kg.publisher, kg.url) == (want["title"], want["publisher"], want["url"])
    assert kg.published is not None and kg.published.startswith("2024-05-10")
    assert kg.published_evidence
    want = expected[SEEDS[1]]["source"]
    assert (charter.title, charter.publisher) == (want["title"], want["publisher"])
    assert charter.published is None and charter.published_precision == "unknown"
    assert charter.retrieved == want["retrieved"]["date"]
    assert charter.retrieved_evidence
    assert all(s.sha256 == hashlib.sha256(s.raw).hexdigest() for s in sources.values())
    assert kg.raw == (seeds_dir / SEEDS[0]).read_bytes()


def test_second_ingest_adds_nothing_and_says_so(cli: Any, database_url: str, seeds_dir: Path) -> None:
    assert cli("ingest", *_seed_paths(seeds_dir)).exit_code == 0
    before = _counts(database_url)
    again = cli("ingest", str(seeds_dir))
    assert again.exit_code == 0, again.stderr
    assert again.stdout.count("duplicate") == 2
    assert "nothing added" in again.stdout
    assert _counts(database_url) == before


def test_binary_file_fails_with_one_line_and_leaves_the_database_alone(
    cli: Any, database_url: str, seeds_dir: Path, tmp_path: Path
) -> None:
    assert cli("ingest", _seed_paths(seeds_dir)[0]).exit_code == 0
    before = _counts(database_url)
    snapshot = None if ON_POSTGRES else Path(database_url).read_bytes()
    result = cli("ingest", str(_binary(tmp_path)))
    assert result.exit_code == 6
    errors = [line for line in result.stderr.splitlines() if line.startswith("casetrack: error:")]
    assert len(errors) == 1 and "photo.txt" in errors[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert "failed" in result.stdout
    assert _counts(database_url) == before
    if snapshot is not None:
        assert Path(database_url).read_bytes() == snapshot


def test_a_bad_input_does_not_stop_the_batch(
    cli: Any, database_url: str, seeds_dir: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    first, second = _seed_paths(seeds_dir)
    result = cli("ingest", first, str(empty), str(tmp_path / "missing.html"), second)
    assert result.exit_code == 6
    assert result.stdout.count("ingested") == 2
    assert result.stdout.count("failed") == 2
    assert len([line for line in result.stderr.splitlines() if line.startswith("casetrack: error:")]) == 2
    assert _counts(database_url)["source"] == 2


def test_dry_run_json_prints_the_contract_and_creates_no_database(seeds_dir: Path, tmp_path: Path) -> None:
    from casetrack.cli import app
    from casetrack.ingest import pipeline

    db_file = tmp_path / "never.db"
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["--db", str(db_file), "ingest", "--dry-run", "--json", *_seed_paths(seeds_dir)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert not db_file.exists()
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["input"] for line in lines] == _seed_paths(seeds_dir)
    expected = json.loads(
        json.dumps(pipeline.analyse(_seed_paths(seeds_dir)[0]).to_json(), ensure_ascii=False)
    )
    assert lines[0] == expected
    assert set(lines[1]) == {"input", "source", "persons", "organisations", "cases", "events"}
    assert "analysed" in result.stderr


def test_json_after_storing_goes_to_stdout_and_the_summary_to_stderr(
    cli: Any, database_url: str, seeds_dir: Path
) -> None:
    result = cli("ingest", "--json", _seed_paths(seeds_dir)[1])
    assert result.exit_code == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["source"]["publisher"] == "Charter 97"
    assert "ingested" in result.stderr
    assert _counts(database_url)["source"] == 1


def test_standard_input(cli: Any, database_url: str) -> None:
    text = "Activist detained\n\nKyrgyz human rights activist Rita Karasartova was detained in Bishkek.\n"
    result = cli("ingest", "-", input=text)
    assert result.exit_code == 0, result.stderr
    db = _open(database_url)
    try:
        with db.session() as session:
            source = session.exec(select(Source)).one()
            assert (source.input, source.raw) == ("-", text.encode())
    finally:
        db.dispose()


def test_curated_field_survives_force(cli: Any, database_url: str, seeds_dir: Path) -> None:
    path = _seed_paths(seeds_dir)[0]
    assert cli("ingest", path).exit_code == 0
    db = _open(database_url)
    try:
        with db.session(write=True) as session:
            person = session.exec(select(Person).where(Person.name == "Rita Karasartova")).one()
            person.description = "curated description"
            person.curated_fields = json.dumps(["description"])
            session.add(person)
            person_id = person.id
        result = cli("ingest", "--force", path)
        assert result.exit_code == 0, result.stderr
        assert "re-extracted" in result.stdout
        with db.session() as session:
            person = session.get(Person, person_id)
            assert person.description == "curated description"
            assert session.exec(select(func.count()).select_from(Source)).one() == 1
            quotes = session.exec(select(Citation).where(Citation.record_type == "person")).all()
            assert quotes
    finally:
        db.dispose()


def _interrupt_after_second_store(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Ctrl-C right after the second input is stored; returns the inputs stored, in order."""
    import casetrack.store.ingest as store_ingest

    real = store_ingest.store_analysis
    calls: list[str] = []

    def interrupted_on_second(session: Any, analysis: Any, raw: Any, **kwargs: Any) -> Any:
        calls.append(analysis.document.input)
        result = real(session, analysis, raw, **kwargs)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return result

    monkeypatch.setattr(store_ingest, "store_analysis", interrupted_on_second)
    return calls


def test_ctrl_c_keeps_finished_inputs_and_exits_130(
    cli: Any, database_url: str, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _interrupt_after_second_store(monkeypatch)
    result = cli("ingest", *_seed_paths(seeds_dir))
    assert result.exit_code == 130
    assert "interrupted at input 2 of 2" in result.stderr
    assert calls == _seed_paths(seeds_dir)
    assert _counts(database_url)["source"] == 1


def test_nothing_to_ingest_is_a_usage_error(cli: Any) -> None:
    result = cli("ingest", "--glob", "*.txt")
    assert result.exit_code in (2, 6)
    assert "Traceback" not in result.stderr


def test_a_database_that_cannot_be_opened_stops_the_run_with_one_line(
    seeds_dir: Path, tmp_path: Path
) -> None:
    from casetrack.cli import app

    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("shopping list\n" * 100)
    before = not_a_database.read_bytes()
    result = CliRunner().invoke(app, ["--db", str(not_a_database), "ingest", *_seed_paths(seeds_dir)])
    assert result.exit_code == 8
    assert len([line for line in result.stderr.splitlines() if line.startswith("casetrack: error:")]) == 1
    assert not_a_database.read_bytes() == before


def test_directories_are_expanded_with_glob(cli: Any, database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    (folder / "deep").mkdir(parents=True)
    (folder / "deep" / "one.txt").write_text(
        "Activist detained\n\nRita Karasartova was detained in Bishkek.\n"
    )
    (folder / "two.md").write_text("Activist released\n\nTalekan Ismailova was released in Osh.\n")
    result = cli("ingest", "--glob", "**/*.txt", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "one.txt" in result.stdout and "two.md" not in result.stdout
    assert _counts(database_url)["source"] == 1


def test_two_processes_ingesting_the_same_inputs_store_each_record_once(
    database_url: str, seeds_dir: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    assert _counts(database_url)["source"] == 0  # creates and migrates the database first
    command = [sys.executable, "-m", "casetrack", "--db", database_url, "ingest", *_seed_paths(seeds_dir)]
    env = {**os.environ, "COLUMNS": "200"}
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err.decode() for _, err in outputs]
    statuses = b"".join(out for out, _ in outputs).decode()
    assert statuses.count("ingested") == 2 and statuses.count("duplicate") == 2
    db = _open(database_url)
    try:
        with db.session() as session:
            assert session.exec(select(func.count()).select_from(Source)).one() == 2
            names = [p.name for p in session.exec(select(Person))]
            assert len(names) == len(set(names)) > 0
            from casetrack.models import Organisation

            organisations = [o.name for o in session.exec(select(Organisation))]
            assert len(organisations) == len(set(organisations)) > 0
    finally:
        db.dispose()


ARTICLES = [
    "Activist detained\n\nPolice in Bishkek detained the human rights activist Rita Karasartova on Monday, "
    "her lawyer said.\n",
    "Journalist fined\n\nA court in Osh fined the journalist Talekan Ismailova for a post about the detention "
    "of Rita Karasartova, her colleagues said.\n",
    "Activist released\n\nRita Karasartova was released from custody in Bishkek on Friday, "
    "the journalist Talekan Ismailova reported.\n",
]


def _snapshot(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the record (ids included), without the times at which they were written."""
    from sqlalchemy import inspect, table, text

    skip = {"created_at", "updated_at", "extracted_at", "retrieved_at", "ingested_by"}
    db = _open(database_url)
    try:
        with db.engine.connect() as connection:
            tables = ["source", "person", "person_alias", "organisation", "event", "event_participant"]
            tables += ["citation", "match_candidate", "search_doc"]
            snapshot = {}
            for name in tables:
                columns = [c["name"] for c in inspect(connection).get_columns(name) if c["name"] not in skip]
                query = (
                    select(*(text(f'"{c}"') for c in columns)).select_from(table(name)).order_by(text("1"))
                )
                snapshot[name] = [tuple(row) for row in connection.execute(query)]
            return snapshot
    finally:
        db.dispose()


def test_jobs_store_the_same_database_as_one_job_in_input_order(
    cli: Any, database_url: str, tmp_path: Path
) -> None:
    inputs = []
    for index, body in enumerate(ARTICLES):
        path = tmp_path / f"article-{index}.txt"
        path.write_text(body, encoding="utf-8")
        inputs.append(str(path))
    inputs.insert(1, str(_binary(tmp_path)))
    serial_db = str(tmp_path / "serial.db")
    from casetrack.cli import app

    serial = CliRunner().invoke(app, ["--db", serial_db, "ingest", "--json", *inputs])
    parallel = cli("ingest", "--jobs", "2", "--json", *inputs)
    assert parallel.exit_code == serial.exit_code == 6
    assert parallel.stdout == serial.stdout  # one JSON line per input, in input order
    assert parallel.stderr.count("photo.txt") == serial.stderr.count("photo.txt") >= 1
    assert _snapshot(database_url) == _snapshot(serial_db)
    assert _counts(database_url)["source"] == 3


def test_ctrl_c_with_jobs_keeps_finished_inputs_and_stops_the_workers(
    cli: Any, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _interrupt_after_second_store(monkeypatch)
    inputs = []
    for index, body in enumerate(ARTICLES * 2):
        path = tmp_path / f"article-{index}.txt"
        path.write_text(body + f"\nCopy {index}.\n", encoding="utf-8")
        inputs.append(str(path))
    result = cli("ingest", "--jobs", "2", *inputs)
    assert result.exit_code == 130
    assert "interrupted at input 2 of 6" in result.stderr
    assert calls == inputs[:2]
    assert _counts(database_url)["source"] == 1


def _soloviev_article_beside_two_close_records(cli: Any, tmp_path: Path) -> Path:
    """Records 'Dmitry Solovyov' (#1) and 'Dzmitry Salauyou' (#2), and an article naming 'Dmitri Soloviev'."""
    article = tmp_path / "soloviev.txt"
    article.write_text(
        "Minsk court news\n\nThe court in Minsk sentenced journalist Dmitri Soloviev"
        " to eight years in prison on Tuesday, his lawyer said.\n",
        encoding="utf-8",
    )
    assert cli("person", "add", "Dmitry Solovyov").exit_code == 0
    assert cli("person", "add", "Dzmitry Salauyou").exit_code == 0
    return article


def test_a_pair_the_curator_judged_different_is_never_merged_by_a_later_ingest(
    cli: Any, database_url: str, tmp_path: Path
) -> None:
    article = _soloviev_article_beside_two_close_records(cli, tmp_path)
    assert cli("person", "distinct", "1", "2").exit_code == 0

    result = cli("ingest", str(article))

    assert result.exit_code == 0, result.stderr
    persons = json.loads(cli("list", "persons", "--format", "json").stdout)
    assert sorted(p["name"] for p in persons) == ["Dmitri Soloviev", "Dmitry Solovyov", "Dzmitry Salauyou"]
    review = cli("review", "--list", "--format", "json")
    assert review.exit_code == 0, review.stderr
    assert "Dmitry Solovyov" in review.stdout and "Dzmitry Salauyou" in review.stdout


def test_without_a_judgement_the_same_article_merges_into_the_closest_record(
    cli: Any, database_url: str, tmp_path: Path
) -> None:
    article = _soloviev_article_beside_two_close_records(cli, tmp_path)

    assert cli("ingest", str(article)).exit_code == 0

    persons = json.loads(cli("list", "persons", "--format", "json").stdout)
    assert len(persons) == 2


def test_a_given_name_in_another_language_finds_the_record(
    cli: Any, database_url: str, tmp_path: Path
) -> None:
    article = tmp_path / "labkovich.txt"
    article.write_text(
        "Новости суда\n\nЮрист Владимир Лабкович получил 7 лет колонии, сообщил правозащитный центр.\n",
        encoding="utf-8",
    )
    assert cli("person", "add", "Uladzimir Labkovich").exit_code == 0

    assert cli("ingest", str(article)).exit_code == 0

    persons = json.loads(cli("list", "persons", "--format", "json").stdout)
    assert [p["name"] for p in persons] == ["Uladzimir Labkovich"]
