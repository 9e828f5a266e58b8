"""The tables of Within's store: as little as the exercises need, dates rather than times.

Convention every later table must keep: a column holding a participant's code is a foreign key
to ``participants.code`` with ``ondelete="CASCADE"`` (name it ``code`` when you can). That is how
"delete everything for this code" finds it (see :func:`participant_columns`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CODE_LENGTH = 16
NAME_LENGTH = 64  # flows, steps, apps, keys, consent scopes and wording versions

# Named constraints let later migrations alter them (SQLite batch mode needs the names).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, Any: JSON}


def _participant_code(**kwargs: Any) -> Mapped[str]:
    return mapped_column(
        String(CODE_LENGTH), ForeignKey("participants.code", ondelete="CASCADE"), **kwargs
    )


class ParticipantRow(Base):
    """A pseudonymous code, never a name: the only thing that ties rows to one person."""

    __tablename__ = "participants"
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True)
    created_on: Mapped[date]


class ConsentRow(Base):
    """One yes or no to one use of data; the latest row per (code, scope) is what counts."""

    __tablename__ = "consents"
    __table_args__ = (Index(None, "code", "scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = _participant_code()
    scope: Mapped[str] = mapped_column(String(NAME_LENGTH))
    text_version: Mapped[str] = mapped_column(String(NAME_LENGTH))
    given: Mapped[bool]
    recorded_on: Mapped[date]


class ProgressRow(Base):
    """Where someone paused in a flow, so they can come back to the same step."""

    __tablename__ = "progress"
    code: Mapped[str] = _participant_code(primary_key=True)
    flow: Mapped[str] = mapped_column(String(NAME_LENGTH), primary_key=True)
    step_id: Mapped[str] = mapped_column(String(NAME_LENGTH))
    state: Mapped[dict[str, Any]]
    updated_on: Mapped[date]


class EntryRow(Base):
    """An answer typed at a step; ``id`` keeps the order in which answers were given."""

    __tablename__ = "entries"
    __table_args__ = (Index(None, "code", "app"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = _participant_code()
    app: Mapped[str] = mapped_column(String(NAME_LENGTH))
    key: Mapped[str] = mapped_column(String(NAME_LENGTH))
    value: Mapped[Any]
    created_on: Mapped[date]


class SubmissionRow(Base):
    """One filled-in questionnaire. Raw answers are kept so it can always be re-scored;
    the score fields record what was shown at the time, under ``instrument_version``."""

    __tablename__ = "submissions"
    __table_args__ = (Index(None, "instrument_id", "submitted_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = _participant_code(index=True)
    instrument_id: Mapped[str] = mapped_column(String(NAME_LENGTH))
    instrument_version: Mapped[str] = mapped_column(String(NAME_LENGTH))
    language: Mapped[str] = mapped_column(String(16))
    administered: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]]
    total: Mapped[int | None]
    band: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    at_least: Mapped[bool]
    flagged: Mapped[bool]
    referral: Mapped[bool]
    submitted_on: Mapped[date]


class RoomRow(Base):
    """A live group room: anonymous answers on phones, the group picture on the projector.

    Rooms hold no participant codes at all. ``closed_at`` (UTC) is the room's own time,
    not a person's: it lets free text be deleted a set time after the room closes.
    """

    __tablename__ = "rooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    join_code: Mapped[str] = mapped_column(String(8), unique=True)
    lang: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))  # "open" or "closed"
    question: Mapped[dict[str, Any] | None]
    question_no: Mapped[int] = mapped_column(Integer, default=0)
    revealed: Mapped[bool]
    opened_on: Mapped[date]
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)


class RoomAnswerRow(Base):
    """One anonymous answer in a room: no code, no device, no time of day."""

    __tablename__ = "room_answers"
    __table_args__ = (Index(None, "room_id", "question_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    question_no: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Any]
    state: Mapped[str] = mapped_column(String(16))  # "shown", "held" (flagged) or "removed"


class PresentationRow(Base):
    """Where a presented module is, so the presenter's screen and the projector stay in step."""

    __tablename__ = "presentations"
    id: Mapped[str] = mapped_column(String(8), primary_key=True)  # a random name, not a person's code
    module: Mapped[str] = mapped_column(String(NAME_LENGTH))
    step_id: Mapped[str] = mapped_column(String(NAME_LENGTH))
    finished: Mapped[bool]
    version: Mapped[int]
    updated_on: Mapped[date]


def participant_columns() -> list[Column[str]]:
    """Every column that holds a participant's code, children first, ``participants`` last."""
    participants = ParticipantRow.__table__.c.code
    found = []
    for table in reversed(Base.metadata.sorted_tables):
        found += [c for c in table.c if c is participants or c.references(participants)]
    return found
