"""A whole screening in a real browser: staff at outreach (English, mouse or touch) and a
person on their own (Thai, keyboard only), on a phone-sized screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from widgets.core.codes import new_code
from widgets.core.content import text
from widgets.core.instrument import instrument
from widgets.core.scoring import score
from widgets.store import Store

pytestmark = pytest.mark.browser

SCALE = instrument("thai-internalised-stigma")
REFERRAL_ANSWERS = [3, 3, 3, 3, 2, 0, 3, 3]  # total 20: very high, referral
MIDDLE_ANSWERS = [2, 2, 2, 2, 2, 1, 3, 2]  # total 16: internalised stigma


def item_group(page, lang: str, item_id: str):
    words = SCALE.words(lang)
    return page.get_by_role("radiogroup", name=re.compile(re.escape(words.items[item_id])))


def button(page, lang: str, key: str):
    return page.get_by_role("button", name=text(lang, key), exact=True)


def tally(what: str, count: int) -> str:
    return text("en", f"screening.tally_{what}", count=count)


def tab_to(page, locator, presses: int = 40) -> None:
    """Press Tab until ``locator`` has the keyboard focus (no mouse involved)."""
    handle = locator.element_handle(timeout=10_000)
    for _ in range(presses):
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def test_staff_screen_a_person_in_english_and_see_the_referral_card(
    phone_page, staff_app, open_app, assert_accessible
) -> None:
    # The server is shared by the session: this test sets up the tally it expects.
    store = Store(f"sqlite:///{staff_app.data_dir / 'within.sqlite3'}")
    earlier = score(SCALE, dict(zip(SCALE.item_ids, MIDDLE_ANSWERS, strict=True)))
    store.add_submission(new_code(), earlier, language="en", administered="read-aloud")
    before = store.tally(SCALE.spec.id)
    store.close()
    assert before.screened >= 1
    page = open_app(phone_page, staff_app, "screening.ipynb", lang="en")
    expect(page.get_by_text(tally("screened", before.screened), exact=True)).to_be_visible()
    page.get_by_role("checkbox", name=text("en", "screening.consent_yes")).check()
    button(page, "en", "screening.code_new").click()
    code = page.locator(".within-code").first.inner_text()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", code), code
    assert_accessible(page)
    button(page, "en", "screening.start").click()
    for item_id, code_value in zip(SCALE.item_ids, REFERRAL_ANSWERS, strict=True):
        label = SCALE.words("en").options[SCALE.spec.options[code_value].id]
        item_group(page, "en", item_id).get_by_role("radio", name=label, exact=True).check()
        if item_id != SCALE.item_ids[-1]:
            button(page, "en", "scale.next").click()
    assert_accessible(page)
    button(page, "en", "scale.submit_staff").click()
    result = page.locator(".within-result")
    expect(result).to_contain_text(SCALE.words("en").bands["very_high"].label)
    expect(result).to_contain_text("Total: 20 out of 24")
    expect(page.locator('[data-referral="true"]')).to_contain_text(text("en", "scale.referral_staff")[:40])
    expect(page.locator('[data-referral="true"] a[href^="tel:"]').first).to_be_visible()
    assert_accessible(page)
    button(page, "en", "screening.next_person").click()
    expect(page.get_by_text(tally("screened", before.screened + 1), exact=True)).to_be_visible()
    expect(page.get_by_text(tally("referral", before.referral + 1), exact=True)).to_be_visible()
    assert code not in page.locator("#rendered_cells").inner_text()


def test_a_person_checks_in_alone_in_thai_with_the_keyboard_only(
    phone_page, served_app, open_app, assert_accessible
) -> None:
    page = open_app(phone_page, served_app, "self-check.ipynb", lang="th")
    tab_to(page, button(page, "th", "common.code.new"))
    page.keyboard.press("Enter")
    tab_to(page, button(page, "th", "common.code.noted"))
    page.keyboard.press("Enter")
    first = item_group(page, "th", "item_1")
    expect(first).to_be_visible()
    assert_accessible(page)
    for position, (item_id, code_value) in enumerate(zip(SCALE.item_ids, MIDDLE_ANSWERS, strict=True)):
        group = item_group(page, "th", item_id)
        expect(group).to_be_visible()
        tab_to(page, group.get_by_role("radio").first)
        if code_value == 0:
            page.keyboard.press("Space")
        for _ in range(code_value):
            page.keyboard.press("ArrowDown")  # arrow keys move the choice inside the group
        label = SCALE.words("th").options[SCALE.spec.options[code_value].id]
        expect(group.get_by_role("radio", name=label, exact=True)).to_be_checked()
        last = position == len(SCALE.item_ids) - 1
        tab_to(page, button(page, "th", "scale.submit" if last else "scale.next"))
        page.keyboard.press("Enter")
    result = page.locator(".within-result")
    expect(result).to_contain_text(SCALE.words("th").bands["internalised"].label)
    expect(result).to_contain_text("คะแนนรวม: 16 จาก 24")
    expect(page.locator('[data-referral="true"]')).to_have_count(0)
    expect(result.locator('a[href^="tel:"]').first).to_be_visible()  # help, whatever the score
    assert_accessible(page)


def test_answers_survive_a_reload_and_passing_items_still_shows_help(
    phone_page, served_app, open_app, kernel_id
) -> None:
    page = open_app(phone_page, served_app, "self-check.ipynb", lang="en")
    button(page, "en", "common.code.new").click()
    button(page, "en", "common.code.noted").click()
    item_group(page, "en", "item_1").get_by_role("radio", name="Strongly agree", exact=True).check()
    button(page, "en", "scale.next").click()
    expect(item_group(page, "en", "item_2")).to_be_visible()
    served_app.wait_until_idle(kernel_id(page))  # the page shows item 2 before the draft is saved
    page.reload()
    page.wait_for_selector("#rendered_cells", state="visible")
    expect(page.get_by_text(re.compile(r"You are continuing with your code"))).to_be_visible()
    expect(page.get_by_text("Question 2 of 8")).to_be_visible()
    button(page, "en", "scale.back").click()
    expect(item_group(page, "en", "item_1").get_by_role("radio", name="Strongly agree", exact=True)).to_be_checked()
    for _ in range(7):
        button(page, "en", "scale.next").click()
    button(page, "en", "scale.submit").click()
    expect(page.get_by_text(re.compile("Not answered yet: 2, 3, 4, 5, 6, 7, 8"))).to_be_visible()
    button(page, "en", "scale.finish_anyway").click()
    result = page.locator(".within-result")
    expect(result).to_contain_text("Questions skipped: 7")
    expect(result.locator('a[href^="tel:"]').first).to_be_visible()


def test_an_answer_changed_just_before_submitting_is_the_one_scored(
    phone_page, served_app, open_app
) -> None:
    """On a slow link the last answer must not be overtaken by the click on "See my results".

    ipywidgets holds back a widget's state change while its previous one is in flight but
    sends clicks at once; answers therefore travel as messages, in order with the click.
    Here two choices and the click leave the page in the same moment, as a quick tap does.
    """
    page = open_app(phone_page, served_app, "self-check.ipynb", lang="en")
    button(page, "en", "common.code.new").click()
    button(page, "en", "common.code.noted").click()
    options = SCALE.words("en").options
    for item_id in SCALE.item_ids[:-1]:
        group = item_group(page, "en", item_id)
        group.get_by_role("radio", name=options["disagree"], exact=True).check()
        button(page, "en", "scale.next").click()
    last = item_group(page, "en", SCALE.item_ids[-1])
    expect(last).to_be_visible()
    page.evaluate(
        """([first, second, submit]) => {
          const radio = (name) => [...document.querySelectorAll('input[type=radio]')]
            .find((input) => input.parentElement.textContent.trim() === name);
          radio(first).click();
          radio(second).click();
          [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === submit).click();
        }""",
        [options["strongly_disagree"], options["strongly_agree"], text("en", "scale.submit")],
    )
    expect(page.locator(".within-result")).to_contain_text("Total: 10 out of 24")  # 7 x 1 + 3
