# mypy: disable-error-code="union-attr,attr-defined,arg-type,call-overload"
"""Curation: a person's hand on the record, every change logged and reversible.

Extraction proposes; a curator decides. This module is the only way a curator
changes the record, and it follows four rules:

* **Validate first, then write.** ``field=value`` pairs are checked against a
  per-type field table (:data:`FIELDS`): an unknown field, a date that is not an
  ISO prefix, a value outside a vocabulary or an unknown referenced record raises
  :class:`InvalidFields` (listing every problem and the valid choices) before a
  single row is touched. Derived columns follow their field: a name its
  ``name_key``, a date its precision, inferred flag and first/last day.
* **Everything through the audit recorder.** Each command is one
  :class:`~casetrack.store.audit.Recorder` (one ``change_id``); new rows are
  ``origin=curated``; every field a curator sets is added to the row's
  ``curated_fields``, which ingest never overwrites (a disagreeing extracted value
  becomes an open :class:`~casetrack.models.Conflict` that ``show`` displays).
* **Merges are judgements.** :func:`merge` re-points aliases, citations, case
  parties, memberships, charges and event participants from one record onto the
  other, marks it ``merged_into_id`` and stores a positive
  :class:`~casetrack.models.Judgement` whose ``moved`` lists exactly the rows it
  changed. :func:`unmerge` (and ``undo`` of a merge, registered in
  :data:`casetrack.store.audit.DECISION_UNDOERS`) uses ``moved`` to put every row
  back. Rejecting a review candidate is a negative judgement.
* **Never guess a record.** Records are found with :func:`casetrack.store.lookup.record`
  (``lookup.find``, as the ORM object a write changes); an ambiguous name is an error listing
  the candidates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from casetrack.dates import InvalidDate, PartialDate
from casetrack.errors import CasetrackError, Conflict, InvalidValue, NotFound, UsageError
from casetrack.ingest.names import name_key, phonetic_key
from casetrack.models import (
    Case,
    CaseParty,
    Charge,
    Citation,
    Event,
    EventParticipant,
    Judgement,
    MatchCandidate,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    utcnow,
)
from casetrack.models import Conflict as ConflictRow
from casetrack.store import audit, lookup
from casetrack.vocab import CaseStatus, EventKind, JudgementKind, OrgKind, Origin, ParticipantRole, PartyRole

# --- The field table ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field a curator may set: its column and how its text is checked."""

    name: str
    kind: str = "text"  # text | name | country | date | vocab | case | person
    vocab: type[StrEnum] | None = None
    required: bool = False

    @property
    def column(self) -> str:
        return {"case": "case_id", "person": "person_id"}.get(self.kind, self.name)


