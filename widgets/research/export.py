"""Export consented questionnaires as a tidy CSV with a codebook, for research use.

Only submissions of people whose latest answer for the ``research-export`` consent is yes
leave the store; a withdrawal stops later exports. Used by ``within export`` and by the
screening notebook's export button, so both write exactly the same files.

Decisions:

- One row per submission, oldest first; item columns hold the numeric code (blank where
  the person passed); ``total`` is blank when any item was passed; flags are 1 or 0.
  With several instruments the item columns are the union of their item ids; the
  ``instrument_id`` column says which codebook section applies.
- Files are named with the date (``within-submissions-2026-11-25.csv``,
  ``within-codebook-2026-11-25.md`` and ``.csv``). An existing file is never overwritten:
  the whole set gets the next free suffix (``-2``, ``-3``, ...), so the files still pair up.
- Nothing consented, nothing written: an empty export creates no files at all.
- ``formats="long"`` (or ``"both"``) also writes ``within-answers-<date>.csv``: one row per
  answer (item) with the same leading columns, the item's position, its numeric code and
  option id (blank where the person passed), for tools that want tidy long data. Its
  ``submission_id`` ties the answers of one questionnaire together. ``excel=True`` adds
  ``within-export-<date>.xlsx`` (openpyxl, the ``research`` extra) holding the same tables
  and the codebook, one sheet each.
- CSV files are UTF-8 with a byte order mark, so spreadsheets show Thai correctly, and are
  created readable by their owner only: once exported, the app cannot protect them.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from widgets.core.content import ContentError
from widgets.core.instrument import Instrument, instrument
from widgets.research.codebook import codebook_csv, codebook_markdown
from widgets.research.spreadsheet_safe import neutralise
from widgets.store import Store, Submission

EXPORT_SCOPE = "research-export"
LEADING_COLUMNS = (
    "code",
    "instrument_id",
    "instrument_version",
    "language",
    "administered",
    "submitted_on",
)
TRAILING_COLUMNS = ("total", "band", "at_least", "flagged", "referral")
LONG_COLUMNS = (
    "submission_id",
    *LEADING_COLUMNS,
    "item_id",
    "item_position",
    "answer_code",
    "option_id",
)
FORMATS = ("wide", "long", "both")
MAX_SUFFIX = 999  # a bound, so a folder where nothing can be created cannot loop for ever


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the files (data first, then codebooks) and the data rows."""

    paths: list[Path] = field(default_factory=list)
    rows: int = 0


def export_submissions(
    store: Store,
    out_dir: str | Path,
    instrument_id: str | None = None,
    *,
    today: date | None = None,
    formats: str = "wide",
    excel: bool = False,
) -> ExportResult:
    """Write consented submissions and their codebook to ``out_dir`` (created if needed).

    Parameters
    ----------
    store, out_dir, instrument_id:
        Where from, where to, and optionally one instrument only.
    today:
        The date in the file names (today by default).
    formats:
        ``"wide"`` (one row per questionnaire, the default and the original behaviour),
        ``"long"`` (one row per answer) or ``"both"``.
    excel:
        Also write one ``.xlsx`` workbook with the same tables and the codebook; needs
        openpyxl (``pip install 'within[research]'``), checked before anything is written.

    Returns an empty :class:`ExportResult` and writes nothing when no one has consented.
    """
    if formats not in FORMATS:
        raise ValueError(f"formats must be one of {', '.join(FORMATS)}, not {formats!r}")
    if excel:
        _require_openpyxl()
    submissions = store.submissions(instrument_id=instrument_id, consent_scope=EXPORT_SCOPE)
    if not submissions:
        return ExportResult()
    instruments = _instruments(s.instrument_id for s in submissions)
    items = item_columns(submissions, instruments)
    columns = [*LEADING_COLUMNS, *items, *TRAILING_COLUMNS]
    day = today or date.today()
    wide = [columns, *(_row(s, items) for s in submissions)]
    long = [list(LONG_COLUMNS), *long_rows(submissions, instruments)]
    long_columns = LONG_COLUMNS if formats != "wide" else ()
    files: dict[str, str | bytes] = {}
    if formats != "long":
        files["within-submissions-{}.csv"] = _csv_text(wide)
    if formats != "wide":
        files["within-answers-{}.csv"] = _csv_text(long)
    files["within-codebook-{}.md"] = codebook_markdown(
        instruments, columns if formats != "long" else (), day, len(submissions),
        long_columns=long_columns,
    )
    book = codebook_csv(instruments, columns if formats != "long" else (), long_columns=long_columns)
    files["within-codebook-{}.csv"] = book
    if excel:
        sheets = {}
        if formats != "long":
            sheets["submissions"] = wide
        if formats != "wide":
            sheets["answers"] = long
        sheets["codebook"] = list(csv.reader(io.StringIO(book, newline="")))
        files["within-export-{}.xlsx"] = excel_bytes(sheets)
    paths = _write_new(Path(out_dir), day, files)
    return ExportResult(paths=paths, rows=len(submissions))


