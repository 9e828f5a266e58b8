"""The step navigator in Python: back, next, skip, pause and resume, projector mode."""

from __future__ import annotations

import pytest

from widgets.core.content import Flow, Step
from widgets.core.context import PageContext
from widgets.exercises.navigator import StepNavigator
from widgets.store import Store

FLOW = Flow(
    title="Practice",
    steps=(
        Step(id="one", title="One", body="First **step**"),
        Step(id="two", title="Two", body="<script>alert(1)</script>"),
        Step(id="three", title="Three", skippable=False),
    ),
)



def navigator(store: Store | None = None, code: str = "", lang: str = "en", mode: str = "self") -> StepNavigator:
    return StepNavigator(FLOW, flow_id="practice", context=PageContext(lang, mode), store=store, code=code)


def test_next_and_back_move_one_step_and_say_where_we_are() -> None:
    nav = navigator()
    assert nav.step.id == "one" and "Step 1 of 3" in nav.progress.value
    assert nav.back_button.disabled
    nav.next_button.click()
    assert nav.step.id == "two" and "Step 2 of 3" in nav.progress.value
    assert not nav.back_button.disabled
    nav.back_button.click()
    assert nav.step.id == "one"


def test_content_markdown_is_rendered_and_raw_html_escaped() -> None:
    nav = navigator()
    assert "<strong>step</strong>" in nav.body.value
    nav.next()
    assert "<script>" not in nav.body.value and "&lt;script&gt;" in nav.body.value


def test_last_step_says_finish_and_finishing_shows_the_end() -> None:
    nav = navigator()
    nav.next()
    nav.next()
    assert nav.next_button.description == "Finish"
    nav.next_button.click()
    assert nav.finished
    assert "Thank you" in nav.body.value
    assert nav.restart_button in nav.buttons.children
    nav.restart_button.click()
    assert nav.index == 0 and not nav.finished


def test_skip_is_the_right_to_pass_and_is_remembered() -> None:
    nav = navigator()
    nav.skip_button.click()
    assert nav.step.id == "two" and nav.skipped == ["one"]
    nav.back()
    assert "skipped" in nav.note.value
    nav.next()
    nav.next()
    assert nav.step.id == "three"
    assert nav.skip_button.layout.display == "none"  # this step cannot be skipped
    nav.skip()
    assert nav.step.id == "three" and "three" not in nav.skipped


def test_pause_and_resume_where_the_person_left_off(store: Store) -> None:
    nav = navigator(store, code="K7MQ-4XZA")
    nav.next()
    nav.skip()
    nav.pause_button.click()
    assert nav.paused and "place is saved" in nav.note.value
    again = navigator(store, code="K7MQ-4XZA")
    assert again.resumed and again.step.id == "three" and again.skipped == ["two"]
    assert "Welcome back" in again.note.value
    other = navigator(store, code="QQ6D-EJYW")
    assert other.step.id == "one" and not other.resumed


def test_every_move_is_saved_without_pressing_pause(store: Store) -> None:
    nav = navigator(store, code="K7MQ-4XZA")
    nav.next()
    saved = store.load_progress("K7MQ-4XZA", "practice")
    assert saved is not None and saved.step_id == "two"


def test_projector_mode_saves_nothing_and_listens_to_clicker_keys(store: Store) -> None:
    nav = navigator(store, code="K7MQ-4XZA", mode="projector")
    assert "within-navigator--projector" in nav._dom_classes
    assert nav.pause_button not in nav.buttons.children
    nav.key_nav._received(nav.key_nav, {"direction": "next"}, [])
    assert nav.step.id == "two"
    nav.key_nav._received(nav.key_nav, {"direction": "back"}, [])
    nav.key_nav._received(nav.key_nav, {"direction": "sideways"}, [])
    assert nav.step.id == "one"
    assert store.load_progress("K7MQ-4XZA", "practice") is None


def test_thai_labels_and_step_widgets() -> None:
    import ipywidgets as w

    slot = w.Text()
    nav = StepNavigator("welcome", context=PageContext("th"), step_widgets={"private": slot})
    assert nav.next_button.description == "ถัดไป" and "ขั้นตอนที่ 1 จาก 5" in nav.progress.value
    nav.next()
    assert nav.slot.children == (slot,)
    nav.next()
    assert nav.slot.children == ()


def test_a_store_failure_is_a_kind_message_not_a_crash(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from widgets.store import StoreError

    nav = navigator(store, code="K7MQ-4XZA")

    def broken(*_args, **_kwargs):
        raise StoreError("database is locked")

    monkeypatch.setattr(store, "save_progress", broken)
    nav.next_button.click()
    assert "could not be saved" in nav.note.value and nav.step.id == "two"


def test_go_to_unknown_step_is_refused() -> None:
    with pytest.raises(ValueError, match="no step 'nowhere'"):
        navigator().go_to("nowhere")