def _specs(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


FIELDS: dict[str, dict[str, FieldSpec]] = {
    "person": _specs(
        FieldSpec("name", "name", required=True),
        FieldSpec("description"),
        FieldSpec("country", "country"),
        FieldSpec("birth_date", "date"),
        FieldSpec("notes"),
    ),
    "organisation": _specs(
        FieldSpec("name", "name", required=True),
        FieldSpec("kind", "vocab", OrgKind, required=True),
        FieldSpec("country", "country"),
        FieldSpec("description"),
        FieldSpec("notes"),
    ),
    "case": _specs(
        FieldSpec("name", "name", required=True),
        FieldSpec("country", "country"),
        FieldSpec("status", "vocab", CaseStatus, required=True),
        FieldSpec("summary"),
        FieldSpec("notes"),
    ),
    "event": _specs(
        FieldSpec("kind", "vocab", EventKind, required=True),
        FieldSpec("date", "date"),
        FieldSpec("summary", required=True),
        FieldSpec("location"),
        FieldSpec("case", "case"),
    ),
    "charge": _specs(
        FieldSpec("description"),
        FieldSpec("article"),
        FieldSpec("code"),
        FieldSpec("max_penalty"),
        FieldSpec("sentence"),
        FieldSpec("date", "date"),
        FieldSpec("person", "person"),
    ),
    "membership": _specs(FieldSpec("role"), FieldSpec("start", "date"), FieldSpec("end", "date")),
    "case_party": _specs(FieldSpec("role", "vocab", PartyRole, required=True)),
}

MODELS: dict[str, Any] = {
    "person": Person,
    "organisation": Organisation,
    "case": Case,
    "event": Event,
    "charge": Charge,
    "membership": Membership,
    "case_party": CaseParty,
}

DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM or --MM-DD"


class InvalidFields(InvalidValue):
    """One or more rejected ``field=value`` pairs; ``errors`` lists each problem."""

    def __init__(self, errors: list[str], *, hint: str | None = None) -> None:
        super().__init__("; ".join(errors), hint=hint)
        self.errors = errors


def field_names(kind: str) -> list[str]:
    return list(FIELDS[kind])


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """['name=Rita', 'country=KG'] -> {'name': 'Rita', 'country': 'KG'}; ``f=`` clears a field."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{pair!r} is not field=value", hint="e.g. --set country=KG")
        values[name.strip().lower()] = value.strip()
    return values


def validate(session: Session, kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for ``values`` (field -> text); raises InvalidFields listing every problem."""
    specs = FIELDS[kind]
    columns: dict[str, Any] = {}
    errors: list[str] = []
    for name, raw in values.items():
        spec = specs.get(name)
        if spec is None:
            errors.append(f"unknown {kind} field {name!r} (fields: {', '.join(specs)})")
            continue
        try:
            columns.update(_columns(session, kind, spec, raw))
        except CasetrackError as exc:
            errors.append(exc.message)
    if errors:
        raise InvalidFields(errors, hint="nothing was changed")
    return columns


def _columns(session: Session, kind: str, spec: FieldSpec, raw: Any) -> dict[str, Any]:
    text = None if raw is None else str(raw).strip()
    if not text:
        if spec.required:
            raise InvalidValue(f"{kind} {spec.name} cannot be empty")
        return _empty(kind, spec)
    if spec.kind == "name":
        key = name_key(text)
        if not key:
            raise InvalidValue(f"{spec.name} {text!r} has no letters or digits")
        if hasattr(MODELS[kind], "phonetic_key"):
            return {"name": text, "name_key": key, "phonetic_key": phonetic_key(text)}
        return {"name": text, "name_key": key}
    if spec.kind == "country":
        if len(text) != 2 or not text.isascii() or not text.isalpha():
            raise InvalidValue(f"country {text!r} is not a two-letter ISO code (e.g. KG, BY)")
        return {"country": text.upper()}
    if spec.kind == "vocab":
        assert spec.vocab is not None
        value = text.lower().replace("-", "_").replace(" ", "_")
        if value not in {m.value for m in spec.vocab}:
            choices = ", ".join(m.value for m in spec.vocab)
            raise InvalidValue(f"{spec.name} {text!r} is not one of: {choices}")
        return {spec.name: value}
    if spec.kind == "date":
        return _date_columns(kind, spec.name, text)
    if spec.kind in ("case", "person"):
        return {spec.column: int(lookup.record(session, spec.kind, text).id)}
    if spec.name == "article" and kind == "charge":
        return {"article": normalise_article(text), "article_raw": text}
    return {spec.name: text}


def _empty(kind: str, spec: FieldSpec) -> dict[str, Any]:
    if spec.kind == "date":
        return _date_columns(kind, spec.name, None)
    if spec.name == "article" and kind == "charge":
        return {"article": None, "article_raw": None}
    return {spec.column: None}


def _date_columns(kind: str, name: str, text: str | None) -> dict[str, Any]:
    try:
        date = PartialDate.parse(text)
    except InvalidDate as exc:
        raise InvalidValue(f"{name}: {exc}") from None
    columns: dict[str, Any] = {name: date.value, f"{name}_precision": date.precision.value}
    if hasattr(MODELS[kind], f"{name}_inferred"):
        columns[f"{name}_inferred"] = False
    if kind == "event":
        bounds = date.bounds()
        columns["date_min"], columns["date_max"] = bounds if bounds else (None, None)
    return columns


def normalise_article(text: str) -> str:
    """'326' or 'Article 326' -> 'Art. 326' (as extraction writes it); other text as given."""
    from casetrack.ingest.extract.legal_articles import find_articles

    stripped = text.strip()
    if stripped.replace(".", "").isdigit():
        return f"Art. {stripped}"
    found = find_articles(stripped)
    return found[0][0] if found else stripped


# --- Writing fields -------------------------------------------------------------------------


def _curated(row: Any) -> list[str]:
    try:
        return list(json.loads(row.curated_fields or "[]"))
    except ValueError:
        return []


def _curated_names(kind: str, fields: Iterable[str]) -> list[str]:
    return [FIELDS[kind][f].column for f in fields if f in FIELDS[kind]]


def _write(
    recorder: audit.Recorder, row: Any, kind: str, columns: Mapping[str, Any], fields: Iterable[str]
) -> int:
    fields_columns = {spec.column for spec in FIELDS[kind].values()}
    changed = 0
    for column, value in columns.items():
        if recorder.set(row, column, value) and column in fields_columns:
            changed += 1
    marked = sorted(set(_curated(row)) | set(_curated_names(kind, fields)))
    if marked != sorted(_curated(row)):
        recorder.set(row, "curated_fields", json.dumps(marked))
    return changed


def _new(kind: str, columns: Mapping[str, Any], fields: Iterable[str], **extra: Any) -> Any:
    row = MODELS[kind](**{**extra, **columns})
    row.origin = Origin.curated.value
    row.curated_fields = json.dumps(sorted(set(_curated_names(kind, fields))))
    return row


@dataclass(frozen=True, slots=True)
class Change:
    """What a command did: its change id, the record and how many audit entries it wrote."""

    change_id: str
    record_type: str
    record_id: int
    label: str
    entries: int
    changed: int = 0


def _done(recorder: audit.Recorder, kind: str, row: Any, changed: int = 0) -> Change:
    recorder.finish()
    return Change(
        recorder.change_id, kind, int(row.id), lookup.describe(kind, row), recorder.entries, changed
    )


def add(
    session: Session, kind: str, values: Mapping[str, Any], actor: str, aliases: Iterable[str] = ()
) -> Change:
    """A new curated person, organisation, case or event from ``field -> text`` values."""
    kind = _kind(kind)
    defaults = _DEFAULTS.get(kind, {})
    missing = [n for n, s in FIELDS[kind].items() if s.required and n not in values and n not in defaults]
    if missing:
        raise InvalidFields([f"a new {kind} needs {', '.join(missing)}"])
    columns = validate(session, kind, {**defaults, **values})
    recorder = audit.Recorder(session, actor)
    row = recorder.create(_new(kind, columns, values))
    for alias in aliases:
        _add_alias(recorder, kind, row, alias)
    return _done(recorder, kind, row)


_DEFAULTS: dict[str, dict[str, str]] = {
    "organisation": {"kind": "other"},
    "case": {"status": "unknown"},
    "event": {"kind": "other"},
}


def _kind(word: str) -> str:
    kind = lookup.TYPE_WORDS.get(word.lower(), word.lower())
    if kind not in FIELDS:
        raise UsageError(f"cannot curate {word!r} records", hint="use person, org, case or event")
    return kind


def find(session: Session, kind: str, ref: str) -> Any:
    """The record ``ref`` names; charges, memberships and parties by id only."""
    kind = _kind(kind)
    if kind in ("person", "organisation", "case", "event"):
        return lookup.record(session, kind, ref)
    record_id = lookup.parse_id(ref)
    row = lookup.get(session, MODELS[kind], record_id)
    if row is None:
        raise NotFound(f"no {kind} with id {ref!r}", hint=f"{kind} records are found by id")
    return row


def edit(session: Session, kind: str, ref: str, values: Mapping[str, Any], actor: str) -> Change:
    """Set fields of one record; each becomes curated (ingest will not overwrite it)."""
    kind = _kind(kind)
    if not values:
        raise UsageError("nothing to change", hint="give --set field=value (repeatable)")
    row = find(session, kind, ref)
    columns = validate(session, kind, values)
    recorder = audit.Recorder(session, actor)
    changed = _write(recorder, row, kind, columns, values)
    return _done(recorder, kind, row, changed)


# --- Deleting -------------------------------------------------------------------------------

#: Rows that hang off a record and go with it (so that undo can bring them back).
_DEPENDENTS: dict[str, list[tuple[Any, str]]] = {
    "person": [
        (PersonAlias, "person_id"),
        (Membership, "person_id"),
        (CaseParty, "person_id"),
        (EventParticipant, "person_id"),
    ],
    "organisation": [
        (OrganisationAlias, "organisation_id"),
        (Membership, "organisation_id"),
        (CaseParty, "organisation_id"),
        (EventParticipant, "organisation_id"),
    ],
    "case": [(CaseParty, "case_id"), (Charge, "case_id")],
    "event": [(EventParticipant, "event_id")],
    "charge": [],
    "membership": [],
    "case_party": [],
}

#: Columns of other rows that point at a record and are cleared when it is deleted.
_POINTERS: dict[str, list[tuple[Any, str]]] = {
    "person": [(Charge, "person_id")],
    "case": [(Event, "case_id")],
}


def delete(session: Session, kind: str, ref: str, actor: str) -> Change:
    """Delete a record with its aliases, links, citations and the duplicates merged into it.

    Every row goes through the recorder, so ``undo`` restores all of them.
    """
    kind = _kind(kind)
    row = find(session, kind, ref)
    recorder = audit.Recorder(session, actor)
    change = Change(recorder.change_id, kind, int(row.id), lookup.describe(kind, row), 0)
    _delete_row(recorder, kind, row)
    recorder.finish()
    return Change(change.change_id, kind, change.record_id, change.label, recorder.entries)


def _delete_row(recorder: audit.Recorder, kind: str, row: Any) -> None:
    """Delete a row after what hangs off it (so undo, newest first, restores the row first)."""
    session = recorder.session
    model = MODELS[kind]
    if hasattr(model, "merged_into_id"):
        for duplicate in session.exec(select(model).where(model.merged_into_id == row.id)).all():
            _delete_row(recorder, kind, duplicate)
    for model, fk in _DEPENDENTS.get(kind, []):
        for child in session.exec(select(model).where(getattr(model, fk) == row.id)).all():
            child_kind = audit.type_name(child)
            if child_kind in _DEPENDENTS:
                _delete_row(recorder, child_kind, child)
            else:
                recorder.delete(child)
    for model, fk in _POINTERS.get(kind, []):
        for other in session.exec(select(model).where(getattr(model, fk) == row.id)).all():
            recorder.set(other, fk, None)
    citations = session.exec(
        select(Citation).where(Citation.record_type == kind, Citation.record_id == row.id)
    ).all()
    for citation in citations:
        recorder.delete(citation)
    recorder.delete(row)


def _cli_word(kind: str) -> str:
    return "org" if kind == "organisation" else kind


# --- Aliases and links ----------------------------------------------------------------------

_ALIAS: dict[str, tuple[Any, str]] = {
    "person": (PersonAlias, "person_id"),
    "organisation": (OrganisationAlias, "organisation_id"),
}


def script_of(text: str) -> str | None:
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "Cyrl"
    if any(ch.isalpha() and ch.isascii() for ch in text):
        return "Latn"
    return None


def _add_alias(recorder: audit.Recorder, kind: str, owner: Any, alias: str) -> Any:
    model, fk = _ALIAS[kind]
    text = alias.strip()
    key = name_key(text)
    if not key:
        raise InvalidValue(f"alias {alias!r} has no letters or digits")
    existing = recorder.session.exec(
        select(model).where(getattr(model, fk) == owner.id, model.name == text)
    ).first()
    if existing is not None or text == owner.name:
        raise Conflict(f"{text!r} is already a name of {lookup.describe(kind, owner)}")
    row = model(
        name=text,
        key=key,
        phonetic_key=phonetic_key(text),
        script=script_of(text),
        origin=Origin.curated.value,
    )
    setattr(row, fk, owner.id)
    return recorder.create(row)


def alias(session: Session, kind: str, ref: str, name: str, actor: str) -> Change:
    """Add another name (spelling, transliteration) of a person or organisation."""
    kind = _kind(kind)
    if kind not in _ALIAS:
        raise UsageError(f"{kind} records have no aliases")
    owner = find(session, kind, ref)
    recorder = audit.Recorder(session, actor)
    _add_alias(recorder, kind, owner, name)
    return _done(recorder, kind, owner)


def remove_alias(recorder: audit.Recorder, kind: str, owner: Any, name: str) -> None:
    model, fk = _ALIAS[kind]
    row = recorder.session.exec(
        select(model).where(getattr(model, fk) == owner.id, model.name == name)
    ).first()
    if row is not None:
        recorder.delete(row)


def aliases_of(session: Session, kind: str, owner_id: int) -> list[str]:
    model, fk = _ALIAS[kind]
    return list(
        session.exec(select(model.name).where(getattr(model, fk) == owner_id).order_by(model.id)).all()
    )


def link_case(session: Session, kind: str, ref: str, case_ref: str, role: str, actor: str) -> Change:
    """A person or organisation becomes a party of a case with a role (defendant, lawyer, ...)."""
    kind = _kind(kind)
    party = find(session, kind, ref)
    case = lookup.record(session, "case", case_ref)
    columns = validate(session, "case_party", {"role": role})
    fk = "person_id" if kind == "person" else "organisation_id"
    duplicate = session.exec(
        select(CaseParty).where(
            CaseParty.case_id == case.id,
            getattr(CaseParty, fk) == party.id,
            CaseParty.role == columns["role"],
        )
    ).first()
    if duplicate is not None:
        raise Conflict(f"{party.name} is already {columns['role']} in {case.name}")
    recorder = audit.Recorder(session, actor)
    recorder.create(_new("case_party", columns, ["role"], case_id=case.id, **{fk: party.id}))
    recorder.touch("case", int(case.id))
    return _done(recorder, kind, party)


def link_org(
    session: Session,
    person_ref: str,
    org_ref: str,
    actor: str,
    *,
    role: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Change:
    """A person's membership of (or role in) an organisation, with optional start and end dates."""
    person = lookup.record(session, "person", person_ref)
    org = lookup.record(session, "organisation", org_ref)
    values = {k: v for k, v in {"role": role, "start": start, "end": end}.items() if v is not None}
    columns = validate(session, "membership", values)
    recorder = audit.Recorder(session, actor)
    recorder.create(_new("membership", columns, values, person_id=person.id, organisation_id=org.id))
    recorder.touch("organisation", int(org.id))
    return _done(recorder, "person", person)


def add_charge(
    session: Session, case_ref: str, values: Mapping[str, Any], actor: str, *, party_role: str = "defendant"
) -> Change:
    """A charge on a case; the charged person becomes a party of the case if not one already."""
    case = lookup.record(session, "case", case_ref)
    if not values.get("description") and not values.get("article"):
        raise InvalidFields(["a charge needs --charge (the charge as stated) or --article"])
    columns = validate(session, "charge", values)
    recorder = audit.Recorder(session, actor)
    charge = recorder.create(_new("charge", columns, values, case_id=case.id))
    person_id = columns.get("person_id")
    if person_id is not None:
        party = session.exec(
            select(CaseParty.id).where(CaseParty.case_id == case.id, CaseParty.person_id == person_id)
        ).first()
        if party is None:
            recorder.create(
                _new("case_party", {"role": party_role}, ["role"], case_id=case.id, person_id=person_id)
            )
    recorder.touch("case", int(case.id))
    recorder.finish()
    return Change(
        recorder.change_id, "charge", int(charge.id), lookup.describe("case", case), recorder.entries
    )


def add_participants(
    recorder: audit.Recorder,
    event: Event,
    persons: Iterable[str] = (),
    orgs: Iterable[str] = (),
    role: str = ParticipantRole.subject.value,
) -> None:
    session = recorder.session
    for kind, refs in (("person", persons), ("organisation", orgs)):
        fk = "person_id" if kind == "person" else "organisation_id"
        for ref in refs:
            party = lookup.record(session, kind, ref)
            exists = session.exec(
                select(EventParticipant.id).where(
                    EventParticipant.event_id == event.id, getattr(EventParticipant, fk) == party.id
                )
            ).first()
            if exists is None:
                row = EventParticipant(event_id=event.id, role=role, origin=Origin.curated.value)
                setattr(row, fk, party.id)
                recorder.create(row)


def add_event(
    session: Session,
    values: Mapping[str, Any],
    actor: str,
    *,
    persons: Iterable[str] = (),
    orgs: Iterable[str] = (),
) -> Change:
    """A curated event (kind, date at its precision, summary, case) with its participants."""
    if not values.get("summary"):
        raise InvalidFields(["a new event needs a summary (--summary)"])
    columns = validate(session, "event", {"kind": "other", **values})
    persons, orgs = list(persons), list(orgs)
    for kind, refs in (("person", persons), ("organisation", orgs)):
        for ref in refs:
            lookup.record(session, kind, ref)
    recorder = audit.Recorder(session, actor)
    event = recorder.create(_new("event", columns, values))
    add_participants(recorder, event, persons, orgs)
    return _done(recorder, "event", event)


def edit_event(
    session: Session,
    ref: str,
    values: Mapping[str, Any],
    actor: str,
    *,
    persons: Iterable[str] = (),
    orgs: Iterable[str] = (),
) -> Change:
    """Set event fields and add participants, in one change."""
    persons, orgs = list(persons), list(orgs)
    if not values and not persons and not orgs:
        raise UsageError("nothing to change", hint="give --kind/--date/--summary/--case/--person/--org")
    event = lookup.record(session, "event", ref)
    columns = validate(session, "event", values)
    for kind, refs in (("person", persons), ("organisation", orgs)):
        for person_ref in refs:
            lookup.record(session, kind, person_ref)
    recorder = audit.Recorder(session, actor)
    changed = _write(recorder, event, "event", columns, values) if values else 0
    add_participants(recorder, event, persons, orgs)
    return _done(recorder, "event", event, changed)


# --- Merges ---------------------------------------------------------------------------------

#: Per mergeable type: (model, alias model, alias fk, [(row model, fk column)] re-pointed by a merge).
_MERGE_LINKS: dict[str, list[tuple[str, Any, str]]] = {
    "person": [
        ("membership", Membership, "person_id"),
        ("case_party", CaseParty, "person_id"),
        ("charge", Charge, "person_id"),
        ("event_participant", EventParticipant, "person_id"),
    ],
    "organisation": [
        ("membership", Membership, "organisation_id"),
        ("case_party", CaseParty, "organisation_id"),
        ("event_participant", EventParticipant, "organisation_id"),
    ],
}


@dataclass(frozen=True, slots=True)
class MergeResult:
    change_id: str
    judgement_id: int
    record_type: str
    kept: str
    merged: str
    moved: dict[str, int]


def _mergeable(kind: str) -> str:
    kind = _kind(kind)
    if kind not in _MERGE_LINKS:
        raise UsageError(f"{kind} records cannot be merged", hint="merge persons or organisations")
    return kind


def _find_unmerged(session: Session, kind: str, ref: str) -> Any:
    """Like lookup.record, but an id of an already merged record is an error, not its target."""
    record_id = lookup.parse_id(ref)
    if record_id is not None:
        row = lookup.get(session, MODELS[kind], record_id)
        if row is not None and row.merged_into_id is not None:
            raise Conflict(
                f"{lookup.describe(kind, row)} is already merged into #{row.merged_into_id}",
                hint=f"unmerge it first with `casetrack {_cli_word(kind)} unmerge #{row.id}`",
            )
    return lookup.record(session, kind, ref)


def merge(
    session: Session,
    kind: str,
    keep_ref: str,
    merged_ref: str,
    actor: str,
    *,
    candidate: MatchCandidate | None = None,
    force: bool = False,
) -> MergeResult:
    """Fold ``merged_ref`` into ``keep_ref``: every alias, citation and link moves; a judgement records it.

    A pair judged different (a live negative judgement between the two records or
    anything merged into them) is refused unless ``force``; forcing sets those
    negative judgements aside (``undone_at``), and unmerging or undoing the merge
    brings them back.
    """
    kind = _mergeable(kind)
    kept = _find_unmerged(session, kind, keep_ref)
    other = _find_unmerged(session, kind, merged_ref)
    if kept.id == other.id:
        raise Conflict(
            f"{keep_ref!r} and {merged_ref!r} are the same record ({lookup.describe(kind, kept)})",
            hint="a record cannot be merged with itself",
        )
    against = judged_different(session, kind, int(kept.id), int(other.id))
    if against and not force:
        raise Conflict(
            _judged_text(kind, kept, other, against[0]),
            hint=f"if they are the same after all, `casetrack {_cli_word(kind)} merge {kept.id} {other.id}"
            " --force` sets that judgement aside, recorded and undoable",
        )
    recorder = audit.Recorder(session, actor)
    judgement = _merge_rows(recorder, kind, kept, other, candidate, overrides=against)
    recorder.finish()
    moved = {name: len(ids) for name, ids in json.loads(judgement.moved).items() if isinstance(ids, list)}
    return MergeResult(
        recorder.change_id,
        int(judgement.id),
        kind,
        lookup.describe(kind, kept),
        lookup.describe(kind, other),
        moved,
    )


def _merge_rows(
    recorder: audit.Recorder,
    kind: str,
    kept: Any,
    other: Any,
    candidate: MatchCandidate | None,
    overrides: Iterable[Judgement] = (),
) -> Judgement:
    session = recorder.session
    moved: dict[str, Any] = {"removed": []}
    overridden = []
    for negative in overrides:
        negative.undone_at = utcnow()
        session.add(negative)
        overridden.append(int(negative.id))
    if overridden:
        moved["overridden"] = overridden
    _move_aliases(session, kind, kept, other, moved)
    _move_citations(session, kind, kept, other, moved)
    for name, model, fk in _MERGE_LINKS[kind]:
        _move_links(session, name, model, fk, kept, other, moved)
    moved["created_alias"] = _alias_for_name(session, kind, kept, other)
    other.merged_into_id = kept.id
    session.add(other)
    if candidate is None:
        candidate = _candidate_for(session, kind, int(kept.id), int(other.id))
    if candidate is not None:
        moved["candidate"] = {"id": candidate.id, "status": candidate.status}
        candidate.status = "accepted"
        session.add(candidate)
    judgement = _judgement(
        kind,
        JudgementKind.positive,
        kept,
        other,
        candidate,
        recorder.actor,
        moved=json.dumps(moved, ensure_ascii=False, sort_keys=True),
    )
    session.add(judgement)
    session.flush()
    detail: dict[str, Any] = {"judgement": judgement.id, "kept": kept.id, "merged": other.id}
    if overridden:
        detail["overrides"] = overridden
    recorder.log("merge", kind, int(kept.id), new={**detail, "name": other.name})
    recorder.log("merge", kind, int(other.id), column="merged_into_id", new={**detail, "name": kept.name})
    return judgement


#: Columns that make two links of the same record the same link (dropped, not duplicated, by a merge).
_LINK_KEYS = {
    "case_party": ("case_id", "role"),
    "membership": ("person_id", "organisation_id", "role"),
    "event_participant": ("event_id",),
}


def _move_links(
    session: Session, name: str, model: Any, fk: str, kept: Any, other: Any, moved: dict[str, Any]
) -> None:
    """Re-point links to the kept record; a link it already has is dropped, its citations moved over."""
    key_columns = _LINK_KEYS.get(name, ())

    def key(row: Any) -> tuple[Any, ...]:
        return tuple(kept.id if c == fk else getattr(row, c) for c in key_columns)

    existing = (
        {key(r): r for r in session.exec(select(model).where(getattr(model, fk) == kept.id))}
        if key_columns
        else {}
    )
    ids = []
    for row in session.exec(select(model).where(getattr(model, fk) == other.id)).all():
        twin = existing.get(key(row)) if key_columns else None
        if twin is not None:
            _fold_citations(session, name, int(row.id), int(twin.id), moved)
            moved["removed"].append({"type": name, "row": audit.row_dict(row)})
            session.delete(row)
        else:
            setattr(row, fk, kept.id)
            session.add(row)
            ids.append(int(row.id))
    moved[name] = ids
    session.flush()


def _fold_citations(
    session: Session, record_type: str, from_id: int, to_id: int, moved: dict[str, Any]
) -> None:
    """Citations of a dropped link move to its twin (a duplicate citation is dropped, kept in full)."""
    existing = {
        (c.source_id, c.field, c.start)
        for c in session.exec(
            select(Citation).where(Citation.record_type == record_type, Citation.record_id == to_id)
        )
    }
    for row in session.exec(
        select(Citation).where(Citation.record_type == record_type, Citation.record_id == from_id)
    ):
        if (row.source_id, row.field, row.start) in existing:
            moved["removed"].append({"type": "citation", "row": audit.row_dict(row)})
            session.delete(row)
        else:
            row.record_id = to_id
            session.add(row)
            moved.setdefault("link_citation", []).append([int(row.id), from_id])


def _move_aliases(session: Session, kind: str, kept: Any, other: Any, moved: dict[str, Any]) -> None:
    model, fk = _ALIAS[kind]
    kept_names = set(session.exec(select(model.name).where(getattr(model, fk) == kept.id)).all())
    ids = []
    for row in session.exec(select(model).where(getattr(model, fk) == other.id)).all():
        if row.name in kept_names:
            moved["removed"].append({"type": audit.type_name(row), "row": audit.row_dict(row)})
            session.delete(row)
        else:
            setattr(row, fk, kept.id)
            session.add(row)
            ids.append(int(row.id))
    moved[audit.TYPE_NAMES[model]] = ids
    session.flush()


def _move_citations(session: Session, kind: str, kept: Any, other: Any, moved: dict[str, Any]) -> None:
    existing = {
        (c.source_id, c.field, c.start)
        for c in session.exec(
            select(Citation).where(Citation.record_type == kind, Citation.record_id == kept.id)
        )
    }
    ids = []
    for row in session.exec(
        select(Citation).where(Citation.record_type == kind, Citation.record_id == other.id)
    ):
        if (row.source_id, row.field, row.start) in existing:
            moved["removed"].append({"type": "citation", "row": audit.row_dict(row)})
            session.delete(row)
        else:
            row.record_id = kept.id
            session.add(row)
            ids.append(int(row.id))
    moved["citation"] = ids
    session.flush()


def _alias_for_name(session: Session, kind: str, kept: Any, other: Any) -> list[int]:
    """The merged record's name becomes an alias of the kept one (unless it already is one)."""
    model, fk = _ALIAS[kind]
    if other.name == kept.name:
        return []
    if session.exec(select(model.id).where(getattr(model, fk) == kept.id, model.name == other.name)).first():
        return []
    row = model(
        name=other.name,
        key=name_key(other.name),
        phonetic_key=phonetic_key(other.name),
        script=script_of(other.name),
        origin=Origin.curated.value,
    )
    setattr(row, fk, kept.id)
    session.add(row)
    session.flush()
    return [int(row.id)]


def _candidate_for(session: Session, kind: str, a: int, b: int) -> MatchCandidate | None:
    return session.exec(
        select(MatchCandidate).where(
            MatchCandidate.record_type == kind,
            or_(
                and_(MatchCandidate.left_id == a, MatchCandidate.right_id == b),
                and_(MatchCandidate.left_id == b, MatchCandidate.right_id == a),
            ),
        )
    ).first()


def _restore_merge(recorder: audit.Recorder, judgement: Judgement) -> None:
    """Put back every row the merge moved, exactly as it was; the judgement is marked undone."""
    session = recorder.session
    kind = judgement.record_type
    model = MODELS[kind]
    kept, other = session.get(model, judgement.kept_id), session.get(model, judgement.merged_id)
    if kept is None or other is None:
        raise Conflict(
            f"cannot unmerge: one of {kind} #{judgement.kept_id} / #{judgement.merged_id} was deleted"
        )
    moved = json.loads(judgement.moved or "{}")
    alias_model, alias_fk = _ALIAS[kind]
    for alias_id in moved.get("created_alias", []):
        row = session.get(alias_model, alias_id)
        if row is not None:
            session.delete(row)
    session.flush()
    for name, row_model, fk in [
        (audit.TYPE_NAMES[alias_model], alias_model, alias_fk),
        *_MERGE_LINKS[kind],
    ]:
        for row in _rows(session, row_model, moved.get(name, [])):
            if getattr(row, fk) == kept.id:
                setattr(row, fk, other.id)
                session.add(row)
    for citation in _rows(session, Citation, moved.get("citation", [])):
        if citation.record_type == kind and citation.record_id == kept.id:
            citation.record_id = other.id
            session.add(citation)
    session.flush()
    for removed in moved.get("removed", []):
        row_model = audit.MODELS[removed["type"]]
        if session.get(row_model, removed["row"]["id"]) is None:
            session.add(audit.row_from_dict(row_model, removed["row"]))
    session.flush()
    link_citations = dict(moved.get("link_citation", []))
    for citation in _rows(session, Citation, list(link_citations)):
        citation.record_id = link_citations[citation.id]
        session.add(citation)
    other.merged_into_id = None
    session.add(other)
    candidate_state = moved.get("candidate")
    if candidate_state:
        candidate = session.get(MatchCandidate, candidate_state["id"])
        if candidate is not None:
            candidate.status = candidate_state["status"]
            session.add(candidate)
    for negative in _rows(session, Judgement, moved.get("overridden", [])):
        negative.undone_at = None
        session.add(negative)
    judgement.undone_at = utcnow()
    session.add(judgement)
    session.flush()
    detail = {"judgement": judgement.id, "kept": kept.id, "merged": other.id}
    recorder.log("unmerge", kind, int(kept.id), new={**detail, "name": other.name})
    recorder.log("unmerge", kind, int(other.id), column="merged_into_id", old=kept.id, new=detail)


def _rows(session: Session, model: Any, ids: list[int], chunk: int = 500) -> list[Any]:
    """Rows by id, loaded in batches (a merge may have moved thousands)."""
    found: list[Any] = []
    for start in range(0, len(ids), chunk):
        found += session.exec(select(model).where(col(model.id).in_(ids[start : start + chunk]))).all()
    return found


def _judgement_to_unmerge(session: Session, kind: str, ref: str) -> Judgement:
    model = MODELS[kind]
    record_id = lookup.parse_id(ref)
    raw = lookup.get(session, model, record_id)
    query = select(Judgement).where(
        Judgement.record_type == kind,
        Judgement.kind == JudgementKind.positive.value,
        col(Judgement.undone_at).is_(None),
    )
    if raw is not None and raw.merged_into_id is not None:
        query = query.where(Judgement.merged_id == raw.id)
    else:
        record = lookup.record(session, kind, ref)
        query = query.where(or_(Judgement.kept_id == record.id, Judgement.merged_id == record.id))
    judgement = session.exec(query.order_by(col(Judgement.id).desc())).first()
    if judgement is None:
        raise NotFound(
            f"no merge of {ref!r} to undo", hint=f"see `casetrack log` or `casetrack show {_cli_word(kind)}`"
        )
    return judgement


def unmerge(session: Session, kind: str, ref: str, actor: str) -> MergeResult:
    """Undo the latest merge into (or of) a record: both records come back as they were."""
    kind = _mergeable(kind)
    judgement = _judgement_to_unmerge(session, kind, ref)
    recorder = audit.Recorder(session, actor)
    _restore_merge(recorder, judgement)
    recorder.finish()
    model = MODELS[kind]
    kept, other = session.get(model, judgement.kept_id), session.get(model, judgement.merged_id)
    moved = {n: len(v) for n, v in json.loads(judgement.moved).items() if isinstance(v, list)}
    return MergeResult(
        recorder.change_id,
        int(judgement.id),
        kind,
        lookup.describe(kind, kept),
        lookup.describe(kind, other),
        moved,
    )


def _undo_merge(recorder: audit.Recorder, entry: Any) -> None:
    detail = json.loads(entry.new_value or "{}")
    judgement = recorder.session.get(Judgement, detail.get("judgement"))
    if judgement is not None and judgement.undone_at is None:
        _restore_merge(recorder, judgement)


def _undo_unmerge(recorder: audit.Recorder, entry: Any) -> None:
    """Undoing an unmerge merges the two records again, under a new judgement."""
    detail = json.loads(entry.new_value or "{}")
    session = recorder.session
    old = session.get(Judgement, detail.get("judgement"))
    if old is None:
        raise Conflict("cannot redo the merge: its judgement is gone")
    model = MODELS[old.record_type]
    kept, other = session.get(model, old.kept_id), session.get(model, old.merged_id)
    if kept is None or other is None:
        raise Conflict(
            f"cannot redo the merge: {old.record_type} #{old.kept_id} or #{old.merged_id} was deleted"
        )
    if other.merged_into_id is not None:
        return
    against = judged_different(session, old.record_type, int(kept.id), int(other.id))
    forced_before = set(json.loads(old.moved or "{}").get("overridden", []))
    since = [j for j in against if j.id not in forced_before]
    if since:
        raise Conflict(
            "cannot redo the merge: " + _judged_text(old.record_type, kept, other, since[0]),
            hint=f"merge them with `casetrack {_cli_word(old.record_type)} merge {kept.id} {other.id} --force`"
            " if they are the same after all",
        )
    _merge_rows(recorder, old.record_type, kept, other, None, overrides=against)


# --- Judged different ---------------------------------------------------------------------
#
# A negative judgement says two records are different entities. It holds between
# everything merged into either record too (nomenklatura's clusters): merging
# anything across it is refused without ``--force``, and ingest asks
# :func:`rejected_pairs` so that it does not propose the pair again. Only live
# judgements count (``undone_at`` is None); a forced merge sets the negative ones
# it overrides aside and unmerging it brings them back.


def _members(session: Session, model: Any, roots: Iterable[int]) -> dict[int, int]:
    """Each root with every record merged into it (directly or through another), mapped to its root."""
    members = {int(r): int(r) for r in roots}
    frontier = dict(members)
    while frontier:
        below = session.exec(
            select(model.id, model.merged_into_id).where(col(model.merged_into_id).in_(list(frontier)))
        ).all()
        frontier = {int(i): frontier[int(parent)] for i, parent in below if int(i) not in members}
        members.update(frontier)
    return members


def _root(session: Session, model: Any, record_id: int) -> int | None:
    """The live record ``record_id`` was merged into (itself if not merged); None if deleted."""
    seen: set[int] = set()
    row = session.get(model, record_id)
    while row is not None and row.merged_into_id is not None and row.id not in seen:
        seen.add(int(row.id))
        row = session.get(model, row.merged_into_id)
    return None if row is None else int(row.id)


def _live_negatives(session: Session, kind: str, members: Iterable[int]) -> list[Judgement]:
    ids = sorted(set(members))
    found: dict[int, Judgement] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = select(Judgement).where(
            Judgement.record_type == kind,
            Judgement.kind == JudgementKind.negative.value,
            col(Judgement.undone_at).is_(None),
            or_(col(Judgement.kept_id).in_(chunk), col(Judgement.merged_id).in_(chunk)),
        )
        found.update((int(j.id), j) for j in session.exec(query))
    return sorted(found.values(), key=lambda j: (j.at, j.id), reverse=True)


def judged_different(session: Session, kind: str, a: int, b: int) -> list[Judgement]:
    """Live negative judgements between record ``a`` and record ``b`` (or anything merged into them), newest first."""
    model = MODELS[kind]
    left, right = set(_members(session, model, [a])), set(_members(session, model, [b]))
    return [
        j
        for j in _live_negatives(session, kind, left)
        if (j.kept_id in left and j.merged_id in right) or (j.kept_id in right and j.merged_id in left)
    ]


def rejected_pairs(session: Session, record_type: str, ids: Iterable[int]) -> set[frozenset[int]]:
    """Pairs of live records a curator judged different, for every pair touching one of ``ids``.

    Each pair is given by the records as they are now: a judgement about a record
    since merged into another counts for the one it was merged into. Ingest uses
    it so as not to propose (or match) a pair again: ``frozenset((a, b)) in pairs``.
    """
    kind = _mergeable(record_type)
    model = MODELS[kind]
    wanted = {int(i) for i in ids}
    if not wanted:
        return set()
    members = _members(session, model, wanted)
    pairs: set[frozenset[int]] = set()
    for judgement in _live_negatives(session, kind, members):
        ends = [
            members.get(i) if i in members else _root(session, model, i)
            for i in (judgement.kept_id, judgement.merged_id)
        ]
        if ends[0] is not None and ends[1] is not None and ends[0] != ends[1]:
            pairs.add(frozenset((ends[0], ends[1])))
    return pairs


def _judged_text(kind: str, a: Any, b: Any, judgement: Judgement) -> str:
    at = judgement.at.strftime("%Y-%m-%d %H:%M UTC")
    about = {judgement.kept_id, judgement.merged_id}
    via = "" if about == {a.id, b.id} else f", about #{judgement.kept_id} and #{judgement.merged_id}"
    return (
        f"{kind} {lookup.describe(kind, a)} and {lookup.describe(kind, b)} were judged different"
        f" by {judgement.actor} on {at} (judgement #{judgement.id}{via})"
    )


@dataclass(frozen=True, slots=True)
class Judged:
    """A recorded decision that two records are different."""

    change_id: str
    judgement_id: int
    record_type: str
    left: str
    right: str


def _judgement(
    kind: str,
    verdict: JudgementKind,
    kept: Any,
    other: Any,
    candidate: MatchCandidate | None,
    actor: str,
    *,
    moved: str = "{}",
) -> Judgement:
    """A judgement on a pair, carrying the score and evidence of the candidate it settles, if any."""
    return Judgement(
        record_type=kind,
        kept_id=kept.id,
        merged_id=other.id,
        kind=verdict.value,
        score=candidate.score if candidate else None,
        evidence=candidate.evidence if candidate else "[]",
        moved=moved,
        actor=actor,
    )


def _record_negative(
    session: Session, kind: str, left: Any, right: Any, actor: str, candidate: MatchCandidate | None
) -> Judged:
    """Store a negative judgement (and reject the pair's pending candidate); logged as one change."""
    judgement = _judgement(kind, JudgementKind.negative, left, right, candidate, actor)
    session.add(judgement)
    rejected = candidate is not None and candidate.status == "pending"
    if candidate is not None and rejected:
        candidate.status = "rejected"
        session.add(candidate)
    session.flush()
    recorder = audit.Recorder(session, actor)
    detail = {
        "judgement": judgement.id,
        "candidate": candidate.id if candidate is not None and rejected else None,
        "other": right.id,
    }
    recorder.log("reject", kind, int(left.id), new=detail)
    return Judged(
        recorder.finish(),
        int(judgement.id),
        kind,
        lookup.describe(kind, left),
        lookup.describe(kind, right),
    )


def distinct(session: Session, kind: str, left_ref: str, right_ref: str, actor: str) -> Judged:
    """Record that two records are different: a negative judgement; merging them is then refused."""
    kind = _mergeable(kind)
    left = _find_unmerged(session, kind, left_ref)
    right = _find_unmerged(session, kind, right_ref)
    if left.id == right.id:
        raise Conflict(
            f"{left_ref!r} and {right_ref!r} are one record ({lookup.describe(kind, left)})",
            hint=f"if it holds two {kind}s merged together, unmerge them first",
        )
    earlier = judged_different(session, kind, int(left.id), int(right.id))
    if earlier:
        raise Conflict(_judged_text(kind, left, right, earlier[0]), hint="nothing to do")
    candidate = _candidate_for(session, kind, int(left.id), int(right.id))
    return _record_negative(session, kind, left, right, actor, candidate)


# --- Review ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordSummary:
    id: int
    name: str
    country: str | None
    aliases: tuple[str, ...]
    cases: tuple[str, ...]
    organisations: tuple[str, ...]
    sources: int


@dataclass(frozen=True, slots=True)
class ReviewItem:
    id: int
    record_type: str
    score: float
    evidence: tuple[str, ...]
    left: RecordSummary
    right: RecordSummary


def review_items(session: Session, limit: int | None = None) -> list[ReviewItem]:
    """Pending merge candidates whose two records are both still live, best score first."""
    query = (
        select(MatchCandidate)
        .where(MatchCandidate.status == "pending")
        .order_by(col(MatchCandidate.score).desc(), MatchCandidate.id)
    )
    items = []
    for candidate in session.exec(query):
        item = _review_item(session, candidate)
        if item is not None:
            items.append(item)
        if limit is not None and len(items) >= limit:
            break
    return items


def _review_item(session: Session, candidate: MatchCandidate) -> ReviewItem | None:
    model = MODELS.get(candidate.record_type)
    if candidate.record_type not in _MERGE_LINKS or model is None:
        return None
    left, right = session.get(model, candidate.left_id), session.get(model, candidate.right_id)
    if left is None or right is None or left.merged_into_id or right.merged_into_id:
        return None
    try:
        evidence = tuple(str(e) for e in json.loads(candidate.evidence or "[]"))
    except ValueError:
        evidence = (candidate.evidence,)
    return ReviewItem(
        int(candidate.id),
        candidate.record_type,
        float(candidate.score),
        evidence,
        summarise(session, candidate.record_type, left),
        summarise(session, candidate.record_type, right),
    )


def summarise(session: Session, kind: str, row: Any) -> RecordSummary:
    fk = "person_id" if kind == "person" else "organisation_id"
    cases = session.exec(
        select(Case.name)
        .join(CaseParty, CaseParty.case_id == Case.id)
        .where(getattr(CaseParty, fk) == row.id)
    ).all()
    if kind == "person":
        orgs = session.exec(
            select(Organisation.name)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.person_id == row.id)
        ).all()
    else:
        orgs = session.exec(
            select(Person.name)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.organisation_id == row.id)
        ).all()
    sources = session.exec(
        select(Citation.source_id)
        .where(Citation.record_type == kind, Citation.record_id == row.id)
        .distinct()
    ).all()
    return RecordSummary(
        int(row.id),
        row.name,
        row.country,
        tuple(aliases_of(session, kind, int(row.id))),
        tuple(sorted(set(cases))),
        tuple(sorted(set(orgs))),
        len(sources),
    )


