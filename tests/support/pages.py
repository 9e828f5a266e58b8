"""The browser side of the harness, a pytest plugin: headless Debian Chromium through
Playwright, pages that fail their test when they reach any host but this machine or throw
an uncaught error, and ``open_app``, ``assert_accessible`` and ``kernel_id``.

Screenshots and console logs of failed browser tests go to ``tests/artifacts/``.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from support import rooms
from support.processes import (
    ACTION_TIMEOUT_MS,
    APP_RENDER_TIMEOUT_MS,
    ARTIFACTS_DIR,
    AXE_PATH,
    CELL_ERROR_JS,
    CHROMIUM_FLAGS,
    CSP_LISTENER_JS,
    CSP_MARK,
    EXPECT_TIMEOUT_MS,
    LOCAL_HOSTS,
    LOCAL_SCHEMES,
    PHONE,
    PROJECTOR,
    RENDERED_JS,
    ServedApp,
    free_server_port,
    read_login_token,
    serve_command,
    server_env,
    spawn_server,
    stop,
    tail,
    wait_until_serving,
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test itself (not only its teardown) when one of its pages broke the rules."""
    try:
        result = yield
    except BaseException as error:
        problems = _new_page_problems(item)
        if problems:
            error.add_note(problems)
        raise
    problems = _new_page_problems(item)
    if problems:
        pytest.fail(problems, pytrace=False)
    return result


# --- the browser and its pages -----------------------------------------------------------------


# --- the served app -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """One ``within serve`` for the whole session, on a free port in 8800-8899.

    The server runs the checkout's code (``PYTHONPATH`` points at the repository), keeps
    its data in a fresh temporary ``WITHIN_DATA_DIR``, never opens a browser
    (``BROWSER=true``) and ignores the developer's own Jupyter and IPython settings. The
    fixture waits until the home page answers 200 (failing with the server's log after
    90 s) and stops the server and its kernels at the end of the session. Yields a
    :class:`ServedApp`.
    """
    session_dir = tmp_path_factory.mktemp("served")
    yield from start_served(session_dir, session_dir / "data", server_env(session_dir))


@pytest.fixture(scope="session")
def join_listener(served_app: ServedApp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``within rooms --lan 127.0.0.2`` on the served app's data, as a facilitator opens it
    beside the app; yields its base URL (rooms' join pages and the QR codes point there)."""
    port = rooms.free_port(rooms.LAN)
    log = tmp_path_factory.mktemp("join") / "rooms.log"
    process = rooms.within(["rooms", "--lan", rooms.LAN, "--port", str(port)], served_app.data_dir, log)
    try:
        rooms.wait_for(f"http://{rooms.LAN}:{port}/", process, log)
        yield f"http://{rooms.LAN}:{port}"
    finally:
        stop(process)


