"""Live anonymous group rooms: phones answer, the projector shows the group picture.

A facilitator opens a room and gets a short join code. People answer one question at a
time on their phones without any name or code; answers are kept per room and question,
never tied to a person or a device. Every kernel and the light join listener
(:mod:`widgets.server.room_listener`) share rooms through the store, never through module globals.

Question kinds: ``choice`` (one option), ``scale`` (0-10), ``word`` (a short word or
phrase for the word wall) and ``values`` (pick your top values). Words flagged by
:mod:`widgets.rooms.moderation`, and words that may be a person's name
(:mod:`widgets.rooms.name_check`), are held until the facilitator shows or removes them. One
phone gives one answer per question (a later one replaces it; see
:mod:`widgets.server.room_listener`). A closed
room's free text is deleted ``WITHIN_ROOM_TEXT_TTL_MINUTES`` after closing (60 by default).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from widgets.core import settings
from widgets.core.codes import ALPHABET, random_characters
from widgets.core.content import DEFAULT_LANGUAGE, library
from widgets.rooms.moderation import flags
from widgets.rooms.name_check import looks_like_name
from widgets.store import Store
from widgets.store.rooms import RoomRecords

KINDS = ("choice", "scale", "word", "values")
JOIN_LENGTH = 5
JOIN_PATTERN = re.compile(rf"^[{ALPHABET}]{{{JOIN_LENGTH}}}$")
WORD_MAX = 60
MAX_ANSWERS_PER_QUESTION = 1000
TTL_ENV = "WITHIN_ROOM_TEXT_TTL_MINUTES"
DEFAULT_TTL_MINUTES = 60


class RoomError(ValueError):
    """An answer or action a room cannot take; ``reason`` names the words to show
    (``rooms.join.errors.<reason>``): unknown, closed, stale, invalid, full."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Room:
    """One room as read from the store."""

    id: int
    join_code: str
    lang: str
    state: str
    question: dict[str, Any] | None
    question_no: int
    revealed: bool
    module: str | None = None  # its join code is shown on this module's projected slides

    @property
    def open(self) -> bool:
        return self.state == "open"


@dataclass
class Picture:
    """The group picture of the current question: what the projector may show.

    ``bars`` are ``(option id, label, count)``; ``words`` are ``(answer id, text)`` of shown
    words; ``held`` are flagged words waiting for the facilitator (never projected).
    """

    question: dict[str, Any] | None
    count: int = 0
    bars: list[tuple[str, str, int]] = field(default_factory=list)
    words: list[tuple[int, str]] = field(default_factory=list)
    held: list[tuple[int, str, list[str]]] = field(default_factory=list)


def ttl_minutes() -> int:
    """Minutes after closing when a room's free text is deleted (``WITHIN_ROOM_TEXT_TTL_MINUTES``)."""
    return settings.env_int(TTL_ENV, DEFAULT_TTL_MINUTES) or 0


def normalise_join_code(typed: str) -> str:
    """A typed join code in canonical form (spaces and case forgiven), or ``RoomError``."""
    code = re.sub(r"[\s\-]", "", typed or "").upper()
    if not JOIN_PATTERN.match(code):
        raise RoomError("unknown")
    return code


def questions(lang: str) -> dict[str, dict[str, Any]]:
    """The ready-made room questions in ``lang`` (``content/<lang>/rooms.yaml``), by id."""
    english = library().strings(DEFAULT_LANGUAGE, "rooms")["questions"]
    found = {}
    for qid, spec in english.items():
        kind = spec["kind"]
        question: dict[str, Any] = {
            "id": qid,
            "kind": kind,
            "prompt": library().text(lang, f"rooms.questions.{qid}.prompt"),
        }
        if kind in ("choice", "values"):
            question["options"] = [
                [oid, library().text(lang, f"rooms.questions.{qid}.options.{oid}")]
                for oid in spec["options"]
            ]
        if kind == "values":
            question["pick"] = int(spec.get("pick", 3))
        if kind == "scale":
            question["low"] = library().text(lang, f"rooms.questions.{qid}.low")
            question["high"] = library().text(lang, f"rooms.questions.{qid}.high")
        found[qid] = question
    return found


def clean_value(question: dict[str, Any], value: Any) -> Any:
    """``value`` checked against the question's kind, or ``RoomError("invalid")``."""
    kind = question["kind"]
    option_ids = [oid for oid, _label in question.get("options", [])]
    if kind == "choice":
        if isinstance(value, str) and value in option_ids:
            return value
    elif kind == "scale":
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10:
            return value
    elif kind == "values":
        if (
            isinstance(value, list)
            and 1 <= len(value) <= question.get("pick", 3)
            and len(set(value)) == len(value)
            and all(isinstance(v, str) and v in option_ids for v in value)
        ):
            return value
    elif kind == "word" and isinstance(value, str):
        text = unicodedata.normalize("NFC", value)
        text = "".join(ch for ch in text if ch.isprintable())
        text = " ".join(text.split())
        if 1 <= len(text) <= WORD_MAX:
            return text
    raise RoomError("invalid")


