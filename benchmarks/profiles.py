"""How a benchmark's browser is slowed: ``localhost`` (as served) or ``phone`` (slow 4G).

``phone`` is the mobile profile of Lighthouse and of issue 20: 1.6 Mbit/s down, 750 kbit/s
up, 150 ms round trip, and a CPU 4x slower than this machine's. Chromium emulates the
throughput (``Network.emulateNetworkConditions``) and the CPU
(``Emulation.setCPUThrottlingRate``); the round trip is added by
:mod:`benchmarks.latency_proxy`, which carries the whole visit, so that WebSocket frames
(which Chromium's emulation does not delay) wait as long as HTTP requests do, and no request
waits twice: Chromium's own emulated latency stays at 0. Chromium's throughput limits do not
reach WebSocket frames either, so the proxy paces those at the same rates. See
docs/performance.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from benchmarks.latency_proxy import running


@dataclass(frozen=True)
class Profile:
    name: str
    round_trip: float = 0.0  # seconds, added by the latency proxy
    download: float = -1  # bytes per second; -1: not limited
    upload: float = -1
    cpu_slowdown: float = 1.0

    @contextlib.contextmanager
    def origin(self, port: int) -> Iterator[str]:
        """The origin a browser should visit to reach the server on ``port`` through this profile."""
        if not self.round_trip:
            yield f"http://127.0.0.1:{port}"
            return
        with running(port, self.round_trip, self.download, self.upload) as proxy:
            yield f"http://127.0.0.1:{proxy.port}"

    def emulate(self, cdp: Any) -> None:
        """Slow the page behind the DevTools session ``cdp`` (before it navigates)."""
        cdp.send("Network.enable")
        if self.download > 0 or self.upload > 0:
            cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": 0,  # the proxy adds the round trip, once
                "downloadThroughput": self.download, "uploadThroughput": self.upload,
            })
        if self.cpu_slowdown != 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": self.cpu_slowdown})

    def describe(self) -> str:
        if not self.round_trip and self.download < 0 and self.cpu_slowdown == 1:
            return f"{self.name}: no emulation"
        return (f"{self.name}: {self.download * 8 / 1e6:g} Mbit/s down, {self.upload * 8 / 1e3:g} kbit/s up "
                f"(Chromium for HTTP, the latency proxy for WebSocket), +{self.round_trip * 1000:.0f} ms "
                f"per round trip (latency proxy, HTTP and WebSocket), CPU {self.cpu_slowdown:g}x slower (Chromium)")


LOCALHOST = Profile("localhost")
PHONE = Profile("phone", round_trip=0.150, download=1.6e6 / 8, upload=750e3 / 8, cpu_slowdown=4)
PROFILES = {profile.name: profile for profile in (LOCALHOST, PHONE)}
