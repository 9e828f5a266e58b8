"""``within score FILE.csv --instrument ID [--summary]``: score a sheet of answers.

Prints ``code,total,band`` for each valid row as CSV, or with ``--summary`` one JSON object
``{"screened", "flagged", "referral", "invalid"}``. Rows that cannot be scored never
change the exit status (0): they are listed in the summary, or one per line on stderr in
CSV mode, so nothing is dropped in silence. A missing or unreadable file, a file without
the needed columns, or an unknown instrument is one line on stderr and exit status 2.
See :mod:`widgets.research.score_csv` for how rows are read.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

FILE_ERROR = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score a CSV of questionnaire answers",
        description=(
            "Score a CSV with a 'code' column and one column per item (item_1, item_2, ...). "
            "Answers may be codes (0-3) or answer labels in any language. Prints "
            "code,total,band for each valid row; rows that cannot be scored are listed "
            "on stderr (or in the --summary JSON)."
        ),
    )
    parser.add_argument("file", metavar="FILE.csv", help="the CSV file to score")
    parser.add_argument(
        "--instrument",
        required=True,
        metavar="ID",
        help="the questionnaire, e.g. thai-internalised-stigma",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help='print one JSON object: {"screened", "flagged", "referral", "invalid"}',
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from widgets.core.content import ContentError
    from widgets.core.instrument import instrument, instrument_ids
    from widgets.research.score_csv import CsvFileError, read_scores
    from widgets.research.spreadsheet_safe import neutralise

    if args.instrument not in instrument_ids():
        known = ", ".join(instrument_ids()) or "none"
        print(
            f"within score: unknown instrument '{args.instrument}' (known: {known})",
            file=sys.stderr,
        )
        return FILE_ERROR
    try:
        chosen = instrument(args.instrument)
    except ContentError as error:
        print(f"within score: a content file needs fixing: {error}", file=sys.stderr)
        return 1
    try:
        scores = read_scores(args.file, chosen)
    except CsvFileError as error:
        print(f"within score: {error}", file=sys.stderr)
        return FILE_ERROR
    if args.summary:
        print(json.dumps(scores.summary(), ensure_ascii=False))
        return 0
    # csv quotes only the line terminator's own characters: a lone "\r" in a code would
    # end the row for the next reader, so such a row is written fully quoted.
    plain = csv.writer(sys.stdout, lineterminator="\n")
    quoted = csv.writer(sys.stdout, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(["code", "total", "band"])
    for row in scores.scored:
        band = row.result.band.id if row.result.band else ""
        cells = [neutralise(row.code), row.result.total, neutralise(band)]
        (quoted if "\r" in cells[0] else plain).writerow(cells)
    for bad in scores.invalid:
        print(
            f"within score: row {bad.row} (code '{bad.code}') not scored: {bad.reason}",
            file=sys.stderr,
        )
    return 0
