"""Engine, sessions and migrations: the one place that knows which database is in use.

Where the database is: ``--db PATH|URL``, else ``$CASETRACK_DB``, else a file in
the per-user application directory. A plain path means SQLite; a
``postgresql://`` or ``postgresql+psycopg://`` URL means PostgreSQL, with the
same models and migrations.

A new SQLite file is created with mode 0600 (the record names people at risk),
uses WAL journaling, foreign keys and a busy timeout, and write transactions
start with ``BEGIN IMMEDIATE`` so that two writers queue instead of failing with
"database is locked" half-way through. A brand-new database is migrated to the
head revision on first use; an older one is left alone and the user is told to
run ``casetrack db upgrade`` (a team's shared database should not change under
its other users because one of them installed a newer casetrack).

Sessions are handed only to :mod:`casetrack.store`; everything else goes through it.
Opening the database ends the command line's start-up (:func:`casetrack.startup.end`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casetrack.errors import DatabaseError, InvalidValue

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

ENV_VAR = "CASETRACK_DB"
DEFAULT_FILENAME = "casetrack.db"
BUSY_TIMEOUT_MS = 60_000


@dataclass(frozen=True, slots=True)
class Location:
    """Where the database is and which setting chose it."""

    url: str
    origin: str  # "--db", "$CASETRACK_DB" or "default"

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        raw = self.url.split("///", 1)[1] if "///" in self.url else ""
        return Path(raw) if raw and raw != ":memory:" else None

    def display(self) -> str:
        """The URL with any password hidden."""
        if self.is_sqlite:
            return str(self.path or self.url)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def resolve_location(explicit: str | None, default_dir: Path) -> Location:
    """Apply the precedence --db > $CASETRACK_DB > default file."""
    if explicit:
        return Location(to_url(explicit), "--db")
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Location(to_url(from_env), f"${ENV_VAR}")
    return Location(to_url(str(default_dir / DEFAULT_FILENAME)), "default")


def to_url(value: str) -> str:
    """A path becomes a SQLite URL; postgres URLs get the psycopg driver."""
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if value.startswith(("postgresql+", "sqlite:")):
        return value
    if "://" in value:
        raise DatabaseError(
            f"unsupported database URL scheme in {value.split('://', 1)[0]!r}",
            hint="use a file path or a postgresql+psycopg:// URL",
        )
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def migrations_dir() -> Path:
    """Migrations ship inside the wheel; in a checkout they are the top-level folder."""
    packaged = Path(__file__).with_name("migrations")
    if (packaged / "env.py").exists():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "migrations"
    if (checkout / "env.py").exists():
        return checkout
    raise DatabaseError("casetrack's migrations are missing", hint="reinstall casetrack")


class Database:
    """An open database: an engine plus the ways to get sessions from it."""

    def __init__(self, location: Location, engine: Engine) -> None:
        self.location = location
        self.engine = engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on any exception."""
        from sqlalchemy import event
        from sqlalchemy.exc import DataError
        from sqlmodel import Session

        bind = self.engine.execution_options(casetrack_write=True) if write else self.engine
        with Session(bind, expire_on_commit=False) as session:
            event.listen(session, "before_flush", _refuse_overlong_values)
            try:
                yield session
                session.commit()
            except DataError as exc:
                session.rollback()
                raise InvalidValue(
                    f"the database refused a value: {_first_line(exc.orig or exc)}",
                    hint="check the lengths and characters of the values given",
                ) from None
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def create_engine_for(location: Location) -> Engine:
    from sqlalchemy import create_engine, event

    if not location.is_sqlite:
        engine = create_engine(location.url, pool_pre_ping=True)
        event.listen(engine, "before_cursor_execute", _refuse_unstorable_text)
        return engine
    if location.path is not None:
        _create_private_file(location.path)
    engine = create_engine(
        location.url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("casetrack_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    event.listen(engine, "before_cursor_execute", _refuse_unstorable_text)
    return engine


def _refuse_unstorable_text(
    _connection: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _executemany: bool
) -> None:
    """Text that one backend cannot store is refused on both, as the user's error, before it is sent.

    PostgreSQL cannot hold a NUL character in text; neither backend can encode
    lone surrogates (what Python makes of invalid UTF-8 on the command line).
    The transaction is rolled back like any other failure.
    """
    for value in _strings(parameters):
        if "\x00" in value:
            raise InvalidValue(
                f"{_preview(value)} contains a NUL character, which cannot be stored",
                hint="remove control characters from the value",
            )
        if _has_surrogate(value):
            raise InvalidValue(
                f"{_preview(value)} is not valid text (invalid UTF-8)", hint="give the value in UTF-8"
            )


def _refuse_overlong_values(session: Any, _context: Any, _instances: Any) -> None:
    """Length limits hold on both backends (SQLite would store an overlong value, PostgreSQL refuses it)."""
    for row in (*session.new, *session.dirty):
        table = getattr(row, "__table__", None)
        for column in table.columns if table is not None else ():
            refuse_overlong(column.name, getattr(column.type, "length", None), getattr(row, column.key, None))


def refuse_overlong(name: str, limit: int | None, value: Any) -> None:
    """InvalidValue when ``value`` is a string longer than the column ``name``'s ``limit``."""
    if limit and isinstance(value, str) and len(value) > limit:
        raise InvalidValue(
            f"{name} is limited to {limit} characters, got {len(value)} ({_preview(value)})",
            hint="shorten the value",
        )


def _strings(parameters: Any) -> Iterator[str]:
    """Every string in a statement's parameters (a row, a dict, or a list of them for executemany)."""
    if isinstance(parameters, str):
        yield parameters
        return
    values = parameters.values() if isinstance(parameters, dict) else parameters
    if not isinstance(values, (list, tuple, type({}.values()))):
        return
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, (dict, list, tuple)):
            yield from _strings(value)


def _has_surrogate(value: str) -> bool:
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _preview(value: str) -> str:
    shown = value.encode("ascii", "backslashreplace").decode("ascii")
    return "'" + shown[:40] + ("...'" if len(shown) > 40 else "'")


def _create_private_file(path: Path) -> None:
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"{path} is a directory", hint="give --db a file path")
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseError(f"cannot create the database file {path}: {exc.strerror}") from None


