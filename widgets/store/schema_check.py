"""Is a SQLite file exactly a Within database of its migration revision, and nothing more?

A restored file replaces the whole store, schema included. A backup with an extra table and
a trigger copying every answer into it would pass an integrity check and go on copying after
"delete everything". So before a file is let in, its schema is compared with the schema
Within's own migrations build for the same revision, object by object: tables (columns,
types, defaults, keys, the table's own SQL), indexes (columns and SQL), and nothing else: no
trigger, no view, no extra table or index. SQLite's own bookkeeping (``sqlite_sequence``,
``sqlite_stat1`` to ``sqlite_stat4``) and Alembic's ``alembic_version`` are expected.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from widgets.store import engine as store_engine
from widgets.store import migrate

#: Tables SQLite itself may add to any database; their contents are statistics and counters.
SQLITE_OWN = re.compile(r"^sqlite_(sequence|stat[1-4])$")

Schema = dict[tuple[str, str], Any]


def describe(connection: sqlite3.Connection) -> Schema:
    """Every object in the file's schema, keyed by (type, name), with what defines it."""
    rows = connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    found: Schema = {}
    for kind, name, table, sql in rows:
        if kind == "table" and SQLITE_OWN.match(name):
            continue
        definition: dict[str, Any] = {"on": table, "sql": _normal_sql(sql)}
        quoted = '"' + name.replace('"', '""') + '"'
        if kind == "table":
            definition["columns"] = connection.execute(f"PRAGMA table_xinfo({quoted})").fetchall()
            definition["keys"] = connection.execute(f"PRAGMA foreign_key_list({quoted})").fetchall()
        elif kind == "index":
            definition["columns"] = connection.execute(f"PRAGMA index_xinfo({quoted})").fetchall()
        found[(kind, name)] = definition
    return found


@functools.lru_cache(maxsize=8)
def expected(revision: str) -> Schema:
    """The schema Within's migrations build for ``revision``, in a throwaway file."""
    from alembic import command

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "expected.sqlite3"
        engine = store_engine.create(f"sqlite:///{path}")
        try:
            with store_engine.migration_transaction(engine) as connection:
                command.upgrade(migrate.alembic_config(connection), revision)
        finally:
            engine.dispose()
        connection = sqlite3.connect(path)
        try:
            return describe(connection)
        finally:
            connection.close()


def differences(found: Schema, wanted: Schema) -> list[str]:
    """What ``found`` has that ``wanted`` has not, lacks, or defines otherwise, in words."""
    problems = []
    for kind, name in sorted(found.keys() - wanted.keys()):
        on = found[(kind, name)]["on"]
        where = f" on table '{on}'" if kind in ("index", "trigger") and on != name else ""
        problems.append(f"an unexpected {kind} '{name}'{where}")
    for kind, name in sorted(wanted.keys() - found.keys()):
        problems.append(f"no {kind} '{name}'")
    for key in sorted(found.keys() & wanted.keys()):
        if found[key] != wanted[key]:
            changed = [part for part in wanted[key] if found[key].get(part) != wanted[key][part]]
            problems.append(f"the {key[0]} '{key[1]}' is defined differently ({', '.join(changed)})")
    return problems


def check(connection: sqlite3.Connection, revision: str) -> list[str]:
    """The differences between the file behind ``connection`` and ``revision``'s schema."""
    return differences(describe(connection), expected(revision))


def _normal_sql(sql: str | None) -> str | None:
    """SQL with runs of white space made one space (SQLite keeps the text as written)."""
    return None if sql is None else " ".join(sql.split())
