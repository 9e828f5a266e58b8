"""Shared test harness: a served Within, headless Chromium, and checks every page must pass.

Later issues build on these fixtures rather than starting their own servers or browsers:

- ``served_app``: one ``within serve`` per test session, its data in a temporary folder.
- ``browser``: headless Debian Chromium driven by Playwright (never a downloaded browser).
- ``phone_page`` / ``projector_page`` / ``make_page``: fresh pages that fail the test when
  the page reaches any host but this machine, or throws an uncaught error.
- ``open_app``, ``assert_accessible``, ``execute_notebook``, ``kernel_id``: fixtures that
  return the helper functions of the same names defined here.

Screenshots and console logs of failed browser tests go to ``tests/artifacts/``.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis_profile import pytest_terminal_summary  # noqa: F401 - hostile-input settings and count

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # test the checkout's ``widgets``, installed or not
NOTEBOOKS_DIR = ROOT / "notebooks"
ARTIFACTS_DIR = ROOT / "tests" / "artifacts"
AXE_PATH = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"

from widgets.core.paths import HOME_NOTEBOOK  # noqa: E402
PORT_RANGE = range(8800, 8900)
SERVER_START_TIMEOUT_S = 90
APP_RENDER_TIMEOUT_MS = 60_000
ACTION_TIMEOUT_MS = 10_000
# A widget's answer travels browser -> kernel -> browser; on a busy 2-core machine a kernel
# can take several seconds, so assertions wait longer than Playwright's default 5 s.
EXPECT_TIMEOUT_MS = 20_000

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = dict(
    viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2
)
PROJECTOR = dict(viewport={"width": 1920, "height": 1080})

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}

# The served pages have a Content-Security-Policy, so the browser refuses an outside
# request before Playwright sees it. An attempt is still a bug (a font or script that
# never arrives): report every refused URL through the console.
_CSP_MARK = "[within-tests] refused by CSP: "
_CSP_LISTENER_JS = (
    "document.addEventListener('securitypolicyviolation', e => console.warn("
    f"{json.dumps(_CSP_MARK)} + e.blockedURI), true);"
)

# Voilà 0.5.13 (templates/lab + base/voila_setup.macro.html.j2): the page streams one
# <script type="application/vnd.voila.cell-output+json"> per output while cells run; at
# the end ``voila_finish()`` removes the #loading spinner and shows #rendered_cells (once
# the theme has loaded). The front end then swaps each script for a renderer; a widget
# renderer reads "Loading widget..." until its view is attached.
_RENDERED_JS = (ROOT / "tests/js/voila-rendered.js").read_text(encoding="utf-8")

# What Voilà shows instead of a cell's output when the cell raised.
_CELL_ERROR_JS = """() => [...new Set(
  [...document.querySelectorAll('#rendered_cells [data-mime-type$="jupyter.stderr"]')]
    .map(n => n.textContent.trim())
    .filter(t => /There was an error when executing cell|Traceback/.test(t))
)]"""
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


# --- hooks --------------------------------------------------------------------------------


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    """Treat SIGTERM (a cancelled CI job) like Ctrl+C, so the served app is still stopped."""
    signal.signal(signal.SIGTERM, _interrupt)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the browser, and run the browser tests last.

    The mark lets ``-m "not browser"`` always deselect them. The order matters: once
    Playwright's sync API has started, its asyncio loop counts as running in the main
    thread for the rest of the session, and tests that run a loop themselves (Tornado,
    ``asyncio.run``) fail with "Cannot run the event loop while another loop is running".
    """
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    in_browser = [item for item in items if item.get_closest_marker("browser")]
    items[:] = [item for item in items if not item.get_closest_marker("browser")] + in_browser


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


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- databases --------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty ``WITHIN_DATA_DIR`` for this test (``WITHIN_DATABASE_URL`` unset)."""
    folder = tmp_path / "within-data"
    monkeypatch.setenv("WITHIN_DATA_DIR", str(folder))
    monkeypatch.delenv("WITHIN_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def store(data_dir: Path) -> Iterator[Any]:
    """The default :class:`widgets.store.Store` of :func:`data_dir`, closed afterwards."""
    from widgets.store import Store

    store = Store()
    yield store
    store.close()

#: A PostgreSQL server for the store tests (scripts/test starts a throwaway one).
POSTGRES_URL_ENV = "WITHIN_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test: a SQLite file, then a PostgreSQL database.

    The PostgreSQL case needs ``WITHIN_TEST_POSTGRES_URL`` (any database on a server where
    that user may create databases): skipped without it locally, a failure in CI.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'within.sqlite3'}"
        return
    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        reason = (
            f"{POSTGRES_URL_ENV} is not set: scripts/test starts a throwaway PostgreSQL "
            "(scripts/postgres start DIR prints a URL to set it to)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    import psycopg
    from sqlalchemy import make_url

    slug = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40]
    name = f"t_{slug}_{os.getpid()}_{time.monotonic_ns() % 10**9}"
    admin = make_url(server).set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the served app -------------------------------------------------------------------------


@dataclass
class ServedApp:
    """A running ``within serve``.

    Attributes
    ----------
    base_url:
        ``http://127.0.0.1:<port>``, without a trailing slash.
    data_dir:
        The session's temporary ``WITHIN_DATA_DIR``; the SQLite file lives here.
    log_path:
        The server's combined stdout and stderr.
    """

    base_url: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def url(self, notebook: str, lang: str = "en", mode: str = "self") -> str:
        """The address of an app: ``/voila/render/<notebook>?lang=..&mode=..``."""
        if not notebook.endswith(".ipynb"):
            notebook += ".ipynb"
        return f"{self.base_url}/voila/render/{notebook}?{urlencode({'lang': lang, 'mode': mode})}"

    def log(self) -> str:
        """Everything the server has written so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kernel_exists(self, kernel_id: str) -> bool:
        """Whether the server still runs this kernel (``GET /api/kernels/<id>``: 200 or 404)."""
        try:
            with urllib.request.urlopen(f"{self.base_url}/api/kernels/{kernel_id}", timeout=10):
                return True
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            raise

    def shutdown_kernel(self, kernel_id: str) -> None:
        """Stop a kernel (``POST /voila/api/shutdown/<id>``); a kernel already gone is fine.

        This client never loaded a page (which sets the ``_xsrf`` cookie), so the request
        brings its own matching cookie and header (Tornado's double-submit check).
        """
        request = urllib.request.Request(
            f"{self.base_url}/voila/api/shutdown/{kernel_id}",
            data=b"",
            method="POST",
            headers={"Cookie": "_xsrf=within-tests", "X-XSRFToken": "within-tests"},
        )
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except (urllib.error.URLError, OSError):
            pass  # already gone, or the server is stopping


