"""The store as pandas DataFrames, for analysis: consented participants only.

Only people whose latest answer to the ``research-export`` consent is yes are read (the
same rule as ``within export``), unless a caller deliberately passes ``consent_scope=None``
for work that never leaves the centre. Check-ins are the ``mood`` app's records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from widgets.core import check_ins
from widgets.core.check_ins import SCALES
from widgets.research.export import EXPORT_SCOPE

if TYPE_CHECKING:
    from widgets.store import Store, Submission

CHECK_IN_COLUMNS = (*SCALES, "craving", "use_days", "relationships")


@dataclass(frozen=True)
class Dataset:
    """What an analysis reads: questionnaires and check-ins, and where they came from.

    Attributes
    ----------
    submissions:
        One row per questionnaire (:func:`submissions_frame`).
    check_ins:
        One row per check-in (:func:`check_ins_frame`).
    synthetic:
        True for the made-up example cohort: every view must say so.
    """

    submissions: pd.DataFrame
    check_ins: pd.DataFrame
    synthetic: bool = False

    @property
    def empty(self) -> bool:
        return self.submissions.empty


def submissions_frame(submissions: Iterable[Submission], items: Sequence[str] = ()) -> pd.DataFrame:
    """One row per questionnaire: the stored fields, ``submitted_on`` as a datetime, and one
    column per item (``items``, else every answer key seen) holding the code or NA."""
    records = list(submissions)
    keys = list(items) or list(dict.fromkeys(k for s in records for k in s.answers))
    rows = [
        {
            "submission_id": s.id,
            "code": s.code,
            "instrument_id": s.instrument_id,
            "instrument_version": s.instrument_version,
            "language": s.language,
            "administered": s.administered,
            "submitted_on": pd.Timestamp(s.submitted_on),
            **{k: s.answers.get(k) for k in keys},
            "total": s.total,
            "band": s.band,
            "flagged": bool(s.flagged),
            "referral": bool(s.referral),
        }
        for s in records
    ]
    columns = ["submission_id", "code", "instrument_id", "instrument_version", "language",
               "administered", "submitted_on", *keys, "total", "band", "flagged", "referral"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in [*keys, "total"]:
        frame[column] = frame[column].astype("Int64")
    return frame


def check_ins_frame(pairs: Iterable[tuple[str, dict[str, Any]]]) -> pd.DataFrame:
    """One row per check-in from ``(code, record)`` pairs; ``on`` as a datetime, scores as
    nullable integers (NA where a question was not asked)."""
    rows = []
    for code, record in pairs:
        try:
            on = pd.Timestamp(str(record["on"]))
        except (KeyError, ValueError):
            continue
        rows.append({"code": code, "on": on, **{c: record.get(c) for c in CHECK_IN_COLUMNS}})
    frame = pd.DataFrame(rows, columns=["code", "on", *CHECK_IN_COLUMNS])
    for column in CHECK_IN_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values(["code", "on"], kind="stable").reset_index(drop=True)


def load(
    store: Store, instrument_id: str | None = None, *, consent_scope: str | None = EXPORT_SCOPE
) -> Dataset:
    """Read consented questionnaires (of one instrument, or all) and check-ins from ``store``."""
    from widgets.core.instrument import instrument

    subs = store.submissions(instrument_id=instrument_id, consent_scope=consent_scope)
    items = instrument(instrument_id).item_ids if instrument_id else ()
    pairs = store.entries_for_app(check_ins.APP, check_ins.KEY)
    if consent_scope is not None:
        allowed: dict[str, bool] = {}
        for code, _ in pairs:
            if code not in allowed:
                allowed[code] = store.has_consent(code, consent_scope)
        pairs = [(code, entry) for code, entry in pairs if allowed[code]]
    records = [(code, e.value) for code, e in pairs if isinstance(e.value, dict)]
    return Dataset(submissions_frame(subs, items), check_ins_frame(records))
