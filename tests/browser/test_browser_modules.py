"""The programme's modules in a browser: a defusion round and a short mindfulness practice
on a phone in English and Thai, surviving a reload; the projected versions; the urge wave.

Each test makes its own participant code on its first page; the tab's sessionStorage
carries it, so a reload resumes at the same step with the answers saved.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from widgets.core.content import text
from widgets.exercises.defusion import PROJECTED_THOUGHTS, TECHNIQUES
from widgets.exercises.self_talk import self_talk

pytestmark = pytest.mark.browser

THOUGHTS = {
    "en": "<b>I always</b> mess things up 😔",
    "th": "ฉันทำอะไรก็พังหมด <script>x</script>",
}
NOTICED = {"en": "My mind went to work & came back 🙂", "th": "ใจลอยไปเรื่องบ้าน แล้วก็กลับมา"}


def words(lang: str):
    return lambda key, **fields: text(lang, key, **fields)


def new_code(page, lang: str) -> None:
    t = words(lang)
    page.get_by_role("button", name=t("common.code.new"), exact=True).click()
    page.get_by_role("button", name=t("common.code.noted"), exact=True).click()
    expect(page.locator(".within-navigator")).to_be_visible()


def next_step(page, lang: str, times: int = 1) -> None:
    for _ in range(times):
        before = page.locator(".within-progress").first.inner_text()
        page.get_by_role("button", name=text(lang, "common.nav.next"), exact=True).click()
        expect(page.locator(".within-progress").first).not_to_have_text(before)


def step_of(lang: str, number: int, total: int) -> str:
    return text(lang, "common.nav.step_of", number=number, total=total)


@pytest.mark.parametrize("lang", ["en", "th"])
def test_a_defusion_round_is_saved_and_shown_after_a_reload(
    served_app, phone_page, open_app, assert_accessible, lang: str
) -> None:
    t = words(lang)
    page = open_app(phone_page, served_app, "activity-3.ipynb", lang=lang)
    new_code(page, lang)
    next_step(page, lang, 2)
    expect(page.get_by_text(step_of(lang, 3, 5))).to_be_visible()
    expect(page.get_by_role("radio", name=self_talk(lang).thoughts["no_future"])).to_be_visible()
    assert_accessible(page)

    # An empty choice is answered kindly; then a typed thought with odd characters.
    page.get_by_role("button", name=t("defusion.choose.use")).click()
    expect(page.get_by_role("alert")).to_have_text(t("defusion.choose.empty"))
    page.get_by_label(t("defusion.choose.own_label")).fill(THOUGHTS[lang])
    page.get_by_role("button", name=t("defusion.choose.use")).click()
    expect(page.get_by_text(f"“{THOUGHTS[lang]}”")).to_be_visible()  # shown as text, not HTML

    believe = page.get_by_label(t("defusion.rate.believe"))
    believe.press("End")  # 10
    hurt = page.get_by_label(t("defusion.rate.hurt"))
    for _ in range(3):
        hurt.press("ArrowRight")  # 5 -> 8
    expect(hurt).to_have_attribute("aria-valuetext", t("defusion.rate.value_text", value=8))
    page.get_by_role("button", name=t("defusion.before.start")).click()

    for number, key in enumerate(TECHNIQUES, start=1):
        expect(page.get_by_text(t("defusion.technique_of", number=number, total=len(TECHNIQUES)))).to_be_visible()
        expect(page.get_by_role("heading", name=t(f"defusion.techniques.{key}.title"))).to_be_visible()
        if key == "stream":
            leaf = page.locator(".within-leaf").first
            expect(leaf).to_be_attached()
            assert leaf.evaluate("el => getComputedStyle(el).animationName") == "within-drift"
            page.emulate_media(reduced_motion="reduce")
            assert leaf.evaluate("el => getComputedStyle(el).animationName") == "none"
            page.emulate_media(reduced_motion="no-preference")
            assert_accessible(page)
        last = number == len(TECHNIQUES)
        page.get_by_role("button", name=t("defusion.to_after" if last else "defusion.next_technique")).click()

    page.get_by_label(t("defusion.rate.believe")).press("ArrowLeft")  # starts at 10 -> 9
    page.get_by_label(t("defusion.rate.believe")).press("ArrowLeft")  # -> 8
    page.get_by_label(t("defusion.rate.hurt")).press("Home")  # -> 0
    page.get_by_role("button", name=t("defusion.after.save")).click()
    sentence = t("defusion.done.round", number=1, believe_before=10, believe_after=8, hurt_before=8, hurt_after=0)
    sentence = " ".join(sentence.split())
    expect(page.get_by_text(sentence)).to_be_visible()
    expect(page.get_by_text(t("defusion.done.less"))).to_be_visible()
    assert_accessible(page)

    # A reload resumes on the practice step with the saved round on screen.
    page = open_app(page, served_app, "activity-3.ipynb", lang=lang)
    expect(page.get_by_text(step_of(lang, 3, 5))).to_be_visible()
    expect(page.get_by_text(sentence)).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "th"])
def test_a_short_mindfulness_practice_and_its_notes_survive_a_reload(
    served_app, phone_page, open_app, assert_accessible, lang: str
) -> None:
    t = words(lang)
    tw = lambda key, **fields: text(lang, f"mindfulness.timer.{key}", **fields)
    # The real one-minute countdown, with the page's clock moved on by Playwright.
    phone_page.clock.install()
    page = open_app(phone_page, served_app, "activity-4.ipynb", lang=lang)
    new_code(page, lang)
    next_step(page, lang, 2)
    duration = page.get_by_label(tw("duration_label"))
    expect(duration.locator("option")).to_have_count(10)  # 1 to 10 minutes
    duration.select_option("1")
    clock = page.locator(".within-timer-clock")
    expect(clock).to_have_text("1:00")
    page.get_by_role("button", name=tw("start"), exact=True).click()
    status = page.locator(".within-timer-status")
    expect(status).to_have_text(tw("announce_start", remaining=tw("minute_one", n=1)))
    assert status.get_attribute("aria-live") == "polite"
    expect(page.locator(".within-breath-cue")).to_have_text(re.compile(f"{tw('breathe_in')}|{tw('breathe_out')}"))
    assert_accessible(page)
    page.clock.fast_forward(30_000)  # plus the few real seconds the steps above took
    expect(clock).to_have_text(re.compile(r"^0:[12]\d|0:30$"))
    halfway = [re.escape(tw("announce_half", remaining=tw("seconds", s=s))) for s in range(10, 31)]
    expect(status).to_have_text(re.compile("|".join(halfway)))
    page.get_by_role("button", name=tw("pause"), exact=True).click()
    expect(status).to_have_text(re.compile(re.escape(tw("announce_pause", remaining="X")).replace("X", ".+")))
    paused_at = clock.inner_text()
    page.clock.fast_forward(60_000)  # a paused practice does not count down
    expect(clock).to_have_text(paused_at)
    page.get_by_role("button", name=tw("resume"), exact=True).click()
    page.clock.fast_forward(31_000)
    expect(status).to_have_text(tw("announce_end", elapsed=tw("minute_one", n=1)))
    expect(clock).to_have_text("0:00")
    expect(page.get_by_role("button", name=tw("again"), exact=True)).to_be_visible()

    next_step(page, lang)
    page.get_by_role("checkbox", name=text(lang, "programme.activity_4.noticed.options.calmer")).check()
    page.get_by_label(text(lang, "reflection.own_words")).fill(NOTICED[lang])
    page.get_by_role("button", name=t("reflection.save"), exact=True).click()
    expect(page.get_by_text(t("reflection.saved"))).to_be_visible()
    assert_accessible(page)

    page = open_app(page, served_app, "activity-4.ipynb", lang=lang)
    expect(page.get_by_text(step_of(lang, 4, 5))).to_be_visible()
    expect(page.locator(".within-answer")).to_contain_text(NOTICED[lang])


def test_projected_defusion_shows_no_personal_inputs(
    served_app, projector_page, open_app, assert_accessible
) -> None:
    t = words("en")
    page = open_app(projector_page, served_app, "activity-3.ipynb", mode="projector")
    expect(page.locator(".within-code-panel textarea, .within-code-panel input")).to_have_count(0)
    next_step(page, "en", 3)  # the practice step's words, then its activity on a slide of its own
    expect(page.get_by_text(t("defusion.choose.projector"))).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.get_by_role("button", name=t("common.nav.pause"))).to_have_count(0)
    thoughts = list(self_talk("en").thoughts.values())
    expect(page.get_by_role("radio")).to_have_count(PROJECTED_THOUGHTS)  # fewer on a slide
    page.get_by_role("radio", name=thoughts[0]).check()
    page.get_by_role("button", name=t("defusion.choose.use")).click()
    expect(page.get_by_text(t("defusion.technique_of", number=1, total=len(TECHNIQUES)))).to_be_visible()
    expect(page.locator("input[type=range]")).to_have_count(0)  # no ratings on a shared screen
    assert_accessible(page)
    next_step(page, "en", 2)  # the check-in, asked of the room (after its words)
    expect(page.get_by_text(t("check_in.projector"))).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)


def test_the_urge_wave_redraws_with_words_in_thai(served_app, phone_page, open_app, assert_accessible) -> None:
    lang = "th"
    page = open_app(phone_page, served_app, "activity-1.ipynb", lang=lang)
    new_code(page, lang)
    next_step(page, lang, 2)
    caption = page.locator(".within-wave-caption")
    expect(caption).to_have_text(" ".join(text(lang, "urge_wave.caption", peak=7, rise=8, duration=30).split()))
    picture = page.locator("img.within-wave")
    first = picture.get_attribute("src")
    page.get_by_label(text(lang, "urge_wave.peak")).press("End")
    expect(caption).to_have_text(" ".join(text(lang, "urge_wave.caption", peak=10, rise=8, duration=30).split()))
    assert picture.get_attribute("src") != first
    assert picture.get_attribute("alt") == caption.inner_text()
    assert_accessible(page)


def test_the_lenses_save_a_reflection_and_check_in_offers_help(
    served_app, phone_page, open_app, assert_accessible
) -> None:
    lang = "en"
    t = words(lang)
    page = open_app(phone_page, served_app, "activity-2.ipynb", lang=lang)
    new_code(page, lang)
    next_step(page, lang, 3)
    page.get_by_role("radio", name=t("check_in.options.heavy")).check()
    expect(page.get_by_text(t("check_in.replies.heavy"))).to_be_visible()
    expect(page.get_by_role("heading", name=t("check_in.grounding.heading"))).to_be_visible()
    page.get_by_role("button", name=t("check_in.help_button")).click()
    expect(page.locator("dialog#within-help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("dialog#within-help")).to_be_hidden()
    assert_accessible(page)

    page = open_app(page, served_app, "preparation.ipynb", lang=lang)
    next_step(page, lang, 6)
    page.get_by_role("checkbox", name=t("programme.preparation.lens_diversity.options.belongs")).check()
    page.get_by_role("button", name=t("reflection.save"), exact=True).click()
    expect(page.locator(".within-answer")).to_have_text(t("programme.preparation.lens_diversity.options.belongs"))
    assert_accessible(page)
