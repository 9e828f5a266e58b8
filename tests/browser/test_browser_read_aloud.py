"""Read-aloud and the mindfulness practice's sound, in a browser.

An init script (``tests/js/sound-recorder.js``) replaces ``speechSynthesis``,
``SpeechSynthesisUtterance`` and ``AudioContext`` with recorders: the page "speaks" into a
list the test reads (``window.__withinSound``, and ``withinTestRecord`` for what happens
as the page leaves). The voices offered are the test's: an on-device Thai voice and a
cloud Thai voice listed first and marked default, so choosing the cloud one would show.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from widgets.core.content import library, text
from widgets.core.instrument import instrument
from widgets.core.markup import markdown

pytestmark = pytest.mark.browser

RECORDER = (Path(__file__).resolve().parents[1] / "js" / "sound-recorder.js").read_text(encoding="utf-8")
REMOTE_TH = {
    "name": "Thai (online)",
    "lang": "th-TH",
    "localService": False,
    "default": True,
    "voiceURI": "net-th",
}
LOCAL_TH = {
    "name": "Thai (on this device)",
    "lang": "th-TH",
    "localService": True,
    "default": False,
    "voiceURI": "th",
}
LOCAL_EN = {
    "name": "English (on this device)",
    "lang": "en-GB",
    "localService": True,
    "default": False,
    "voiceURI": "en",
}
REMOTE_EN = {
    "name": "English (online)",
    "lang": "en-US",
    "localService": False,
    "default": False,
    "voiceURI": "net-en",
}
BELL_HZ = 528  # the bell's lowest partial (widgets/exercises/static/mindfulness.js)
SCALE = instrument("thai-internalised-stigma")

SOUND_JS = "(kind) => (window.__withinSound || []).filter((entry) => entry.kind === kind)"


def record_sound(page: Any, voices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Put the recorders in ``page`` (for every page it loads); return the list they fill."""
    heard: list[dict[str, Any]] = []
    page.expose_function("withinTestRecord", lambda entry: heard.append(entry))
    page.add_init_script(f"window.__withinTestVoices = {json.dumps(voices)};\n{RECORDER}")
    return heard


def sounds(page: Any, kind: str) -> list[dict[str, Any]]:
    return page.evaluate(SOUND_JS, kind)


def wait_for_sounds(page: Any, kind: str, count: int) -> list[dict[str, Any]]:
    page.wait_for_function(
        "([kind, count]) => (window.__withinSound || []).filter((e) => e.kind === kind).length >= count",
        arg=[kind, count],
    )
    return sounds(page, kind)


def words(lang: str, key: str, **fields: Any) -> str:
    return text(lang, key, **fields)


def new_code(page: Any, lang: str) -> None:
    page.get_by_role("button", name=words(lang, "common.code.new"), exact=True).click()
    page.get_by_role("button", name=words(lang, "common.code.noted"), exact=True).click()


def next_step(page: Any, lang: str, times: int = 1) -> None:
    for _ in range(times):
        before = page.locator(".within-progress").first.inner_text()
        page.get_by_role("button", name=words(lang, "common.nav.next"), exact=True).click()
        expect(page.locator(".within-progress").first).not_to_have_text(before)


def paragraphs(source: str) -> list[str]:
    """A step body's paragraphs as plain text, as they are read aloud."""
    found = re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", markdown(source), re.DOTALL)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", block)).split()) for block in found]


def listen_to_step(page: Any, lang: str) -> Any:
    return page.locator(".within-navigator").get_by_role(
        "button", name=words(lang, "read_aloud.listen_step")
    )


