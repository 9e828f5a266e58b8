"""The store on SQLite and on PostgreSQL: the same answers, the same guarantees.

A network of centres points ``WITHIN_DATABASE_URL`` at one PostgreSQL server
(``pip install within[postgres]``). Every test here runs twice through the ``database_url``
fixture: on a fresh SQLite file and on a fresh PostgreSQL database (``scripts/test`` starts
a throwaway server and sets ``WITHIN_TEST_POSTGRES_URL``; CI fails without it).
The screening and group-room tests (tests/unit/exercises/test_scale_form.py, tests/unit/rooms/test_rooms.py) use the
same fixture.
"""

from __future__ import annotations

import multiprocessing
from datetime import date, timedelta
from multiprocessing.synchronize import Barrier

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text, update

from widgets.core.instrument import instrument
from widgets.core.scoring import score
from widgets.store import Store, StoreError, engine, migrate
from widgets.store.tables import ENTRIES, METADATA, PARTICIPANTS, PROGRESS

SCALE = instrument("thai-internalised-stigma")
WORKERS = 4
WRITES_PER_WORKER = 16


def test_postgresql_urls_use_psycopg_3() -> None:
    from sqlalchemy import make_url

    assert engine.postgres_driver(make_url("postgresql://u@h/db")).drivername == "postgresql+psycopg"
    assert engine.postgres_driver(make_url("postgresql+psycopg2://u@h/db")).drivername == (
        "postgresql+psycopg2"
    )
    assert engine.postgres_driver(make_url("sqlite:///x")).drivername == "sqlite"


def test_migrations_reach_head_and_match_the_models(database_url: str) -> None:
    store = Store(database_url)
    store.migrate()
    with store._engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (migrate.head(),)
        ]
        assert compare_metadata(MigrationContext.configure(connection), METADATA) == []
        assert set(METADATA.tables) <= set(inspect(connection).get_table_names())
    store.close()


def test_answers_round_trip(database_url: str) -> None:
    store = Store(database_url)
    store.record_consent("A1", "store-answers", text_version="2024-06")
    store.record_consent("B2", "store-answers", text_version="2024-06")
    store.record_consent("B2", "store-answers", text_version="2024-06", given=False)
    assert store.has_consent("A1", "store-answers") and not store.has_consent("B2", "store-answers")
    store.save_progress("A1", "values-cards", "step-2", {"chosen": ["family", "ไทย"], "n": 2})
    assert store.load_progress("A1", "values-cards").state == {"chosen": ["family", "ไทย"], "n": 2}
    values = ["I always mess up", {"nested": [1, None, "ใจ"]}, 7, None]
    for value in values:
        store.add_entry("A1", app="defusion", key="thought", value=value)
    store.add_entry("B2", app="defusion", key="thought", value="other")
    assert [e.value for e in store.entries("A1")] == values
    assert [code for code, _ in store.entries_for_app("defusion")] == ["A1"] * 4 + ["B2"]
    with pytest.raises(StoreError):
        store.add_entry("A1", app="defusion", key="thought", value=float("nan"))
    store.close()


def test_screening_submissions_and_tally(database_url: str) -> None:
    store = Store(database_url)
    answers = {
        "low": [1, 1, 1, 1, 1, 1, 1, 1],
        "high": [3, 3, 3, 3, 2, 0, 3, 3],
    }
    for code, codes in [("P1", answers["low"]), ("P2", answers["high"]), ("P2", answers["low"])]:
        result = score(SCALE, dict(zip(SCALE.item_ids, codes, strict=True)))
        store.add_submission(code, result, language="th", administered="self")
    past = score(SCALE, dict(zip(SCALE.item_ids, answers["high"], strict=True)))
    store.add_submission("P3", past, language="en", administered="paper",
                         submitted_on=date.today() - timedelta(days=3))
    saved = store.submissions(instrument_id=SCALE.id)
    assert [s.code for s in saved] == ["P1", "P2", "P2", "P3"]
    assert saved[1].answers == dict(zip(SCALE.item_ids, answers["high"], strict=True))
    assert saved[3].submitted_on == date.today() - timedelta(days=3)
    tally = store.tally(SCALE.id)
    assert (tally.screened, tally.referral) == (3, 2)
    assert tally.flagged >= tally.referral
    assert store.tally("no-such-instrument").screened == 0
    store.close()


def test_deleting_a_participant_removes_every_row_of_that_code_only(database_url: str) -> None:
    store = Store(database_url)
    for code in ("GONE", "STAY"):
        store.record_consent(code, "store-answers", text_version="v1")
        store.save_progress(code, "flow", "s1", {})
        store.add_entry(code, app="a", key="k", value=code)
    removed = store.delete_participant("GONE")
    assert removed["participants"] == 1 and removed["entries"] == 1
    assert not any(store.summary("GONE").values())
    assert store.summary("STAY")["entries"] == 1
    with store._engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ENTRIES)) == 1
    store.close()


def test_retention_purges_only_quiet_participants(database_url: str) -> None:
    store = Store(database_url)
    store.add_entry("OLD1", app="a", key="k", value=1)
    store.add_entry("NEW1", app="a", key="k", value=1)
    long_ago = date.today() - timedelta(days=400)
    with store._engine.begin() as connection:
        for table in (ENTRIES, PROGRESS, PARTICIPANTS):
            columns = {c.name for c in table.columns}
            dated = {name: long_ago for name in columns if name.endswith("_on")}
            if dated:
                connection.execute(update(table).where(table.c.code == "OLD1").values(dated))
    assert store.purge_older_than(365, dry_run=True)["participants"] == 1
    assert store.purge_older_than(365)["participants"] == 1
    assert store.entries("OLD1") == [] and len(store.entries("NEW1")) == 1
    store.close()


def _write_many(url: str, worker: int, start: Barrier) -> None:
    store = Store(url)
    start.wait()  # everyone migrates the empty database at the same moment
    for n in range(WRITES_PER_WORKER):
        store.add_entry(f"W{worker}", "race", "n", n)
        store.record_consent("TOGETHER", f"scope-{worker}", "v1", given=n % 2 == 0)
    store.close()


def test_many_processes_migrate_and_write_at_once(database_url: str) -> None:
    """On PostgreSQL the migration lock is an advisory lock: one migrates, the rest wait."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WORKERS)
    workers = [
        context.Process(target=_write_many, args=(database_url, w, start)) for w in range(WORKERS)
    ]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [process.exitcode for process in workers] == [0] * WORKERS
    store = Store(database_url)
    for w in range(WORKERS):
        assert [e.value for e in store.entries(f"W{w}")] == list(range(WRITES_PER_WORKER))
        assert not store.has_consent("TOGETHER", f"scope-{w}")  # the last answer was "no"
    with store._engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ENTRIES)) == (
            WORKERS * WRITES_PER_WORKER
        )
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    store.close()
