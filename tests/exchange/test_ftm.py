"""The FtM export: every entity loads in followthemoney without losing a single property value."""

from __future__ import annotations

import io
import json

import pytest
from followthemoney import model, registry

from casetrack.exchange import ftm

SNAPSHOT = {
    "sources": [
        {
            "id": 1,
            "title": "Kempir-Abad case: petition",
            "publisher": "24.kg",
            "url": "https://24.kg/english/293644/",
            "language": "en",
            "published": {"date": "2024-05-10", "precision": "day", "inferred": False},
            "retrieved": {"date": "2026-11-20", "precision": "day", "inferred": False},
            "sha256": "a" * 64,
            "text": "Amnesty International collected 50,000 signatures.",
        }
    ],
    "persons": [
        {
            "id": 1,
            "name": "Rita Karasartova",
            "aliases": ["Рита Карасартова"],
            "description": "activist",
            "country": "KG",
            "memberships": [{"organisation": "Amnesty International", "role": "supporter"}],
            "citations": [{"source_id": 1, "quote": "Rita Karasartova faces up to 15 years.", "field": None}],
        },
        {
            "id": 2,
            "name": "Ales Bialiatski",
            "aliases": ["Aleś Bialacki"],
            "country": "BY",
            "memberships": [],
        },
    ],
    "organisations": [
        {"id": 1, "name": "Amnesty International", "aliases": [], "kind": "ngo", "country": None},
        {"id": 2, "name": "Pervomaisky District Court", "aliases": [], "kind": "court", "country": "KG"},
    ],
    "cases": [
        {
            "id": 1,
            "name": "Kempir-Abad case",
            "country": "KG",
            "status": "on_trial",
            "parties": [
                {"name": "Rita Karasartova", "role": "defendant"},
                {"name": "Pervomaisky District Court", "role": "judge"},
            ],
            "charges": [
                {
                    "person": "Rita Karasartova",
                    "charge": "mass riots",
                    "legal_article": "Art. 326",
                    "legal_article_raw": "Article 326",
                    "max_penalty": "15 years",
                    "sentence": None,
                    "date": {"date": None, "precision": "unknown", "inferred": False},
                }
            ],
            "citations": [{"source_id": 1, "quote": "Kempir-Abad case"}],
        }
    ],
    "events": [
        {
            "id": 1,
            "kind": "petition",
            "date": {"date": "2024-05", "precision": "month", "inferred": False},
            "summary": "Petition",
            "persons": ["Rita Karasartova"],
            "organisations": ["Amnesty International"],
            "actors": ["Amnesty International"],
            "case": "Kempir-Abad case",
            "location": None,
            "citations": [{"source_id": 1, "quote": "Amnesty International collected 50,000 signatures."}],
        },
        {
            "id": 2,
            "kind": "protest",
            "date": {"date": "--07-04", "precision": "month-day", "inferred": False},
            "summary": "Protest in Bishkek",
            "persons": ["Ales Bialiatski"],
            "organisations": [],
            "actors": [],
            "location": "Bishkek",
        },
        {
            "id": 3,
            "kind": "trial",
            "date": {"date": "2024", "precision": "year", "inferred": True},
            "summary": "Trial",
            "persons": [],
            "organisations": [],
            "actors": [],
        },
    ],
}


