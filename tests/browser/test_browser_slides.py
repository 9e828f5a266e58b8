"""Projected guided flows as slides, walked in headless Chromium as a facilitator would.

Every step (and every slide of a step) of every projector-capable module, in English and
Thai, at 1280x720 (a common classroom projector) and 1920x1080: nothing scrolls and no
visible text is under 32 px (and no Thai line is set tighter than 1.6), and no slide has a
text box (nothing personal is typed on a shared screen). One page per module and language; the viewport is resized on
each slide instead of reloading, which keeps the walk to a few minutes. A group room is open
for the module while it is walked, so its join code and QR code take their corner of every
slide (the tighter case: without a room the words have the whole width).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from widgets.apps.builders import projected_navigator
from widgets.core.content import library
from widgets.core.context import PageContext
from widgets.facilitation.presenter import presentable_modules
from widgets.rooms.model import Rooms
from widgets.store import Store

SIZES = ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080})
SMALLEST_PX = 32
THAI_LINE_HEIGHT = 1.6  # Thai stacks vowels and tone marks above and below the line

#: Everything that keeps a slide from fitting or from being read, measured in the page.
#: Visible text: a text node with letters whose box is on screen and not covered (the
#: element at its centre is it or inside it). "Get help now" and "Quick exit" are exempt:
#: small on purpose, for the facilitator's hand, not for the room to read.
MEASURE_JS = """
() => {
  const problems = [];
  const slide = document.querySelector('.within-navigator--projector .within-slide');
  if (!slide) return ['no slide on the page'];
  const root = document.scrollingElement;
  if (root.scrollHeight > window.innerHeight + 1) problems.push(`the page scrolls (${root.scrollHeight} px)`);
  if (root.scrollWidth > window.innerWidth + 1) problems.push(`the page scrolls sideways`);
  if (slide.scrollHeight > slide.clientHeight + 1) {
    problems.push(`the slide scrolls: ${slide.scrollHeight} px of words in ${slide.clientHeight} px`);
  }
  if (slide.scrollWidth > slide.clientWidth + 1) problems.push('the slide scrolls sideways');
  const footer = document.querySelector('.within-slide-footer');
  if (footer && footer.scrollWidth > footer.clientWidth + 1) problems.push('the footer overflows');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let checked = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/[\\p{L}\\p{N}]/u.test(node.textContent)) continue;
    const element = node.parentElement;
    if (!element || element.closest('.within-header, .within-skip, script, style, dialog:not([open])')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (box.width < 2 || box.height < 2) continue;
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) continue;
      const top = document.elementFromPoint(x, y);
      if (!top || !(top === element || element.contains(top) || top.contains(element))) continue;
      checked += slide.contains(element) ? 1 : 0;
      const style = getComputedStyle(element);
      const size = parseFloat(style.fontSize);
      const words = node.textContent.trim().slice(0, 40);
      if (size < SMALLEST_PX - 0.01) problems.push(`"${words}" is ${size} px`);
      const thai = /[\u0e00-\u0e7f]/.test(node.textContent);
      const height = style.lineHeight === 'normal' ? 0 : parseFloat(style.lineHeight) / size;
      if (thai && height < THAI_LINE_HEIGHT - 0.01) problems.push(`"${words}" has a line height of ${height.toFixed(2)}`);
      break;
    }
  }
  if (!checked) problems.push('nothing of the step is visible');
  return problems;
}
""".replace("SMALLEST_PX", str(SMALLEST_PX)).replace("THAI_LINE_HEIGHT", str(THAI_LINE_HEIGHT))


@pytest.fixture
def rooms(served_app) -> Rooms:
    """The served app's rooms (its SQLite file), to open a room as a facilitator would."""
    return Rooms(Store(f"sqlite:///{served_app.data_dir / 'within.sqlite3'}"))


def slide_plan(module: str, lang: str) -> list[tuple[str, str, bool]]:
    """``(counter, title, is an activity's slide)`` of each slide of ``module``.

    The slides come from content (``slides:``, ``activity_slide:``) and from the module's
    activities (a reflection's prompt and choices take slides of their own), counted by the
    module as the wall builds it, so the walk knows what each one must show and waits for
    exactly that before measuring.
    """
    t = PageContext(lang, "projector").t
    navigator = projected_navigator(module, PageContext(lang, "projector"))
    plan = []
    for number, step in enumerate(navigator.steps, start=1):
        navigator.index = number - 1
        slides = navigator.slides
        for part, slide in enumerate(slides, start=1):
            fields = {"number": number, "total": len(navigator.steps)}
            if len(slides) > 1:
                label = t("common.nav.slide_of", part=part, parts=len(slides), **fields)
            else:
                label = t("common.nav.step_of", **fields)
            plan.append((label, step.title, isinstance(slide, int)))
    return plan