def _pending(session: Session, candidate_id: int) -> MatchCandidate:
    candidate = lookup.get(session, MatchCandidate, candidate_id)
    if candidate is None:
        raise NotFound(
            f"no review candidate #{candidate_id}", hint="list them with `casetrack review --list`"
        )
    if candidate.status != "pending":
        raise Conflict(f"review candidate #{candidate_id} was already {candidate.status}")
    return candidate


def accept(session: Session, candidate_id: int, actor: str) -> MergeResult:
    """Accept a candidate: merge the newer record into the older one."""
    candidate = _pending(session, candidate_id)
    kind = candidate.record_type
    kept_id, merged_id = sorted((candidate.left_id, candidate.right_id))
    return merge(session, kind, f"#{kept_id}", f"#{merged_id}", actor, candidate=candidate)


def reject(session: Session, candidate_id: int, actor: str) -> str:
    """Reject a candidate: a negative judgement says the two records are different."""
    candidate = _pending(session, candidate_id)
    kind = candidate.record_type
    model = MODELS[kind]
    left, right = session.get(model, candidate.left_id), session.get(model, candidate.right_id)
    if left is None or right is None:
        raise NotFound(f"a record of review candidate #{candidate_id} was deleted")
    return _record_negative(session, kind, left, right, actor, candidate).change_id


