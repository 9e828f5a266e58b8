"""The analysis reads the real store: consented people only, check-ins included.

Every other analysis test uses the synthetic cohort; these put questionnaires and check-ins
in a real store (SQLite and PostgreSQL) for people who said yes, withdrew, or were never
asked, and check each frame against values written out here.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from widgets.core.check_ins import make_check_in
from widgets.core.instrument import instrument
from widgets.core.scoring import score
from widgets.research.analysis.data import load
from widgets.research.analysis.example import load_or_example
from widgets.research.export import EXPORT_SCOPE
from widgets.store import Store

SCALE = instrument("thai-internalised-stigma")
YES, WITHDREW, NEVER = "K7MQ-4XZA", "B7B7-B7B7", "C3C3-C3C3"
ANSWERS = {  # per person: the eight answers, and their sum worked out by hand
    YES: ([3, 3, 3, 3, 2, 0, 3, 3], 20),
    WITHDREW: ([0, 0, 1, 1, 0, 0, 0, 0], 2),
    NEVER: ([2, 2, 2, 2, 2, 2, 2, 2], 16),
}


@pytest.fixture
def consented(database_url: str) -> Store:
    """A store with three people: one said yes to research, one withdrew, one was never asked."""
    store = Store(database_url)
    for code, (answers, _total) in ANSWERS.items():
        result = score(SCALE, dict(zip(SCALE.item_ids, answers, strict=True)))
        day = date(2026, 1, 5)
        store.add_submission(code, result, language="th", administered="self", submitted_on=day)
        later = make_check_in(date(2026, 1, 6), 4, 7, 5, craving=3)
        store.add_entry(code, "mood", "check-in", later)
        store.add_entry(code, "mood", "check-in", make_check_in(date(2026, 1, 5), 6, 5, 6))
        store.add_entry(code, "mood", "check-in", {"mood": 9})  # no day: cannot be placed
        store.add_entry(code, "mood", "note", {"on": "2026-01-05", "mood": 1})  # another key
    store.record_consent(YES, EXPORT_SCOPE, "v1")
    store.record_consent(WITHDREW, EXPORT_SCOPE, "v1")
    store.record_consent(WITHDREW, EXPORT_SCOPE, "v1", given=False)
    store.record_consent(NEVER, "store-answers", "v1")  # keeping answers, not research
    return store


def test_only_consented_people_reach_the_analysis(consented: Store) -> None:
    data = load(consented, SCALE.spec.id)
    assert not data.synthetic
    assert list(data.submissions["code"]) == [YES]
    row = data.submissions.iloc[0]
    assert [int(row[item]) for item in SCALE.item_ids] == ANSWERS[YES][0]
    assert int(row["total"]) == ANSWERS[YES][1] and row["band"] == "very_high" and row["referral"]
    assert row["submitted_on"] == pd.Timestamp("2026-01-05")
    # Check-ins: the consenting person's two, oldest first; nobody else's.
    checkins = data.check_ins
    assert list(checkins["code"]) == [YES, YES]
    assert list(checkins["on"]) == [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-06")]
    assert list(checkins["mood"]) == [6, 4] and list(checkins["stress"]) == [5, 7]
    assert pd.isna(checkins["craving"].iloc[0]) and checkins["craving"].iloc[1] == 3
    assert str(checkins["mood"].dtype) == "Int64"


def test_work_that_stays_in_the_centre_can_read_everyone(consented: Store) -> None:
    data = load(consented, SCALE.spec.id, consent_scope=None)
    assert sorted(data.submissions["code"]) == sorted(ANSWERS)
    totals = dict(zip(data.submissions["code"], data.submissions["total"], strict=True))
    assert totals == {code: total for code, (_answers, total) in ANSWERS.items()}
    assert sorted(set(data.check_ins["code"])) == sorted(ANSWERS)
    assert len(data.check_ins) == 2 * len(ANSWERS)


def test_a_withdrawal_removes_a_person_from_the_next_analysis(consented: Store) -> None:
    consented.record_consent(YES, EXPORT_SCOPE, "v1", given=False)
    data = load(consented, SCALE.spec.id)
    assert data.submissions.empty and data.check_ins.empty
    assert load_or_example(consented).synthetic  # nothing consented: the labelled example instead
    consented.record_consent(NEVER, EXPORT_SCOPE, "v2")
    real = load_or_example(consented)
    assert not real.synthetic and list(real.submissions["code"]) == [NEVER]
    assert list(real.check_ins["code"]) == [NEVER, NEVER]
