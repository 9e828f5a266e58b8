"""The stand-alone Within server: Voilà on this computer only, opening at the home page.

A small :class:`voila.app.Voila` that serves the guided apps (``paths.notebooks_dir()``)
on 127.0.0.1 with Within's settings (:mod:`widgets.server.voila_config`). The Voilà file
listing is never shown: ``/`` and ``/voila/tree...`` redirect to the home page, keeping
the query string (``?lang=th``), and the contents API behind the listing is not served.
"""

from __future__ import annotations

import os
import threading
import webbrowser
from typing import Any

import tornado.web
from jupyter_server.utils import url_path_join
from traitlets import Unicode, default
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from widgets.core import paths, settings
from widgets.core.content import DEFAULT_LANGUAGE
from widgets.server import voila_config

#: Kernels read the server's default language from this variable.
LANG_ENV = "WITHIN_LANG"
HOME_NOTEBOOK = paths.HOME_NOTEBOOK
DEFAULT_PORT = 8866

#: Kernels kept started, with their page's imports done, for each page people open first;
#: ``WITHIN_PREHEAT_KERNELS=0`` turns it off (each idle one holds about 60 MB).
PREHEAT_ENV = "WITHIN_PREHEAT_KERNELS"
DEFAULT_PREHEAT_KERNELS = 1
#: The pages people open first: the home page and the start of the self-guided path.
PREHEATED_PAGES = (HOME_NOTEBOOK, "welcome.ipynb", "self-check.ipynb")


def preheat_kernels() -> int:
    """How many ready kernels to keep per preheated page (``WITHIN_PREHEAT_KERNELS``)."""
    return settings.env_int(PREHEAT_ENV, DEFAULT_PREHEAT_KERNELS) or 0


def preheat(config: Config, pages: tuple[str, ...] = PREHEATED_PAGES) -> None:
    """Keep :func:`preheat_kernels` kernels ready for each of ``pages`` (Voilà's kernel
    pools), none for other pages. Apply after :func:`widgets.server.voila_config.configure`.

    A preheated kernel has started and run its page's imports before anyone asks for the
    page; :func:`widgets.core.context.request_query` then waits for the visit that claims it.
    Voilà refuses a prelaunch hook beside pools, so :class:`XsrfCookieHandler` sets the
    ``_xsrf`` cookie instead.
    """
    kernels = preheat_kernels()
    if kernels == 0 or not pages:
        return
    config.VoilaConfiguration.preheat_kernel = True
    config.VoilaConfiguration.prelaunch_hook = None
    config.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0},
        **{page: {"pool_size": kernels} for page in pages},
    }


def use_template_dir() -> None:
    """Let Voilà find the ``within`` template (``share/jupyter``) before it starts."""
    data_dir = str(paths.jupyter_data_dir())
    current = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if data_dir not in current:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([data_dir, *current])


class HomeRedirectHandler(tornado.web.RequestHandler):
    """Send any listing request to the home page, keeping ``?lang=`` and the rest."""

    def initialize(self, target: str) -> None:
        self.target = target

    def get(self, *args: Any) -> None:
        query = self.request.query
        self.redirect(self.target + (f"?{query}" if query else ""))

    head = get


class XsrfCookieHandler(TornadoVoilaHandler):
    """Voilà's page handler, giving every page its ``_xsrf`` cookie.

    Voilà 0.5.13 never sets it, so the page's kernel-shutdown beacon is refused
    (voila-dashboards/voila#1458). :func:`widgets.server.voila_config.ensure_xsrf_cookie` does the
    same as a prelaunch hook, which preheated pages never run.
    """

    async def prepare(self) -> None:
        await super().prepare()
        self.xsrf_token  # noqa: B018 - read for its side effect: sets the cookie


