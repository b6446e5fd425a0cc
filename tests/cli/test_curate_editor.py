"""casetrack edit KIND REF: a YAML view in $EDITOR, validated on save, nothing saved until valid.

The editor is a tiny Python script: on its n-th run it applies the n-th list of
(old, new) replacements to the file and keeps a copy of what it was shown.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from casetrack.models import AuditEntry, Event, Person, PersonAlias
from tests.records import build_record

FAKE_EDITOR = """
import json, os, sys
from pathlib import Path
state = Path(os.environ["FAKE_EDITOR_DIR"])
runs = sorted(state.glob("seen-*.yaml"))
path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
(state / f"seen-{len(runs)}.yaml").write_text(text, encoding="utf-8")
steps = json.loads(os.environ["FAKE_EDITOR_STEPS"])
for old, new in steps[len(runs)] if len(runs) < len(steps) else []:
    assert old in text, (old, text)
    text = text.replace(old, new)
path.write_text(text, encoding="utf-8")
"""


@pytest.fixture
def record(database):
    return build_record(database)


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Installs the fake editor; call it with the replacement steps; returns what each run saw."""
    script = tmp_path / "fake_editor.py"
    script.write_text(FAKE_EDITOR, encoding="utf-8")
    state = tmp_path / "editor-state"
    state.mkdir()
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    monkeypatch.setenv("FAKE_EDITOR_DIR", str(state))

    def install(*steps: list[tuple[str, str]]) -> list[Path]:
        for old_run in state.glob("seen-*.yaml"):
            old_run.unlink()
        monkeypatch.setenv("FAKE_EDITOR_STEPS", json.dumps(steps))
        return [state / f"seen-{i}.yaml" for i in range(len(steps) + 1)]

    return install


def audit_count(database) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(AuditEntry)).one()


def test_invalid_save_shows_errors_then_reopens_until_valid(cli, database, record, editor):
    seen = editor(
        [("birth_date: null", "birth_date: 31 February"), ("country: KG", "country: Kyrgyzstan")],
        [("31 February", "1984-05"), ("Kyrgyzstan", "KG")],
    )
    result = cli("edit", "person", "Rita Karasartova", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert "casetrack: invalid: birth_date: '31 February' is not a date" in result.stderr
    assert "two-letter ISO code" in result.stderr
    assert result.stdout.rstrip().endswith(")") and "edited person #1 Rita Karasartova" in result.stdout
    reopened = seen[1].read_text(encoding="utf-8")
    assert "# ERRORS" in reopened and "31 February" in reopened  # the user's own text, with the errors
    with database.session() as session:
        rita = session.get(Person, record.rita)
        assert (rita.birth_date, rita.birth_date_precision, rita.country) == ("1984-05", "month", "KG")
        assert "birth_date" in json.loads(rita.curated_fields)
    fields = [e["field"] for e in json.loads(cli("log", "--format", "json").stdout)]
    assert fields == ["birth_date"]


def test_declining_to_reopen_saves_nothing(cli, database, record, editor):
    editor([("status: on_trial", "status: imprisoned")])
    before = audit_count(database)
    result = cli("edit", "case", "Kempir", input="n\n")
    assert result.exit_code == 5
    assert "imprisoned" in result.stderr and "on_trial, convicted" in result.stderr
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(AuditEntry)).one() == before
        assert cli("show", "case", "Kempir", "--format", "json").stdout.count('"status": "on_trial"') == 1


def test_unchanged_file_changes_nothing(cli, database, record, editor):
    editor([("# casetrack: editing", "# I only read it; casetrack: editing")])
    result = cli("edit", "org", "Amnesty")
    assert result.exit_code == 0 and result.stdout.strip() == "nothing changed"
    assert audit_count(database) == 0


def test_aliases_and_links_are_edited_too(cli, database, record, editor):
    editor([("- Алесь Беляцкий\n", "- Алесь Беляцкий\n- Ales Bialatski\n"), ("- Aleś Bialacki\n", "")])
    result = cli("edit", "person", "Ales Bialiatski")
    assert result.exit_code == 0, result.stderr
    with database.session() as session:
        names = set(session.exec(select(PersonAlias.name).where(PersonAlias.person_id == record.ales)).all())
    assert names == {"Алесь Беляцкий", "Ales Bialatski"}

    editor([("case: null", "case: Viasna case"), ("kind: protest", "kind: hearing")])
    result = cli("edit", "event", str(record.events["protest"]))
    assert result.exit_code == 0, result.stderr
    with database.session() as session:
        event = session.get(Event, record.events["protest"])
        assert event.kind == "hearing" and event.case_id is not None


def test_unknown_field_in_the_file_is_rejected(cli, database, record, editor):
    editor([("notes:", "favourite_colour: blue\nnotes:")])
    result = cli("edit", "person", "Ales Bialiatski", input="n\n")
    assert result.exit_code == 5 and "unknown person field 'favourite_colour'" in result.stderr
    assert audit_count(database) == 0