def _undo_reject(recorder: audit.Recorder, entry: Any) -> None:
    detail = json.loads(entry.new_value or "{}")
    session = recorder.session
    judgement = session.get(Judgement, detail.get("judgement"))
    candidate = session.get(MatchCandidate, detail["candidate"]) if detail.get("candidate") else None
    if judgement is not None and judgement.undone_at is not None:
        raise Conflict(
            f"cannot undo the rejection: a forced merge set judgement #{judgement.id} aside",
            hint="unmerge the two records first",
        )
    if judgement is not None:
        judgement.undone_at = utcnow()
        session.add(judgement)
    if candidate is not None:
        candidate.status = "pending"
        session.add(candidate)
    recorder.log("unreject", entry.record_type, entry.record_id, new=detail)


# --- Conflicts awaiting review ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConflictItem:
    """An extracted value that disagrees with a curated one, for the curator to settle."""

    id: int
    record_type: str
    record_id: int
    record: str
    field: str
    curated_value: str | None
    extracted_value: str | None
    source_id: int | None


def conflict_items(session: Session) -> list[ConflictItem]:
    """Open conflicts of records that still exist, oldest first."""
    items = []
    for conflict in session.exec(
        select(ConflictRow).where(ConflictRow.status == "open").order_by(col(ConflictRow.id))
    ):
        model = MODELS.get(conflict.record_type)
        row = session.get(model, conflict.record_id) if model is not None else None
        if row is None or getattr(row, "merged_into_id", None):
            continue
        items.append(
            ConflictItem(
                int(conflict.id),
                conflict.record_type,
                conflict.record_id,
                _label(conflict.record_type, row),
                conflict.field,
                conflict.curated_value,
                conflict.extracted_value,
                conflict.source_id,
            )
        )
    return items


