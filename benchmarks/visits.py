"""A person's visit as a phone feels it, beside a stock Voilà notebook in the same run.

For one :class:`~benchmarks.profiles.Profile`, in headless Chromium at phone size:

- a first visit (a fresh browser context) and a return visit (the same context, reload):
  HTTP requests that reached the network and the bytes they moved (DevTools' Network events;
  answers from the browser's cache are not requests), and the time until the page is
  interactive, for Within's home, one activity, and stock Voilà's ``bare.ipynb``;
- moving from home into the activity (click its link on home, until the activity's first
  step can be used) and back (the browser's Back, until home's link can be used again).
  Each wait is on what the person sees, never on a load event, so the same measure holds for
  whole page loads and for apps swapped in place with ``history.pushState``;
- that the profile's round trip is what was meant: an HTTP request from the page and a
  kernel message over the kernel's WebSocket, each timed through the profile's origin.

:func:`memory` walks home and five apps and adds up the resident memory (RSS) of the kernels
of that one visitor still running, against the kernel of stock Voilà's bare notebook.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from benchmarks.profiles import LOCALHOST, Profile
from benchmarks.servers import ROOT, Server, StockVoila, ask_kernel_info
from widgets.core.content import library

RENDERED_JS = (ROOT / "tests/js/voila-rendered.js").read_text(encoding="utf-8")
TIMEOUT_MS = 300_000
PHONE_SIZE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2}
# What the person sees, as one predicate per page: drawn, and the thing to tap is there.
_VISIBLE = "const shown = nodes => [...nodes].some(n => n.offsetParent !== null && !n.disabled);"
STOCK_READY = f"""() => {{ {_VISIBLE}
  return ({RENDERED_JS})() && shown(document.querySelectorAll('#rendered_cells button'));
}}"""
HOME_READY = f"""app => {{ {_VISIBLE}
  return ({RENDERED_JS})()
    && shown(document.querySelectorAll(`[data-app-id="${{app}}"] a, [data-app-id="${{app}}"] button`))
    && !shown(document.querySelectorAll('.within-app-page'));
}}"""
APP_READY = f"""title => {{ {_VISIBLE}
  return ({RENDERED_JS})() && [...document.querySelectorAll('.within-app-page')].some(page =>
    page.offsetParent !== null
    && [...page.querySelectorAll('h1')].some(h => h.textContent.trim() === title)
    && shown(page.querySelectorAll('input, button, textarea, select')));
}}"""
PROBE_JS = """async () => {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await fetch(`/within-benchmark-round-trip-probe?${i}`, {cache: 'no-store'});
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[2];
}"""
# Participant apps with no charts, as a person might open them in one visit.
WALK = ("welcome", "activity-1", "activity-2", "activity-3", "self-check")


class Traffic:
    """The HTTP requests a page made, those of them that reached the network (not answered
    from the browser's cache) and the bytes these moved, headers included, from the DevTools
    session ``cdp``."""

    def __init__(self, cdp: Any) -> None:
        self.reset()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", lambda e: self._cached.add(e["requestId"]))
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", lambda e: self._bytes.__setitem__(e["requestId"], e["encodedDataLength"]))

    def reset(self) -> None:
        self._made: set[str] = set()
        self._cached: set[str] = set()
        self._network: set[str] = set()
        self._bytes: dict[str, float] = {}

    def _sent(self, event: dict[str, Any]) -> None:
        if event["request"]["url"].startswith("http"):
            self._made.add(event["requestId"])

    def _response(self, event: dict[str, Any]) -> None:
        response = event["response"]
        from_cache = response.get("fromDiskCache") or response.get("fromPrefetchCache") or response.get("fromServiceWorker")
        if response["url"].startswith("http") and not from_cache:
            self._network.add(event["requestId"])

    @property
    def made(self) -> int:
        return len(self._made)

    @property
    def requests(self) -> int:
        return len(self._network - self._cached)

    @property
    def bytes(self) -> float:
        return sum(self._bytes.get(request, 0) for request in self._network - self._cached)


@dataclass
class Samples:
    """Every figure of one profile, one list of samples per measure (medians reported)."""

    profile: Profile
    values: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, value: float) -> None:
        self.values.setdefault(key, []).append(value)

    def add_visit(self, key: str, figures: tuple[float, int, float, int]) -> None:
        for measure, value in zip(("s", "requests", "bytes", "made"), figures, strict=True):
            self.add(f"{key} {measure}", value)

    def median(self, key: str) -> float | None:
        samples = self.values.get(key)
        return statistics.median(samples) if samples else None


def app_title(app: str) -> str:
    return library().text("en", f"apps.{app}.title")


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("WITHIN_CHROMIUM") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic"],
        )
        try:
            yield browser
        finally:
            browser.close()


class Visitor:
    """One person's browser context (one cache) under ``profile``, one tab at a time."""

    def __init__(self, browser: Any, profile: Profile) -> None:
        self.profile = profile
        self.context = browser.new_context(**PHONE_SIZE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        cdp = self.context.new_cdp_session(self.page)
        profile.emulate(cdp)
        self.traffic = Traffic(cdp)

    def until(self, ready: str, arg: Any = None) -> None:
        self.page.wait_for_function(ready, arg=arg, timeout=TIMEOUT_MS, polling=50)

    def settle(self) -> None:
        """Let the page's late requests finish, so they count with its visit."""
        from playwright.sync_api import TimeoutError as Timeout

        with contextlib.suppress(Timeout):  # a page that never goes quiet is still measured
            self.page.wait_for_load_state("networkidle", timeout=60_000)

    def visit(self, url: str, ready: str, arg: Any = None) -> tuple[float, int, float, int]:
        """Open ``url`` until ``ready``: (seconds, requests over the network, their bytes,
        requests made)."""
        self.traffic.reset()
        start = time.perf_counter()
        self.page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        self.until(ready, arg)
        seconds = time.perf_counter() - start
        self.settle()
        return seconds, self.traffic.requests, self.traffic.bytes, self.traffic.made

    def reload(self, ready: str, arg: Any = None) -> tuple[float, int, float, int]:
        self.traffic.reset()
        start = time.perf_counter()
        self.page.reload(wait_until="commit", timeout=TIMEOUT_MS)
        self.until(ready, arg)
        seconds = time.perf_counter() - start
        self.settle()
        return seconds, self.traffic.requests, self.traffic.bytes, self.traffic.made

    def move_in(self, app: str) -> float:
        """Tap ``app``'s link on home; seconds until its first step can be used."""
        link = self.page.locator(f'[data-app-id="{app}"] a, [data-app-id="{app}"] button').first
        start = time.perf_counter()
        link.click()
        self.until(APP_READY, app_title(app))
        return time.perf_counter() - start

    def back_home(self, app: str) -> float:
        """The browser's Back from an app; seconds until home's link to ``app`` can be used."""
        start = time.perf_counter()
        self.page.go_back(wait_until="commit", timeout=TIMEOUT_MS)
        self.until(HOME_READY, app)
        return time.perf_counter() - start

    def kernel_id(self) -> str:
        return json.loads(self.page.locator("#jupyter-config-data").text_content())["kernelId"]

    def close(self) -> None:
        self.page.close(run_before_unload=True)
        self.context.close()


def measure(browser: Any, profile: Profile, within: Server, stock: StockVoila, activity: str,
            repeat: int) -> Samples:
    """Every timed figure of ``profile``, each Within visit beside stock Voilà's."""
    samples = Samples(profile)
    with profile.origin(within.port) as within_origin, profile.origin(stock.port) as stock_origin:
        home_url = within_origin + within.path("home")
        for _ in range(repeat):  # interleaved, so drift on a shared machine hits both alike
            visitor = Visitor(browser, profile)
            for key, figures in (
                ("first", visitor.visit(stock_origin + stock.path(), STOCK_READY)),
                ("return", visitor.reload(STOCK_READY)),
            ):
                samples.add_visit(f"stock {key}", figures)
            visitor.close()

            visitor = Visitor(browser, profile)
            for key, figures in (
                ("first", visitor.visit(home_url, HOME_READY, activity)),
                ("return", visitor.reload(HOME_READY, activity)),
            ):
                samples.add_visit(f"home {key}", figures)
            samples.add("move in s", visitor.move_in(activity))
            samples.add("move back s", visitor.back_home(activity))
            samples.add("http round trip ms", visitor.page.evaluate(PROBE_JS))
            visitor.close()

            visitor = Visitor(browser, profile)
            samples.add_visit("activity first", visitor.visit(
                within_origin + within.path(activity), APP_READY, app_title(activity)))
            visitor.close()
        samples.add("ws round trip ms", websocket_round_trip(within, within_origin))
    return samples


def websocket_round_trip(within: Server, origin: str) -> float:
    """Median ms of a kernel_info request and its reply over a kernel's WebSocket via ``origin``."""
    _page, kernel = within.render("bare")
    port = int(origin.rsplit(":", 1)[1])

    async def trips() -> float:
        from tornado.websocket import websocket_connect

        ws = await websocket_connect(f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?session_id={uuid.uuid4()}")
        times = []
        for _ in range(7):
            start = time.perf_counter()
            await ask_kernel_info(ws)
            times.append((time.perf_counter() - start) * 1000)
        ws.close()
        return statistics.median(times[1:])  # the first one also wakes the kernel up

    try:  # on a thread: Playwright's synchronous API holds this thread's event loop
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, trips()).result(timeout=300)
    finally:
        within.shutdown(kernel)


def memory(browser: Any, within: Server, stock: StockVoila, walk: tuple[str, ...] = WALK) -> dict[str, float]:
    """RSS (MB) of one visitor's kernels after home and ``walk``, and of stock Voilà's kernel.

    Kernels are told apart by the ids their pages carry: kernels a pool keeps ready for
    the next visitor are not this one's. Kernels of pages left behind are given time to end
    (the page's shutdown beacon); any still running count, as they hold memory for this person.
    """
    visitor = Visitor(browser, LOCALHOST)
    visitor.visit(stock.base + stock.path(), STOCK_READY)
    time.sleep(1)
    bare = stock.kernel_process(visitor.kernel_id())
    bare_rss = bare.memory_info().rss / 2**20 if bare else float("nan")
    visitor.close()

    visitor = Visitor(browser, LOCALHOST)
    visitor.visit(within.url("home"), HOME_READY, walk[0])
    kernels = {visitor.kernel_id()}
    for app in walk:
        visitor.move_in(app)
        kernels.add(visitor.kernel_id())
        visitor.back_home(app)
        kernels.add(visitor.kernel_id())
    current = visitor.kernel_id()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(within.kernel_process(k) for k in kernels - {current}):
        time.sleep(0.5)
    time.sleep(1)
    processes = [p for p in (within.kernel_process(k) for k in kernels) if p is not None]
    rss = sum(p.memory_info().rss for p in processes) / 2**20
    visitor.close()
    return {"visitor MB": rss, "kernels": len(processes), "kernels seen": len(kernels),
            "bare MB": bare_rss, "apps": len(walk)}


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"
