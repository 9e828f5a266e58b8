"""Where Within keeps its data, read from the environment each time it is asked.

Data stays on the person's own device by default: a private folder in the user's data
directory. ``WITHIN_DATA_DIR`` moves that folder (a USB stick, a test's temporary folder);
``WITHIN_DATABASE_URL`` points at another database altogether (a facilitator's server).
The environment is read at call time, not import time, so tests and launchers can change it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "WITHIN_DATA_DIR"
DATABASE_URL_ENV = "WITHIN_DATABASE_URL"
BUSY_TIMEOUT_ENV = "WITHIN_BUSY_TIMEOUT_MS"
RETENTION_ENV = "WITHIN_RETENTION_DAYS"
PUBLIC_DEMO_ENV = "WITHIN_PUBLIC_DEMO"
DEPLOYMENT_ENV = "WITHIN_DEPLOYMENT"
#: Where answers are kept, which chooses the words that say so (``content/<lang>/privacy.yaml``):
#: this device (one computer, ``within serve``), a centre's computer that phones reach
#: (``within serve --rooms-lan``), a server others reach (JupyterHub), or a public demo (Binder).
DEPLOYMENTS = ("device", "centre", "public", "demo")
#: Set inside every mybinder.org container: a public demo, never a place for real answers.
BINDER_ENVS = ("BINDER_SERVICE_HOST", "BINDER_LAUNCH_HOST")
DEFAULT_BUSY_TIMEOUT_MS = 30_000


def data_dir() -> Path:
    """The folder holding Within's data, created on demand and readable by its owner only
    (0700, tightened each time if it was made some other way)."""
    from widgets.core.private_files import private_folder

    path = Path(os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir("within"))
    private_folder(path)
    return path


def database_url() -> str:
    """The SQLAlchemy URL of the store: ``WITHIN_DATABASE_URL`` wins, else a SQLite file."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    return f"sqlite:///{data_dir() / 'within.sqlite3'}"


def env_int(name: str, default: int | None, *, minimum: int = 0) -> int | None:
    """A whole number of at least ``minimum`` from the environment variable ``name``.

    The one parser for Within's numeric settings: unset, blank, not a whole number or
    below ``minimum`` all mean ``default``, so a typo never switches a safeguard off.
    """
    raw = (os.environ.get(name) or "").strip()
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value >= minimum else default


def busy_timeout_ms(default: int = DEFAULT_BUSY_TIMEOUT_MS) -> int:
    """How long a writer waits for another one before the store says "busy".

    ``WITHIN_BUSY_TIMEOUT_MS``; else ``default`` (30 s, long enough for a room of writers).
    """
    return env_int(BUSY_TIMEOUT_ENV, default, minimum=1) or default


def retention_days() -> int | None:
    """After how many days without activity a participant's rows are purged (None: never).

    ``WITHIN_RETENTION_DAYS``; off by default, since deleting is a centre's decision.
    """
    return env_int(RETENTION_ENV, None, minimum=1)


def public_demo() -> bool:
    """Whether this is a public demo (Binder, or ``WITHIN_PUBLIC_DEMO=1``): no real answers."""
    if os.environ.get(PUBLIC_DEMO_ENV, "").strip().lower() in ("1", "true", "yes"):
        return True
    return any(os.environ.get(name) for name in BINDER_ENVS)


def deployment() -> str:
    """Where answers are kept: ``WITHIN_DEPLOYMENT`` (device, centre, public or demo).

    Each way of serving sets it (``within serve``, the hub config, Binder), and anyone can
    override it. Unset or unknown: "demo" on a public demo, else "device".
    """
    value = (os.environ.get(DEPLOYMENT_ENV) or "").strip().lower()
    if value in DEPLOYMENTS:
        return value
    return "demo" if public_demo() else "device"
