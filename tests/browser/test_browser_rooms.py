"""A live group room in headless Chromium: one facilitator, the projector, three phones.

The phones use the light join listener on 127.0.0.2 (a loopback address standing in for the
Wi-Fi); the facilitator and the projector are Voilà pages on 127.0.0.1.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from widgets.core.content import text
from widgets.rooms.model import questions

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"


def t(key: str, **fields) -> str:
    return text("en", key, **fields)


def test_a_group_answers_on_phones_and_the_projector_follows(
    staff_app, join_listener, make_page, projector_page, open_app, assert_accessible
) -> None:
    facilitator = open_app(
        make_page("facilitator", viewport={"width": 1280, "height": 900}),
        staff_app,
        "group-room.ipynb",
    )
    expect(facilitator.get_by_text(join_listener, exact=False).first).to_be_visible()
    facilitator.get_by_role("button", name=t("rooms.facilitator.open")).click()
    code_box = facilitator.locator(".within-room-code").first
    expect(code_box).to_have_text(re.compile(r"^[0-9A-Z]{5}$"), timeout=10_000)
    code = code_box.inner_text().strip()
    facilitator.get_by_label(t("rooms.facilitator.question_label")).select_option(
        label=questions("en")["helps"]["prompt"]
    )
    facilitator.get_by_role("button", name=t("rooms.facilitator.ask")).click()
    expect(facilitator.locator(".within-room-prompt")).to_have_text(
        questions("en")["helps"]["prompt"]
    )

    projector = open_app(projector_page, staff_app, "group-room.ipynb", mode="projector")
    expect(projector.locator(".within-room-code")).to_have_text(code)
    expect(projector.locator(".within-room-qr svg")).to_be_visible()
    expect(projector.get_by_text(t("rooms.projector.hidden"))).to_be_visible()
    assert_accessible(projector)

    phones = []
    for index, answer in enumerate([HOSTILE, "music", "junkie"]):
        # axe-core is injected as an inline script, which the join page's CSP refuses:
        # the first phone lets it in (the CSP itself is checked in test_rooms.py).
        phone = make_page(
            f"phone-{index}",
            viewport={"width": 360, "height": 740},
            is_mobile=True,
            has_touch=True,
            bypass_csp=index == 0,
        )
        phone.goto(f"{join_listener}/r/{code.lower() if index == 1 else code}")
        phone.get_by_label(t("rooms.join.word_label")).fill(answer)
        if index == 0:
            assert_accessible(phone)
        phone.get_by_role("button", name=t("rooms.join.send")).click()
        expect(phone.get_by_text(t("rooms.join.thanks"))).to_be_visible()
        phones.append(phone)

    facilitator.get_by_role("button", name=t("rooms.facilitator.reveal")).click()
    words = projector.locator(".within-room-words .within-word")
    expect(words).to_have_count(2)  # the projector follows without a reload
    expect(projector.get_by_text(HOSTILE, exact=True)).to_be_visible()
    assert projector.locator(".within-room-words img").count() == 0
    expect(projector.get_by_text(t("rooms.projector.answers", count=3))).to_be_visible()
    expect(projector.get_by_text("junkie")).to_have_count(0)  # held for the facilitator
    expect(facilitator.get_by_text(t("rooms.facilitator.held_heading"))).to_be_visible()

    facilitator.get_by_role("button", name=t("rooms.facilitator.hide")).click()
    expect(projector.get_by_text(t("rooms.projector.hidden"))).to_be_visible()
    expect(words).to_have_count(0)
    facilitator.get_by_role("button", name=t("rooms.facilitator.reveal")).click()
    expect(words).to_have_count(2)

    row = facilitator.locator(".within-room-entry").filter(has_text="music")
    row.get_by_role("button", name=t("rooms.facilitator.remove_word")).click()
    expect(projector.get_by_text("music", exact=True)).to_have_count(0)
    expect(words).to_have_count(1)
    # The hostile string never ran: no dialog, no image, on any page (page errors fail the test).
    for page in (facilitator, projector, *phones):
        assert page.locator("img[src=x]").count() == 0
