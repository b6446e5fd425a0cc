"""Importing the export format: create or update every record of one document, audited.

:func:`import_document` writes one document (see :mod:`casetrack.exchange.load`)
inside the caller's transaction, through an :class:`~casetrack.store.audit.Recorder`
so that every row it creates or changes is in ``casetrack log`` and can be
undone. A bad value anywhere raises an error naming the file and the record;
the caller's transaction then keeps nothing of the file.

**Ids.** The ids in a file are references *inside that file* (a citation's
``source_id``, a party's ``person_id``). Each record is first matched with the
database; a new record keeps the file's id when that id is free (so importing
an export into an empty database gives back every id, and exporting again is
byte-identical), otherwise it gets a new one, and every reference in the file
is translated. On PostgreSQL the id sequences are moved past ids written
explicitly.

**Matching** (re-importing updates, never duplicates); each database record is
matched by at most one record of a file, and a record whose file id equals a
candidate's id is preferred:

* sources by sha256;
* persons by the key of the name or any alias (:func:`~casetrack.ingest.names.name_key`),
  never across two different known birth dates;
* organisations by name or alias key, cases by name key (never across countries);
* events by kind and case, then the same date or the same summary;
* memberships, parties, charges, participants, aliases and citations by what
  they link (and their role, article or quote).

**Updates.** Only the keys a file gives are applied, so a short hand-written
file never blanks a field. A field a curator has set (``curated_fields`` of the
row) is left alone unless the file marks it curated too.

**Origin.** A record keeps the ``origin`` its file states (an export restores
as it was); where the file states none -- hand-written files and bulk lists --
it is ``imported``. A curated record without ``curated_fields`` marks every
field it gives as curated, so a later ingest never overwrites it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel import Session, SQLModel, col, func, select

from casetrack.dates import InvalidDate, PartialDate
from casetrack.errors import Ambiguous, InvalidValue
from casetrack.ingest.names import name_key, phonetic_key
from casetrack.models import (
    Case,
    CaseParty,
    Charge,
    Citation,
    Event,
    EventParticipant,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Source,
)
from casetrack.store.audit import Recorder, row_dict, type_name
from casetrack.vocab import CaseStatus, EventKind, OrgKind, Origin, ParticipantRole, PartyRole

KIND_NAMES = {"persons": "person", "organisations": "organisation", "cases": "case", "events": "event"}


@dataclass
class ImportResult:
    """What one document did: counts per record type, and the audit change id."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    change_id: str | None = None

    @property
    def totals(self) -> tuple[int, int, int]:
        return sum(self.created.values()), sum(self.updated.values()), sum(self.unchanged.values())


def import_document(
    session: Session,
    document: dict[str, Any],
    *,
    actor: str,
    where: str,
    link_previous_by_input: bool = False,
    keep_ids: bool = True,
) -> ImportResult:
    """Write ``document`` into the session (the caller's transaction); see the module docstring.

    ``keep_ids=False`` treats the file's ids as references only (bulk lists number
    their records by line); ``link_previous_by_input`` makes a new source the next
    version of the latest one read from the same path.
    """
    importer = _Importer(session, Recorder(session, actor), where, link_previous_by_input)
    importer.keep_ids = keep_ids
    importer.run(document)
    return importer.result


