"""The SQLAlchemy engine, and the only place that knows which database sits underneath.

Many Voilà kernels (one process each) write to one SQLite file at once. SQLite copes when
every writer announces itself up front: with SQLAlchemy's pysqlite recipe we emit
``BEGIN IMMEDIATE`` ourselves, so a writer waits its turn (``busy_timeout``) instead of
failing when a read lock cannot be upgraded. Read-only work goes through :func:`reader` and
stays ``BEGIN DEFERRED`` so readers never queue behind writers (WAL lets them run together).
Other databases (PostgreSQL on a server) get a plain engine and their own locking.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url, text

from widgets.core import settings
from widgets.core.private_files import private_database

BUSY_TIMEOUT_MS = settings.DEFAULT_BUSY_TIMEOUT_MS  # the default; WITHIN_BUSY_TIMEOUT_MS changes it
SCRUB_TIMEOUT_MS = 2_000
_READ_ONLY = "within_read_only"
_MIGRATION_LOCK_ID = 4_870_301  # any fixed number, the same in every Within process

_SQLITE_PRAGMAS = (
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",  # deleted rows are overwritten, not left in free pages
)


def create(url: str) -> Engine:
    """An engine for ``url``, set up for many processes writing to the same database."""
    parsed = postgres_driver(make_url(url))
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
    uri_mode = (parsed.database or "").startswith("file:")  # SQLite URI: the caller's own path
    if parsed.database and parsed.database != ":memory:" and not uri_mode:
        path = Path(parsed.database)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        private_database(path)  # 0600 with its -wal and -shm, on every start
    engine = create_engine(url, hide_parameters=True)  # errors never quote codes or answers
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def postgres_driver(url: URL) -> URL:
    """``postgresql://`` means psycopg 3 (the ``postgres`` extra), SQLAlchemy's default being
    psycopg2; a URL naming its driver (``postgresql+psycopg2://``) is left alone."""
    if url.drivername == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    return url


def reader(engine: Engine) -> Engine:
    """The same engine (same pool) for transactions that only read."""
    return engine.execution_options(**{_READ_ONLY: True})


@contextmanager
def migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction holding a database-wide lock, so only one process migrates at once.

    On SQLite the ``BEGIN IMMEDIATE`` is the lock, and foreign keys are switched off for the
    transaction as SQLite's own ALTER procedure asks: batch migrations rebuild a table by
    dropping it, and dropping ``participants`` with foreign keys on would cascade-delete every
    row that belongs to anyone. ``PRAGMA foreign_key_check`` then vets the result instead.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # only takes effect outside a transaction, hence on the raw connection
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
                    )
                yield connection
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("A migration left rows pointing at missing participants.")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def scrub(engine: Engine) -> None:
    """Push deleted data out of side files (SQLite's write-ahead log) into the zeroed database.

    Best effort, waiting briefly: if other sessions keep reading or writing, SQLite finishes
    the job at a later checkpoint.
    """
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()
    cursor = connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SCRUB_TIMEOUT_MS}")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    finally:
        connection.close()


def compact(engine: Engine) -> bool:
    """Rebuild the SQLite file (``VACUUM``) and empty its write-ahead log.

    ``secure_delete`` already zeroes deleted rows, but a rebuild also drops free pages and
    old copies of pages, so nothing of a deleted person is left to recover from the file.
    Best effort: returns False when other sessions kept the file busy (the zeroing stands,
    and the next compaction finishes the job). A no-op (True) on other databases.
    """
    if engine.dialect.name != "sqlite":
        return True
    connection = engine.raw_connection()
    cursor = connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SCRUB_TIMEOUT_MS}")
        cursor.execute("VACUUM")
        busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return False
        raise
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        connection.close()


def busy_timeout_ms() -> int:
    """``WITHIN_BUSY_TIMEOUT_MS`` when set, else :data:`BUSY_TIMEOUT_MS`."""
    return settings.busy_timeout_ms(BUSY_TIMEOUT_MS)


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _begin_sqlite
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    _use_wal(cursor)
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(pragma).fetchall()
    cursor.close()


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to write-ahead logging (the setting is kept in the file).

    When several processes open a new file at once, SQLite refuses the switch to all but one
    with "database is locked" without waiting for ``busy_timeout``, so wait here instead.
    """
    deadline = time.monotonic() + busy_timeout_ms() / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL").fetchall()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _begin_sqlite(connection: Connection) -> None:
    read_only = connection.get_execution_options().get(_READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
