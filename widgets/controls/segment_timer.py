"""A countdown through a facilitator's timed segments, kept in the browser.

The clock runs in the page, not the kernel, so it keeps time on a slow connection and
costs the kernel nothing between segments; ``index`` is the one piece of shared state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from widgets.controls.styles import stylesheet

STATIC = Path(__file__).parent / "static"


class SegmentTimer(anywidget.AnyWidget):
    """A countdown through timed segments, in the browser; ``index`` is the segment shown."""

    _esm = STATIC / "segment_timer.js"
    _css = stylesheet(STATIC / "run_sheet.css")
    segments = traitlets.List(help="[{title, seconds}] in order").tag(sync=True)
    index = traitlets.Int(0, help="The segment on the clock").tag(sync=True)
    words = traitlets.Dict(help="The timer's words").tag(sync=True)

    @traitlets.validate("index")
    def _within(self, proposal: dict[str, Any]) -> int:
        return max(0, min(len(self.segments) - 1, int(proposal["value"]))) if self.segments else 0
