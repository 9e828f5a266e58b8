"""Kernels end with their pages: no leak on a cheap laptop or a shared server.

The pages people open first are preheated: a kernel waits, imports done, for the visit that
claims it (Voilà's kernel pools). It must read that visit's own address, not a guess.

Voilà starts one kernel (a Python process, 60-100 MB) per page view. Two things end it:

- the page's own ``beforeunload`` beacon (``POST voila/api/shutdown/<id>``), which only
  passes the XSRF check because the ``within`` template sets the ``_xsrf`` cookie
  (:func:`widgets.server.voila_config.ensure_xsrf_cookie`, voila-dashboards/voila#1458);
- jupyter_server's idle culler, for tabs that vanish without a goodbye (a phone that kills
  the browser, a lost connection): ``MappingKernelManager.cull_idle_timeout`` from
  ``WITHIN_CULL_IDLE_SECONDS`` with ``cull_connected=False``, so an open page keeps its kernel.

Kernels are counted as the server's ``ipykernel`` child processes: what actually uses memory.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from support.pages import start_served
from support.processes import (
    ROOT,
    ServedApp,
    free_server_port,
    server_env,
    tail,
)
from traitlets.config import Config

from widgets.core import context, preheat
from widgets.core.content import text
from widgets.server import app as server
from widgets.server import voila_config

CULL_IDLE_S = 4
CULL_INTERVAL_S = 1


# --- helpers ------------------------------------------------------------------------------


def wait_for_count(app: ServedApp, expected: int, timeout: float) -> int:
    """Wait until the server runs ``expected`` kernels; return the last count seen."""
    deadline = time.monotonic() + timeout
    count = len(app.kernel_pids())
    while count != expected and time.monotonic() < deadline:
        time.sleep(0.25)
        count = len(app.kernel_pids())
    return count


@pytest.fixture(scope="module")
def culling_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """A second ``within serve`` whose culler uses seconds instead of an hour."""
    session_dir = tmp_path_factory.mktemp("culling")
    env = server_env(
        session_dir,
        **{
            voila_config.CULL_IDLE_ENV: str(CULL_IDLE_S),
            voila_config.CULL_INTERVAL_ENV: str(CULL_INTERVAL_S),
        },
    )
    yield from start_served(session_dir, session_dir / "data", env)


# --- settings -------------------------------------------------------------------------------


def test_culling_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(voila_config.CULL_IDLE_ENV, raising=False)
    monkeypatch.delenv(voila_config.CULL_INTERVAL_ENV, raising=False)
    kernels = voila_config.configure(Config()).MappingKernelManager
    assert kernels.cull_idle_timeout == 3600
    assert 0 < kernels.cull_interval <= 300
    assert kernels.cull_connected is False
    assert kernels.cull_busy is False


@pytest.mark.parametrize(
    ("idle", "interval", "expected"),
    [("120", "", (120, 120)), ("30", "5", (30, 5)), ("0", "", (0, 1)), ("soon", "-3", (3600, 300))],
)
def test_culling_from_environment(
    monkeypatch: pytest.MonkeyPatch, idle: str, interval: str, expected: tuple[int, int]
) -> None:
    monkeypatch.setenv(voila_config.CULL_IDLE_ENV, idle)
    monkeypatch.setenv(voila_config.CULL_INTERVAL_ENV, interval)
    assert voila_config.culling() == expected
    kernels = voila_config.configure(Config()).MappingKernelManager
    assert (kernels.cull_idle_timeout, kernels.cull_interval) == expected


def test_preheat_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(server.PREHEAT_ENV, raising=False)
    config = voila_config.configure(Config())
    server.preheat(config)
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaConfiguration.prelaunch_hook is None  # Voilà refuses both at once
    pools = config.VoilaKernelManager.kernel_pools_config
    assert pools == {
        "default": {"pool_size": 0},
        "home.ipynb": {"pool_size": 1},
        "welcome.ipynb": {"pool_size": 1},
        "self-check.ipynb": {"pool_size": 1},
    }
    for name in pools.keys() - {"default"}:
        assert (ROOT / "notebooks" / name).is_file()

    monkeypatch.setenv(server.PREHEAT_ENV, "0")
    off = voila_config.configure(Config())
    server.preheat(off)
    assert "preheat_kernel" not in off.VoilaConfiguration
    assert off.VoilaConfiguration.prelaunch_hook is voila_config.ensure_xsrf_cookie

    for value, expected in [("2", 2), ("none", 1), ("-4", 1), ("", 1)]:
        monkeypatch.setenv(server.PREHEAT_ENV, value)
        assert server.preheat_kernels() == expected


def test_a_preheated_kernel_waits_once_for_its_visit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Voilà's own protocol, against a real WebSocket: the details arrive once, then stay."""
    import asyncio
    import json
    import threading

    import tornado.httpserver
    import tornado.netutil
    import tornado.web
    import tornado.websocket

    visits: list[str] = []

    class Query(tornado.websocket.WebSocketHandler):
        def open(self, kernel: str) -> None:
            visits.append(kernel)
            self.write_message(json.dumps({"QUERY_STRING": "lang=th&mode=projector&room=K7Q2"}))

    ready = threading.Event()
    loop = asyncio.new_event_loop()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(
            tornado.web.Application([(r"/base/voila/query/(.*)", Query)])
        )
        server.add_sockets(sockets)
        monkeypatch.setenv("VOILA_APP_PORT", str(sockets[0].getsockname()[1]))
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
    try:
        monkeypatch.setattr(preheat, "_claimed", False)
        monkeypatch.setenv("QUERY_STRING", "")
        monkeypatch.setenv("VOILA_SERVER_URL", "/base/")
        monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
        monkeypatch.setenv(preheat.PREHEAT_ENV, "True")
        assert context.PageContext.from_request() == context.PageContext("th", "projector")
        assert context.request_param("room") == "K7Q2"
        assert context.request_param("sheet") is None
        assert visits == ["k-1"]  # asked once, for this kernel
    finally:
        loop.call_soon_threadsafe(loop.stop)

    # A server that cannot be reached: the page still renders, with the defaults.
    monkeypatch.setattr(preheat, "_claimed", False)
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.setenv("VOILA_APP_PORT", str(free_server_port()))
    assert context.PageContext.from_request() == context.PageContext("en", "self")

    # A kernel started for its request never waits.
    monkeypatch.setenv(preheat.PREHEAT_ENV, "False")
    monkeypatch.setenv("QUERY_STRING", "lang=th")
    assert context.PageContext.from_request().lang == "th"
    assert visits == ["k-1"]