def _label(kind: str, row: Any) -> str:
    if kind in ("charge", "membership", "case_party"):
        return f"{kind} #{row.id}"
    return f"{kind} {lookup.describe(kind, row)}"


def _open_conflict(session: Session, conflict_id: int) -> ConflictRow:
    conflict = lookup.get(session, ConflictRow, conflict_id)
    if conflict is None:
        raise NotFound(f"no conflict #{conflict_id}", hint="list them with `casetrack review --list`")
    if conflict.status != "open":
        raise Conflict(f"conflict #{conflict_id} was already settled ({conflict.status})")
    return conflict


def settle_conflict(session: Session, conflict_id: int, actor: str, *, take_extracted: bool) -> str:
    """Keep the curated value, or take the extracted one (validated, then curated); logged, undoable."""
    conflict = _open_conflict(session, conflict_id)
    recorder = audit.Recorder(session, actor)
    if take_extracted:
        kind = _kind(conflict.record_type)
        names = [name for name, spec in FIELDS[kind].items() if spec.column == conflict.field]
        if not names:
            raise UsageError(
                f"the {conflict.field} of a {kind} cannot be set by hand", hint="keep the curated value"
            )
        row = find(session, kind, f"#{conflict.record_id}")
        columns = validate(session, kind, {names[0]: conflict.extracted_value})
        _write(recorder, row, kind, columns, names)
    status = "taken" if take_extracted else "kept"
    detail = {"conflict": conflict.id, "field": conflict.field, "status": status}
    recorder.log("resolve", conflict.record_type, conflict.record_id, column=conflict.field, new=detail)
    conflict.status = status
    session.add(conflict)
    return recorder.finish()


