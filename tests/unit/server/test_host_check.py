"""Host and Origin checks on every route: a rebound name or a foreign page gets 403.

The attack: a page on ``evil.example`` rebinds its name to 127.0.0.1, then loads and
drives Within's pages as same-origin (``Host: evil.example``), or opens a kernel's WebSocket
from its own origin. The old server answered both.
"""

from __future__ import annotations

from typing import ClassVar

import pytest
import tornado.websocket
from support.server import ServerRoutes
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.testing import gen_test

from widgets import cli
from widgets.server import app as server
from widgets.server import host_check
from widgets.server.host_check import declared_names, host_allowed, origin_allowed

LOCAL = declared_names()

#: Every kind of route: Within's redirects, pages, Voilà's and the template's static files,
#: the login, kernels' REST and WebSocket APIs, files, the shutdown beacon.
ROUTES = [
    "/",
    "/voila/tree",
    "/voila/render/home.ipynb",
    "/voila/render/follow-up.ipynb",
    "/voila/static/voila.js",
    "/voila/templates/within/static/within.css",
    "/voila/files/logo.png",
    "/login",
    "/api/kernels/00000000-0000-0000-0000-000000000000",
    "/voila/api/shutdown/00000000-0000-0000-0000-000000000000",
]


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("localhost", True),
        ("localhost:8866", True),
        ("LOCALHOST.:8866", True),
        ("127.0.0.1:8866", True),
        ("127.0.0.2", True),
        ("[::1]:8866", True),
        ("evil.example:8866", False),
        ("localhost.evil.example", False),
        ("192.168.1.10:8866", False),
        ("", False),
        ("[::1", False),
    ],
)
def test_host_names(host: str, allowed: bool) -> None:
    assert host_allowed(host, LOCAL) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),
        ("http://127.0.0.1:8866", True),
        ("http://localhost:8866", True),
        ("http://evil.example:8866", False),
        ("null", False),
        ("file://", False),
        ("chrome-extension://abc", False),
    ],
)
def test_origins(origin: str | None, allowed: bool) -> None:
    assert origin_allowed(origin, LOCAL) is allowed


def test_declared_names_come_from_the_environment_and_the_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(host_check.ALLOWED_HOSTS_ENV, " Within.Example.org , ,staff.example:443")
    names = declared_names(["extra.example"])
    assert {"within.example.org", "staff.example", "extra.example", "localhost"} <= names
    assert host_allowed("within.example.org", names)
    calls: list[dict] = []
    monkeypatch.setattr(server, "serve", lambda **kwargs: calls.append(kwargs) or 0)
    cli.main(["serve", "--allowed-host", "a.example", "--allowed-host", "b.example"])
    assert calls[0]["allowed_hosts"] == ("a.example", "b.example")


class TestEveryRoute(ServerRoutes):
    """The real server's routes (staff surface: the one with most to lose)."""

    options: ClassVar[dict] = {"surface": "staff", "allowed_hosts": ("within.example.org",)}

    def _code(self, path: str, method: str = "GET", **headers: str) -> int:
        body = b"" if method == "POST" else None
        response = self.fetch(
            path, method=method, body=body, headers=headers, follow_redirects=False
        )
        return response.code

    def test_a_rebound_name_gets_403_everywhere(self) -> None:
        port = self.get_http_port()
        for path in ROUTES:
            for method in ("GET", "POST"):
                code = self._code(path, method, Host=f"evil.example:{port}")
                assert code == 403, (method, path, code)

    def test_a_foreign_origin_gets_403_everywhere(self) -> None:
        port = self.get_http_port()
        for path in ROUTES:
            for origin in (f"http://evil.example:{port}", "null"):
                code = self._code(path, "POST", Origin=origin)
                assert code == 403, (path, origin, code)

    def test_local_and_declared_names_pass(self) -> None:
        for host in (f"127.0.0.1:{self.get_http_port()}", "localhost", "within.example.org"):
            assert self._code("/voila/static/voila.js", Host=host) == 200, host
            assert self._code("/", Host=host) == 302, host
        origin = f"http://127.0.0.1:{self.get_http_port()}"
        assert self._code("/voila/static/voila.js", Origin=origin) == 200
        assert self.voila.app.settings["allow_remote_access"] is False

    @gen_test
    async def test_a_kernel_websocket_from_a_foreign_page_is_refused(self) -> None:
        port = self.get_http_port()
        url = f"ws://127.0.0.1:{port}/api/kernels/00000000-0000-0000-0000-000000000000/channels"
        for headers in ({"Origin": f"http://evil.example:{port}"}, {"Host": "evil.example"}):
            request = HTTPRequest(
                url, headers={"Authorization": f"token {self.voila.token}", **headers}
            )
            with pytest.raises(HTTPClientError) as refused:
                await tornado.websocket.websocket_connect(request)
            assert refused.value.code == 403, headers
