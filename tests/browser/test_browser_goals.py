"""Activity 5 and my progress on a phone: sort cards, write a goal, check in, see the chart.

One participant code is made on the first page and carried by the tab's sessionStorage,
so later pages and a reload resume without retyping it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from widgets.core.content import library, text
from widgets.core.context import PageContext
from widgets.exercises.values_cards import value_cards

pytestmark = pytest.mark.browser

LANG = "en"


def t(key: str, **fields) -> str:
    return text(LANG, key, **fields)


def button(page, key: str):
    return page.get_by_role("button", name=t(key), exact=True)


def test_sort_cards_write_a_goal_and_see_check_ins_after_a_reload(
    served_app, staff_app, phone_page, open_app, assert_accessible
) -> None:
    page = open_app(phone_page, served_app, "activity-5.ipynb", lang=LANG)
    button(page, "common.code.new").click()
    button(page, "common.code.noted").click()
    expect(page.get_by_role("heading", name="Which way do you want to go?")).to_be_visible()
    button(page, "common.nav.next").click()

    # Sort every card with the buttons; undo once on the way.
    cards = value_cards(LANG)
    very = button(page, "values.piles.very")
    less = button(page, "values.piles.less")
    expect(page.get_by_text(t("values.sort.card_of", number=1, total=len(cards)))).to_be_visible()
    assert_accessible(page)
    less.click()
    expect(page.get_by_text(t("values.sort.card_of", number=2, total=len(cards)))).to_be_visible()
    button(page, "values.sort.undo").click()
    expect(page.get_by_text(t("values.sort.card_of", number=1, total=len(cards)))).to_be_visible()
    for number, _card in enumerate(cards, start=1):
        expect(
            page.get_by_text(t("values.sort.card_of", number=number, total=len(cards)))
        ).to_be_visible()
        (very if number <= 4 else less).click()
    expect(page.get_by_text(t("values.sort.done"))).to_be_visible()
    for card in cards[:3]:
        page.get_by_role("checkbox", name=card.name, exact=True).check()
    expect(
        page.get_by_text(re.compile(re.escape("Your top values: " + cards[0].name)))
    ).to_be_visible()
    button(page, "common.nav.next").click()

    direction = page.get_by_label(t("values.sort.direction_label"))
    direction.fill("Be there for my family $5 <b>")
    direction.press("Tab")
    expect(page.get_by_text(t("values.sort.saved"), exact=True)).to_be_visible()
    button(page, "common.nav.next").click()

    page.get_by_label(t("goals.card.goal_label")).fill("Rebuild things with my sister")
    page.get_by_label(t("goals.card.step_label")).fill("Send her a message on Sunday")
    button(page, "goals.card.save").click()
    expect(page.get_by_text(t("goals.card.saved"))).to_be_visible()
    button(page, "common.nav.next").click()
    button(page, "goals.check_in.partly").click()
    expect(page.get_by_text(t("goals.check_in.thanks_partly"))).to_be_visible()
    button(page, "common.nav.next").click()
    expect(page.get_by_role("link", name=t("take_home.download_picture"))).to_have_attribute(
        "href", re.compile(r"^data:image/png;base64,")
    )
    assert_accessible(page)

    # My progress: two check-ins, then a reload shows them on the chart.
    page = open_app(page, served_app, "my-progress.ipynb", lang=LANG)
    expect(page.get_by_text("Rebuild things with my sister")).to_be_visible()
    button(page, "follow_up.plan.start").click()
    expect(page.get_by_text(t("follow_up.plan.not_started"))).to_have_count(0)
    mood = page.get_by_label(t("mood.check_in.mood"))
    mood.fill("3")
    button(page, "mood.check_in.save").click()
    expect(page.get_by_text(t("mood.check_in.saved", count=1))).to_be_visible()
    mood.fill("8")
    button(page, "mood.check_in.save").click()
    expect(page.get_by_text(t("mood.check_in.saved", count=2))).to_be_visible()

    page.reload(wait_until="domcontentloaded")
    page = open_app(page, served_app, "my-progress.ipynb", lang=LANG)
    expect(page.get_by_text(re.compile(r"^2 check-ins from "))).to_be_visible()
    chart = page.locator(".within-chart img")
    expect(chart).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    assert chart.evaluate("img => img.naturalWidth") > 300
    page.get_by_text(t("mood.chart.alt_table")).click()
    cells = page.locator(".within-table tbody tr td:nth-child(2)").all_text_contents()
    assert cells == ["3", "8"]
    recorded = t("follow_up.plan.recorded", point=t("follow_up.points.baseline"))
    expect(
        page.get_by_text(re.compile(re.escape(t("follow_up.points.baseline")) + r" \(.*\): done"))
    ).to_be_visible()
    assert recorded  # the first check-in counted as the starting point
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than the phone"
    assert_accessible(page)

    # Coming back to the activity resumes at the step where the person stopped.
    page = open_app(page, served_app, "activity-5.ipynb", lang=LANG)
    expect(page.get_by_text(t("common.nav.resumed"))).to_be_visible()
    expect(page.get_by_role("link", name=t("take_home.download_page"))).to_be_visible()

    # Staff see codes only, and not this one: its starting point is done.
    code = page.evaluate("() => sessionStorage.getItem('within.code')")
    assert code
    page = open_app(page, staff_app, "follow-up.ipynb", lang=LANG)
    expect(page.get_by_role("heading", name=t("apps.follow-up.title"))).to_be_visible()
    expect(page.get_by_text(code)).to_have_count(0)
    assert_accessible(page)


def test_ladder_prompts_on_a_projector(
    served_app, projector_page, open_app, assert_accessible
) -> None:
    page = open_app(
        projector_page, served_app, "scales-relationship.ipynb", lang="th", mode="projector"
    )
    steps = [step.id for step in library().flow("th", "scales-relationship").steps]
    level = PageContext("th", "projector").t(
        "common.nav.step_of", number=steps.index("level") + 1, total=len(steps)
    )
    counter = page.locator(".within-slide-footer .within-progress")
    prompt = page.get_by_text(text("th", "ladder.levels.relationship.prompt"))
    for _ in range(60):  # slide by slide, as a facilitator presses on, up to the level's prompt
        shown = counter.inner_text()
        if shown.startswith(level):
            try:
                expect(prompt).to_be_visible(timeout=3_000)
                break
            except AssertionError:  # the level's words come first; its prompt is on a later slide
                pass
        page.keyboard.press("ArrowRight")
        expect(counter).not_to_have_text(shown)  # the next slide is drawn
    expect(prompt).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)
    assert_accessible(page)


def test_activity_5_on_a_projector_shows_the_deck_and_asks_nothing(
    served_app, projector_page, open_app, assert_accessible
) -> None:
    page = open_app(projector_page, served_app, "activity-5.ipynb", mode="projector")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # the step's words, then the deck on a slide of its own
    expect(page.locator(".within-deck li")).to_have_count(len(value_cards(LANG)))
    expect(button(page, "values.piles.very")).to_have_count(0)
    for _ in range(3):  # direction, then the goal step's words and its card
        page.keyboard.press("ArrowRight")
    expect(page.get_by_text(t("goals.card.step_label"))).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)
    assert_accessible(page)


def test_a_rating_moved_just_before_saving_is_the_one_saved(
    phone_page, served_app, open_app
) -> None:
    """Moving the mood rating twice and tapping "Save" in the same moment saves the last value
    (a moved rating travels as a message, in order with the click)."""
    page = open_app(phone_page, served_app, "my-progress.ipynb", lang=LANG)
    button(page, "common.code.new").click()
    button(page, "common.code.noted").click()
    mood = page.get_by_label(t("mood.check_in.mood"))
    expect(mood).to_be_visible()
    mood.evaluate(
        """(input, save) => {
          for (const value of ["3", "8"]) {
            input.value = value;
            input.dispatchEvent(new Event("input", { bubbles: true }));
            input.dispatchEvent(new Event("change", { bubbles: true }));
          }
          [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === save).click();
        }""",
        t("mood.check_in.save"),
    )
    expect(page.get_by_text(t("mood.check_in.saved", count=1))).to_be_visible()
    page.get_by_text(t("mood.chart.alt_table")).click()
    cells = page.locator(".within-table tbody tr td:nth-child(2)")
    expect(cells).to_have_text(["8"])
