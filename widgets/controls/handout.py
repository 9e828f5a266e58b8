"""Print and download buttons for a printable page, handled in the browser.

The page's HTML travels once to the browser, which prints or saves it itself: nothing
is written on the server, and the download never leaves the device.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from widgets.controls.styles import stylesheet

STATIC = Path(__file__).parent / "static"


class Handout(anywidget.AnyWidget):
    """Print and download buttons for a run-sheet handout."""

    _esm = STATIC / "handout.js"
    _css = stylesheet(STATIC / "run_sheet.css")
    html = traitlets.Unicode(help="The whole handout page").tag(sync=True)
    filename = traitlets.Unicode("run-sheet.html").tag(sync=True)
    words = traitlets.Dict().tag(sync=True)