@pytest.fixture(scope="session")
def staff_app(served_app: ServedApp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """``within serve --staff`` for the session, on the served app's data (as a centre runs
    both surfaces on one laptop). Its URLs carry the login token read from its output, so
    ``open_app`` signs each page in; :attr:`ServedApp.token` is there for other requests."""
    session_dir = tmp_path_factory.mktemp("staff")
    env = server_env(session_dir, WITHIN_DATA_DIR=str(served_app.data_dir))
    yield from start_served(session_dir, served_app.data_dir, env, "--staff")


def start_served(
    session_dir: Path, data_dir: Path, env: dict[str, str], *extra: str
) -> Iterator[ServedApp]:
    """Start ``within serve *extra``, yield it once it serves, stop it afterwards."""
    for attempt in range(3):  # another process may take the free port before the server does
        port = free_server_port()
        log_path = session_dir / f"server-{port}.log"
        app = spawn_server(port, log_path, data_dir, env, *extra)
        process = app.process
        try:
            problem = read_login_token(app) if "--staff" in extra else None
            problem = problem or wait_until_serving(app)
            if problem is None:
                yield app
                return
            port_taken = process.poll() is not None and "in use" in app.log()
        finally:
            stop(process)
        if not port_taken or attempt == 2:
            pytest.fail(
                f"`{' '.join(serve_command(port, *extra))}` {problem}.\nServer log ({log_path}):\n{tail(log_path)}",
                pytrace=False,
            )



# --- the browser and its pages -----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium for the session: ``WITHIN_CHROMIUM`` or Debian's ``/usr/bin/chromium``.

    Fails (never skips) when Chromium is missing: browser tests are part of the suite.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    executable = os.environ.get("WITHIN_CHROMIUM") or "/usr/bin/chromium"
    if not (Path(executable).is_file() and os.access(executable, os.X_OK)):
        pytest.fail(
            f"Chromium was not found at {executable}. Install Debian's with"
            " `sudo apt-get install -y chromium` (scripts/test does this), or set"
            " WITHIN_CHROMIUM to a Chromium binary. Browsers from `playwright install`"
            " are not used.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_FLAGS
            )
        except PlaywrightError as error:
            pytest.fail(f"Chromium at {executable} did not start:\n{error}", pytrace=False)
        yield chromium
        chromium.close()


def _loopback(host: str) -> bool:
    """127.0.0.1, localhost, ::1, or another loopback address (the rooms' "LAN" in tests)."""
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class _Watch:
    """What one browser context did that a test must not allow."""

    name: str
    context: Any
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    reported: tuple[int, int] = (0, 0)

    def note_url(self, url: str, how: str = "") -> None:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or _loopback(parts.hostname or ""):
            return
        if not parts.scheme:  # "inline", "eval": not a request
            return
        if not any(seen.split(" ", 1)[0] == url for seen in self.outside):
            self.outside.append(url + how)

    def note_console(self, message: Any) -> None:
        text = message.text
        if text.startswith(CSP_MARK):
            self.note_url(text.removeprefix(CSP_MARK), " (tried; refused by the page's CSP)")
        else:
            self.console.append(f"[{message.type}] {text}")

    def watch_page(self, page: Any) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on("websocket", lambda socket_: self.note_url(socket_.url))
        page.on("console", self.note_console)

    def new_problems(self) -> str:
        outside = self.outside[self.reported[0] :]
        errors = self.errors[self.reported[1] :]
        self.reported = (len(self.outside), len(self.errors))
        lines = []
        if outside:
            lines.append(f"{self.name}: requests left this machine (everything must be local):")
            lines += [f"  - {url}" for url in outside]
        if errors:
            lines.append(f"{self.name}: uncaught errors in the page:")
            lines += [f"  - {error}" for error in errors]
        return "\n".join(lines)


_WATCHES = pytest.StashKey[list[_Watch]]()

# Kernels started by open_app(), stopped when the test's pages close: Voilà keeps a
# kernel running after its page is gone, and a long session would pile them up.
_OPENED_KERNELS: list[tuple[ServedApp, str]] = []


def _new_page_problems(item: pytest.Item) -> str:
    return "\n".join(filter(None, (w.new_problems() for w in item.stash.get(_WATCHES, []))))


def _artifact_stem(item: pytest.Item) -> str:
    name = item.nodeid.removeprefix("tests/").replace(".py::", "-")
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150]


def _save_artifacts(item: pytest.Item, watches: list[_Watch]) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = _artifact_stem(item)
    pages = [(watch, page) for watch in watches for page in watch.context.pages]
    for index, (watch, page) in enumerate(pages):
        name = stem if len(pages) == 1 else f"{stem}-{watch.name}-{index}"
        try:
            page.screenshot(path=ARTIFACTS_DIR / f"{name}.png", full_page=True, timeout=10_000)
        except Exception as error:  # noqa: BLE001 - a crashed or closed page must not hide the failure
            (ARTIFACTS_DIR / f"{name}.png.txt").write_text(f"no screenshot: {error}\n")
        (ARTIFACTS_DIR / f"{name}.console.txt").write_text(
            f"url: {page.url}\n" + "\n".join(watch.console) + "\n", encoding="utf-8"
        )


