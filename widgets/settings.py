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


def data_dir() -> Path:
    """The folder holding Within's data, created on demand and readable by its owner only."""
    path = Path(os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir("within"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """The SQLAlchemy URL of the store: ``WITHIN_DATABASE_URL`` wins, else a SQLite file."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    return f"sqlite:///{data_dir() / 'within.sqlite3'}"
