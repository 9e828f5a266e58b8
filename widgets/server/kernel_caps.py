"""Kernel caps for a public service: per client and in total, counted in the database.

Every page view runs a kernel (45-60 MB), so a public ``within serve --public`` must not let
one client, or everyone together, start more than the machine holds. The counts live in the
database (``kernel_slots``, ``server_processes``), so that several Within processes behind one
proxy on one PostgreSQL all see the same numbers:

- :class:`CappedKernelManager` counts each kernel it starts (with the client's keyed hash
  from the page's request, :data:`widgets.exercises.code_guard.CLIENT_ENV`) and stops counting it when
  it ends;
- :class:`Heartbeat` tells the database every :data:`HEARTBEAT_S` seconds that this process is
  alive and which kernels it really runs (so counts heal after anything missed), and forgets
  processes silent for :data:`STALE_S` seconds (killed, crashed) with their kernels;
- :func:`admit` is asked before a page starts a kernel: a client already at
  :func:`per_client` kernels, or a service at :func:`total`, gets the kind busy page instead.

The per-client cap is generous on purpose: a group on one Wi-Fi, or phones behind a carrier's
shared address, all arrive as one client (30 phones with a page each must all get in).
Between the check and the kernel's start another page may start its own, so the caps can be
passed by the number of pages opening at that very moment; that is the price of keeping the
check one quick read.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import PeriodicCallback

from widgets.core import settings
from widgets.exercises.code_guard import CLIENT_ENV
from widgets.store.errors import StoreError

log = logging.getLogger(__name__)

MAX_KERNELS_ENV = "WITHIN_MAX_KERNELS"
MAX_CLIENT_KERNELS_ENV = "WITHIN_MAX_KERNELS_PER_CLIENT"
DEFAULT_TOTAL = 100
DEFAULT_PER_CLIENT = 60
HEARTBEAT_S = 20
STALE_S = 90

#: This process, as the database knows it.
PROCESS = uuid.uuid4().hex


def total() -> int:
    """Kernels the whole service may run at once (``WITHIN_MAX_KERNELS``, default 100)."""
    return settings.env_int(MAX_KERNELS_ENV, DEFAULT_TOTAL, minimum=1) or DEFAULT_TOTAL


def per_client() -> int:
    """Kernels one client may hold at once (``WITHIN_MAX_KERNELS_PER_CLIENT``, default 60)."""
    return settings.env_int(MAX_CLIENT_KERNELS_ENV, DEFAULT_PER_CLIENT, minimum=1) or DEFAULT_PER_CLIENT


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _store() -> Any:
    from widgets.store import Store

    return Store.default()


def admit(client: str) -> bool:
    """Whether ``client`` may start one more kernel now."""
    mine, everyone = _store().kernel_counts(client, _now() - timedelta(seconds=STALE_S))
    return mine < per_client() and everyone < total()


class CappedKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, counting its kernels in the database."""

    async def _async_start_kernel(
        self, *, kernel_id: str | None = None, path: Any = None, **kwargs: Any
    ) -> str:
        started = await super()._async_start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        client = (kwargs.get("env") or {}).get(CLIENT_ENV, "")
        if kernel_id is None:  # a new kernel, not a restart
            try:
                _store().claim_kernel(started, client, PROCESS, _now())
            except StoreError as error:  # the heartbeat counts it at its next beat
                log.warning("Could not count kernel %s: %s", started, error)
        return started

    start_kernel = _async_start_kernel  # type: ignore[assignment]

    def remove_kernel(self, kernel_id: str) -> Any:
        removed = super().remove_kernel(kernel_id)
        try:
            _store().release_kernel(kernel_id)
        except StoreError as error:  # the heartbeat forgets it at its next beat
            log.warning("Could not stop counting kernel %s: %s", kernel_id, error)
        return removed


class Heartbeat:
    """Tells the database, every :data:`HEARTBEAT_S` seconds, what this process runs."""

    def __init__(self, kernel_manager: Any) -> None:
        self.kernel_manager = kernel_manager
        self._callback = PeriodicCallback(self.beat, HEARTBEAT_S * 1000)

    def start(self) -> None:
        self.beat()
        self._callback.start()

    def beat(self) -> None:
        now = _now()
        live = list(self.kernel_manager.list_kernel_ids())
        try:
            _store().kernels_alive(
                PROCESS, now, live, stale_before=now - timedelta(seconds=STALE_S)
            )
        except StoreError as error:
            log.warning("Could not record this process's kernels: %s", error)
