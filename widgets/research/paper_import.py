"""Import questionnaires collected on paper (or exported by Within) into the store.

The file is the shape ``within score`` reads (a ``code`` column and one column per item,
answers as codes or labels in any language): rows are read and validated by
:mod:`widgets.research.score_csv`, so both commands accept and reject exactly the same answers.
An export's wide CSV (``within-submissions-``) can be imported back as it is.

Decisions:

- **All or nothing.** Every row is checked first; if any row has a problem, nothing is
  stored and every problem is listed with its row number. Fix the sheet and run again.
- **Codes must be Within codes** (:func:`widgets.core.codes.normalise`: the check character
  catches a copying slip) and pass the store's own checks. ``k7mq 4xza`` is read as
  ``K7MQ-4XZA``. A name, initials or a phone number is never accepted as a code.
- **Optional columns** ``submitted_on`` (YYYY-MM-DD, not in the future), ``language`` and
  ``administered`` (``self``, ``read-aloud``, ``paper``) override the command's defaults
  per row; ``instrument_id``/``instrument_version``, when present, must match the
  instrument being imported, since rows are re-scored with today's content.
- **Passed items** (blank cells) are accepted only with ``allow_missing=True``; they are
  stored as passed, and no total is claimed, as in the apps.
- **Re-running is safe:** a row identical to a stored submission (same code, instrument,
  version, date and answers) is skipped and counted, never stored twice.
- **Consent** is recorded only when asked (``consent_scopes``), for every imported code, with
  the version of the paper consent form (``consent_version``): say "research-export" only
  when the paper forms carried that consent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from widgets.core.codes import CodeError, normalise
from widgets.core.instrument import Instrument
from widgets.research.score_csv import CsvScores, InvalidRow, ScoredRow, read_scores
from widgets.store import Store, StoreError, checks

ADMINISTERED = ("self", "read-aloud", "paper")
CODE_PROBLEMS = {
    "empty": "empty",
    "length": "a Within code has 8 characters (like K7MQ-4XZA)",
    "characters": "a Within code uses only the letters and digits on the code card",
    "check": "the last character does not match (a copying slip?)",
}


@dataclass
class ImportResult:
    """What an import did: stored ids, skipped duplicates, and rows with problems."""

    stored: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)  # data row numbers
    invalid: list[InvalidRow] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.invalid


@dataclass(frozen=True)
class _Ready:
    row: int
    code: str
    scored: ScoredRow
    language: str
    administered: str
    submitted_on: date


def import_file(
    store: Store,
    path: str | Path,
    instrument: Instrument,
    *,
    administered: str = "paper",
    language: str = "en",
    submitted_on: date | None = None,
    allow_missing: bool = False,
    consent_scopes: Sequence[str] = (),
    consent_version: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> ImportResult:
    """Check every row of ``path`` and, if all are fine, store them under their codes.

    Parameters
    ----------
    store:
        Where the submissions go.
    path:
        The CSV file (raises :class:`widgets.research.score_csv.CsvFileError` for file trouble).
    instrument:
        The questionnaire on the forms.
    administered, language, submitted_on:
        Defaults for rows without their own ``administered``, ``language`` or
        ``submitted_on`` column (``submitted_on`` defaults to today).
    allow_missing:
        Accept blank answers as passed items.
    consent_scopes, consent_version:
        Record these consents (e.g. ``["research-export"]``) for every imported code, with
        the paper form's version; both or neither.
    dry_run:
        Check only; store nothing.
    """
    scores = read_scores(path, instrument, allow_missing=allow_missing)
    return import_scores(
        store,
        scores,
        instrument,
        administered=administered,
        language=language,
        submitted_on=submitted_on,
        consent_scopes=consent_scopes,
        consent_version=consent_version,
        dry_run=dry_run,
        today=today,
    )


def import_scores(
    store: Store,
    scores: CsvScores,
    instrument: Instrument,
    *,
    administered: str = "paper",
    language: str = "en",
    submitted_on: date | None = None,
    consent_scopes: Sequence[str] = (),
    consent_version: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> ImportResult:
    """Check rows already read (see :func:`import_file`) and, if all are fine, store them.

    :mod:`widgets.research.centre_ids` reads its sheet itself, swaps the centre's IDs for Within
    codes, checks with ``dry_run=True``, keeps its mapping, and only then stores.
    """
    today = today or date.today()
    if administered not in ADMINISTERED:
        raise ValueError(f"administered must be one of {', '.join(ADMINISTERED)}")
    if language not in instrument.languages:
        raise ValueError(f"language must be one of {', '.join(instrument.languages)}")
    if consent_scopes and not consent_version:
        raise ValueError("recording consent needs the version of the consent form")
    result = ImportResult(invalid=list(scores.invalid))
    ready: list[_Ready] = []
    for row in scores.scored:
        checked = _check_row(row, instrument, administered, language, submitted_on or today, today)
        if isinstance(checked, InvalidRow):
            result.invalid.append(checked)
        else:
            ready.append(checked)
    result.invalid.sort(key=lambda bad: bad.row)
    if result.invalid or dry_run:
        return result
    stored = {
        _key(s.code, s.instrument_id, s.instrument_version, s.submitted_on, s.answers)
        for s in store.submissions(instrument_id=instrument.id)
    }
    for item in ready:
        answers = item.scored.result.answers
        key = _key(item.code, instrument.id, instrument.version, item.submitted_on, answers)
        if key in stored:
            result.duplicates.append(item.row)
            continue
        stored.add(key)
        result.stored.append(
            store.add_submission(
                item.code,
                item.scored.result,
                language=item.language,
                administered=item.administered,
                submitted_on=item.submitted_on,
            )
        )
    result.codes = list(dict.fromkeys(item.code for item in ready))
    for code in result.codes:
        for scope in consent_scopes:
            store.record_consent(code, scope, str(consent_version))
    return result


def _key(code: str, instrument_id: str, version: str, day: date, answers: dict) -> tuple:
    return (code, instrument_id, version, day, tuple(sorted(answers.items())))


def _check_row(
    row: ScoredRow,
    instrument: Instrument,
    administered: str,
    language: str,
    default_day: date,
    today: date,
) -> _Ready | InvalidRow:
    problems: list[str] = []
    code = ""
    try:
        code = checks.code(normalise(row.code))
    except CodeError as error:
        problems.append(f"code: '{row.code}' is not a Within code: {CODE_PROBLEMS[error.reason]}")
    except StoreError as error:
        problems.append(f"code: {error}")
    other = row.other
    for column, expected in (
        ("instrument_id", instrument.id),
        ("instrument_version", instrument.version),
    ):
        value = other.get(column, "")
        if value and value != expected:
            problems.append(
                f"{column}: '{value}' does not match {expected} (rows are re-scored with the "
                "current content)"
            )
    language = other.get("language") or language
    if language not in instrument.languages:
        problems.append(f"language: '{language}' is not one of {', '.join(instrument.languages)}")
    administered = other.get("administered") or administered
    if administered not in ADMINISTERED:
        problems.append(f"administered: '{administered}' is not one of {', '.join(ADMINISTERED)}")
    day = default_day
    if other.get("submitted_on"):
        try:
            day = date.fromisoformat(other["submitted_on"])
        except ValueError:
            problems.append(
                f"submitted_on: '{other['submitted_on']}' is not a date like 2026-11-25"
            )
    if day > today:
        problems.append(f"submitted_on: {day.isoformat()} is in the future")
    if problems:
        return InvalidRow(row.row, row.code, "; ".join(problems))
    return _Ready(row.row, code, row, language, administered, day)
