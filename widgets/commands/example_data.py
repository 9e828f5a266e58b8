"""``within example-data --out DIR``: a new database holding only the synthetic cohort.

Made-up data shaped like the Thai pilot (see :mod:`widgets.research.analysis.example`), seeded and
the same every time. Refuses a folder that already has a ``within.sqlite3``. Use it with
``WITHIN_DATA_DIR=DIR within serve`` or ``WITHIN_DATA_DIR=DIR within export``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "example-data",
        help="write a synthetic example cohort (not real people) to a new database",
        description=(
            "Write a made-up cohort shaped like the Thai pilot (96 screened, 32 at 16 or more, "
            "5 at 20 or more, three months of follow-up) to DIR/within.sqlite3. Every code "
            "starts with EX and is labelled 'synthetic-example'."
        ),
    )
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="a new folder")
    parser.add_argument("--seed", type=int, default=None, help="another seed (default: fixed)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from widgets.research.analysis.example import SEED, generate, write_example_database

    try:
        path = write_example_database(args.out, args.seed if args.seed is not None else SEED)
    except FileExistsError as error:
        print(f"within example-data: {error}", file=sys.stderr)
        return 1
    cohort = generate(args.seed if args.seed is not None else SEED)
    print(
        f"within example-data: wrote {len(cohort.codes)} synthetic people (not real) to {path}",
        file=sys.stderr,
    )
    return 0
