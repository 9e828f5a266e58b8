"""``within backup`` and ``within restore`` at their edges: what they refuse, a backup taken
while other processes write, and the restored file's mode."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from widgets import cli
from widgets.store import Store
from widgets.store.backup import BackupError, backup, restore

CODE = "K7MQ-4XZA"
ROOT = Path(__file__).resolve().parents[3]


def _database(store: Store) -> Path:
    return Path(store.url.removeprefix("sqlite:///"))


def test_a_backup_from_another_version_is_refused(store: Store, tmp_path: Path) -> None:
    store.add_entry(CODE, "app", "k", "now")
    other = tmp_path / "other-version.sqlite3"
    backup(other)
    with sqlite3.connect(other) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    connection.close()
    with pytest.raises(BackupError, match="another version of Within"):
        restore(other)
    assert [e.value for e in store.entries(CODE)] == ["now"]


def test_a_server_database_is_not_backed_up_here(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store.add_entry(CODE, "app", "k", "on SQLite")
    sound = backup(tmp_path / "sound.sqlite3")
    monkeypatch.setenv("WITHIN_DATABASE_URL", "postgresql://within@127.0.0.1:1/within")
    target = tmp_path / "backup.sqlite3"
    assert cli.main(["backup", str(target)]) == 1
    assert "pg_dump" in capsys.readouterr().err and not target.exists()
    assert cli.main(["restore", str(sound)]) == 1
    assert "only a SQLite store" in capsys.readouterr().err
    for url in ("sqlite://", "sqlite:///:memory:"):
        with pytest.raises(BackupError, match="only a SQLite store"):
            backup(tmp_path / "x.sqlite3", url)


def test_nothing_to_back_up_before_the_first_answer(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    with pytest.raises(BackupError, match="no database at .* yet"):
        backup(target)
    assert not target.exists()


WRITER = """
import sys
from pathlib import Path
from widgets.store import Store
store, done = Store(sys.argv[1]), Path(sys.argv[2])
n = 0
while not done.exists():
    store.add_entry(sys.argv[3], "writer", "n", n)
    print(n, flush=True)
    n += 1
"""


def test_a_backup_taken_while_others_write_holds_everything_confirmed_before_it(
    store: Store, tmp_path: Path
) -> None:
    """Two writer processes keep adding numbered answers; each line they print is a confirmed
    save. The backup holds every answer confirmed before it started, in order, and nothing half
    written."""
    store.add_entry(CODE, "app", "k", "first")
    done = tmp_path / "done"
    writers, logs = [], []
    for n, code in enumerate(("W1W1-W1W1", "W2W2-W2W2")):
        logs.append(tmp_path / f"writer-{n}.log")
        with logs[-1].open("wb") as out:
            writers.append(subprocess.Popen(
                [sys.executable, "-c", WRITER, store.url, str(done), code],
                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            ))

    def confirmed() -> list[int]:
        return [len(log.read_text().split()) for log in logs]

    try:
        deadline = time.monotonic() + 120  # a cap for writers that never start
        while min(confirmed()) < 50 and time.monotonic() < deadline:
            assert all(w.poll() is None for w in writers), [log.read_text() for log in logs]
            time.sleep(0.05)
        before = confirmed()
        target = backup(tmp_path / "backup.sqlite3")
        after = confirmed()
    finally:
        done.touch()
        for writer in writers:
            writer.wait(60)
    assert min(before) >= 50 and sum(after) > sum(before), "no writes during the backup"
    with sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for code, at_least in zip(("W1W1-W1W1", "W2W2-W2W2"), before, strict=True):
            values = [int(v) for (v,) in copy.execute(
                "SELECT value FROM entries WHERE code = ? ORDER BY id", (code,))]
            assert values == list(range(len(values))), "the backup has gaps or a torn write"
            assert len(values) >= at_least, f"{code}: {len(values)} kept, {at_least} confirmed"
    copy.close()


def test_a_restored_database_is_readable_by_its_owner_only(store: Store, tmp_path: Path) -> None:
    store.add_entry(CODE, "app", "k", "kept")
    target = backup(tmp_path / "backup.sqlite3")
    store.close()
    database = _database(store)
    os.chmod(database, 0o644)  # as SQLite creates it under a usual umask
    restore(target)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert [e.value for e in Store().entries(CODE)] == ["kept"]
