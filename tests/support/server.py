"""A Within server's routes in Tornado's test client, without starting it or any kernel.

Tests subclass :class:`ServerRoutes`, set ``options`` (passed to
:func:`widgets.server.app.make_app`) and fetch; only requests that are refused before a kernel
starts belong here. The environment variables ``make_app`` sets are put back afterwards.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

import tornado.web
from tornado.testing import AsyncHTTPTestCase

from widgets.core import surfaces
from widgets.server import app as server
from widgets.server import host_check


class ServerRoutes(AsyncHTTPTestCase):
    """``self.voila``: the configured server; ``self.fetch``: its routes."""

    options: ClassVar[dict[str, Any]] = {}
    #: Variables a test or the server may change, restored after each test.
    env: ClassVar[tuple[str, ...]] = (
        "JUPYTER_PATH",
        server.LANG_ENV,
        surfaces.SURFACE_ENV,
        host_check.ALLOWED_HOSTS_ENV,
    )

    def setUp(self) -> None:
        self._saved = {key: os.environ.get(key) for key in self.env}
        os.environ.pop(host_check.ALLOWED_HOSTS_ENV, None)
        self.prepare_env()
        super().setUp()  # builds the app

    def prepare_env(self) -> None:
        """Set variables the server must see when it is built (restored afterwards)."""

    def tearDown(self) -> None:
        super().tearDown()
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def get_app(self) -> tornado.web.Application:
        self.voila = server.make_app(port=8935, open_browser=False, preheated=(), **self.options)
        self.voila.app = tornado.web.Application(**self.voila.init_settings())
        self.voila.app.settings.update(self.voila.tornado_settings)
        self.voila.app.add_handlers(".*$", self.voila.init_handlers())
        return self.voila.app
