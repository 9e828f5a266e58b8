"""What a plain ``pip install`` gets: the built wheel carries every file the apps need.

The layered package keeps front-end files beside their widgets; a file that is not in the
wheel works in a checkout and breaks on a centre's machine, so the wheel is listed here.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.processes import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
         "--wheel-dir", str(out), str(ROOT)],
        check=True, timeout=600,
    )
    (wheel,) = out.glob("within-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _sources(folder: str, pattern: str) -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob(pattern) if "__pycache__" not in p.parts)


def test_every_widget_front_end_file_font_and_migration_is_in_the_wheel(wheel_names: set[str]) -> None:
    shipped = [*_sources("widgets", "*.js"), *_sources("widgets", "*.css"), *_sources("widgets", "*.ttf"),
               *_sources("widgets/store/migrations", "*.py"), "widgets/store/migrations/script.py.mako"]
    assert len(shipped) > 30
    assert [name for name in shipped if name not in wheel_names] == []


def test_content_notebooks_and_the_template_are_in_the_wheel(wheel_names: set[str]) -> None:
    content = [f"widgets/_content/{Path(p).relative_to('content').as_posix()}" for p in _sources("content", "*.yaml")]
    notebooks = [f"widgets/_notebooks/{Path(p).name}" for p in _sources("notebooks", "*.ipynb")]
    template = [
        "within-0.1.0.data/data/share/jupyter/voila/templates/within/" + Path(p).relative_to(
            "share/jupyter/voila/templates/within").as_posix()
        for p in _sources("share/jupyter/voila/templates/within", "*") if (ROOT / p).is_file()
    ]
    assert any(name.endswith("palette.css") for name in template)
    assert any(name.endswith("sarabun-thai-400-normal.woff2") for name in template)
    missing = [name for name in [*content, *notebooks, *template] if name not in wheel_names]
    assert missing == []
