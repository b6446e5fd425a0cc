"""Reading export files: YAML quirks, folders, and one clear error per bad file."""

from __future__ import annotations

import re

import pytest

from casetrack.errors import InputError, UsageError
from casetrack.exchange import load


def test_yaml_keeps_dates_as_text_and_no_as_a_country(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "persons:\n  - {name: Ola Nordmann, country: NO, birth_date: 1990-02-30, on: yes}\n", "utf-8"
    )
    [person] = load.read(path)["persons"]
    assert person == {"name": "Ola Nordmann", "country": "NO", "birth_date": "1990-02-30", "on": "yes"}


def test_a_folder_gives_its_export_files_only(tmp_path):
    for name in ("b.yaml", "a.json", "c.yml", "notes.txt", "page.html"):
        (tmp_path / name).write_text("{}", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.yaml").write_text("{}", "utf-8")
    assert [p.name for p in load.documents(tmp_path)] == ["a.json", "b.yaml", "c.yml"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("x.json", b"\xff\xfe{}", "not UTF-8"),
        ("x.yaml", b"", "found empty"),
        ("x.yaml", b"persons:\n  - just a name\n", "persons[0] must be a mapping"),
    ],
)
def test_bad_files_are_input_errors_naming_the_file(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(words)) as caught:
        load.read(path)
    assert str(path) in caught.value.message


def test_unknown_suffix_and_missing_path(tmp_path):
    with pytest.raises(UsageError, match="--format json"):
        load.read(tmp_path / "x.txt")
    with pytest.raises(InputError, match="no such file"):
        load.documents(tmp_path / "missing.yaml")


def test_a_path_the_file_system_refuses_is_an_input_error(tmp_path):
    too_long = tmp_path / ("a" * 300 + ".json")
    with pytest.raises(InputError, match="cannot read it: File name too long"):
        load.documents(too_long)
