"""Code guessing: the attack, and each of the ways it is now refused.

The old panel looked up any typed code at once (about a millisecond), with no limit, and
wrote a participant row and a consent row for every wrong guess. Now: the check character
first, nothing written for an unknown code, a kind word for codes from elsewhere, and a
slow-down per page and per client.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import create_engine, func, select

from widgets.apps.app_page import AppPage
from widgets.core.codes import new_code
from widgets.core.content import text
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises import code_guard
from widgets.exercises.code_guard import CLIENT_LIMIT, PAGE_FREE, CodeGuard, client_key, page_wait
from widgets.exercises.participant_code import ParticipantCodePanel
from widgets.store import Store
from widgets.store.tables import CODE_ATTEMPTS, CONSENTS, PARTICIPANTS


def said(lang: str, key: str, **fields: object) -> str:
    """The words for ``key`` as the panel shows them (escaped)."""
    return plain(text(lang, key, **fields))


class Clock:
    """Monotonic seconds and UTC time that move only when told."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        self.start = datetime(2026, 11, 29, 7, 0)

    def __call__(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds - 1000.0)


def _read(store: Store, query):
    """Run ``query`` on the store's database through a connection of the test's own."""
    store.migrate()  # the tables exist even when nothing has been written yet
    engine = create_engine(store.url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(query))
    finally:
        engine.dispose()


def _rows(store: Store, table) -> int:
    return _read(store, select(func.count()).select_from(table))[0]


def _panel(
    store: Store, clock: Clock, client: str = "client-a", lang: str = "en"
) -> ParticipantCodePanel:
    panel = ParticipantCodePanel(PageContext(lang), store=store)
    panel.guard = CodeGuard(store, client, clock=clock, now=clock.now)
    return panel


def _try(panel: ParticipantCodePanel, typed: str) -> bool:
    panel.have_button.click()
    panel.entry.value = typed
    panel.use_button.click()
    return bool(panel.code)


def _unknown() -> str:
    return new_code()  # well formed, never registered


def test_a_guessed_code_writes_nothing_and_gets_a_kind_word(store: Store) -> None:
    page = AppPage("welcome", lambda *_: None, context=PageContext("en"), store=store)
    before = (_rows(store, PARTICIPANTS), _rows(store, CONSENTS))
    assert not _try(page.code_panel, _unknown())
    assert (_rows(store, PARTICIPANTS), _rows(store, CONSENTS)) == before == (0, 0)
    shown = page.code_panel.message.value
    assert said("en", "common.code.errors.unknown_here") in shown and 'role="alert"' in shown
    assert page.activity is None


def test_a_code_from_elsewhere_is_told_kindly_in_thai(store: Store) -> None:
    panel = _panel(store, Clock(), lang="th")
    assert not _try(panel, _unknown())
    assert said("th", "common.code.errors.unknown_here") in panel.message.value
    assert _rows(store, PARTICIPANTS) == 0


def test_the_check_character_is_checked_first_and_costs_no_guess(store: Store) -> None:
    clock = Clock()
    panel = _panel(store, clock)
    code = new_code()
    slipped = code[:-1] + ("2" if code[-1] != "2" else "3")
    for _ in range(PAGE_FREE + 2):
        assert not _try(panel, slipped)
        assert said("en", "common.code.errors.check") in panel.message.value
    assert panel.guard.wrong == 0 and _rows(store, CODE_ATTEMPTS) == 0


def test_a_code_held_here_opens_as_before(store: Store) -> None:
    code = new_code()
    store.ensure_participant(code)
    panel = _panel(store, Clock())
    assert _try(panel, code.lower().replace("-", " "))
    assert panel.code == code


def test_a_page_slows_down_after_a_few_wrong_codes(store: Store) -> None:
    clock = Clock()
    real = new_code()
    store.ensure_participant(real)
    panel = _panel(store, clock)
    for _ in range(PAGE_FREE):
        assert not _try(panel, _unknown())
    # Now even the right code is not looked up: the page must wait (nothing is learnt).
    assert not _try(panel, real)
    assert said("en", "common.code.errors.slow_down", minutes=1) in panel.message.value
    clock.seconds += page_wait(PAGE_FREE) - 1
    assert not _try(panel, real)
    clock.seconds += 1
    assert _try(panel, real)


def test_waits_double_then_stop_growing() -> None:
    waits = [page_wait(n) for n in range(PAGE_FREE + 8)]
    assert waits[:PAGE_FREE] == [0] * PAGE_FREE
    assert waits[PAGE_FREE : PAGE_FREE + 3] == [15, 30, 60]
    assert max(waits) == code_guard.PAGE_MAX_WAIT_S == waits[-1]


def test_a_client_is_slowed_down_across_pages_and_others_are_not(store: Store) -> None:
    clock = Clock()
    tried = 0
    while tried < CLIENT_LIMIT:  # a new page (a new kernel) for every few guesses
        panel = _panel(store, clock)
        for _ in range(min(PAGE_FREE, CLIENT_LIMIT - tried)):
            assert not _try(panel, _unknown())
            tried += 1
        clock.seconds += 1
    fresh_page = _panel(store, clock)
    real = new_code()
    store.ensure_participant(real)
    assert not _try(fresh_page, real)
    assert said("en", "common.code.errors.slow_down", minutes=60) in fresh_page.message.value
    assert _try(_panel(store, clock, client="client-b"), real)  # someone else is not held up
    clock.seconds += 3600
    assert _try(_panel(store, clock), real)  # an hour later, the client may try again


def test_old_counts_are_forgotten_and_hold_no_address(store: Store) -> None:
    clock = Clock()
    key = client_key("203.0.113.7")
    assert "203.0.113.7" not in key and key == client_key("203.0.113.7") != client_key(
        "203.0.113.8"
    )
    guard = CodeGuard(store, key, clock=clock, now=clock.now)
    guard.note_wrong()
    clock.seconds += 3601
    CodeGuard(store, "other", clock=clock, now=clock.now).note_wrong()
    clients = _read(store, select(CODE_ATTEMPTS.c.client))
    assert clients == ["other"]


def test_a_remembered_code_not_held_here_is_forgotten_and_nothing_written(store: Store) -> None:
    panel = _panel(store, Clock())
    panel.memory.code, panel.memory.remember = _unknown(), True
    panel.memory.loaded = True
    assert panel.code == "" and panel.memory.code == ""
    assert _rows(store, PARTICIPANTS) == 0


def test_a_remembered_code_is_kept_while_the_client_must_wait(store: Store) -> None:
    clock = Clock()
    code = new_code()
    store.ensure_participant(code)
    for _ in range(CLIENT_LIMIT):
        CodeGuard(store, "shared-wifi", clock=clock, now=clock.now).note_wrong()
    panel = _panel(store, clock, client="shared-wifi")
    panel.memory.code, panel.memory.remember = code, True
    panel.memory.loaded = True
    assert panel.code == "" and panel.memory.code == code  # not forgotten: tried later
