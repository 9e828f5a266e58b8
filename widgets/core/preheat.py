"""Inside a preheated kernel: wait for the visit that claims it, then take on its address.

``within serve`` keeps kernels ready for the pages people open first (Voilà's kernel pools,
:func:`widgets.server.app.preheat`). Such a kernel runs its page's imports before anyone asks for
the page, then waits here until Voilà sends the claiming request's details (``QUERY_STRING``
and the rest) over its ``voila/query/<kernel id>`` WebSocket.

This is what ``voila.utils.wait_for_request`` does, written against Tornado (already loaded
in every kernel) because importing ``voila.utils`` there loads Voilà's whole server side:
about 58 MB more in each kernel, more than the kernel itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading

from tornado.websocket import websocket_connect

#: Voilà sets this to "True" in the kernels it preheats.
PREHEAT_ENV = "VOILA_PREHEAT"
CONNECT_TIMEOUT_S = 5
#: A kernel may wait hours for its visit, so silence alone is fine; a server that stops
#: answering pings (hung, or gone without closing the connection) ends the wait.
PING_INTERVAL_S = 30
PING_TIMEOUT_S = 30

log = logging.getLogger(__name__)
_claimed = False


def preheated() -> bool:
    """Whether this kernel was started ahead of its visit and has not been claimed yet."""
    return os.environ.get(PREHEAT_ENV) == "True" and not _claimed


def query_url() -> str:
    """Where Voilà sends the claiming request's details (the same variables it reads)."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL", "/")
    return f"{protocol}://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"


async def _receive(url: str) -> str | bytes | None:
    connection = await websocket_connect(
        url,
        connect_timeout=CONNECT_TIMEOUT_S,
        ping_interval=PING_INTERVAL_S,
        ping_timeout=PING_TIMEOUT_S,
    )
    try:
        return await connection.read_message()
    finally:
        connection.close()


def wait_for_visit() -> None:
    """Block until the visit arrives, then put its details in ``os.environ``; once only.

    The cell runs on the kernel's own event loop, so the WebSocket gets a loop of its own
    in a short-lived thread. If the server cannot be reached, or stops answering pings while
    the kernel waits, the page still renders, with the server's defaults (the problem is
    logged).
    """
    global _claimed
    if not preheated():
        return
    result: dict[str, str | bytes | None] = {}

    def receive() -> None:
        try:
            result["message"] = asyncio.run(_receive(query_url()))
        except Exception as error:  # noqa: BLE001 - whatever went wrong, the page must still render
            log.warning("No request details from Voilà (%s): using the defaults.", error)

    thread = threading.Thread(target=receive, name="within-preheat")
    thread.start()
    thread.join()
    _claimed = True  # Voilà sends the details once: never wait twice
    message = result.get("message")
    if message:
        os.environ.update({str(k): str(v) for k, v in json.loads(message).items()})