class _Importer:
    def __init__(self, session: Session, recorder: Recorder, where: str, link_previous: bool) -> None:
        self.session = session
        self.recorder = recorder
        self.where = where
        self.link_previous = link_previous
        self.keep_ids = True
        self.at = ""
        self.result = ImportResult()
        self.ids: dict[tuple[str, Any], int] = {}
        self.claimed: set[tuple[str, int]] = set()
        self.file_names: dict[tuple[str, str], int] = {}
        self.explicit_ids: set[str] = set()
        self.new_parties: set[tuple[str, int]] = set()
        self.pending: list[SQLModel] = []
        self.index = _Index(session)

    # --- driving ---------------------------------------------------------------------------

    def run(self, document: dict[str, Any]) -> None:
        for number, item in enumerate(document.get("sources", [])):
            self._at("sources", number, item.get("title") or item.get("input"))
            self._source(item)
        for number, item in enumerate(document.get("organisations", [])):
            self._at("organisations", number, item.get("name"))
            self._organisation(item)
        persons = document.get("persons", [])
        for number, item in enumerate(persons):
            self._at("persons", number, item.get("name"))
            self._person(item)
        for number, item in enumerate(persons):
            self._at("persons", number, item.get("name"))
            self._memberships(item)
        for number, item in enumerate(document.get("cases", [])):
            self._at("cases", number, item.get("name"))
            self._case(item)
        for number, item in enumerate(document.get("events", [])):
            self._at("events", number, item.get("summary"))
            self._event(item)
        self._create_pending()
        self._advance_sequences()
        self.result.change_id = self.recorder.finish() if self.recorder.entries else None

    def _at(self, key: str, number: int, label: Any) -> None:
        self.at = f"{key}[{number}]" + (f" ({str(label)[:60]})" if label else "")

    def fail(self, message: str, hint: str | None = None) -> InvalidValue:
        return InvalidValue(f"{self.where}: {self.at}: {message}", hint=hint)

    # --- values ----------------------------------------------------------------------------

    def text(self, item: dict[str, Any], key: str, *, required: bool = False) -> str | None:
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(f"{key!r} is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(f"{key!r} must be text, found {type(value).__name__}")
        return str(value).strip()

    def date(self, item: dict[str, Any], key: str) -> PartialDate:
        value = item.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str | dict):
            raise self.fail(f"{key!r} must be a date like 2024-05-10 or {{date, precision}}")
        try:
            parsed = PartialDate.from_json(value)
        except InvalidDate as exc:
            raise self.fail(f"{key}: {exc}") from None
        stated = value.get("precision") if isinstance(value, dict) else None
        if stated and parsed.known and stated != parsed.precision.value:
            raise self.fail(f"{key}: precision {stated!r} does not fit the date {parsed.value!r}")
        return parsed

    def vocab(self, value: Any, enum: type[StrEnum], what: str) -> str:
        try:
            return enum(str(value).strip().lower().replace(" ", "_").replace("-", "_")).value
        except ValueError:
            try:
                return enum(str(value).strip().lower()).value
            except ValueError:
                choices = ", ".join(m.value for m in enum)
                raise self.fail(f"{what} {value!r} is not one of: {choices}") from None

    def country(self, item: dict[str, Any]) -> str | None:
        value = self.text(item, "country")
        if value is None:
            return None
        if len(value) != 2 or not value.isalpha():
            raise self.fail(f"country {value!r} must be a two-letter ISO code such as KG or BY")
        return value.upper()

    def file_id(self, item: dict[str, Any]) -> int | None:
        value = item.get("id")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"id {value!r} must be a whole number")
        return value

    def origin(self, item: dict[str, Any]) -> str:
        value = item.get("origin")
        return self.vocab(value, Origin, "origin") if value else Origin.imported.value

    def curated(self, item: dict[str, Any], given: list[str]) -> list[str]:
        value = item.get("curated_fields")
        if value is None:
            return given if self.origin(item) == Origin.curated else []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail("curated_fields must be a list of field names")
        return list(value)

    # --- generic create-or-update ----------------------------------------------------------

    def upsert(
        self,
        kind: str,
        model: type[SQLModel],
        row: Any,
        values: dict[str, Any],
        item: dict[str, Any],
        *,
        fact: bool = True,
    ) -> Any:
        """Create a row (keeping the file's id when free) or apply ``values`` to ``row``."""
        file_id = self.file_id(item)
        if row is None:
            row = model(**values)
            if fact:
                row.origin = self.origin(item)
                row.curated_fields = json.dumps(self.curated(item, _public_fields(values)))
            if self.keep_ids and file_id is not None and self.session.get(model, file_id) is None:
                row.id = file_id
                self.explicit_ids.add(_table(model))
            self.recorder.create(row)
            self.result.created[kind] += 1
        else:
            self._update(kind, row, values, item, fact=fact)
        if file_id is not None:
            self.ids[(kind, file_id)] = row.id
        self.claimed.add((kind, row.id))
        return row

    def _update(
        self, kind: str, row: Any, values: dict[str, Any], item: dict[str, Any], *, fact: bool
    ) -> None:
        protected: set[str] = set()
        changed = False
        if fact:
            file_curated = self.curated(item, _public_fields(values))
            protected = set(json.loads(row.curated_fields or "[]")) - set(file_curated)
            if item.get("origin") == Origin.curated and row.origin != Origin.curated:
                changed |= self.recorder.set(row, "origin", Origin.curated.value)
            merged = list(dict.fromkeys([*json.loads(row.curated_fields or "[]"), *file_curated]))
            if "curated_fields" in item:
                merged = list(file_curated)
            changed |= self.recorder.set(row, "curated_fields", json.dumps(merged))
        for column, value in values.items():
            if _field_group(column) in protected:
                continue
            changed |= self.recorder.set(row, column, value)
        (self.result.updated if changed else self.result.unchanged)[kind] += 1

    def pick(self, kind: str, candidates: list[Any], item: dict[str, Any]) -> Any:
        """The one unclaimed candidate: the file's id wins; several left is an error."""
        free = [c for c in candidates if (kind, c.id) not in self.claimed]
        file_id = item.get("id") if self.keep_ids else None
        same = [c for c in free if file_id is not None and c.id == file_id]
        if same:
            return same[0]
        if len(free) > 1:
            listed = ", ".join(f"#{c.id}" for c in free[:8])
            raise Ambiguous(
                f"{self.where}: {self.at}: matches {len(free)} {kind} records ({listed})",
                hint="give the record's id in the file, or merge the duplicates first",
            )
        return free[0] if free else None

    # --- sources ---------------------------------------------------------------------------

    def _source(self, item: dict[str, Any]) -> None:
        raw = self._raw(item)
        sha256 = self.text(item, "sha256") or (hashlib.sha256(raw).hexdigest() if raw is not None else None)
        if not sha256:
            raise self.fail("a source needs its 'sha256' (or its raw bytes)")
        if raw is not None and hashlib.sha256(raw).hexdigest() != sha256:
            raise self.fail("the raw bytes do not match the sha256", hint="the file was altered")
        text = item.get("text")
        if not isinstance(text, str):
            raise self.fail("a source needs its cleaned 'text'")
        published = self.date(item, "published")
        retrieved = self.date(item, "retrieved")
        values: dict[str, Any] = {
            "input": self.text(item, "input") or self.text(item, "url") or sha256,
            "url": self.text(item, "url"),
            "title": self.text(item, "title"),
            "publisher": self.text(item, "publisher"),
            "language": self.text(item, "language"),
            "published": published.value,
            "published_precision": published.precision.value,
            "published_inferred": published.inferred,
            "published_evidence": _evidence(item.get("published")),
            "retrieved": retrieved.value,
            "retrieved_precision": retrieved.precision.value,
            "retrieved_evidence": _evidence(item.get("retrieved")),
            "media_type": self.text(item, "media_type") or "text/plain",
            "encoding": self.text(item, "encoding"),
            "size": int(item.get("size") or len(raw or b"")),
            "ingested_by": self.text(item, "ingested_by") if "ingested_by" in item else self.recorder.actor,
            "text": text,
        }
        if item.get("retrieved_at"):
            values["retrieved_at"] = self._datetime(item["retrieved_at"])
        existing_id = self.index.sources.get(sha256)
        existing = self.session.get(Source, existing_id) if existing_id is not None else None
        if existing is None:
            values |= {"sha256": sha256, "raw": raw if raw is not None else b""}
            values["previous_id"] = self._previous(item, values["input"])
        else:
            values = {k: v for k, v in values.items() if _SOURCE_KEYS.get(k, k) in item}
            if raw is not None and not existing.raw:
                values["raw"] = raw
        row = self.upsert("source", Source, existing, values, item, fact=False)
        self.index.sources[sha256] = int(row.id)

    def _raw(self, item: dict[str, Any]) -> bytes | None:
        encoded = item.get("raw_base64")
        if encoded is None:
            return None
        try:
            return base64.b64decode(str(encoded), validate=True)
        except (binascii.Error, ValueError):
            raise self.fail("raw_base64 is not valid base64") from None

    def _datetime(self, value: Any) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise self.fail(f"retrieved_at {value!r} is not an ISO date and time") from None

    def _previous(self, item: dict[str, Any], input_: str) -> int | None:
        ref = item.get("previous_id")
        if ref is not None:
            return self.ids.get(("source", ref))
        if self.link_previous:
            latest = self.session.exec(
                select(Source.id).where(Source.input == input_).order_by(col(Source.id).desc()).limit(1)
            ).first()
            return latest
        return None

    # --- persons and organisations ---------------------------------------------------------

    def _person(self, item: dict[str, Any]) -> None:
        name = self.text(item, "name", required=True)
        assert name is not None
        aliases = self._alias_list(item)
        birth = self.date(item, "birth_date")
        values = _present(
            item,
            {
                "name": name,
                "name_key": name_key(name),
                "phonetic_key": phonetic_key(name),
                "description": self.text(item, "description"),
                "country": self.country(item),
                "notes": self.text(item, "notes"),
            },
        )
        if "birth_date" in item:
            values |= {"birth_date": birth.value, "birth_date_precision": birth.precision.value}
        keys = {name_key(name), *(name_key(a) for a in aliases)} - {""}
        candidates = [
            p
            for p in self.index.persons_by_keys(keys)
            if not (birth.known and p.birth_date and p.birth_date != birth.value)
        ]
        row = self.upsert("person", Person, self.pick("person", candidates, item), values, item)
        self.index.add_person(row)
        self._remember("person", row.id, [name, *aliases])
        for alias in aliases:
            self._alias(PersonAlias, "person_id", row, alias, item)
        self._cite("person", row.id, item)

    def _organisation(self, item: dict[str, Any]) -> None:
        name = self.text(item, "name", required=True)
        assert name is not None
        aliases = self._alias_list(item)
        country = self.country(item)
        values = _present(
            item,
            {
                "name": name,
                "name_key": name_key(name),
                "phonetic_key": phonetic_key(name),
                "kind": self.vocab(item.get("kind") or "other", OrgKind, "kind"),
                "country": country,
                "description": self.text(item, "description"),
                "notes": self.text(item, "notes"),
            },
        )
        keys = {name_key(name), *(name_key(a) for a in aliases)} - {""}
        candidates = [
            o for o in self.index.orgs_by_keys(keys) if not (country and o.country and o.country != country)
        ]
        row = self.upsert(
            "organisation", Organisation, self.pick("organisation", candidates, item), values, item
        )
        self.index.add_org(row)
        self._remember("organisation", row.id, [name, *aliases])
        for alias in aliases:
            self._alias(OrganisationAlias, "organisation_id", row, alias, item)
        self._cite("organisation", row.id, item)

    def _alias_list(self, item: dict[str, Any]) -> list[str]:
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise self.fail("aliases must be a list of names")
        return [a.strip() for a in aliases if a.strip()]

    def _alias(self, model: type[SQLModel], owner: str, row: Any, alias: str, item: dict[str, Any]) -> None:
        existing = self.index.alias_names[(_table(model), row.id)]
        if alias in existing:
            return
        values = {
            owner: row.id,
            "name": alias,
            "key": name_key(alias),
            "phonetic_key": phonetic_key(alias),
            "script": _script(alias),
        }
        created = model(**values, origin=self.origin(item))
        self.recorder.create(created)
        existing.add(alias)
        if model is PersonAlias:
            self.index.person_keys[name_key(alias)].add(row.id)
        else:
            self.index.org_keys[name_key(alias)].add(row.id)
        self.result.created[_table(model)] += 1

    def _remember(self, kind: str, record_id: int, names: list[str]) -> None:
        for name in names:
            self.file_names.setdefault((kind, name_key(name)), record_id)

    def _memberships(self, item: dict[str, Any]) -> None:
        person_id = self.ids.get(("person", item.get("id"))) or self.file_names.get(
            ("person", name_key(str(item.get("name"))))
        )
        memberships = item.get("memberships") or []
        if not isinstance(memberships, list):
            raise self.fail("memberships must be a list")
        for membership in memberships:
            if not isinstance(membership, dict):
                raise self.fail("each membership must be a mapping")
            org_id = self._org_ref(membership)
            start, end = self.date(membership, "start"), self.date(membership, "end")
            values = _present(membership, {"role": self.text(membership, "role")})
            values |= {"person_id": person_id, "organisation_id": org_id}
            if "start" in membership:
                values |= {"start": start.value, "start_precision": start.precision.value}
            if "end" in membership:
                values |= {"end": end.value, "end_precision": end.precision.value}
            role_key = name_key(values.get("role") or "")
            candidates = [
                m
                for m in self.index.memberships[(person_id, org_id)]
                if not m.role or not role_key or name_key(m.role) == role_key
            ]
            row = self.upsert(
                "membership", Membership, self.pick("membership", candidates, membership), values, membership
            )
            if row not in self.index.memberships[(person_id, org_id)]:
                self.index.memberships[(person_id, org_id)].append(row)
            self._cite("membership", row.id, membership)

    def _org_ref(self, item: dict[str, Any]) -> int:
        ref = item.get("organisation_id")
        if ref is not None and ("organisation", ref) in self.ids:
            return self.ids[("organisation", ref)]
        name = self.text(item, "organisation", required=True)
        kind, record_id = self.party(name or "", prefer="organisation")
        if kind != "organisation":
            raise self.fail(f"{name!r} is a person, not an organisation")
        return record_id

    def party(self, name: str, *, prefer: str = "person") -> tuple[str, int]:
        """Resolve a name: this file's records, then the database, else a new record."""
        key = name_key(name)
        if not key:
            raise self.fail(f"{name!r} is not a name")
        order = ("person", "organisation") if prefer == "person" else ("organisation", "person")
        for kind in order:
            if (kind, key) in self.file_names:
                return kind, self.file_names[(kind, key)]
        for kind in order:
            found = self.index.persons_by_keys({key}) if kind == "person" else self.index.orgs_by_keys({key})
            if len(found) == 1:
                return kind, int(found[0].id or 0)
            if len(found) > 1:
                listed = ", ".join(f"#{r.id}" for r in found[:8])
                raise Ambiguous(
                    f"{self.where}: {self.at}: {name!r} matches {len(found)} {kind} records ({listed})",
                    hint="give the record's id in the file, or merge the duplicates first",
                )
        return prefer, self._new_party(prefer, name)

    def _new_party(self, kind: str, name: str) -> int:
        model: type[SQLModel] = Person if kind == "person" else Organisation
        row: Any = model(
            name=name, name_key=name_key(name), phonetic_key=phonetic_key(name), origin=Origin.imported.value
        )
        self.recorder.create(row)
        self.result.created[kind] += 1
        if kind == "person":
            self.index.add_person(row)
        else:
            self.index.add_org(row)
        self._remember(kind, row.id, [name])
        self.new_parties.add((kind, int(row.id)))
        return int(row.id)

    # --- cases -----------------------------------------------------------------------------

    def _case(self, item: dict[str, Any]) -> None:
        name = self.text(item, "name", required=True)
        assert name is not None
        country = self.country(item)
        values = _present(
            item,
            {
                "name": name,
                "name_key": name_key(name),
                "country": country,
                "status": self.vocab(item.get("status") or "unknown", CaseStatus, "status"),
                "summary": self.text(item, "summary"),
                "notes": self.text(item, "notes"),
            },
        )
        candidates = [
            c
            for c in self.index.cases[name_key(name)]
            if not (country and c.country and c.country != country)
        ]
        row = self.upsert("case", Case, self.pick("case", candidates, item), values, item)
        if row not in self.index.cases[name_key(name)]:
            self.index.cases[name_key(name)].append(row)
        self._remember("case", row.id, [name])
        self._cite("case", row.id, item)
        case_at = self.at
        for number, party in enumerate(self._list(item, "parties")):
            self.at = f"{case_at}.parties[{number}]"
            self._case_party(row.id, party)
        for number, charge in enumerate(self._list(item, "charges")):
            self.at = f"{case_at}.charges[{number}]"
            self._charge(row.id, charge)

    def _list(self, item: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = item.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{key} must be a list of mappings")
        return value

    def ref(self, item: dict[str, Any], *, name_key_: str = "name") -> tuple[str, int]:
        for kind, key in (("person", "person_id"), ("organisation", "organisation_id")):
            if item.get(key) is not None and (kind, item[key]) in self.ids:
                return kind, self.ids[(kind, item[key])]
        name = self.text(item, name_key_, required=True)
        return self.party(name or "")

    def _case_party(self, case_id: int, item: dict[str, Any]) -> None:
        kind, party_id = self.ref(item)
        if (kind, party_id) in self.new_parties:
            self._cite(kind, party_id, item)
        role = self.vocab(item.get("role") or "other", PartyRole, "role")
        link = {"person_id": party_id} if kind == "person" else {"organisation_id": party_id}
        values = {"case_id": case_id, **link, "role": role}
        candidates = [
            p
            for p in self.index.parties[case_id]
            if (p.person_id, p.organisation_id) == (link.get("person_id"), link.get("organisation_id"))
            and p.role == role
        ]
        row = self.upsert("case_party", CaseParty, self.pick("case_party", candidates, item), values, item)
        if row not in self.index.parties[case_id]:
            self.index.parties[case_id].append(row)
        self._cite("case_party", row.id, item)

    def _charge(self, case_id: int, item: dict[str, Any]) -> None:
        person_id: int | None = None
        if item.get("person_id") is not None or item.get("person"):
            kind, person_id = self.ref(item, name_key_="person")
            if kind != "person":
                raise self.fail(f"{item.get('person')!r} is an organisation: a charge names a person")
        date = self.date(item, "date")
        values = _present(
            item,
            {
                "description": self.text(item, "charge"),
                "article": self.text(item, "legal_article"),
                "article_raw": self.text(item, "legal_article_raw"),
                "code": self.text(item, "code"),
                "max_penalty": self.text(item, "max_penalty"),
                "sentence": self.text(item, "sentence"),
            },
            renamed={"description": "charge", "article": "legal_article", "article_raw": "legal_article_raw"},
        )
        values |= {"case_id": case_id, "person_id": person_id}
        if "date" in item:
            values |= {
                "date": date.value,
                "date_precision": date.precision.value,
                "date_inferred": date.inferred,
            }
        article, described = values.get("article"), name_key(values.get("description") or "")
        candidates = [
            c
            for c in self.index.charges[case_id]
            if c.person_id == person_id
            and (
                (article and c.article == article)
                or (described and name_key(c.description or "") == described)
            )
        ]
        row = self.upsert("charge", Charge, self.pick("charge", candidates, item), values, item)
        if row not in self.index.charges[case_id]:
            self.index.charges[case_id].append(row)
        self._cite("charge", row.id, item)

    # --- events ----------------------------------------------------------------------------

    def _event(self, item: dict[str, Any]) -> None:
        kind = self.vocab(item.get("kind") or "other", EventKind, "kind")
        date = self.date(item, "date")
        case_id = self._case_ref(item)
        figures = item.get("figures")
        if figures is not None and not isinstance(figures, dict):
            raise self.fail("figures must be a mapping such as {signatures: 405000}")
        bounds = date.bounds()
        values = _present(
            item,
            {"summary": self.text(item, "summary") or "", "location": self.text(item, "location")},
        )
        values |= {"kind": kind, "case_id": case_id}
        if "date" in item:
            values |= {
                "date": date.value,
                "date_precision": date.precision.value,
                "date_inferred": date.inferred,
                "date_min": bounds[0] if bounds else None,
                "date_max": bounds[1] if bounds else None,
            }
        if figures is not None:
            values["figures"] = json.dumps(figures, ensure_ascii=False, sort_keys=True)
        summary_key = name_key(values.get("summary") or "")
        candidates = [
            e
            for e in self.index.events[(kind, case_id)]
            if (date.known and e.date == date.value) or (summary_key and name_key(e.summary) == summary_key)
        ]
        row = self.upsert("event", Event, self.pick("event", candidates, item), values, item)
        if row not in self.index.events[(kind, case_id)]:
            self.index.events[(kind, case_id)].append(row)
        self._participants(row.id, item)
        self._cite("event", row.id, item)

    def _case_ref(self, item: dict[str, Any]) -> int | None:
        ref = item.get("case_id")
        if ref is not None and ("case", ref) in self.ids:
            return self.ids[("case", ref)]
        name = self.text(item, "case")
        if name is None:
            return None
        key = name_key(name)
        if ("case", key) in self.file_names:
            return self.file_names[("case", key)]
        found = self.index.cases.get(key, [])
        if len(found) != 1:
            raise self.fail(
                f"case {name!r} " + ("is not in this file or the database" if not found else "is ambiguous"),
                hint="add the case to the file, or give its case_id",
            )
        return int(found[0].id or 0)

    def _participants(self, event_id: int, item: dict[str, Any]) -> None:
        wanted: list[tuple[str, int, str, str]] = []
        if "participants" in item:
            for participant in self._list(item, "participants"):
                kind, ref = self.ref(participant)
                role = self.vocab(participant.get("role") or "subject", ParticipantRole, "participant role")
                origin = self.vocab(participant.get("origin") or "imported", Origin, "origin")
                wanted.append((kind, ref, role, origin))
        else:
            actors = {name_key(str(a)) for a in item.get("actors") or []}
            names = [*(item.get("persons") or []), *(item.get("organisations") or [])]
            for name in dict.fromkeys([*names, *(item.get("actors") or [])]):
                if not name:
                    continue
                kind, ref = self.party(str(name))
                role = ParticipantRole.actor if name_key(str(name)) in actors else ParticipantRole.subject
                wanted.append((kind, ref, role.value, self.origin(item)))
        existing = self.index.participants[event_id]
        for kind, ref, role, origin in wanted:
            link = (ref, None) if kind == "person" else (None, ref)
            match = next((p for p in existing if (p.person_id, p.organisation_id) == link), None)
            if match is None:
                row = EventParticipant(
                    event_id=event_id, person_id=link[0], organisation_id=link[1], role=role, origin=origin
                )
                self.create_later(row)
                existing.append(row)
                self.result.created["event_participant"] += 1
            elif self.recorder.set(match, "role", role):
                self.result.updated["event_participant"] += 1

    # --- citations -------------------------------------------------------------------------

    def _cite(self, record_type: str, record_id: int, item: dict[str, Any]) -> None:
        citations = item.get("citations") or []
        if not isinstance(citations, list):
            raise self.fail("citations must be a list")
        for citation in citations:
            if not isinstance(citation, dict):
                raise self.fail("each citation must be a mapping with source_id and quote")
            source_id = self.ids.get(("source", citation.get("source_id")))
            if source_id is None:
                raise self.fail(
                    f"a citation names source_id {citation.get('source_id')!r}, which is not in this file",
                    hint="export with its sources, or add the source to the file",
                )
            quote = citation.get("quote")
            if not isinstance(quote, str) or not quote:
                raise self.fail("a citation needs its quote")
            span = citation.get("span") or [None, None]
            if not isinstance(span, list) or len(span) != 2:
                raise self.fail("a citation's span must be [start, end]")
            fld = citation.get("field")
            key = (source_id, record_type, record_id, fld, span[0])
            if key in self.index.citations:
                continue
            self.create_later(
                Citation(
                    source_id=source_id,
                    record_type=record_type,
                    record_id=record_id,
                    field=fld,
                    quote=quote,
                    start=span[0],
                    end=span[1],
                )
            )
            self.index.citations.add(key)
            self.result.created["citation"] += 1

    # --- rows nothing else refers to: written in one flush ----------------------------------

    def create_later(self, row: SQLModel) -> None:
        """Queue a row that no other row of the file points at (citations, participants)."""
        self.pending.append(row)

    def _create_pending(self) -> None:
        """One flush for the queued rows, then one audit entry each, as ``Recorder.create`` writes."""
        if not self.pending:
            return
        self.session.add_all(self.pending)
        self.session.flush()
        for row in self.pending:
            self.recorder.log("create", type_name(row), row.id, new=row_dict(row))  # type: ignore[attr-defined]
        self.pending.clear()

    # --- PostgreSQL sequences --------------------------------------------------------------

    def _advance_sequences(self) -> None:
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for table in sorted(self.explicit_ids):
            self.session.execute(
                select(
                    func.setval(
                        func.pg_get_serial_sequence(table, "id"),
                        select(func.coalesce(func.max(_id_column(table)), 1)).scalar_subquery(),
                    )
                )
            )


#: Source columns that come from another key of a source item.
_SOURCE_KEYS = {
    "published_precision": "published",
    "published_inferred": "published",
    "published_evidence": "published",
    "retrieved_precision": "retrieved",
    "retrieved_evidence": "retrieved",
}
_GROUPS = {
    "name_key": "name",
    "phonetic_key": "name",
    "birth_date_precision": "birth_date",
    "date_precision": "date",
    "date_inferred": "date",
    "date_min": "date",
    "date_max": "date",
    "start_precision": "start",
    "end_precision": "end",
}
_TABLES: dict[str, type[SQLModel]] = {
    str(m.__tablename__): m
    for m in (
        Source,
        Person,
        PersonAlias,
        Organisation,
        OrganisationAlias,
        Membership,
        Case,
        CaseParty,
        Charge,
        Event,
    )
}


def _table(model: type[SQLModel]) -> str:
    return str(model.__tablename__)


def _id_column(table: str) -> Any:
    return _TABLES[table].id  # type: ignore[attr-defined]


def _field_group(column: str) -> str:
    return _GROUPS.get(column, column)


def _public_fields(values: dict[str, Any]) -> list[str]:
    link = {"person_id", "organisation_id", "case_id"}
    return list(dict.fromkeys(_field_group(c) for c in values if c not in link))


def _present(
    item: dict[str, Any], values: dict[str, Any], renamed: dict[str, str] | None = None
) -> dict[str, Any]:
    """Only the columns whose key the file gives (a missing key leaves the field alone)."""
    renamed = renamed or {}
    return {
        k: v
        for k, v in values.items()
        if renamed.get(k, k) in item or (k in ("name_key", "phonetic_key") and "name" in item)
    }


def _evidence(value: Any) -> str | None:
    return value.get("evidence") if isinstance(value, dict) else None


def _script(name: str) -> str | None:
    letters = [ch for ch in name if ch.isalpha()]
    if not letters:
        return None
    if all("\u0400" <= ch <= "\u04ff" for ch in letters):
        return "Cyrl"
    if all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in letters):
        return "Latn"
    return None


