"""Run-sheets, the presenter view kept in step with the projector, and staff training."""

from __future__ import annotations

import pytest

from widgets.core.content import library
from widgets.core.context import PageContext
from widgets.core.scoring import score
from widgets.facilitation.presenter import Follower, Presentations, Presenter, presentable_modules
from widgets.facilitation.run_sheet import RunSheet, handout_html, sheet, sheet_ids
from widgets.facilitation.staff_training import PracticeCases, Reading, cases, check
from widgets.programme import activity_3
from widgets.store import Store

LANGS = ["en", "th"]



def test_run_sheets_cover_the_programme() -> None:
    assert {
        "preparation",
        "activity-1",
        "activity-2",
        "activity-3",
        "activity-4",
        "activity-5",
        "balancing-the-scales",
    } <= set(sheet_ids())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("sheet_id", sheet_ids())
def test_a_run_sheet_adds_up_and_names_real_steps(lang: str, sheet_id: str) -> None:
    s = sheet(lang, sheet_id)
    assert sum(seg.minutes for seg in s.segments) == s.minutes
    steps = {step.id for step in library().flow(lang, sheet_id).steps}
    named = {step for seg in s.segments for step in seg.steps}
    assert named <= steps, f"unknown steps {named - steps}"
    assert any("pass" in rule.lower() or "ผ่าน" in rule for rule in s.rules)
    assert s.prepare


def test_the_handout_is_a_plain_page() -> None:
    page = handout_html("th", "activity-3")
    assert page.startswith("<!doctype html>") and '<html lang="th">' in page
    assert "<script" not in page and "http" not in page
    assert sheet("th", "activity-3").segments[0].notes in page


def test_run_sheet_widget_switches_sheets_and_times_segments() -> None:
    widget = RunSheet(context=PageContext("en"), seconds_per_minute=1)
    widget.picker.value = "balancing-the-scales"
    assert (
        widget.timer.segments[0]["seconds"]
        == sheet("en", "balancing-the-scales").segments[0].minutes
    )
    assert "Balancing the Scales" in widget.view.value
    assert widget.handout.filename == "within-run-sheet-balancing-the-scales-en.html"


def test_presenter_and_projector_stay_in_step(store: Store) -> None:
    presentations = Presentations(store)
    presenter = Presenter("activity-3", presentations=presentations)
    projected = activity_3.module(PageContext(mode="projector"))
    follower = Follower(projected.navigator, presenter.code, presentations=presentations)
    presenter.navigator.next()
    follower.pull()  # what the projector's ticker does every 1.5 s
    assert projected.navigator.step.id == presenter.navigator.step.id == "hooked"
    projected.navigator.next()  # a clicker pressed at the projector window
    presenter.follower.pull()
    assert presenter.navigator.step.id == "practice"
    assert "Practising distance" in presenter.notes.value
    assert presenter.timer.index == 2


def test_presentable_modules_are_the_projected_flows() -> None:
    modules = presentable_modules()
    assert {"preparation", "activity-1", "activity-3", "activity-5", "balancing-the-scales"} <= set(
        modules
    )
    assert "group-room" not in modules and "screening" not in modules


@pytest.mark.parametrize("lang", LANGS)
def test_practice_cases_are_checked_with_the_real_scoring(lang: str) -> None:
    widget = PracticeCases(context=PageContext(lang))
    referrals = 0
    for case in cases(lang):
        result = score(widget.tool, case.answers)
        right = Reading(
            result.total if result.total is not None else result.answered_total,
            result.band.id,
            result.referral,
            bool(result.referral or result.support),
        )
        assert check(result, right)
        assert not check(result, Reading(right.total, right.band, not right.referral, right.risk_check))
        assert not check(result, Reading(right.total, right.band, right.referral, not right.risk_check))
        referrals += result.referral
    assert referrals >= 2  # at least one clear case at 20 or more, and one with a skipped item


def test_a_trainee_gets_feedback() -> None:
    widget = PracticeCases(context=PageContext("en"))
    widget.picker.value = "case_3"
    widget.total.value, widget.band.value, widget.referral.value = 21, ["very_high"], ["no"]
    widget.risk_check.value = ["yes"]
    assert not widget.check()
    assert "Not quite" in widget.feedback.value and "referral band" in widget.feedback.value
    widget.referral.value = ["yes"]
    assert widget.check()
    assert "right" in widget.feedback.value


def test_case_d_teaches_the_risk_check_below_20() -> None:
    """Sentence 6 agreed with, a total under 20: no referral band, but the risk check is due."""
    widget = PracticeCases(context=PageContext("en"))
    widget.picker.value = "case_4"
    result = score(widget.tool, widget.case.answers)
    assert result.total == 14 and not result.referral and result.support
    widget.total.value, widget.band.value, widget.referral.value = 14, ["lower"], ["no"]
    widget.risk_check.value = ["no"]
    assert not widget.check()
    assert "risk check" in widget.feedback.value and "whatever the total" in widget.feedback.value
    widget.risk_check.value = ["yes"]
    assert widget.check()
