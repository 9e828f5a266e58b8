"""A database written by Within before the layered package opens, upgrades and keeps its data.

``fixtures/within-main-2026-11-25.sqlite3`` was written by main at c39af4b (schema 0003): one
person's consent, progress, a check-in, a follow-up plan, a screening, a room and a
presentation. Nothing users rely on may change with a move of code.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from widgets.core.check_ins import saved_check_ins
from widgets.core.follow_up import plan_start
from widgets.facilitation.presenter import Presentations
from widgets.rooms.model import Rooms
from widgets.store import Store
from widgets.store.migrate import head

FIXTURE = Path(__file__).parent / "fixtures" / "within-main-2026-11-25.sqlite3"
CODE = "K7MQ-4XZA"


def test_a_database_from_before_the_move_opens_upgrades_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "within.sqlite3"
    shutil.copy(FIXTURE, path)
    store = Store(f"sqlite:///{path}")
    try:
        assert store.has_consent(CODE, "store-answers") and store.has_consent(CODE, "research-export")
        assert store.load_progress(CODE, "welcome").step_id == "step-2"
        assert [c["note"] for c in saved_check_ins(store, CODE)] == ["a calm week"]
        assert str(plan_start(store, CODE)) == "2026-11-01"
        (submission,) = store.submissions(code=CODE)
        assert submission.total == 16 and submission.language == "th"
        room = Rooms(store).latest_open()
        assert room is not None and room.lang == "th" and room.question is not None
        store.add_entry(CODE, "mood", "check-in", {"on": "2026-11-29", "mood": 7, "stress": 3, "wellbeing": 6, "note": ""})
        assert len(saved_check_ins(store, CODE)) == 2
    finally:
        store.close()
    with sqlite3.connect(path) as connection:
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        codes = connection.execute("SELECT id FROM presentations").fetchall()
    assert version == head()
    assert len(codes) == 1 and Presentations(Store(f"sqlite:///{path}")).get(codes[0][0]).module == "welcome"
