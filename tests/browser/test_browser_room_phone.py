"""Issue 15: one phone, one answer per question, in headless Chromium through the listener.

The phone answers, is thanked, changes its answer, and the room still counts one answer: the
listener knew the phone by the random cookie it handed out (kept in its memory only).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.processes import stop
from support.rooms import LAN, free_port, wait_for, within

from widgets.core.content import text
from widgets.rooms.model import Rooms
from widgets.store import Store

pytestmark = pytest.mark.browser


def t(key: str) -> str:
    return text("en", key)


def test_a_phone_changes_its_answer_and_counts_once(tmp_path, make_page) -> None:
    data = tmp_path / "data"
    port = free_port(LAN)
    log = tmp_path / "rooms.log"
    process = within(["rooms", "--lan", LAN, "--port", str(port)], data, log)
    store = Store(f"sqlite:///{data / 'within.sqlite3'}")
    try:
        wait_for(f"http://{LAN}:{port}/", process, log)
        rooms = Rooms(store)
        room = rooms.ask(rooms.open(), "helps")
        phone = make_page("phone", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        phone.goto(f"http://{LAN}:{port}/r/{room.join_code}")
        cookies = [c for c in phone.context.cookies() if c["name"] == "within_phone"]
        assert len(cookies) == 1 and cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Strict"
        phone.get_by_label(t("rooms.join.word_label")).fill("music")
        phone.get_by_role("button", name=t("rooms.join.send")).click()
        expect(phone.get_by_text(t("rooms.join.thanks"))).to_be_visible()
        phone.get_by_role("button", name=t("rooms.join.change")).click()
        phone.get_by_label(t("rooms.join.word_label")).fill("friends")
        phone.get_by_role("button", name=t("rooms.join.send")).click()
        expect(phone.get_by_text(t("rooms.join.thanks"))).to_be_visible()
        picture = rooms.picture(room)
        assert picture.count == 1 and [word for _id, word in picture.words] == ["friends"]
        other = make_page("other phone", viewport={"width": 360, "height": 740})
        other.goto(f"http://{LAN}:{port}/r/{room.join_code}")
        other.get_by_label(t("rooms.join.word_label")).fill("Somchai Jaidee")
        other.get_by_role("button", name=t("rooms.join.send")).click()
        expect(other.get_by_text(t("rooms.join.thanks"))).to_be_visible()  # thanked the same way
        picture = rooms.picture(room)
        assert picture.count == 2 and [word for _id, word in picture.words] == ["friends"]
        assert [word for _id, word, _f in picture.held] == ["Somchai Jaidee"]  # a name waits
    finally:
        store.close()
        stop(process)