def _export(snapshot):
    out = io.StringIO()
    count = ftm.write(snapshot, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(lines)
    return lines


def assert_lossless(entity: dict) -> None:
    proxy = model.get_proxy(entity, cleaned=False)
    assert registry.entity.clean(entity["id"]) == entity["id"], f"id FtM cannot reference: {entity['id']!r}"
    loaded = proxy.to_dict()["properties"]
    for prop, values in entity["properties"].items():
        assert sorted(loaded.get(prop, [])) == sorted(values), f"{entity['schema']}.{prop} lost: {values!r}"


def test_every_entity_loads_without_losing_a_value():
    entities = _export(SNAPSHOT)
    schemata = {e["schema"] for e in entities}
    assert schemata == {
        "Article",
        "Person",
        "Organization",
        "PublicBody",
        "CourtCase",
        "CourtCaseParty",
        "Membership",
        "Event",
        "Documentation",
    }
    for entity in entities:
        assert_lossless(entity)
    ids = {e["id"] for e in entities}
    for entity in entities:  # every reference points at an exported entity
        proxy = model.get_proxy(entity, cleaned=False)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids


def test_the_checker_catches_what_ftm_drops():
    for bad in (
        {"id": "has space", "schema": "Person", "properties": {"name": ["x"]}},
        {"id": "p", "schema": "Person", "properties": {"birthDate": ["4 July"]}},
        {"id": "p", "schema": "Person", "properties": {"madeUpProperty": ["x"]}},
    ):
        with pytest.raises(AssertionError):
            assert_lossless(bad)


def test_dates_keep_precision_and_never_invent_a_year():
    events = {e["id"]: e for e in _export(SNAPSHOT) if e["schema"] == "Event"}
    assert events["casetrack-event-1"]["properties"]["date"] == ["2024-05"]
    protest = events["casetrack-event-2"]["properties"]
    assert "date" not in protest and protest["summary"] == ["4 July, year unknown: Protest in Bishkek"]
    trial = events["casetrack-event-3"]["properties"]
    assert trial["date"] == ["2024"] and "inferred" in trial["description"][0]
    [article] = [e for e in _export(SNAPSHOT) if e["schema"] == "Article"]
    assert article["properties"]["contentHash"] == ["a" * 64]
    assert article["properties"]["publishedAt"] == ["2024-05-10"]
    assert article["properties"]["language"] == ["eng"]
    petition = events["casetrack-event-1"]["properties"]
    assert petition["organizer"] == ["casetrack-org-1"]
    assert set(petition["involved"]) == {"casetrack-person-1", "casetrack-case-1"}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_text = st.text(min_size=1, max_size=40)


@settings(max_examples=400, deadline=None)
@given(name=_text, alias=_text, quote=_text, description=st.text(max_size=200), summary=_text)
def test_arbitrary_text_survives_loading(name, alias, quote, description, summary):
    snapshot = {
        "persons": [
            {
                "id": 7,
                "name": name,
                "aliases": [alias],
                "description": description,
                "citations": [{"source_id": 1, "quote": quote}],
            }
        ],
        "sources": [{"id": 1, "title": summary, "text": description, "sha256": "b" * 64}],
        "events": [
            {
                "id": 1,
                "kind": "other",
                "summary": summary,
                "persons": [name],
                "actors": [],
                "date": {"date": "2024-02-29", "precision": "day", "inferred": False},
            }
        ],
    }
    for entity in _export(snapshot):
        assert_lossless(entity)


def test_imported_seed_records_export_to_ftm_without_loss(database):
    """The curated seeds (partial dates, party roles, memberships) through import, snapshot and FtM."""
    from casetrack.exchange import load, snapshot
    from casetrack.store.importer import import_document
    from tests.conftest import REPO

    for path in load.documents(REPO / "seeds"):
        with database.session(write=True) as session:
            import_document(session, load.read(path), actor="test", where=str(path))
    with database.session() as session:
        entities = _export(snapshot.build(session))
    for entity in entities:
        assert_lossless(entity)
    by_schema: dict[str, list[dict]] = {}
    for entity in entities:
        by_schema.setdefault(entity["schema"], []).append(entity)
    assert {
        "Person",
        "Organization",
        "PublicBody",
        "CourtCase",
        "CourtCaseParty",
        "Membership",
        "Event",
    } <= set(by_schema)
    protest = next(
        e
        for e in by_schema["Event"]
        if "keywords" in e["properties"] and e["properties"]["keywords"] == ["protest"]
    )
    assert "date" not in protest["properties"]
    assert protest["properties"]["summary"][0].startswith("4 July, year unknown")
    ids = {e["id"] for e in entities}
    for entity in entities:
        proxy = model.get_proxy(entity, cleaned=False)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, (entity["schema"], prop.name, value)