def test_a_thai_step_and_a_question_are_read_with_the_devices_own_voice(
    served_app, phone_page, open_app, assert_accessible
) -> None:
    lang = "th"
    record_sound(phone_page, [REMOTE_TH, LOCAL_TH, LOCAL_EN])
    page = open_app(phone_page, served_app, "activity-4.ipynb", lang=lang)
    new_code(page, lang)
    step = library().flow(lang, "activity-4").steps[0]
    listen = listen_to_step(page, lang)
    expect(listen).to_have_text(words(lang, "read_aloud.listen_step"))
    assert_accessible(page)

    # The first press suggests earphones before any sound.
    listen.click()
    tip = page.get_by_role("dialog", name=words(lang, "read_aloud.tip_heading"))
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(" ".join(words(lang, "read_aloud.tip_text").split()))
    assert sounds(page, "speak") == []
    assert_accessible(page)
    tip.get_by_role("button", name=words(lang, "read_aloud.tip_go")).click()
    expect(tip).to_be_hidden()

    expected = [step.title, *paragraphs(step.body)]
    spoken = wait_for_sounds(page, "speak", len(expected))
    assert [entry["text"] for entry in spoken] == expected
    assert {(entry["lang"], entry["voice"], entry["local"]) for entry in spoken} == {
        ("th-TH", LOCAL_TH["name"], True)
    }

    # Told once: the next press reads at once, and the button is named while it reads.
    expect(listen).to_have_attribute("data-speaking", "false")  # the reading above has ended
    page.evaluate("() => { window.__withinHoldSpeech = true; }")
    listen.click()
    stop = page.locator(".within-navigator").get_by_role(
        "button", name=words(lang, "read_aloud.stop")
    )
    expect(stop).to_be_visible()
    expect(tip).to_be_hidden()
    stop.click()  # a second press stops it
    expect(listen).to_be_visible()
    assert sounds(page, "cancel")[-1]["speaking"] is True
    page.evaluate("() => { window.__withinHoldSpeech = false; }")

    # A questionnaire item: the question, then every answer option, from the keyboard.
    page = open_app(page, served_app, "self-check.ipynb", lang=lang)  # the tab keeps the code
    scale = SCALE.words(lang)
    item = page.get_by_role("button", name=words(lang, "read_aloud.listen_item"))
    expect(item).to_have_count(1)
    before = len(sounds(page, "speak"))
    item.focus()
    page.keyboard.press("Enter")
    options = [scale.options[option.id] for option in SCALE.spec.options]
    spoken = wait_for_sounds(page, "speak", before + 1 + len(options))[before:]
    assert [entry["text"] for entry in spoken] == [f"1. {scale.items['item_1']}", *options]
    assert {(entry["lang"], entry["voice"]) for entry in spoken} == {("th-TH", LOCAL_TH["name"])}
    expect(page.get_by_role("dialog", name=words(lang, "read_aloud.tip_heading"))).to_be_hidden()
    assert_accessible(page)


def test_without_an_on_device_voice_the_button_says_so_once_and_hides(
    served_app, phone_page, open_app, assert_accessible
) -> None:
    lang = "th"
    record_sound(phone_page, [REMOTE_TH, LOCAL_EN, REMOTE_EN])  # Thai only from the cloud
    page = open_app(phone_page, served_app, "activity-4.ipynb", lang=lang)
    new_code(page, lang)
    listen_to_step(page, lang).click()
    note = page.locator(".within-read-note")
    expect(note).to_have_text(" ".join(words(lang, "read_aloud.no_voice").split()))
    expect(page.locator(".within-read-button:visible")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)  # no earphones tip: nothing will sound
    assert_accessible(page)

    next_step(page, lang)  # the note was said once; no button comes back
    expect(note).to_have_count(0)
    expect(page.locator(".within-read-button:visible")).to_have_count(0)
    page = open_app(page, served_app, "activity-4.ipynb", lang=lang)  # nor on the next page
    expect(page.locator(".within-navigator h2")).to_be_visible()
    expect(page.locator(".within-read-button:visible")).to_have_count(0)

    # The practice's spoken guidance says so too, and the circle carries on alone.
    next_step(page, lang)  # resumed on step 2; step 3 is the practice
    tw = lambda key: words(lang, f"mindfulness.timer.{key}")
    page.get_by_role("checkbox", name=tw("guidance_label")).click()  # it will not stay on
    expect(page.locator(".within-timer-sound-note")).to_have_text(
        " ".join(tw("guidance_no_voice").split())
    )
    expect(page.get_by_role("checkbox", name=tw("guidance_label"))).to_have_count(0)
    expect(page.get_by_role("checkbox", name=tw("bell_label"))).not_to_be_checked()
    assert sounds(page, "speak") == []  # nothing ever went to the cloud voice


def test_the_quick_exit_cancels_speech_at_once(served_app, phone_page, open_app) -> None:
    lang = "en"
    heard = record_sound(phone_page, [REMOTE_EN, LOCAL_EN])
    page = open_app(phone_page, served_app, "activity-4.ipynb", lang=lang)
    new_code(page, lang)
    # "Not now" at the earphones tip: nothing is read, and the tip comes back next time.
    listen_to_step(page, lang).click()
    page.get_by_role("button", name=words(lang, "read_aloud.tip_not_now")).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(listen_to_step(page, lang)).to_be_focused()
    assert sounds(page, "speak") == []

    page.evaluate("() => { window.__withinHoldSpeech = true; }")  # a long reading, still going
    listen_to_step(page, lang).click()
    page.get_by_role("button", name=words(lang, "read_aloud.tip_go")).click()
    expect(
        page.locator(".within-navigator").get_by_role("button", name=words(lang, "read_aloud.stop"))
    ).to_be_visible()
    assert [entry["voice"] for entry in sounds(page, "speak")][:1] == [LOCAL_EN["name"]]

    page.get_by_role("button", name=words(lang, "shell.quick_exit")).click()
    page.wait_for_url(re.compile(r"/neutral\.html$"))
    last_speak = max(i for i, entry in enumerate(heard) if entry["kind"] == "speak")
    cancels = [entry for entry in heard[last_speak:] if entry["kind"] == "cancel"]
    assert cancels and cancels[0]["speaking"] is True, heard


