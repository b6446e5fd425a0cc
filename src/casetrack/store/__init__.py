"""The repository layer: the only code that touches a database session.

Each module covers one area -- ``sources`` and ``ingest`` (storing what the
pipeline found), ``curate`` (edits with an audit trail), ``query`` (listing,
showing, timelines), ``search`` (full text), ``maintenance`` (counts, checks,
backups) -- and takes a :class:`casetrack.db.Database`, opening its own
transactions. Functions return plain dataclasses or dictionaries, never live
ORM objects, so callers cannot trigger lazy loads or writes by accident.
"""
