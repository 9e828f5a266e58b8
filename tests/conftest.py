"""Fixtures every test can use: a private data folder, a store, and both databases.

The served app, Chromium and its pages are a plugin (``support/pages.py``) loaded here,
so browser tests in ``tests/browser/`` and the deploy tests share one harness; see
``docs/testing.md``. Browser tests are marked ``browser`` and run last.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # test the checkout's ``widgets``, installed or not

from support.hypothesis_profile import pytest_terminal_summary  # noqa: F401 - hostile-input settings and count
from support.notebooks import execute_notebook

pytest_plugins = ["support.pages"]

# --- hooks --------------------------------------------------------------------------------


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    """Treat SIGTERM (a cancelled CI job) like Ctrl+C, so the served app is still stopped."""
    signal.signal(signal.SIGTERM, _interrupt)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the browser, and run the browser tests last.

    The mark lets ``-m "not browser"`` always deselect them. The order matters: once
    Playwright's sync API has started, its asyncio loop counts as running in the main
    thread for the rest of the session, and tests that run a loop themselves (Tornado,
    ``asyncio.run``) fail with "Cannot run the event loop while another loop is running".
    """
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    in_browser = [item for item in items if item.get_closest_marker("browser")]
    items[:] = [item for item in items if not item.get_closest_marker("browser")] + in_browser


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- databases --------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty ``WITHIN_DATA_DIR`` for this test (``WITHIN_DATABASE_URL`` unset)."""
    folder = tmp_path / "within-data"
    monkeypatch.setenv("WITHIN_DATA_DIR", str(folder))
    monkeypatch.delenv("WITHIN_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def store(data_dir: Path) -> Iterator[Any]:
    """The default :class:`widgets.store.Store` of :func:`data_dir`, closed afterwards."""
    from widgets.store import Store

    store = Store()
    yield store
    store.close()

#: A PostgreSQL server for the store tests (scripts/test starts a throwaway one).
POSTGRES_URL_ENV = "WITHIN_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test: a SQLite file, then a PostgreSQL database.

    The PostgreSQL case needs ``WITHIN_TEST_POSTGRES_URL`` (any database on a server where
    that user may create databases): skipped without it locally, a failure in CI.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'within.sqlite3'}"
        return
    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        reason = (
            f"{POSTGRES_URL_ENV} is not set: scripts/test starts a throwaway PostgreSQL "
            "(scripts/postgres start DIR prints a URL to set it to)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    import psycopg
    from sqlalchemy import make_url

    slug = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40]
    name = f"t_{slug}_{os.getpid()}_{time.monotonic_ns() % 10**9}"
    admin = make_url(server).set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')



@pytest.fixture(name="execute_notebook")
def execute_notebook_fixture() -> Callable[..., Any]:
    """``execute_notebook(path, data_dir)``: run a notebook with nbclient, raise on errors."""
    return execute_notebook
