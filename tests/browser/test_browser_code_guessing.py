"""Code guessing through the served page: nothing written, a kind word, then a slow-down.

The attack: type code after code into "I already have a code" on My progress. Before, each
guess was answered at once and left a participant row and a consent row behind.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing

import pytest
from playwright.sync_api import expect

from widgets.core.codes import new_code
from widgets.core.content import text
from widgets.exercises.code_guard import PAGE_FREE

pytestmark = pytest.mark.browser


def _start(page) -> None:
    page.get_by_role("button", name=text("en", "common.code.have_one"), exact=True).click()


def _try(page, code: str) -> None:
    """Type ``code`` in the panel's entry (it stays open after a refusal) and use it."""
    entry = page.get_by_label(text("en", "common.code.label"))
    entry.fill(code)
    page.get_by_role("button", name=text("en", "common.code.use"), exact=True).click()


def _rows(served_app, sql: str, *args: str) -> list[tuple]:
    with closing(sqlite3.connect(served_app.data_dir / "within.sqlite3")) as connection:
        return connection.execute(sql, args).fetchall()


def _attempts(served_app) -> int:
    try:
        return len(_rows(served_app, "SELECT id FROM code_attempts"))
    except sqlite3.OperationalError:  # no page has opened the store yet
        return 0


def _wait_for_attempts(served_app, count: int, timeout: float = 20) -> None:
    """Wait until the server has counted ``count`` wrong codes (each try was handled)."""
    deadline = time.monotonic() + timeout
    while _attempts(served_app) < count:
        assert time.monotonic() < deadline, f"fewer than {count} wrong codes were counted"
        time.sleep(0.2)


def test_guessed_codes_write_nothing_and_the_page_slows_down(
    served_app, make_page, open_app
) -> None:
    guesses = [new_code() for _ in range(PAGE_FREE + 1)]
    before = _attempts(served_app)  # the session's server is shared with other tests
    page = open_app(make_page("guesser"), served_app, "my-progress.ipynb")
    _start(page)
    alert = page.locator(".within-code-panel [role=alert]")
    for tried, guess in enumerate(guesses[:PAGE_FREE], start=1):
        _try(page, guess)
        _wait_for_attempts(served_app, before + tried)
        expect(alert).to_contain_text(text("en", "common.code.errors.unknown_here")[:40])
    _try(page, guesses[PAGE_FREE])
    expect(alert).to_contain_text(text("en", "common.code.errors.slow_down", minutes=1)[:40])

    # A second page, claiming to be another client, is counted as the same client.
    other = make_page("guesser-2", extra_http_headers={"X-Within-Client": "someone-else"})
    other = open_app(other, served_app, "my-progress.ipynb")
    _start(other)
    extra = new_code()
    _try(other, extra)
    _wait_for_attempts(served_app, before + PAGE_FREE + 1)
    expect(other.locator(".within-code-panel [role=alert]")).to_contain_text(
        text("en", "common.code.errors.unknown_here")[:40]
    )

    everyone = [*guesses, extra]
    marks = ",".join("?" * len(everyone))
    assert (
        _rows(served_app, f"SELECT code FROM participants WHERE code IN ({marks})", *everyone) == []
    )
    assert _rows(served_app, f"SELECT code FROM consents WHERE code IN ({marks})", *everyone) == []
    ours = _rows(served_app, "SELECT client FROM code_attempts ORDER BY id")[before:]
    clients = {row[0] for row in ours}
    assert len(ours) == PAGE_FREE + 1
    assert len(clients) == 1 and "someone-else" not in clients  # the server's key, not the page's
