"""The one error the store raises, with a reason a UI can turn into kind, translated words.

Participant-facing sentences live in ``content/``, not here: the message is plain English for
logs and developers, and ``reason`` is what an app looks up to say something gentle.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from sqlalchemy import exc

Reason = Literal["invalid", "busy", "conflict", "read-only", "full", "unavailable"]

#: Every reason, for callers that map each one to its own words.
REASONS: tuple[Reason, ...] = ("invalid", "busy", "conflict", "read-only", "full", "unavailable")


class StoreError(ValueError):
    """Something the store could not do; ``reason`` says which kind of trouble it was.

    ``"invalid"``: the caller passed something unusable (an empty code, a value that is not
    JSON). ``"busy"``: other sessions held the database too long; trying again usually works.
    ``"conflict"``: another session saved the same thing at the same moment (possible on a
    server database, not on SQLite, where writers take turns); trying again works.
    ``"read-only"``: the database file or its folder cannot be written.
    ``"full"``: the disk (or the database's size limit) is full; nothing new fits.
    ``"unavailable"``: the database could not be opened or reached at all.
    """

    def __init__(self, message: str, reason: Reason = "invalid") -> None:
        super().__init__(message)
        self.reason: Reason = reason


@contextmanager
def database_errors() -> Iterator[None]:
    """Turn errors about the database itself (its URL, folder or driver) into ``StoreError``."""
    try:
        yield
    except exc.ArgumentError as error:
        raise StoreError(f"Not a database URL Within can use: {error}") from error
    except OSError as error:
        raise StoreError(f"The database folder is unusable: {error}", "unavailable") from error
    except exc.IntegrityError as error:
        raise StoreError("Another session saved at the same moment.", "conflict") from error
    except exc.OperationalError as error:
        raise _operational(str(error.orig)) from error
    except exc.ProgrammingError as error:
        if getattr(error.orig, "sqlstate", None) != "42501":  # not a refusal: a bug, raise it
            raise
        # PostgreSQL's row-level security or grants refused: another centre's row.
        raise StoreError("This database role may not write that row.", "read-only") from error
    except sqlite3.OperationalError as error:  # raw connections (compaction, backups)
        raise _operational(str(error)) from error


def _operational(detail: str) -> StoreError:
    """The StoreError for a database that refused to work, by what it said."""
    detail = detail.lower()
    if "locked" in detail or "busy" in detail:
        return StoreError("The database is busy; please try again.", "busy")
    if "readonly" in detail or "read-only" in detail:
        return StoreError("The database cannot be written to.", "read-only")
    if "full" in detail or "no space" in detail:
        return StoreError("The disk or the database is full.", "full")
    return StoreError(f"The database could not be used: {detail}", "unavailable")