def _free_port() -> int:
    start = os.getpid() % len(PORT_RANGE)
    for offset in range(len(PORT_RANGE)):
        port = PORT_RANGE[(start + offset) % len(PORT_RANGE)]
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORT_RANGE.start}-{PORT_RANGE.stop - 1}")


def _serve_command(port: int) -> list[str]:
    """``within serve --port N``: the venv's console script, else its entry point in-process."""
    script = Path(sys.executable).with_name("within")
    args = ["serve", "--port", str(port)]
    if script.exists():
        return [str(script), *args]
    launcher = "import sys; from widgets.cli import main; sys.argv[0] = 'within'; sys.exit(main())"
    return [sys.executable, "-c", launcher, *args]


def _descendants(pid: int) -> list[int]:
    """Every process started under ``pid`` (kernels run in sessions of their own)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server: SIGTERM (it shuts its kernels down), then SIGKILL what is left."""
    if process.poll() is None:
        started = _descendants(process.pid)
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        time.sleep(0.5)  # kernels asked to stop are finishing
        for pid in started:
            try:
                os.kill(pid, signal.SIGKILL)  # a kernel or helper that outlived its server
            except ProcessLookupError:
                pass


def _tail(path: Path, lines: int = 80) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log was written)"
    return "\n".join(text.splitlines()[-lines:]) or "(the log is empty)"


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
    data_dir = session_dir / "data"
    env = _server_env(session_dir)
    for attempt in range(3):  # another process may take the free port before the server does
        port = _free_port()
        log_path = session_dir / f"server-{port}.log"
        command = _serve_command(port)
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        app = ServedApp(f"http://127.0.0.1:{port}", data_dir, log_path, process)
        try:
            problem = _wait_until_serving(app)
            if problem is None:
                yield app
                return
            port_taken = process.poll() is not None and "in use" in app.log()
        finally:
            _stop(process)
        if not port_taken or attempt == 2:
            pytest.fail(
                f"`{' '.join(command)}` {problem}.\nServer log ({log_path}):\n{_tail(log_path)}",
                pytrace=False,
            )


