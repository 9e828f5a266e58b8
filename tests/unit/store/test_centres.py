"""Centres on one PostgreSQL: row-level security keeps each centre's rows to itself.

The attack: on a hub every account used the one shared database URL, so any centre's page
could read every centre's answers, given (or guessing) a code. With migration 0004 each row
carries its centre (the role that wrote it), and FORCEd row-level security lets a centre's
role see and write only its own rows, even with another centre's code. Runs on the real
PostgreSQL (``WITHIN_TEST_POSTGRES_URL``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url

from widgets.core.codes import new_code
from widgets.core.context import PageContext
from widgets.exercises.participant_code import ParticipantCodePanel
from widgets.store import Store, StoreError

SECURED = ("participants", "rooms", "presentations", "consents", "progress", "entries",
           "submissions", "room_answers")  # fmt: skip


@pytest.fixture
def centres() -> Iterator[dict[str, str]]:
    """A fresh database migrated by its owner, and two centres' login roles (not superusers)."""
    server = os.environ.get("WITHIN_TEST_POSTGRES_URL")
    if not server:
        reason = "WITHIN_TEST_POSTGRES_URL is not set: scripts/test starts a throwaway PostgreSQL"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    import psycopg

    suffix = os.getpid()
    name, roles = f"t_centres_{suffix}", {c: f"centre_{c}_{suffix}" for c in ("a", "b")}
    admin = make_url(server).set(drivername="postgresql")
    admin_dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
        for role in roles.values():
            db.execute(f'DROP ROLE IF EXISTS "{role}"')
            db.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS')
    owner = admin.set(database=name).render_as_string(hide_password=False)
    Store(owner).migrate()
    with psycopg.connect(owner, autocommit=True) as db:  # what docs/deploy.md tells a hub to run
        for role in roles.values():
            db.execute(
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'
            )
            db.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    urls = {
        c: admin.set(database=name, username=role, password=None).render_as_string(
            hide_password=False
        )
        for c, role in roles.items()
    }
    try:
        yield {"owner": owner, **urls, **{f"role_{c}": r for c, r in roles.items()}}
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in roles.values():
                db.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_a_centre_reads_nothing_of_another_even_with_its_code(centres: dict[str, str]) -> None:
    a, b = Store(centres["a"]), Store(centres["b"])
    code = new_code()
    a.record_consent(code, "store-answers", "2024-06")
    a.add_entry(code, app="goals", key="goal", value="call my sister")
    a.save_progress(code, "welcome", "start", {"seen": True})
    assert a.has_participant(code) and len(a.entries(code)) == 1

    assert not b.has_participant(code)
    assert b.entries(code) == [] and b.consents(code) == []
    assert b.load_progress(code, "welcome") is None
    assert not any(b.summary(code).values())
    assert not any(b.delete_participant(code).values())  # cannot delete it either
    with pytest.raises(StoreError):
        b.add_entry(code, app="goals", key="goal", value="planted by another centre")
    assert [e.value for e in a.entries(code)] == ["call my sister"]  # A's rows untouched

    # B's page, typing A's code, is told nothing is held here and writes nothing.
    panel = ParticipantCodePanel(PageContext("en"), store=b)
    panel.have_button.click()
    panel.entry.value = code
    panel.use_button.click()
    assert panel.code == "" and not b.has_participant(code)


def test_rows_carry_their_centre_and_security_is_forced(centres: dict[str, str]) -> None:
    import psycopg

    a = Store(centres["a"])
    code = new_code()
    a.ensure_participant(code)
    with psycopg.connect(centres["owner"]) as db:
        assert db.execute(
            "SELECT centre FROM participants WHERE code = %s", (code,)
        ).fetchone() == (centres["role_a"],)
        flags = dict(
            db.execute(
                "SELECT relname, relrowsecurity AND relforcerowsecurity FROM pg_class "
                "WHERE relname = ANY(%s)",
                (list(SECURED),),
            ).fetchall()
        )
    assert flags == dict.fromkeys(SECURED, True)
