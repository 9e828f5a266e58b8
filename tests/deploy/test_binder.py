"""Binder: the environment built from ``binder/`` alone serves the home page through Voilà.

What repo2docker does, in a fresh virtual environment: ``pip install -r
binder/requirements.txt``, then ``binder/postBuild`` (installs Within with ``pip install .``
and the server config). Then ``jupyter server`` with the Voilà extension, as on Binder, and
the README badge's page: ``voila/render/notebooks/home.ipynb``. It must be Within's page:
200, the neutral title, Within's template and Content-Security-Policy.

Slow (a full install, about two minutes with a warm pip cache): marked ``slow``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support.processes import ROOT, descendants, free_server_port, stop, tail

from widgets.core.content import text
from widgets.server import voila_config

pytestmark = pytest.mark.slow

HOME = "voila/render/notebooks/home.ipynb"


def run(command: list[str], env: dict[str, str], cwd: Path, log: Path, timeout: int) -> None:
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(command)}\n".encode())
        out.flush()
        result = subprocess.run(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                timeout=timeout, check=False)
    if result.returncode:
        pytest.fail(f"`{' '.join(command)}` failed ({result.returncode}):\n{tail(log)}", pytrace=False)


def test_binder_environment_serves_the_home_page_in_voila(tmp_path: Path) -> None:
    venv, home, log = tmp_path / "venv", tmp_path / "home", tmp_path / "build.log"
    home.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "IPYTHON", "PYTHON", "VIRTUAL_ENV", "WITHIN_"))
    }
    env.update(HOME=str(home), PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    run([str(venv / "bin/pip"), "install", "--quiet", "-r", "binder/requirements.txt"],
        env, ROOT, log, 900)
    run(["bash", "binder/postBuild"], env, ROOT, log, 600)
    assert (home / ".jupyter/jupyter_server_config.py").is_file()

    token = secrets.token_hex(16)
    port = free_server_port()
    server_log = tmp_path / "server.log"
    workdir = tmp_path / "work"
    workdir.mkdir()
    with server_log.open("wb") as out:
        process = subprocess.Popen(
            [str(venv / "bin/jupyter"), "server", "--no-browser", f"--port={port}",
             "--ServerApp.port_retries=0", f"--ServerApp.root_dir={ROOT}",
             f"--IdentityProvider.token={token}", "--allow-root"],
            env=env, cwd=workdir, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/{HOME}?token={token}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    status, headers = response.status, response.headers
                    page = response.read().decode("utf-8", "replace")
                break
            except (urllib.error.URLError, ConnectionError) as error:
                if isinstance(error, urllib.error.HTTPError) or process.poll() is not None:
                    pytest.fail(f"{url}: {error}\n{tail(server_log)}", pytrace=False)
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter server did not answer:\n{tail(server_log)}", pytrace=False)
                time.sleep(0.5)
        kernels = [pid for pid in descendants(process.pid)]
    finally:
        stop(process)

    assert status == 200
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert title and title.group(1).strip() == text("en", "shell.site_title"), tail(server_log)
    assert "within.js" in page, "not the within template"
    assert headers["Content-Security-Policy"] == voila_config.content_security_policy()
    assert "There was an error when executing cell" not in page
    assert kernels, "the page started no kernel"
    # The installed package served it, not this checkout: Python in the environment, started
    # where Voilà starts the page's kernel (beside the notebook), finds Within installed.
    found = subprocess.run(
        [str(venv / "bin/python"), "-c", "import widgets; print(widgets.__file__)"],
        env=env, cwd=ROOT / "notebooks", capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(found).is_relative_to(venv), f"the kernel would import {found}"
    assert (venv / "share/jupyter/voila/templates/within").is_dir()
    shutil.rmtree(venv, ignore_errors=True)
