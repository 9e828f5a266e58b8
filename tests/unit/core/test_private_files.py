"""Issue 15, files: the data folder 0700, the database, its -wal and -shm and backups 0600.

CI runs as root, which can read any file whatever its mode, so these tests read the mode
bits themselves rather than trying to open files as someone else.
"""

from __future__ import annotations

import argparse
import logging
import os
import stat
from pathlib import Path

import pytest

from widgets.commands import serve
from widgets.core import private_files, settings
from widgets.store import Store, backup


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def database_files(folder: Path) -> list[Path]:
    return [folder / f"within.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")]


def test_a_new_store_is_private_with_its_side_files(data_dir: Path) -> None:
    old = os.umask(0o022)  # the usual umask, under which SQLite alone makes 0644 files
    try:
        store = Store()
        store.add_entry("MODE-1", "test", "k", "v")
    finally:
        os.umask(old)
    with store._engine.connect():  # the -wal and -shm exist while a connection is open
        assert all(path.exists() for path in database_files(data_dir))
        assert [mode(path) for path in database_files(data_dir)] == [0o600] * 3
    assert mode(data_dir) == 0o700
    store.close()


def test_an_existing_folder_and_files_are_tightened_on_every_start(data_dir: Path) -> None:
    """Finding: the file was created 0644, and a folder Within did not create stayed open."""
    Store().add_entry("MODE-1", "test", "k", "v")
    data_dir.chmod(0o755)
    for path in database_files(data_dir):
        path.touch()
        path.chmod(0o644)
    store = Store()  # a new start of a kernel or of `within serve`
    assert mode(data_dir) == 0o700
    assert [mode(path) for path in database_files(data_dir)] == [0o600] * 3
    assert [e.value for e in store.entries("MODE-1")] == ["v"]
    store.close()


def test_within_serve_tightens_before_serving(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o777)
    data_dir.chmod(0o777)
    database = data_dir / "within.sqlite3"
    database.touch(mode=0o666)
    database.chmod(0o666)
    serve._private_modes()
    assert (mode(data_dir), mode(database)) == (0o700, 0o600)


def test_backups_and_restored_files_are_private(data_dir: Path, tmp_path: Path) -> None:
    store = Store()
    store.add_entry("MODE-1", "test", "k", "v")
    copy = backup.backup(tmp_path / "copy.sqlite3")
    assert mode(copy) == 0o600
    store.close()
    (data_dir / "within.sqlite3").chmod(0o644)
    target = backup.restore(copy)
    assert mode(target) == 0o600


def test_a_file_system_without_modes_gets_a_clear_message(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A FAT stick ignores chmod: Within must say so, not pretend the file is private."""
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    monkeypatch.setattr(private_files.os, "chmod", lambda path, mode: None)
    private_files._warned.clear()
    with caplog.at_level(logging.WARNING, logger="within"):
        settings.data_dir()
    assert f"Within could not make {data_dir} private (mode 700): it stayed 755" in caplog.text
    serve._private_modes()
    printed = capsys.readouterr().err
    assert "Warning: Within could not make" in printed and "does not keep owner-only" in printed

    def refuse(path: object, mode: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(private_files.os, "chmod", refuse)
    warning = private_files.tighten(data_dir, 0o700)
    assert warning is not None and "Operation not permitted" in warning


def test_serve_command_runs_the_tightening(monkeypatch: pytest.MonkeyPatch) -> None:
    """``within serve`` calls it before anything else is served."""
    calls: list[str] = []
    monkeypatch.setattr(serve, "_private_modes", lambda: calls.append("modes"))
    monkeypatch.setattr(serve, "_apply_retention", lambda: calls.append("retention"))
    monkeypatch.setattr(serve.content, "contacts", lambda: argparse.Namespace(confirmed=True))
    import widgets.server.app

    monkeypatch.setattr(widgets.server.app, "serve", lambda **kwargs: calls.append("serve") or 0)
    args = argparse.Namespace(
        rooms_lan=None, port=1, lang="en", no_browser=True, rooms_port=None,
        staff=False, public=False, allowed_host=[],
    )
    assert serve.run(args) == 0
    assert calls == ["modes", "retention", "serve"]
