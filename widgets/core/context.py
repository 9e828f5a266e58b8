"""What every page knows about its visit: language and mode, carried from page to page.

Language and mode travel in the page address (``?lang=th&mode=projector``): they say
nothing about the person. The participant's code never does, since addresses end up
in browser history; it is kept on the device by :class:`widgets.controls.device_memory.DeviceMemory`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode

from widgets.core import preheat
from widgets.core.content import App, library

Mode = Literal["self", "projector"]
MODES: tuple[Mode, ...] = ("self", "projector")


@dataclass(frozen=True)
class PageContext:
    """The language and mode of one page visit.

    Parameters
    ----------
    lang:
        A language code with a folder in ``content/`` (e.g. ``"en"``, ``"th"``).
    mode:
        ``"self"`` on a person's own device, ``"projector"`` on a facilitator's shared
        screen, where nothing personal is ever shown or asked for.
    """

    lang: str = "en"
    mode: Mode = "self"

    @classmethod
    def from_request(cls, query: str | None = None) -> PageContext:
        """Read the visit from Voilà's ``QUERY_STRING`` (or ``query``), with safe defaults.

        Unknown languages fall back to the server's default (``WITHIN_LANG``), then
        English; anything but ``mode=projector`` means self-guided.
        """
        params = parse_qs(request_query() if query is None else query)
        content = library()
        lang = _first(params, "lang")
        if lang not in content.languages():
            lang = content.language(os.environ.get("WITHIN_LANG"))
        mode: Mode = "projector" if _first(params, "mode") == "projector" else "self"
        return cls(lang=lang, mode=mode)

    @property
    def projector(self) -> bool:
        return self.mode == "projector"

    def t(self, key: str, **fields: Any) -> str:
        """The words for ``key`` in this page's language."""
        return library().text(self.lang, key, **fields)

    def query(self, **changes: str) -> str:
        """This visit as a query string, with ``changes`` applied (e.g. another language)."""
        values = {"lang": self.lang, "mode": self.mode, **changes}
        return urlencode(values)

    def app_url(self, app: App, **changes: str) -> str:
        """A relative link to ``app`` that keeps this visit's language and mode."""
        return f"{app.notebook}?{self.query(**changes)}"


def request_query() -> str:
    """This visit's query string (``lang=th&mode=projector``), as Voilà gives it to the kernel.

    A preheated kernel (Voilà's ``preheat_kernel``) runs its notebook before anyone asks for
    the page, so it first waits here for the request that claims it; elsewhere (JupyterLab,
    tests, a kernel started for its request) the query is already in the environment.
    """
    preheat.wait_for_visit()
    return os.environ.get("QUERY_STRING", "")


def request_param(name: str) -> str | None:
    """One parameter of this visit's address (``?room=K7Q2``), or None."""
    return _first(parse_qs(request_query()), name)


def _first(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None
