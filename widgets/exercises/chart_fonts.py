"""Charts that draw Thai and English correctly, and never read typed text as maths.

Imported only by the modules that draw (matplotlib is heavy; the first screen of an app
must stay light). The Sarabun TTFs shipped in ``widgets/exercises/fonts/`` (SIL Open Font
License 1.1, see ``fonts/OFL.txt``) are registered with matplotlib's font manager, so
Thai never falls back to empty boxes on a machine without Thai fonts; matplotlib 3.11
shapes Thai (marks above and below the line) with libraqm.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES: tuple[str, ...] = ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf")
FONT_FAMILY = "Sarabun"


@functools.lru_cache(maxsize=1)
def register_fonts() -> str:
    """Add the shipped fonts to matplotlib (once per process); returns the family name."""
    from matplotlib import font_manager

    for name in FONT_FILES:
        font_manager.fontManager.addfont(str(FONT_DIR / name))
    return FONT_FAMILY


@functools.lru_cache(maxsize=1)
def _drawable_code_points() -> frozenset[int]:
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    points: set[int] = set()
    files = [FONT_DIR / name for name in FONT_FILES]
    files.append(Path(font_manager.findfont("DejaVu Sans", fallback_to_default=True)))
    for path in files:
        font = TTFont(path, lazy=True)
        points.update(font.getBestCmap())
        font.close()
    return frozenset(points)


def drawable(typed: str) -> str:
    """``typed`` without the characters the chart fonts cannot draw (e.g. colour emoji).

    A picture must never show empty boxes; the HTML page keeps every character, since
    browsers bring their own emoji fonts.
    """
    points = _drawable_code_points()
    return "".join(ch for ch in typed if ord(ch) in points or ch in "\n\t")


def chart_rc(lang: str) -> dict[str, Any]:
    """Settings for one drawing: the shipped font, no TeX, no mathtext, the text's language."""
    return {
        "font.family": [register_fonts(), "DejaVu Sans"],
        "font.size": 11,
        "text.usetex": False,
        "text.parse_math": False,
        "axes.formatter.use_mathtext": False,
        "text.language": lang,
        "svg.fonttype": "path",
        "axes.unicode_minus": False,
    }


def new_figure(lang: str, **kwargs: Any) -> Any:
    """A matplotlib Figure on the Agg canvas (no pyplot, no global state), using :func:`chart_rc`."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(chart_rc(lang)):
        figure = Figure(**kwargs)
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure: Any, lang: str, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, drawn with :func:`chart_rc` in force."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(chart_rc(lang)):
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
