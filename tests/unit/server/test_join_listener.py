"""The join listener over HTTP: its refusals, a log that names nobody, its listener file and
the purge it runs. An in-process listener on 127.0.0.2 (a loopback address standing in for
the Wi-Fi); phones are HTTP clients bound to their own loopback addresses, so the tests can
look for those addresses in the log."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, update
from support.rooms import LAN, free_port

from widgets.rooms import listener as listener_file
from widgets.rooms.model import MAX_ANSWERS_PER_QUESTION, Rooms
from widgets.server import room_listener as room_server
from widgets.store import Store
from widgets.store.tables import ROOM_ANSWERS, ROOMS

PHONE, OTHER_PHONE = "127.0.0.77", "127.0.0.78"


class Listener:
    def __init__(self, port: int, data_dir: Path) -> None:
        self.port, self.data_dir = port, data_dir
        self.rooms = Rooms(Store(f"sqlite:///{data_dir / 'within.sqlite3'}"))

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        phone: str = PHONE,
        raw: bytes | None = None,
    ) -> tuple[int, Any]:
        connection = http.client.HTTPConnection(
            LAN, self.port, timeout=10, source_address=(phone, 0)
        )
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        try:
            return response.status, json.loads(payload)
        except ValueError:
            return response.status, payload

    def answer(self, code: str, question_no: Any, value: Any, phone: str = PHONE) -> tuple[int, Any]:
        body = {"question_no": question_no, "value": value}
        return self.request("POST", f"/api/rooms/{code}/answers", body, phone=phone)


@pytest.fixture
def listener(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[Listener]:
    """``room_server.listen`` on its own event loop, as ``within rooms --lan`` runs it."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("WITHIN_DATA_DIR", str(data_dir))
    monkeypatch.delenv("WITHIN_DATABASE_URL", raising=False)
    monkeypatch.setenv("WITHIN_ROOM_TEXT_TTL_MINUTES", "30")
    monkeypatch.setattr(room_server, "PURGE_EVERY_MS", 100)
    caplog.set_level(logging.DEBUG)
    port = free_port(LAN)
    phones = Listener(port, data_dir)
    phones.rooms.store.migrate()  # before the listener's own store: one migration at a time
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(lambda: (room_server.listen(LAN, port), started.set()))
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(30)
    yield phones
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    listener_file.forget_listener()


def test_too_many_answers_from_one_phone_get_429(
    listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    # These requests keep no cookie, so each is a new phone to the listener; new phones per
    # address have their own, lower limit (tests/unit/rooms/test_room_hardening.py). Raised
    # here so the answers' own limit is the one reached.
    monkeypatch.setitem(room_server.LIMITS, "phone", (1000, 600.0))
    room = listener.rooms.ask(listener.rooms.open(), "helps")
    allowed, _window = room_server.LIMITS["answer"]
    for n in range(allowed):
        assert listener.answer(room.join_code, room.question_no, f"walk {n}") == (200, {"ok": True})
    assert listener.answer(room.join_code, room.question_no, "one more") == (429, {"error": "busy"})
    # Another phone is not held back by the first one.
    assert listener.answer(room.join_code, room.question_no, "tea", phone=OTHER_PHONE)[0] == 200
    assert listener.rooms.picture(room).count == allowed + 1


def test_answers_that_no_longer_fit_the_room_get_409(listener: Listener) -> None:
    rooms = listener.rooms
    room = rooms.ask(rooms.open(), "helps")
    moved_on = rooms.ask(room, "arriving")
    assert listener.answer(room.join_code, room.question_no, "music") == (409, {"error": "stale"})
    with rooms.store._writing() as connection:  # a question already at the cap
        connection.execute(
            insert(ROOM_ANSWERS),
            [
                {"room_id": moved_on.id, "question_no": moved_on.question_no, "kind": "choice",
                 "value": "calm", "state": "shown"}
            ]
            * MAX_ANSWERS_PER_QUESTION,
        )
    assert listener.answer(room.join_code, moved_on.question_no, "calm") == (409, {"error": "full"})
    rooms.close(room)
    closed = listener.answer(room.join_code, moved_on.question_no, "calm")
    assert closed == (409, {"error": "closed"})


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        json.dumps({"value": "music"}).encode(),
        json.dumps({"question_no": "1", "value": "music"}).encode(),
        json.dumps({"question_no": 1}).encode(),
    ],
)
def test_bodies_that_are_not_an_answer_get_400(listener: Listener, body: bytes) -> None:
    room = listener.rooms.ask(listener.rooms.open(), "helps")
    assert listener.request("POST", f"/api/rooms/{room.join_code}/answers", raw=body) == (
        400,
        {"error": "invalid"},
    )
    assert listener.rooms.picture(room).count == 0


