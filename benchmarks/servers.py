"""The servers a benchmark measures: Within's own, and a stock Voilà to compare it with.

:class:`Server` is Within's server (WithinVoila, Within's settings and preheated pages) whose
notebook folder holds every app plus the bare notebooks, with throwaway data.
:class:`StockVoila` is a plain ``voila benchmarks/bare.ipynb``: Voilà's defaults, its lab
template, no preheating, nothing of Within's; the yardstick the issue's targets are ratios to.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
# The participant surface, as ``within serve`` serves it, plus the bare notebooks to compare with
# (a surface serves only its own apps, so they are added to the notebooks it may render).
LAUNCHER = (
    "import sys\n"
    "from traitlets.config import Config\n"
    "from widgets.core import surfaces\n"
    "from widgets.server import app as server\n"
    "served = surfaces.served_notebooks\n"
    "bare = {'bare.ipynb', 'bare_charts.ipynb', 'bare-preheated.ipynb'}\n"
    "surfaces.served_notebooks = lambda surface: served(surface) | bare\n"
    "c = Config(); c.WithinVoila.root_dir = sys.argv[1]\n"
    "pages = (*server.PREHEATED_PAGES, 'bare-preheated.ipynb')\n"
    "server.make_app(port=int(sys.argv[2]), open_browser=False, config=c, preheated=pages).start()\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def isolated_env(folder: Path) -> dict[str, str]:
    """This process's environment without the developer's Jupyter, IPython or Within settings."""
    env = {
        **os.environ,
        "BROWSER": "true",
        "WITHIN_DATA_DIR": str(folder / "data"),
        "JUPYTER_CONFIG_DIR": str(folder / "jupyter"),
        "IPYTHONDIR": str(folder / "ipython"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("WITHIN_DATABASE_URL", None)
    return env


class _Served:
    """A server process on a free loopback port, its kernels, and how to stop it."""

    process: subprocess.Popen[bytes]
    folder: Path

    def kernel_process(self, kernel: str) -> psutil.Process | None:
        """The process of kernel ``kernel`` (its connection file ``kernel-<id>.json``)."""
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if kernel and kernel in " ".join(child.cmdline()):
                    return child
            except psutil.Error:
                pass
        return None

    def kernels(self) -> set[int]:
        found = set()
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if "ipykernel" in " ".join(child.cmdline()):
                    found.add(child.pid)
            except psutil.Error:
                pass
        return found

    def _wait_until_serving(self, url: str, log: Path) -> str:
        """Wait until ``url`` answers a whole page; the id of the kernel it started."""
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=300) as response:
                    page = response.read().decode("utf-8", "replace")
                return _kernel_in(page)
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    words = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
                    raise SystemExit(f"the server did not start; its last words ({log}):\n{words}") from None
                time.sleep(0.5)

    def stop(self) -> None:
        children = psutil.Process(self.process.pid).children(recursive=True)
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        for child in children:
            try:
                child.kill()
            except psutil.Error:
                pass


def _kernel_in(page: str) -> str:
    kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page)
    return kernel.group(1) if kernel else ""


class Server(_Served):
    """Within's server, as ``within serve`` runs it, over a copy of every app's notebook."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.notebooks = folder / "notebooks"
        self.notebooks.mkdir()
        for notebook in (ROOT / "notebooks").glob("*.ipynb"):
            shutil.copy(notebook, self.notebooks)
        for notebook in ("bare.ipynb", "bare_charts.ipynb"):
            shutil.copy(BENCH / notebook, self.notebooks)
        shutil.copy(BENCH / "bare.ipynb", self.notebooks / "bare-preheated.ipynb")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "server.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [PYTHON, "-c", LAUNCHER, str(self.notebooks), str(self.port)],
            env=isolated_env(folder), cwd=folder, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.shutdown(self._wait_until_serving(self.url("bare"), self.log_path))

    def path(self, app: str) -> str:
        """The page of ``app`` from the server's root, as a person's link has it."""
        return f"/voila/render/{app}.ipynb?lang=en&mode=self"

    def url(self, app: str) -> str:
        return self.base + self.path(app)

    def render(self, app: str) -> tuple[str, str]:
        """Load a page completely over HTTP and shut its kernel down; (page, kernel id)."""
        with urllib.request.urlopen(self.url(app), timeout=300) as response:
            page = response.read().decode("utf-8", "replace")
        return page, _kernel_in(page)

    def shutdown(self, kernel: str) -> None:
        request = urllib.request.Request(
            f"{self.base}/voila/api/shutdown/{kernel}", data=b"", method="POST",
            headers={"Cookie": "_xsrf=bench", "X-XSRFToken": "bench"},
        )
        try:
            urllib.request.urlopen(request, timeout=30).close()
        except OSError:
            pass

    def stop(self) -> None:
        super().stop()
        self.log.close()


class StockVoila(_Served):
    """``voila bare.ipynb``: a stock Voilà 0.5 with its defaults, serving one notebook at ``/``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "stock"
        self.folder.mkdir()
        shutil.copy(BENCH / "bare.ipynb", self.folder)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = self.folder / "voila.log"
        self.log = self.log_path.open("wb")
        voila = Path(PYTHON).with_name("voila")
        self.process = subprocess.Popen(
            [str(voila), "bare.ipynb", "--no-browser", f"--port={self.port}", "--Voila.ip=127.0.0.1"],
            env=isolated_env(self.folder), cwd=self.folder, stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        # That first page's kernel idles until the server stops: stock Voilà ends a kernel
        # only when its page's WebSocket closes. The benchmarks measure kernels by id.
        self._wait_until_serving(self.base + "/", self.log_path)

    def path(self, app: str = "bare") -> str:
        return "/"

    def stop(self) -> None:
        super().stop()
        self.log.close()


async def ask_kernel_info(ws: Any) -> None:
    """Send a ``kernel_info_request`` over a kernel's open WebSocket and wait for its reply.

    The smallest full round trip through the server to a kernel and back.
    """
    message_id = uuid.uuid4().hex
    await ws.write_message(json.dumps({
        "header": {"msg_id": message_id, "msg_type": "kernel_info_request", "username": "",
                   "session": uuid.uuid4().hex, "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell", "buffers": [],
    }))
    while True:
        reply = json.loads(await asyncio.wait_for(ws.read_message(), 60))
        if reply.get("parent_header", {}).get("msg_id") == message_id and reply["channel"] == "shell":
            return
