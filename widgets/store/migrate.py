"""Bring a database's tables up to date with Alembic, driven from code (no alembic.ini).

Every kernel checks the database once, so the check is cheap: the stored revision is read with
plain SQL and compared with the newest numbered script, and Alembic (about 14 MB per kernel)
is imported only when there is something to migrate.

The migration scripts live in ``migrations/`` inside the package so they ship in the wheel.
To add one, change ``tables.py`` and run ``python -m widgets.store.revision "what changed"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from widgets.store.engine import migration_transaction, reader

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for Within's scripts; ``migrations/env.py`` uses ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head() -> str | None:
    """The newest revision in ``migrations/versions``, as Alembic reads the scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def newest_number() -> str:
    """The newest revision by the scripts' numbered names (``0003_add_group_rooms.py``).

    :mod:`widgets.store.revision` numbers scripts 0001, 0002, ... with ``rev_id`` the number,
    so this equals :func:`head` without importing Alembic (a test holds them equal).
    """
    numbers = [p.name[:4] for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")]
    return max(numbers)


def current(connection: Connection) -> str | None:
    """The revision the database is at, or None when it is empty."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(engine: Engine) -> None:
    """Upgrade to the newest revision; safe when several processes start on an empty file.

    A quick read skips the lock when there is nothing to do; otherwise one process at a time
    migrates and the others, once they get the lock, find the work already done.
    """
    with reader(engine).connect() as connection:
        if current(connection) == newest_number():
            return
    from alembic import command

    with migration_transaction(engine) as connection:
        command.upgrade(alembic_config(connection), "head")
