"""A browser-side clock for pages that follow state shared between kernels (rooms, presenting).

Within one kernel, callbacks are registered, never polled; what other kernels (or the join
listener) change lives in the store and is read at a modest interval. The interval runs in
the page, so a closed tab stops it and no kernel thread keeps running.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

STATIC = Path(__file__).parent / "static"


class Ticker(anywidget.AnyWidget):
    """Calls ``on_tick()`` every ``interval_ms`` while its page is open (hidden widget)."""

    _esm = STATIC / "ticker.js"
    interval_ms = traitlets.Int(1500, help="Milliseconds between ticks").tag(sync=True)
    running = traitlets.Bool(True, help="Tick while True").tag(sync=True)

    def __init__(self, on_tick: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_tick = on_tick
        self.on_msg(self._received)

    def _received(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("tick"):
            self._on_tick()
