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

from widgets.codebook import codebook_csv, codebook_markdown
from widgets.content import ContentError
from widgets.instrument import Instrument, instrument
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
) -> ExportResult:
    """Write consented submissions and their codebook to ``out_dir`` (created if needed).

    Returns an empty :class:`ExportResult` and writes nothing when no one has consented.
    """
    submissions = store.submissions(instrument_id=instrument_id, consent_scope=EXPORT_SCOPE)
    if not submissions:
        return ExportResult()
    instruments = _instruments(s.instrument_id for s in submissions)
    items = item_columns(submissions, instruments)
    columns = [*LEADING_COLUMNS, *items, *TRAILING_COLUMNS]
    day = today or date.today()
    files = {
        "within-submissions-{}.csv": _csv_text([columns, *(_row(s, items) for s in submissions)]),
        "within-codebook-{}.md": codebook_markdown(instruments, columns, day, len(submissions)),
        "within-codebook-{}.csv": codebook_csv(instruments, columns),
    }
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
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _write_new(out_dir: Path, day: date, files: dict[str, str]) -> list[Path]:
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


def _write_exclusive(path: Path, text: str) -> None:
    encoding = "utf-8-sig" if path.suffix == ".csv" else "utf-8"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", encoding=encoding, newline="") as handle:
        handle.write(text)