def test_an_answer_that_does_not_fit_the_question_gets_400(listener: Listener) -> None:
    room = listener.rooms.ask(listener.rooms.open(), "shame_weight")
    assert listener.answer(room.join_code, room.question_no, 11) == (400, {"error": "invalid"})
    assert listener.answer(room.join_code, room.question_no, 7) == (200, {"ok": True})


def test_the_log_names_no_phone_no_room_and_no_answer(
    listener: Listener, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = listener.rooms.ask(listener.rooms.open(), "helps")
    typed = "my sister's flat"
    listener.request("GET", f"/r/{room.join_code}")
    listener.request("GET", f"/api/rooms/{room.join_code}")
    listener.answer(room.join_code, room.question_no, typed)
    listener.answer(room.join_code, room.question_no + 5, typed)  # 409
    listener.request("GET", "/voila/render/home.ipynb")  # 404
    assert not _logged(caplog), "requests that went well or were refused were logged"

    def broken(self: Rooms, join_code: str) -> None:
        raise RuntimeError("the store broke")

    monkeypatch.setattr(Rooms, "public", broken)
    assert listener.request("GET", f"/api/rooms/{room.join_code}")[0] == 500
    deadline = time.monotonic() + 10  # the access line is written just after the answer
    while not any("join listener: GET 500" in line for line in _logged(caplog)):
        assert time.monotonic() < deadline, "the server error was not logged"
        time.sleep(0.05)
    logged = "\n".join(_logged(caplog))
    for secret in (PHONE, room.join_code, typed, "/api/rooms/"):
        assert secret not in logged, f"the log shows {secret!r}:\n{logged}"


def _logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What the listener logged (the store's migrations say which schema they made, no more)."""
    return [
        logging.Formatter().format(record)
        for record in caplog.records
        if not record.name.startswith("alembic")
    ]


def test_the_listener_file_says_where_phones_join_only_while_it_runs(listener: Listener) -> None:
    path = listener.data_dir / listener_file.LISTENER_FILE
    assert listener_file.listener_url() == f"http://{LAN}:{listener.port}/"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    path.write_text(json.dumps({"url": "http://127.0.0.9:9/", "pid": gone.pid}), encoding="utf-8")
    assert listener_file.listener_url() is None  # a listener that stopped without tidying up
    path.write_text("{half a file", encoding="utf-8")
    assert listener_file.listener_url() is None
    parent = {"url": "http://127.0.0.9:9/", "pid": os.getppid()}
    path.write_text(json.dumps(parent), encoding="utf-8")
    listener_file.forget_listener()  # another process's file is not this one's to remove
    assert path.exists()


def test_the_running_listener_purges_closed_rooms_free_text(listener: Listener) -> None:
    rooms = listener.rooms
    room = rooms.ask(rooms.open(), "helps")
    assert listener.answer(room.join_code, room.question_no, "my dog")[0] == 200
    rooms.close(room)
    assert rooms.picture(room).count == 1  # kept for the set time after closing
    long_ago = (datetime.now(UTC) - timedelta(minutes=31)).replace(tzinfo=None)
    with rooms.store._writing() as connection:
        connection.execute(update(ROOMS).where(ROOMS.c.id == room.id).values(closed_at=long_ago))
    deadline = time.monotonic() + 30  # a cap for a listener that never purges
    while rooms.picture(room).count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert rooms.picture(room).count == 0, "the listener never purged the closed room's words"
