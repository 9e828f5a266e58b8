"""Accessible answer choices for questionnaire items: real radio groups, labelled.

ipywidgets' RadioButtons do not name their group or support a fieldset/legend, so a
screen reader cannot tell which question a choice belongs to. This small anywidget
draws native HTML radio inputs: each item is a fieldset named by its text, arrow keys
move the choice as browsers do natively, and every option has its own label.

A choice reaches the kernel as a message (``{"choose": item id, "code": code}``), not as a
change of ``value``: ipywidgets holds back a model's state changes while its previous one is
still being handled, but sends other widgets' clicks at once, so on a slow link a "See my
results" pressed right after an answer could be scored without it. Messages keep their
order, so the kernel always has the answer before the click; it then sets ``value``, which
the page shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from widgets.controls.styles import stylesheet

STATIC = Path(__file__).parent / "static"


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

    _esm = STATIC / "likert.js"
    _css = stylesheet(STATIC / "likert.css")

    items = traitlets.List(traitlets.Dict(), help="Items to show: id, text, number").tag(sync=True)
    options = traitlets.List(traitlets.Dict(), help="Answer options: code, label").tag(sync=True)
    value = traitlets.Dict(help="Chosen code by item id").tag(sync=True)
    focus_first = traitlets.Int(0, help="Increase to move keyboard focus to the first item").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._received)

    def _received(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """A choice made on the page; anything that is not one of the offered answers is ignored."""
        if not isinstance(content, dict):
            return
        item_id, code = content.get("choose"), content.get("code")
        offered = {option.get("code") for option in self.options}
        if (
            isinstance(item_id, str)
            and any(item.get("id") == item_id for item in self.items)
            and type(code) is int  # not True, not 1.0
            and code in offered
        ):
            self.choose(item_id, code)
        self.send({"chosen": item_id if isinstance(item_id, str) else ""})

    def choose(self, item_id: str, code: int | None) -> None:
        """Set (or clear, with None) one answer, as a click would."""
        value: dict[str, Any] = dict(self.value)
        if code is None:
            value.pop(item_id, None)
        else:
            value[item_id] = code
        self.value = value
