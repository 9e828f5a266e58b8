"""Issue 15, restore: a backup must be exactly a Within database of its revision, and sound.

Finding: a backup with an extra table and a trigger was restored, and after "delete
everything" a copied answer was still in the hidden table.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.hypothesis_profile import tried

from widgets import cli
from widgets.store import Store, migrate
from widgets.store.backup import BackupError, backup, check, restore

CODE = "TAMPER-1"
SECRET = "the words someone wrote about last night"


@pytest.fixture
def made(store: Store, tmp_path: Path) -> Path:
    """A genuine backup of a store holding one person's answer."""
    store.add_entry(CODE, "reflection", "note", "in the backup")
    return backup(tmp_path / "genuine.sqlite3")


def tampered(original: Path, folder: Path, *statements: str) -> Path:
    """A copy of ``original`` with ``statements`` run on it (as a hostile hand would)."""
    copy = folder / f"tampered-{len(list(folder.iterdir()))}.sqlite3"
    shutil.copyfile(original, copy)
    with closing(sqlite3.connect(copy)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    return copy


HIDDEN_COPY = (
    "CREATE TABLE hidden (value TEXT)",
    (
        "CREATE TRIGGER copy_answers AFTER INSERT ON entries BEGIN "
        "INSERT INTO hidden VALUES (NEW.value); END"
    ),
)


def test_the_reported_tampered_backup_is_refused_and_the_store_kept(
    store: Store, made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's reproduction: an extra table and a trigger copying every answer."""
    store.add_entry(CODE, "reflection", "note", "after the backup")
    bad = tampered(made, tmp_path, *HIDDEN_COPY)
    with pytest.raises(BackupError) as refused:
        restore(bad)
    message = str(refused.value)
    assert "an unexpected table 'hidden'" in message
    assert "an unexpected trigger 'copy_answers' on table 'entries'" in message
    assert cli.main(["restore", str(bad)]) == 1
    assert "within restore: refused:" in capsys.readouterr().err
    store.add_entry(CODE, "reflection", "note", SECRET)
    assert [e.value for e in store.entries(CODE)][-1] == SECRET
    store.delete_participant(CODE)
    with closing(sqlite3.connect(store.url.removeprefix("sqlite:///"))) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "hidden" not in names and "copy_answers" not in names


@pytest.mark.parametrize(
    ("statements", "said"),
    [
        (["CREATE VIEW everyone AS SELECT code, value FROM entries"], "an unexpected view 'everyone'"),
        (["CREATE INDEX ix_extra ON entries (value)"], "an unexpected index 'ix_extra' on table 'entries'"),
        (["DROP INDEX ix_entries_code_app"], "no index 'ix_entries_code_app'"),
        (["ALTER TABLE entries ADD COLUMN device TEXT"], "the table 'entries' is defined differently"),
        (
            [
                (
                    "CREATE TABLE p2 (code VARCHAR(16) NOT NULL, created_on DATE NOT NULL, "
                    "centre VARCHAR(64) DEFAULT '' NOT NULL, issued VARCHAR(16), "
                    "CONSTRAINT pk_participants PRIMARY KEY (code), CHECK (length(code) < 99))"
                ),
                "INSERT INTO p2 SELECT * FROM participants",
                "PRAGMA foreign_keys = OFF",
                "DROP TABLE participants",
                "ALTER TABLE p2 RENAME TO participants",
            ],
            "the table 'participants' is defined differently (sql)",
        ),
        (["INSERT INTO alembic_version VALUES ('0001')"], "another version of Within"),
        (["UPDATE alembic_version SET version_num = '9999'"], "another version of Within (schema 9999)"),
    ],
)
def test_every_kind_of_schema_change_is_named(
    made: Path, tmp_path: Path, statements: list[str], said: str
) -> None:
    with pytest.raises(BackupError, match=None) as refused:
        check(tampered(made, tmp_path, *statements))
    assert said in str(refused.value)


def test_rows_that_belong_to_nobody_are_refused(made: Path, tmp_path: Path) -> None:
    """``foreign_key_check`` stays: an answer filed under a code that does not exist."""
    bad = tampered(
        made,
        tmp_path,
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO entries (code, app, key, value, created_on) "
        "VALUES ('NOBODY', 'a', 'k', '\"x\"', '2026-01-01')",
    )
    with pytest.raises(BackupError, match=r"1 row\(s\) in 'entries' belong to no participant"):
        check(bad)


def test_sqlite_own_statistics_are_expected(store: Store, made: Path, tmp_path: Path) -> None:
    """``ANALYZE`` adds ``sqlite_stat1``: SQLite's own, so the backup is still restored."""
    analysed = tampered(made, tmp_path, "ANALYZE")
    with closing(sqlite3.connect(analysed)) as connection:
        assert connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    assert check(analysed)
    restore(analysed)
    assert [e.value for e in store.entries(CODE)] == ["in the backup"]


NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True).filter(
    lambda name: not name.startswith("sqlite_")
)
EXTRAS: list[Callable[[str], str]] = [
    lambda name: f"CREATE TABLE {name}_t (x)",
    lambda name: f"CREATE INDEX {name}_i ON entries (key)",
    lambda name: f"CREATE VIEW {name}_v AS SELECT 1",
    lambda name: f"CREATE TRIGGER {name}_g AFTER DELETE ON participants BEGIN SELECT 1; END",
    lambda name: f"CREATE TABLE {name}_t (x); CREATE TRIGGER {name}_g BEFORE UPDATE ON consents "
    f"BEGIN INSERT INTO {name}_t VALUES (1); END",
]


@given(name=NAMES, extra=st.sampled_from(range(len(EXTRAS))))
def test_any_extra_object_is_refused_and_named(
    made: Path, tmp_path_factory: pytest.TempPathFactory, name: str, extra: int
) -> None:
    tried("restore check")
    folder = tmp_path_factory.mktemp("extra")
    copy = folder / "copy.sqlite3"
    shutil.copyfile(made, copy)
    with closing(sqlite3.connect(copy)) as connection:
        connection.executescript(EXTRAS[extra](name))
    with pytest.raises(BackupError) as refused:
        check(copy)
    assert f"'{name}_" in str(refused.value)


@given(
    answers=st.lists(
        st.tuples(st.sampled_from(["A1", "B22", "C333"]), st.text(max_size=40)), max_size=8
    ),
    deleted=st.booleans(),
)
def test_a_genuine_backup_always_passes(
    tmp_path_factory: pytest.TempPathFactory, answers: list[tuple[str, str]], deleted: bool
) -> None:
    """No false alarm: whatever a store holds, its own backup is exactly its schema."""
    tried("restore check")
    folder = tmp_path_factory.mktemp("genuine")
    store = Store(f"sqlite:///{folder / 'within.sqlite3'}")
    try:
        for code, words in answers:
            store.add_entry(code, "reflection", "note", words)
        store.save_progress("A1", "flow", "step", {"n": 1})
        if deleted:
            store.delete_participant("A1")
        assert check(backup(folder / "copy.sqlite3", store.url)) == migrate.head()
    finally:
        store.close()
