"""``within purge [--days N] [--dry-run]``: forget people who have not been back for N days.

Without ``--days`` the site's retention setting (``WITHIN_RETENTION_DAYS``) is used; with
neither, nothing is deleted (retention is off by default).
"""

from __future__ import annotations

import argparse
import json
import sys


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of days") from None
    if days < 1:
        raise argparse.ArgumentTypeError("the number of days must be 1 or more")
    return days


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "purge",
        help="delete everyone whose newest activity is older than N days",
        description=(
            "Delete every row of each participant whose newest activity is more than N days "
            "old, then compact the database. N is --days or WITHIN_RETENTION_DAYS. Prints the "
            "rows removed per table as JSON."
        ),
    )
    parser.add_argument("--days", type=_days, help="keep people active in the last N days")
    parser.add_argument("--dry-run", action="store_true", help="only count what would go")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from widgets.core import settings
    from widgets.store import Store, StoreError

    days = args.days or settings.retention_days()
    if days is None:
        print(
            "within purge: retention is off; give --days N or set WITHIN_RETENTION_DAYS",
            file=sys.stderr,
        )
        return 2
    try:
        counts = Store().purge_older_than(days, dry_run=args.dry_run)
    except StoreError as error:
        print(f"within purge: {error}", file=sys.stderr)
        return 1
    print(json.dumps({"days": days, "dry_run": args.dry_run, "rows": counts}))
    return 0
