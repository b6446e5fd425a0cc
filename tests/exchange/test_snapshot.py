"""The export snapshot: the ingest contract's shapes, ids, citations, nested relations, stable order."""

from __future__ import annotations

import io
import json

from casetrack.exchange import snapshot
from casetrack.exchange import write as export
from tests.records import build_record


def _snapshot(database):
    with database.session() as session:
        return snapshot.build(session)


def test_snapshot_has_every_record_with_its_citations(database):
    record = build_record(database)
    snap = _snapshot(database)
    assert list(snap) == list(snapshot.KEYS)
    persons = {p["id"]: p for p in snap["persons"]}
    assert record.merged not in persons, "a merged-away person is not exported"
    rita = persons[record.rita]
    assert rita["citations"] and rita["citations"][0]["source_id"] == record.source_24kg
    start, end = rita["citations"][0]["span"]
    source = next(s for s in snap["sources"] if s["id"] == record.source_24kg)
    assert source["text"][start:end] == rita["citations"][0]["quote"]
    ales = persons[record.ales]
    assert set(ales["aliases"]) >= {"Алесь Беляцкий", "Aleś Bialacki"}
    [membership] = ales["memberships"]
    assert membership["organisation"] == "Viasna"
    assert membership["start"] == {"date": "1996", "precision": "year", "inferred": False}
    case = next(c for c in snap["cases"] if c["id"] == record.case)
    assert {p["name"]: p["role"] for p in case["parties"]}["Rita Karasartova"] == "defendant"
    assert case["charges"][0]["person_id"] == record.rita
    protest = next(e for e in snap["events"] if e["date"]["precision"] == "month-day")
    assert protest["date"]["date"] == "--07-04"


def test_snapshot_is_deterministic_and_json_ready(database):
    build_record(database)
    first, second = io.StringIO(), io.StringIO()
    count = export(_snapshot(database), "json", first)
    export(_snapshot(database), "json", second)
    assert first.getvalue() == second.getvalue()
    assert count == sum(len(v) for v in json.loads(first.getvalue()).values())
    assert "raw_base64" not in first.getvalue()
