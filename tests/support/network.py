"""What a page asked of the network, read through the Chrome DevTools Protocol.

``requestServedFromCache`` and ``fromDiskCache`` tell a request answered by the browser's
cache from one that reached a server; ``loadingFinished`` gives the bytes each moved over
the wire (headers included). Only http(s) requests count: WebSockets, ``data:`` and
``blob:`` URLs are left aside.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Traffic:
    """One page's requests since :func:`record` started."""

    urls: dict[str, str] = field(default_factory=dict)  # request id -> URL
    cached: set[str] = field(default_factory=set)  # answered by the browser's cache
    bytes: dict[str, int] = field(default_factory=dict)  # request id -> bytes on the wire
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # lower-case names
    protocols: dict[str, str] = field(default_factory=dict)  # request id -> "http/1.1", "h2"
    ended: set[str] = field(default_factory=set)  # finished or failed: nothing more will come
    beacons: set[str] = field(default_factory=set)  # sendBeacon: a page leaving, never awaited

    def wait_until_answered(self, page: Any, timeout_s: float = 30) -> None:
        """Wait until every request sent so far has finished or failed, so that its headers,
        bytes and cache flag are all here (a page can be drawn before its last font arrives)."""
        deadline = time.monotonic() + timeout_s
        while pending := [
            self.urls[rid] for rid in self.urls if rid not in self.ended and rid not in self.beacons
        ]:
            if time.monotonic() > deadline:
                raise AssertionError("requests still unanswered:\n" + "\n".join(pending))
            page.wait_for_timeout(50)  # Playwright delivers the DevTools events while it waits

    def network(self) -> list[str]:
        """The request ids that reached the server."""
        return [rid for rid in self.urls if rid not in self.cached]

    def total_bytes(self) -> int:
        """Bytes moved by the requests that reached the server."""
        return sum(self.bytes.get(rid, 0) for rid in self.network())


def record(page: Any) -> Traffic:
    """Start recording ``page``'s requests (a Playwright page in Chromium)."""
    traffic = Traffic()
    cdp = page.context.new_cdp_session(page)

    def sent(event: dict[str, Any]) -> None:
        url = event["request"]["url"]
        if urlsplit(url).scheme in ("http", "https"):
            traffic.urls[event["requestId"]] = url
            if event.get("type") == "Ping":
                traffic.beacons.add(event["requestId"])

    def received(event: dict[str, Any]) -> None:
        response, rid = event["response"], event["requestId"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            traffic.cached.add(rid)
        traffic.headers[rid] = {k.lower(): v for k, v in response["headers"].items()}
        traffic.protocols[rid] = response.get("protocol", "")

    def finished(event: dict[str, Any]) -> None:
        traffic.bytes[event["requestId"]] = int(event["encodedDataLength"])
        traffic.ended.add(event["requestId"])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.requestServedFromCache", lambda event: traffic.cached.add(event["requestId"]))
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", lambda event: traffic.ended.add(event["requestId"]))
    cdp.send("Network.enable")
    return traffic


def is_static(url: str) -> bool:
    """A file rather than a page or an API call: scripts, styles, fonts, extensions."""
    path = urlsplit(url).path
    return (
        "/static/" in path or "/labextensions/" in path or path.endswith((".js", ".css", ".woff2"))
    )