def settle(page: Any) -> None:
    """Wait for two animation frames: the layout after a resize or a redraw is done."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


WALKS = [
    pytest.param(module, lang, id=f"{module}-{lang}")
    for module in presentable_modules()  # modules added later too
    for lang in ("en", "th")
]


@pytest.mark.parametrize(("module", "lang"), WALKS)
def test_every_slide_fits_the_wall(
    served_app, join_listener, rooms, make_page, open_app, module: str, lang: str
) -> None:
    room = rooms.open(lang, module=module)
    page = open_app(
        make_page(f"slides-{module}-{lang}", viewport=SIZES[0]),
        served_app,
        f"{module}.ipynb",
        lang=lang,
        mode="projector",
    )
    counter = page.locator(".within-slide-footer .within-progress")
    title = page.locator(".within-slide h2")
    activity = page.locator(".within-slide-activity > *")
    code = page.locator(".within-room-corner-code")
    problems: list[str] = []
    for position, (label, heading, is_activity) in enumerate(slide_plan(module, lang)):
        if position:
            page.keyboard.press("ArrowRight")
        # The slide is drawn once its counter, its title and its activity (or none) are there.
        expect(counter).to_have_text(label)
        expect(title).to_have_text(heading)
        if is_activity:
            expect(activity.first).to_be_visible()
        else:
            expect(activity).to_have_count(0)
        expect(code).to_have_text(room.join_code)  # the corner of every slide
        expect(page.locator(".within-slide :is(textarea, input[type=text])")).to_have_count(0)
        expect(page.locator(".within-room-corner .within-room-qr svg")).to_be_visible()
        for size in SIZES:
            page.set_viewport_size(size)
            settle(page)
            for problem in page.evaluate(MEASURE_JS):
                problems.append(f"{label} at {size['width']}x{size['height']}: {problem}")
        page.set_viewport_size(SIZES[0])
    assert (
        float(code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 1.5 * SMALLEST_PX
    )
    rooms.close(room)
    expect(code).to_have_count(0, timeout=15_000)  # gone from the wall once the room closes
    assert not problems, f"{module} ({lang}) does not fit the wall:\n" + "\n".join(problems)


def test_b_blanks_the_screen_and_f_asks_for_full_screen(
    served_app, make_page, open_app, assert_accessible
) -> None:
    page = open_app(
        make_page("slides-keys", viewport=SIZES[0]),
        served_app,
        "welcome.ipynb",
        lang="th",
        mode="projector",
    )
    # The page chrome steps aside: no start-page link; help and quick exit small, top right.
    expect(page.locator(".within-home-link")).to_be_hidden()
    expect(page.locator(".within-slide-module")).to_have_text(library().flow("th", "welcome").title)
    for button in ("#within-get-help", "#within-quick-exit"):
        box = page.locator(button).bounding_box()
        assert box and box["x"] > SIZES[0]["width"] / 2 and box["y"] + box["height"] < 100, box
    assert_accessible(page)
    blank = page.locator("#within-blank")
    centre = "() => document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.id || ''"
    expect(page.locator(".within-slide h2")).to_be_visible()
    page.keyboard.press("b")
    expect(blank).to_be_visible()
    assert page.evaluate(centre) == "within-blank"  # nothing of the slide shows through
    assert blank.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(31, 58, 59)"
    page.keyboard.press("B")
    expect(blank).to_have_count(0)
    page.keyboard.press(".")  # a clicker's "blank screen" button
    expect(blank).to_be_visible()
    blank.click()  # a click brings the slide back too
    expect(blank).to_have_count(0)

    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement === document.documentElement")
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement === null")

    counter = page.locator(".within-slide-footer .within-progress")
    t = PageContext("th", "projector").t
    steps = len(library().flow("th", "welcome").steps)
    page.keyboard.press("PageDown")  # and the clicker still moves the slides
    expect(counter).to_have_text(t("common.nav.step_of", number=2, total=steps))
    page.keyboard.press("PageUp")
    expect(counter).to_have_text(t("common.nav.step_of", number=1, total=steps))


def test_the_projected_practice_shows_the_instruction_and_the_clock(
    served_app, make_page, open_app, assert_accessible
) -> None:
    page = open_app(
        make_page("slides-practice", viewport=SIZES[0]),
        served_app,
        "activity-4.ipynb",
        lang="th",
        mode="projector",
    )
    t = PageContext("th", "projector").t
    timer = page.locator(".within-slide-activity .within-timer")
    counter = page.locator(".within-slide-footer .within-progress")
    practice = next(s.title for s in library().flow("th", "activity-4").steps if s.id == "practice")
    for label, title, is_activity in slide_plan("activity-4", "th"):  # to the practice's slide
        expect(counter).to_have_text(label)
        if title == practice and is_activity:
            break
        page.keyboard.press("ArrowRight")
    expect(timer).to_be_visible()
    # The room sees the clock and the button; the length and the sound are folded away.
    expect(timer.locator(".within-timer-clock")).to_be_visible()
    expect(timer.locator(".within-timer-pick select")).to_be_hidden()
    expect(timer.locator(".within-timer-sound")).to_be_hidden()
    settings = timer.locator(".within-timer-settings summary")
    expect(settings).to_have_text(t("mindfulness.timer.settings"))
    settings.click()  # the facilitator's hand: open, choose, fold away
    timer.locator(".within-timer-pick select").select_option("1")
    expect(timer.locator(".within-timer-clock")).to_have_text("1:00")
    start = timer.get_by_role("button", name=t("mindfulness.timer.start"))
    start.click(trial=True)  # open, the settings leave the clock and Start uncovered
    settings.click()
    expect(timer.locator(".within-timer-pick select")).to_be_hidden()
    assert not page.evaluate(MEASURE_JS)
    assert_accessible(page)
    start.click()
    cue = re.compile(f"{t('mindfulness.timer.breathe_in')}|{t('mindfulness.timer.breathe_out')}")
    expect(timer.locator(".within-breath-cue")).to_have_text(cue)  # the current instruction
    assert not page.evaluate(MEASURE_JS)
    timer.get_by_role("button", name=t("mindfulness.timer.stop")).click()
    expect(timer.get_by_role("button", name=t("mindfulness.timer.again"))).to_be_visible()
