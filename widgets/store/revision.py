"""Write a new migration script: ``python -m widgets.store.revision "add rooms"``.

Change ``tables.py`` first. Alembic's autogenerate compares it with a database at the newest
revision; this builds a throwaway SQLite one, so neither alembic.ini nor anyone's data is
involved. Scripts are numbered 0001, 0002, ... (two branches that pick the same number clash
loudly, which is what we want). Read the generated script before committing it: autogenerate
cannot see renames or data that has to move.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from widgets.store.engine import create
from widgets.store.migrate import alembic_config, upgrade


def main(argv: list[str] | None = None) -> Path:
    """Generate the next numbered revision from the difference with ``tables.py``."""
    parser = argparse.ArgumentParser(prog="python -m widgets.store.revision")
    parser.add_argument("message", help='what the migration does, e.g. "add rooms"')
    message = parser.parse_args(argv).message
    with tempfile.TemporaryDirectory() as folder:
        engine = create(f"sqlite:///{Path(folder) / 'revision.sqlite3'}")
        try:
            upgrade(engine)
            with engine.begin() as connection:
                config = alembic_config(connection)
                # After the newest number, not the count: branches may leave gaps (0003 -> 0006).
                number = int(ScriptDirectory.from_config(config).get_current_head() or 0) + 1
                script = command.revision(
                    config, message, autogenerate=True, rev_id=f"{number:04d}"
                )
        finally:
            engine.dispose()
    assert script is not None and not isinstance(script, list)
    print(f"Wrote {script.path}; read it through before committing.")
    return Path(script.path)


if __name__ == "__main__":
    main()
