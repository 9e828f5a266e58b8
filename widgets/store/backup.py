"""Copying the SQLite store to a backup file and putting a backup back, without corruption.

A backup holds everyone's answers, so it is made like the database itself: readable by its
owner only (mode 0600), never over an existing file, and checked (``PRAGMA
integrity_check``) before it is called done. Both directions use SQLite's online backup
API, which copies a consistent snapshot while other sessions keep working and writes the
destination in one transaction, so a crash halfway never leaves a half-restored store.

Only SQLite files are handled here; a server database has its own tools (``pg_dump``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import make_url

from widgets.core import settings
from widgets.core.private_files import private_database
from widgets.store import migrate, schema_check


class BackupError(ValueError):
    """A backup or restore that was refused or failed; the message says why, for staff."""


def database_path(url: str | None = None) -> Path:
    """The SQLite file behind ``url`` (the configured store by default)."""
    parsed = make_url(url or settings.database_url())
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise BackupError(
            "only a SQLite store can be backed up with Within; use your database server's "
            "own tools (for example pg_dump) for others"
        )
    return Path(parsed.database)


def backup(destination: str | Path, url: str | None = None) -> Path:
    """Copy the store to ``destination`` (a new file, mode 0600) and check the copy."""
    source, destination = database_path(url), Path(destination)
    if not source.is_file():
        raise BackupError(f"there is no database at {source} yet, so nothing to back up")
    try:
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{destination} already exists; choose a new file name") from None
    except OSError as error:
        raise BackupError(f"{destination} cannot be written ({error.strerror})") from None
    os.close(fd)
    try:
        with _open(source, read_only=True) as live, _open(destination) as copy:
            live.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE").fetchall()  # one self-contained file
        check(destination)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    return destination


def check(path: str | Path) -> str:
    """The schema revision of a sound Within backup; :class:`BackupError` for anything else.

    Sound means undamaged (``integrity_check``, ``foreign_key_check``) and exactly the schema
    Within's migrations build for its revision: no extra table, trigger, view or index
    (:mod:`widgets.store.schema_check`)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    known = {script.revision for script in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()}
    try:
        with _open(path, read_only=True) as connection:
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise BackupError(f"{path}: is damaged (integrity check: {'; '.join(result[:3])})")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if not {"alembic_version", "participants"} <= tables:
                raise BackupError(f"{path}: is a SQLite file but not a Within database")
            revisions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            if len(revisions) != 1 or revisions[0][0] not in known:
                found = ", ".join(str(row[0]) for row in revisions) or "none"
                raise BackupError(f"{path}: was made by another version of Within (schema {found})")
            revision = str(revisions[0][0])
            problems = schema_check.check(connection, revision)
            if problems:
                raise BackupError(
                    f"{path}: is not exactly a Within database of schema {revision}; it has "
                    + "; ".join(problems)
                    + ". Refused: extra tables, triggers or views could keep or copy answers "
                    "that Within's own deletion would not reach."
                )
            orphans = connection.execute("PRAGMA foreign_key_check").fetchall()
            if orphans:
                raise BackupError(
                    f"{path}: is damaged ({len(orphans)} row(s) in '{orphans[0][0]}' belong to "
                    "no participant)"
                )
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: is not a Within database or is damaged ({error})") from None
    return revision


def restore(backup_file: str | Path, url: str | None = None) -> Path:
    """Replace the store's contents with a checked backup; returns the database path.

    Run it while ``within serve`` is stopped: pages still open would keep showing what they
    read before. The replacement itself is one SQLite transaction, so a crash or power cut
    leaves either the old or the restored database, never a mix.
    """
    check(backup_file)
    target = database_path(url)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    private_database(target)
    with _open(Path(backup_file), read_only=True) as source, _open(target) as live:
        live.execute(f"PRAGMA busy_timeout = {settings.busy_timeout_ms()}")
        source.backup(live)
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        result = [row[0] for row in live.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError(f"{target}: integrity check failed after the restore: {result[:3]}")
    private_database(target)
    return target


@contextlib.contextmanager
def _open(path: Path, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    """A plain sqlite3 connection, closed afterwards; read-only ones never create a file."""
    if read_only:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA busy_timeout = {settings.busy_timeout_ms()}")
        yield connection
    finally:
        connection.close()
