"""Accessible answer choices for questionnaire items: real radio groups, labelled.

ipywidgets' RadioButtons do not name their group or support a fieldset/legend, so a
screen reader cannot tell which question a choice belongs to. This small anywidget
draws native HTML radio inputs: each item is a fieldset named by its text, arrow keys
move the choice as browsers do natively, and every option has its own label.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets


class LikertGroup(anywidget.AnyWidget):
    """One or more questionnaire items, each a radio group of the same answer options.

    Attributes
    ----------
    items:
        ``[{"id": ..., "text": ..., "number": ...}]`` shown in order.
    options:
        ``[{"code": ..., "label": ...}]``, the answers every item offers.
    value:
        Item id -> chosen code, for the items answered so far (shown items and others).
    """

    _esm = Path(__file__).parent / "static" / "likert.js"
    _css = Path(__file__).parent / "static" / "likert.css"

    items = traitlets.List(traitlets.Dict(), help="Items to show: id, text, number").tag(sync=True)
    options = traitlets.List(traitlets.Dict(), help="Answer options: code, label").tag(sync=True)
    value = traitlets.Dict(help="Chosen code by item id").tag(sync=True)
    focus_first = traitlets.Int(0, help="Increase to move keyboard focus to the first item").tag(sync=True)

    def choose(self, item_id: str, code: int | None) -> None:
        """Set (or clear, with None) one answer, as a click would."""
        value: dict[str, Any] = dict(self.value)
        if code is None:
            value.pop(item_id, None)
        else:
            value[item_id] = code
        self.value = value
