"""FollowTheMoney export: the record as JSON Lines entities for Aleph and OpenSanctions tooling.

Input is the export snapshot (see :mod:`casetrack.exchange.snapshot`): a dict of
lists -- ``sources``, ``persons``, ``organisations``, ``cases``, ``events`` --
whose items are the ``to_json`` shapes of :mod:`casetrack.ingest.types` plus an
``id`` and ``citations`` (``[{"source_id", "quote", ...}]``). References inside
them (a party's ``name``, a membership's ``organisation``, an event's
``persons``) are names, resolved here against the snapshot's own records (by
name or alias, through :func:`casetrack.ingest.names.name_key`); an ``*_id``
key wins when present.

Mapping: Person; Organization, or PublicBody for courts and government bodies;
CourtCase; CourtCaseParty (party, case, role); Membership; Event (involved /
organizer); Article for each source; Documentation linking a source to every
record it states, with the quoted sentence as ``summary``.

FtM silently drops what it cannot parse, so every value written here is in the
form FtM keeps: ids are ``casetrack-<type>-<id>`` (no spaces), countries
lower-case ISO codes, languages ISO 639-3, dates ISO prefixes (``2024``,
``2024-05``, ``2024-05-10``). A date without a year ("--07-04") has no FtM form:
it goes into the event's ``summary`` in words ("4 July, year unknown") and no
year is invented; an inferred date is said so in ``description``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any, TextIO

from casetrack.dates import PartialDate
from casetrack.ingest.names import name_key
from casetrack.vocab import Precision

PREFIX = "casetrack"
PUBLIC_BODY_KINDS = {"court", "government"}
LANGUAGES = {
    "en": "eng",
    "ru": "rus",
    "ky": "kir",
    "kk": "kaz",
    "be": "bel",
    "uk": "ukr",
    "uz": "uzb",
    "tg": "tgk",
    "tk": "tuk",
    "az": "aze",
    "hy": "hye",
    "ka": "kat",
    "de": "deu",
    "fr": "fra",
    "es": "spa",
    "tr": "tur",
}
_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SPACES = {"Zs", "Zl", "Zp"}
_QUOTED = re.compile(r"^[\"'](.*)[\"']$")
NAME_PROPS = {"name", "alias", "weakAlias", "previousName"}
_FTM_PRECISIONS = {Precision.year, Precision.month, Precision.day, Precision.minute}


def entity_id(kind: str, record_id: Any) -> str:
    return f"{PREFIX}-{kind}-{record_id}"


def _entity(schema: str, ident: str, **props: Any) -> dict[str, Any]:
    properties: dict[str, list[str]] = {}
    for key, value in props.items():
        values = value if isinstance(value, list) else [value]
        cleaned = [c for c in (_clean(v, key) for v in values if v is not None) if c]
        if cleaned:
            properties[key] = list(dict.fromkeys(cleaned))
    return {"id": ident, "schema": schema, "properties": properties}


def _clean(value: Any, prop: str) -> str:
    """Text as FtM keeps it: no control or invisible characters; names squashed and unquoted."""
    text = "".join(
        " " if unicodedata.category(ch) in _SPACES else ch
        for ch in unicodedata.normalize("NFC", str(value))
        if ch in "\n\t" or unicodedata.category(ch) not in _DROPPED
    ).strip()
    if prop in NAME_PROPS:
        text = " ".join(_QUOTED.sub(r"\1", text).split())
    return text


def ftm_date(value: Any) -> tuple[str | None, str | None]:
    """(FtM date prefix, words for a date FtM cannot hold)."""
    if not value:
        return None, None
    date = PartialDate.from_json(value) if isinstance(value, dict | str) else PartialDate.unknown()
    if not date.known:
        return None, None
    if date.precision in _FTM_PRECISIONS:
        return date.value, None
    return None, date.display()


def _inferred_note(value: Any) -> str | None:
    return "date inferred from context" if isinstance(value, dict) and value.get("inferred") else None


def _country(code: Any) -> str | None:
    return str(code).lower() if code else None


class _Names:
    """Snapshot names (and aliases) to entity ids, for references given by name."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}

    def add(self, group: str, item: dict[str, Any], ident: str) -> None:
        for name in [item.get("name"), *item.get("aliases", [])]:
            if name:
                self._ids.setdefault((group, name_key(str(name))), ident)

    def get(self, group: str, name: Any) -> str | None:
        return self._ids.get((group, name_key(str(name)))) if name else None


def _items(snapshot: dict[str, Any], *keys: str) -> list[dict[str, Any]]:
    for key in keys:
        if snapshot.get(key):
            return list(snapshot[key])
    return []


def entities(snapshot: dict[str, Any]) -> Iterator[dict[str, Any]]:
    names = _Names()
    persons = _items(snapshot, "persons", "person")
    orgs = _items(snapshot, "organisations", "orgs", "organizations", "organisation")
    cases = _items(snapshot, "cases", "case")
    events = _items(snapshot, "events", "event")
    sources = _items(snapshot, "sources", "source")
    for p in persons:
        names.add("party", p, entity_id("person", p["id"]))
    for o in orgs:
        names.add("party", o, entity_id("org", o["id"]))
        names.add("org", o, entity_id("org", o["id"]))
    for c in cases:
        names.add("case", c, entity_id("case", c["id"]))

    for s in sources:
        yield _article(s)
    for p in persons:
        yield from _person(p, names)
    for o in orgs:
        yield _org(o)
    for c in cases:
        yield from _case(c, names)
    for e in events:
        yield _event(e, names)
    for items, kind in ((persons, "person"), (orgs, "org"), (cases, "case"), (events, "event")):
        for item in items:
            yield from _documentation(item, entity_id(kind, item["id"]))