class _Index:
    """What the database already holds, keyed for matching; one query per table."""

    def __init__(self, session: Session) -> None:
        self.sources: dict[str, int] = {
            sha: int(i or 0) for sha, i in session.exec(select(Source.sha256, Source.id))
        }
        self.persons: dict[int, Person] = {
            int(p.id or 0): p
            for p in session.exec(select(Person).where(col(Person.merged_into_id).is_(None)))
        }
        self.orgs: dict[int, Organisation] = {
            int(o.id or 0): o
            for o in session.exec(select(Organisation).where(col(Organisation.merged_into_id).is_(None)))
        }
        self.person_keys: dict[str, set[int]] = defaultdict(set)
        self.org_keys: dict[str, set[int]] = defaultdict(set)
        self.alias_names: dict[tuple[str, int], set[str]] = defaultdict(set)
        for p in self.persons.values():
            self.person_keys[p.name_key].add(int(p.id or 0))
        for o in self.orgs.values():
            self.org_keys[o.name_key].add(int(o.id or 0))
        for a in session.exec(select(PersonAlias)):
            self.person_keys[a.key].add(a.person_id)
            self.alias_names[("person_alias", a.person_id)].add(a.name)
        for b in session.exec(select(OrganisationAlias)):
            self.org_keys[b.key].add(b.organisation_id)
            self.alias_names[("organisation_alias", b.organisation_id)].add(b.name)
        self.memberships: dict[tuple[Any, Any], list[Membership]] = defaultdict(list)
        for m in session.exec(select(Membership).order_by(col(Membership.id))):
            self.memberships[(m.person_id, m.organisation_id)].append(m)
        self.cases: dict[str, list[Case]] = defaultdict(list)
        for c in session.exec(select(Case).order_by(col(Case.id))):
            self.cases[c.name_key].append(c)
        self.parties: dict[int, list[CaseParty]] = defaultdict(list)
        for party in session.exec(select(CaseParty).order_by(col(CaseParty.id))):
            self.parties[party.case_id].append(party)
        self.charges: dict[int, list[Charge]] = defaultdict(list)
        for charge in session.exec(select(Charge).order_by(col(Charge.id))):
            self.charges[charge.case_id].append(charge)
        self.events: dict[tuple[str, Any], list[Event]] = defaultdict(list)
        for e in session.exec(select(Event).order_by(col(Event.id))):
            self.events[(e.kind, e.case_id)].append(e)
        self.participants: dict[int, list[EventParticipant]] = defaultdict(list)
        for ep in session.exec(select(EventParticipant).order_by(col(EventParticipant.id))):
            self.participants[ep.event_id].append(ep)
        self.citations: set[tuple[Any, ...]] = {
            (c.source_id, c.record_type, c.record_id, c.field, c.start)
            for c in session.exec(select(Citation))
        }

    def persons_by_keys(self, keys: set[str]) -> list[Person]:
        ids = sorted({i for k in keys for i in self.person_keys.get(k, ())})
        return [self.persons[i] for i in ids if i in self.persons]

    def orgs_by_keys(self, keys: set[str]) -> list[Organisation]:
        ids = sorted({i for k in keys for i in self.org_keys.get(k, ())})
        return [self.orgs[i] for i in ids if i in self.orgs]

    def add_person(self, row: Person) -> None:
        self.persons[int(row.id or 0)] = row
        self.person_keys[row.name_key].add(int(row.id or 0))

    def add_org(self, row: Organisation) -> None:
        self.orgs[int(row.id or 0)] = row
        self.org_keys[row.name_key].add(int(row.id or 0))