def test_waiting_for_a_visit_does_not_load_voila_into_the_kernel() -> None:
    """Voilà's own helper would load its server side into every kernel (about 58 MB)."""
    script = (
        "import sys, widgets.apps.app_page, widgets.apps.home, widgets.core.context\n"
        "print(sorted(m for m in sys.modules if m == 'voila' or m.startswith('voila.')))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


# --- in the browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    ("notebook", "lang", "mode", "expected"),
    [
        ("welcome.ipynb", "th", "projector", "common.nav.next"),
        ("self-check.ipynb", "en", "self", "common.code.new"),
        ("self-check.ipynb", "th", "self", "common.code.new"),
    ],
)
def test_preheated_pages_read_their_own_address(
    served_app: ServedApp,
    make_page: Callable[..., Any],
    open_app: Callable[..., Any],
    kernel_id: Callable[[Any], str],
    notebook: str,
    lang: str,
    mode: str,
    expected: str,
) -> None:
    """The kernel ran its imports before the visit; language and mode are still this visit's."""
    from playwright.sync_api import expect

    from widgets.core.content import text

    claimed = f"Using pre-heated kernel: {{}} for {notebook}"
    served_app.settled_kernel_pids()  # an earlier visit's page may have taken the pool's kernel: refilled
    page = open_app(make_page(f"{notebook}-{lang}-{mode}"), served_app, notebook, lang=lang, mode=mode)
    assert claimed.format(kernel_id(page)) in served_app.log(), "the page did not get a preheated kernel"
    expect(page.get_by_text(text(lang, expected)).first).to_be_visible()
    if mode == "projector":  # nothing personal on a shared screen: no code is asked for
        expect(page.get_by_text(text(lang, "common.code.new"))).to_have_count(0)

