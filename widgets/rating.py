"""A labelled number scale (0 to 10 by default) built on the browser's own range input.

ipywidgets' sliders have no accessible name for screen readers; a native
``<input type="range">`` with a ``<label>`` works with keyboards, touch and screen
readers alike, and says both ends of the scale in words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

_CSS = """
.within-rating { display: flex; flex-direction: column; gap: 2px; width: 100%; margin: 8px 0; }
.within-rating__label { font-weight: 700; line-height: 1.5; }
.within-rating input[type=range] { width: 100%; min-height: 44px; margin: 0;
  accent-color: var(--within-accent, #23595a); }
.within-rating__value { font-variant-numeric: tabular-nums; }
.within-rating__ends { display: flex; justify-content: space-between; gap: 12px;
  color: var(--within-muted, #574d45); font-size: 0.9em; line-height: 1.5; }
.within-rating__ends span:last-child { text-align: right; }
"""


class Rating(anywidget.AnyWidget):
    """One question answered on a number scale, such as "My mood today", 0 to 10.

    Parameters
    ----------
    label:
        The question, shown above the scale and read by screen readers.
    low_words, high_words:
        What the two ends mean ("very low", "very good").
    value_words:
        How a value is said, with ``{value}`` filled in ("{value} out of 10").
    value, low, high:
        The answer and the ends of the scale; values outside are brought inside.
    """

    _esm = Path(__file__).parent / "static" / "rating.js"
    _css = _CSS

    label = traitlets.Unicode("", help="The question the scale answers").tag(sync=True)
    low_words = traitlets.Unicode("", help="What the lowest value means").tag(sync=True)
    high_words = traitlets.Unicode("", help="What the highest value means").tag(sync=True)
    value_words = traitlets.Unicode(
        "{value}", help="How a value is said; {value} is filled in"
    ).tag(sync=True)
    low = traitlets.Int(0, help="Lowest value").tag(sync=True)
    high = traitlets.Int(10, help="Highest value").tag(sync=True)
    value = traitlets.Int(5, help="The chosen value").tag(sync=True)
    disabled = traitlets.Bool(False, help="Shown but not changeable").tag(sync=True)

    @traitlets.validate("value")
    def _inside(self, proposal: dict[str, Any]) -> int:
        return max(self.low, min(self.high, int(proposal["value"])))
