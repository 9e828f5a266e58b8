"""A labelled rating on a native range input (e.g. "How much do you believe it?" 0-10).

Native ``<input type="range">`` works with touch, arrow keys and screen readers; the
value is also said in words through ``aria-valuetext`` ("7 out of 10").

A moved rating reaches the kernel as a message (``{"set": value}``), in order with clicks,
not as a change of ``value``, which ipywidgets may hold back while an earlier one is in
flight: "Save" pressed right after moving it must save what the person sees (the same
reason as in :mod:`widgets.controls.likert`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from widgets.controls.styles import stylesheet

STATIC = Path(__file__).parent / "static"


class RangeInput(anywidget.AnyWidget):
    """A whole-number rating between ``min`` and ``max`` with words at both ends.

    Parameters
    ----------
    label:
        The question, always visible and tied to the control.
    value, min, max, step:
        The current value and its range.
    low_label, high_label:
        Words under the two ends ("Not at all", "Completely").
    value_text:
        How a value is said aloud; ``{value}`` is filled in ("{value} out of 10").

    Attributes
    ----------
    touched:
        True once the person has moved the control themselves.
    """

    _esm = STATIC / "range_input.js"
    _css = stylesheet(STATIC / "controls.css")

    label = traitlets.Unicode("", help="The question the rating answers").tag(sync=True)
    value = traitlets.Int(0, help="The chosen value").tag(sync=True)
    min = traitlets.Int(0, help="Lowest value").tag(sync=True)
    max = traitlets.Int(10, help="Highest value").tag(sync=True)
    step = traitlets.Int(1, help="Distance between values").tag(sync=True)
    low_label = traitlets.Unicode("", help="Words under the lowest end").tag(sync=True)
    high_label = traitlets.Unicode("", help="Words under the highest end").tag(sync=True)
    value_text = traitlets.Unicode("{value}", help="Spoken form of a value; {value} is filled in").tag(sync=True)
    touched = traitlets.Bool(False, help="The person moved the control").tag(sync=True)
    disabled = traitlets.Bool(False, help="Shown but not changeable").tag(sync=True)

    def __init__(self, label: str = "", value: int = 0, **kwargs: Any) -> None:
        super().__init__(label=label, value=value, **kwargs)
        self.on_msg(self._received)

    def _received(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """A value set on the page: a whole number (kept within range), unless disabled."""
        if not isinstance(content, dict):
            return
        value = content.get("set")
        if type(value) is int and not self.disabled:  # not True, not 7.5
            self.value = value
            self.touched = True
        self.send({"confirmed": True})

    @traitlets.validate("value")
    def _within_range(self, proposal: dict[str, Any]) -> int:
        return max(self.min, min(self.max, int(proposal["value"])))
