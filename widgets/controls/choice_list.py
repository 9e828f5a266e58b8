"""An accessible group of choices (check boxes or radio buttons) with a visible legend.

ipywidgets' own radio buttons are not announced as a group; this one is a native
``<fieldset>`` with a ``<legend>``, so a screen reader says what the choices are about,
and every row is a 44 px touch target.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from widgets.controls.styles import stylesheet

STATIC = Path(__file__).parent / "static"


class ChoiceList(anywidget.AnyWidget):
    """Choose one (``multiple=False``) or several (``multiple=True``) options.

    Parameters
    ----------
    legend:
        What the choices are about, shown above them and announced with the group.
    options:
        Option ids to their words, in display order, e.g. ``{"family": "My family"}``.
    multiple:
        Check boxes when True, radio buttons when False.
    hint:
        Optional words under the legend ("Choose as many as fit").

    Attributes
    ----------
    value:
        The ids of the chosen options (at most one when ``multiple`` is False).
    """

    _esm = STATIC / "choice_list.js"
    _css = stylesheet(STATIC / "controls.css")

    legend = traitlets.Unicode("", help="What the group of choices is about").tag(sync=True)
    hint = traitlets.Unicode("", help="Optional words under the legend").tag(sync=True)
    options = traitlets.List(
        traitlets.Dict(), help="The options: [{'id': ..., 'label': ...}], in order"
    ).tag(sync=True)
    value = traitlets.List(traitlets.Unicode(), help="Ids of the chosen options").tag(sync=True)
    multiple = traitlets.Bool(True, help="Check boxes (True) or radio buttons (False)").tag(sync=True)
    disabled = traitlets.Bool(False, help="Shown but not changeable").tag(sync=True)

    def __init__(
        self,
        legend: str = "",
        options: Mapping[str, str] | None = None,
        *,
        multiple: bool = True,
        hint: str = "",
        **kwargs: Any,
    ) -> None:
        listed = [{"id": str(key), "label": str(label)} for key, label in (options or {}).items()]
        super().__init__(legend=legend, options=listed, multiple=multiple, hint=hint, **kwargs)

    @traitlets.validate("value")
    def _known_ids(self, proposal: dict[str, Any]) -> list[str]:
        known = [option["id"] for option in self.options]
        chosen = [item for item in proposal["value"] if item in known]
        chosen = list(dict.fromkeys(chosen))
        return chosen if self.multiple else chosen[-1:]

    @property
    def labels(self) -> list[str]:
        """The words of the chosen options, in display order."""
        chosen = set(self.value)
        return [option["label"] for option in self.options if option["id"] in chosen]
