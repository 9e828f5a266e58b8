"""Keeps the participant's code on their own device, never in an address or on a server.

The code is held in the browser tab's ``sessionStorage`` (so it follows the person
from page to page in this tab, and is gone when the tab closes or on quick exit) and,
only when the person chooses, in ``localStorage`` so they can resume another day
without retyping it. Each Voilà page has its own kernel, so the browser is the one
place that can carry the code between pages without putting it in the URL.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

STORAGE_KEY = "within.code"

STATIC = Path(__file__).parent / "static"


class DeviceMemory(anywidget.AnyWidget):
    """An invisible widget that mirrors the code stored in this browser.

    Attributes
    ----------
    code:
        The participant code found on, or written to, this device ("" for none).
    remember:
        Whether the code is kept after the tab closes (``localStorage``).
    loaded:
        Becomes True once the browser has reported what it holds; before that,
        ``code`` says nothing about the device.
    """

    _esm = STATIC / "device_memory.js"

    code = traitlets.Unicode("", help="Participant code held by this browser").tag(sync=True)
    remember = traitlets.Bool(False, help="Keep the code after the tab closes").tag(sync=True)
    loaded = traitlets.Bool(False, help="The browser has reported its stored code").tag(sync=True)
    storage_key = traitlets.Unicode(STORAGE_KEY).tag(sync=True)

    def forget(self) -> None:
        """Remove the code from this device (both storages)."""
        self.remember = False
        self.code = ""
