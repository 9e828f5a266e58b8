"""``within translations export|import|status``: review translations as PO files.

``export --lang th [--out FILE]`` writes every English string with its current words, where
it appears and its status (draft strings are fuzzy); ``import FILE`` writes a reviewed file
back into ``content/<lang>/`` and records each string's status with a hash of its English;
``status --lang th`` says how many strings are reviewed and which files still hold drafts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "translations",
        help="export, import and check translations as PO files",
        description="Review translations with the tools translators use (PO files via Babel).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write a PO file of one language for review")
    export.add_argument("--lang", required=True, help="language code, e.g. th")
    export.add_argument("--out", type=Path, help="the PO file to write (default: within-LANG.po)")
    export.set_defaults(run=run_export)
    read = actions.add_parser("import", help="write a reviewed PO file back into content/")
    read.add_argument("file", type=Path, help="the reviewed PO file")
    read.add_argument("--lang", help="language code (default: the PO file's Language header)")
    read.set_defaults(run=run_import)
    status = actions.add_parser("status", help="count reviewed and draft strings (JSON)")
    status.add_argument("--lang", required=True, help="language code, e.g. th")
    status.set_defaults(run=run_status)


def _known(lang: str) -> bool:
    from widgets.core.content import DEFAULT_LANGUAGE, languages

    if lang in languages() and lang != DEFAULT_LANGUAGE:
        return True
    others = ", ".join(code for code in languages() if code != DEFAULT_LANGUAGE)
    print(f"within translations: '{lang}' is not a translation (known: {others})", file=sys.stderr)
    return False


def run_export(args: argparse.Namespace) -> int:
    from widgets.core.translations import export_po

    if not _known(args.lang):
        return 2
    out = args.out or Path(f"within-{args.lang}.po")
    count = export_po(args.lang, out)
    print(f"Wrote {count} strings to {out}. Draft strings are marked fuzzy.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from widgets.core.translations import import_po

    if args.lang and not _known(args.lang):
        return 2
    try:
        report = import_po(args.file, lang=args.lang)
    except ValueError as error:
        print(f"within translations import: {error}", file=sys.stderr)
        return 1
    print(f"{report.lang}: {report.reviewed} reviewed and {report.draft} draft strings written.")
    for reason in report.skipped:
        print(f"  left alone: {reason}", file=sys.stderr)
    return 0


def run_status(args: argparse.Namespace) -> int:
    from widgets.core.translations import summary

    if not _known(args.lang):
        return 2
    print(json.dumps(summary(args.lang), ensure_ascii=False, indent=2))
    return 0
