"""A button that opens the page's own "Get help now" dialog, from inside an exercise.

Every Within page has a "Get help now" button in its header (``#within-get-help``);
exercises that touch painful material offer the same help where the person is. Where
there is no such header (JupyterLab), the button hides itself.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from widgets.controls.styles import stylesheet

STATIC = Path(__file__).parent / "static"


class HelpButton(anywidget.AnyWidget):
    """Opens ``#within-get-help`` when clicked.

    Parameters
    ----------
    label:
        The button's words (from content, e.g. ``check_in.help_button``).
    """

    _esm = STATIC / "help_button.js"
    _css = stylesheet(STATIC / "controls.css")

    label = traitlets.Unicode("", help="The button's words").tag(sync=True)