class Rooms:
    """Rooms kept in a :class:`~widgets.store.Store` (the default store when none is given)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store.default()
        self.records = RoomRecords(self.store)

    # -- the facilitator ----------------------------------------------------------------

    def open(self, lang: str = DEFAULT_LANGUAGE, module: str | None = None) -> Room:
        """A new open room with a fresh join code; with ``module``, shown on its slides."""
        self.purge_expired()
        for _ in range(20):
            code = random_characters(JOIN_LENGTH)
            if not self.records.insert_room(code, library().language(lang), date.today(), module):
                continue
            room = self.get(code)
            assert room is not None
            return room
        raise RoomError("full")

    def ask(self, room: Room | str, question_id: str) -> Room:
        """Put a ready-made question to the room; answers start afresh, hidden."""
        current = self._room(room)
        question = questions(current.lang).get(question_id)
        if question is None:
            raise RoomError("invalid")
        self.records.ask(current.id, question)
        return self._room(current.join_code)

    def reveal(self, room: Room | str, shown: bool = True) -> None:
        """Show (or hide again) the group picture on the projector."""
        self.records.reveal(self._room(room).id, shown)

    def reset(self, room: Room | str) -> None:
        """Delete every answer to the current question and hide the picture."""
        current = self._room(room)
        self.records.clear_answers(current.id, current.question_no)

    def moderate(self, room: Room | str, answer_id: int, action: str) -> None:
        """``"remove"`` an answer from the picture, or ``"show"`` a held (flagged) one."""
        if action not in ("remove", "show"):
            raise RoomError("invalid")
        current = self._room(room)
        self.records.set_answer_state(current.id, answer_id, "removed" if action == "remove" else "shown")

    def close(self, room: Room | str) -> None:
        """Close the room: no more answers; its free text goes after the set time."""
        current = self._room(room)
        self.records.close(current.id, datetime.now(UTC).replace(tzinfo=None))
        self.purge_expired()

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete the free text of rooms closed longer than the set time; returns how many."""
        now = (now or datetime.now(UTC)).replace(tzinfo=None)
        return self.records.purge_words(now - timedelta(minutes=ttl_minutes()))

    # -- reading ---------------------------------------------------------------------

    def get(self, join_code: str) -> Room | None:
        """The room with ``join_code``, or None."""
        try:
            code = normalise_join_code(join_code)
        except RoomError:
            return None
        row = self.records.room(code)
        return _room(row) if row is not None else None

    def latest_open(self) -> Room | None:
        """The most recently opened room that is still open."""
        row = self.records.latest_open()
        return _room(row) if row is not None else None

    def open_for(self, module: str) -> Room | None:
        """The most recently opened room still open for ``module``'s slides, or None."""
        row = self.records.latest_open_for(module)
        return _room(row) if row is not None else None

    def picture(self, room: Room | str) -> Picture:
        """The current question's answers in this room only, counted and moderated."""
        current = self._room(room)
        picture = Picture(question=current.question)
        if current.question is None:
            return picture
        rows = self.records.answers(current.id, current.question_no)
        kind = current.question["kind"]
        kept = [(rid, value, state) for rid, value, state in rows if state != "removed"]
        picture.count = len(kept)
        if kind in ("choice", "values", "scale"):
            counts: Counter[str] = Counter()
            for _rid, value, _state in kept:
                for item in value if isinstance(value, list) else [value]:
                    counts[str(item)] += 1
            if kind == "scale":
                labels = [(str(n), str(n)) for n in range(11)]
            else:
                labels = [(oid, label) for oid, label in current.question.get("options", [])]
            picture.bars = [(oid, label, counts.get(oid, 0)) for oid, label in labels]
        else:
            for rid, value, state in kept:
                if state == "held":
                    picture.held.append((rid, str(value), flags(str(value))))
                else:
                    picture.words.append((rid, str(value)))
        return picture

    def public(self, join_code: str) -> dict[str, Any]:
        """What a phone may know about a room: its state and current question, no answers."""
        room = self.get(join_code)
        if room is None:
            raise RoomError("unknown")
        return {
            "code": room.join_code,
            "lang": room.lang,
            "state": room.state,
            "question_no": room.question_no,
            "question": room.question,
        }

    # -- a participant -----------------------------------------------------------------

    def answer(self, join_code: str, question_no: int, value: Any) -> str:
        """Keep one anonymous answer; returns ``"shown"`` or ``"held"`` (see :meth:`submit`)."""
        return self.submit(join_code, question_no, value)[0]

    def submit(
        self, join_code: str, question_no: int, value: Any, *, replaces: int | None = None
    ) -> tuple[str, int]:
        """Keep one anonymous answer; returns its state and id.

        The state is ``"held"`` for a word the facilitator must see first (a flagged word,
        or what may be a person's name), else ``"shown"``. ``replaces`` is the id of the
        same phone's earlier answer to this question (the join listener remembers it in
        memory only): that answer is deleted in the same transaction, so one phone counts
        once. Raises ``RoomError`` when the room is unknown or closed, the question has
        moved on (``"stale"``), the value does not fit the question, or the question is full.
        """
        room = self.get(join_code)
        if room is None:
            raise RoomError("unknown")
        if not room.open:
            raise RoomError("closed")
        if room.question is None or question_no != room.question_no:
            raise RoomError("stale")
        value = clean_value(room.question, value)
        kind = room.question["kind"]
        held = kind == "word" and (bool(flags(value)) or looks_like_name(value))
        state = "held" if held else "shown"
        answer_id = self.records.add_answer(
            room.id,
            room.question_no,
            kind,
            value,
            state,
            cap=MAX_ANSWERS_PER_QUESTION,
            replaces=replaces,
        )
        if answer_id is None:
            raise RoomError("full")
        return state, answer_id

    def _room(self, room: Room | str) -> Room:
        found = self.get(room.join_code if isinstance(room, Room) else room)
        if found is None:
            raise RoomError("unknown")
        return found


def _room(row: Any) -> Room:
    return Room(
        id=row["id"],
        join_code=row["join_code"],
        lang=row["lang"],
        state=row["state"],
        question=row["question"],
        question_no=row["question_no"],
        revealed=bool(row["revealed"]),
        module=row["module"],
    )
