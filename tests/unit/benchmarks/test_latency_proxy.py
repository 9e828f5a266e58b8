"""The phone profile's latency proxy really delays, and relays every byte intact.

Only a lower bound on time is asserted: the proxy must add at least the round trip it was
given (a loaded machine may add more; that is not the proxy's doing).
"""

from __future__ import annotations

import asyncio
import os
import socket
import time

from benchmarks.latency_proxy import LatencyProxy, running

ROUND_TRIP = 0.2


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.close()


def test_a_round_trip_through_the_proxy_takes_at_least_the_configured_delay() -> None:
    async def scenario() -> tuple[float, float]:
        echo = await asyncio.start_server(_echo, "127.0.0.1", 0)
        proxy = LatencyProxy(echo.sockets[0].getsockname()[1], ROUND_TRIP)
        port = await proxy.start()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        trips = []
        for _ in range(3):
            start = time.perf_counter()
            writer.write(b"ping")
            await writer.drain()
            assert await reader.readexactly(4) == b"ping"
            trips.append(time.perf_counter() - start)
        writer.close()
        await proxy.close()
        echo.close()
        return min(trips), max(trips)

    fastest, _slowest = asyncio.run(scenario())
    assert fastest >= ROUND_TRIP


def test_the_proxy_relays_bytes_intact_both_ways_and_passes_on_the_end() -> None:
    payload = os.urandom(3 * 1024 * 1024 + 17)  # many chunks, an odd tail
    with socket.create_server(("127.0.0.1", 0)) as listener:
        upstream = listener.getsockname()[1]
        with running(upstream, 0.02) as proxy:
            client = socket.create_connection(("127.0.0.1", proxy.port), timeout=30)
            server, _ = listener.accept()
            server.settimeout(30)
            client.sendall(payload)
            client.shutdown(socket.SHUT_WR)  # the client is done: the server must see the end
            received = bytearray()
            while chunk := server.recv(65536):
                received += chunk
            assert bytes(received) == payload
            server.sendall(payload[::-1])
            server.close()
            back = bytearray()
            while chunk := client.recv(65536):
                back += chunk
            client.close()
    assert bytes(back) == payload[::-1]


def test_a_refused_upstream_closes_the_client_instead_of_hanging() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        closed_port = probe.getsockname()[1]
    with running(closed_port, 0.02) as proxy:
        client = socket.create_connection(("127.0.0.1", proxy.port), timeout=30)
        assert client.recv(1) == b""
        client.close()


def _through_paced_proxy(first_line: bytes, size: int, rate: float) -> tuple[float, bytes, LatencyProxy]:
    """Send a request starting with ``first_line`` and ``size`` bytes through a proxy pacing
    WebSockets at ``rate``; the echo comes back. Returns the seconds taken, the echo, the proxy."""

    async def scenario() -> tuple[float, bytes, LatencyProxy]:
        echo = await asyncio.start_server(_echo, "127.0.0.1", 0)
        proxy = LatencyProxy(echo.sockets[0].getsockname()[1], 0.02, download=rate, upload=rate * 100)
        port = await proxy.start()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        payload = first_line + os.urandom(size)
        start = time.perf_counter()
        writer.write(payload)
        await writer.drain()
        back = await reader.readexactly(len(payload))
        taken = time.perf_counter() - start
        writer.close()
        await proxy.close()
        echo.close()
        return taken, back == payload, proxy

    return asyncio.run(scenario())


def test_websocket_connections_are_paced_at_the_download_rate() -> None:
    """Chromium's throughput emulation never reaches WebSocket frames: the proxy paces them."""
    rate, size = 50_000, 100_000
    taken, intact, proxy = _through_paced_proxy(
        b"GET /api/kernels/k/channels HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", size, rate
    )
    assert intact
    assert taken >= size / rate  # every byte left through the slow link
    assert proxy.down is not None and proxy.down.free_at > 0


def test_plain_http_is_left_to_chromium_s_emulation() -> None:
    """HTTP is already slowed by Chromium: the proxy's links never carry it (never twice)."""
    _taken, intact, proxy = _through_paced_proxy(b"GET /voila/render/home.ipynb HTTP/1.1\r\n\r\n", 100_000, 50_000)
    assert intact
    assert proxy.down is not None and proxy.down.free_at == 0
    assert proxy.up is not None and proxy.up.free_at == 0
