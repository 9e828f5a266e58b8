"""A loopback TCP proxy that delays every byte, so WebSockets feel a phone's round trip.

Chromium's network emulation (``Network.emulateNetworkConditions``) delays HTTP requests but
not WebSocket frames, and a Voilà page talks to its kernel over a WebSocket: every click, every
widget drawn. The phone profile (:mod:`benchmarks.profiles`) therefore sends the whole visit,
HTTP and WebSocket alike, through this proxy, and keeps only Chromium's throughput limits, so
that each round trip is delayed once, here, whatever carries it.

Each direction is delayed by half the round trip: a chunk read at ``t`` is written on at
``t + round_trip / 2``, in order, without waiting for the chunks behind it.

Chromium's throughput emulation does not slow WebSocket frames either, so given ``download``
and ``upload`` rates the proxy also paces WebSocket connections (told apart by the client's
``Upgrade: websocket``): their bytes leave one after another through one shared :class:`Link`
per direction, as over a phone's one radio link. HTTP is left to Chromium's emulation, so
nothing is slowed twice.

    .venv/bin/python -m benchmarks.latency_proxy UPSTREAM_PORT [--round-trip-ms 150] [--port 0]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import threading
from collections.abc import Iterator

CHUNK = 64 * 1024
#: A paced chunk leaves in pieces this big, so a large message arrives as a stream does.
PIECE = 8 * 1024


class Link:
    """One direction of a slow link: bytes leave one after another at ``rate`` bytes per second."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.free_at = 0.0  # when the last byte given so far has left

    def sent_by(self, now: float, size: int) -> float:
        """When ``size`` bytes handed over at ``now`` have all left."""
        self.free_at = max(now, self.free_at) + size / self.rate
        return self.free_at


class LatencyProxy:
    """Listens on 127.0.0.1 and relays each connection to ``upstream``, ``round_trip`` later;
    WebSocket connections also at ``download``/``upload`` bytes per second (-1: unlimited)."""

    def __init__(
        self,
        upstream_port: int,
        round_trip: float,
        upstream_host: str = "127.0.0.1",
        download: float = -1,
        upload: float = -1,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.one_way = round_trip / 2
        self.down = Link(download) if download > 0 else None
        self.up = Link(upload) if upload > 0 else None
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, port: int = 0) -> int:
        """Start listening (on ``port``, or a free one) and return the port."""
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _connection(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            upstream_in, upstream_out = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_out.close()
            self._tasks.discard(task)
            return
        try:
            first = b""
            if self.down or self.up:  # pace WebSockets only: read what the client asks first
                first = await client_in.read(CHUNK)
            websocket = b"upgrade: websocket" in first.lower()
            await asyncio.gather(
                self._pipe(client_in, upstream_out, first, self.up if websocket else None),
                self._pipe(upstream_in, client_out, b"", self.down if websocket else None),
            )
        except asyncio.CancelledError:
            pass  # the proxy is closing: end quietly (asyncio's server would report a cancelled handler)
        finally:
            for writer in (client_out, upstream_out):
                writer.close()
            self._tasks.discard(task)

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        first: bytes = b"",
        link: Link | None = None,
    ) -> None:
        """Copy ``first`` then ``reader`` to ``writer``, each chunk ``one_way`` seconds after
        it was read, or after it has left through ``link``."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        def put(chunk: bytes) -> None:
            if link is None:
                queue.put_nowait((loop.time() + self.one_way, chunk))
                return
            for start in range(0, len(chunk), PIECE):
                piece = chunk[start : start + PIECE]
                queue.put_nowait((link.sent_by(loop.time(), len(piece)) + self.one_way, piece))

        async def read() -> None:
            if first:
                put(first)
            try:
                while chunk := await reader.read(CHUNK):
                    put(chunk)
            except OSError:
                pass
            queue.put_nowait((loop.time() + self.one_way, b""))

        reading = asyncio.create_task(read())
        try:
            while True:
                due, chunk = await queue.get()
                await asyncio.sleep(max(0.0, due - loop.time()))
                if not chunk:
                    if writer.can_write_eof():
                        writer.write_eof()
                    break
                writer.write(chunk)
                await writer.drain()
        except OSError:
            pass
        finally:
            reading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reading


@contextlib.contextmanager
def running(
    upstream_port: int, round_trip: float, download: float = -1, upload: float = -1
) -> Iterator[LatencyProxy]:
    """A :class:`LatencyProxy` on its own thread and event loop, for synchronous callers."""
    loop = asyncio.new_event_loop()
    proxy = LatencyProxy(upstream_port, round_trip, download=download, upload=upload)
    thread = threading.Thread(target=loop.run_forever, name="latency-proxy", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(proxy.start(), loop).result(timeout=10)
        yield proxy
    finally:
        asyncio.run_coroutine_threadsafe(proxy.close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency_proxy", description=__doc__.split("\n\n")[0])
    parser.add_argument("upstream_port", type=int)
    parser.add_argument("--round-trip-ms", type=float, default=150.0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)

    async def serve() -> None:
        proxy = LatencyProxy(args.upstream_port, args.round_trip_ms / 1000)
        port = await proxy.start(args.port)
        print(f"127.0.0.1:{port} -> 127.0.0.1:{args.upstream_port}, +{args.round_trip_ms:.0f} ms per round trip", flush=True)
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