def _article(s: dict[str, Any]) -> dict[str, Any]:
    published, published_words = ftm_date(s.get("published"))
    retrieved, _ = ftm_date(s.get("retrieved"))
    notes = [f"published: {published_words}"] if published_words else []
    language = LANGUAGES.get(str(s.get("language") or "").lower()[:2]) if s.get("language") else None
    return _entity(
        "Article",
        entity_id("source", s["id"]),
        title=s.get("title"),
        name=s.get("title") or s.get("url") or s.get("input"),
        publisher=s.get("publisher"),
        sourceUrl=s.get("url"),
        publishedAt=published,
        retrievedAt=retrieved,
        bodyText=s.get("text"),
        language=language,
        notes=notes,
        contentHash=s.get("sha256"),
    )


def _person(p: dict[str, Any], names: _Names) -> Iterator[dict[str, Any]]:
    ident = entity_id("person", p["id"])
    birth, birth_words = ftm_date(p.get("birth_date"))
    yield _entity(
        "Person",
        ident,
        name=p.get("name"),
        alias=p.get("aliases", []),
        description=p.get("description"),
        country=_country(p.get("country")),
        birthDate=birth,
        notes=p.get("notes"),
        summary=f"born {birth_words}" if birth_words else None,
    )
    for number, m in enumerate(p.get("memberships", []), 1):
        org = (
            entity_id("org", m["organisation_id"])
            if m.get("organisation_id")
            else names.get("org", m.get("organisation"))
        )
        if org is None:
            continue
        start, start_words = ftm_date(m.get("start"))
        end, end_words = ftm_date(m.get("end"))
        words = "; ".join(
            w for w in (start_words and f"from {start_words}", end_words and f"until {end_words}") if w
        )
        yield _entity(
            "Membership",
            (m.get("id") and entity_id("membership", m["id"])) or f"{ident}-membership-{number}",
            member=ident,
            organization=org,
            role=m.get("role"),
            startDate=start,
            endDate=end,
            summary=words or None,
        )


def _org(o: dict[str, Any]) -> dict[str, Any]:
    schema = "PublicBody" if o.get("kind") in PUBLIC_BODY_KINDS else "Organization"
    return _entity(
        schema,
        entity_id("org", o["id"]),
        name=o.get("name"),
        alias=o.get("aliases", []),
        country=_country(o.get("country")),
        description=o.get("description"),
        classification=o.get("kind"),
        notes=o.get("notes"),
    )


def _case(c: dict[str, Any], names: _Names) -> Iterator[dict[str, Any]]:
    ident = entity_id("case", c["id"])
    charges = c.get("charges", [])
    lines = []
    for charge in charges:
        parts = [
            charge.get("person"),
            charge.get("charge"),
            charge.get("legal_article") or charge.get("legal_article_raw"),
        ]
        line = ": ".join(str(x) for x in parts if x)
        if charge.get("max_penalty"):
            line += f" (maximum penalty: {charge['max_penalty']})"
        if charge.get("sentence"):
            line += f" (sentence: {charge['sentence']})"
        lines.append(line)
    court = next(
        (names.get("org", p.get("name")) for p in c.get("parties", []) if p.get("role") == "judge"), None
    )
    yield _entity(
        "CourtCase",
        ident,
        name=c.get("name"),
        country=_country(c.get("country")),
        status=c.get("status"),
        summary=c.get("summary"),
        description="\n".join(lines) or None,
        notes=c.get("notes"),
        category=[ch.get("legal_article") for ch in charges],
        court=court,
    )
    for number, party in enumerate(c.get("parties", []), 1):
        party_id = names.get("party", party.get("name"))
        if party.get("person_id"):
            party_id = entity_id("person", party["person_id"])
        elif party.get("organisation_id"):
            party_id = entity_id("org", party["organisation_id"])
        if party_id is None:
            continue
        yield _entity(
            "CourtCaseParty", f"{ident}-party-{number}", case=ident, party=party_id, role=party.get("role")
        )


def _event(e: dict[str, Any], names: _Names) -> dict[str, Any]:
    date, words = ftm_date(e.get("date"))
    summary = e.get("summary") or ""
    if words:
        summary = f"{words}: {summary}" if summary else words
    actors = {name_key(a) for a in e.get("actors", [])}
    involved: list[str] = []
    organizer: list[str] = []
    for name in [*e.get("persons", []), *e.get("organisations", [])]:
        ident = names.get("party", name)
        if ident:
            (organizer if name_key(name) in actors else involved).append(ident)
    case = names.get("case", e.get("case"))
    if case:
        involved.append(case)
    return _entity(
        "Event",
        entity_id("event", e["id"]),
        name=f"{e.get('kind', 'event')}: {e.get('summary', '')}"[:200],
        date=date,
        summary=summary or None,
        location=e.get("location"),
        involved=involved,
        organizer=organizer,
        description=_inferred_note(e.get("date")),
        keywords=e.get("kind"),
    )


def _documentation(item: dict[str, Any], ident: str) -> Iterator[dict[str, Any]]:
    for number, citation in enumerate(item.get("citations", []), 1):
        if citation.get("source_id") is None:
            continue
        yield _entity(
            "Documentation",
            f"{ident}-cite-{number}",
            document=entity_id("source", citation["source_id"]),
            entity=ident,
            summary=citation.get("quote"),
            role=citation.get("field"),
        )


def write(snapshot: dict[str, Any], out: TextIO) -> int:
    """Write one FtM entity per line; returns how many were written."""
    count = 0
    for entity in entities(snapshot):
        out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
