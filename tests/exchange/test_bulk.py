"""Bulk lists: names, charges, dates at their precision, line offsets, per-line reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casetrack.errors import InputError
from casetrack.exchange import bulk
from tests.conftest import REPO

VIASNA_MAP = REPO / "seeds" / "mappings" / "viasna-prisoners.yaml"


@pytest.mark.parametrize(
    ("raw", "name", "aliases"),
    [
        ("Katsiaryna Andreyeva (Bakhvalava)", "Katsiaryna Andreyeva", ["Katsiaryna Bakhvalava"]),
        ("Ivan Petrov (Ivan Petrou)", "Ivan Petrov", ["Ivan Petrou"]),
        ("  Ales   Bialiatski ", "Ales Bialiatski", []),
    ],
)
def test_split_name(raw, name, aliases):
    assert bulk.split_name(raw) == (name, aliases)


@pytest.mark.parametrize(
    ("text", "article", "description"),
    [
        (
            "Part 2 of Art. 293 of the Criminal Code — Participation in riots",
            "Art. 293 Part 2",
            "Participation in riots",
        ),
        ("Art. 295-3 of the Criminal Code", "Art. 295-3", None),
        (
            "Part 1 of Article 13 and Article 293 of the Criminal Code — Preparation for mass riots",
            "Art. 13 Part 1; Art. 293",
            "Preparation for mass riots",
        ),
        (
            "Art. 350 of the Criminal Code - Destruction of computer information",
            "Art. 350",
            "Destruction of computer information",
        ),
        ("ч. 2 ст. 342 УК", "Art. 342 Part 2", None),
    ],
)
def test_split_charge_normalises_articles(text, article, description):
    charge = bulk.split_charge(text)
    assert charge["legal_article"] == article
    assert charge["charge"] == description


def test_a_charge_without_an_article_is_kept_as_text():
    assert bulk.split_charge("Hooliganism") == {"legal_article_raw": "Hooliganism", "charge": "Hooliganism"}


@pytest.mark.parametrize(
    ("value", "formats", "expected"),
    [
        ("05.03.2021", ["DD.MM.YYYY", "MM.YYYY", "YYYY"], "2021-03-05"),
        ("3.2021", ["DD.MM.YYYY", "MM.YYYY", "YYYY"], "2021-03"),
        ("2021", ["DD.MM.YYYY", "MM.YYYY", "YYYY"], "2021"),
        ("2021-03-05", ["YYYY-MM-DD"], "2021-03-05"),
        ("04.07", ["DD.MM"], "--07-04"),
        ("31.02.2021", ["DD.MM.YYYY"], None),
        ("March 2021", ["DD.MM.YYYY", "YYYY"], None),
    ],
)
def test_dates_keep_their_precision_and_are_never_filled_in(value, formats, expected):
    reader = bulk._MappingReader("m")
    assert bulk.parse_date(value, [reader.date_pattern(f) for f in formats]) == expected


def test_csv_lines_know_their_offsets_even_across_quoted_newlines():
    text = 'a,b\n1,"two\nlines"\n\n3,x\n4\n'
    lines = list(bulk.read_lines(text, "csv"))
    assert [line.number for line in lines] == [2, 5, 6]
    assert lines[0].values == {"a": "1", "b": "two\nlines"}
    assert text[lines[0].start : lines[0].end] == lines[0].quote == '1,"two\nlines"'
    assert lines[1].values == {"a": "3", "b": "x"}
    assert lines[2].values is None and "1 cells" in (lines[2].problem or "")


def test_jsonl_lines_report_what_is_not_an_object():
    text = '{"name": "A B"}\nnot json\n[1, 2]\n\n{"name": "C D"}\n'
    lines = list(bulk.read_lines(text, "jsonl"))
    assert [(line.number, line.problem is None) for line in lines] == [
        (1, True),
        (2, False),
        (3, False),
        (5, True),
    ]
    assert text[lines[3].start : lines[3].end] == '{"name": "C D"}'


def _convert(text: str, mapping: dict, name: str = "list.jsonl") -> bulk.Conversion:
    return bulk.convert(Path(name), text.encode(), bulk.Mapping.from_dict(mapping, "map.yaml"))


def test_every_record_cites_its_line_and_the_file_is_the_source():
    text = '{"n": "Ivan Ivanou", "arr": "2020-10-02", "j": "Anna Judge"}\n'
    mapping = {
        "person": {"name": "n"},
        "events": {"arrest": "arr"},
        "parties": {"judge": "j"},
    }
    conversion = _convert(text, mapping)
    doc = conversion.document
    [source] = doc["sources"]
    assert source["text"] == text and len(source["sha256"]) == 64
    cite = doc["persons"][0]["citations"][0]
    assert text[cite["span"][0] : cite["span"][1]] == cite["quote"] == text.strip()
    for item in [doc["cases"][0], *doc["cases"][0]["parties"], doc["events"][0]]:
        assert item["citations"] == [cite]
    assert doc["cases"][0]["status"] == "detained"
    assert {(p["name"], p["role"]) for p in doc["cases"][0]["parties"]} == {
        ("Ivan Ivanou", "defendant"),
        ("Anna Judge", "judge"),
    }


def test_lines_that_cannot_be_used_are_skipped_with_their_reason():
    text = "\n".join(
        [
            '{"n": "Ivan Ivanou", "b": "1990-01-01"}',
            "{broken",
            '{"n": ""}',
            '{"n": "Ivan Ivanou", "b": "1990-01-01"}',
            '{"n": "Ivan Ivanou", "b": "1991-01-01"}',
        ]
    )
    conversion = _convert(text, {"person": {"name": "n", "birth_date": "b"}})
    skipped = {r.line: r.skipped for r in conversion.skipped}
    assert set(skipped) == {2, 3, 4}
    assert "not valid JSON" in skipped[2] and "no name" in skipped[3] and "repeats line 1" in skipped[4]
    assert [p["birth_date"] for p in conversion.document["persons"]] == ["1990-01-01", "1991-01-01"]


def test_oddities_are_notes_and_the_line_is_kept():
    text = json.dumps(
        {
            "n": "Ivan Ivanou",
            "url": "https://x.org/person/ivanivanou",
            "arr": "2021-05-01",
            "ver": "2021-02-01",
            "law": "Surname",
            "arts": [],
        }
    )
    mapping = {
        "person": {"name": "n", "alias_from_url": "url"},
        "events": {"arrest": "arr", "verdict": "ver"},
        "parties": {"lawyer": "law"},
        "charges": {"column": "arts"},
    }
    [report] = _convert(text, mapping).reports
    assert report.skipped is None
    notes = " | ".join(report.notes)
    assert "verdict date 2021-02-01 is before arrest date 2021-05-01" in notes
    assert "lawyer 'Surname' is a single word" in notes
    assert "URL slug 'ivanivanou'" in notes
    assert "no charges" in notes


@pytest.mark.parametrize(
    ("mapping", "words"),
    [
        ({}, "person.name"),
        ({"person": {"name": "n"}, "events": {"jailbreak": "x"}}, "event kind 'jailbreak'"),
        ({"person": {"name": "n"}, "parties": {"butler": "x"}}, "party role 'butler'"),
        ({"person": {"name": "n", "birth_date": {"column": "b", "formats": ["DD"]}}}, "needs YYYY"),
        (
            {"person": {"name": "n"}, "case": {"status": {"column": "s", "values": {"a": "jailed"}}}},
            "'jailed'",
        ),
    ],
)
def test_a_bad_mapping_is_one_input_error(mapping, words):
    with pytest.raises(InputError, match=words):
        bulk.Mapping.from_dict(mapping, "map.yaml")


def test_the_shipped_viasna_mapping_loads():
    mapping = bulk.Mapping.load(VIASNA_MAP)
    assert mapping.name_column == "name" and mapping.country == "BY"
    assert set(mapping.events) == {"arrest", "verdict", "appeal", "release"}
    assert set(mapping.parties) == {"judge", "lawyer"}


@pytest.mark.corpus
def test_viasna_sample_converts_every_line(corpus_dir):
    path = corpus_dir / "viasna-prisoners" / "prisoners-sample.jsonl"
    conversion = bulk.convert(path, path.read_bytes(), bulk.Mapping.load(VIASNA_MAP))
    assert conversion.lines == 62 and not conversion.skipped
    assert len(conversion.document["persons"]) == len(conversion.document["cases"]) == 62
