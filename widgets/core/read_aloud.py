"""Read-aloud: the words the page shell needs, and the markers widgets put on what can be heard.

Reading aloud happens in the browser, in one place: the page shell's
``static/read_aloud.js`` (``share/jupyter/voila/templates/within/``) puts a "Listen"
button on every element marked ``data-within-read`` and speaks its words with the
device's own voices only. Widgets mark what can be heard; they never speak themselves.

The markers (HTML attributes):

- ``data-within-read="step"`` or ``"item"``: something that can be heard; the button goes
  first inside it, named "Listen to this step" / "... question".
- ``data-within-read-text``: one piece to read, in order (a heading, a question, an answer
  option); without any, the whole element is read.
- ``data-within-read-more="ID"``: read the element with that id next, a block at a time
  (a step's body drawn by another widget).
"""

from __future__ import annotations

import html
import itertools

from widgets.core.content import DEFAULT_LANGUAGE, ContentLibrary, library

#: The marker attributes, named once for Python-drawn HTML (the JS files use the same names).
UNIT = "data-within-read"
TEXT = "data-within-read-text"
MORE = "data-within-read-more"

_ids = itertools.count(1)


def new_id(prefix: str = "within-read") -> str:
    """An element id unique within this kernel, for ``data-within-read-more``."""
    return f"{prefix}-{next(_ids)}"


def unit(kind: str, inner_html: str, *, more: str = "") -> str:
    """``inner_html`` wrapped as something that can be heard (``kind``: "step" or "item")."""
    extra = f' {MORE}="{html.escape(more, quote=True)}"' if more else ""
    return f'<div class="within-read-unit" {UNIT}="{html.escape(kind, quote=True)}"{extra}>{inner_html}</div>'


def shell_words(content: ContentLibrary | None = None) -> dict[str, dict[str, str]]:
    """The read-aloud words of every language (``content/<lang>/read_aloud.yaml``), by code."""
    content = content or library()
    keys = list(content.strings(DEFAULT_LANGUAGE, "read_aloud"))
    return {
        code: {key: content.text(code, f"read_aloud.{key}") for key in keys}
        for code in content.languages()
    }
