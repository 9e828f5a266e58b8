"""``within restore FILE``: put a checked backup back in place of the store."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "restore",
        help="replace the database with a backup (stop `within serve` first)",
        description=(
            "Check FILE (a Within backup, undamaged) and, only then, replace the SQLite "
            "store's contents with it in one transaction. Stop `within serve` first. "
            "Everything saved since the backup was made is replaced."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the backup made by `within backup`")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from widgets.store.backup import BackupError, restore

    try:
        path = restore(args.file)
    except BackupError as error:
        print(f"within restore: refused: {error}", file=sys.stderr)
        return 1
    print(f"within restore: {path} now holds the backup {args.file}")
    return 0
