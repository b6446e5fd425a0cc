"""The audit trail: every curated change, who made it, and how to take it back.

All curated writes go through a :class:`Recorder`. It makes the change on the
session *and* writes one :class:`~casetrack.models.AuditEntry` per row change:

* ``create`` -- the new row in full (``new_value``),
* ``update`` -- one column, its value before and after,
* ``delete`` -- the old row in full (``old_value``), so it can be put back with its id,
* ``merge`` / ``unmerge`` / ``reject`` / ``resolve`` -- decisions whose details live
  in a :class:`~casetrack.models.Judgement` (or a candidate/conflict row).

The entries of one command share a ``change_id``; :func:`undo` reverts a whole
group by applying the inverse of each entry, newest first, and is itself a new
group whose entries point at the group they revert (``undoes``). A merge is
undone through its judgement (see :mod:`casetrack.store.curate`), which knows
exactly which rows the merge re-pointed. An update is only reverted if the
column still holds the value the change wrote: an undo never overwrites a later
edit silently.

Values are stored as JSON: dates and datetimes as ISO text, bytes as base64.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import DateTime, LargeBinary, func
from sqlmodel import Session, SQLModel, col, select

from casetrack.errors import Conflict, NotFound, UsageError
from casetrack.models import RECORD_TYPES, AuditEntry, Citation, Judgement, utcnow
from casetrack.store import search_index

MODELS: dict[str, type[SQLModel]] = {**RECORD_TYPES, "citation": Citation, "judgement": Judgement}
TYPE_NAMES: dict[type[SQLModel], str] = {model: name for name, model in MODELS.items()}

#: Columns that follow from another one (a name's key, a date's precision and bounds):
#: recorded so that undo restores them, left out when the log is shown.
DERIVED_COLUMNS = frozenset(
    {
        "name_key",
        "key",
        "phonetic_key",
        "curated_fields",
        "updated_at",
        "birth_date_precision",
        "date_precision",
        "date_inferred",
        "date_min",
        "date_max",
        "start_precision",
        "end_precision",
    }
)

#: Rows whose change alters another record's search text.
_SEARCH_OWNER = {
    "person_alias": ("person", "person_id"),
    "organisation_alias": ("organisation", "organisation_id"),
}


def new_change_id() -> str:
    return uuid.uuid4().hex[:12]


def type_name(row: SQLModel) -> str:
    return TYPE_NAMES[type(row)]


def _columns(model: type[SQLModel]) -> Any:
    return model.__table__.columns  # type: ignore[attr-defined]


def to_json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def row_dict(row: SQLModel) -> dict[str, Any]:
    """Every column of a row as JSON-ready values."""
    return {c.name: to_json_value(getattr(row, c.name)) for c in _columns(type(row))}


def row_from_dict(model: type[SQLModel], data: dict[str, Any]) -> SQLModel:
    """The inverse of :func:`row_dict`: a detached row with the same id and values."""
    values: dict[str, Any] = {}
    for column in _columns(model):
        if column.name not in data:
            continue
        value = data[column.name]
        if value is not None and isinstance(getattr(column.type, "impl", column.type), DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, LargeBinary):
            value = base64.b64decode(value["base64"])
        values[column.name] = value
    row = model()
    for name, value in values.items():
        setattr(row, name, value)
    return row


def _dump(value: Any) -> str:
    return json.dumps(to_json_value(value), ensure_ascii=False, sort_keys=True)


@dataclass
class Recorder:
    """Makes curated changes on a session and logs each one under one ``change_id``."""

    session: Session
    actor: str
    change_id: str = field(default_factory=new_change_id)
    undoes: str | None = None
    entries: int = 0
    _touched: dict[tuple[str, int], None] = field(default_factory=dict)

    def log(
        self,
        action: str,
        record_type: str,
        record_id: int | None,
        column: str | None = None,
        old: Any = None,
        new: Any = None,
    ) -> AuditEntry:
        entry = AuditEntry(
            change_id=self.change_id,
            actor=self.actor,
            action=action,
            record_type=record_type,
            record_id=record_id,
            field=column,
            old_value=None if old is None else _dump(old),
            new_value=None if new is None else _dump(new),
            undoes=self.undoes,
        )
        self.session.add(entry)
        self.entries += 1
        if record_id is not None:
            self.touch(record_type, record_id)
        return entry

    def touch(self, record_type: str, record_id: int) -> None:
        self._touched[(record_type, record_id)] = None

    def create(self, row: SQLModel) -> Any:
        self.session.add(row)
        self.session.flush()
        self.log("create", type_name(row), row.id, new=row_dict(row))  # type: ignore[attr-defined]
        self._touch_owner(row)
        return row

    def set(self, row: SQLModel, column: str, value: Any) -> bool:
        """Change one column; returns False (and logs nothing) when it already holds ``value``."""
        old = getattr(row, column)
        if old == value:
            return False
        setattr(row, column, value)
        if hasattr(row, "updated_at") and column != "updated_at":
            row.updated_at = utcnow()
        self.session.add(row)
        self.log("update", type_name(row), row.id, column, old, value)  # type: ignore[attr-defined]
        self._touch_owner(row)
        return True

    def delete(self, row: SQLModel) -> None:
        self.log("delete", type_name(row), row.id, old=row_dict(row))  # type: ignore[attr-defined]
        self._touch_owner(row)
        self.session.delete(row)
        self.session.flush()

    def _touch_owner(self, row: SQLModel) -> None:
        owner = _SEARCH_OWNER.get(type_name(row))
        if owner is not None:
            self.touch(owner[0], getattr(row, owner[1]))

    def finish(self) -> str:
        """Bring the search index up to date for every record touched; returns the change id."""
        self.session.flush()
        searchable = [key for key in self._touched if key[0] in search_index.SEARCHABLE]
        search_index.refresh_many(self.session, searchable)
        return self.change_id


# --- Reading the log ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogLine:
    id: int
    change_id: str
    at: dt.datetime
    actor: str
    action: str
    record_type: str
    record_id: int | None
    field: str | None
    old: Any
    new: Any
    undoes: str | None
    undone_by: str | None


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def entries(
    session: Session,
    *,
    records: Iterable[tuple[str, int]] = (),
    since: dt.datetime | None = None,
    change_id: str | None = None,
    limit: int | None = None,
    include_derived: bool = False,
) -> list[LogLine]:
    """Log lines, newest first, for some records (any of them), since a time, or one change."""
    query = select(AuditEntry)
    wanted = list(records)
    if wanted:
        from sqlalchemy import and_, or_

        query = query.where(
            or_(*(and_(col(AuditEntry.record_type) == t, col(AuditEntry.record_id) == i) for t, i in wanted))
        )
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if change_id is not None:
        query = query.where(AuditEntry.change_id == change_id)
    if not include_derived:
        query = query.where(
            col(AuditEntry.field).is_(None) | col(AuditEntry.field).not_in(sorted(DERIVED_COLUMNS))
        )
    query = query.order_by(col(AuditEntry.id).desc())
    if limit is not None:
        query = query.limit(limit)
    return [
        LogLine(
            e.id or 0,
            e.change_id,
            e.at,
            e.actor,
            e.action,
            e.record_type,
            e.record_id,
            e.field,
            _load(e.old_value),
            _load(e.new_value),
            e.undoes,
            e.undone_by,
        )
        for e in session.exec(query)
    ]


def resolve_change_id(session: Session, ref: str | None) -> str:
    """The given change id (or a unique prefix of one), else the latest change not undone."""
    if ref is None:
        latest = session.exec(
            select(AuditEntry.change_id)
            .where(col(AuditEntry.undone_by).is_(None), col(AuditEntry.undoes).is_(None))
            .order_by(col(AuditEntry.id).desc())
            .limit(1)
        ).first()
        if latest is None:
            raise NotFound("there is no change to undo", hint="see `casetrack log`")
        return latest
    text = ref.strip().lower()
    if not text:
        raise UsageError("an empty change id was given", hint="see `casetrack log` for change ids")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    found = session.exec(
        select(AuditEntry.change_id)
        .where(col(AuditEntry.change_id).like(escaped + "%", escape="\\"))
        .distinct()
    ).all()
    if not found:
        raise NotFound(f"no change with id {ref!r}", hint="see `casetrack log` for change ids")
    if len(found) > 1:
        raise UsageError(
            f"{ref!r} matches {len(found)} changes: {', '.join(sorted(found)[:8])}",
            hint="give more of the change id",
        )
    return found[0]


# --- Undo -----------------------------------------------------------------------------------

#: How decisions (merge, reject, ...) are reverted; registered by :mod:`casetrack.store.curate`.
DECISION_UNDOERS: dict[str, Callable[[Recorder, AuditEntry], None]] = {}


@dataclass(frozen=True, slots=True)
class UndoResult:
    change_id: str
    undone: str
    entries: int


def undo(session: Session, actor: str, ref: str | None = None) -> UndoResult:
    """Revert one change group (the latest by default); the revert is logged as a new group."""
    target = resolve_change_id(session, ref)
    group = list(
        session.exec(
            select(AuditEntry).where(AuditEntry.change_id == target).order_by(col(AuditEntry.id).desc())
        )
    )
    if any(e.undone_by for e in group):
        raise Conflict(
            f"change {target} was already undone (by {group[0].undone_by})", hint="see `casetrack log`"
        )
    recorder = Recorder(session, actor, undoes=target)
    for entry in group:
        _revert(recorder, entry)
    for entry in group:
        entry.undone_by = recorder.change_id
        session.add(entry)
    recorder.finish()
    return UndoResult(recorder.change_id, target, recorder.entries)


def _revert(recorder: Recorder, entry: AuditEntry) -> None:
    session = recorder.session
    if entry.action not in ("create", "delete", "update"):
        from casetrack.store import curate  # registers the undoers of merge, unmerge, reject, resolve

        del curate
    if entry.action in DECISION_UNDOERS:
        DECISION_UNDOERS[entry.action](recorder, entry)
        return
    model = MODELS.get(entry.record_type)
    if model is None:
        raise Conflict(f"cannot undo a change to {entry.record_type!r} records")
    if entry.action == "create":
        row = session.get(model, entry.record_id)
        if row is not None:
            recorder.delete(row)
    elif entry.action == "delete":
        data = _load(entry.old_value)
        if session.get(model, data["id"]) is not None:
            raise Conflict(f"cannot restore {entry.record_type} #{data['id']}: the id is in use again")
        recorder.create(row_from_dict(model, data))
    elif entry.action == "update":
        row = session.get(model, entry.record_id)
        if row is None:
            raise Conflict(
                f"cannot undo: {entry.record_type} #{entry.record_id} was deleted since",
                hint="undo that later change first",
            )
        if entry.field == "curated_fields":
            recorder.set(row, "curated_fields", _uncurate(row, entry))
            return
        current, written = to_json_value(getattr(row, entry.field or "")), _load(entry.new_value)
        if current != written:
            raise Conflict(
                f"cannot undo: {entry.record_type} #{entry.record_id} {entry.field} was changed again since",
                hint="undo that later change first (see `casetrack log`)",
            )
        recorder.set(row, entry.field or "", _restore_value(model, entry.field or "", _load(entry.old_value)))
    else:
        raise Conflict(f"cannot undo a {entry.action!r} entry")


def _uncurate(row: SQLModel, entry: AuditEntry) -> str:
    """Drop the field names this change marked as curated, keep any marked since."""
    added = set(json.loads(_load(entry.new_value) or "[]")) - set(json.loads(_load(entry.old_value) or "[]"))
    current = json.loads(row.curated_fields or "[]")  # type: ignore[attr-defined]
    return json.dumps([name for name in current if name not in added])


def _restore_value(model: type[SQLModel], column: str, value: Any) -> Any:
    if value is None:
        return None
    return getattr(row_from_dict(model, {column: value}), column)


def last_change_at(session: Session) -> dt.datetime | None:
    return session.exec(select(func.max(AuditEntry.at))).first()
