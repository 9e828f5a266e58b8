"""A loopback TCP proxy that delays every byte, so WebSockets feel a phone's round trip.

Chromium's network emulation (``Network.emulateNetworkConditions``) delays HTTP requests but
not WebSocket frames, and a Voilà page talks to its kernel over a WebSocket: every click, every
widget drawn. The phone profile (:mod:`benchmarks.profiles`) therefore sends the whole visit,
HTTP and WebSocket alike, through this proxy, and keeps only Chromium's throughput limits, so
that each round trip is delayed once, here, whatever carries it.

Each direction is delayed by half the round trip: a chunk read at ``t`` is written on at
``t + round_trip / 2``, in order, without waiting for the chunks behind it (latency, not a
bandwidth limit: a burst still arrives as a burst, one half round trip later).

    .venv/bin/python -m benchmarks.latency_proxy UPSTREAM_PORT [--round-trip-ms 150] [--port 0]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import threading
from collections.abc import Iterator

CHUNK = 64 * 1024


class LatencyProxy:
    """Listens on 127.0.0.1 and relays each connection to ``upstream``, ``round_trip`` later."""

    def __init__(self, upstream_port: int, round_trip: float, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.one_way = round_trip / 2
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
            await asyncio.gather(
                self._pipe(client_in, upstream_out), self._pipe(upstream_in, client_out)
            )
        except asyncio.CancelledError:
            pass  # the proxy is closing: end quietly (asyncio's server would report a cancelled handler)
        finally:
            for writer in (client_out, upstream_out):
                writer.close()
            self._tasks.discard(task)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy ``reader`` to ``writer``, each chunk ``one_way`` seconds after it was read."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def read() -> None:
            try:
                while chunk := await reader.read(CHUNK):
                    queue.put_nowait((loop.time() + self.one_way, chunk))
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
def running(upstream_port: int, round_trip: float) -> Iterator[LatencyProxy]:
    """A :class:`LatencyProxy` on its own thread and event loop, for synchronous callers."""
    loop = asyncio.new_event_loop()
    proxy = LatencyProxy(upstream_port, round_trip)
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
