"""Issue 9: sealed entries, retention, deletion that reaches the file, backups, the demo banner."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, timedelta
from pathlib import Path

import jinja2
import pytest
from sqlalchemy import update

from widgets import cli
from widgets.core import settings
from widgets.core.content import library, text
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.core.paths import jupyter_data_dir
from widgets.exercises import sealed
from widgets.exercises.kind_errors import kindly
from widgets.exercises.my_data import MyData
from widgets.exercises.participant_code import ParticipantCodePanel
from widgets.server import voila_config
from widgets.store import Store, StoreError
from widgets.store.backup import BackupError, backup, check, restore
from widgets.store.errors import REASONS
from widgets.store.tables import CONSENTS, ENTRIES, PARTICIPANTS

CODE, OTHER = "K7MQ-4XZA", "B7B7-B7B7"
MARKER = "Zq9-MARKER-only-here"


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheaper Argon2id so tests stay fast (the settings travel with each value)."""
    monkeypatch.setattr(sealed, "ARGON2_MEMORY_KIB", 1024)


def _files(store: Store) -> dict[str, bytes]:
    path = Path(store.url.removeprefix("sqlite:///"))
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")}


# Sealed entries


def test_seal_round_trips_any_text_and_hides_it(store: Store) -> None:
    for words in ["", "I always mess up", "ไม่มีใครรัก", "\ud800 lone \x00 nul \u202e rtl", "x" * 10_000]:
        value = sealed.seal(words, "correct horse battery")
        assert sealed.is_sealed(value) and value["kdf"] == "argon2id" and value["salt"]
        assert words == "" or words not in str(value)
        assert sealed.unseal(value, "correct horse battery") == words
    with pytest.raises(sealed.SealError) as wrong:
        sealed.unseal(sealed.seal("secret", "correct horse"), "correct horsf")
    assert wrong.value.reason == "wrong"


def test_each_sealing_has_its_own_salt_and_tampering_is_caught() -> None:
    one, two = sealed.seal("same", "passphrase!!"), sealed.seal("same", "passphrase!!")
    assert one["salt"] != two["salt"] and one["token"] != two["token"]
    tampered = {**one, "token": one["token"][:-4] + "AAAA"}
    with pytest.raises(sealed.SealError):
        sealed.unseal(tampered, "passphrase!!")
    for broken in [{**one, "salt": "%%%"}, {**one, "m": 2**40}, {"sealed": 1}, "plain", None]:
        with pytest.raises(sealed.SealError):
            sealed.unseal(broken, "passphrase!!")


def test_sealed_entries_are_ciphertext_in_the_database_file(store: Store) -> None:
    entries = sealed.SealedEntries(store, CODE, "my long passphrase")
    entries.add("defusion", "thought", MARKER)
    entries.add("defusion", "thought", "second")
    store.add_entry(CODE, "defusion", "plain", "not sealed")
    store.close()
    assert not any(MARKER.encode() in data for data in _files(store).values())
    values = [e.value for e in store.entries(CODE)]
    assert values[0]["salt"] == values[1]["salt"]  # one salt per participant
    reopened = sealed.SealedEntries(store, CODE, "my long passphrase")
    assert [e.value for e in reopened.entries("defusion")] == [MARKER, "second", "not sealed"]
    with pytest.raises(sealed.SealError) as wrong:
        sealed.SealedEntries(store, CODE, "not my passphrase")
    assert wrong.value.reason == "wrong"


