"""Slowing down anyone who guesses participant codes, per page and per client.

A code is the only key to a person's answers on the participant surface, so "I already have
a code" must not be a cheap oracle. The panel (:mod:`widgets.exercises.participant_code`) checks the
check character first (a slip costs nothing and reaches no database), then asks this guard
before looking a code up, and tells it about every well-formed code that is not held here.

- **Per page**: :data:`PAGE_FREE` wrong codes at once, then a wait that doubles from
  :data:`PAGE_FIRST_WAIT_S` up to :data:`PAGE_MAX_WAIT_S` after each further one.
- **Per client**: at most :data:`CLIENT_LIMIT` wrong codes in :data:`CLIENT_WINDOW_S`, counted
  in the database (``code_attempts``) so that every page and every process sees them. The
  client is a keyed hash of its address that the server hands the kernel
  (:data:`CLIENT_ENV`); neither the address nor any code is stored. A page without it (a hub,
  JupyterLab) is limited per page only.

Figures (docs/threat-model.md): 29**7 (about 17 billion) well-formed codes exist, so with
10,000 people registered one guess in about 1.7 million finds someone; at 30 guesses per
address per hour that is about 57,000 address-hours of guessing per hit.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from widgets.store import Store

#: The header the server sets (overwriting any a client sent) and the kernel's variable for it.
CLIENT_HEADER = "X-Within-Client"
CLIENT_ENV = "HTTP_X_WITHIN_CLIENT"
PAGE_FREE = 3
PAGE_FIRST_WAIT_S = 15
PAGE_MAX_WAIT_S = 300
CLIENT_LIMIT = 30
CLIENT_WINDOW_S = 3600

_SECRET = secrets.token_bytes(32)  # per server process: the hash links nothing across restarts


def client_key(address: str) -> str:
    """A keyed hash of a client's address: the same client gets the same key while this
    server runs, and nobody can turn a key back into an address without the key."""
    return hmac.new(_SECRET, address.encode(), hashlib.sha256).hexdigest()[:32]


def page_wait(wrong: int) -> int:
    """Seconds a page waits after its ``wrong``-th wrong code before taking another."""
    if wrong < PAGE_FREE:
        return 0
    return min(PAGE_FIRST_WAIT_S * 2 ** (wrong - PAGE_FREE), PAGE_MAX_WAIT_S)


class CodeGuard:
    """Whether a page may try another code now, and the count of wrong ones.

    Parameters
    ----------
    store:
        Where the client's wrong codes are counted (None: per page only).
    client:
        The client's key (:func:`client_key`); by default :data:`CLIENT_ENV`.
    clock, now:
        Monotonic seconds and the current UTC time (tests replace them).
    """

    def __init__(
        self,
        store: Store | None,
        client: str | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC).replace(tzinfo=None),
    ) -> None:
        self.store = store
        self.client = client if client is not None else os.environ.get(CLIENT_ENV, "")
        self.clock, self.now = clock, now
        self.wrong = 0
        self._last_wrong = 0.0

    def wait_seconds(self) -> int:
        """0 when a code may be tried now, else whole seconds to wait."""
        page = self._last_wrong + page_wait(self.wrong) - self.clock() if self.wrong else 0.0
        client = 0.0
        if self.store is not None and self.client:
            window = timedelta(seconds=CLIENT_WINDOW_S)
            recent = self.store.wrong_codes_since(self.client, self.now() - window)
            if len(recent) >= CLIENT_LIMIT:
                oldest_that_counts = recent[len(recent) - CLIENT_LIMIT]
                client = (oldest_that_counts + window - self.now()).total_seconds()
        return max(0, math.ceil(max(page, client)))

    def note_wrong(self) -> None:
        """Count a well-formed code that is not held here."""
        self.wrong += 1
        self._last_wrong = self.clock()
        if self.store is not None and self.client:
            now = self.now()
            self.store.note_wrong_code(
                self.client, now, forget_before=now - timedelta(seconds=CLIENT_WINDOW_S)
            )
