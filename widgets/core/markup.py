"""Turning words into safe HTML: content as Markdown, anything a person typed as plain text.

Content files may use Markdown, but raw HTML in them is shown as text, and words a
participant typed are always escaped, because a projector is a shared screen.
"""

from __future__ import annotations

import functools
import html

from markdown_it import MarkdownIt


@functools.lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def markdown(source: str) -> str:
    """Content Markdown as HTML, with any raw HTML in it escaped."""
    return _markdown().render(source or "")


def plain(typed: str) -> str:
    """What a person typed, made safe to put inside HTML."""
    return html.escape(typed or "", quote=True)