def test_passphrase_panel_warns_before_the_choice_and_keeps_the_passphrase_in_the_kernel() -> None:
    panel = sealed.PassphrasePanel(PageContext(lang="th"))
    shown = [child for child in panel.children]
    warning = text("th", "sealed.no_recovery")
    assert warning in panel.intro.value
    assert shown.index(panel.intro) < shown.index(panel.entry) and panel.understood in shown
    assert not panel.trait_metadata("passphrase", "sync")
    assert not panel.accept("long enough pass", "long enough pass")  # box not ticked
    assert text("th", "sealed.errors.not_understood") in panel.message.value
    panel.understood.value = True
    assert not panel.accept("short", "short")
    assert not panel.accept("long enough pass", "long enough pasS")
    panel.entry.value = "long enough pass"
    assert panel.accept("long enough pass", "long enough pass")
    assert panel.passphrase == "long enough pass" and panel.entry.value == ""
    unlock = sealed.PassphrasePanel(existing=True, check=lambda typed: typed == "the right one")
    assert not unlock.accept("the wrong one")
    assert text("en", "sealed.errors.wrong") in unlock.message.value
    assert unlock.accept("the right one")
    assert sealed.PassphrasePanel(PageContext(mode="projector")).children == ()


# Retention


def _age(store: Store, code: str, days: int) -> None:
    old = date.today() - timedelta(days=days)
    with store._writing() as connection:
        for table, column in [(PARTICIPANTS, "created_on"), (ENTRIES, "created_on"), (CONSENTS, "recorded_on")]:
            connection.execute(update(table).where(table.c.code == code).values({column: old}))


def test_purge_removes_only_people_quiet_for_longer_than_the_limit(store: Store) -> None:
    for code in (CODE, OTHER, "C3C3-C3C3"):
        store.record_consent(code, "store-answers", "v1")
        store.add_entry(code, "app", "k", MARKER if code == CODE else "keep")
    _age(store, CODE, 40)
    _age(store, OTHER, 40)
    store.add_entry(OTHER, "app", "k", "came back today")  # newest activity is today
    _age(store, "C3C3-C3C3", 10)
    dry = store.purge_older_than(30, dry_run=True)
    assert dry["participants"] == 1 and dry["entries"] == 1 and dry["consents"] == 1
    assert store.summary(CODE)["entries"] == 1  # a dry run changes nothing
    removed = store.purge_older_than(30)
    assert removed == dry
    assert store.summary(CODE) == {name: 0 for name in store.summary(CODE)}
    assert store.summary(OTHER)["entries"] == 2 and store.summary("C3C3-C3C3")["entries"] == 1
    assert not any(MARKER.encode() in data for data in _files(store).values())
    for bad in (0, -1, 1.5, True, "30"):
        with pytest.raises(StoreError):
            store.purge_older_than(bad)  # type: ignore[arg-type]


