"""Let closed anywidgets go: anywidget's file watchers otherwise keep every one alive.

A control whose ``_esm`` or ``_css`` is a file (``STATIC / "x.js"``) gets, from anywidget, a
class-wide ``FileContents`` whose ``changed`` signal holds one callback per instance, for
hot reloading while developing (``ANYWIDGET_HMR=1``). Outside development nothing ever
emits it, but the callbacks keep each instance, and everything it refers to, in memory
after it is closed. A page that swaps apps in place (widgets/apps/shell.py) would grow with
every app visited; :func:`release_file_watchers` drops those callbacks.
"""

from __future__ import annotations

import os

import anywidget

HOT_RELOAD_ENV = "ANYWIDGET_HMR"


def release_file_watchers() -> int:
    """Disconnect every control's file-change callbacks, unless hot reloading is on.

    Returns how many signals were cleared (0 while developing with ``ANYWIDGET_HMR=1``).
    """
    if os.environ.get(HOT_RELOAD_ENV) == "1":
        return 0
    cleared = 0
    pending = [anywidget.AnyWidget]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        for key in ("_esm", "_css"):
            changed = getattr(cls.__dict__.get(key), "changed", None)  # a FileContents' signal
            if changed is not None and len(changed):
                changed.disconnect()
                cleared += 1
    return cleared
