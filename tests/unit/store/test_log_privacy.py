"""Issue 15, logs: no code, typed answer or room answer in any log, whatever fails.

Finding: when a save failed, the logged error carried the participant's code and the typed
answer (SQLAlchemy quotes a statement's parameters in its errors).
"""

from __future__ import annotations

import io
import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, insert
from sqlalchemy.exc import OperationalError
from support.listener import exchange

from widgets.exercises.kind_errors import kindly
from widgets.rooms.model import Rooms
from widgets.server import room_listener as room_server
from widgets.store import Store, StoreError
from widgets.store.log_privacy import PrivacyFilter, redact, safe_traceback
from widgets.store.tables import ENTRIES

CODE = "K7MQ-4XZA"
ANSWER = "I used again on Saturday and nobody knows"
ROOM_WORD = "brave-tuesday-words"


@pytest.fixture
def whole_log() -> Iterator[io.StringIO]:
    """Everything any logger of this process writes, at every level, tracebacks included."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root, sqlalchemy = logging.getLogger(), logging.getLogger("sqlalchemy")
    levels = root.level, sqlalchemy.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    sqlalchemy.setLevel(logging.INFO)  # every statement SQLAlchemy runs is logged too
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        sqlalchemy.setLevel(levels[1])


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'within.sqlite3'}"


@contextmanager
def locked(store: Store) -> Iterator[None]:
    with closing(sqlite3.connect(store.url.removeprefix("sqlite:///"), isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")


@contextmanager
def pragma(store: Store, statement: str) -> Iterator[None]:
    store.close()
    listener = lambda connection, _record: connection.execute(statement)
    event.listen(store._engine, "connect", listener)
    yield
    event.remove(store._engine, "connect", listener)
    store.close()


@contextmanager
def conflict(store: Store) -> Iterator[None]:
    """A constraint failure, as PostgreSQL reports two sessions saving the same thing."""
    path = store.url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            "CREATE TRIGGER clash BEFORE INSERT ON room_answers BEGIN SELECT RAISE(ABORT, 'clash'); END"
        )
        connection.execute(
            "CREATE TRIGGER clash2 BEFORE INSERT ON entries BEGIN SELECT RAISE(ABORT, 'clash'); END"
        )
        connection.commit()
    yield
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("DROP TRIGGER clash")
        connection.execute("DROP TRIGGER clash2")
        connection.commit()


@contextmanager
def full(store: Store) -> Iterator[None]:
    """No page left: every table's pages filled to the last byte, then no page may be added."""
    store.close()
    with closing(sqlite3.connect(store.url.removeprefix("sqlite:///"), isolation_level=None)) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        for size in (4000, 400, 40, 4, 1):
            for statement in (
                (
                    "INSERT INTO entries (code, app, key, value, created_on) "
                    "VALUES ('SOMEONE', 'f', 'k', ?, '2026-01-01')"
                ),
                (
                    "INSERT INTO room_answers (room_id, question_no, kind, value, state) "
                    "SELECT min(id), 0, 'word', ?, 'removed' FROM rooms"
                ),
            ):
                try:
                    while True:
                        db.execute(statement, (f'"{"x" * size}"',))
                except sqlite3.OperationalError:
                    pass
    with pragma(store, f"PRAGMA max_page_count = {pages}"):
        yield


@contextmanager
def unavailable(store: Store) -> Iterator[None]:
    store.close()
    real = store._engine
    store._engine = store._reader = create_engine(  # a folder where the file should be
        f"sqlite:///{Path(store.url.removeprefix('sqlite:///')).parent}", hide_parameters=True
    )
    yield
    store._engine, store._reader = real, real


FAULTS: dict[str, Callable[[Store], object]] = {
    "busy": locked,
    "read-only": lambda store: pragma(store, "PRAGMA query_only = ON"),
    "full": full,
    "conflict": conflict,
    "unavailable": unavailable,
}