def open_database(location: Location, *, migrate_new: bool = True, check_revision: bool = True) -> Database:
    """Open (and, when brand-new, create) the database; refuse one at another revision."""
    from sqlalchemy.exc import SQLAlchemyError

    from casetrack import startup

    startup.end()

    try:
        if location.path is not None and location.path.exists():
            _refuse_foreign_sqlite_file(location)
        engine = create_engine_for(location)
    except OSError as exc:
        raise DatabaseError(
            f"cannot open the database {location.display()}: {exc.strerror}",
            hint="check --db / $CASETRACK_DB",
        ) from None
    database = Database(location, engine)
    try:
        current = current_revision(database)
        head = head_revision()
        if current is None and migrate_new and not _has_user_tables(database):
            upgrade(database)
        elif check_revision and current != head:
            database.dispose()
            raise _revision_error(location, current, head)
    except SQLAlchemyError as exc:
        database.dispose()
        raise DatabaseError(
            f"cannot open the database {location.display()}: {_first_line(exc)}",
            hint="check --db / $CASETRACK_DB",
        ) from None
    return database


def _refuse_foreign_sqlite_file(location: Location) -> None:
    """Look at an existing file read-only first: opening it for real switches it to WAL."""
    import sqlite3

    assert location.path is not None
    if location.path.is_dir():
        raise DatabaseError(f"{location.path} is a directory", hint="give --db a file path")
    if location.path.stat().st_size == 0:
        return
    try:
        with closing(sqlite3.connect(f"{location.path.as_uri()}?mode=ro", uri=True)) as connection:
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"cannot open the database {location.display()}: {exc}",
            hint="check --db / $CASETRACK_DB: it must be a casetrack database or a new file",
        ) from None
    if tables and "alembic_version" not in tables:
        raise _revision_error(location, None, "")


def _revision_error(location: Location, current: str | None, head: str) -> DatabaseError:
    if current is None:
        return DatabaseError(
            f"{location.display()} is not a casetrack database",
            hint="give --db a new file or an existing casetrack database",
        )
    if current not in known_revisions():
        return DatabaseError(
            f"{location.display()} was written by a newer casetrack (revision {current})",
            hint="upgrade casetrack",
        )
    return DatabaseError(
        f"{location.display()} is at revision {current}, this casetrack needs {head}",
        hint="back it up with `casetrack db backup`, then run `casetrack db upgrade`",
    )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _has_user_tables(database: Database) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(database.engine).get_table_names())


def alembic_config(database: Database | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if database is not None:
        config.set_main_option("sqlalchemy.url", database.location.url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision in the migrations folder (read from the files: no alembic import)."""
    revisions = _revision_graph()
    referenced = {parent for parent in revisions.values() if parent}
    heads = sorted(set(revisions) - referenced)
    if len(heads) != 1:
        raise DatabaseError(
            f"casetrack's migrations have {len(heads)} head revisions", hint="reinstall casetrack"
        )
    return heads[0]


def known_revisions() -> set[str]:
    return set(_revision_graph())


_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(?:\"([^\"]*)\"|'([^']*)'|None)", re.M)


def _revision_graph() -> dict[str, str | None]:
    """``{revision: down_revision}`` for every migration file.

    Every command checks the database's revision, so this reads the revision
    lines of the migration files instead of importing alembic (about 0.2 s of
    start-up); ``tests/test_db.py`` checks it against alembic's own view.
    """
    graph: dict[str, str | None] = {}
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        found = {
            m.group(1): m.group(2) or m.group(3) for m in _REVISION_LINE.finditer(path.read_text("utf-8"))
        }
        if found.get("revision"):
            graph[found["revision"]] = found.get("down_revision") or None
    return graph


def current_revision(database: Database) -> str | None:
    """The revision the database is at, or None when it has no alembic_version table."""
    from sqlalchemy import inspect, text

    with database.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def upgrade(database: Database, revision: str = "head") -> None:
    _run_alembic(database, "upgrade", revision)


def downgrade(database: Database, revision: str) -> None:
    _run_alembic(database, "downgrade", revision)


def _run_alembic(database: Database, command_name: str, revision: str) -> None:
    from alembic import command

    config = alembic_config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, command_name)(config, revision)