def practice(page: Any, lang: str) -> None:
    """Run a whole one-minute practice, the page's clock moved on by Playwright."""
    page.get_by_label(words(lang, "mindfulness.timer.duration_label")).select_option("1")
    start = page.locator(".within-timer-start")
    expect(start).to_be_visible()
    start.click()
    page.clock.run_for(61_000)  # every tick of the minute, so each cue is reached


def spoken_by_the_end(page: Any, closing: str) -> list[str]:
    """What was said, once the closing line has been (the page's installed clock is moved on
    a second at a time: utterances follow each other on the page's own timers)."""
    for _ in range(60):
        said = [entry["text"] for entry in sounds(page, "speak")]
        if closing in said:
            return said
        page.clock.run_for(1000)
    return [entry["text"] for entry in sounds(page, "speak")]


def assert_guided_minute(said: list[str], tw: Any) -> None:
    """One minute of 4 s in, 6 s out: three cued breaths first, a noticing prompt (at about
    45 s), and the closing line last."""
    breath = [tw("breathe_in"), tw("breathe_out")]
    assert said[:6] == breath * 3, said
    assert tw("guide_notice_1") in said[6:-1], said
    assert said[-1] == tw("guide_end") and said.count(tw("guide_end")) == 1, said


def test_spoken_guidance_and_the_bell_on_a_phone(
    served_app, phone_page, open_app, assert_accessible
) -> None:
    lang = "th"
    tw = lambda key, **fields: words(lang, f"mindfulness.timer.{key}", **fields)
    record_sound(phone_page, [REMOTE_TH, LOCAL_TH])
    phone_page.clock.install()
    page = open_app(phone_page, served_app, "activity-4.ipynb", lang=lang)
    new_code(page, lang)
    next_step(page, lang, 2)
    guidance = page.get_by_role("checkbox", name=tw("guidance_label"))
    bell = page.get_by_role("checkbox", name=tw("bell_label"))
    expect(guidance).not_to_be_checked()  # sound is off until turned on
    expect(bell).not_to_be_checked()
    assert_accessible(page)

    guidance.check()
    page.get_by_role("button", name=words(lang, "read_aloud.tip_go")).click()  # earphones first
    expect(guidance).to_be_checked()
    bell.check()
    expect(bell).to_be_checked()
    practice(page, lang)

    assert_guided_minute(spoken_by_the_end(page, tw("guide_end")), tw)
    spoken = sounds(page, "speak")
    assert {entry["voice"] for entry in spoken} == {LOCAL_TH["name"]}
    bells = [tone for tone in sounds(page, "tone") if tone["frequency"] == BELL_HZ]
    assert len(bells) == 2  # at the start and at the end
    expect(page.locator(".within-timer-status")).to_have_text(
        re.compile(re.escape(tw("announce_end", elapsed="X")).replace("X", ".+"))
    )


def test_sound_is_off_on_a_projector_until_the_facilitator_turns_it_on(
    served_app, projector_page, open_app, assert_accessible
) -> None:
    lang = "en"
    tw = lambda key, **fields: words(lang, f"mindfulness.timer.{key}", **fields)
    record_sound(projector_page, [REMOTE_EN, LOCAL_EN])
    projector_page.clock.install()
    page = open_app(projector_page, served_app, "activity-4.ipynb", lang=lang, mode="projector")
    next_step(page, lang, 3)  # projected, the practice has a slide of its own after its words
    page.locator(".within-timer-settings summary").click()  # length and sound, folded on the wall
    guidance = page.get_by_role("checkbox", name=tw("guidance_label"))
    bell = page.get_by_role("checkbox", name=tw("bell_label"))
    expect(guidance).not_to_be_checked()
    expect(bell).not_to_be_checked()
    practice(page, lang)
    ended = re.compile(re.escape(tw("announce_end", elapsed="X")).replace("X", ".+"))
    expect(page.locator(".within-timer-status")).to_have_text(ended)
    assert sounds(page, "speak") == [] and sounds(page, "tone") == []  # a silent room
    assert_accessible(page)

    # The facilitator turns both on (no earphones tip for a room) and starts again.
    guidance.check()
    bell.check()
    expect(guidance).to_be_checked()
    expect(bell).to_be_checked()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.locator(".within-timer-start").click()
    page.clock.run_for(61_000)  # every tick of the minute, so each cue is reached
    assert_guided_minute(spoken_by_the_end(page, tw("guide_end")), tw)
    spoken = sounds(page, "speak")
    assert {entry["voice"] for entry in spoken} == {LOCAL_EN["name"]}
    assert len([tone for tone in sounds(page, "tone") if tone["frequency"] == BELL_HZ]) == 2
