"""Colours for what CSS cannot reach: charts drawn by matplotlib, SVG and printouts.

Every colour lives once, in the template's ``palette.css`` (CSS custom properties); this
module reads that file, so a chart, a printed card and the page always agree.
"""

from __future__ import annotations

import functools
import re

from widgets.core import paths

_ROOT_BLOCK = re.compile(r":root\s*\{(.*?)\}", re.DOTALL)
_COLOUR = re.compile(r"--within-([a-z-]+)\s*:\s*(#[0-9a-fA-F]{6})\s*;")


@functools.cache
def palette_css() -> str:
    """The whole palette file, for printouts and widgets shown outside the template."""
    return paths.palette_file().read_text(encoding="utf-8")


@functools.cache
def colours() -> dict[str, str]:
    """The page palette's colours by name (``"accent"`` for ``--within-accent``)."""
    block = _ROOT_BLOCK.search(palette_css())
    if block is None:
        raise ValueError(f"{paths.palette_file()} has no :root block of colours")
    return {name: value.lower() for name, value in _COLOUR.findall(block.group(1))}


def colour(name: str) -> str:
    """One colour of the palette as ``#rrggbb`` (``KeyError`` names a colour it lacks)."""
    return colours()[name]
