"""Faults: killed kernels and servers, a locked, read-only or full database, 30 writers at once.

Each test counts answers that were confirmed (the store call returned) and then checks every
one is still there, with the file consistent (``integrity_check``, ``foreign_key_check``).
CI runs as root, so "read-only" and "full" are simulated with SQLite's own ``query_only``
and ``max_page_count`` rather than file permissions or a small disk.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import event
from support.processes import (
    ROOT,
    ServedApp,
    descendants,
    free_server_port,
    serve_command,
    wait_until_serving,
)

from widgets.core.content import text
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.participant_code import ParticipantCodePanel
from widgets.store import Store, StoreError

WRITERS = 30
WRITES_PER_WRITER = 15

#: A "kernel": saves questionnaires and entries in a loop, printing each confirmed id.
WRITER = """
import sys
from widgets.core.instrument import instrument
from widgets.core.scoring import score
from widgets.store import Store

store = Store()
chosen = instrument("thai-internalised-stigma")
result = score(chosen, {item: 1 for item in chosen.item_ids})
for n in range(100_000):
    code = f"KILL-{n % 7}"
    kind = "s" if n % 2 else "e"
    if kind == "s":
        saved = store.add_submission(code, result, language="en", administered="self")
    else:
        saved = store.add_entry(code, "faults", "n", {"n": n, "words": "x" * (n % 500)})
    print(kind, saved, code, flush=True)