@pytest.fixture
def make_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Factory of fresh pages: ``make_page(name, **context_options) -> Page``.

    Each call opens a new browser context (own cookies and storage) with the given
    Playwright context options (viewport, is_mobile, locale, ...). Every request and
    WebSocket of the context is recorded, and every URL the page's CSP refused: the test
    fails if any was for a host other than 127.0.0.1/localhost (``data:``, ``blob:`` are
    fine) or if a page threw an uncaught error. When the test fails, each page's
    screenshot and console log are saved in ``tests/artifacts/``. At teardown the
    contexts are closed.
    """
    watches: list[_Watch] = []
    request.node.stash[_WATCHES] = watches

    def make(name: str = "page", **context_options: Any) -> Any:
        context = browser.new_context(**context_options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)  # a missing element fails fast
        watch = _Watch(name, context)
        context.add_init_script(CSP_LISTENER_JS)
        context.on("request", lambda req: watch.note_url(req.url))
        context.on("page", watch.watch_page)
        watches.append(watch)
        return context.new_page()

    yield make

    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        _save_artifacts(request.node, watches)
    for watch in watches:
        watch.context.close()
    while _OPENED_KERNELS:
        app, kernel = _OPENED_KERNELS.pop()
        app.shutdown_kernel(kernel)
    problems = _new_page_problems(request.node)
    if problems:
        pytest.fail(f"after the test ended:\n{problems}", pytrace=False)


@pytest.fixture
def phone_page(make_page: Callable[..., Any]) -> Any:
    """A page on a small phone: 360x740 CSS pixels, touch, mobile, device scale factor 2."""
    return make_page("phone", **PHONE)


@pytest.fixture
def projector_page(make_page: Callable[..., Any]) -> Any:
    """A page on a facilitator's projector or shared screen: 1920x1080."""
    return make_page("projector", **PROJECTOR)


# --- helpers ---------------------------------------------------------------------------------


def kernel_id(page: Any) -> str:
    """The id of the kernel behind a rendered Voilà page (from ``#jupyter-config-data``)."""
    config = page.locator("#jupyter-config-data").text_content(timeout=5_000)
    return json.loads(config)["kernelId"]


def open_app(
    page: Any,
    served_app: ServedApp,
    notebook: str,
    lang: str = "en",
    mode: str = "self",
    timeout: float = APP_RENDER_TIMEOUT_MS,
) -> Any:
    """Open an app and wait until Voilà has rendered it, widgets included; return the page.

    Fails with the HTTP status when the page does not answer 200, and with the message
    when a cell raised while the notebook ran.
    """
    url = served_app.url(notebook, lang=lang, mode=mode)
    response = page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    assert response is not None and response.status == 200, (
        f"{url} answered {response.status if response else 'nothing'}"
    )
    try:
        page.wait_for_function(RENDERED_JS, timeout=timeout, polling=100)
    except Exception as error:  # noqa: BLE001 - a timeout or a crashed page: both need the log
        raise AssertionError(
            f"{url} did not finish rendering within {timeout / 1000:.0f} s ({error}).\n"
            f"Server log:\n{tail(served_app.log_path, 40)}"
        ) from None
    _OPENED_KERNELS.append((served_app, kernel_id(page)))
    errors = page.evaluate(CELL_ERROR_JS)
    assert not errors, f"{url}: a cell failed while the notebook ran:\n" + "\n".join(errors)
    page.evaluate("async () => { await document.fonts.ready; }")
    return page


def assert_accessible(page: Any) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page; fail on serious or critical issues.

    Minor and moderate findings are not failures; the message lists each failing rule
    with its help text and the offending elements.
    """
    if not AXE_PATH.is_file():
        pytest.fail(f"{AXE_PATH} is missing: run `npm ci --prefix tests/js`", pytrace=False)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    violations = page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
          });
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html})),
          }));
        }""",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    if serious:
        lines = [f"axe-core found {len(serious)} serious or critical problem(s) on {page.url}:"]
        for v in serious:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v['helpUrl']}>")
            for node in v["nodes"][:10]:
                lines.append(f"    at {node['target']}   {node['html'][:160]}")
            if len(v["nodes"]) > 10:
                lines.append(f"    ... and {len(v['nodes']) - 10} more")
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture(name="open_app")
def open_app_fixture() -> Callable[..., Any]:
    """``open_app(page, served_app, notebook, lang="en", mode="self")``: open and wait."""
    return open_app


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture() -> Callable[[Any], None]:
    """``assert_accessible(page)``: axe-core, fails on serious or critical violations."""
    return assert_accessible


@pytest.fixture(name="kernel_id")
def kernel_id_fixture() -> Callable[[Any], str]:
    """``kernel_id(page)``: the id of the kernel behind a rendered Voilà page."""
    return kernel_id

