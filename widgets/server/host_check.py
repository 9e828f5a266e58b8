"""Host and Origin checks in front of every route of a Within server.

DNS rebinding: a web page that a staff browser visits can point its own name at 127.0.0.1
and then drive a local server as if it were its own site (same origin, so the browser lets
it read pages and open WebSockets). jupyter_server only checks the ``Host`` on its own
handlers, and Voilà switches that off; Voilà's static files, templates and Within's own
redirects are plain Tornado handlers with no check at all. So this check sits in front of
the whole Tornado application, as the first routing rule: a request whose ``Host`` is not
a declared name (localhost names by default, plus ``WITHIN_ALLOWED_HOSTS`` or
``--allowed-host``), or whose ``Origin`` (sent with WebSockets, posts and scripted requests)
is not on such a name, gets 403 before any handler runs.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import tornado.httputil
import tornado.routing
import tornado.web

ALLOWED_HOSTS_ENV = "WITHIN_ALLOWED_HOSTS"
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_HOST_PORT = re.compile(r"^(\[[^\]]*\]|[^:]*)(?::\d+)?$")


def declared_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """Names this server answers to: localhost names, ``WITHIN_ALLOWED_HOSTS`` (commas) and
    ``extra``; lower case, without ports."""
    from_env = (os.environ.get(ALLOWED_HOSTS_ENV) or "").split(",")
    names = {_bare(name) for name in [*from_env, *extra] if name.strip()}
    return frozenset(LOCAL_NAMES | names)


def _bare(host: str) -> str:
    """``Example.org.:8866`` -> ``example.org``; ``[::1]:80`` -> ``::1``."""
    match = _HOST_PORT.match(host.strip().lower())
    name = match.group(1) if match else ""
    return name[1:-1] if name.startswith("[") and name.endswith("]") else name.rstrip(".")


def host_allowed(host: str, names: frozenset[str]) -> bool:
    """Whether a ``Host`` value names this server: a declared name or a loopback address."""
    name = _bare(host)
    if not name:
        return False
    if name in names:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def origin_allowed(origin: str | None, names: frozenset[str]) -> bool:
    """Whether an ``Origin`` header (if any) is a web page served under a declared name."""
    if origin is None:
        return True  # same-origin navigations and non-browser clients send none
    parts = urlsplit(origin.strip())
    return parts.scheme in ("http", "https") and host_allowed(parts.netloc, names)


def request_allowed(request: tornado.httputil.HTTPServerRequest, names: frozenset[str]) -> bool:
    """The ``Host`` and ``Origin`` (or WebSocket ``Sec-WebSocket-Origin``) of ``request``."""
    headers = request.headers
    origin = headers.get("Origin", headers.get("Sec-WebSocket-Origin"))
    return host_allowed(request.host or "", names) and origin_allowed(origin, names)


class ForeignRequest(tornado.routing.Matcher):
    """Matches the requests that :func:`request_allowed` refuses."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def match(self, request: tornado.httputil.HTTPServerRequest) -> dict | None:
        return None if request_allowed(request, self.names) else {}


class ForbiddenHandler(tornado.web.RequestHandler):
    """403 for every method, with nothing of the site in it."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(403)

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("403 Forbidden\n")


def guard(app: tornado.web.Application, names: frozenset[str]) -> None:
    """Refuse foreign ``Host``/``Origin`` on every route of ``app``, before its handlers."""
    router = app.default_router
    router.rules.insert(
        0, router.process_rule(tornado.routing.Rule(ForeignRequest(names), ForbiddenHandler))
    )
