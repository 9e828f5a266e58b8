"""The hub: centre accounts get Voilà only, read-only files and no code from the browser;
researchers get JupyterLab without database credentials; a centre's pages use its own role.

The real hub (tests/test_jupyterhub.py) checks the lock-down through the proxy; here the
pieces are checked one by one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest
from tornado.web import HTTPError
from traitlets.config import Config

from widgets.server import hub_lockdown
from widgets.server.hub_lockdown import BROWSER_MESSAGE_TYPES, ReadOnlyContentsManager, lock_down

ROOT = Path(__file__).resolve().parents[3]
HUB_CONFIG = ROOT / "docs" / "jupyterhub" / "jupyterhub_config.py"


def test_lock_down_turns_off_lab_terminals_writing_and_code() -> None:
    c = Config()
    lock_down(c)
    assert c.ServerApp.contents_manager_class is ReadOnlyContentsManager
    assert c.ServerApp.terminals_enabled is False
    extensions = c.ServerApp.jpserver_extensions.get_value({"jupyterhub": True})
    assert extensions["jupyterlab"] is False and extensions["jupyter_server_terminals"] is False
    assert extensions["voila"] is True and extensions["jupyterhub"] is True  # others kept
    assert "execute_request" not in c.MappingKernelManager.allowed_message_types
    assert c.MappingKernelManager.allowed_message_types == BROWSER_MESSAGE_TYPES


def test_the_contents_manager_reads_but_never_writes(tmp_path: Path) -> None:
    (tmp_path / "home.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8"
    )
    manager = ReadOnlyContentsManager(root_dir=str(tmp_path))

    async def attempts() -> None:
        assert (await manager.get("home.ipynb"))["type"] == "notebook"
        model = {
            "type": "notebook",
            "content": {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
        }
        for attempt in (
            manager.save(model, "planted.ipynb"),
            manager.new(model, "planted.ipynb"),
            manager.new_untitled(type="notebook"),
            manager.copy("home.ipynb"),
            manager.rename("home.ipynb", "gone.ipynb"),
            manager.delete("home.ipynb"),
            manager.create_checkpoint("home.ipynb"),
        ):
            with pytest.raises(HTTPError) as refused:
                await attempt
            assert refused.value.status_code == 403

    asyncio.run(attempts())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home.ipynb"]


@pytest.fixture
def choose_role(monkeypatch: pytest.MonkeyPatch):
    """The hub config's spawn hook, loaded as JupyterHub loads the file."""
    monkeypatch.setenv("WITHIN_DATABASE_URL", "postgresql://owner@db/within")
    monkeypatch.setenv("WITHIN_CENTRE_DATABASE_URL", "postgresql://centre_{centre}@db/within")
    config = Config()
    namespace = {"get_config": lambda: config}
    source = compile(HUB_CONFIG.read_text(encoding="utf-8"), str(HUB_CONFIG), "exec")
    exec(source, namespace)  # noqa: S102 - the project's own config file, as JupyterHub runs it
    assert config.Spawner.pre_spawn_hook is namespace["choose_role"]
    environment = config.Spawner.environment.get_value({})
    assert "WITHIN_CENTRE_DATABASE_URL" not in environment  # the template stays on the hub
    return namespace["choose_role"]


def _spawner(*groups: str) -> SimpleNamespace:
    user = SimpleNamespace(name="someone", groups=[SimpleNamespace(name=g) for g in groups])
    return SimpleNamespace(
        user=user,
        environment={"WITHIN_DATABASE_URL": "postgresql://owner@db/within"},
        default_url="/voila/render/home.ipynb",
    )


def test_a_centre_account_is_locked_down_and_uses_its_centre_role(choose_role) -> None:
    spawner = _spawner("centre-north")
    choose_role(spawner)
    assert spawner.environment[hub_lockdown.ROLE_ENV] == "centre"
    assert spawner.environment["WITHIN_DATABASE_URL"] == "postgresql://centre_north@db/within"
    assert spawner.default_url == "/voila/render/home.ipynb"


def test_a_researcher_gets_lab_and_no_database(choose_role) -> None:
    spawner = _spawner("researchers")
    choose_role(spawner)
    assert spawner.environment[hub_lockdown.ROLE_ENV] == "research"
    assert "WITHIN_DATABASE_URL" not in spawner.environment
    assert spawner.default_url == "/lab"


@pytest.mark.parametrize("groups", [(), ("centre-north", "centre-south"), ("staff",)])
def test_an_account_without_exactly_one_centre_does_not_start(choose_role, groups) -> None:
    with pytest.raises(ValueError, match="exactly one centre-<id> group"):
        choose_role(_spawner(*groups))
