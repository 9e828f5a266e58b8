"""The one printable page: palette and ``static/print.css`` around a body of safe HTML.

The take-home card, the run-sheet handout and the ``within print`` PDFs all stand on their
own (a downloaded file, a page given to Chromium), outside the template that brings the
palette, so each page carries the palette's custom properties, then the print sheet.
"""

from __future__ import annotations

import functools
from pathlib import Path

from widgets.core.markup import plain
from widgets.core.palette import palette_css

STATIC = Path(__file__).parent / "static"
PRINT_CSS_PATH = STATIC / "print.css"


@functools.cache
def print_css() -> str:
    """The palette, then the print style sheet shared by every printed page."""
    return palette_css() + PRINT_CSS_PATH.read_text(encoding="utf-8")


def page(lang: str, title: str, body: str, *, head: str = "") -> str:
    """A whole printable HTML page around ``body`` (already safe HTML) with the print styles.

    ``head`` is extra markup for ``<head>`` (the PDF renderer's embedded fonts).
    """
    return (
        f'<!doctype html><html lang="{plain(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{plain(title)}</title>{head}<style>{print_css()}</style></head>"
        f'<body class="within-print">{body}</body></html>'
    )