def item_columns(
    submissions: Sequence[Submission], instruments: dict[str, Instrument]
) -> list[str]:
    """Item ids in instrument order, then any stored answer keys the content no longer has."""
    columns: list[str] = []
    for loaded in instruments.values():
        columns += [i for i in loaded.item_ids if i not in columns]
    for submission in submissions:
        columns += [i for i in submission.answers if i not in columns]
    return columns


def _instruments(ids: Iterable[str]) -> dict[str, Instrument]:
    """The instruments the submissions answered, skipping any no longer in ``content/``."""
    found: dict[str, Instrument] = {}
    for instrument_id in dict.fromkeys(ids):
        try:
            found[instrument_id] = instrument(instrument_id)
        except ContentError:
            continue
    return found


def long_rows(
    submissions: Sequence[Submission], instruments: dict[str, Instrument]
) -> list[list[object]]:
    """One row per answer: every item of the instrument (blank code where passed), then
    any stored answer the content no longer has, so nothing is lost."""
    rows: list[list[object]] = []
    for submission in submissions:
        loaded = instruments.get(submission.instrument_id)
        known = loaded.item_ids if loaded else []
        options = {o.code: o.id for o in loaded.spec.options} if loaded else {}
        items = known + [i for i in submission.answers if i not in known]
        for position, item in enumerate(items, start=1):
            value = submission.answers.get(item)
            rows.append(
                [
                    submission.id,
                    submission.code,
                    submission.instrument_id,
                    submission.instrument_version,
                    submission.language,
                    submission.administered,
                    submission.submitted_on.isoformat(),
                    item,
                    position,
                    _blank_if_none(value),
                    options.get(value, "") if value is not None else "",
                ]
            )
    return rows


def _require_openpyxl() -> None:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise ExcelUnavailable(
            "Excel output needs openpyxl: pip install 'within[research]' (or pip install openpyxl)"
        ) from None


class ExcelUnavailable(RuntimeError):
    """``excel=True`` was asked for but openpyxl is not installed."""


def excel_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook with one sheet per table (first row bold, frozen): numbers stay numbers,
    ISO dates become dates, blanks stay empty cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for index, row in enumerate(rows):  # the header too: a column name is text as well
            sheet.append([_excel_value(v) if index else neutralise(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            if cell.value in ("submitted_on",):
                for (value,) in sheet.iter_rows(
                    min_row=2, min_col=cell.column, max_col=cell.column
                ):
                    value.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.properties.creator = "Within"
    book.save(buffer)
    return buffer.getvalue()


def _excel_value(value: object) -> object:
    if value == "":
        return None
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return neutralise(value)  # never let a cell become a formula


def _row(submission: Submission, items: Sequence[str]) -> list[object]:
    return [
        submission.code,
        submission.instrument_id,
        submission.instrument_version,
        submission.language,
        submission.administered,
        submission.submitted_on.isoformat(),
        *(_blank_if_none(submission.answers.get(item)) for item in items),
        _blank_if_none(submission.total),
        submission.band or "",
        int(submission.at_least),
        int(submission.flagged),
        int(submission.referral),
    ]


def _blank_if_none(value: object) -> object:
    return "" if value is None else value


def _csv_text(rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([neutralise(v) for v in row] for row in rows)
    return buffer.getvalue()


def _write_new(out_dir: Path, day: date, files: dict[str, str | bytes]) -> list[Path]:
    """Write every file with one shared suffix that none of them has used yet."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for suffix in range(1, MAX_SUFFIX + 1):
        tag = day.isoformat() if suffix == 1 else f"{day.isoformat()}-{suffix}"
        paths = [out_dir / pattern.format(tag) for pattern in files]
        written: list[Path] = []
        try:
            for path, text in zip(paths, files.values(), strict=True):
                _write_exclusive(path, text)
                written.append(path)
        except FileExistsError:  # this name is taken: undo our part of the set, try the next
            for path in written:
                path.unlink()
            continue
        return paths
    raise FileExistsError(f"{MAX_SUFFIX} exports dated {day.isoformat()} are already there")


def _write_exclusive(path: Path, text: str | bytes) -> None:
    encoding = "utf-8-sig" if path.suffix == ".csv" else "utf-8"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    if isinstance(text, bytes):
        with open(descriptor, "wb") as handle:
            handle.write(text)
        return
    with open(descriptor, "w", encoding=encoding, newline="") as handle:
        handle.write(text)