@pytest.mark.browser
def test_a_direct_link_to_an_app_without_ready_kernels_takes_a_ready_home_kernel(
    served_app: ServedApp,
    make_page: Callable[..., Any],
    open_app: Callable[..., Any],
    kernel_id: Callable[[Any], str],
) -> None:
    """A bookmark of Activity 3 (no pool of its own) is served by home's ready kernel, which
    builds Activity 3 in the address's language: the visitor waits for no kernel to start."""
    from playwright.sync_api import expect

    from widgets.core.content import text

    served_app.settled_kernel_pids()  # home's pool refilled after earlier visits
    page = open_app(make_page("activity-3-direct"), served_app, "activity-3.ipynb", lang="th")
    claimed = f"Using pre-heated kernel: {kernel_id(page)} for home.ipynb"
    assert claimed in served_app.log(), "the direct link did not get a ready home kernel"
    heading = page.locator('[data-within-heading="activity-3"]')
    expect(heading).to_have_text(text("th", "apps.activity-3.title"))
    assert page.url.split("?")[0].endswith("/activity-3.ipynb")
    page.get_by_role("button", name=text("th", "common.code.new"), exact=True).click()
    page.get_by_role("button", name=text("th", "common.code.noted"), exact=True).click()
    expect(page.locator(".within-navigator")).to_be_visible()  # the activity answers taps

    # Home is still one in-place move away, in the same page and kernel.
    page.get_by_role("link", name=text("th", "common.home_link")).first.click()
    expect(page.locator('[data-within-heading="home"]')).to_be_visible()
    assert kernel_id(page) in claimed


pages_to_close = [("home", "self"), ("my-progress", "self"), ("my-data", "self")]


@pytest.mark.browser
def test_leaving_pages_ends_their_kernels(
    served_app: ServedApp, make_page: Callable[..., Any], open_app: Callable[..., Any]
) -> None:
    """Voilà's own beacon ends the kernel at once (the session server culls only after an hour)."""
    before = len(served_app.settled_kernel_pids())
    pages = []
    for notebook, mode in pages_to_close:
        page = make_page(notebook)
        pages.append(open_app(page, served_app, notebook, mode=mode))
    assert wait_for_count(served_app, before + len(pages), 10) == before + len(pages)

    pages[0].goto("about:blank")  # navigating away
    for page in pages[1:]:
        page.close(run_before_unload=True)  # closing the tab
    after = wait_for_count(served_app, before, 15)
    assert after == before, (
        f"{after - before} kernel(s) outlived their page.\nServer log:\n{tail(served_app.log_path)}"
    )
    refused = re.findall(r"\b403 POST \S*/api/shutdown/\S+", served_app.log())
    assert not refused, f"a shutdown beacon was refused: {refused}"


@pytest.mark.browser
def test_tabs_that_vanish_are_culled(
    culling_app: ServedApp, make_page: Callable[..., Any], open_app: Callable[..., Any]
) -> None:
    """A tab closed without ``beforeunload`` (a killed phone browser) loses its kernel to the
    culler; the preheated kernels waiting for visitors are never culled."""
    before = len(culling_app.settled_kernel_pids())
    browser_contexts = []
    for notebook, mode in pages_to_close[:2]:
        page = open_app(make_page(notebook), culling_app, notebook, mode=mode)
        browser_contexts.append(page.context)
    assert wait_for_count(culling_app, before + 2, 15) == before + 2
    for browser_context in browser_contexts:
        browser_context.close()  # no beforeunload: only the WebSocket drops
    after = wait_for_count(culling_app, before, CULL_IDLE_S + 3 * CULL_INTERVAL_S + 15)
    assert after == before, f"{after - before} kernel(s) were never culled.\n{tail(culling_app.log_path)}"
    assert "Culling 'idle' kernel" in culling_app.log()
    # The ready kernels waited through several culls and still serve their page.
    claimed = culling_app.log().count("Using pre-heated kernel")
    open_app(make_page("after-culling"), culling_app, "home.ipynb")
    assert culling_app.log().count("Using pre-heated kernel") == claimed + 1


@pytest.mark.browser
def test_an_open_idle_page_keeps_its_kernel(
    culling_app: ServedApp,
    make_page: Callable[..., Any],
    open_app: Callable[..., Any],
    kernel_id: Callable[[Any], str],
) -> None:
    """Someone reading slowly is not cut off: a connected kernel is never culled."""
    page = open_app(make_page("reader"), culling_app, "my-data")
    kernel = kernel_id(page)
    time.sleep(3 * CULL_IDLE_S + 2 * CULL_INTERVAL_S)  # idle well past the timeout
    assert culling_app.kernel_exists(kernel), f"the open page lost its kernel.\n{tail(culling_app.log_path)}"
    # The page still talks to its kernel: a click still gets an answer (a code the kernel made).
    expect(page.locator(".within-code")).to_have_count(0)
    page.get_by_role("button", name=text("en", "common.code.new"), exact=True).click()
    expect(page.locator(".within-code").first).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}$"))
    assert culling_app.kernel_exists(kernel)
