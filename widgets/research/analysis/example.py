"""A synthetic cohort shaped like the Thai pilot, so every analysis runs out of the box.

**Made up. Not real people's data.** Seeded and deterministic: 96 people screened once,
of whom 32 score 16 or more and 5 of those 20 or more (the pilot's published counts).
The 32 start three months of follow-up on their screening day: a check-in at the start
and each month (mood, stress, wellbeing; relationships and health care monthly), and a
second screening at about three months (3 are lost to follow-up). Everything else (the
answers, the change) is invented.

Every code starts with ``EX`` (``EXxx-xxxx``, still well-formed Within codes) and carries
a ``synthetic-example`` consent, so example data can always be found and deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from stdnum import luhn

from widgets.core.codes import ALPHABET
from widgets.core.instrument import instrument
from widgets.core.scoring import Result, score
from widgets.research.analysis.data import Dataset, check_ins_frame, load, submissions_frame

if TYPE_CHECKING:
    from widgets.store import Store

SEED = 20260302
INSTRUMENT = "thai-internalised-stigma"
LABEL_SCOPE = "synthetic-example"
LABEL_VERSION = "example-data-1"
CONSENT_VERSION = "example-data-1"
START = date(2026, 3, 2)  # first outreach day of the made-up cohort
SCREENED, FLAGGED, REFERRAL, LOST = 96, 32, 5, 3
FOLLOW_UP_DAYS = (0, 30, 60, 90)


@dataclass(frozen=True)
class ExampleCohort:
    """The generated records: submissions (code, result, date, language, administered) and
    check-ins (code, record), ready for a store or straight for a DataFrame."""

    submissions: list[tuple[str, Result, date, str, str]]
    check_ins: list[tuple[str, dict[str, Any]]]
    plans: list[tuple[str, date]]

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(code for code, *_ in self.submissions))


def example_code(rng: np.random.Generator) -> str:
    """``EXxx-xxxx``: a well-formed Within code that is plainly synthetic."""
    body = "EX" + "".join(rng.choice(list(ALPHABET), 5))
    compact = body + luhn.calc_check_digit(body, alphabet=ALPHABET)
    return f"{compact[:4]}-{compact[4:]}"


def _answers(rng: np.random.Generator, total: int, items: list[str]) -> dict[str, int]:
    """Eight answers (0-3) adding up to ``total``, spread around the person's mean so the
    items hang together as a scale does."""
    level = total / len(items)
    values = np.clip(np.rint(level + rng.normal(0, 0.7, len(items))), 0, 3).astype(int)
    while values.sum() != total:
        step = 1 if values.sum() < total else -1
        movable = [i for i, v in enumerate(values) if 0 <= v + step <= 3]
        values[rng.choice(movable)] += step
    return dict(zip(items, (int(v) for v in values), strict=True))


def generate(seed: int = SEED) -> ExampleCohort:
    """The synthetic cohort (the same every time for the same ``seed``)."""
    from widgets.core.check_ins import make_check_in

    rng = np.random.default_rng(seed)
    scale = instrument(INSTRUMENT)
    items = scale.item_ids
    codes: list[str] = []
    while len(codes) < SCREENED:
        code = example_code(rng)
        if code not in codes:
            codes.append(code)
    totals = (
        list(rng.integers(2, 16, SCREENED - FLAGGED))
        + list(rng.integers(16, 20, FLAGGED - REFERRAL))
        + list(rng.integers(20, 25, REFERRAL))
    )
    order = rng.permutation(SCREENED)
    submissions, check_ins, plans = [], [], []
    lost = set(rng.choice(np.arange(SCREENED - FLAGGED, SCREENED), LOST, replace=False).tolist())
    for position in order:
        code, total = codes[position], int(totals[position])
        day = START + timedelta(days=int(rng.integers(0, 42)))
        language = "th" if rng.random() < 0.85 else "en"
        administered = str(rng.choice(["read-aloud", "paper", "self"], p=[0.5, 0.3, 0.2]))
        result = score(scale, _answers(rng, total, items))
        submissions.append((code, result, day, language, administered))
        if total < 16:
            continue
        plans.append((code, day))
        wellbeing = float(rng.integers(2, 6))
        gain = rng.normal(1.0, 0.8)  # made-up average gain per month
        for month, offset in enumerate(FOLLOW_UP_DAYS):
            if position in lost and month >= 2:
                break
            if month and rng.random() < 0.1:
                continue  # a missed check-in
            well = int(np.clip(round(wellbeing + gain * month + rng.normal(0, 1)), 0, 10))
            mood = int(np.clip(round(well + rng.normal(0, 1)), 0, 10))
            stress = int(np.clip(round(10 - well + rng.normal(0, 1.5)), 0, 10))
            check_ins.append(
                (
                    code,
                    make_check_in(
                        day + timedelta(days=offset + int(rng.integers(-3, 4))),
                        mood,
                        stress,
                        well,
                        relationships=int(np.clip(round(well + rng.normal(0, 1.5)), 0, 10))
                        if month
                        else None,
                        health_care=str(rng.choice(["able", "partly", "unable"])) if month else None,
                    ),
                )
            )
        if position in lost:
            continue
        change = int(np.rint(rng.normal(-2.5, 3.5)))
        # Nobody below 20 at the start reaches 20 at the end, so "5 referred" stays true.
        end_total = int(np.clip(total + change, 0, 24 if total >= 20 else 19))
        end_day = day + timedelta(days=90 + int(rng.integers(-5, 8)))
        submissions.append(
            (code, score(scale, _answers(rng, end_total, items)), end_day, language, administered)
        )
    submissions.sort(key=lambda s: s[2])
    return ExampleCohort(submissions, check_ins, plans)


def example_dataset(seed: int = SEED) -> Dataset:
    """The synthetic cohort as a :class:`~widgets.research.analysis.data.Dataset` (``synthetic=True``),
    without touching any store."""
    from widgets.store.records import Submission

    cohort = generate(seed)
    records = [
        Submission(
            id=number,
            code=code,
            instrument_id=result.instrument_id,
            instrument_version=result.instrument_version,
            language=language,
            administered=administered,
            answers=dict(result.answers),
            total=result.total,
            band=result.band.id if result.band else None,
            at_least=result.at_least,
            flagged=result.flagged,
            referral=result.referral,
            submitted_on=day,
        )
        for number, (code, result, day, language, administered) in enumerate(cohort.submissions, 1)
    ]
    items = instrument(INSTRUMENT).item_ids
    return Dataset(submissions_frame(records, items), check_ins_frame(cohort.check_ins), synthetic=True)


def write_example(store: Store, seed: int = SEED) -> ExampleCohort:
    """Store the synthetic cohort: submissions, check-ins, follow-up plans, and for every
    code a ``synthetic-example`` label and a research-export consent (so exports work)."""
    from widgets.core import check_ins
    from widgets.core.follow_up import APP as FOLLOW_UP_APP
    from widgets.core.follow_up import PLAN_KEY
    from widgets.research.export import EXPORT_SCOPE

    cohort = generate(seed)
    for code in cohort.codes:
        store.record_consent(code, LABEL_SCOPE, LABEL_VERSION)
        store.record_consent(code, EXPORT_SCOPE, CONSENT_VERSION)
    for code, result, day, language, administered in cohort.submissions:
        store.add_submission(
            code, result, language=language, administered=administered, submitted_on=day
        )
    for code, day in cohort.plans:
        store.add_entry(code, FOLLOW_UP_APP, PLAN_KEY, {"start": day.isoformat()})
    for code, record in cohort.check_ins:
        store.add_entry(code, check_ins.APP, check_ins.KEY, record)
    return cohort


def write_example_database(folder: str | Path, seed: int = SEED) -> Path:
    """A new ``within.sqlite3`` holding only the example cohort, in ``folder``.

    Refuses a folder that already has a database: example data never mixes with real data.
    """
    from widgets.store import Store

    path = Path(folder) / "within.sqlite3"
    if path.exists():
        raise FileExistsError(f"{path} already exists: example data goes in a new folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{path}")
    try:
        write_example(store, seed)
    finally:
        store.close()
    return path


def load_or_example(store: Store, instrument_id: str = "thai-internalised-stigma") -> Dataset:
    """The store's consented data, or the synthetic example cohort when there is none yet
    (then ``synthetic`` is True and every view labels it as made up)."""
    dataset = load(store, instrument_id)
    if not dataset.empty:
        return dataset
    return example_dataset()
