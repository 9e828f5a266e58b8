"""Goal card: fields, kind validation, autosave and resume, check-ins without shame."""

from __future__ import annotations

from datetime import date

import pytest

from widgets.core.context import PageContext
from widgets.exercises.goal_card import (
    FIELD_LIMIT,
    GoalCard,
    check_goal,
    saved_check_ins,
    saved_goals,
)
from widgets.store import Store

CODE = "K7MQ4XZA"



def test_goal_and_first_step_are_needed_and_said_kindly() -> None:
    assert len(check_goal({})) == 2
    assert check_goal({"goal": "Call my sister", "step": "Text her"}) == []
    long = check_goal({"goal": "x" * (FIELD_LIMIT + 1), "step": "ok"})
    assert long == [f'"My goal" is a bit long. Please keep it under {FIELD_LIMIT} characters.']
    thai = check_goal({}, "th")
    assert "เป้าหมาย" in thai[0]


def test_saving_the_card_and_checking_in(store: Store) -> None:
    days = iter([date(2026, 1, 5), date(2026, 1, 12)])
    card = GoalCard(store=store, code=CODE, values=["health"], today=lambda: next(days))
    assert card.value_input.options[1] == ("Health", "health")
    assert (
        all(b.disabled for b in card.status_buttons.values())
        and "Save your goal card" in card.check_in_state.value
    )
    card.save_button.click()
    assert "Please write your goal" in card.message.value and saved_goals(store, CODE) == {}
    card.value_input.value = "health"
    card.inputs["goal"].value = "Look after my health $$ <b>"
    card.inputs["step"].value = "Drink water before bed"
    card.inputs["support"].value = "นิด 🙂"
    assert saved_goals(store, CODE)["goal-1"]["support"] == "นิด 🙂"  # autosaved as typed
    card.save_button.click()
    assert "saved" in card.message.value and not any(
        b.disabled for b in card.status_buttons.values()
    )
    card.note_input.value = "It was hard <script>"
    card.status_buttons["not_yet"].click()
    assert "That is okay" in card.check_in_message.value
    card.status_buttons["done"].click()
    assert [c["status"] for c in saved_check_ins(store, CODE)] == ["not_yet", "done"]
    assert saved_check_ins(store, CODE)[0] == {
        "goal": "goal-1",
        "status": "not_yet",
        "on": "2026-01-05",
        "note": "It was hard <script>",
    }
    assert "&lt;script&gt;" in card.history_view.value and "<script>" not in card.history_view.value
    with pytest.raises(ValueError):
        card.check_in("failed")


def test_coming_back_restores_the_card_and_its_check_ins(store: Store) -> None:
    card = GoalCard(store=store, code=CODE)
    card.inputs["goal"].value = "See my family"
    card.inputs["step"].value = "Call on Sunday"
    card.value_input.value = "family"
    card.check_in("partly")
    again = GoalCard(store=store, code=CODE, context=PageContext("th"))
    assert again.inputs["goal"].value == "See my family" and again.value_id == "family"
    assert again.value_input.value == "family" and len(again.check_ins) == 1
    assert "ทำได้บางส่วน" in again.history_view.value


def test_no_shame_in_any_check_in_reply() -> None:
    card = GoalCard()
    card.goal, card.step = "a", "b"
    replies = [card.check_in(s) for s in ("done", "partly", "not_yet")]
    for reply in replies:
        assert not any(word in reply.lower() for word in ("fail", "should", "bad", "wrong"))


def test_projector_shows_prompts_only(store: Store) -> None:
    card = GoalCard(context=PageContext("en", "projector"), store=store, code=CODE)
    assert "My first small step" in card.children[-1].value and card.store is None


def test_activity_5_draws_the_card_only_on_its_step(store: Store) -> None:
    from widgets.programme.life_direction import LifeDirection

    activity = LifeDirection(store=store, code=CODE)
    assert activity.take_home.view.value == ""  # nothing drawn (no matplotlib) before the step
    activity.values.sort("very")
    activity.values.set_direction("Look after myself")
    activity.navigator.go_to("take-home")
    assert "data:image/png;base64," in activity.take_home.view.value
    again = LifeDirection(store=store, code=CODE, context=PageContext("th"))
    assert again.navigator.step.id == "take-home" and "ทิศทางชีวิตของฉัน" in again.take_home.view.value
