"""Safety that follows risk, in a real browser on a phone-sized screen: a person alone who
agrees with "I have no future" sees the crisis line first and one gentle question, and
nothing of it is stored; staff with a total of 14 are prompted to ask the risk screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from widgets.core.codes import normalise
from widgets.core.content import text
from widgets.core.instrument import instrument
from widgets.core.risk_screen import risk_screen
from widgets.exercises.risk_check import APP
from widgets.store import Store

pytestmark = pytest.mark.browser

SCALE = instrument("thai-internalised-stigma")
AGREES_WITH_6_TOTAL_14 = [2, 1, 2, 2, 1, 3, 2, 1]


def button(page, lang: str, key: str):
    return page.get_by_role("button", name=text(lang, key), exact=True)


def answer_scale(page, lang: str, codes: list[int], submit_key: str) -> None:
    words = SCALE.words(lang)
    for item_id, code_value in zip(SCALE.item_ids, codes, strict=True):
        group = page.get_by_role("radiogroup", name=re.compile(re.escape(words.items[item_id])))
        label = words.options[SCALE.spec.options[code_value].id]
        group.get_by_role("radio", name=label, exact=True).check()
        button(page, lang, submit_key if item_id == SCALE.item_ids[-1] else "scale.next").click()


def test_alone_in_thai_agreeing_with_item_6_sees_1323_first_and_nothing_is_stored(
    phone_page, served_app, open_app, assert_accessible
) -> None:
    page = open_app(phone_page, served_app, "self-check.ipynb", lang="th")
    button(page, "th", "common.code.new").click()
    code = normalise(page.locator(".within-code").first.inner_text())
    button(page, "th", "common.code.noted").click()
    answer_scale(page, "th", AGREES_WITH_6_TOTAL_14, "scale.submit")
    expect(page.locator(".within-result")).to_contain_text("คะแนนรวม: 14 จาก 24")
    activity = page.locator("#rendered_cells")
    calls = activity.locator('a[href^="tel:"]')
    expect(calls.first).to_have_attribute("href", "tel:1323")  # the crisis line comes first
    expect(calls.first).to_be_in_viewport()
    question = page.get_by_role("group", name=re.compile("ตอนนี้คุณมีความคิดแบบนั้นอยู่ไหม"))
    expect(question).to_be_visible()
    expect(page.get_by_text(re.compile("ข้ามคำถามนี้ได้ ไม่มีใครได้รับแจ้ง"))).to_be_visible()
    assert_accessible(page)
    store = Store(f"sqlite:///{served_app.data_dir / 'within.sqlite3'}")
    try:
        assert len(store.submissions(code=code)) == 1  # the self-check itself, as the person agreed
        before = store.summary(code)
        question.get_by_role(
            "radio", name=text("th", "risk_check.self.options.yes"), exact=True
        ).check()
        expect(page.locator(".within-safety-question [role=status]")).to_contain_text(
            "โทร 1323 ตอนนี้เลย"
        )
        assert store.summary(code) == before and before["entries"] == 0  # nothing of the question
        assert store.entries_for_app(APP) == []
    finally:
        store.close()


def test_staff_are_prompted_to_ask_the_risk_screen_at_a_total_of_14(
    phone_page, staff_app, open_app, assert_accessible
) -> None:
    page = open_app(phone_page, staff_app, "screening.ipynb", lang="en")
    page.get_by_role("checkbox", name=text("en", "screening.consent_yes")).check()
    button(page, "en", "screening.code_new").click()
    button(page, "en", "screening.start").click()
    answer_scale(page, "en", AGREES_WITH_6_TOTAL_14, "scale.submit_staff")
    expect(page.locator(".within-result")).to_contain_text("Total: 14 out of 24")
    check = page.locator(".within-risk-check")
    expect(check).to_contain_text(text("en", "risk_check.staff.heading"))
    asq = risk_screen("asq").words("en").questions
    for question in ("wished_dead", "better_off_dead", "thoughts_past_week"):
        page.get_by_role("group", name=asq[question].strip()).get_by_role(
            "radio", name="No", exact=True
        ).check()
    page.get_by_role("group", name=asq["ever_tried"]).get_by_role(
        "radio", name="Yes", exact=True
    ).check()
    acute = page.get_by_role("group", name=asq["right_now"])
    expect(acute).to_be_visible()
    acute.get_by_role("radio", name="No", exact=True).check()
    button(page, "en", "risk_check.staff.finish").click()
    expect(page.locator('[data-outcome="referral"]')).to_contain_text(
        text("en", "risk_check.staff.referral_heading")
    )
    assert_accessible(page)
