"""Three months of follow-up: the plan, what is due, my progress, and the staff list of codes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from widgets.apps import page
from widgets.apps.my_progress import MyProgress
from widgets.core.context import PageContext
from widgets.core.follow_up import (
    due_this_week,
    plan_points,
    point_status,
    points_done,
    record_check_in,
    start_plan,
)
from widgets.exercises.take_home import CardData, TakeHomeCard, card_html
from widgets.facilitation.follow_up import FollowUpList, FollowUpPlan
from widgets.programme.ladder import LEVELS, LadderReflection, saved_reflections
from widgets.store import Store

START = date(2026, 1, 5)  # a Monday



def test_the_plan_is_a_baseline_three_monthly_check_ins_and_an_end() -> None:
    points = plan_points(START)
    assert [p.id for p in points] == ["baseline", "month_1", "month_2", "month_3"]
    assert [(p.due - START).days for p in points] == [0, 30, 60, 90]
    month_1 = points[1]
    assert point_status(month_1, set(), START) == "upcoming"
    assert point_status(month_1, set(), month_1.due - timedelta(days=7)) == "due"
    assert point_status(month_1, set(), month_1.due + timedelta(days=8)) == "open"
    assert point_status(month_1, {"month_1"}, START) == "done"


def test_check_ins_complete_the_point_that_is_due(store: Store) -> None:
    assert record_check_in(store, "A1", START) is None  # no plan, nothing to mark
    start_plan(store, "A1", START)
    assert record_check_in(store, "A1", START) == "baseline"
    assert record_check_in(store, "A1", START + timedelta(days=1)) is None  # month 1 not due yet
    assert record_check_in(store, "A1", START + timedelta(days=27)) == "month_1"
    assert points_done(store, "A1") == {"baseline", "month_1"}


def test_staff_see_only_codes_due_this_week(store: Store) -> None:
    start_plan(store, "A1", START)  # month_1 due 2026-02-04
    start_plan(store, "B2", START + timedelta(days=3))  # month_1 due 2026-02-07
    start_plan(store, "C3", START + timedelta(days=40))  # nothing this week
    store.add_entry("B2", "mood", "check-in", {"mood": 1, "note": "private words"})
    today = date(2026, 2, 4)
    due = due_this_week(store, today)
    assert [(code, p.id, p.due.isoformat()) for code, p in due] == [
        ("A1", "month_1", "2026-02-04"),
        ("B2", "month_1", "2026-02-07"),
    ]
    store.add_entry("A1", "follow-up", "done", {"point": "month_1", "on": "2026-02-03"})
    view = FollowUpList(store, context=PageContext("th"), today=lambda: today)
    assert "B2" in view.view.value and "A1" not in view.view.value and "C3" not in view.view.value
    assert "private words" not in view.view.value and "1 รหัส" in view.view.value
    assert "Not" not in FollowUpList(store, today=lambda: date(2026, 6, 1)).view.value


def test_the_staff_list_is_never_projected(store: Store) -> None:
    start_plan(store, "A1", START)
    projected = page("follow-up", context=PageContext("en", "projector"), store=store).current
    assert projected.activity is None and "A1" not in str(
        [getattr(c, "value", "") for c in projected.children]
    )
    assert "not shown on a shared screen" in projected.problem.value
    assert "staff only" in FollowUpList(store, context=PageContext("en", "projector")).view.value
    own = page("follow-up", context=PageContext("en"), store=store).current
    assert own.code_panel is None and isinstance(own.activity, FollowUpList)


def test_my_progress_shows_the_plan_and_records_a_due_check_in(store: Store) -> None:
    today = lambda: START
    progress = MyProgress(store, "A1", context=PageContext("en"), today=today)
    assert "not started" in progress.plan.view.value and progress.check_in.follow_up is False
    progress.plan.start_button.click()
    assert progress.check_in.follow_up is True and "Starting point" in progress.plan.view.value
    progress.check_in.save_button.click()
    assert "Saved as: Starting point" in progress.note.value
    assert "One-month check-in, around 2026-02-04" in progress.plan.view.value
    assert progress.chart.check_ins and "1 check-ins" in progress.chart.words.value
    plan = FollowUpPlan(store, "A1", today=lambda: START + timedelta(days=100))
    assert "still open" in plan.view.value


def test_ladder_reflections_autosave_and_projector_shows_prompts_only(store: Store) -> None:
    card = LadderReflection("community", store=store, code="A1")
    card.input.value = "A drop-in centre run by us <b>"
    assert saved_reflections(store, "A1") == {"community": "A drop-in centre run by us <b>"}
    assert LadderReflection("community", store=store, code="A1").input.value.startswith("A drop-in")
    projected = LadderReflection(
        "self", context=PageContext("th", "projector"), store=store, code="A1"
    )
    assert len(projected.children) == 2 and "ตัวเอง" in projected.children[1].value
    assert LEVELS == ("self", "relationship", "leadership", "organisation", "community")
    with pytest.raises(ValueError):
        LadderReflection("nation")


def test_take_home_card_is_a_local_download_and_escapes(store: Store) -> None:
    card = CardData(
        values=["Family"], direction="<script>alert(1)</script>", goal={"goal": "ฟื้นฟู $5"}
    )
    page = card_html(card, "th")
    assert "&lt;script&gt;" in page and "<script>" not in page and "@media print" in page
    assert 'lang="th"' in page and "ฟื้นฟู $5" in page
    widget = TakeHomeCard(card=card, context=PageContext("en"))
    html = widget.view.value
    assert (
        'href="data:text/html;charset=utf-8;base64,' in html
        and 'href="data:image/png;base64,' in html
    )
    assert "http" not in html and "alt=" in html
    empty = TakeHomeCard(store=store, code="A1")
    assert "Choose your values" in empty.view.value


def test_my_progress_app_charts_the_persons_own_complete_screening_totals(store: Store) -> None:
    from widgets.apps.app_page import AppPage
    from widgets.apps.my_progress import my_progress
    from widgets.core.codes import new_code
    from widgets.core.instrument import instrument
    from widgets.core.scoring import score

    scale = instrument("thai-internalised-stigma")
    mine, other = new_code(), new_code()
    store.add_submission(mine, score(scale, dict.fromkeys(scale.item_ids, 3)), language="en", administered="read-aloud")
    store.add_submission(mine, score(scale, {"item_1": 1}), language="en", administered="self")  # incomplete
    store.add_submission(mine, score(scale, dict.fromkeys(scale.item_ids, 1)), language="en", administered="self")
    store.add_submission(other, score(scale, dict.fromkeys(scale.item_ids, 2)), language="en", administered="self")
    page = AppPage("my-progress", my_progress, context=PageContext("en"), store=store)
    page.code_panel.confirm(mine)
    assert [total for _day, total in page.activity.chart.screening] == [24, 8]
