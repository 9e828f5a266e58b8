"""Issue 15, sealed entries used for real.

Findings: ``widgets/exercises/sealed.py`` was used by no app, so all free text was stored in the
clear; entries ignored their own stored key-derivation settings (an entry sealed with
other settings read as "wrong passphrase"); a stored value could demand about 4 GiB of
memory to open; the settings (scrypt N=2^15, 8-character minimum) sat below OWASP's advice.
"""

from __future__ import annotations

import base64
import time
from datetime import date
from pathlib import Path

import pytest
from argon2.low_level import Type, hash_secret_raw
from cryptography.fernet import Fernet

from widgets.apps.app_page import AppPage
from widgets.core.content import text
from widgets.core.context import PageContext
from widgets.exercises import sealed, sealing
from widgets.exercises.defusion import DefusionExercise
from widgets.exercises.goal_card import GoalCard, saved_check_ins, saved_goals
from widgets.exercises.mood import MoodCheckIn
from widgets.exercises.mood import opened_check_ins as mood_check_ins
from widgets.exercises.reflection import Reflection
from widgets.store import Store
from widgets.store.backup import backup

CODE = "K7MQ-4XZA"
PASSPHRASE = "a long walk by the river"
MARKER = "Zq9-only-in-my-own-words"


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch: pytest.MonkeyPatch):
    """A cheaper Argon2id for speed (each value carries its own settings), and a clean
    visit: no key left from another test."""
    monkeypatch.setattr(sealed, "ARGON2_MEMORY_KIB", 1024)
    sealing._open.clear()
    yield
    sealing._open.clear()


def _files(store: Store) -> bytes:
    path = Path(store.url.removeprefix("sqlite:///"))
    store.close()
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


# -- the cryptography --------------------------------------------------------------------


def test_new_entries_use_argon2id_at_or_above_owasp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    settings = sealed.default_settings()
    assert settings["kdf"] == "argon2id"
    assert settings["m"] >= 19 * 1024 and settings["t"] >= 2 and settings["p"] >= 1
    assert sealed.MIN_PASSPHRASE >= 12
    value = sealed.seal(MARKER, PASSPHRASE)
    assert {k: value[k] for k in ("kdf", "m", "t", "p")} == settings
    raw = hash_secret_raw(  # the key is exactly Argon2id of the passphrase under the stored settings
        PASSPHRASE.encode(), base64.b64decode(value["salt"]), time_cost=value["t"],
        memory_cost=value["m"], parallelism=value["p"], hash_len=32, type=Type.ID,
    )
    assert Fernet(base64.urlsafe_b64encode(raw)).decrypt(value["token"].encode()).decode() == MARKER
    with pytest.raises(sealed.SealError) as short:
        sealed.check_passphrase("elevenchars")
    assert short.value.reason == "short"


