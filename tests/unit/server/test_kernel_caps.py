"""Kernel caps for the public service: per client and in total, counted in the database.

The attack: one client (or a crowd) opening page after page until the machine runs out of
memory for everyone. The caps must still let a whole group behind one address in.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from support.server import ServerRoutes

from widgets.core.content import text
from widgets.core.markup import plain
from widgets.exercises.code_guard import client_key
from widgets.server import app as server
from widgets.server import host_check, kernel_caps
from widgets.store import Store


def _fill(store: Store, client: str, count: int, process: str = kernel_caps.PROCESS) -> None:
    now = kernel_caps._now()
    store.kernels_alive(process, now, [], stale_before=now - timedelta(hours=1))
    for n in range(count):
        store.claim_kernel(f"{process[:8]}-{client[:8]}-{n}", client, process, now)


def test_thirty_phones_behind_one_address_all_get_in(store: Store) -> None:
    phones = client_key("198.51.100.20")  # a school's Wi-Fi, or a carrier's shared address
    _fill(store, phones, 0)  # this process is alive
    for phone in range(30):
        assert kernel_caps.admit(phones), f"phone {phone + 1} was turned away"
        store.claim_kernel(f"page-{phone}", phones, kernel_caps.PROCESS, kernel_caps._now())
    assert kernel_caps.admit(phones)  # and each may open a second page
    assert kernel_caps.per_client() >= 2 * 30


def test_one_client_is_capped_and_others_still_get_in(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(kernel_caps.MAX_CLIENT_KERNELS_ENV, "5")
    greedy, other = client_key("203.0.113.5"), client_key("203.0.113.6")
    _fill(store, greedy, 4)
    assert kernel_caps.admit(greedy)
    store.claim_kernel("one-more", greedy, kernel_caps.PROCESS, kernel_caps._now())
    assert not kernel_caps.admit(greedy)
    assert kernel_caps.admit(other)
    store.release_kernel("one-more")  # a page closed: room again
    assert kernel_caps.admit(greedy)


def test_the_total_is_counted_across_processes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(kernel_caps.MAX_KERNELS_ENV, "6")
    _fill(store, client_key("a"), 3, process="a" * 32)  # another Within process
    _fill(store, client_key("b"), 2)
    assert kernel_caps.admit(client_key("c"))
    store.claim_kernel("sixth", client_key("c"), kernel_caps.PROCESS, kernel_caps._now())
    assert not kernel_caps.admit(client_key("d"))


def test_a_silent_process_stops_counting(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(kernel_caps.MAX_KERNELS_ENV, "3")
    now = kernel_caps._now()
    stale = now - timedelta(seconds=kernel_caps.STALE_S + 1)
    store.kernels_alive("c" * 32, stale, [], stale_before=stale - timedelta(hours=1))
    for n in range(3):
        store.claim_kernel(f"crashed-{n}", "x", "c" * 32, stale)
    assert kernel_caps.admit("y")  # the crashed process's kernels no longer count
    store.kernels_alive(
        kernel_caps.PROCESS, now, [], stale_before=now - timedelta(seconds=kernel_caps.STALE_S)
    )
    assert store.kernel_counts("x", now - timedelta(hours=1)) == (0, 0)  # and are forgotten


def test_the_heartbeat_heals_the_counts(store: Store) -> None:
    class Kernels:
        def list_kernel_ids(self) -> list[str]:
            return ["alive-1", "alive-2"]

    store.claim_kernel("ended-unnoticed", "x", kernel_caps.PROCESS, kernel_caps._now())
    heartbeat = kernel_caps.Heartbeat(Kernels())
    heartbeat.beat()
    since = kernel_caps._now() - timedelta(minutes=1)
    assert store.kernel_counts("x", since) == (0, 2)  # the ended one gone, the live ones counted


class TestPublicServer(ServerRoutes):
    """``within serve --public``: the busy page, and the forwarded address."""

    options: ClassVar[dict] = {"public": True, "allowed_hosts": ("within.test",)}
    env = (
        *ServerRoutes.env,
        kernel_caps.MAX_KERNELS_ENV,
        kernel_caps.MAX_CLIENT_KERNELS_ENV,
        "WITHIN_DATA_DIR",
        "WITHIN_DATABASE_URL",
    )

    def prepare_env(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        os.environ["WITHIN_DATA_DIR"] = self._tmp.name
        os.environ.pop("WITHIN_DATABASE_URL", None)
        os.environ[kernel_caps.MAX_CLIENT_KERNELS_ENV] = "2"

    def tearDown(self) -> None:
        super().tearDown()
        self._tmp.cleanup()

    def _get(self, path: str, **headers: Any) -> Any:
        return self.fetch(path, headers={"Host": "within.test", **headers}, follow_redirects=False)

    def test_a_full_client_gets_the_kind_busy_page(self) -> None:
        assert isinstance(self.voila.kernel_manager, kernel_caps.CappedKernelManager)
        assert self.voila.voila_configuration.preheat_kernel is False
        _fill(Store.default(), client_key("203.0.113.9"), 2)
        for lang in ("en", "th"):
            page = self._get(
                f"/voila/render/home.ipynb?lang={lang}", **{"X-Real-IP": "203.0.113.9"}
            )
            assert page.code == 503
            assert page.headers["Retry-After"] == "60"
            body = page.body.decode()
            assert plain(text("en", "shell.busy")) in body  # the shell shows every language
            assert plain(text("th", "shell.try_again")) in body
            assert 'id="within-get-help"' in body and "Traceback" not in body

    def test_only_apps_of_the_participant_surface(self) -> None:
        assert self._get("/voila/render/follow-up.ipynb").code == 404
        assert self._get("/voila/render/research-examples.ipynb").code == 404

    def test_a_forwarded_address_counts_only_from_the_proxy_on_this_machine(self) -> None:
        handler = server.SurfaceVoilaHandler.__new__(server.SurfaceVoilaHandler)
        handler.application = self.voila.app
        handler.request = type(
            "R", (), {"remote_ip": "192.0.2.1", "headers": {"X-Real-IP": "203.0.113.9"}}
        )()
        assert handler._client_address() == "192.0.2.1"  # not from the proxy: not believed
        handler.request.remote_ip = "127.0.0.1"
        assert handler._client_address() == "203.0.113.9"


def test_public_needs_a_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from widgets import cli

    monkeypatch.delenv(host_check.ALLOWED_HOSTS_ENV, raising=False)
    calls: list[dict] = []
    monkeypatch.setattr(server, "serve", lambda **kwargs: calls.append(kwargs) or 0)
    assert cli.main(["serve", "--public"]) == 2
    assert "--allowed-host" in capsys.readouterr().err and calls == []
    assert cli.main(["serve", "--public", "--allowed-host", "within.example.org"]) == 0
    assert calls[0]["public"] is True
    assert cli.main(["serve", "--public", "--staff"]) == 2
