"""Where phones join a group room: the listener file shared by the server and the pages.

The join listener (:mod:`widgets.server.room_listener`) runs in another process; it writes
its address here so the facilitator's room page can show it, and removes the file when
it stops. A file left behind by a listener that died is ignored (its process is gone).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from widgets.core import settings

LISTENER_FILE = "rooms-listener.json"


def _listener_path() -> Path:
    return settings.data_dir() / LISTENER_FILE


def record_listener(url: str) -> None:
    """Tell facilitator pages (other processes) where phones join."""
    _listener_path().write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")


def forget_listener() -> None:
    path = _listener_path()
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def listener_url() -> str | None:
    """Where phones join, if a join listener is running for this data folder."""
    try:
        data = json.loads(_listener_path().read_text(encoding="utf-8"))
        os.kill(int(data["pid"]), 0)
        return str(data["url"])
    except (OSError, ValueError, KeyError, TypeError, ProcessLookupError):
        return None
