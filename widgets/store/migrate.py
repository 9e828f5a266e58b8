"""Bring a database's tables up to date with Alembic, driven from code (no alembic.ini).

The migration scripts live in ``migrations/`` inside the package so they ship in the wheel.
To add one, change ``tables.py`` and run ``python -m widgets.store.revision "what changed"``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from widgets.store.engine import migration_transaction, reader

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for Within's scripts; ``migrations/env.py`` uses ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head() -> str | None:
    """The newest revision in ``migrations/versions``."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(connection: Connection) -> str | None:
    """The revision the database is at, or None when it is empty."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Upgrade to the newest revision; safe when several processes start on an empty file.

    A quick read skips the lock when there is nothing to do; otherwise one process at a time
    migrates and the others, once they get the lock, find the work already done.
    """
    with reader(engine).connect() as connection:
        if current(connection) == head():
            return
    with migration_transaction(engine) as connection:
        command.upgrade(alembic_config(connection), "head")
