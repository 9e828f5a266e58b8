"""Where Within's shipped files live, in a source checkout and in an installed wheel.

A plain ``pip install .`` copies ``content/`` and ``notebooks/`` into the package
(``widgets/_content``, ``widgets/_notebooks``) and the Voilà template into
``share/jupyter``; an editable install or a checkout reads them in place.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SOURCE_ROOT = PACKAGE_DIR.parent
#: The start page, in the notebooks folder: the server sends ``/`` there, every app links back.
HOME_NOTEBOOK = "home.ipynb"
#: The start page's id where an app id is expected (``page("home")``, in-page links).
HOME_APP = "home"


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "Within's files were not found in any of: " + ", ".join(str(c) for c in candidates)
    )


def content_dir() -> Path:
    """The folder of content files (words, instruments, translations)."""
    return _first_existing(PACKAGE_DIR / "_content", SOURCE_ROOT / "content")


def notebooks_dir() -> Path:
    """The folder of guided apps served by Voilà."""
    return _first_existing(PACKAGE_DIR / "_notebooks", SOURCE_ROOT / "notebooks")


def template_static_dir() -> Path:
    """The ``within`` Voilà template's static folder (page styles, palette, fonts)."""
    return jupyter_data_dir() / "voila" / "templates" / "within" / "static"


def palette_file() -> Path:
    """``palette.css``: the one home of every colour (template, widgets, charts, printouts)."""
    return template_static_dir() / "palette.css"


def jupyter_data_dir() -> Path:
    """The ``share/jupyter`` folder holding the ``within`` Voilà template."""
    return _first_existing(SOURCE_ROOT / "share" / "jupyter", Path(sys.prefix) / "share" / "jupyter")
