"""How a widget's style sheet reaches the page: with the palette where the page lacks it.

In Voilà, Within's template already brings ``palette.css`` (colours) and the Sarabun
font, so a widget sends only its own rules. In JupyterLab nothing does, so each style
sheet is sent with the palette in front and the page looks the same as in Voilà.
"""

from __future__ import annotations

import os
from pathlib import Path

from widgets.core.palette import palette_css

#: Set in every kernel Voilà starts (preheated or not): the page is Within's template.
VOILA_KERNEL_ENV = "VOILA_BASE_URL"


def palette_on_page() -> bool:
    """Whether the page around this kernel's widgets already has Within's palette and font."""
    return VOILA_KERNEL_ENV in os.environ


def stylesheet(path: Path) -> str:
    """The CSS of ``path``, with the palette in front when the page does not bring it."""
    css = path.read_text(encoding="utf-8")
    return css if palette_on_page() else palette_css() + css
