"""Group rooms at their limits: the 1 000-answer cap per question, and join codes that
collide with a room already open."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, insert, select

from widgets.rooms import model
from widgets.rooms.model import JOIN_LENGTH, MAX_ANSWERS_PER_QUESTION, RoomError, Rooms
from widgets.store import Store
from widgets.store.tables import ROOM_ANSWERS, ROOMS


@pytest.fixture
def rooms(database_url: str) -> Rooms:
    return Rooms(Store(database_url))  # SQLite and PostgreSQL (tests/conftest.py)


def test_a_question_takes_exactly_1000_answers(rooms: Rooms) -> None:
    assert MAX_ANSWERS_PER_QUESTION == 1000
    room = rooms.ask(rooms.open(), "arriving")
    with rooms.store._writing() as connection:
        connection.execute(
            insert(ROOM_ANSWERS),
            [{"room_id": room.id, "question_no": room.question_no, "kind": "choice",
              "value": "calm", "state": "shown"}] * 999,
        )
    assert rooms.answer(room.join_code, room.question_no, "tired") == "shown"  # the 1 000th
    with pytest.raises(RoomError) as full:
        rooms.answer(room.join_code, room.question_no, "calm")
    assert full.value.reason == "full"
    assert rooms.picture(room).count == 1000
    # The next question starts afresh.
    room = rooms.ask(room, "helps")
    assert rooms.answer(room.join_code, room.question_no, "tea") == "shown"


def _scripted(codes: list[str]) -> Callable[[int], str]:
    """Stands in for the random draw of join codes: hands out the codes it is given."""
    given: Iterator[str] = iter(codes)

    def draw(length: int) -> str:
        code = next(given)
        assert len(code) == length
        return code

    return draw


def test_a_join_code_already_taken_is_drawn_again(
    rooms: Rooms, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "random_characters", _scripted(["KQ7MZ", "KQ7MZ", "KQ7MZ", "P4R9T"]))
    first = rooms.open()
    second = rooms.open()  # KQ7MZ twice more (taken), then P4R9T
    assert (first.join_code, second.join_code) == ("KQ7MZ", "P4R9T")
    with rooms.store._reading() as connection:
        assert connection.execute(select(func.count()).select_from(ROOMS)).scalar_one() == 2


def test_when_every_draw_collides_the_room_is_refused_plainly(
    rooms: Rooms, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = "KQ7MZ"
    assert len(taken) == JOIN_LENGTH
    monkeypatch.setattr(model, "random_characters", _scripted([taken] * 21))
    rooms.open()
    with pytest.raises(RoomError) as refused:
        rooms.open()
    assert refused.value.reason == "full"
    with rooms.store._reading() as connection:
        assert connection.execute(select(func.count()).select_from(ROOMS)).scalar_one() == 1