"""


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "WITHIN_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        **extra,
    }
    env.pop("WITHIN_DATABASE_URL", None)
    return env


def _start_writer(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER], env=_env(data_dir), stdout=subprocess.PIPE, text=True,
        start_new_session=True,
    )


def _read_confirmed(process: subprocess.Popen[str], at_least: int) -> list[tuple[str, int, str]]:
    confirmed = []
    assert process.stdout is not None
    while len(confirmed) < at_least:
        line = process.stdout.readline()
        assert line, f"the writer stopped early (exit {process.poll()})"
        kind, saved, code = line.split()
        confirmed.append((kind, int(saved), code))
    return confirmed


def _assert_consistent_and_kept(data_dir: Path, confirmed: list[tuple[str, int, str]]) -> int:
    """Every confirmed row is present; returns how many were lost (always 0 when it passes)."""
    with closing(sqlite3.connect(data_dir / "within.sqlite3")) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        kept = {
            ("s", row[0], row[1]) for row in connection.execute("SELECT id, code FROM submissions")
        } | {("e", row[0], row[1]) for row in connection.execute("SELECT id, code FROM entries")}
    lost = [row for row in confirmed if row not in kept]
    print(f"[figures] {len(confirmed)} confirmed answers, {len(lost)} lost")
    assert lost == []
    return len(lost)


def test_a_kernel_killed_while_writing_loses_nothing_confirmed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    confirmed: list[tuple[str, int, str]] = []
    for _round in range(3):  # kill at three different moments
        writer = _start_writer(data_dir)
        confirmed += _read_confirmed(writer, 40 + 37 * _round)
        os.killpg(writer.pid, signal.SIGKILL)  # mid-write: it never stops writing
        writer.wait(timeout=10)
        assert writer.returncode == -signal.SIGKILL
    _assert_consistent_and_kept(data_dir, confirmed)
    Store(f"sqlite:///{data_dir / 'within.sqlite3'}").add_entry("AFTER-1", "faults", "n", 1)


def _serve(data_dir: Path, log: Path) -> ServedApp:
    port = free_server_port()
    env = _env(data_dir, BROWSER="true", PYTHONUNBUFFERED="1")
    with log.open("ab") as out:
        process = subprocess.Popen(
            serve_command(port), cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
    app = ServedApp(f"http://127.0.0.1:{port}", data_dir, log, process)
    problem = wait_until_serving(app)
    if problem:
        _kill_hard(app)
        pytest.fail(f"within serve {problem}:\n{log.read_text(errors='replace')[-3000:]}")
    return app


def _kill_hard(app: ServedApp) -> None:
    """SIGKILL the server and every process under it (its kernels): a power cut, roughly."""
    for pid in [app.process.pid, *descendants(app.process.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    app.process.wait(timeout=10)


def test_a_hard_killed_server_restarts_with_every_confirmed_answer(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "server.log"
    app = _serve(data_dir, log)
    try:
        writer = _start_writer(data_dir)
        confirmed = _read_confirmed(writer, 30)
        # The server's own kernel opens the store too (an app page asks for a code).
        with urllib.request.urlopen(app.url("welcome.ipynb"), timeout=60) as page:
            assert page.status == 200 and b"rendered_cells" in page.read()
        confirmed += _read_confirmed(writer, 30)
        _kill_hard(app)
        os.killpg(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
    finally:
        _kill_hard(app) if app.process.poll() is None else None
    again = _serve(data_dir, log)
    try:
        with urllib.request.urlopen(again.url("welcome.ipynb"), timeout=60) as page:
            assert page.status == 200
        _assert_consistent_and_kept(data_dir, confirmed)
    finally:
        _kill_hard(again)


# The database refuses: locked, read-only, full


@pytest.fixture
def seeded_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("WITHIN_BUSY_TIMEOUT_MS", "200")  # a short wait keeps the test quick
    seeded_store = Store(f"sqlite:///{tmp_path / 'within.sqlite3'}")
    for n in range(5):
        seeded_store.add_entry("KEEP-1", "faults", "n", n)
    yield seeded_store
    seeded_store.close()


def _with_pragma(seeded_store: Store, pragma: str) -> None:
    """Every new connection of ``seeded_store`` runs ``pragma`` first."""
    seeded_store.close()
    event.listen(seeded_store._engine, "connect", lambda connection, _record: connection.execute(pragma))


def _panel_problem(seeded_store: Store, lang: str) -> str:
    """What the code panel shows when confirming a new code cannot be saved."""
    panel = ParticipantCodePanel(PageContext(lang=lang), store=seeded_store)
    panel.new_button.click()
    panel.noted_button.click()
    assert panel.code == ""
    return panel.message.value


def _assert_unharmed(seeded_store: Store) -> None:
    path = seeded_store.url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        values = [row[0] for row in connection.execute("SELECT value FROM entries ORDER BY id")]
    assert [str(value) for value in values[:5]] == ["0", "1", "2", "3", "4"]


def test_a_locked_database_says_busy_kindly_and_keeps_everything(seeded_store: Store) -> None:
    path = seeded_store.url.removeprefix("sqlite:///")
    seeded_store.close()
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another session holds the write lock
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            seeded_store.add_entry("KEEP-1", "faults", "n", "late")
        assert time.monotonic() - started < 5  # WITHIN_BUSY_TIMEOUT_MS, not 30 s
        assert caught.value.reason == "busy"
        assert plain(text("th", "common.errors.store_reason.busy")) in _panel_problem(seeded_store, "th")
        assert [e.value for e in seeded_store.entries("KEEP-1")] == [0, 1, 2, 3, 4]  # reads still work
        other.execute("ROLLBACK")
    seeded_store.add_entry("KEEP-1", "faults", "n", "after")
    _assert_unharmed(seeded_store)


def test_a_read_only_database_says_so_kindly_and_keeps_everything(seeded_store: Store) -> None:
    _with_pragma(seeded_store, "PRAGMA query_only = ON")
    with pytest.raises(StoreError) as caught:
        seeded_store.add_entry("KEEP-1", "faults", "n", "refused")
    assert caught.value.reason == "read-only"
    assert plain(text("en", "common.errors.store_reason.read-only")) in _panel_problem(seeded_store, "en")
    assert [e.value for e in seeded_store.entries("KEEP-1")] == [0, 1, 2, 3, 4]
    _assert_unharmed(seeded_store)


def test_a_full_disk_says_so_kindly_and_keeps_everything(seeded_store: Store) -> None:
    path = seeded_store.url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    _with_pragma(seeded_store, f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StoreError) as caught:
        for n in range(200):
            seeded_store.add_entry("KEEP-1", "faults", "big", "x" * 20_000 + str(n))
    assert caught.value.reason == "full"
    for size in (2_000, 200, 20):  # fill the last corners too, so nothing more fits
        with pytest.raises(StoreError):
            for n in range(2_000):
                seeded_store.add_entry("KEEP-1", "faults", "small", "x" * size)
    with pytest.raises(StoreError):
        for n in range(20_000):
            seeded_store.ensure_participant(f"FILL-{n}")
    assert plain(text("th", "common.errors.store_reason.full")) in _panel_problem(seeded_store, "th")
    _assert_unharmed(seeded_store)


# Many writers at once


def _write(url: str, writer: int, start: multiprocessing.synchronize.Barrier) -> None:
    seeded_store = Store(url)
    seeded_store.add_entry(f"INIT-{writer}", "faults", "n", -1)  # connect and migrate before the race
    start.wait()
    for n in range(WRITES_PER_WRITER):
        seeded_store.add_entry(f"W-{writer}", "faults", "n", n)
        seeded_store.save_progress(f"W-{writer}", "race", f"step-{n}", {"n": n})
    seeded_store.close()


def test_thirty_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'within.sqlite3'}"
    Store(url).migrate()
    context = multiprocessing.get_context("fork")
    start = context.Barrier(WRITERS)
    writers = [context.Process(target=_write, args=(url, w, start)) for w in range(WRITERS)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
    assert [process.exitcode for process in writers] == [0] * WRITERS
    seeded_store = Store(url)
    lost = 0
    for w in range(WRITERS):
        values = [e.value for e in seeded_store.entries(f"W-{w}")]
        lost += WRITES_PER_WRITER - len(values)
        assert values == list(range(WRITES_PER_WRITER))
        assert seeded_store.load_progress(f"W-{w}", "race").state == {"n": WRITES_PER_WRITER - 1}
    print(f"[figures] {WRITERS * WRITES_PER_WRITER * 2} confirmed writes by {WRITERS} processes, {lost} lost")
    _assert_unharmed_counts(url)
    seeded_store.close()


def _assert_unharmed_counts(url: str) -> None:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("SELECT count(*) FROM entries").fetchone() == (WRITERS * (WRITES_PER_WRITER + 1),)
