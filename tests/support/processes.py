"""The served Within of the tests: starting ``within serve``, waiting for it, stopping it
with every kernel it started. Used by the browser, deploy and fault tests."""

from __future__ import annotations

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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # test the checkout's ``widgets``, installed or not
NOTEBOOKS_DIR = ROOT / "notebooks"
ARTIFACTS_DIR = ROOT / "tests" / "artifacts"
AXE_PATH = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"

from widgets.core.paths import HOME_NOTEBOOK

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
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}

# The served pages have a Content-Security-Policy, so the browser refuses an outside
# request before Playwright sees it. An attempt is still a bug (a font or script that
# never arrives): report every refused URL through the console.
CSP_MARK = "[within-tests] refused by CSP: "
CSP_LISTENER_JS = (
    "document.addEventListener('securitypolicyviolation', e => console.warn("
    f"{json.dumps(CSP_MARK)} + e.blockedURI), true);"
)

# Voilà 0.5.13 (templates/lab + base/voila_setup.macro.html.j2): the page streams one
# <script type="application/vnd.voila.cell-output+json"> per output while cells run; at
# the end ``voila_finish()`` removes the #loading spinner and shows #rendered_cells (once
# the theme has loaded). The front end then swaps each script for a renderer; a widget
# renderer reads "Loading widget..." until its view is attached.
RENDERED_JS = (ROOT / "tests/js/voila-rendered.js").read_text(encoding="utf-8")

# What Voilà shows instead of a cell's output when the cell raised.
CELL_ERROR_JS = """() => [...new Set(
  [...document.querySelectorAll('#rendered_cells [data-mime-type$="jupyter.stderr"]')]
    .map(n => n.textContent.trim())
    .filter(t => /There was an error when executing cell|Traceback/.test(t))
)]"""
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


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
    token:
        The staff surface's login token (``within serve --staff``); empty on the participant one.
    """

    base_url: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    token: str = field(default="", repr=False)

    def url(self, notebook: str, lang: str = "en", mode: str = "self") -> str:
        """The address of an app: ``/voila/render/<notebook>?lang=..&mode=..`` (with the
        staff login token, which signs the page's browser in)."""
        if not notebook.endswith(".ipynb"):
            notebook += ".ipynb"
        query = {"lang": lang, "mode": mode, **({"token": self.token} if self.token else {})}
        return f"{self.base_url}/voila/render/{notebook}?{urlencode(query)}"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"} if self.token else {}

    def log(self) -> str:
        """Everything the server has written so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kernel_exists(self, kernel_id: str) -> bool:
        """Whether the server still runs this kernel (``GET /api/kernels/<id>``: 200 or 404)."""
        try:
            request = urllib.request.Request(
                f"{self.base_url}/api/kernels/{kernel_id}", headers=self._headers()
            )
            with urllib.request.urlopen(request, timeout=10):
                return True
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            raise

    def kernel_pids(self) -> set[int]:
        """The server's running kernel processes, preheated ones included: what uses memory."""
        pids = set()
        for pid in descendants(self.process.pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"ipykernel" in cmdline:
                pids.add(pid)
        return pids

    def settled_kernel_pids(self, quiet: float = 2.0, timeout: float = 45) -> set[int]:
        """The kernel processes once they have stopped changing for ``quiet`` seconds: the
        preheated pages' pools refill in the background after each visit and at start-up."""
        deadline = time.monotonic() + timeout
        seen, since = self.kernel_pids(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.kernel_pids()
            if now != seen:
                seen, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return seen

    def wait_until_idle(self, kernel_id: str, timeout: float = 20) -> None:
        """Wait until the kernel has finished what it was doing (``execution_state`` idle).

        A click's reply reaches the page before the kernel has saved what the click changed;
        a culler only ends idle kernels, so tests that end one "as the culler would" wait.
        """
        deadline = time.monotonic() + timeout
        state = "unknown"
        while time.monotonic() < deadline:
            request = urllib.request.Request(
                f"{self.base_url}/api/kernels/{kernel_id}", headers=self._headers()
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                state = json.load(response).get("execution_state", "unknown")
            if state == "idle":
                return
            time.sleep(0.1)
        raise AssertionError(f"kernel {kernel_id} still {state} after {timeout} s")

    def shutdown_kernel(self, kernel_id: str) -> None:
        """Stop a kernel (``POST /voila/api/shutdown/<id>``); a kernel already gone is fine.

        This client never loaded a page (which sets the ``_xsrf`` cookie), so the request
        brings its own matching cookie and header (Tornado's double-submit check).
        """
        request = urllib.request.Request(
            f"{self.base_url}/voila/api/shutdown/{kernel_id}",
            data=b"",
            method="POST",
            headers={
                "Cookie": "_xsrf=within-tests",
                "X-XSRFToken": "within-tests",
                **self._headers(),
            },
        )
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except (urllib.error.URLError, OSError):
            pass  # already gone, or the server is stopping


def free_server_port() -> int:
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


def serve_command(port: int, *extra: str) -> list[str]:
    """``within serve --port N``: the venv's console script, else its entry point in-process."""
    script = Path(sys.executable).with_name("within")
    args = ["serve", "--port", str(port), *extra]
    if script.exists():
        return [str(script), *args]
    launcher = "import sys; from widgets.cli import main; sys.argv[0] = 'within'; sys.exit(main())"
    return [sys.executable, "-c", launcher, *args]


def spawn_server(
    port: int, log_path: Path, data_dir: Path, env: dict[str, str], *extra: str
) -> ServedApp:
    """Start ``within serve --port N *extra`` in a session of its own, its output in
    ``log_path``; returns at once (wait with :func:`wait_until_serving`, end with :func:`stop`)."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            serve_command(port, *extra),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return ServedApp(f"http://127.0.0.1:{port}", data_dir, log_path, process)


def descendants(pid: int) -> list[int]:
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


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server: SIGTERM (it shuts its kernels down), then SIGKILL what is left."""
    if process.poll() is None:
        started = descendants(process.pid)
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


def tail(path: Path, lines: int = 80) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log was written)"
    return "\n".join(text.splitlines()[-lines:]) or "(the log is empty)"


def server_env(session_dir: Path, **extra: str) -> dict[str, str]:
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


def read_login_token(app: ServedApp) -> str | None:
    """Set ``app.token`` from the login link the staff server prints; None, else the problem."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline and app.process.poll() is None:
        found = re.search(r"/login\?\S*token=([A-Za-z0-9_-]+)", app.log())
        if found:
            app.token = found.group(1)
            return None
        time.sleep(0.2)
    return "printed no login link"


def wait_until_serving(app: ServedApp) -> str | None:
    """None once the home page has rendered with 200, else what went wrong."""
    home = f"{app.base_url}/voila/render/{HOME_NOTEBOOK}" + (f"?token={app.token}" if app.token else "")
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


