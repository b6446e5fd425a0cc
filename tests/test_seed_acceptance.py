"""The seed articles against ../shared/seeds/expected.yaml.

Every expected person, organisation, case, charge and event must be found with
its details and nothing in ``must_not`` may become a record. Names match through
``casetrack.ingest.names`` (same key or transliteration match, or a found name
that is the expected one with its trailing qualifier missing, e.g. "Embassy of
Belarus" for "Embassy of Belarus in Kyrgyzstan").

Until ``casetrack.ingest.pipeline`` lands, the article body is cut by hand from
the saved page (title line to the end-of-article marker) and the publication
date comes from expected.yaml; afterwards the real pipeline is used.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml

from casetrack.dates import PartialDate
from casetrack.ingest.extract import extract
from casetrack.ingest.names import AUTO_MERGE, NameProfile, match_score, name_key
from casetrack.ingest.types import Extraction
from tests.ingest.extract.helpers import assert_quotes_exact, document

END_MARKERS = ("\nlink:", "\nWrite your comment")
SEEDS = ["000_ce902227b9a06b84.txt", "003_c6731568ab90a96d.txt"]


def _cut_body(text: str, title: str) -> str:
    start = text.index("\n" + title + "\n") + 1
    end = min(text.find(m, start) for m in END_MARKERS if text.find(m, start) != -1)
    return text[start:end]


def _extraction(path: Path, expected: dict[str, Any]) -> Extraction:
    source = expected["source"]
    if (
        importlib.util.find_spec("casetrack.ingest.pipeline") is not None
    ):  # pragma: no cover - switch when it lands
        from casetrack.ingest import pipeline

        analysis = pipeline.analyse(str(path))
        assert_quotes_exact(analysis.extraction, analysis.document.text)
        return analysis.extraction
    text = _cut_body(path.read_text(encoding="utf-8"), source["title"])
    published = source.get("published", {}).get("date")
    doc = document(text, published, source.get("language"))
    doc.published = PartialDate.parse(published)
    result = extract(doc)
    assert_quotes_exact(result, text)
    return result


def _same(found: str, aliases: list[str], wanted: str) -> bool:
    names = [found, *aliases]
    if any(name_key(n) == name_key(wanted) for n in names):
        return True
    if match_score(NameProfile(names), NameProfile([wanted])).score >= AUTO_MERGE:
        return True
    return any(name_key(wanted).startswith(name_key(n) + " in ") for n in names)


def _find(records: list[Any], spec: dict[str, Any]) -> Any:
    wanted = [spec["name"], *spec.get("aliases", [])]
    for record in records:
        if any(_same(record.name, list(getattr(record, "aliases", [])), w) for w in wanted):
            return record
    raise AssertionError(f"{spec['name']!r} not found among {[r.name for r in records]}")


def _members(spec: dict[str, Any]) -> list[dict[str, str]]:
    member_of = spec.get("member_of") or []
    return [member_of] if isinstance(member_of, dict) else list(member_of)


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_yields_expected_records(seed: str, seeds_dir: Path) -> None:
    spec = yaml.safe_load((seeds_dir / "expected.yaml").read_text(encoding="utf-8"))[seed]
    result = _extraction(seeds_dir / seed, spec)
    org_names = {o.name: [o.name, *o.aliases] for o in result.organisations}

    spellings = {o["name"]: [o["name"], *o.get("aliases", [])] for o in spec["organisations"]}

    def same_org(found: str, wanted: str) -> bool:
        return any(_same(found, org_names.get(found, []), w) for w in spellings.get(wanted, [wanted]))

    for person_spec in spec["persons"]:
        person = _find(result.persons, person_spec)
        if person_spec.get("country"):
            assert person.country == person_spec["country"], person
        for membership in _members(person_spec):
            assert any(same_org(m.organisation, membership["org"]) for m in person.memberships), (
                person,
                membership,
            )
    for org_spec in spec["organisations"]:
        org = _find(result.organisations, org_spec)
        assert org.kind == org_spec["kind"], org
        if org_spec.get("country"):
            assert org.country == org_spec["country"], org
    for case_spec in spec["cases"]:
        case = next(
            (
                c
                for c in result.cases
                if _same(c.name, [], case_spec["name"])
                or any(
                    _same(p.name, [], party["name"]) and p.role == party["role"]
                    for p in c.parties
                    for party in case_spec["persons"]
                )
            ),
            None,
        )
        assert case is not None, (case_spec["name"], [c.name for c in result.cases])
        assert case.country == case_spec["country"]
        for party in case_spec["persons"]:
            assert any(_same(p.name, [], party["name"]) and p.role == party["role"] for p in case.parties), (
                case
            )
        for charge_spec in case_spec.get("charges", []):
            assert any(
                c.person == charge_spec["person"]
                and c.charge == charge_spec["charge"]
                and c.max_penalty == charge_spec.get("max_penalty")
                for c in case.charges
            ), case.charges
        if case_spec["status"].startswith("charged"):
            assert case.status in ("charged", "on_trial")
        if case_spec["status"].startswith("imprisoned"):
            assert case.status in ("detained", "convicted")
    for event_spec in spec["events"]:
        kind = event_spec["kind"].split()[0]
        candidates = [
            e
            for e in result.events
            if e.kind == kind
            and all(
                any(_same(a, org_names.get(a, []), w) for a in e.actors) for w in event_spec.get("actors", [])
            )
            and all(any(_same(p, [], w) for p in e.persons) for w in event_spec.get("subjects", []))
            and all(e.figures.get(k) == v for k, v in (event_spec.get("figures") or {}).items())
        ]
        assert candidates, (
            event_spec["summary"],
            [(e.kind, e.actors, e.persons, e.figures) for e in result.events],
        )
        event = candidates[0]
        date = event_spec.get("date")
        if date is None:
            assert not event.date.known or event.date.inferred, event
        else:
            assert event.date.value == date["date"] and event.date.precision == date["precision"]
        if event_spec.get("location"):
            assert event.location and event.location.split(",")[0] in event_spec["location"]
    names = (
        [p.name for p in result.persons]
        + [o.name for o in result.organisations]
        + [c.name for c in result.cases]
    )
    for forbidden in spec.get("must_not", []):
        assert not any(name_key(forbidden) in name_key(n) for n in names), forbidden
