"""A preheated kernel's wait for its visit: silence is fine, a server that stops answering is not.

A kernel may wait hours on its ``voila/query`` WebSocket before anyone opens its page, so the
wait has no deadline; but a server that no longer answers pings (hung, or gone without closing
the connection) must not keep the page's cell blocked forever.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import socket
import threading
from collections.abc import Iterator

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
import tornado.websocket

from widgets.core import context, preheat

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455, section 1.3


@pytest.fixture
def quick_pings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preheat, "PING_INTERVAL_S", 0.2)
    monkeypatch.setattr(preheat, "PING_TIMEOUT_S", 1.0)
    monkeypatch.setattr(preheat, "_claimed", False)
    monkeypatch.setenv(preheat.PREHEAT_ENV, "True")
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")


@pytest.fixture
def silent_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Accepts the WebSocket handshake, then never reads, writes or closes (a hung server)."""
    listener = socket.create_server(("127.0.0.1", 0))
    monkeypatch.setenv("VOILA_APP_PORT", str(listener.getsockname()[1]))
    held: list[socket.socket] = []
    requests: list[bytes] = []

    def serve() -> None:
        connection, _ = listener.accept()
        held.append(connection)
        request = b""
        while b"\r\n\r\n" not in request:
            request += connection.recv(4096)
        requests.append(request)
        key = next(
            line.split(b":", 1)[1].strip()
            for line in request.split(b"\r\n")
            if line.lower().startswith(b"sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1(key + WEBSOCKET_GUID.encode()).digest())
        connection.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        )

    threading.Thread(target=serve, daemon=True).start()
    yield requests
    for connection in held:
        connection.close()
    listener.close()


def _wait_in_thread() -> threading.Thread:
    waiting = threading.Thread(target=preheat.wait_for_visit, daemon=True)
    waiting.start()
    return waiting


def test_a_server_that_stops_answering_does_not_block_the_page(
    quick_pings: None, silent_server: list[bytes]
) -> None:
    waiting = _wait_in_thread()
    waiting.join(60)  # a cap for a hang, far above the ping timeout
    assert not waiting.is_alive(), "the kernel still waits on a server that never answers"
    assert silent_server and b"/voila/query/k-1" in silent_server[0]
    assert context.PageContext.from_request() == context.PageContext("en", "self")


def test_a_quiet_but_live_server_is_waited_for(
    quick_pings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No visit for many ping timeouts: the kernel keeps waiting, then uses the visit."""
    loop = asyncio.new_event_loop()
    opened = threading.Event()
    handlers: list[tornado.websocket.WebSocketHandler] = []

    class Query(tornado.websocket.WebSocketHandler):
        def open(self, kernel: str) -> None:
            handlers.append(self)
            opened.set()

    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(
            tornado.web.Application([(r"/voila/query/(.*)", Query)])
        )
        server.add_sockets(sockets)
        monkeypatch.setenv("VOILA_APP_PORT", str(sockets[0].getsockname()[1]))
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    assert ready.wait(10)
    try:
        waiting = _wait_in_thread()
        assert opened.wait(10)
        waiting.join(5 * preheat.PING_TIMEOUT_S)  # several ping timeouts without a visit
        assert waiting.is_alive(), "the kernel gave up on a live server that had no visit yet"
        visit = json.dumps({"QUERY_STRING": "lang=th&mode=projector"})
        loop.call_soon_threadsafe(handlers[0].write_message, visit)
        waiting.join(30)
        assert not waiting.is_alive()
        assert context.PageContext.from_request() == context.PageContext("th", "projector")
    finally:
        loop.call_soon_threadsafe(loop.stop)
