"""Paper answers under a centre's own IDs: a Within code for each, the link kept apart.

Some centres screen on their own forms, numbered with their own client IDs. ``within import
--centre-ids`` reads such a sheet (a ``centre_id`` column instead of ``code``), gives each
centre ID a fresh Within code and stores the answers under the code only. Which centre ID
has which code is written to a separate file, never to the database:

- the file (default ``centre-ids.csv`` in Within's private data folder, or ``--id-map``) is
  created with mode 0600 and rewritten whole (a temporary file, then renamed), so it is
  never half-written and never readable by other accounts;
- every later import reuses it, so the same centre ID always gets the same code and a
  person's before and after screenings pair up;
- whoever holds the file can tell whose answers are whose: keep it like the paper forms
  (``docs/threat-model.md``), and delete it when the pairs are no longer needed.

All or nothing, as :mod:`widgets.research.paper_import`: rows are checked first; the mapping is saved
only when every row is valid, and before anything is stored.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from widgets.core import private_files
from widgets.core.codes import new_code, normalise
from widgets.core.instrument import Instrument
from widgets.research.paper_import import ImportResult, import_scores
from widgets.research.score_csv import (
    CODE_COLUMN,
    CsvFileError,
    InvalidRow,
    read_records,
    score_rows,
)
from widgets.store import Store

CENTRE_ID_COLUMN = "centre_id"
MAP_FILE_NAME = "centre-ids.csv"
MAP_HEADER = ("centre_id", "code")
MAX_ID_LENGTH = 64


def default_map_path() -> Path:
    """``centre-ids.csv`` in Within's private data folder (``WITHIN_DATA_DIR``)."""
    from widgets.core import settings

    return settings.data_dir() / MAP_FILE_NAME


def clean_id(value: str) -> str:
    """A centre ID as compared: surrounding spaces dropped, inner runs of spaces made one."""
    return " ".join((value or "").split())


@dataclass
class CentreIdMap:
    """Centre IDs and the Within codes given to them, read from and saved to ``path``."""

    path: Path
    codes: dict[str, str] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> CentreIdMap:
        """The mapping in ``path`` (empty when there is no file yet)."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as error:
            raise CsvFileError(f"{path}: the centre ID file cannot be read ({error})") from None
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows or tuple(c.strip() for c in rows[0]) != MAP_HEADER:
            raise CsvFileError(f"{path}: not a centre ID file (expected the header centre_id,code)")
        codes: dict[str, str] = {}
        for number, row in enumerate(rows[1:], start=1):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != 2:
                raise CsvFileError(f"{path}: row {number} should have a centre ID and a code")
            try:
                codes[clean_id(row[0])] = normalise(row[1])
            except ValueError:
                raise CsvFileError(f"{path}: row {number} has no valid Within code") from None
        return cls(path, codes)

    def code_for(self, centre_id: str, store: Store) -> str:
        """The code of ``centre_id``: the one it already has, else a fresh one never used."""
        if centre_id in self.codes:
            return self.codes[centre_id]
        used = set(self.codes.values())
        while True:
            code = new_code()
            if code not in used and not store.known_codes([code]):
                break
        self.codes[centre_id] = code
        self.added.append(centre_id)
        return code

    def save(self) -> list[str]:
        """Write the whole mapping, readable by this account only, replacing the old file.

        Returns the warnings of a file system that keeps no owner-only modes (logged too),
        as for the database (:mod:`widgets.core.private_files`).
        """
        warnings = private_files.private_folder(self.path.parent)
        handle, temporary = tempfile.mkstemp(prefix=".centre-ids.", dir=self.path.parent)
        try:
            os.fchmod(handle, private_files.FILE_MODE)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(MAP_HEADER)
                writer.writerows(sorted(self.codes.items()))
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return warnings + private_files.protect_file(self.path)


def is_private(path: Path) -> bool:
    """True when no other account can read or write ``path``."""
    return not stat.S_IMODE(path.stat().st_mode) & 0o077


@dataclass
class CentreImport:
    """An import by centre IDs: what was stored, and the codes given to new centre IDs."""

    result: ImportResult
    id_map: CentreIdMap
    centre_ids: dict[str, str] = field(default_factory=dict)  # code -> centre ID, for messages


def import_centre_file(
    store: Store,
    path: str | Path,
    instrument: Instrument,
    *,
    id_map: Path | None = None,
    administered: str = "paper",
    language: str = "en",
    submitted_on: date | None = None,
    allow_missing: bool = False,
    consent_scopes: Sequence[str] = (),
    consent_version: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> CentreImport:
    """Import a sheet whose rows carry a centre's own IDs (see the module's docstring).

    Raises :class:`widgets.research.score_csv.CsvFileError` for trouble with either file. Invalid
    rows name the centre ID (only on the staff's screen; it never reaches the store).
    """
    records = read_records(path)
    header = records[0] if records else []
    folded = [name.strip().casefold() for name in header]
    if CENTRE_ID_COLUMN not in folded:
        raise CsvFileError(
            f"{path}: with --centre-ids the sheet needs a '{CENTRE_ID_COLUMN}' column "
            "holding the centre's own IDs"
        )
    if CODE_COLUMN in folded:
        raise CsvFileError(
            f"{path}: has both '{CODE_COLUMN}' and '{CENTRE_ID_COLUMN}' columns; import rows "
            f"with Within codes without --centre-ids, and rows with centre IDs with it"
        )
    renamed = [
        CODE_COLUMN if name == CENTRE_ID_COLUMN else raw for raw, name in zip(header, folded)
    ]
    scores = score_rows(
        [renamed, *records[1:]], instrument, source=str(path), allow_missing=allow_missing
    )
    scores.invalid = [
        replace(
            bad, reason=bad.reason.replace(f"{CODE_COLUMN}: empty", f"{CENTRE_ID_COLUMN}: empty")
        )
        for bad in scores.invalid
    ]
    mapping = CentreIdMap.load(id_map or default_map_path())
    by_code: dict[str, str] = {}
    scored = []
    for row in scores.scored:
        centre_id = clean_id(row.code)
        if len(centre_id) > MAX_ID_LENGTH or not centre_id.isprintable():
            scores.invalid.append(
                InvalidRow(
                    row.row,
                    row.code[:MAX_ID_LENGTH],
                    f"{CENTRE_ID_COLUMN}: at most {MAX_ID_LENGTH} visible characters",
                )
            )
            continue
        code = mapping.code_for(centre_id, store)
        by_code[code] = centre_id
        scored.append(replace(row, code=code))
    scores.scored = scored
    options = {
        "administered": administered,
        "language": language,
        "submitted_on": submitted_on,
        "consent_scopes": consent_scopes,
        "consent_version": consent_version,
        "today": today,
    }
    checked = import_scores(store, scores, instrument, dry_run=True, **options)
    if not checked.ok or dry_run:
        _name_centre_ids(checked, by_code)
        return CentreImport(checked, mapping, by_code)
    if mapping.added:
        mapping.save()
    result = import_scores(store, scores, instrument, **options)
    return CentreImport(result, mapping, by_code)


def _name_centre_ids(result: ImportResult, by_code: dict[str, str]) -> None:
    """Problems are reported under the centre ID staff can find on paper, not the new code."""
    result.invalid = [replace(bad, code=by_code.get(bad.code, bad.code)) for bad in result.invalid]
