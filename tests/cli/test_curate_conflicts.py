"""Curated values win: a forced re-ingest keeps the curator's value and shows the extracted one as a conflict."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLE = """Lawyer detained in Bishkek

Published 12 March 2024

Aigul Temirova, a human rights lawyer, was detained in Bishkek on 10 March 2024. Aigul Temirova faces up
to 10 years in prison under Article 278 of the Criminal Code. The Kyrgyz Bar Association called for her release.
"""


def test_curated_description_survives_forced_reingest_and_conflict_shows(cli, tmp_path: Path):
    article = tmp_path / "temirova.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert cli("ingest", str(article)).exit_code == 0
    extracted = json.loads(cli("show", "person", "Aigul Temirova", "--format", "json").stdout)["description"]
    assert extracted  # the article states one

    edited = cli(
        "person", "edit", "Aigul Temirova", "--set", "description=defence lawyer, detained for her work"
    )
    assert edited.exit_code == 0, edited.stderr
    reingested = cli("ingest", "--force", str(article))
    assert reingested.exit_code == 0, reingested.stderr

    view = json.loads(cli("show", "person", "Aigul Temirova", "--format", "json").stdout)
    assert view["description"] == "defence lawyer, detained for her work"
    assert [(c["field"], c["curated_value"], c["extracted_value"]) for c in view["conflicts"]] == [
        ("description", "defence lawyer, detained for her work", extracted)
    ]
    table = cli("show", "person", "Aigul Temirova").stdout
    conflicts = table.split("conflicts (curated value kept)")[1].split("latest events")[0]
    assert extracted in conflicts and "#1" in conflicts  # the extracted value and its source

    dossier = cli("report", "person", "Aigul Temirova").stdout
    questions = dossier.split("## Open questions", 1)[1].split("\n## ", 1)[0]
    assert "recorded “defence lawyer, detained for her work”" in questions and "\\[" in questions
    assert "Open questions" not in cli("report", "person", "Aigul Temirova", "--public").stdout


def test_conflicts_await_review_keep_or_take(cli, tmp_path: Path):
    article = tmp_path / "temirova.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert cli("ingest", str(article)).exit_code == 0
    assert cli("person", "edit", "Aigul Temirova", "--set", "description=defence lawyer").exit_code == 0
    assert cli("ingest", "--force", str(article)).exit_code == 0
    pending = json.loads(cli("review", "--list", "--format", "json").stdout)["conflicts"]
    assert [(c["record"], c["field"], c["curated_value"]) for c in pending] == [
        ("person #1 Aigul Temirova", "description", "defence lawyer")
    ]
    conflict_id, extracted = str(pending[0]["id"]), pending[0]["extracted_value"]

    taken = cli("review", "--take", conflict_id)
    assert taken.exit_code == 0 and "took the extracted value" in taken.stdout
    view = json.loads(cli("show", "person", "Aigul Temirova", "--format", "json").stdout)
    assert view["description"] == extracted and view["conflicts"] == []
    assert cli("review", "--keep", conflict_id).exit_code == 7  # already settled

    assert cli("undo").exit_code == 0  # the conflict is open again, the curated value back
    view = json.loads(cli("show", "person", "Aigul Temirova", "--format", "json").stdout)
    assert view["description"] == "defence lawyer" and len(view["conflicts"]) == 1
    kept = cli("review", "--keep", conflict_id)
    assert kept.exit_code == 0 and "kept the curated value" in kept.stdout
    assert json.loads(cli("show", "person", "Aigul Temirova", "--format", "json").stdout)["conflicts"] == []
    assert "no conflicts open" in cli("review", "--list").stdout
