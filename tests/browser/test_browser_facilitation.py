"""Presenter and audience windows in step; run-sheets and staff training render accessibly."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from widgets.core.content import library, text
from widgets.facilitation.run_sheet import sheet

pytestmark = pytest.mark.browser


def t(key: str, **fields) -> str:
    return text("en", key, **fields)


def test_presenter_and_projector_move_together(
    staff_app, make_page, projector_page, open_app
) -> None:
    presenter = open_app(
        make_page("presenter", viewport={"width": 1280, "height": 900}),
        staff_app,
        "presenter.ipynb",
    )
    steps = library().flow("en", "preparation").steps
    notes = sheet("en", "preparation").segment_for(steps[0].id)
    expect(presenter.get_by_text(notes.notes)).to_be_visible()
    href = presenter.get_by_role("link", name=t("presenter.open_audience")).get_attribute("href")
    assert "mode=projector" in href and "present=" in href
    projector_page.goto(
        f"{staff_app.base_url}/voila/render/{href}&token={staff_app.token}", wait_until="commit"
    )
    expect(projector_page.locator(".within-navigator--projector h2")).to_have_text(
        steps[0].title, timeout=60_000
    )
    assert (
        projector_page.locator(".within-presenter-notes").count() == 0
    )  # notes stay with the presenter

    presenter.locator(".within-navigator").get_by_role("button", name=t("common.nav.next")).click()
    expect(projector_page.locator(".within-navigator--projector h2")).to_have_text(
        steps[1].title, timeout=4_000
    )

    # A clicker at the projector window: step 2 has two slides, so the presenter follows to
    # the second slide of the same step, then to step 3.
    projector_page.locator("body").press("ArrowRight")
    assert len(steps[1].projected_slides) == 2
    second = t("common.nav.slide_of", number=2, total=len(steps), part=2, parts=2)
    expect(presenter.locator(".within-navigator .within-progress")).to_have_text(
        second, timeout=4_000
    )
    expect(presenter.locator(".within-navigator h2")).to_have_text(steps[1].title)
    projector_page.locator("body").press("ArrowRight")
    expect(presenter.locator(".within-navigator h2")).to_have_text(steps[2].title, timeout=4_000)


def test_run_sheets_and_staff_training_open(
    staff_app, make_page, open_app, assert_accessible
) -> None:
    page = open_app(
        make_page("laptop", viewport={"width": 1280, "height": 900}), staff_app, "run-sheets.ipynb"
    )
    first = sheet("en", "preparation").segments[0]
    expect(page.locator(".within-segment-title")).to_contain_text(first.title)
    expect(page.locator(".within-segment-clock")).to_have_text(f"{first.minutes:02d}:00")
    expect(page.get_by_role("button", name=t("run_sheets.ui.print"))).to_be_visible()
    expect(page.get_by_text(t("run_sheets.ground_rules.pass"))).to_be_visible()
    assert_accessible(page)
    page = open_app(make_page("staff"), staff_app, "staff-training.ipynb", lang="th")
    expect(page.get_by_text(library().flow("th", "staff-training").steps[0].title)).to_be_visible()
    assert_accessible(page)


def test_run_sheets_are_not_projected(staff_app, projector_page, open_app) -> None:
    page = open_app(projector_page, staff_app, "run-sheets.ipynb", mode="projector")
    expect(page.get_by_text(t("common.projector_unavailable"))).to_be_visible()
    assert page.locator(".within-run-sheet").count() == 0