def _server_env(session_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a test's ``within serve``: the checkout's code, fresh data in
    ``session_dir/data``, none of the developer's Jupyter or IPython settings, no browser."""
    for folder in ("data", "jupyter-config", "ipython"):
        (session_dir / folder).mkdir(exist_ok=True)
    env = {
        **os.environ,
        "BROWSER": "true",
        "WITHIN_DATA_DIR": str(session_dir / "data"),
        "JUPYTER_CONFIG_DIR": str(session_dir / "jupyter-config"),
        "IPYTHONDIR": str(session_dir / "ipython"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    env.pop("WITHIN_DATABASE_URL", None)
    return env


def _wait_until_serving(app: ServedApp) -> str | None:
    """None once the home page has rendered with 200, else what went wrong."""
    home = f"{app.base_url}/voila/render/{HOME_NOTEBOOK}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    last = "no answer yet"
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            return f"exited with code {app.process.returncode} before serving {home}"
        try:
            with urllib.request.urlopen(home, timeout=10) as response:
                chunks = []
                # Voilà streams the page (with heartbeats while a cell runs): read it in
                # pieces so a cell that never ends cannot outlast the deadline.
                while chunk := response.read1(65536):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        return f"still rendering {home} after {SERVER_START_TIMEOUT_S} s"
                if response.status == 200:
                    # The warm-up render started a kernel nobody will connect to: stop it.
                    kernel = re.search(rb'"kernelId":\s*"([0-9a-f-]+)"', b"".join(chunks))
                    if kernel:
                        app.shutdown_kernel(kernel.group(1).decode())
                    return None
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            last = str(getattr(error, "reason", error))
        time.sleep(0.3)
    return f"did not serve {home} with 200 within {SERVER_START_TIMEOUT_S} s (last: {last})"


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
        if text.startswith(_CSP_MARK):
            self.note_url(text.removeprefix(_CSP_MARK), " (tried; refused by the page's CSP)")
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
        except Exception as error:  # a crashed or closed page must not hide the failure
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
        context.add_init_script(_CSP_LISTENER_JS)
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
        page.wait_for_function(_RENDERED_JS, timeout=timeout, polling=100)
    except Exception as error:
        raise AssertionError(
            f"{url} did not finish rendering within {timeout / 1000:.0f} s ({error}).\n"
            f"Server log:\n{_tail(served_app.log_path, 40)}"
        ) from None
    _OPENED_KERNELS.append((served_app, kernel_id(page)))
    errors = page.evaluate(_CELL_ERROR_JS)
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


class NotebookError(AssertionError):
    """A notebook cell raised while the notebook ran top to bottom."""


def execute_notebook(path: Path, data_dir: Path, timeout: int = 120) -> Any:
    """Run a notebook top to bottom as Voilà would, in ``notebooks/``; return the result.

    The kernel (python3) sees the checkout's ``widgets`` and ``WITHIN_DATA_DIR=data_dir``.
    Raises :class:`NotebookError` naming the failing cell and its error.
    """
    __tracebackhide__ = True
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=timeout,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    env = {
        **os.environ,
        "WITHIN_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("WITHIN_DATABASE_URL", None)
    try:
        client.execute(env=env)
    except CellExecutionError as error:
        failed = next(
            (
                index
                for index, cell in enumerate(notebook.cells)
                if any(out.get("output_type") == "error" for out in cell.get("outputs", []))
            ),
            None,
        )
        where = f"cell {failed + 1} of {len(notebook.cells)}" if failed is not None else "a cell"
        raise NotebookError(f"{path.name}: {where} failed:\n{_ANSI.sub('', str(error))}") from None
    return notebook


@pytest.fixture(name="open_app")
def open_app_fixture() -> Callable[..., Any]:
    """``open_app(page, served_app, notebook, lang="en", mode="self")``: open and wait."""
    return open_app


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture() -> Callable[[Any], None]:
    """``assert_accessible(page)``: axe-core, fails on serious or critical violations."""
    return assert_accessible


@pytest.fixture(name="execute_notebook")
def execute_notebook_fixture() -> Callable[..., Any]:
    """``execute_notebook(path, data_dir)``: run a notebook with nbclient, raise on errors."""
    return execute_notebook


@pytest.fixture(name="kernel_id")
def kernel_id_fixture() -> Callable[[Any], str]:
    """``kernel_id(page)``: the id of the kernel behind a rendered Voilà page."""
    return kernel_id

