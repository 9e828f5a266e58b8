"""A thought shown at a distance: on a card, as words on a screen, on leaves on a stream.

Used by the defusion exercise. Every animation is CSS running in the browser, so
nothing streams from the kernel; movement can be paused and stops for anyone whose
device asks for reduced motion. The words are also in the page as plain text for
screen readers, and the moving copy is hidden from them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from widgets.controls.styles import stylesheet

STATIC = Path(__file__).parent / "static"
MODES = ("card", "screen", "stream", "silly")


class ThoughtDisplay(anywidget.AnyWidget):
    """Show ``text`` in one of :data:`MODES`.

    Parameters
    ----------
    text:
        The words to show (set as text, never as HTML, in the browser).
    mode:
        ``"card"`` (still), ``"screen"`` (words appear one by one), ``"stream"``
        (on leaves drifting by) or ``"silly"`` (letters wobbling).
    pause_label, play_label:
        Words of the button that pauses and restarts the movement.
    """

    _esm = STATIC / "thought_display.js"
    _css = stylesheet(STATIC / "thought_display.css")

    text = traitlets.Unicode("", help="The thought, as plain text").tag(sync=True)
    mode = traitlets.Enum(MODES, default_value="card", help="How the thought is shown").tag(sync=True)
    pause_label = traitlets.Unicode("Pause the movement", help="Pause button words").tag(sync=True)
    play_label = traitlets.Unicode("Start the movement again", help="Restart button words").tag(sync=True)

    def __init__(self, text: str = "", mode: str = "card", **kwargs: Any) -> None:
        super().__init__(text=text, mode=mode, **kwargs)
