"""``within print {forms,cards,workbooks,all} --lang en|th --out DIR [--count N]``: PDFs for paper.

- *forms*: the scale as a one-page "mark X" form, ``--count`` of them (default 10) in one
  PDF, each with its own fresh code (printed and as a QR code holding only the code),
  registered in the store as issued on paper; beside it a CSV with one row per code, ready
  for typing the answers in and for ``within import``;
- *cards*: the value cards to cut out;
- *workbooks*: one per activity (the preparation, activities 1-5) and one for Balancing the
  Scales, with space to write.

Printing uses Chromium through Playwright (:mod:`widgets.facilitation.pdf`), loaded only here. Exit
status 0 when every file is written, 1 when printing failed (nothing is left registered),
2 for bad arguments or an output folder that cannot be used.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

FILE_ERROR = 2
DEFAULT_COUNT = 10
MAX_COUNT = 1000
WHAT = ("forms", "cards", "workbooks", "all")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "print",
        help="print paper forms, value cards and workbooks as PDF files",
        description=(
            "Write PDF files to print: 'forms' (the scale as a one-page form to mark with X, "
            "each with its own new code, registered in the store as issued on paper), "
            "'cards' (value cards to cut out), 'workbooks' (one per activity and one for "
            "Balancing the Scales), or 'all'. Each form has its own code: print as many as "
            "you need with --count rather than photocopying one. Needs Playwright "
            "(pip install 'within[print]') and Chromium."
        ),
    )
    parser.add_argument("what", choices=WHAT, help="what to print")
    parser.add_argument("--lang", required=True, metavar="LANG", help="language: en or th")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the PDF files")
    parser.add_argument(
        "--count",
        type=int,
        metavar="N",
        help=f"how many forms, each with its own code (default {DEFAULT_COUNT}; forms only)",
    )
    parser.set_defaults(run=run)


def _fail(message: str, status: int = FILE_ERROR) -> int:
    print(f"within print: {message}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    from widgets.core.content import languages

    known = list(languages())
    if args.lang not in known:
        return _fail(f"unknown language '{args.lang}' (known: {', '.join(known)})")
    if args.count is not None and args.what not in ("forms", "all"):
        return _fail("--count is only for forms (each form gets its own code)")
    count = DEFAULT_COUNT if args.count is None else args.count
    if not 1 <= count <= MAX_COUNT:
        return _fail(f"--count must be a whole number from 1 to {MAX_COUNT}")
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        return _fail(f"{out} is a file, not a folder")
    except OSError as error:
        return _fail(f"cannot use the folder {out} ({error.strerror or error})")

    from widgets.facilitation.pdf import PrintSetupError
    from widgets.store import StoreError

    try:
        written = _print(args.what, args.lang, out, count)
    except PrintSetupError as error:
        return _fail(str(error), 1)
    except _PrintFailed as error:
        return _fail(str(error), 1)
    except StoreError as error:
        return _fail(f"could not register the forms' codes: {error}", 1)
    for path in written:
        print(path)
    return 0


class _PrintFailed(RuntimeError):
    """Chromium could not print a page (the message says which)."""


def _print(what: str, lang: str, out: Path, count: int) -> list[Path]:
    from widgets.facilitation import print_pages as pages
    from widgets.facilitation.pdf import font_faces, printer

    head = font_faces()
    jobs: list[tuple[str, Path]] = []
    if what in ("cards", "all"):
        jobs.append((pages.cards_page(lang, head=head), out / f"value-cards-{lang}.pdf"))
    if what in ("workbooks", "all"):
        jobs += [
            (pages.workbook_page(lang, flow, head=head), out / f"workbook-{flow}-{lang}.pdf")
            for flow in pages.WORKBOOK_FLOWS
        ]
    written: list[Path] = []
    with printer() as chromium:
        for html, path in jobs:
            written.append(_one(chromium, html, path))
        if what in ("forms", "all"):
            written += _forms(chromium, lang, out, count, head)
    return written


def _one(chromium: object, html: str, path: Path) -> Path:
    try:
        return chromium.pdf(html, path)  # type: ignore[attr-defined]
    except Exception as error:  # noqa: BLE001 - Playwright's errors vary; say which file
        raise _PrintFailed(f"could not print {path.name}: {error}") from None


def _forms(chromium: object, lang: str, out: Path, count: int, head: str) -> list[Path]:
    """Issue ``count`` codes, print them; if printing fails, take the codes back."""
    from widgets.core.instrument import instrument
    from widgets.facilitation.print_pages import FORM_INSTRUMENT, forms_page
    from widgets.store import Store

    chosen = instrument(FORM_INSTRUMENT)
    store = Store()
    try:
        codes = store.issue_codes(count, issued="paper")
        name = f"forms-{FORM_INSTRUMENT}-{lang}-{codes[0]}"
        try:
            pdf = _one(chromium, forms_page(chosen, lang, codes, head=head), out / f"{name}.pdf")
            sheet = _answer_sheet(out / f"{name}.csv", codes, chosen.item_ids, lang)
        except BaseException:
            for code in codes:
                store.delete_participant(code)
            raise
    finally:
        store.close()
    print(
        f"within print: {count} form(s) with new codes, registered as issued on paper. "
        f"Type the answers into {sheet.name} (remove rows of forms that did not come back), "
        f"then: within import {sheet.name} --instrument {FORM_INSTRUMENT}",
        file=sys.stderr,
    )
    return [pdf, sheet]


def _answer_sheet(path: Path, codes: list[str], items: list[str], lang: str) -> Path:
    """A CSV with one row per printed code, the answer cells left blank for typing in."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", *items, "language", "administered", "submitted_on"])
        for code in codes:
            writer.writerow([code, *([""] * len(items)), lang, "paper", ""])
    return path