def test_each_entry_opens_with_its_own_stored_settings(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding: an entry sealed with other settings read as "wrong passphrase"."""
    older = sealed.derive_key(PASSPHRASE, settings={"kdf": "scrypt", "n": 2**10, "r": 8, "p": 1})
    store.add_entry(CODE, "reflection", "note", sealed.seal("sealed long ago", older))
    monkeypatch.setattr(sealed, "ARGON2_MEMORY_KIB", 2048)
    store.add_entry(CODE, "reflection", "note", sealed.seal("sealed last year", PASSPHRASE))
    monkeypatch.setattr(sealed, "ARGON2_MEMORY_KIB", 1024)  # today's settings differ again
    entries = sealed.SealedEntries(store, CODE, PASSPHRASE)
    entries.add("reflection", "note", "sealed today")
    assert [e.value for e in entries.entries("reflection")] == [
        "sealed long ago", "sealed last year", "sealed today",
    ]
    kinds = [(e.value["kdf"], e.value.get("m")) for e in store.entries(CODE)]
    assert kinds == [("scrypt", None), ("argon2id", 2048), ("argon2id", 1024)]


@pytest.mark.parametrize(
    "costly",
    [
        {"kdf": "scrypt", "n": 2**20, "r": 32, "p": 1},  # the review's value: about 4 GiB
        {"kdf": "argon2id", "m": 262_145, "t": 2, "p": 1},  # just above 256 MiB
        {"kdf": "argon2id", "m": 2**40, "t": 2, "p": 1},
        {"kdf": "argon2id", "m": 19_456, "t": 10_000, "p": 1},
        {"kdf": "argon2id", "m": 19_456, "t": 2, "p": 64},
        {"kdf": "argon2id", "m": "19456", "t": 2, "p": 1},
        {"kdf": "argon2id", "m": True, "t": 2, "p": 1},
        {"kdf": "bcrypt", "m": 1, "t": 1, "p": 1},
    ],
)
def test_settings_above_the_cap_are_refused_at_once(costly: dict) -> None:
    value = {**sealed.seal("x", PASSPHRASE), **costly}
    started = time.monotonic()
    with pytest.raises(sealed.SealError) as refused:
        sealed.unseal(value, PASSPHRASE)
    assert refused.value.reason == "damaged"
    assert time.monotonic() - started < 5  # refused before any key is derived
    assert sealed.checked_settings({"kdf": "argon2id", "m": 262_144, "t": 2, "p": 1})  # 256 MiB is allowed


# -- the choice, offered once -------------------------------------------------------------


def test_the_offer_is_made_once_with_an_honest_warning_and_no_changes_nothing(store: Store) -> None:
    panel = sealing.SealPanel(PageContext(lang="th"), store, CODE)
    shown = panel.children[0].value
    for key in ("sealed.offer.heading", "sealed.no_recovery", "sealed.offer.server"):
        assert text("th", key) in shown
    panel.decline_button.click()
    assert panel.children == () and sealing.chosen(store, CODE) is False
    assert sealing.SealPanel(PageContext(lang="th"), store, CODE).children == ()  # not again
    note = Reflection("How was it?", app="reflection", key="note", store=store, code=CODE)
    note.text.value = MARKER
    note.save_button.click()
    assert [e.value for e in store.entries(CODE, "reflection")] == [{"text": MARKER, "choices": []}]
    assert MARKER in note.previous.value


def _choose(store: Store, code: str = CODE) -> sealing.SealPanel:
    panel = sealing.SealPanel(PageContext(), store, code)
    panel.offer_button.click()
    chooser = panel.passphrase_panel
    chooser.understood.value = True
    assert chooser.accept(PASSPHRASE, PASSPHRASE)
    assert sealing.unlocked(store, code) is not None
    return panel


def test_choosing_then_coming_back_asks_for_the_passphrase(store: Store) -> None:
    _choose(store)
    assert sealing.chosen(store, CODE) is True
    sealing._open.clear()  # the page was closed: the kernel forgot the key
    again = sealing.SealPanel(PageContext(), store, CODE)
    assert again.passphrase_panel is not None and again.passphrase_panel.existing
    assert not again.passphrase_panel.accept("not my passphrase at all")
    assert text("en", "sealed.errors.wrong") in again.passphrase_panel.message.value
    assert again.passphrase_panel.accept(PASSPHRASE)
    assert sealing.unlocked(store, CODE) is not None and again.children == (again.message,)


def test_the_app_page_shows_the_offer_after_the_code(store: Store) -> None:
    page = AppPage("activity-1", lambda p, code: Reflection("x", app="a", key="k", store=store, code=code),
                   context=PageContext(), store=store)
    page.code_panel.code = CODE
    assert page.seal_panel in page.children
    assert page.children.index(page.seal_panel) < page.children.index(page.activity)


# -- the apps seal what people write about themselves ---------------------------------------


def test_reflections_are_sealed_in_the_file_and_backups_and_opened_for_their_author(
    store: Store, tmp_path: Path
) -> None:
    _choose(store)
    note = Reflection("How was it?", app="reflection", key="note", store=store, code=CODE)
    note.text.value = MARKER
    note.save_button.click()
    assert MARKER in note.previous.value
    stored = store.entries(CODE, "reflection")[0].value
    assert sealed.is_sealed(stored["text"]) and stored["choices"] == []
    copy = backup(tmp_path / "copy.sqlite3")
    assert MARKER.encode() not in _files(store) and MARKER.encode() not in copy.read_bytes()
    sealing._open.clear()  # a later visit, passphrase not typed yet
    later = Reflection("How was it?", app="reflection", key="note", store=store, code=CODE)
    assert MARKER not in later.previous.value
    assert text("en", "sealed.locked_text") in later.previous.value
    later.text.value = "new words while locked"
    later.save_button.click()
    assert text("en", "sealed.errors.locked") in later.message.value
    assert len(store.entries(CODE, "reflection")) == 1  # never saved in the clear
    assert later.text.value == "new words while locked"  # and not lost from the box


def test_goal_notes_and_check_in_notes_are_sealed(store: Store) -> None:
    _choose(store)
    card = GoalCard(store=store, code=CODE, today=lambda: date(2026, 1, 5))
    card.inputs["goal"].value = MARKER
    card.inputs["step"].value = "a first step " + MARKER
    card.save_button.click()
    card.note_input.value = "note " + MARKER
    card.status_buttons["done"].click()
    assert MARKER.encode() not in _files(store)
    saved = len(store.entries(CODE, "goals"))
    assert saved_goals(store, CODE)["goal-1"]["goal"] == MARKER
    assert saved_check_ins(store, CODE)[0]["note"] == "note " + MARKER
    sealing._open.clear()
    locked = GoalCard(store=store, code=CODE)
    assert locked.inputs["goal"].value == "" and locked.inputs["goal"].disabled
    assert text("en", "sealed.errors.locked") in locked.message.value
    assert text("en", "sealed.locked_text") in locked.history_view.value
    locked.inputs["plan"].value = "typed while locked"
    assert len(store.entries(CODE, "goals")) == saved  # nothing saved over the sealed card


def test_mood_check_in_notes_and_thought_records_are_sealed(store: Store) -> None:
    _choose(store)
    mood = MoodCheckIn(store=store, code=CODE, today=lambda: date(2026, 1, 5))
    mood.note.value = "mood " + MARKER
    mood.save_button.click()
    exercise = DefusionExercise(store=store, code=CODE)
    exercise.own.value = "thought " + MARKER
    exercise.use_button.click()
    exercise.believe_before.value, exercise.hurt_before.value = 8, 9
    exercise.start_button.click()
    while exercise.stage == "technique":
        exercise.next_button.click()
    exercise.save_button.click()
    assert MARKER.encode() not in _files(store)
    assert mood_check_ins(store, CODE)[0]["note"] == "mood " + MARKER
    assert DefusionExercise(store=store, code=CODE).rounds[0]["thought"] == "thought " + MARKER


def test_a_lost_passphrase_is_not_a_trap(store: Store) -> None:
    """The locked words are lost, said plainly; new words can be saved again (unlocked)."""
    _choose(store)
    first = Reflection("x", app="reflection", key="note", store=store, code=CODE)
    first.text.value = MARKER
    first.save_button.click()
    sealing._open.clear()
    panel = sealing.SealPanel(PageContext(), store, CODE)
    panel.forgot_button.click()
    assert text("en", "sealed.forgot.explain") in panel.children[0].value
    panel.stop_button.click()
    assert sealing.chosen(store, CODE) is False
    later = Reflection("x", app="reflection", key="note", store=store, code=CODE)
    later.text.value = "after the lost passphrase"
    later.save_button.click()
    values = [e.value["text"] for e in store.entries(CODE, "reflection")]
    assert sealed.is_sealed(values[0]) and values[1] == "after the lost passphrase"
    assert text("en", "sealed.locked_text") in later.previous.value  # the old words stay locked


def test_sealed_words_are_not_in_exports_and_deleting_forgets_the_key(store: Store, tmp_path: Path) -> None:
    from widgets.core.instrument import instrument
    from widgets.core.scoring import score
    from widgets.exercises.my_data import MyData
    from widgets.research.export import EXPORT_SCOPE, export_submissions

    _choose(store)
    note = Reflection("How was it?", app="reflection", key="note", store=store, code=CODE)
    note.text.value = MARKER
    note.save_button.click()
    thai = instrument("thai-internalised-stigma")
    store.add_submission(CODE, score(thai, dict.fromkeys(thai.item_ids, 1)), language="en", administered="self")
    store.record_consent(CODE, EXPORT_SCOPE, "2026-11")
    written = export_submissions(store, tmp_path / "out", formats="both", excel=True).paths
    assert written and not any(MARKER.encode() in path.read_bytes() for path in written)
    my_data = MyData(store, CODE)
    my_data.confirm.value = True
    my_data.delete_everything()
    assert sealing.unlocked(store, CODE) is None
