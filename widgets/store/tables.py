"""The tables of Within's store: as little as the exercises need, dates rather than times.

Convention every later table must keep: a column holding a participant's code is a foreign key
to ``participants.code`` with ``ondelete="CASCADE"`` (name it ``code`` when you can). That is how
"delete everything for this code" finds it (see :func:`participant_columns`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

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

# SQLAlchemy Core tables, not ORM classes: every kernel imports them, and the ORM would add
# about 10 MB and 50 ms to each page for nothing (the store only runs Core statements).
METADATA = MetaData(naming_convention=NAMING_CONVENTION)


def _required(name: str, kind: Any, *constraints: Any, **kwargs: Any) -> Column[Any]:
    return Column(name, kind, *constraints, nullable=False, **kwargs)


def _centre() -> Column[str]:
    """Which centre a row belongs to: on PostgreSQL the database role that wrote it (the
    column's default there is ``CURRENT_USER``), which row-level security then checks; ""
    on SQLite, where one laptop is one centre."""
    return _required("centre", String(NAME_LENGTH), server_default="")


def _participant_code(**kwargs: Any) -> Column[str]:
    return _required(
        "code", String(CODE_LENGTH), ForeignKey("participants.code", ondelete="CASCADE"), **kwargs
    )


#: A pseudonymous code, never a name: the only thing that ties rows to one person.
PARTICIPANTS = Table(
    "participants",
    METADATA,
    Column("code", String(CODE_LENGTH), primary_key=True),
    _required("created_on", Date),
    _centre(),
    Column("issued", String(16)),  # "paper": printed on a form by `within print forms`
)

#: One yes or no to one use of data; the latest row per (code, scope) is what counts.
CONSENTS = Table(
    "consents",
    METADATA,
    Column("id", Integer, primary_key=True),
    _participant_code(),
    _required("scope", String(NAME_LENGTH)),
    _required("text_version", String(NAME_LENGTH)),
    _required("given", Boolean),
    _required("recorded_on", Date),
    Index(None, "code", "scope"),
)

#: Where someone paused in a flow, so they can come back to the same step.
PROGRESS = Table(
    "progress",
    METADATA,
    _participant_code(primary_key=True),
    Column("flow", String(NAME_LENGTH), primary_key=True),
    _required("step_id", String(NAME_LENGTH)),
    _required("state", JSON),
    _required("updated_on", Date),
)

#: An answer typed at a step; ``id`` keeps the order in which answers were given.
ENTRIES = Table(
    "entries",
    METADATA,
    Column("id", Integer, primary_key=True),
    _participant_code(),
    _required("app", String(NAME_LENGTH)),
    _required("key", String(NAME_LENGTH)),
    _required("value", JSON),
    _required("created_on", Date),
    Index(None, "code", "app"),
)

#: One filled-in questionnaire. Raw answers are kept so it can always be re-scored; the score
#: fields record what was shown at the time, under ``instrument_version``.
SUBMISSIONS = Table(
    "submissions",
    METADATA,
    Column("id", Integer, primary_key=True),
    _participant_code(index=True),
    _required("instrument_id", String(NAME_LENGTH)),
    _required("instrument_version", String(NAME_LENGTH)),
    _required("language", String(16)),
    _required("administered", String(16)),
    _required("answers", JSON),
    Column("total", Integer),
    Column("band", String(NAME_LENGTH)),
    _required("at_least", Boolean),
    _required("flagged", Boolean),
    _required("referral", Boolean),
    _required("submitted_on", Date),
    Index(None, "instrument_id", "submitted_on"),
)

#: A live group room: anonymous answers on phones, the group picture on the projector. Rooms
#: hold no participant codes at all. ``closed_at`` (UTC) is the room's own time, not a
#: person's: it lets free text be deleted a set time after the room closes.
ROOMS = Table(
    "rooms",
    METADATA,
    Column("id", Integer, primary_key=True),
    _centre(),
    _required("join_code", String(8), unique=True),
    _required("lang", String(16)),
    _required("state", String(16)),  # "open" or "closed"
    Column("question", JSON),
    _required("question_no", Integer, default=0),
    _required("revealed", Boolean),
    _required("opened_on", Date),
    Column("closed_at", DateTime),
    Column("module", String(NAME_LENGTH)),  # the module whose slides show the join code, if any
)

#: One anonymous answer in a room: no code, no device, no time of day.
ROOM_ANSWERS = Table(
    "room_answers",
    METADATA,
    Column("id", Integer, primary_key=True),
    _required("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE")),
    _required("question_no", Integer),
    _required("kind", String(16)),
    _required("value", JSON),
    _required("state", String(16)),  # "shown", "held" (flagged) or "removed"
    Index(None, "room_id", "question_no"),
)

#: Where a presented module is, so the presenter's screen and the projector stay in step.
PRESENTATIONS = Table(
    "presentations",
    METADATA,
    Column("id", String(8), primary_key=True),  # a random name, not a person's code
    _centre(),
    _required("module", String(NAME_LENGTH)),
    _required("step_id", String(NAME_LENGTH)),
    _required("finished", Boolean),
    Column("slide", Integer, nullable=False, server_default="0"),  # within the step, from 0
    _required("version", Integer),
    _required("updated_on", Date),
)

#: Wrong participant codes tried lately, per client, to slow down guessing
#: (:mod:`widgets.exercises.code_guard`). ``client`` is a keyed hash of the client's address, never the
#: address, and holds no code; rows older than an hour are deleted as new ones come. The one
#: table with times of day: a rate needs them, and nothing here is about a person.
CODE_ATTEMPTS = Table(
    "code_attempts",
    METADATA,
    Column("id", Integer, primary_key=True),
    _required("client", String(64)),
    _required("at", DateTime),
    Index(None, "client", "at"),
)

#: Kernels running for pages of a public service (:mod:`widgets.server.kernel_caps`), so that every
#: Within process behind the proxy counts them all. ``client`` is the same keyed hash as
#: above (empty for a kernel started before anyone asked); no code, no address.
KERNEL_SLOTS = Table(
    "kernel_slots",
    METADATA,
    Column("kernel_id", String(64), primary_key=True),
    _required("client", String(64)),
    _required("process", String(32)),
    _required("started_at", DateTime),
    Index(None, "client"),
)

#: Within processes serving pages, with the last time each said it was alive: the kernels of
#: a process that stopped saying so (killed, crashed) are no longer counted.
SERVER_PROCESSES = Table(
    "server_processes",
    METADATA,
    Column("process", String(32), primary_key=True),
    _required("seen_at", DateTime),
)


def participant_columns() -> list[Column[str]]:
    """Every column that holds a participant's code, children first, ``participants`` last."""
    participants = PARTICIPANTS.c.code
    found = []
    for table in reversed(METADATA.sorted_tables):
        found += [c for c in table.c if c is participants or c.references(participants)]
    return found
