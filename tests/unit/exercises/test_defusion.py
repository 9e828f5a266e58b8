"""The defusion exercise (Activity 3): choosing a thought, six techniques, rounds saved."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from widgets.controls.thought_display import ThoughtDisplay
from widgets.core.content import text
from widgets.core.context import PageContext
from widgets.exercises.defusion import MAX_THOUGHT, TECHNIQUES, DefusionExercise
from widgets.exercises.defusion_chart import rounds_chart
from widgets.exercises.self_talk import self_talk
from widgets.store import Store

CODE = "K7MQ-4XZA"



def full_round(exercise: DefusionExercise, before=(8, 9), after=(5, 6)) -> dict | None:
    exercise.believe_before.value, exercise.hurt_before.value = before
    exercise.start_button.click()
    assert exercise.stage == "technique"
    for _ in TECHNIQUES:
        exercise.next_button.click()
    assert exercise.stage == "after"
    exercise.believe_after.value, exercise.hurt_after.value = after
    exercise.save_button.click()
    return exercise.rounds[-1] if exercise.rounds else None


def test_a_typed_thought_goes_through_six_techniques_and_is_saved(store: Store) -> None:
    exercise = DefusionExercise(store=store, code=CODE, app="activity-3")
    exercise.own.value = "  I always mess everything up  "
    exercise.use_button.click()
    assert exercise.stage == "before" and exercise.thought == "I always mess everything up"
    saved = full_round(exercise)
    assert exercise.stage == "done"
    assert len(TECHNIQUES) >= 5 and saved["techniques"] == list(TECHNIQUES)
    entries = store.entries(CODE, "activity-3")
    assert [e.key for e in entries] == ["round"]
    assert entries[0].value["thought"] == "I always mess everything up"
    assert entries[0].value["example"] == "own"
    assert entries[0].value["before"] == {"believe": 8, "hurt": 9}
    assert entries[0].value["after"] == {"believe": 5, "hurt": 6}
    # Words first, then the numbers, in a chart with a text twin.
    shown = " ".join(child.value for child in exercise.children if hasattr(child, "value"))
    assert text("en", "defusion.done.less") in shown
    assert "Round 1: believing it went from 8 to 5" in exercise.chart.value
    assert "<svg" in exercise.chart.value and 'aria-hidden="true"' in exercise.chart.value


def test_every_round_is_kept_and_read_back_in_a_new_session(store: Store) -> None:
    first = DefusionExercise(store=store, code=CODE)
    first.choose_thought(example="no_future")
    full_round(first, (9, 9), (9, 9))
    first.again_button.click()
    assert first.stage == "choose" and first.own.value == "" and first.picker.value == []
    first.choose_thought(example="family")
    full_round(first, (7, 8), (3, 4))
    assert len(store.entries(CODE, "defusion")) == 2
    assert text("en", "defusion.done.less") in first.heading.value

    later = DefusionExercise(store=store, code=CODE)
    assert [r["example"] for r in later.rounds] == ["no_future", "family"]
    assert "Round 2" in later.chart.value  # the earlier rounds are shown on the first screen


def test_the_same_or_stronger_is_told_kindly(store: Store) -> None:
    exercise = DefusionExercise(store=store, code=CODE)
    exercise.choose_thought(example="disgust")
    full_round(exercise, (4, 4), (6, 6))
    assert text("en", "defusion.done.more") in exercise.heading.value


def test_choosing_nothing_or_too_much_is_answered_kindly_and_nothing_is_lost() -> None:
    exercise = DefusionExercise()
    exercise.use_button.click()
    assert exercise.stage == "choose"
    assert text("en", "defusion.choose.empty") in exercise.message.value
    long = "ฉัน" * (MAX_THOUGHT)
    exercise.own.value = long
    exercise.use_button.click()
    assert exercise.stage == "choose" and exercise.own.value == long
    assert "role=\"alert\"" in exercise.message.value


@pytest.mark.parametrize(
    "thought",
    ["<script>alert('x')</script>", "ฉันไม่มีอนาคต 😔", "a & b \"quoted\" {thought} {0}"],
)
def test_odd_input_is_escaped_everywhere(store: Store, thought: str) -> None:
    exercise = DefusionExercise(store=store, code=CODE)
    exercise.choose_thought(text=thought)
    assert exercise.thought == thought
    assert "<script>" not in exercise.heading.value
    exercise.start_techniques()
    assert thought in exercise.display.text  # set as text in the browser, never as HTML
    exercise.story_name.value = "<b>old</b>"
    exercise.next_technique()
    assert "<b>" not in exercise.heading.value
    for _ in range(len(TECHNIQUES)):
        exercise.next_technique()
    exercise.save_round()
    assert store.entries(CODE, "defusion")[0].value["thought"] == thought
    assert "<script>" not in exercise.chart.value


def test_back_returns_to_the_ratings_and_techniques_show_the_thought_their_way() -> None:
    exercise = DefusionExercise(context=PageContext("th"))
    exercise.choose_thought(example="no_future")
    assert exercise.thought == self_talk("th").thoughts["no_future"]
    exercise.start_techniques()
    modes = []
    for _ in TECHNIQUES:
        modes.append(exercise.display.mode)
        assert text("th", "defusion.technique_of", number=exercise.technique + 1, total=6) in exercise.heading.value
        exercise.next_technique()
    assert modes == ["card", "card", "screen", "card", "stream", "silly"]
    exercise.stage = "technique"
    exercise.technique = 0
    exercise.back_button.click()
    assert exercise.stage == "before"


def test_projected_nothing_is_typed_rated_saved_or_shown(store: Store) -> None:
    store.add_entry(CODE, "defusion", "round", {"thought": "private", "before": {}, "after": {}})
    exercise = DefusionExercise(context=PageContext("en", "projector"), store=store, code=CODE)
    assert exercise.rounds == [] and exercise.store is None
    assert exercise.own not in exercise.children
    assert not exercise.choose_thought(text="typed on a shared screen")
    assert exercise.choose_thought(example="friends")
    assert exercise.stage == "technique"  # no ratings in a room
    for _ in TECHNIQUES:
        exercise.next_technique()
    assert exercise.stage == "done" and exercise.save_round() is None
    assert len(store.entries(CODE, "defusion")) == 1


def test_chart_keeps_the_last_rounds_and_handles_odd_values() -> None:
    t = PageContext().t
    rounds = [{"before": {"believe": 12, "hurt": "x"}, "after": {"believe": -1}}] * 8
    html = rounds_chart(rounds, t)
    assert "Round 8" in html and "Round 2:" not in html and "Round 3:" in html
    assert "from 10 to 0" in html
    assert rounds_chart([], t) == ""


def test_examples_are_marked_as_quoted_and_follow_the_scale_in_both_languages() -> None:
    for lang in ("en", "th"):
        quoted = self_talk(lang)
        assert quoted.quoted is True
        assert {"friends", "ashamed", "disgust", "no_future", "family", "health_care"} <= set(quoted.thoughts)
    assert set(self_talk("th").thoughts) == set(self_talk("en").thoughts)
    assert set(self_talk("th").messages) == set(self_talk("en").messages)


def test_thought_display_is_reusable_alone() -> None:
    display = ThoughtDisplay("words", mode="stream")
    assert display.mode == "stream"
    with pytest.raises(TraitError):
        display.mode = "spin"