def _undo_resolve(recorder: audit.Recorder, entry: Any) -> None:
    detail = json.loads(entry.new_value or "{}")
    conflict = recorder.session.get(ConflictRow, detail.get("conflict"))
    if conflict is not None:
        conflict.status = "open"
        recorder.session.add(conflict)
    recorder.log("reopen", entry.record_type, entry.record_id, column=entry.field, new=detail)


audit.DECISION_UNDOERS.update(
    {"merge": _undo_merge, "unmerge": _undo_unmerge, "reject": _undo_reject, "resolve": _undo_resolve}
)


# --- The log --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogRow:
    change_id: str
    at: str
    actor: str
    action: str
    record: str
    field: str | None
    old: Any
    new: Any
    undoes: str | None
    undone_by: str | None


def log(
    session: Session,
    *,
    person: str | None = None,
    case: str | None = None,
    org: str | None = None,
    since: str | None = None,
    limit: int | None = 50,
) -> list[LogRow]:
    """The audit trail, newest first, for a person, case or organisation (and what hangs off it)."""
    if sum(x is not None for x in (person, case, org)) > 1:
        raise UsageError("give at most one of --person, --case, --org")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    records: list[tuple[str, int]] = []
    if person is not None:
        records = _person_records(session, int(lookup.record(session, "person", person).id))
    elif org is not None:
        records = _org_records(session, int(lookup.record(session, "organisation", org).id))
    elif case is not None:
        records = _case_records(session, int(lookup.record(session, "case", case).id))
    lines = audit.entries(session, records=records, since=_since(since), limit=limit)
    return [
        LogRow(
            line.change_id,
            line.at.replace(microsecond=0).isoformat(),
            line.actor,
            line.action,
            f"{line.record_type} #{line.record_id}" if line.record_id is not None else line.record_type,
            line.field,
            line.old,
            line.new,
            line.undoes,
            line.undone_by,
        )
        for line in lines
    ]