def test_purge_command_uses_the_setting_and_is_off_by_default(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store.add_entry(CODE, "app", "k", 1)
    _age(store, CODE, 5)
    monkeypatch.delenv(settings.RETENTION_ENV, raising=False)
    assert cli.main(["purge"]) == 2 and "retention is off" in capsys.readouterr().err
    monkeypatch.setenv(settings.RETENTION_ENV, "3")
    assert cli.main(["purge", "--dry-run"]) == 0
    assert '"participants": 1' in capsys.readouterr().out and store.summary(CODE)["entries"] == 1
    assert cli.main(["purge", "--days", "10"]) == 0 and store.summary(CODE)["entries"] == 1
    assert cli.main(["purge"]) == 0 and store.summary(CODE)["entries"] == 0
    assert cli.main(["purge", "--days", "0"]) == 2


# Deleting everything reaches the file


def test_delete_everything_leaves_no_trace_in_the_file_or_its_log(store: Store) -> None:
    for n in range(50):
        store.add_entry(OTHER, "app", "k", f"someone else {n}")
    store.add_entry(CODE, "defusion", "thought", MARKER)
    store.save_progress(CODE, "flow", "step", {"note": MARKER})
    assert any(MARKER.encode() in data for data in _files(store).values())  # the test can fail
    my_data = MyData(store, CODE)
    my_data.confirm.value = True
    my_data.delete_everything()
    store.close()
    files = _files(store)
    assert "within.sqlite3" in files
    for name, data in files.items():
        assert MARKER.encode() not in data, name
    assert len(store.entries(OTHER)) == 50
    assert plain(text("en", "my_data.outside_reach")) in my_data.children[1].value


# Backup and restore


def test_backup_is_private_checked_and_never_overwrites(store: Store, tmp_path: Path) -> None:
    store.add_entry(CODE, "app", "k", "kept")
    target = tmp_path / "backup.sqlite3"
    backup(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert check(target)
    with pytest.raises(BackupError, match="already exists"):
        backup(target)


def test_restore_brings_back_the_backup_and_refuses_bad_files(store: Store, tmp_path: Path) -> None:
    store.add_entry(CODE, "app", "k", "in the backup")
    target = tmp_path / "backup.sqlite3"
    assert cli.main(["backup", str(target)]) == 0
    store.add_entry(CODE, "app", "k", "after the backup")
    store.close()
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("hello")
    other_sqlite = tmp_path / "other.sqlite3"
    with sqlite3.connect(other_sqlite) as connection:
        connection.execute("CREATE TABLE t (x)")
    corrupt = tmp_path / "corrupt.sqlite3"
    data = bytearray(target.read_bytes())
    for page in range(1, len(data) // 4096):  # damage every b-tree page's header
        data[page * 4096 : page * 4096 + 8] = b"\x0d\xff\xff\xff\xff\xff\xff\xff"
    corrupt.write_bytes(bytes(data))
    for bad in (not_sqlite, other_sqlite, corrupt, tmp_path / "missing"):
        with pytest.raises(BackupError):
            restore(bad)
        assert [e.value for e in store.entries(CODE)] == ["in the backup", "after the backup"]
    assert cli.main(["restore", str(not_sqlite)]) == 1
    assert cli.main(["restore", str(target)]) == 0
    assert [e.value for e in store.entries(CODE)] == ["in the backup"]
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# Words: the demo banner, the code panel, kind errors


def test_public_demo_is_detected_and_shown_on_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*settings.BINDER_ENVS, settings.PUBLIC_DEMO_ENV):
        monkeypatch.delenv(name, raising=False)
    assert not settings.public_demo()
    assert voila_config.shell_resources("en")["public_demo"] is False
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    assert settings.public_demo()
    within = voila_config.shell_resources("en")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(jupyter_data_dir() / "voila" / "templates" / "within")),
        autoescape=True,
    )
    page = env.get_template("404.html").render(base_url="/", status_code=404, within=within)
    assert 'id="within-public-demo"' in page
    for lang in ("en", "th"):
        assert str(jinja2.utils.markupsafe.escape(text(lang, "shell.public_demo"))) in page
    monkeypatch.delenv("BINDER_LAUNCH_HOST")
    monkeypatch.setenv(settings.PUBLIC_DEMO_ENV, "1")
    assert settings.public_demo()


def test_code_panel_says_codes_are_random() -> None:
    panel = ParticipantCodePanel(PageContext(lang="th"))
    assert text("th", "common.code.random") in panel.heading.value


@pytest.mark.parametrize("reason", REASONS)
def test_every_store_reason_has_its_own_kind_words(reason: str) -> None:
    shown: list[str] = []

    def fail() -> None:
        raise StoreError("detail for the log", reason)  # type: ignore[arg-type]

    for lang in ("en", "th"):
        kindly(lang, shown.append)(fail)()
        assert shown[-1] == library().text(lang, f"common.errors.store_reason.{reason}")
        assert "detail" not in shown[-1]
    assert len({library().text("en", f"common.errors.store_reason.{r}") for r in REASONS}) == len(REASONS)


def test_the_data_folder_is_private(store: Store) -> None:
    store.add_entry(CODE, "app", "k", 1)
    assert stat.S_IMODE(os.stat(Path(store.url.removeprefix("sqlite:///")).parent).st_mode) == 0o700


def test_the_database_file_is_private(store: Store) -> None:
    store.add_entry(CODE, "app", "k", 1)
    database = Path(store.url.removeprefix("sqlite:///"))
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in database.parent.glob(database.name + "*")}
    assert database.name in modes and set(modes.values()) == {oct(0o600)}, modes
