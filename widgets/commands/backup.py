"""``within backup FILE``: a checked copy of the store, readable by its owner only."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "backup",
        help="copy the database to a new file and check the copy",
        description=(
            "Copy the SQLite store to FILE (never over an existing file; mode 0600) while "
            "Within keeps running, then check the copy. A backup holds everyone's answers: "
            "keep it as private as the database, and know that deleting a person later does "
            "not reach it."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the new backup file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from widgets.store.backup import BackupError, backup

    try:
        path = backup(args.file)
    except BackupError as error:
        print(f"within backup: {error}", file=sys.stderr)
        return 1
    print(f"within backup: wrote and checked {path}")
    return 0