def _since(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        bounds = PartialDate.parse(text).bounds()
    except InvalidDate as exc:
        raise InvalidValue(f"--since: {exc}") from None
    if bounds is None:
        raise InvalidValue(f"--since {text!r} has no year", hint="give YYYY, YYYY-MM or YYYY-MM-DD")
    return dt.datetime.fromisoformat(bounds[0]).replace(tzinfo=dt.UTC)


def _ids(session: Session, model: Any, condition: Any) -> list[int]:
    return [int(i) for i in session.exec(select(model.id).where(condition)).all()]


def _person_records(session: Session, pid: int) -> list[tuple[str, int]]:
    merged = _ids(session, Person, Person.merged_into_id == pid)
    judged = session.exec(
        select(Judgement.merged_id).where(Judgement.record_type == "person", Judgement.kept_id == pid)
    ).all()
    people = [pid, *merged, *judged]
    records = [("person", p) for p in people]
    records += [
        ("person_alias", i) for i in _ids(session, PersonAlias, col(PersonAlias.person_id).in_(people))
    ]
    records += [("membership", i) for i in _ids(session, Membership, col(Membership.person_id).in_(people))]
    records += [("case_party", i) for i in _ids(session, CaseParty, col(CaseParty.person_id).in_(people))]
    records += [("charge", i) for i in _ids(session, Charge, col(Charge.person_id).in_(people))]
    return records


def _org_records(session: Session, oid: int) -> list[tuple[str, int]]:
    merged = _ids(session, Organisation, Organisation.merged_into_id == oid)
    orgs = [oid, *merged]
    records = [("organisation", o) for o in orgs]
    records += [
        ("organisation_alias", i)
        for i in _ids(session, OrganisationAlias, col(OrganisationAlias.organisation_id).in_(orgs))
    ]
    records += [
        ("membership", i) for i in _ids(session, Membership, col(Membership.organisation_id).in_(orgs))
    ]
    records += [("case_party", i) for i in _ids(session, CaseParty, col(CaseParty.organisation_id).in_(orgs))]
    return records


def _case_records(session: Session, cid: int) -> list[tuple[str, int]]:
    records = [("case", cid)]
    records += [("case_party", i) for i in _ids(session, CaseParty, CaseParty.case_id == cid)]
    records += [("charge", i) for i in _ids(session, Charge, Charge.case_id == cid)]
    records += [("event", i) for i in _ids(session, Event, Event.case_id == cid)]
    return records


# --- The $EDITOR view -----------------------------------------------------------------------


def document(session: Session, kind: str, ref: str) -> tuple[int, dict[str, Any]]:
    """The editable fields of a record (and its aliases) as plain values for a YAML view."""
    kind = _kind(kind)
    row = find(session, kind, ref)
    data: dict[str, Any] = {}
    for name, spec in FIELDS[kind].items():
        if spec.kind == "case":
            case = session.get(Case, row.case_id) if row.case_id else None
            data[name] = f"#{case.id} {case.name}" if case else None
        elif spec.kind == "person":
            person = session.get(Person, row.person_id) if row.person_id else None
            data[name] = f"#{person.id} {person.name}" if person else None
        elif name == "article" and kind == "charge":
            data[name] = row.article_raw or row.article
        else:
            data[name] = getattr(row, spec.column)
    if kind in _ALIAS:
        data["aliases"] = aliases_of(session, kind, int(row.id))
    return int(row.id), data


def _document_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    return value


def _ref_text(value: Any) -> Any:
    """'#12 Kempir-Abad case' (as the view shows a link) -> '#12'."""
    if isinstance(value, str) and value.startswith("#"):
        return value.split()[0]
    return value


def apply_document(session: Session, kind: str, record_id: int, data: Any, actor: str) -> Change:
    """Apply an edited YAML view: changed fields and aliases; InvalidFields lists every problem."""
    kind = _kind(kind)
    if not isinstance(data, dict):
        raise InvalidFields(["the file must be a mapping of field: value"])
    row = find(session, kind, f"#{record_id}")
    _, before = document(session, kind, f"#{record_id}")
    wanted_aliases = data.pop("aliases", before.get("aliases")) if kind in _ALIAS else None
    if kind in _ALIAS and not isinstance(wanted_aliases, list | type(None)):
        raise InvalidFields(["aliases must be a list of names"])
    changed = {
        str(name): _ref_text(_document_value(value))
        for name, value in data.items()
        if _document_value(value) != _document_value(before.get(name)) or name not in before
    }
    columns = validate(session, kind, changed)
    recorder = audit.Recorder(session, actor)
    count = _write(recorder, row, kind, columns, changed)
    if kind in _ALIAS:
        old, new = (
            before.get("aliases") or [],
            [str(a).strip() for a in wanted_aliases or [] if str(a).strip()],
        )
        for name in old:
            if name not in new:
                remove_alias(recorder, kind, row, name)
                count += 1
        for name in new:
            if name not in old:
                _add_alias(recorder, kind, row, name)
                count += 1
    return _done(recorder, kind, row, count)
