"""Offline install: ``scripts/wheelhouse`` builds a folder a centre installs from with no
internet (``pip install --no-index --find-links``), in a fresh venv. Marked ``slow``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support.processes import ROOT

pytestmark = pytest.mark.slow


def test_wheelhouse_installs_without_internet(tmp_path: Path) -> None:
    wheelhouse = tmp_path / "usb-stick"
    build = subprocess.run(
        ["bash", "scripts/wheelhouse", str(wheelhouse)], cwd=ROOT, capture_output=True, text=True,
        timeout=900, check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = sorted(p.name for p in wheelhouse.glob("*.whl"))
    assert any(name.startswith("within-") for name in wheels)
    assert not list(wheelhouse.glob("*.tar.gz")), "every package must be a wheel (no build offline)"

    # The centre's machine: no pip configuration, no index, and no way out to the network.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(
        PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1",
        http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
    )
    venv = tmp_path / "centre" / "within-venv"
    install = subprocess.run(
        ["bash", str(wheelhouse / "install.sh"), str(venv)], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    version = subprocess.run(
        [str(venv / "bin/within"), "--version"], env=env, cwd=tmp_path, capture_output=True,
        text=True, timeout=120, check=False,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip().startswith("within ")
    # Installed (not this checkout): the template and the notebooks came with the wheel.
    check = subprocess.run(
        [str(venv / "bin/python"), "-c", (
            "from widgets.core import paths; import voila, ipywidgets;"
            "print(paths.notebooks_dir()); print(paths.jupyter_data_dir())"
        )],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert check.returncode == 0, check.stderr
    assert all(str(venv) in line for line in check.stdout.splitlines()), check.stdout
