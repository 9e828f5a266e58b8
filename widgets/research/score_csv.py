"""Scoring a CSV of answers, one person per row, so paper or outreach sheets can be counted.

Used by ``within score`` and by ``within import`` (paper-collected data). The file has a
``code`` column and one column per item id; answers are numeric codes or option labels in
any language the instrument has (case and surrounding spaces do not matter). A row that
cannot be scored is never dropped in silence: it comes back in ``invalid`` with the data
row number (the header is row 0) and a plain reason naming each problem.

Decisions, so every caller behaves the same:

- A blank answer is "missing", and a row with a missing answer is invalid here: a
  screening count needs a total, and :mod:`widgets.core.scoring` claims none with items passed.
- A missing ``code`` or item column is a problem with the whole file
  (:class:`CsvFileError`), not 96 identical invalid rows. Other columns are ignored, and
  header names are matched without regard to case or surrounding spaces.
- Rows whose cells are all blank (spreadsheets often leave some at the end) are skipped
  but still numbered, so row R is always line R + 1 of the file as a spreadsheet shows it.
- Duplicate codes are scored as separate rows (a person may be screened twice).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from widgets.core.instrument import Instrument
from widgets.core.scoring import Result, score

CODE_COLUMN = "code"


class CsvFileError(ValueError):
    """The file as a whole cannot be scored: missing, unreadable, empty, or lacking a column."""


@dataclass(frozen=True)
class ScoredRow:
    """A valid row: its data row number, the person's code and the scored result.

    ``other`` holds the row's other columns (header folded to lower case -> stripped
    cell), for callers such as the import that read a date or a language from them.
    """

    row: int
    code: str
    result: Result
    other: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InvalidRow:
    """A row that could not be scored and why; ``reason`` names each item at fault."""

    row: int
    code: str
    reason: str


@dataclass
class CsvScores:
    """Every row of a file, either scored or invalid, in file order."""

    instrument: Instrument
    scored: list[ScoredRow] = field(default_factory=list)
    invalid: list[InvalidRow] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """Counts for a screening report; ``flagged`` includes the referrals."""
        return {
            "screened": len(self.scored),
            "flagged": sum(1 for s in self.scored if s.result.flagged),
            "referral": sum(1 for s in self.scored if s.result.referral),
            "invalid": [{"row": i.row, "code": i.code, "reason": i.reason} for i in self.invalid],
        }


def read_scores(path: str | Path, instrument: Instrument, *, allow_missing: bool = False) -> CsvScores:
    """Read and score the CSV file at ``path``; raises :class:`CsvFileError` for file trouble.

    ``allow_missing`` accepts blank answers as passed items (the import of data where
    people used their right to pass); ``within score`` keeps them invalid.
    """
    return score_rows(
        read_records(path), instrument, source=str(path), allow_missing=allow_missing
    )


def read_records(path: str | Path) -> list[list[str]]:
    """Every row of the CSV file at ``path`` as lists of cells (the header first).

    Raises :class:`CsvFileError` with a plain reason when the file cannot be read as CSV.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise CsvFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CsvFileError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError:
        raise CsvFileError(
            f"{path}: cannot be read as UTF-8 text (in a spreadsheet, save it as 'CSV UTF-8')"
        ) from None
    except OSError as error:
        raise CsvFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as error:  # a cell over csv's 131072-character limit, a NUL in old files
        raise CsvFileError(
            f"{path}: is not a readable CSV file (line {reader.line_num}: {error})"
        ) from None


def score_rows(
    records: Iterable[Sequence[str]],
    instrument: Instrument,
    *,
    source: str = "the file",
    allow_missing: bool = False,
) -> CsvScores:
    """Score ``records`` (the header first, then one list of cells per person)."""
    records = iter(records)
    header = next(records, None)
    if not header or not any(cell.strip() for cell in header):
        raise CsvFileError(f"{source}: is empty (expected a header row: {_needed(instrument)})")
    columns = _columns(header, instrument, source)
    scores = CsvScores(instrument)
    for number, cells in enumerate(records, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        scored = _score_row(number, cells, columns, header, instrument, allow_missing)
        (scores.scored if isinstance(scored, ScoredRow) else scores.invalid).append(scored)
    return scores


def _needed(instrument: Instrument) -> str:
    return ", ".join([CODE_COLUMN, *instrument.item_ids])


def _columns(header: Sequence[str], instrument: Instrument, source: str) -> dict[str, int]:
    """Where the code and each item are in the header."""
    wanted = [CODE_COLUMN, *instrument.item_ids]
    needed = {name.casefold() for name in wanted}
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.strip().casefold()
        if key in positions and key in needed:  # other columns may repeat: they are ignored
            raise CsvFileError(f"{source}: the column '{name.strip()}' appears twice")
        positions.setdefault(key, index)
    missing = [name for name in wanted if name.casefold() not in positions]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        raise CsvFileError(
            f"{source}: missing column{'s' if len(missing) > 1 else ''} {names} "
            f"(columns needed: {_needed(instrument)})"
        )
    return {name: positions[name.casefold()] for name in wanted}


def _score_row(
    number: int,
    cells: Sequence[str],
    columns: dict[str, int],
    header: Sequence[str],
    instrument: Instrument,
    allow_missing: bool = False,
) -> ScoredRow | InvalidRow:
    width = len(header)
    def cell(name: str) -> str:
        index = columns[name]
        return cells[index].strip() if index < len(cells) else ""

    code = cell(CODE_COLUMN)
    problems = [] if code else [f"{CODE_COLUMN}: empty"]
    answers: dict[str, int | None] = {}
    for item_id in instrument.item_ids:
        value = cell(item_id)
        if not value and allow_missing:
            answers[item_id] = None
            continue
        if not value:
            problems.append(f"{item_id}: missing")
            continue
        try:
            answers[item_id] = instrument.code_for(value)
        except ValueError as error:
            problems.append(f"{item_id}: {error}")
    if any(c.strip() for c in cells[width:]):
        problems.append(f"the row has {len(cells)} values but the header has {width} columns")
    if problems:
        return InvalidRow(number, code, "; ".join(problems))
    used = set(columns.values())
    other = {
        name.strip().casefold(): (cells[index].strip() if index < len(cells) else "")
        for index, name in enumerate(header)
        if index not in used and name.strip()
    }
    return ScoredRow(number, code, score(instrument, answers), other)
