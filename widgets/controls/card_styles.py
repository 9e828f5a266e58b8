"""The look of the value, goal, mood, ladder and take-home cards, shipped with the widgets.

An invisible anywidget carries the palette and the cards' style sheet, so the cards look
the same in Voilà and in a plain JupyterLab notebook. Where the page lacks the Thai font
(JupyterLab on a machine without Thai fonts), the widget asks for it once and the kernel
sends Sarabun's shipped faces, so Thai never falls back to empty boxes.
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import Any

import anywidget

from widgets.controls.styles import stylesheet
from widgets.core import paths

STATIC = Path(__file__).parent / "static"
FONT_FACES = (  # (file, weight, unicode-range) as in the template's within.css
    ("sarabun-thai-400-normal.woff2", 400, "U+0E01-0E5B, U+200C-200D, U+25CC"),
    ("sarabun-latin-400-normal.woff2", 400, "U+0000-00FF, U+2000-206F"),
    ("sarabun-thai-700-normal.woff2", 700, "U+0E01-0E5B, U+200C-200D, U+25CC"),
    ("sarabun-latin-700-normal.woff2", 700, "U+0000-00FF, U+2000-206F"),
)


@functools.cache
def font_faces_css() -> str:
    """Sarabun's faces as ``@font-face`` rules with the fonts inline (for JupyterLab)."""
    rules = []
    for name, weight, unicode_range in FONT_FACES:
        data = base64.b64encode((paths.template_static_dir() / "fonts" / name).read_bytes()).decode()
        rules.append(
            f'@font-face {{ font-family: "Sarabun"; font-weight: {weight}; font-display: swap; '
            f'src: url(data:font/woff2;base64,{data}) format("woff2"); unicode-range: {unicode_range}; }}'
        )
    return "\n".join(rules)


class CardStyles(anywidget.AnyWidget):
    """An invisible widget that brings the palette, the cards' styles and, where missing,
    the Thai font to the page."""

    _esm = STATIC / "card_styles.js"
    _css = stylesheet(STATIC / "cards.css")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._received)

    def _received(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if content == {"need": "fonts"}:
            self.send({"fonts": font_faces_css()})
