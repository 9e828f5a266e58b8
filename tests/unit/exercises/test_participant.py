"""Participant codes, the code panel, the app frame and "delete everything" in Python."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from widgets.apps.app_page import AppPage
from widgets.core.codes import CodeError, is_code, new_code, normalise
from widgets.core.context import PageContext
from widgets.exercises.my_data import MyData
from widgets.exercises.participant_code import ParticipantCodePanel
from widgets.store import Store


def test_new_codes_are_random_well_formed_and_forgiving_to_type() -> None:
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500 and all(is_code(c) for c in codes)
    code = next(iter(codes))
    assert normalise(f"  {code.lower().replace('-', ' ')} ") == code


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("", "empty"), ("   ", "empty"), ("K7MQ", "length"), ("K7MQ-4XZO", "characters"), ("ก7MQ-4XZA", "characters")],
)
def test_mistyped_codes_say_what_is_wrong(typed: str, reason: str) -> None:
    with pytest.raises(CodeError) as raised:
        normalise(typed)
    assert raised.value.reason == reason


def test_one_slip_is_caught_by_the_check_character() -> None:
    code = new_code()
    slipped = code[:-1] + ("2" if code[-1] != "2" else "3")
    with pytest.raises(CodeError) as raised:
        normalise(slipped)
    assert raised.value.reason == "check"


def test_a_new_code_is_shown_once_then_confirmed_and_remembered_only_if_asked(store: Store) -> None:
    panel = ParticipantCodePanel(PageContext("en"), store=store)
    panel.new_button.click()
    pending = panel._pending
    assert panel.state == "shown" and pending in panel.shown.value and "Write it down" in panel.shown.value
    assert panel.code == ""
    panel.noted_button.click()
    assert panel.code == pending and panel.state == "active"
    assert panel.memory.code == pending and panel.memory.remember is False
    assert pending not in "".join(getattr(c, "value", "") for c in panel.children)  # not shown again in full


def test_typed_code_errors_are_kind_and_specific_in_thai(store: Store) -> None:
    panel = ParticipantCodePanel(PageContext("th"), store=store)
    panel.have_button.click()
    panel.entry.value = "K7MQ-4XZO"
    panel.use_button.click()
    assert "ไม่มีตัวอักษร O" in panel.message.value and panel.code == ""
    good = new_code()
    store.ensure_participant(good)  # made here earlier
    panel.entry.value = good.lower()
    panel.remember.value = True
    panel.use_button.click()
    assert panel.code == good and panel.memory.remember is True


def test_the_device_memory_resumes_without_retyping(store: Store) -> None:
    code = new_code()
    store.ensure_participant(code)  # made here earlier
    panel = ParticipantCodePanel(PageContext("en"), store=store)
    panel.memory.code = code  # what the browser reports from its storage
    panel.memory.loaded = True
    assert panel.code == code and panel.state == "active"
    panel.forget_button.click()
    assert panel.code == "" and panel.memory.code == "" and "no longer kept" in panel.message.value


def test_nothing_personal_is_asked_on_a_projector(store: Store) -> None:
    panel = ParticipantCodePanel(PageContext("en", "projector"), store=store)
    assert panel.memory is None and panel.state == "projector"


def test_app_page_records_consent_and_opens_the_activity_once_there_is_a_code(store: Store) -> None:
    built: list[str] = []

    def build(page: AppPage, code: str):
        built.append(code)
        import ipywidgets as w

        return w.Label(code)

    page = AppPage("welcome", build, context=PageContext("en"), store=store)
    assert page.activity is None and built == []
    code = new_code()
    page.code_panel.confirm(code)
    assert built == [code] and page.activity in page.children
    assert store.has_consent(code, "store-answers")


def test_projected_app_page_builds_without_code_and_personal_apps_refuse(store: Store) -> None:
    page = AppPage("welcome", lambda _p, code: __import__("ipywidgets").Label(f"[{code}]"), context=PageContext("en", "projector"))
    assert page.code_panel is None and page.activity.value == "[]"
    private = AppPage("my-data", lambda *_: None, context=PageContext("en", "projector"))
    assert private.activity is None and "not shown on a shared screen" in private.problem.value


def test_delete_everything_needs_confirmation_and_removes_every_row(store: Store, tmp_path: Path) -> None:
    code, other = new_code(), new_code()
    for who in (code, other):
        store.ensure_participant(who)
        store.record_consent(who, "store-answers", "v1")
        store.save_progress(who, "welcome", "pass", {})
        store.add_entry(who, "welcome", "note", {"text": "ผมโอเค <b>fine</b>"})
    panel = ParticipantCodePanel(PageContext("en"), store=store)
    panel.confirm(code)
    view = MyData(store, code, context=PageContext("en"), code_panel=panel)
    assert "answers you wrote or chose: 1" in view.summary.value
    view.delete_button.click()
    assert "tick the box" in view.message.value and store.entries(code)
    view.confirm.value = True
    view.delete_button.click()
    assert "has been deleted" in view.message.value and panel.code == "" and panel.memory.code == ""
    engine = create_engine(store.url)
    with engine.connect() as connection:
        for table in ("participants", "consents", "progress", "entries"):
            remaining = connection.execute(text(f"SELECT code FROM {table}")).scalars().all()
            assert remaining == [other], table


def test_every_stored_table_is_explained_to_the_person_in_every_language() -> None:
    from widgets.core.content import library
    from widgets.store.tables import participant_columns

    for lang in library().languages():
        for column in participant_columns():
            assert library().text(lang, f"my_data.what.{column.table.name}")
