"""The store: migrations, SQLite set-up, many writers at once, deletion by code, bad input."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from contextlib import closing
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from widgets.core import settings
from widgets.core.instrument import instrument
from widgets.core.scoring import score
from widgets.store import Store, StoreError, engine, migrate, revision
from widgets.store.tables import METADATA, participant_columns

TABLES = {"participants", "consents", "progress", "entries", "submissions"}
WORKERS = 6
WRITES_PER_WORKER = 200


def raw(store: Store) -> closing[sqlite3.Connection]:
    """A plain sqlite3 connection to the store's file, to check what is really there."""
    return closing(sqlite3.connect(store.url.removeprefix("sqlite:///")))


def tables_with_code(connection: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    names = [row[0] for row in connection.execute(query)]
    return [
        name for name in names
        if any(col[1] == "code" for col in connection.execute(f'PRAGMA table_info("{name}")'))
    ]


def fill(store: Store, code: str, marker: str = "") -> None:
    store.record_consent(code, "store-answers", "v1")
    store.record_consent(code, "research-export", "v1", given=False)
    store.save_progress(code, "values-cards", "step-2", {"picked": ["care", marker]})
    store.add_entry(code, "defusion", "thought", f"I am noticing {marker}")
    store.add_entry(code, "defusion", "distance", 3)
    store.add_submission(code, score(instrument("thai-internalised-stigma"), {"item_6": 2}), language="en", administered="self")


# Settings


def test_data_dir_is_created_private_and_holds_the_database(data_dir: Path) -> None:
    assert not data_dir.exists()
    assert settings.data_dir() == data_dir
    if os.name == "posix":
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert settings.database_url() == f"sqlite:///{data_dir / 'within.sqlite3'}"


def test_database_url_wins_over_data_dir(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere" / "other.sqlite3"
    monkeypatch.setenv("WITHIN_DATABASE_URL", f"sqlite:///{elsewhere}")
    assert settings.database_url() == f"sqlite:///{elsewhere}"
    store = Store()
    store.add_entry("A1", "app", "key", "value")
    store.close()
    assert elsewhere.exists()
    assert not (data_dir / "within.sqlite3").exists()


def test_default_is_one_store_per_url(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    first = Store.default()
    assert Store.default() is first
    monkeypatch.setenv("WITHIN_DATA_DIR", str(tmp_path / "another"))
    second = Store.default()
    assert second is not first and second.url != first.url
    first.close(), second.close()


# Schema


def test_migrations_build_every_table_and_reach_head(store: Store) -> None:
    store.add_entry("A1", "app", "key", 1)  # first use migrates
    with raw(store) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert TABLES | {"alembic_version"} <= tables
    assert version == [(migrate.head(),)]
    assert migrate.head() is not None


def test_the_quick_revision_check_agrees_with_alembic_and_skips_importing_it(tmp_path: Path) -> None:
    """Each kernel checks the schema once; Alembic (about 14 MB) loads only to migrate."""
    assert migrate.newest_number() == migrate.head()
    url = f"sqlite:///{tmp_path / 'within.sqlite3'}"
    Store(url).add_entry("A1", "app", "key", 1)  # creates the tables, in this process
    script = (
        "import sys; from widgets.store import Store\n"
        f"store = Store({url!r}); store.add_entry('A1', 'app', 'key', 2)\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
    with Store(url)._engine.connect() as connection:
        assert migrate.current(connection) == migrate.head()


def test_migrations_match_the_models(store: Store) -> None:
    store.migrate()
    with store._engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), METADATA) == []


def test_revision_helper_writes_the_next_numbered_script(tmp_path: Path, monkeypatch) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    head = migrate.head()
    path = revision.main(["add nothing yet"])
    assert path == scripts / "versions" / f"{int(head) + 1:04d}_add_nothing_yet.py"
    assert f"down_revision = '{head}'" in path.read_text()


def test_sqlite_is_set_up_for_many_writers(store: Store) -> None:
    store.migrate()
    with raw(store) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with store._engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == engine.BUSY_TIMEOUT_MS
        assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_rebuilding_participants_in_a_migration_keeps_everyones_rows(store: Store) -> None:
    fill(store, "A1")
    with engine.migration_transaction(store._engine) as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        with Operations.context(context) as op, op.batch_alter_table(
            "participants", recreate="always"
        ):
            pass
    assert len(store.entries("A1")) == 2
    assert store.load_progress("A1", "values-cards") is not None


def test_every_code_column_belongs_to_a_participant() -> None:
    """A later table with a ``code`` column must point at participants, or deletion misses it."""
    covered = set(participant_columns())
    for table in METADATA.sorted_tables:
        if "code" in table.c:
            assert table.c.code in covered, f"{table.name}.code is not a participant code"
    assert {column.table.name for column in covered} == TABLES
    assert participant_columns()[-1].table.name == "participants"


# Many processes at once


def _write_many(worker: int, start: Barrier) -> None:
    store = Store.default()  # WITHIN_DATA_DIR is inherited from the test
    start.wait()  # everyone migrates the empty database at the same moment
    for n in range(WRITES_PER_WORKER):
        store.add_entry(f"W{worker}", "race", "n", n)
        store.record_consent("TOGETHER", f"scope-{worker}", "v1", given=n % 2 == 0)
    store.close()


def test_many_processes_write_at_once_and_nothing_is_lost(data_dir: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WORKERS)
    workers = [context.Process(target=_write_many, args=(w, start)) for w in range(WORKERS)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [process.exitcode for process in workers] == [0] * WORKERS

    store = Store()
    for w in range(WORKERS):
        assert [e.value for e in store.entries(f"W{w}")] == list(range(WRITES_PER_WORKER))
        assert not store.has_consent("TOGETHER", f"scope-{w}")  # the last answer was "no"
    with raw(store) as connection:
        def count(table: str) -> int:
            return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

        assert count("entries") == WORKERS * WRITES_PER_WORKER
        assert count("consents") == WORKERS * WRITES_PER_WORKER
        assert count("participants") == WORKERS + 1
        assert connection.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    store.close()


def test_opening_a_new_file_waits_while_another_process_is_writing(tmp_path: Path) -> None:
    """SQLite refuses the switch to WAL at once (no busy wait) while a writer holds the file."""
    path = tmp_path / "within.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None, check_same_thread=False)) as other:
        other.execute("CREATE TABLE setting_up (x)")
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO setting_up VALUES (1)")
        release = threading.Timer(0.3, other.execute, ["COMMIT"])
        release.start()
        store = Store(f"sqlite:///{path}")
        store.add_entry("A1", "app", "key", 1)
        release.join()
    assert [e.value for e in store.entries("A1")] == [1]
    store.close()


def test_a_busy_database_gives_a_kind_error_and_reads_still_work(store: Store, monkeypatch) -> None:
    store.add_entry("A1", "app", "key", "before")
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    store.close()  # new connections pick up the short timeout
    with raw(store) as other:
        other.isolation_level = None
        other.execute("BEGIN IMMEDIATE")  # another kernel holds the write lock
        assert [e.value for e in store.entries("A1")] == ["before"]
        with pytest.raises(StoreError) as caught:
            store.add_entry("A1", "app", "key", "after")
        other.execute("ROLLBACK")
    assert caught.value.reason == "busy"


def test_a_read_only_database_gives_a_kind_error(store: Store) -> None:
    store.add_entry("A1", "app", "key", "before")
    store.close()
    path = store.url.removeprefix("sqlite:///")
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert [e.value for e in read_only.entries("A1")] == ["before"]
    with pytest.raises(StoreError) as caught:
        read_only.add_entry("A1", "app", "key", "after")
    read_only.close()
    assert caught.value.reason == "read-only"


# Deleting everything for a code


def test_delete_participant_removes_every_row_of_that_code_only(store: Store) -> None:
    marker = "Zq9-only-in-B7"
    fill(store, "A1")
    fill(store, "B7", marker)
    fill(store, "C3")

    kept = {"progress": 1, "entries": 2, "consents": 2, "submissions": 1, "participants": 1}
    assert store.summary("B7") == kept

    removed = store.delete_participant("B7")

    assert removed == kept
    assert store.summary("B7") == dict.fromkeys(kept, 0)
    assert store.summary("A1") == kept
    with raw(store) as connection:
        for table in tables_with_code(connection):
            codes = dict(connection.execute(f"SELECT code, count(*) FROM {table} GROUP BY code"))
            assert "B7" not in codes, table
            assert codes.get("A1") and codes.get("C3"), table
    assert store.entries("B7") == [] and store.consents("B7") == []
    assert len(store.entries("C3")) == 2 and store.has_consent("A1", "store-answers")
    assert store.delete_participant("B7") == dict.fromkeys(removed, 0)
    # Nor left behind in free pages or in the write-ahead log (checked while still open).
    files = list(Path(store.url.removeprefix("sqlite:///")).parent.glob("within.sqlite3*"))
    assert not any(marker.encode() in f.read_bytes() for f in files)


# Consent, progress, entries


def test_withdrawn_consent_is_honoured(store: Store) -> None:
    assert not store.has_consent("A1", "store-answers")
    store.record_consent("A1", "store-answers", "v1")
    store.record_consent("A1", "research-export", "v1")
    assert store.has_consent("A1", "store-answers")
    store.record_consent("A1", "store-answers", "v1", given=False)
    assert not store.has_consent("A1", "store-answers")
    assert store.has_consent("A1", "research-export")
    store.record_consent("A1", "store-answers", "v2")
    assert store.has_consent("A1", "store-answers")
    history = [(c.scope, c.text_version, c.given) for c in store.consents("A1")]
    assert history == [
        ("store-answers", "v1", True),
        ("research-export", "v1", True),
        ("store-answers", "v1", False),
        ("store-answers", "v2", True),
    ]


def test_progress_round_trip(store: Store) -> None:
    assert store.load_progress("A1", "check-in") is None
    state = {"answers": {"q1": 3, "q2": None}, "seen": ["intro"], "note": "ผ่อนคลาย"}
    store.save_progress("A1", "check-in", "q2", state)
    store.save_progress("A1", "values-cards", "start", {})
    saved = store.load_progress("A1", "check-in")
    assert (saved.flow, saved.step_id, saved.state) == ("check-in", "q2", state)
    store.save_progress("A1", "check-in", "done", {"answers": {}})
    assert store.load_progress("A1", "check-in").step_id == "done"
    assert store.load_progress("A1", "values-cards").step_id == "start"
    assert store.load_progress("B7", "check-in") is None


def test_entries_keep_their_order_and_values(store: Store) -> None:
    values = ["text", 4, 2.5, None, True, [1, "two"], {"nested": {"ok": [1]}}]
    ids = [store.add_entry("A1", "scale", f"item-{i}", v) for i, v in enumerate(values)]
    store.add_entry("A1", "defusion", "thought", "other app")
    assert ids == sorted(ids)
    assert [e.value for e in store.entries("A1", app="scale")] == values
    assert [e.id for e in store.entries("A1", app="scale")] == ids
    assert len(store.entries("A1")) == len(values) + 1
    assert store.entries("nobody") == []


# Bad input


def test_entries_for_app_reads_across_codes_for_staff_views(store: Store) -> None:
    store.add_entry("A1", "follow-up", "plan", {"start": "2026-01-05"})
    store.add_entry("B2", "mood", "check-in", {"mood": 5})
    store.add_entry("B2", "follow-up", "plan", {"start": "2026-02-02"})
    store.add_entry("A1", "follow-up", "done", {"point": "baseline"})
    pairs = store.entries_for_app("follow-up")
    assert [(code, e.key, e.value) for code, e in pairs] == [
        ("A1", "plan", {"start": "2026-01-05"}),
        ("B2", "plan", {"start": "2026-02-02"}),
        ("A1", "done", {"point": "baseline"}),
    ]
    assert [code for code, _ in store.entries_for_app("follow-up", key="plan")] == ["A1", "B2"]
    assert store.entries_for_app("nothing-here") == []
    store.delete_participant("A1")
    assert [code for code, _ in store.entries_for_app("follow-up")] == ["B2"]
    with pytest.raises(StoreError):
        store.entries_for_app("")


def test_a_url_that_is_not_a_database_is_refused_plainly() -> None:
    with pytest.raises(StoreError) as caught:
        Store("not a url")
    assert caught.value.reason == "invalid"


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.ensure_participant(""),
        lambda s: s.ensure_participant(None),
        lambda s: s.ensure_participant("A" * 17),
        lambda s: s.ensure_participant("Jane Doe"),
        lambda s: s.add_entry("A1", "app", "key", object()),
        lambda s: s.add_entry("A1", "app", "key", float("nan")),
        lambda s: s.add_entry("A1", "app", "key", {1, 2}),
        lambda s: s.add_entry("A1", "", "key", 1),
        lambda s: s.add_entry("A1", "app", "k" * 65, 1),
        lambda s: s.save_progress("A1", "flow", "step", ["not", "a", "dict"]),
        lambda s: s.record_consent("A1", "store-answers", "v1", given="yes"),
        lambda s: s.has_consent("A1", " "),
        lambda s: s.delete_participant(""),
    ],
)
def test_bad_input_raises_a_plain_store_error(store: Store, call) -> None:
    with pytest.raises(StoreError) as caught:
        call(store)
    assert isinstance(caught.value, ValueError)
    assert caught.value.reason == "invalid"
    assert store.entries("A1") == []
