"""Arrow, page and space keys move a projected flow, as a presentation clicker sends them.

Key presses are caught in the browser and only a "next"/"back" message goes to the
kernel, so nothing streams over a shaky connection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

Direction = str  # "next" or "back"

STATIC = Path(__file__).parent / "static"


class KeyNav(anywidget.AnyWidget):
    """An invisible widget that turns page-level key presses into ``next``/``back`` calls.

    Keys typed into a text field, a radio group or a button are left alone.
    """

    _esm = STATIC / "key_nav.js"
    enabled = traitlets.Bool(True, help="Listen to keys while True").tag(sync=True)

    def __init__(self, on_key: Callable[[Direction], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_key = on_key
        self.on_msg(self._received)

    def _received(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("direction") in ("next", "back"):
            self._on_key(content["direction"])
