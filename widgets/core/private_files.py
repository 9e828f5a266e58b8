"""Owner-only modes for the data folder, the SQLite file, its side files and backups.

The database holds everyone's answers, so its folder is 0700 and the file, its ``-wal`` and
``-shm`` side files and every backup 0600. Modes are tightened on every start, not only
when Within creates a file: a folder made by hand, a file copied in, or one made by an older
Within is brought into line (:func:`widgets.core.settings.data_dir`, the store's engine, ``within
serve`` and ``within restore`` call these). Some file systems (a FAT-formatted USB stick, some network
shares) keep no modes at all; there a chmod is silently ignored or refused, so each mode is
read back and, where it did not stick, a plain warning says so instead of a false promise.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")

log = logging.getLogger("within")


def cannot_protect(path: Path, mode: int, detail: str) -> str:
    """The warning for a file system that will not keep ``mode`` on ``path`` (for staff)."""
    return (
        f"Within could not make {path} private (mode {mode:o}): {detail}. This file system "
        "(for example a FAT-formatted USB stick or a network share) does not keep owner-only "
        "permissions, so anyone who can open this drive can read the answers in it. Keep "
        "Within's data on a drive that does, ideally an encrypted one."
    )


def tighten(path: Path, mode: int) -> str | None:
    """Set ``path`` to ``mode`` if it exists; the warning when that did not work, else None."""
    try:
        os.chmod(path, mode)
        found = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return None
    except OSError as error:
        return cannot_protect(path, mode, error.strerror or str(error))
    if found & ~mode:
        return cannot_protect(path, mode, f"it stayed {found:o}")
    return None


def private_folder(path: Path) -> list[str]:
    """Create ``path`` (0700) if needed and tighten it; the warnings, logged and returned."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    return _warn([tighten(path, FOLDER_MODE)])


def protect_file(path: Path) -> list[str]:
    """Tighten one file to 0600; the warnings, logged and returned."""
    return _warn([tighten(path, FILE_MODE)])


def private_database(path: Path) -> list[str]:
    """Create the SQLite file 0600 before SQLite does (it would use the umask, often 0644)
    and tighten it and its side files; the warnings, logged and returned."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    except OSError:
        pass  # an unwritable folder: SQLite itself will say so, as the store's "read-only"
    return _warn([tighten(Path(f"{path}{suffix}"), FILE_MODE) for suffix in ("", *SIDE_FILES)])


_warned: set[str] = set()


def _warn(found: list[str | None]) -> list[str]:
    """Log each warning once per process (a kernel opens the store often)."""
    warnings = [message for message in found if message]
    for message in warnings:
        if message not in _warned:
            _warned.add(message)
            log.warning(message)
    return warnings
