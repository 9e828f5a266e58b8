"""The mindfulness timer (Activity 4): durations, states reported by the browser, the log."""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets.core.content import library, text
from widgets.core.context import PageContext
from widgets.exercises.mindfulness import MindfulnessTimer, timer_words
from widgets.exercises.reflection import Reflection
from widgets.programme import activity_4
from widgets.store import Store

CODE = "K7MQ-4XZA"
STATIC = Path(__file__).resolve().parents[3] / "widgets" / "exercises" / "static"



def browser_reports(timer: MindfulnessTimer, **state: object) -> None:
    """What the page sends: one update with several traits at once."""
    timer.set_state(state)


def test_durations_are_one_to_ten_minutes_unless_seconds_are_given() -> None:
    timer = MindfulnessTimer()
    assert timer.minutes == 3 and timer.duration == 180 and timer.state == "ready"
    timer.minutes = 0
    assert timer.minutes == 1
    timer.minutes = 25
    assert timer.minutes == 10 and timer.duration == 600
    short = MindfulnessTimer(seconds=3)
    assert short.duration == 3
    short.seconds = -5
    assert short.seconds == 0 and short.duration == short.minutes * 60


@pytest.mark.parametrize("lang", ["en", "th"])
def test_every_word_is_sent_in_the_page_language(lang: str) -> None:
    timer = MindfulnessTimer(context=PageContext(lang))
    english = library().strings("en", "mindfulness")["timer"]
    assert set(timer.words) == set(english)
    assert timer.words["start"] == text(lang, "mindfulness.timer.start")
    assert all(word.strip() for word in timer_words(lang).values())


def test_the_end_and_a_stop_are_heard_once_with_the_elapsed_time() -> None:
    timer = MindfulnessTimer(minutes=1)
    heard: list[tuple[str, int]] = []
    timer.on_end(lambda state, elapsed: heard.append((state, elapsed)))
    browser_reports(timer, elapsed=0, state="running")
    browser_reports(timer, elapsed=20, state="paused")
    browser_reports(timer, elapsed=20, state="running")
    assert heard == []
    browser_reports(timer, elapsed=60, state="done")
    assert heard == [("done", 60)]
    browser_reports(timer, elapsed=0, state="running")
    browser_reports(timer, elapsed=12, state="stopped")
    assert heard[-1] == ("stopped", 12)


def test_the_browser_side_is_motion_aware_and_speaks_only_through_the_shell() -> None:
    script = (STATIC / "mindfulness.js").read_text(encoding="utf-8")
    css = (STATIC / "mindfulness.css").read_text(encoding="utf-8")
    assert "aria-live" in script
    assert "prefers-reduced-motion" in css
    assert "<audio" not in script and "fetch(" not in script  # the bell is made, never loaded
    # Speech only through the page shell's read-aloud, which uses on-device voices only.
    assert "SpeechSynthesisUtterance" not in script and "WithinReadAloud" in script
    assert "within-quick-exit" in script  # the quick exit silences the bell too


@pytest.mark.parametrize("mode", ["self", "projector"])
def test_sound_is_off_until_turned_on(mode: str) -> None:
    timer = MindfulnessTimer(context=PageContext("th", mode))
    assert timer.guidance is False and timer.bell is False
    browser_reports(timer, guidance=True, bell=True)  # the person or facilitator turns it on
    assert timer.guidance and timer.bell
    assert MindfulnessTimer(guidance=True).guidance is True


def test_activity_4_saves_each_practice_and_what_was_noticed(store: Store) -> None:
    module = activity_4.module(PageContext("th"), store, CODE)
    timer = module.widgets["practice"]
    assert isinstance(timer, MindfulnessTimer)
    timer.minutes = 2
    browser_reports(timer, elapsed=0, state="running")
    browser_reports(timer, elapsed=120, state="done")
    notice = module.widgets["notice"]
    assert isinstance(notice, Reflection)
    notice.choices.value = ["calmer", "wandered"]
    notice.text.value = "ใจลอยไปเรื่องงาน แล้วก็กลับมา 🙂"
    notice.save_button.click()
    entries = [(e.key, e.value) for e in store.entries(CODE, "activity-4")]
    assert entries == [
        ("practice", {"minutes": 2, "seconds": 120, "completed": True}),
        ("noticed", {"text": "ใจลอยไปเรื่องงาน แล้วก็กลับมา 🙂", "choices": ["calmer", "wandered"]}),
    ]
    # A new visit shows what was noticed before, escaped.
    again = activity_4.module(PageContext("th"), store, CODE)
    assert "ใจลอยไปเรื่องงาน" in again.widgets["notice"].previous.value


def test_projected_practice_saves_nothing(store: Store) -> None:
    module = activity_4.module(PageContext("en", "projector"), store, CODE)
    timer = module.widgets["practice"]
    browser_reports(timer, elapsed=60, state="done")
    assert module.widgets["notice"].save_button is None
    assert store.entries(CODE) == []
