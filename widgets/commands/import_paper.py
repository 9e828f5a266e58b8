"""``within import FILE.csv --instrument ID``: store questionnaires collected on paper.

Reads the same CSV as ``within score`` (see :mod:`widgets.research.paper_import` for the rules), or
with ``--centre-ids`` a sheet of the centre's own IDs (see :mod:`widgets.research.centre_ids`).
All or nothing: with any invalid row, nothing is stored, each problem is one line on
stderr and the exit status is 1. A file problem or unknown instrument: exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from widgets.core.instrument import Instrument
    from widgets.research.centre_ids import CentreImport
    from widgets.store import Store

FILE_ERROR = 2


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-25") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="store questionnaires collected on paper (a CSV like within score reads)",
        description=(
            "Check and store a CSV with a 'code' column (Within codes) and one column per "
            "item; optional columns submitted_on, language and administered. Nothing is "
            "stored unless every row is valid. A wide export of Within can be imported back. "
            "With --centre-ids, a 'centre_id' column takes the place of 'code'."
        ),
    )
    parser.add_argument("file", metavar="FILE.csv", help="the CSV file to import")
    parser.add_argument("--instrument", required=True, metavar="ID", help="the questionnaire")
    parser.add_argument(
        "--administered",
        choices=("paper", "read-aloud", "self"),
        default="paper",
        help="how it was filled in, for rows without that column (default: paper)",
    )
    parser.add_argument(
        "--language", default="en", help="language of the forms, for rows without that column"
    )
    parser.add_argument(
        "--date", type=_day, metavar="YYYY-MM-DD", help="date filled in (default: today)"
    )
    parser.add_argument(
        "--allow-missing", action="store_true", help="accept blank answers as passed items"
    )
    parser.add_argument(
        "--consent",
        action="append",
        default=[],
        metavar="SCOPE",
        help="record this consent for every imported code (e.g. research-export); repeatable",
    )
    parser.add_argument(
        "--consent-version", metavar="V", help="version of the paper consent form (with --consent)"
    )
    parser.add_argument(
        "--centre-ids",
        action="store_true",
        help=(
            "the sheet has a 'centre_id' column (the centre's own IDs) instead of 'code': each "
            "centre ID gets a Within code, kept in a separate private file (see --id-map), "
            "never in the database, so later imports give it the same code"
        ),
    )
    parser.add_argument(
        "--id-map",
        metavar="FILE",
        help="with --centre-ids: the file linking centre IDs to codes "
        "(default: centre-ids.csv in Within's private data folder)",
    )
    parser.add_argument("--dry-run", action="store_true", help="check the file, store nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from widgets.core.instrument import instrument, instrument_ids
    from widgets.research.paper_import import import_file
    from widgets.research.score_csv import CsvFileError
    from widgets.store import Store, StoreError

    if args.instrument not in instrument_ids():
        known = ", ".join(instrument_ids()) or "none"
        print(f"within import: unknown instrument '{args.instrument}' (known: {known})", file=sys.stderr)
        return FILE_ERROR
    if args.consent and not args.consent_version:
        print("within import: --consent needs --consent-version (the paper form's version)", file=sys.stderr)
        return FILE_ERROR
    if args.id_map and not args.centre_ids:
        print("within import: --id-map goes with --centre-ids", file=sys.stderr)
        return FILE_ERROR
    chosen = instrument(args.instrument)
    options = {
        "administered": args.administered,
        "language": args.language,
        "submitted_on": args.date,
        "allow_missing": args.allow_missing,
        "consent_scopes": args.consent,
        "consent_version": args.consent_version,
        "dry_run": args.dry_run,
    }
    centre = None
    try:
        store = Store()
        try:
            if args.centre_ids:
                centre = _import_centre_ids(store, args, chosen, options)
                result = centre.result
            else:
                result = import_file(store, args.file, chosen, **options)
        finally:
            store.close()
    except CsvFileError as error:
        print(f"within import: {error}", file=sys.stderr)
        return FILE_ERROR
    except ValueError as error:  # StoreError is a ValueError too
        prefix = "could not save" if isinstance(error, StoreError) else "cannot import"
        print(f"within import: {prefix}: {error}", file=sys.stderr)
        return 1
    if not result.ok:
        label = "centre ID" if args.centre_ids else "code"
        for bad in result.invalid:
            print(f"within import: row {bad.row} ({label} '{bad.code}'): {bad.reason}", file=sys.stderr)
        print(
            f"within import: {len(result.invalid)} row(s) need fixing; nothing was stored.",
            file=sys.stderr,
        )
        return 1
    if args.dry_run:
        print("within import: every row is valid (dry run: nothing was stored).", file=sys.stderr)
        return 0
    print(
        f"within import: stored {len(result.stored)} questionnaire(s) for {len(result.codes)} "
        f"code(s); skipped {len(result.duplicates)} already stored.",
        file=sys.stderr,
    )
    if centre is not None:
        print(
            f"within import: {len(centre.id_map.added)} new centre ID(s) given a code; the "
            f"link between centre IDs and codes is in {centre.id_map.path} (private: keep it "
            "as safe as the paper forms).",
            file=sys.stderr,
        )
    return 0


def _import_centre_ids(
    store: Store, args: argparse.Namespace, chosen: Instrument, options: dict[str, Any]
) -> CentreImport:
    """``--centre-ids``: the mapping file kept private, then the import by centre IDs."""
    from pathlib import Path

    from widgets.core.private_files import protect_file
    from widgets.research.centre_ids import default_map_path, import_centre_file, is_private

    id_map = Path(args.id_map) if args.id_map else default_map_path()
    if id_map.is_file() and not is_private(id_map) and not protect_file(id_map):
        print(
            f"within import: {id_map} could be read by other accounts; it is private now "
            "(mode 0600).",
            file=sys.stderr,
        )
    return import_centre_file(store, args.file, chosen, id_map=id_map, **options)
