"""A whole Balancing the Scales session run from the presenter view, the projector following,
a room question answered from a phone; and the self-guided path saving and resuming."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from widgets.apps.builders import projected_navigator
from widgets.core.content import library, text
from widgets.core.context import PageContext
from widgets.facilitation.run_sheet import sheet
from widgets.rooms.model import questions

pytestmark = pytest.mark.browser

MODULE = "scales-self"


def t(key: str, lang: str = "en", **fields) -> str:
    return text(lang, key, **fields)


def test_a_whole_session_from_the_presenter_view_with_a_phone_in_the_room(
    staff_app, join_listener, make_page, projector_page, open_app, assert_accessible
) -> None:
    flow = library().flow("en", MODULE)
    run_sheet = sheet("en", MODULE)
    arriving = questions("en")["arriving"]
    presenter = open_app(
        make_page("presenter", viewport={"width": 1280, "height": 900}),
        staff_app,
        "presenter.ipynb",
    )
    presenter.get_by_label(t("presenter.module")).select_option(label=t(f"apps.{MODULE}.title"))
    panel = presenter.locator(".within-presenter-room")
    expect(panel.get_by_text(arriving["prompt"])).to_be_visible(timeout=20_000)
    expect(presenter.get_by_text(run_sheet.segments[0].notes)).to_be_visible()
    code = panel.locator(".within-room-compact strong").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{5}", code)
    href = presenter.get_by_role("link", name=t("presenter.open_audience")).get_attribute("href")
    assert f"room={code}" in href and "present=" in href and href.startswith(f"{MODULE}.ipynb")

    projector_page.goto(
        f"{staff_app.base_url}/voila/render/{href}&token={staff_app.token}",
        wait_until="domcontentloaded",
        timeout=60_000,
    )
    projected_title = projector_page.locator(".within-navigator--projector h2")
    expect(projected_title).to_have_text(flow.steps[0].title, timeout=60_000)
    expect(projector_page.locator(".within-room-code")).to_have_text(
        code
    )  # join here, in huge letters
    assert (
        projector_page.locator(".within-presenter-notes").count() == 0
    )  # notes stay with the presenter

    panel.get_by_role("button", name=t("rooms.facilitator.ask")).click()
    expect(projector_page.locator(".within-room-prompt")).to_have_text(
        arriving["prompt"], timeout=5_000
    )
    expect(projector_page.get_by_text(t("rooms.projector.hidden"))).to_be_visible()

    phone = make_page(
        "phone", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    phone.goto(f"{join_listener}/r/{code}")
    phone.get_by_label(dict(arriving["options"])["hopeful"]).check()
    phone.get_by_role("button", name=t("rooms.join.send")).click()
    expect(phone.get_by_text(t("rooms.join.thanks"))).to_be_visible()

    expect(panel.get_by_text(t("rooms.projector.answers", count=1))).to_be_visible(timeout=5_000)
    panel.get_by_role("button", name=t("rooms.facilitator.reveal")).click()
    hopeful = projector_page.locator(".within-room-bars li").filter(
        has_text=dict(arriving["options"])["hopeful"]
    )
    expect(hopeful.locator(".within-bar-count")).to_have_text("1", timeout=5_000)
    expect(projector_page.get_by_text(t("rooms.projector.answers", count=1))).to_be_visible()
    assert_accessible(projector_page)

    audience_room = projector_page.locator(".within-audience-room")
    next_button = presenter.locator(".within-navigator").get_by_role(
        "button",
        name=re.compile(
            f"^({re.escape(t('common.nav.next'))}|{re.escape(t('common.nav.finish'))})$"
        ),
    )
    # Slide by slide: the presenter counts the slides the wall shows (a reflection's prompt and
    # its choices take slides of their own there), so both say the same "Step n of N (k/K)".
    wall = projected_navigator(MODULE, PageContext("en", "projector"))
    projected_counter = projector_page.locator(".within-slide-footer .within-progress")
    presenter_counter = presenter.locator(".within-navigator .within-progress")
    slides = []
    for index, step in enumerate(flow.steps):
        wall.index = index
        parts = len(wall.slides)
        slides += [(index, step, part, parts) for part in range(parts)]
    for index, step, part, parts in slides[1:]:
        next_button.click()
        fields = {"number": index + 1, "total": len(flow.steps)}
        label = (
            t("common.nav.slide_of", part=part + 1, parts=parts, **fields)
            if parts > 1
            else t("common.nav.step_of", **fields)
        )
        expect(presenter_counter).to_have_text(label)
        expect(projected_counter).to_have_text(label, timeout=5_000)
        expect(presenter.locator(".within-navigator h2")).to_have_text(step.title)
        expect(projected_title).to_have_text(step.title, timeout=5_000)
        segment = run_sheet.segment_for(step.id)
        expect(presenter.get_by_text(segment.notes)).to_be_visible()
        if segment.room:
            prompt = questions("en")[segment.room]["prompt"]
            expect(panel.get_by_text(prompt)).to_be_visible()
            expect(audience_room).to_be_visible()
        else:
            expect(panel).to_be_hidden()
            expect(audience_room).to_be_hidden()
        assert projector_page.get_by_role("textbox").count() == 0  # nothing typed on the wall
    next_button.click()  # Finish
    expect(projected_title).to_have_text(flow.title, timeout=5_000)
    expect(projector_page.get_by_text(t("common.nav.finished"))).to_be_visible()
    assert_accessible(presenter)


def test_the_self_guided_path_saves_and_resumes_in_the_browser(
    served_app, phone_page, open_app, assert_accessible
) -> None:
    steps = [step.id for step in library().flow("th", MODULE).steps]
    page = open_app(phone_page, served_app, f"{MODULE}.ipynb", lang="th")
    page.get_by_role("button", name=t("common.code.new", "th")).click()
    page.get_by_role("button", name=t("common.code.noted", "th")).click()
    nav = page.locator(".within-navigator")
    nav_button = lambda key: nav.get_by_role(
        "button", name=t(f"common.nav.{key}", "th"), exact=True
    )
    for _ in range(steps.index("resources")):
        nav_button("next").click()
    expect(nav.locator("h2")).to_have_text(
        library().flow("th", MODULE).steps[steps.index("resources")].title
    )
    resources = library().strings("th", "scales")["scales_self"]["resources"]
    page.get_by_label(resources["options"]["survival"]).check()
    page.get_by_label(t("reflection.own_words", "th")).fill("เพื่อนโทรหาฉันเป็นคนแรก <b>")
    page.get_by_role("button", name=t("reflection.save", "th")).click()
    expect(page.get_by_text(t("reflection.saved", "th"))).to_be_visible()
    nav_button("pause").click()
    expect(page.get_by_text(t("common.nav.paused", "th"))).to_be_visible()
    assert_accessible(page)

    page = open_app(page, served_app, f"{MODULE}.ipynb", lang="th")  # the device remembers the code
    expect(page.get_by_text(t("common.nav.resumed", "th"))).to_be_visible()
    expect(page.locator(".within-navigator h2")).to_have_text(
        library().flow("th", MODULE).steps[steps.index("resources")].title
    )
    saved = page.locator(".within-saved .within-answer")
    expect(saved).to_have_text(f"{resources['options']['survival']} — เพื่อนโทรหาฉันเป็นคนแรก <b>")
    assert page.locator(".within-saved b").count() == 0  # typed markup stays text
