"""The rows behind group rooms and presentations: every query on them, in one place.

Group rooms (:mod:`widgets.rooms.model`) and the presenter (:mod:`widgets.facilitation.presenter`)
decide what may happen; this module only reads and writes, inside the store's own
transactions, so no code outside the store touches its tables or its connections.
Answers are never tied to a person or a device: no code, no address, no time of day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update

from widgets.store.tables import PRESENTATIONS, ROOM_ANSWERS, ROOMS

if TYPE_CHECKING:
    from widgets.store import Store

Row = Mapping[str, Any]


class RoomRecords:
    """Rooms and their anonymous answers, as stored."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def insert_room(self, join_code: str, lang: str, opened_on: date, module: str | None = None) -> bool:
        """Open a room under ``join_code`` (shown on ``module``'s slides); False when the code is taken."""
        with self.store._writing() as connection:
            taken = connection.execute(select(ROOMS.c.id).where(ROOMS.c.join_code == join_code)).first()
            if taken:
                return False
            connection.execute(
                insert(ROOMS).values(
                    join_code=join_code,
                    lang=lang,
                    state="open",
                    question=None,
                    question_no=0,
                    revealed=False,
                    opened_on=opened_on,
                    closed_at=None,
                    module=module or None,
                )
            )
        return True

    def room(self, join_code: str) -> Row | None:
        """The room stored under ``join_code``, or None."""
        with self.store._reading() as connection:
            return connection.execute(select(ROOMS).where(ROOMS.c.join_code == join_code)).mappings().first()

    def latest_open(self) -> Row | None:
        """The most recently opened room that is still open, or None."""
        with self.store._reading() as connection:
            return (
                connection.execute(select(ROOMS).where(ROOMS.c.state == "open").order_by(ROOMS.c.id.desc()))
                .mappings()
                .first()
            )

    def latest_open_for(self, module: str) -> Row | None:
        """The most recently opened room still open for ``module``'s slides, or None."""
        with self.store._reading() as connection:
            return (
                connection.execute(
                    select(ROOMS).where(ROOMS.c.state == "open", ROOMS.c.module == module).order_by(ROOMS.c.id.desc())
                )
                .mappings()
                .first()
            )

    def ask(self, room_id: int, question: dict[str, Any]) -> None:
        """Put ``question`` to the room as its next question, its picture hidden."""
        with self.store._writing() as connection:
            connection.execute(
                update(ROOMS)
                .where(ROOMS.c.id == room_id)
                .values(question=question, question_no=ROOMS.c.question_no + 1, revealed=False)
            )

    def reveal(self, room_id: int, shown: bool) -> None:
        """Show or hide the room's group picture."""
        with self.store._writing() as connection:
            connection.execute(update(ROOMS).where(ROOMS.c.id == room_id).values(revealed=shown))

    def clear_answers(self, room_id: int, question_no: int) -> None:
        """Delete every answer to one question of the room and hide its picture."""
        with self.store._writing() as connection:
            connection.execute(
                delete(ROOM_ANSWERS).where(
                    ROOM_ANSWERS.c.room_id == room_id, ROOM_ANSWERS.c.question_no == question_no
                )
            )
            connection.execute(update(ROOMS).where(ROOMS.c.id == room_id).values(revealed=False))

    def set_answer_state(self, room_id: int, answer_id: int, state: str) -> None:
        """Mark one answer of the room ``shown``, ``held`` or ``removed``."""
        with self.store._writing() as connection:
            connection.execute(
                update(ROOM_ANSWERS)
                .where(ROOM_ANSWERS.c.id == answer_id, ROOM_ANSWERS.c.room_id == room_id)
                .values(state=state)
            )

    def close(self, room_id: int, closed_at: datetime) -> None:
        """Close the room at ``closed_at`` (naive UTC)."""
        with self.store._writing() as connection:
            connection.execute(
                update(ROOMS).where(ROOMS.c.id == room_id).values(state="closed", closed_at=closed_at)
            )

    def purge_words(self, closed_before: datetime) -> int:
        """Delete the free-text answers of rooms closed before ``closed_before``; how many."""
        with self.store._writing() as connection:
            expired = select(ROOMS.c.id).where(ROOMS.c.state == "closed", ROOMS.c.closed_at <= closed_before)
            result = connection.execute(
                delete(ROOM_ANSWERS).where(ROOM_ANSWERS.c.room_id.in_(expired), ROOM_ANSWERS.c.kind == "word")
            )
        return result.rowcount or 0

    def answers(self, room_id: int, question_no: int) -> list[tuple[int, Any, str]]:
        """(id, value, state) of every answer to one question of the room, oldest first."""
        with self.store._reading() as connection:
            rows = connection.execute(
                select(ROOM_ANSWERS.c.id, ROOM_ANSWERS.c.value, ROOM_ANSWERS.c.state)
                .where(ROOM_ANSWERS.c.room_id == room_id, ROOM_ANSWERS.c.question_no == question_no)
                .order_by(ROOM_ANSWERS.c.id)
            ).all()
        return [(int(rid), value, str(state)) for rid, value, state in rows]

    def add_answer(
        self,
        room_id: int,
        question_no: int,
        kind: str,
        value: Any,
        state: str,
        *,
        cap: int,
        replaces: int | None = None,
    ) -> int | None:
        """Keep one answer unless the question already holds ``cap``; its id, None when full.

        ``replaces`` is the id of the same phone's earlier answer to this question: it is
        deleted in the same transaction, so one phone counts once. Deleting, counting and
        adding happen in one writing transaction, so two phones answering at once cannot
        both slip past the cap.
        """
        this_question = (
            ROOM_ANSWERS.c.room_id == room_id,
            ROOM_ANSWERS.c.question_no == question_no,
        )
        with self.store._writing() as connection:
            if replaces is not None:
                connection.execute(
                    delete(ROOM_ANSWERS).where(ROOM_ANSWERS.c.id == replaces, *this_question)
                )
            count = connection.execute(
                select(func.count()).select_from(ROOM_ANSWERS).where(*this_question)
            ).scalar_one()
            if count >= cap:
                return None
            answer_id = connection.execute(
                insert(ROOM_ANSWERS).values(
                    room_id=room_id, question_no=question_no, kind=kind, value=value, state=state
                )
            ).inserted_primary_key[0]
        return int(answer_id)


class PresentationRecords:
    """Where each running presentation is: module, step and a version that counts moves."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def insert(self, code: str, module: str, step_id: str, on: date) -> None:
        """Start a presentation named ``code`` at ``step_id`` of ``module``."""
        with self.store._writing() as connection:
            connection.execute(
                insert(PRESENTATIONS).values(
                    id=code, module=module, step_id=step_id, finished=False, version=1, updated_on=on
                )
            )

    def move(self, code: str, step_id: str, finished: bool, on: date, slide: int = 0) -> int:
        """Record a move (to a step, and a slide within it); the new version number (0 if unknown)."""
        with self.store._writing() as connection:
            connection.execute(
                update(PRESENTATIONS)
                .where(PRESENTATIONS.c.id == code)
                .values(
                    step_id=step_id,
                    finished=finished,
                    slide=slide,
                    version=PRESENTATIONS.c.version + 1,
                    updated_on=on,
                )
            )
            version = connection.execute(select(PRESENTATIONS.c.version).where(PRESENTATIONS.c.id == code)).scalar()
        return int(version or 0)

    def get(self, code: str) -> Row | None:
        """The presentation named ``code``, or None."""
        with self.store._reading() as connection:
            return connection.execute(select(PRESENTATIONS).where(PRESENTATIONS.c.id == code)).mappings().first()
