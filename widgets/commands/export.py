"""``within export [--out DIR] [--instrument ID] [--format wide|long|both] [--excel]``.

Consented questionnaires for research: ``--format`` chooses one row per questionnaire
(``wide``, the default), one row per answer (``long``) or both; ``--excel`` adds an .xlsx
workbook of the same tables and the codebook (needs openpyxl: ``within[research]``).

Writes the tidy CSV and its codebook (see :mod:`widgets.research.export`) and says on stderr where
they went and that they are now outside the app's protection. With no consented
submissions it writes nothing, says so, and exits 0. Trouble reading the store or writing
the files is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROTECTION_NOTE = (
    "These files are outside Within's protection: keep them where only the study team can "
    "read them, and delete them when the study's data plan says so."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export consented questionnaires as CSV with a codebook",
        description=(
            "Write every questionnaire of people who agreed to research export (consent "
            "'research-export') as one CSV, with a codebook in Markdown and CSV. Existing "
            "files are never overwritten."
        ),
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="folder to write to (default: here)",
    )
    parser.add_argument("--instrument", metavar="ID", help="only this questionnaire (default: all)")
    parser.add_argument(
        "--format",
        choices=("wide", "long", "both"),
        default="wide",
        help="one row per questionnaire (wide, default), one row per answer (long), or both",
    )
    parser.add_argument(
        "--excel",
        action="store_true",
        help="also write an Excel workbook with the same tables and the codebook",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from widgets.research.export import ExcelUnavailable, export_submissions
    from widgets.store import Store, StoreError

    try:
        store = Store()
        try:
            result = export_submissions(
                store,
                args.out,
                instrument_id=args.instrument,
                formats=getattr(args, "format", "wide"),
                excel=getattr(args, "excel", False),
            )
        finally:
            store.close()
    except ExcelUnavailable as error:
        print(f"within export: {error}", file=sys.stderr)
        return 1
    except StoreError as error:
        print(f"within export: could not read the saved answers: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        where = error.filename or args.out
        print(
            f"within export: could not write to {where}: {error.strerror or error}", file=sys.stderr
        )
        return 1
    if not result.paths:
        print(
            "within export: nothing to export: no saved questionnaires from people who agreed "
            "to research export. No files were written.",
            file=sys.stderr,
        )
        return 0
    lines = [f"within export: wrote {result.rows} questionnaire(s) to:"]
    lines += [f"  {path.resolve()}" for path in result.paths]
    lines.append(PROTECTION_NOTE)
    print("\n".join(lines), file=sys.stderr)
    return 0