class NotFoundHandler(tornado.web.RequestHandler):
    """A plain 404 for routes Within does not offer."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


def _headers_transform(headers: dict[str, str]) -> type[tornado.web.OutputTransform]:
    """An output transform adding ``headers`` to responses that lack them.

    Jupyter handlers already send ``tornado_settings["headers"]``; Voilà's static
    file handlers (template files, the neutral page) are plain Tornado ones.
    """

    class SecurityHeaders(tornado.web.OutputTransform):
        def transform_first_chunk(self, status_code, response_headers, chunk, finishing):  # type: ignore[no-untyped-def]
            for name, value in headers.items():
                if name not in response_headers:
                    response_headers[name] = value
            return status_code, response_headers, chunk

    return SecurityHeaders


class WithinVoila(Voila):
    """Voilà serving Within's notebooks on this computer only."""

    home_notebook = Unicode(HOME_NOTEBOOK, config=True, help="The first page, in the notebooks folder.")

    @default("root_dir")
    def _default_root_dir(self) -> str:
        return str(paths.notebooks_dir())

    @default("ip")
    def _default_ip(self) -> str:
        return "127.0.0.1"

    @default("port_retries")
    def _default_port_retries(self) -> int:
        return 0  # the port asked for, or a clear failure

    @default("config_file_paths")
    def _default_config_file_paths(self) -> list[str]:
        return []  # no stray voila.json may loosen the settings

    @property
    def home_url(self) -> str:
        """The home page's path on this server, e.g. ``/voila/render/home.ipynb``."""
        return url_path_join(self.base_url, "voila", "render", self.home_notebook)

    def init_handlers(self) -> list:
        handlers = super().init_handlers()
        # No file listing, ever: drop Voilà's tree pages and the contents API behind them.
        kept = [
            (h[0], XsrfCookieHandler, *h[2:]) if h[1] is TornadoVoilaHandler else h
            for h in handlers
            if h[1] not in (TornadoVoilaTreeHandler, VoilaContentsHandler)
        ]
        prefix = self.server_url or self.base_url
        redirect = (HomeRedirectHandler, {"target": self.home_url})
        home_routes = [
            (prefix, *redirect),
            (url_path_join(prefix, "/voila/?"), *redirect),
            (url_path_join(prefix, r"/voila/tree(?:/.*)?"), *redirect),
            (url_path_join(prefix, r"/voila/api/contents(?:/.*)?"), NotFoundHandler),
        ]
        # Jupyter handlers send these headers themselves; the rest get them here.
        self.app.add_transform(_headers_transform(self.tornado_settings.get("headers", {})))
        return home_routes + kept

    def launch_browser(self) -> None:
        """Open the home page with Python's ``webbrowser`` (``BROWSER=true`` opens nothing)."""
        try:
            browser = webbrowser.get(self.browser or None)
        except webbrowser.Error as error:
            self.log.warning("No web browser found: %s.", error)
            return
        url = f"http://{self.ip or '127.0.0.1'}:{self.port}{self.home_url}"
        threading.Thread(
            target=browser.open, args=(url,), kwargs={"new": self.webbrowser_open_new}, daemon=True
        ).start()


def make_app(
    *,
    port: int = DEFAULT_PORT,
    lang: str = DEFAULT_LANGUAGE,
    open_browser: bool = True,
    config: Config | None = None,
    preheated: tuple[str, ...] = PREHEATED_PAGES,
) -> WithinVoila:
    """A configured, initialised server (call ``.start()`` to serve); ``preheated`` pages get
    ready kernels (:func:`preheat`)."""
    use_template_dir()
    os.environ[LANG_ENV] = lang  # kernels inherit the server's environment
    config = voila_config.configure(config if config is not None else Config(), lang=lang)
    preheat(config, preheated)
    config.Voila.port = port
    config.Voila.open_browser = open_browser
    app = WithinVoila(config=config)
    app.initialize([])
    return app


def serve(
    *,
    port: int = DEFAULT_PORT,
    lang: str = DEFAULT_LANGUAGE,
    open_browser: bool = True,
    rooms_lan: str | None = None,
    rooms_port: int | None = None,
) -> int:
    """Serve until stopped (Ctrl+C or SIGTERM); returns the exit status.

    With ``rooms_lan`` (an address), a second, light listener serves ONLY the group-room
    join page there (:mod:`widgets.server.room_listener`); Voilà itself stays on 127.0.0.1.
    """
    from widgets.store import log_privacy

    log_privacy.install()  # the server's own log: no codes, no answers, no SQL parameters
    # Words about where answers are kept: this computer, or (phones joining over the LAN)
    # the centre's computer. WITHIN_DEPLOYMENT set beforehand wins; kernels inherit it.
    os.environ.setdefault(settings.DEPLOYMENT_ENV, "centre" if rooms_lan else "device")
    app = make_app(port=port, lang=lang, open_browser=open_browser)
    if rooms_lan:
        from widgets.server import room_listener

        room_listener.listen(rooms_lan, rooms_port or port, lang)
        print(room_listener.exposure_message(rooms_lan, rooms_port or port), flush=True)
    try:
        app.start()
    finally:
        if rooms_lan:
            room_listener.forget_listener()
    return 0
