"""The one storage layer every Within exercise uses: consent, progress and answers by code.

Privacy first: rows are keyed by a pseudonymous participant code (never a name), dates are
kept rather than times, the data sits in a local SQLite file unless configured otherwise, and
:meth:`Store.delete_participant` removes every row of a code from every table.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Integer, delete, func, insert, select, update

from widgets.core import settings
from widgets.store import checks, engine, log_privacy, migrate, retention
from widgets.store.errors import StoreError, database_errors
from widgets.store.records import Consent, Entry, Progress, Submission, Tally
from widgets.store.tables import (
    CODE_ATTEMPTS,
    CONSENTS,
    ENTRIES,
    KERNEL_SLOTS,
    PARTICIPANTS,
    PROGRESS,
    SERVER_PROCESSES,
    SUBMISSIONS,
    participant_columns,
)

if TYPE_CHECKING:
    from widgets.core.scoring import Result

__all__ = ["Consent", "Entry", "Progress", "Store", "StoreError", "Submission", "Tally"]

log_privacy.install()  # a process that stores answers never logs them

_defaults: dict[tuple[int, str], Store] = {}
_migrated: set[str] = set()  # database URLs this process has brought up to date
_lock = threading.Lock()


class Store:
    """Consent, progress and answers of participants, kept in one database.

    Many kernels may use the same database at once: each write is one short transaction,
    and on SQLite writers take turns instead of failing. The tables are created or upgraded
    the first time a store is used in a process.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy database URL. By default :func:`widgets.core.settings.database_url`:
        ``WITHIN_DATABASE_URL``, else ``within.sqlite3`` in the private data folder.

    Raises
    ------
    StoreError
        From every method, when an argument is unusable (``reason == "invalid"``) or the
        database cannot be used right now (``"busy"``, ``"read-only"``, ...).

    Examples
    --------
    >>> store = Store.default()
    >>> store.record_consent("K7Q2M9", "store-answers", text_version="2024-06")
    >>> store.add_entry("K7Q2M9", app="defusion", key="thought", value="I always mess up")
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or settings.database_url()
        with database_errors():
            self._engine = engine.create(self.url)
        self._reader = engine.reader(self._engine)

    @classmethod
    def default(cls) -> Store:
        """The shared store for the configured URL: one per process, created on first use."""
        key = (os.getpid(), settings.database_url())  # a forked child gets its own
        with _lock:
            if key not in _defaults:
                _defaults[key] = cls(key[1])
            return _defaults[key]

    def migrate(self) -> None:
        """Create or upgrade the tables; safe while other processes do the same."""
        with database_errors():
            migrate.upgrade(self._engine)
        _migrated.add(self.url)

    def close(self) -> None:
        """Close the pooled connections (the store reconnects if used again)."""
        self._engine.dispose()

    # Participants and consent

    def ensure_participant(self, code: str) -> None:
        """Register ``code`` if it is new; other methods do this for you when they write."""
        code = checks.code(code)
        with self._writing() as connection:
            _ensure_participant(connection, code)

    def issue_codes(self, count: int, issued: str = "paper") -> list[str]:
        """Register ``count`` fresh random codes, none used before, marked as ``issued``.

        ``within print forms`` calls this so every printed form carries a code the store
        already knows; answers typed in later (``within import``) join it.
        """
        from widgets.core.codes import new_code

        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise StoreError("The number of codes to issue is a whole number of 1 or more.")
        issued = checks.name("way of issuing", issued)
        codes: list[str] = []
        with self._writing() as connection:
            while len(codes) < count:
                code = new_code()
                taken = connection.scalar(
                    select(PARTICIPANTS.c.code).where(PARTICIPANTS.c.code == code)
                )
                if taken is not None or code in codes:
                    continue
                connection.execute(
                    insert(PARTICIPANTS).values(code=code, created_on=date.today(), issued=issued)
                )
                codes.append(code)
        return codes

    def issued_codes(self, issued: str = "paper") -> list[str]:
        """The codes registered by :meth:`issue_codes` with ``issued``, oldest first."""
        query = (
            select(PARTICIPANTS.c.code)
            .where(PARTICIPANTS.c.issued == issued)
            .order_by(PARTICIPANTS.c.created_on, PARTICIPANTS.c.code)
        )
        with self._reading() as connection:
            return list(connection.scalars(query))

    def has_participant(self, code: str) -> bool:
        """Whether ``code`` is registered here (reads only: a typed code is checked first)."""
        code = checks.code(code)
        with self._reading() as connection:
            found = connection.scalar(select(PARTICIPANTS.c.code).where(PARTICIPANTS.c.code == code))
        return found is not None

    # Wrong codes, to slow down guessing (widgets.exercises.code_guard)

    def note_wrong_code(self, client: str, at: datetime, forget_before: datetime) -> None:
        """Count one wrong code from ``client`` (a keyed hash) and drop counts older than
        ``forget_before``, everyone's."""
        client = checks.name("client", client)
        with self._writing() as connection:
            connection.execute(delete(CODE_ATTEMPTS).where(CODE_ATTEMPTS.c.at < forget_before))
            connection.execute(insert(CODE_ATTEMPTS).values(client=client, at=at))

    def wrong_codes_since(self, client: str, since: datetime) -> list[datetime]:
        """When ``client`` tried wrong codes from ``since`` on, oldest first."""
        client = checks.name("client", client)
        query = (
            select(CODE_ATTEMPTS.c.at)
            .where(CODE_ATTEMPTS.c.client == client, CODE_ATTEMPTS.c.at >= since)
            .order_by(CODE_ATTEMPTS.c.at)
        )
        with self._reading() as connection:
            return list(connection.scalars(query))

    def known_codes(self, codes: list[str]) -> set[str]:
        """Which of ``codes`` the store already holds (so a new code never repeats one)."""
        found: set[str] = set()
        with self._reading() as connection:
            for start in range(0, len(codes), 500):
                chunk = codes[start : start + 500]
                query = select(PARTICIPANTS.c.code).where(PARTICIPANTS.c.code.in_(chunk))
                found.update(connection.scalars(query))
        return found

    # Kernels of a public service, counted across processes (widgets.server.kernel_caps)

    def claim_kernel(self, kernel_id: str, client: str, process: str, at: datetime) -> None:
        """Count a kernel started by ``process`` for ``client`` (a keyed hash, or "")."""
        row = {"kernel_id": kernel_id, "client": client, "process": process, "started_at": at}
        with self._writing() as connection:
            connection.execute(insert(KERNEL_SLOTS).values(**row))

    def release_kernel(self, kernel_id: str) -> None:
        """Stop counting a kernel that has ended."""
        with self._writing() as connection:
            connection.execute(delete(KERNEL_SLOTS).where(KERNEL_SLOTS.c.kernel_id == kernel_id))

    def kernels_alive(
        self, process: str, at: datetime, live: list[str], stale_before: datetime
    ) -> None:
        """``process`` is alive at ``at`` running exactly ``live``; forget processes (and their
        kernels) not seen since ``stale_before``."""
        with self._writing() as connection:
            seen = connection.execute(
                update(SERVER_PROCESSES)
                .where(SERVER_PROCESSES.c.process == process)
                .values(seen_at=at)
            ).rowcount
            if not seen:
                connection.execute(insert(SERVER_PROCESSES).values(process=process, seen_at=at))
            connection.execute(
                delete(KERNEL_SLOTS).where(
                    KERNEL_SLOTS.c.process == process, KERNEL_SLOTS.c.kernel_id.not_in(live)
                )
            )
            counted = set(
                connection.scalars(
                    select(KERNEL_SLOTS.c.kernel_id).where(KERNEL_SLOTS.c.process == process)
                )
            )
            for kernel_id in sorted(set(live) - counted):  # started while the database was away
                connection.execute(
                    insert(KERNEL_SLOTS).values(
                        kernel_id=kernel_id, client="", process=process, started_at=at
                    )
                )
            gone = select(SERVER_PROCESSES.c.process).where(SERVER_PROCESSES.c.seen_at < stale_before)
            connection.execute(delete(KERNEL_SLOTS).where(KERNEL_SLOTS.c.process.in_(gone)))
            connection.execute(delete(SERVER_PROCESSES).where(SERVER_PROCESSES.c.seen_at < stale_before))

    def kernel_counts(self, client: str, alive_since: datetime) -> tuple[int, int]:
        """(kernels of ``client``, kernels in all) of processes seen since ``alive_since``."""
        alive = select(SERVER_PROCESSES.c.process).where(SERVER_PROCESSES.c.seen_at >= alive_since)
        counted = KERNEL_SLOTS.c.process.in_(alive)
        with self._reading() as connection:
            total = connection.scalar(select(func.count()).select_from(KERNEL_SLOTS).where(counted))
            mine = connection.scalar(
                select(func.count())
                .select_from(KERNEL_SLOTS)
                .where(counted, KERNEL_SLOTS.c.client == client)
            )
        return int(mine or 0), int(total or 0)

    def record_consent(self, code: str, scope: str, text_version: str, given: bool = True) -> None:
        """Record a yes (``given=True``) or a withdrawal (``given=False``) for one scope.

        Parameters
        ----------
        code : str
            The participant's code.
        scope : str
            What the consent covers, e.g. ``"store-answers"`` or ``"research-export"``.
        text_version : str
            Which consent wording the person was shown.
        given : bool
            ``False`` withdraws an earlier consent; history is kept, the latest row counts.
        """
        row = {
            "code": checks.code(code),
            "scope": checks.name("consent scope", scope),
            "text_version": checks.name("consent wording version", text_version),
            "given": checks.flag("given", given),
            "recorded_on": date.today(),
        }
        with self._writing() as connection:
            _ensure_participant(connection, row["code"])
            connection.execute(insert(CONSENTS).values(row))

    def has_consent(self, code: str, scope: str) -> bool:
        """Whether the latest answer for ``scope`` is yes (no answer counts as no)."""
        query = (
            select(CONSENTS.c.given)
            .where(CONSENTS.c.code == checks.code(code))
            .where(CONSENTS.c.scope == checks.name("consent scope", scope))
            .order_by(CONSENTS.c.id.desc())
            .limit(1)
        )
        with self._reading() as connection:
            return bool(connection.scalar(query))

    def consents(self, code: str) -> list[Consent]:
        """Every consent answer ``code`` gave, oldest first."""
        query = (
            select(
                CONSENTS.c.scope, CONSENTS.c.text_version, CONSENTS.c.given, CONSENTS.c.recorded_on
            )
            .where(CONSENTS.c.code == checks.code(code))
            .order_by(CONSENTS.c.id)
        )
        with self._reading() as connection:
            return [Consent(*row) for row in connection.execute(query)]

    # Progress through a flow

    def save_progress(self, code: str, flow: str, step_id: str, state: dict[str, Any]) -> None:
        """Remember the step ``code`` reached in ``flow`` and the flow's own ``state``."""
        if not isinstance(state, dict):
            raise StoreError("The progress state must be a dict.")
        key = {"code": checks.code(code), "flow": checks.name("flow", flow)}
        values = {
            "step_id": checks.name("step id", step_id),
            "state": checks.json_value("progress state", state),
            "updated_on": date.today(),
        }
        with self._writing() as connection:
            _ensure_participant(connection, key["code"])
            changed = connection.execute(
                update(PROGRESS)
                .where(PROGRESS.c.code == key["code"], PROGRESS.c.flow == key["flow"])
                .values(values)
            ).rowcount
            if not changed:
                connection.execute(insert(PROGRESS).values(key | values))

    def load_progress(self, code: str, flow: str) -> Progress | None:
        """Where ``code`` left ``flow``, or None if they have not started it."""
        query = select(
            PROGRESS.c.flow, PROGRESS.c.step_id, PROGRESS.c.state, PROGRESS.c.updated_on
        ).where(
            PROGRESS.c.code == checks.code(code), PROGRESS.c.flow == checks.name("flow", flow)
        )
        with self._reading() as connection:
            row = connection.execute(query).first()
        return Progress(*row) if row else None

    # Answers

    def add_entry(self, code: str, app: str, key: str, value: Any) -> int:
        """Keep one answer typed at a step; returns its id (later answers get larger ids)."""
        row = {
            "code": checks.code(code),
            "app": checks.name("app name", app),
            "key": checks.name("entry key", key),
            "value": checks.json_value("answer", value),
            "created_on": date.today(),
        }
        with self._writing() as connection:
            _ensure_participant(connection, row["code"])
            return connection.execute(insert(ENTRIES).values(row)).inserted_primary_key[0]

    def entries(self, code: str, app: str | None = None) -> list[Entry]:
        """The answers ``code`` gave, oldest first; only one app's if ``app`` is given."""
        query = (
            select(ENTRIES.c.id, ENTRIES.c.app, ENTRIES.c.key, ENTRIES.c.value, ENTRIES.c.created_on)
            .where(ENTRIES.c.code == checks.code(code))
            .order_by(ENTRIES.c.id)
        )
        if app is not None:
            query = query.where(ENTRIES.c.app == checks.name("app name", app))
        with self._reading() as connection:
            return [Entry(*row) for row in connection.execute(query)]

    def entries_for_app(self, app: str, key: str | None = None) -> list[tuple[str, Entry]]:
        """Every code's answers for one app (and one key), oldest first: read-only.

        For staff views across participants, such as the list of follow-ups due; the
        codes are pseudonymous, and callers show no more than they need.

        Returns
        -------
        list of (str, Entry)
            Pairs of participant code and entry, in the order they were saved.
        """
        query = (
            select(
                ENTRIES.c.code, ENTRIES.c.id, ENTRIES.c.app, ENTRIES.c.key, ENTRIES.c.value,
                ENTRIES.c.created_on,
            )
            .where(ENTRIES.c.app == checks.name("app name", app))
            .order_by(ENTRIES.c.id)
        )
        if key is not None:
            query = query.where(ENTRIES.c.key == checks.name("entry key", key))
        with self._reading() as connection:
            return [(row[0], Entry(*row[1:])) for row in connection.execute(query)]

    # Seeing and deleting everything for a code

    # Questionnaires

    def add_submission(
        self,
        code: str,
        result: Result,
        *,
        language: str,
        administered: str,
        submitted_on: date | None = None,
    ) -> int:
        """Keep a scored questionnaire with its raw answers; returns its id.

        ``administered`` says how it was filled in: "self", "read-aloud" or "paper".
        ``submitted_on`` is the day it was filled in when that was not today (a paper
        form imported later); a date, never a time, and never in the future.
        """
        if submitted_on is None:
            submitted_on = date.today()
        elif type(submitted_on) is not date or submitted_on > date.today():
            raise StoreError("The date a questionnaire was filled in must be a past date.")
        row = {
            "code": checks.code(code),
            "instrument_id": checks.name("instrument id", result.instrument_id),
            "instrument_version": checks.name("instrument version", result.instrument_version),
            "language": checks.name("language", language),
            "administered": checks.name("way of filling in", administered),
            "answers": checks.json_value("answers", dict(result.answers)),
            "total": result.total,
            "band": result.band.id if result.band else None,
            "at_least": result.at_least,
            "flagged": result.flagged,
            "referral": result.referral,
            "submitted_on": submitted_on,
        }
        with self._writing() as connection:
            _ensure_participant(connection, row["code"])
            return connection.execute(insert(SUBMISSIONS).values(row)).inserted_primary_key[0]

    def submissions(
        self, *, code: str | None = None, instrument_id: str | None = None, consent_scope: str | None = None
    ) -> list[Submission]:
        """Questionnaires, oldest first; narrowed to one code, one instrument, or to the
        participants whose latest answer for ``consent_scope`` is yes."""
        query = select(*(SUBMISSIONS.c[f] for f in Submission.__dataclass_fields__))
        if code is not None:
            query = query.where(SUBMISSIONS.c.code == checks.code(code))
        if instrument_id is not None:
            query = query.where(SUBMISSIONS.c.instrument_id == instrument_id)
        query = query.order_by(SUBMISSIONS.c.id)
        with self._reading() as connection:
            rows = [Submission(*row) for row in connection.execute(query)]
        if consent_scope is not None:
            consenting = self._consenting_codes(consent_scope)
            rows = [row for row in rows if row.code in consenting]
        return rows

    def tally(self, instrument_id: str) -> Tally:
        """People screened with an instrument, flagged, and shown the referral card (each
        person counted once, by any of their questionnaires)."""
        per_person = (
            select(
                SUBMISSIONS.c.code,
                func.max(SUBMISSIONS.c.flagged.cast(Integer)).label("flagged"),
                func.max(SUBMISSIONS.c.referral.cast(Integer)).label("referral"),
            )
            .where(SUBMISSIONS.c.instrument_id == instrument_id)
            .group_by(SUBMISSIONS.c.code)
            .subquery()
        )
        query = select(
            func.count(), func.coalesce(func.sum(per_person.c.flagged), 0),
            func.coalesce(func.sum(per_person.c.referral), 0),
        )
        with self._reading() as connection:
            screened, flagged, referral = connection.execute(query.select_from(per_person)).one()
        return Tally(screened=screened, flagged=int(flagged), referral=int(referral))

    def _consenting_codes(self, scope: str) -> set[str]:
        latest = (
            select(CONSENTS.c.code, func.max(CONSENTS.c.id).label("id"))
            .where(CONSENTS.c.scope == scope)
            .group_by(CONSENTS.c.code)
            .subquery()
        )
        query = select(CONSENTS.c.code).join(latest, CONSENTS.c.id == latest.c.id).where(CONSENTS.c.given)
        with self._reading() as connection:
            return set(connection.scalars(query))

    def summary(self, code: str) -> dict[str, int]:
        """How many rows each table holds for ``code``, so a person can see what is kept.

        Covers the same tables as :meth:`delete_participant`, with the same keys.
        """
        code = checks.code(code)
        counts: dict[str, int] = {}
        with self._reading() as connection:
            for column in participant_columns():
                count = connection.scalar(select(func.count()).where(column == code))
                counts[column.table.name] = counts.get(column.table.name, 0) + count
        return counts

    def delete_participant(self, code: str) -> dict[str, int]:
        """Remove every row that belongs to ``code``, in every table, all or nothing.

        Tables are found from their foreign key to ``participants.code``, so tables added by
        later migrations are covered without changing this method.

        Returns
        -------
        dict of str to int
            Rows removed per table (0 where there were none).
        """
        code = checks.code(code)
        removed: dict[str, int] = {}
        with self._writing() as connection:
            for column in participant_columns():  # children first, participants last
                count = connection.execute(delete(column.table).where(column == code)).rowcount
                removed[column.table.name] = removed.get(column.table.name, 0) + count
        self.compact()
        return removed

    def purge_older_than(self, days: int, *, dry_run: bool = False) -> dict[str, int]:
        """Remove everyone whose newest activity (any dated row) is more than ``days`` old.

        Each person goes as with :meth:`delete_participant`: every row, then the file is
        compacted. With ``dry_run`` nothing changes and the counts say what would go.

        Returns
        -------
        dict of str to int
            Rows removed (or that would be) per table; ``participants`` is the people.
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise StoreError("The number of days to keep must be a whole number of 1 or more.")
        if dry_run:
            with self._reading() as connection:
                codes = retention.quiet_codes(connection, days)
                counts: dict[str, int] = {}
                for column in participant_columns():
                    count = connection.scalar(select(func.count()).where(column.in_(codes)))
                    counts[column.table.name] = counts.get(column.table.name, 0) + count
            return counts
        with self._writing() as connection:
            removed = retention.delete_codes(connection, retention.quiet_codes(connection, days))
        if removed.get("participants"):
            self.compact()
        return removed

    def compact(self) -> bool:
        """Rebuild the file so deleted rows leave no trace in it; False if it stayed busy.

        On SQLite: ``VACUUM``, then the write-ahead log is emptied. On other databases the
        server decides when freed space is reused (see docs/threat-model.md).
        """
        self._ensure_migrated()
        with database_errors():
            return engine.compact(self._engine)

    # Transactions

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        self._ensure_migrated()
        with database_errors(), self._engine.begin() as connection:
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        self._ensure_migrated()
        with database_errors(), self._reader.connect() as connection:
            yield connection

    def _ensure_migrated(self) -> None:
        if self.url not in _migrated:
            self.migrate()


def _ensure_participant(connection: Connection, code: str) -> None:
    if connection.dialect.name == "postgresql":
        # Writers do not queue as on SQLite: two sessions may add the same code at once.
        from sqlalchemy.dialects.postgresql import insert as upsert

        row = upsert(PARTICIPANTS).values(code=code, created_on=date.today())
        connection.execute(row.on_conflict_do_nothing(index_elements=["code"]))
        return
    exists = connection.scalar(select(PARTICIPANTS.c.code).where(PARTICIPANTS.c.code == code))
    if exists is None:
        connection.execute(insert(PARTICIPANTS).values(code=code, created_on=date.today()))
