"""Group rooms: answers, the group picture, moderation, isolation, text expiry, and the
join listener, which is the only thing other devices can reach."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from support.processes import stop
from support.rooms import LAN, free_port, status, wait_for, within

from widgets.core.content import library
from widgets.core.context import PageContext
from widgets.rooms.group_room import RoomProjector, picture_html
from widgets.rooms.model import RoomError, Rooms, clean_value, questions
from widgets.rooms.moderation import flags
from widgets.server.room_listener import RateLimiter, join_page
from widgets.store import Store

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def rooms(database_url: str) -> Rooms:
    return Rooms(Store(database_url))  # SQLite and PostgreSQL (tests/conftest.py)


def test_answers_are_counted_per_question(rooms: Rooms) -> None:
    room = rooms.open("en")
    assert len(room.join_code) == 5
    room = rooms.ask(room, "arriving")
    for value in ("calm", "calm", "tired"):
        rooms.answer(room.join_code, room.question_no, value)
    bars = {oid: count for oid, _label, count in rooms.picture(room).bars}
    assert bars["calm"] == 2 and bars["tired"] == 1 and bars["uneasy"] == 0
    room = rooms.ask(room, "shame_weight")
    rooms.answer(room.join_code.lower(), room.question_no, 7)
    picture = rooms.picture(room)
    assert picture.count == 1 and {o: c for o, _l, c in picture.bars}["7"] == 1
    with pytest.raises(RoomError) as stale:
        rooms.answer(room.join_code, room.question_no - 1, "calm")
    assert stale.value.reason == "stale"


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("arriving", "nope"),
        ("shame_weight", 11),
        ("shame_weight", True),
        ("helps", ""),
        ("helps", "x" * 61),
        ("values", ["family", "family"]),
        ("values", ["a", "b", "c", "d"]),
    ],
)
def test_answers_that_do_not_fit_are_refused(question: str, value: object) -> None:
    with pytest.raises(RoomError):
        clean_value(questions("en")[question], value)


def test_top_values_are_counted_per_value(rooms: Rooms) -> None:
    room = rooms.ask(rooms.open(), "values")
    rooms.answer(room.join_code, room.question_no, ["family", "health"])
    rooms.answer(room.join_code, room.question_no, ["family"])
    bars = {oid: count for oid, _label, count in rooms.picture(room).bars}
    assert bars["family"] == 2 and bars["health"] == 1


def test_a_room_never_shows_another_rooms_answers(rooms: Rooms) -> None:
    first, second = (rooms.ask(rooms.open(), "helps") for _ in range(2))
    rooms.answer(first.join_code, first.question_no, "music")
    rooms.answer(second.join_code, second.question_no, "friends")
    assert [text for _id, text in rooms.picture(first).words] == ["music"]
    assert [text for _id, text in rooms.picture(second).words] == ["friends"]
    answer_id = rooms.picture(first).words[0][0]
    rooms.moderate(second, answer_id, "remove")  # another room's answer: untouched
    assert rooms.picture(first).count == 1
    assert "music" not in json.dumps(rooms.public(second.join_code))


def test_flagged_words_are_held_then_shown_or_removed(rooms: Rooms) -> None:
    room = rooms.ask(rooms.open(), "helps")
    assert rooms.answer(room.join_code, room.question_no, "you junkies") == "held"
    assert rooms.answer(room.join_code, room.question_no, "ขี้ยา") == "held"
    assert rooms.answer(room.join_code, room.question_no, "my sister") == "shown"
    picture = rooms.picture(room)
    assert [text for _id, text in picture.words] == ["my sister"]
    assert len(picture.held) == 2
    rooms.moderate(room, picture.held[1][0], "show")
    rooms.moderate(room, picture.words[0][0], "remove")
    picture = rooms.picture(room)
    assert [text for _id, text in picture.words] == ["ขี้ยา"] and picture.count == 2


def test_reset_hide_reveal_and_close(rooms: Rooms) -> None:
    room = rooms.ask(rooms.open(), "helps")
    rooms.answer(room.join_code, room.question_no, "tea")
    rooms.reveal(room)
    assert rooms.get(room.join_code).revealed
    rooms.reset(room)
    assert rooms.picture(room).count == 0 and not rooms.get(room.join_code).revealed
    rooms.close(room)
    with pytest.raises(RoomError) as closed:
        rooms.answer(room.join_code, room.question_no, "tea")
    assert closed.value.reason == "closed"


def test_a_closed_rooms_free_text_is_deleted_after_the_set_time(
    rooms: Rooms, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WITHIN_ROOM_TEXT_TTL_MINUTES", "30")
    room = rooms.ask(rooms.open(), "helps")
    rooms.answer(room.join_code, room.question_no, "my dog")
    rooms.close(room)
    assert rooms.purge_expired(datetime.now(UTC) + timedelta(minutes=29)) == 0
    assert rooms.purge_expired(datetime.now(UTC) + timedelta(minutes=31)) == 1
    assert rooms.picture(room).count == 0


def test_typed_words_are_escaped_on_the_projector(rooms: Rooms) -> None:
    room = rooms.ask(rooms.open(), "helps")
    rooms.answer(room.join_code, room.question_no, HOSTILE)
    page = picture_html(rooms.picture(room), PageContext(mode="projector"), revealed=True)
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    hidden = picture_html(rooms.picture(room), PageContext(mode="projector"), revealed=False)
    assert "onerror" not in hidden


def test_the_projected_room_shows_no_answers_until_revealed(rooms: Rooms) -> None:
    room = rooms.ask(rooms.open(), "helps")
    rooms.answer(room.join_code, room.question_no, "walking")
    view = RoomProjector(room.join_code, context=PageContext(mode="projector"), rooms=rooms)
    assert room.join_code in view.join.value and "walking" not in view.view.value
    rooms.reveal(room)
    view.refresh()
    assert "walking" in view.view.value


def test_moderation_list_catches_words_not_their_innocent_neighbours() -> None:
    assert flags("Junkie") == ["junkie"]
    assert flags("drug-abuser") == ["drug abuser"]
    assert flags("addiction services") == [] and flags("skilful") == []


def test_rate_limiter_per_address() -> None:
    limiter = RateLimiter({"answer": (2, 60.0)})
    assert limiter.allow("a", "answer", 0) and limiter.allow("a", "answer", 1)
    assert not limiter.allow("a", "answer", 2)
    assert limiter.allow("b", "answer", 2)
    assert limiter.allow("a", "answer", 61.5)


def test_join_page_escapes_and_has_no_inline_script() -> None:
    page = join_page("th", "ABCDE")
    assert '<html lang="th">' in page
    assert "<script>" not in page and 'src="/join.js"' in page
    assert library().text("th", "rooms.join.heading") in page


# -- the listener on the "LAN" (127.0.0.2) ----------------------------------------------


@pytest.fixture(scope="module")
def combined(tmp_path_factory: pytest.TempPathFactory):
    """``within serve --rooms-lan 127.0.0.2``: Voilà on 127.0.0.1, the join page on 127.0.0.2."""
    folder = tmp_path_factory.mktemp("rooms-lan")
    port = free_port("127.0.0.1", LAN)
    log = folder / "serve.log"
    process = within(
        ["serve", "--port", str(port), "--no-browser", "--rooms-lan", LAN], folder / "data", log
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/voila/render/home.ipynb", process, log, timeout=90)
        wait_for(f"http://{LAN}:{port}/", process, log)
        yield port, folder / "data", log
    finally:
        stop(process)


def test_only_the_join_page_is_reachable_on_the_lan_address(combined) -> None:
    port, _data, log = combined
    local, lan = f"http://127.0.0.1:{port}", f"http://{LAN}:{port}"
    assert status(f"{local}/voila/render/home.ipynb")[0] == 200
    for path in (
        "/voila/render/home.ipynb",
        "/voila/render/screening.ipynb",
        "/voila/render/follow-up.ipynb",
        "/voila/static/voila.js",
        "/voila/templates/within/static/within.css",
        "/api/kernels",
        "/api/sessions",
        "/voila/api/shutdown/x",
        "/voila/files/x.png",
        "/static/",
        "/tree",
        "/lab",
        "/voila/",
        "/login",
        "/../within.sqlite3",
        "/rooms-listener.json",
    ):
        code, _body, headers = status(lan + path)
        assert code == 404, f"{path} answered {code} on the LAN address"
    code, body, headers = status(lan + "/")
    assert code == 200 and b"/join.js" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "Group rooms: phones on this network" in log.read_text()


def test_answers_through_the_listener_stay_in_their_room(combined) -> None:
    port, data, _log = combined
    rooms = Rooms(Store(f"sqlite:///{data / 'within.sqlite3'}"))
    first, second = (rooms.ask(rooms.open(), "helps") for _ in range(2))
    lan = f"http://{LAN}:{port}"
    json_post = {"Content-Type": "application/json"}
    body = json.dumps({"question_no": first.question_no, "value": HOSTILE}).encode()
    assert status(f"{lan}/api/rooms/{first.join_code}/answers", body, json_post)[0] == 200
    # A phone in the second room sees its own question, never the first room's answers.
    code, seen, _ = status(f"{lan}/api/rooms/{second.join_code}")
    assert code == 200 and b"onerror" not in seen and json.loads(seen)["code"] == second.join_code
    assert rooms.picture(second).count == 0 and rooms.picture(first).count == 1
    # Form posts (cross-site), oversize bodies and unknown rooms are refused.
    assert (
        status(
            f"{lan}/api/rooms/{first.join_code}/answers",
            b"value=x",
            {"Content-Type": "application/x-www-form-urlencoded"},
        )[0]
        == 415
    )
    big = json.dumps({"question_no": first.question_no, "value": "x" * 5000}).encode()
    assert status(f"{lan}/api/rooms/{first.join_code}/answers", big, json_post)[0] in (400, 413)
    assert status(f"{lan}/api/rooms/ZZZZZ", None)[0] == 404
    evil = {**json_post, "Origin": "http://example.invalid"}
    assert status(f"{lan}/api/rooms/{first.join_code}/answers", body, evil)[0] == 403


def test_all_addresses_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from widgets import cli

    assert cli.main(["serve", "--no-browser", "--rooms-lan", "0.0.0.0"]) == 1
    assert cli.main(["rooms", "--lan", "::"]) == 1
    assert "not 0.0.0.0" in capsys.readouterr().err