def test_the_reported_leak_is_real_without_hidden_parameters(tmp_path: Path) -> None:
    """The scenario can fail: a plain engine's error quotes the code and the answer."""
    store = Store(_db(tmp_path))
    store.add_entry("SOMEONE", "app", "k", "x")
    plain = create_engine(store.url)  # as the store's engine was made before
    event.listen(plain, "connect", lambda connection, _record: connection.execute("PRAGMA query_only = ON"))
    with pytest.raises(OperationalError) as caught, plain.begin() as connection:
        connection.execute(insert(ENTRIES).values(code=CODE, app="a", key="k", value=ANSWER, created_on=None))
    assert CODE in str(caught.value) and ANSWER in str(caught.value)
    plain.dispose()
    store.close()


def test_every_store_error_leaves_no_code_or_answer_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_log: io.StringIO
) -> None:
    monkeypatch.setenv("WITHIN_BUSY_TIMEOUT_MS", "100")
    store = Store(_db(tmp_path))
    store.add_entry("SOMEONE", "app", "k", "x")
    rooms = Rooms(store)
    room = rooms.open()
    rooms.ask(room, next(q for q, spec in __import__("widgets.rooms.model").rooms.model.questions("en").items() if spec["kind"] == "word"))
    shown: list[str] = []
    save = kindly("en", shown.append)(lambda: store.add_entry(CODE, "reflection", "note", ANSWER))
    save_room = kindly("en", shown.append)(lambda: rooms.answer(room.join_code, 1, ROOM_WORD))
    reasons = []
    invalid = kindly("en", shown.append)(lambda: store.add_entry(CODE, "r", "k", {ANSWER: {1}}))
    invalid()
    reasons.append("invalid")
    for reason, fault in FAULTS.items():
        with fault(store):
            with pytest.raises(StoreError) as caught:
                store.add_entry(CODE, "reflection", "note", ANSWER)
            reasons.append(caught.value.reason)
            save()
            save_room()
            logging.getLogger("within").exception("direct", exc_info=caught.value)
    assert reasons == ["invalid", "busy", "read-only", "full", "conflict", "unavailable"]
    assert len(shown) >= len(FAULTS) + 1  # failures were shown to the person as kind words
    # the same answers through the join listener while the store fails
    statuses = {}
    for reason, fault in FAULTS.items():
        with fault(store):
            [response] = exchange(
                room_server.application(rooms, hosts=None),
                [{"path": f"/api/rooms/{room.join_code}/answers", "body": {"question_no": 1, "value": ROOM_WORD}}],
            )
            statuses[reason] = response.code
    assert statuses == dict.fromkeys(FAULTS, 503), statuses
    store.close()
    log = whole_log.getvalue()
    assert "Traceback" in log and "StoreError" in log and "sqlalchemy.engine" in log  # it logged
    for secret in (CODE, CODE.replace("-", ""), ANSWER, ROOM_WORD):
        assert secret not in log


def test_the_filter_withholds_what_other_errors_quote() -> None:
    """A ``ValueError`` quoting a typed value keeps its type and frames, not its words."""
    try:
        int(ANSWER)
    except ValueError as error:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "saving for %s", (CODE,), (ValueError, error, error.__traceback__))
    PrivacyFilter().filter(record)
    text = logging.Formatter().format(record)
    assert ANSWER not in text and CODE not in text
    assert "ValueError: (message withheld" in text and "int(ANSWER)" in text
    assert redact(f"[parameters: ('{CODE}', '{ANSWER}')]\nmore") == "[parameters withheld]\nmore"
    try:
        raise StoreError("The database is busy; please try again.", "busy")
    except StoreError as error:
        assert "StoreError: The database is busy" in safe_traceback((StoreError, error, error.__traceback__))


def test_kernel_ids_stay_whole_and_codes_beside_them_do_not() -> None:
    """Two groups of a kernel id can look like a code (``4658-9446``): the id is kept whole,
    so the log can still be followed; a code next to it is still withheld."""
    kernel = "9650588c-2c30-4658-9446-1d8e2d6a7b1a"
    assert redact(f"Using pre-heated kernel: {kernel} for home.ipynb") == (
        f"Using pre-heated kernel: {kernel} for home.ipynb"
    )
    assert redact(f"{CODE} {kernel}/{CODE}-x {CODE.replace('-', '')}") == (
        f"[code] {kernel}/[code]-x [code]"
    )
    assert redact("4658-9446") == "[code]"  # alone, it is a code

