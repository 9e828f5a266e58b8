"""Safety follows risk: staff are prompted to ask a risk screen after sentence 6 or a total of
20+, a person alone is asked one gentle question, and only two facts are ever stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from widgets.core.content import ContentError, ContentLibrary
from widgets.core.context import PageContext
from widgets.core.instrument import instrument, load_instrument
from widgets.core.paths import content_dir
from widgets.core.risk_screen import load_risk_screen, risk_check_reasons, risk_screen
from widgets.core.scoring import score
from widgets.exercises.risk_check import APP, SafetyQuestion, high_distress
from widgets.exercises.scale_form import ScaleForm
from widgets.facilitation.screening import ScreeningSession
from widgets.research.export import export_submissions
from widgets.store import Store

SCALE = instrument("thai-internalised-stigma")
ASQ = risk_screen("asq")
NO_TO_ALL = {
    "wished_dead": "no",
    "better_off_dead": "no",
    "thoughts_past_week": "no",
    "ever_tried": "no",
}
#: Item 6 agreed with, total 14: under both cut-offs.
AGREES_WITH_6_TOTAL_14 = [2, 2, 2, 2, 1, 2, 2, 1]


@pytest.fixture
def any_store(database_url: str) -> Store:
    """A store on each database: SQLite, then PostgreSQL (``database_url`` in tests/conftest.py)."""
    return Store(database_url)


def screened(store: Store, codes: list[int], lang: str = "en") -> ScreeningSession:
    session = ScreeningSession(store, context=PageContext(lang))
    session.consent.value = True
    session.research.value = True
    session.new_code_button.click()
    session.start_button.click()
    assert session.form is not None
    for item_id, code in zip(SCALE.item_ids, codes, strict=True):
        session.form.choose(item_id, code)
    session.form.submit()
    return session


def test_item_6_agreed_with_a_total_of_14_prompts_the_risk_screen(any_store: Store) -> None:
    session = screened(any_store, AGREES_WITH_6_TOTAL_14)
    assert session.form is not None and session.form.result is not None
    assert session.form.result.total == 14 and not session.form.result.referral
    assert session.risk_check is not None and session.risk_check in session.form_slot.children
    header = session.risk_check.header.value
    assert "no future" in header and "20 or more" in header  # why, and what the pilot did
    assert "Within&#x27;s own rule" in header
    shown = [c.legend for c in session.risk_check.children if hasattr(c, "legend")]
    assert shown == [ASQ.words("en").questions[q] for q in NO_TO_ALL]  # acuity comes after a yes


def test_a_total_of_20_prompts_it_and_a_low_total_without_item_6_does_not(any_store: Store) -> None:
    high = screened(any_store, [3, 3, 3, 3, 3, 1, 2, 2])
    assert high.risk_check is not None and "20 or more" in high.risk_check.header.value
    low = screened(any_store, [2, 2, 2, 2, 2, 1, 2, 2])
    assert low.risk_check is None


def test_no_to_all_shows_no_risk_and_stores_only_done(any_store: Store) -> None:
    session = screened(any_store, AGREES_WITH_6_TOTAL_14)
    check = session.risk_check
    assert check is not None
    check.finish()
    assert "every question" in check.message.value and not check.outcome  # kind, not a crash
    for question, answer in NO_TO_ALL.items():
        check.answer(question, answer)
    assert check.finish() == "none"
    assert 'data-outcome="none"' in check.steps.value
    entries = any_store.entries(session.code, APP)
    assert [(e.key, e.value) for e in entries] == [("done", True)]


def test_any_yes_asks_the_acuity_question_and_shows_referral_steps(any_store: Store) -> None:
    session = screened(any_store, AGREES_WITH_6_TOTAL_14)
    check = session.risk_check
    assert check is not None
    for question, answer in {**NO_TO_ALL, "ever_tried": "yes"}.items():
        check.answer(question, answer)
    assert check.questions["right_now"] in check.children
    check.finish()
    assert "every question" in check.message.value  # the acuity question is still open
    check.answer("right_now", "no")
    assert check.finish() == "referral"
    assert "Referral steps" in check.steps.value and 'href="tel:1323"' in check.steps.value
    check.referral_button.click()
    assert check.referral_button not in check.children
    assert "referral given" in check.message.value
    entries = any_store.entries(session.code, APP)
    assert [(e.key, e.value) for e in entries] == [("done", True), ("referral-given", True)]


def test_an_acute_yes_shows_urgent_steps_with_1669(any_store: Store) -> None:
    session = screened(any_store, [3, 3, 3, 3, 3, 3, 3, 3], lang="th")
    check = session.risk_check
    assert check is not None
    assert "ฉบับร่าง" in check.header.value  # the Thai questions are a draft
    for question in NO_TO_ALL:
        check.answer(question, "declined")  # not answering counts as yes (ASQ's rule)
    check.answer("right_now", "yes")
    assert check.finish() == "urgent"
    assert "อยู่กับเขา" in check.steps.value and "1669" in check.steps.value


def test_risk_checks_are_never_exported_for_research(any_store: Store, tmp_path: Path) -> None:
    session = screened(any_store, AGREES_WITH_6_TOTAL_14)
    assert session.risk_check is not None
    for question in NO_TO_ALL:
        session.risk_check.answer(question, "yes")
    session.risk_check.answer("right_now", "no")
    session.risk_check.finish()
    session.risk_check.give_referral()
    exported = export_submissions(any_store, tmp_path / "out", instrument_id=SCALE.id)
    assert exported.rows  # the person agreed to be counted, so the screening is there
    data = [path for path in exported.paths if "codebook" not in path.name]
    assert data
    for path in data:
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        assert "risk" not in text and "referral-given" not in text and "wished_dead" not in text
    for path in exported.paths:  # not even the codebook names the risk check's records
        assert "risk-check" not in path.read_text(encoding="utf-8", errors="replace")


def test_a_person_alone_agreeing_with_item_6_sees_1323_first_and_nothing_is_stored(
    any_store: Store,
) -> None:
    code = "K7MQ4XZA"
    form = ScaleForm(context=PageContext("th"), store=any_store, code=code, setting="self")
    for item_id, answer in zip(SCALE.item_ids, AGREES_WITH_6_TOTAL_14, strict=True):
        form.choose(item_id, answer)
    form.submit()
    question = form.safety_question
    assert isinstance(question, SafetyQuestion) and form.children[0] is question
    assert 'href="tel:1323"' in question.crisis.value
    assert "ไม่มีใครได้รับแจ้ง" in question.choices.hint and "ข้าม" in question.choices.hint
    before = (any_store.entries(code), any_store.summary(code))
    question.choose("yes")
    assert "1323" in question.message.value and "1669" in question.message.value
    assert (any_store.entries(code), any_store.summary(code)) == before


def test_no_question_for_a_low_result_without_item_6() -> None:
    form = ScaleForm(context=PageContext("en"), setting="self")
    for item_id in SCALE.item_ids:
        form.choose(item_id, 1)
    form.submit()
    assert form.safety_question is None


def test_high_distress_is_both_mood_and_wellbeing_very_low() -> None:
    assert high_distress({"mood": 1, "wellbeing": 2, "stress": 5})
    assert not high_distress({"mood": 1, "wellbeing": 6, "stress": 10})


def test_reasons_follow_the_instrument_file() -> None:
    result = score(SCALE, dict(zip(SCALE.item_ids, AGREES_WITH_6_TOTAL_14, strict=True)))
    assert risk_check_reasons(SCALE, result) == ["item"]


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    return root


def test_a_centre_can_use_its_own_weighted_screen(scratch: Path) -> None:
    """An 8Q-shaped screen: weights, a follow-up question and an urgent total."""
    (scratch / "risk_screens" / "centre-8q.yaml").write_text(
        "id: centre-8q\nversion: '1'\nreferral_at: 1\nurgent_at: 17\ndeclined_counts_as_yes: false\n"
        "questions:\n  - {id: q1, weight: 1}\n  - {id: q3, weight: 6}\n"
        "  - {id: q3_control, weight: 8, asked_if_any: [q3]}\n  - {id: q5, weight: 9}\n",
        encoding="utf-8",
    )
    (scratch / "en" / "risk_screens" / "centre-8q.yaml").write_text(
        "title: 8Q\ninstructions: Ask each.\nquestions: {q1: One?, q3: Three?, q3_control: Control?, q5: Five?}\n",
        encoding="utf-8",
    )
    screen = load_risk_screen("centre-8q", ContentLibrary(scratch))
    assert [q.id for q in screen.asked({"q3": "no"})] == ["q1", "q3", "q5"]
    assert screen.outcome({"q1": "no", "q3": "no", "q5": "no"}) == "none"
    assert screen.outcome({"q1": "declined", "q3": "no", "q5": "no"}) == "none"
    assert screen.outcome({"q1": "yes", "q3": "no", "q5": "no"}) == "referral"
    assert screen.outcome({"q1": "no", "q3": "yes", "q3_control": "yes", "q5": "yes"}) == "urgent"
    spec = scratch / "instruments" / "thai-internalised-stigma.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("screen: asq", "screen: centre-8q"),
        encoding="utf-8",
    )
    assert (
        load_instrument("thai-internalised-stigma", ContentLibrary(scratch)).spec.risk_check.screen
        == "centre-8q"
    )


def test_a_screen_whose_words_miss_a_question_is_refused(scratch: Path) -> None:
    words = scratch / "th" / "risk_screens" / "asq.yaml"
    words.write_text(
        words.read_text(encoding="utf-8").replace("  ever_tried:", "  never:"), encoding="utf-8"
    )
    with pytest.raises(ContentError, match="questions"):
        load_risk_screen("asq", ContentLibrary(scratch))


def test_a_check_in_with_high_distress_asks_gently_and_keeps_only_the_check_in(
    any_store: Store,
) -> None:
    from widgets.core.check_ins import saved_check_ins
    from widgets.exercises.mood import MoodCheckIn

    code = "K7MQ4XZA"
    widget = MoodCheckIn(context=PageContext("th"), store=any_store, code=code)
    widget.ratings["mood"].value = 5
    widget.save_button.click()
    assert widget.safety_question is None  # an ordinary day asks nothing
    widget.ratings["mood"].value = 1
    widget.ratings["wellbeing"].value = 2
    widget.save_button.click()
    question = widget.safety_question
    assert question is not None and question in widget.children
    assert 'href="tel:1323"' in question.crisis.value
    before = any_store.entries(code)
    question.choose("skip")
    assert "ไม่เป็นไร" in question.message.value
    assert any_store.entries(code) == before and len(saved_check_ins(any_store, code)) == 2
