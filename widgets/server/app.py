"""The stand-alone Within server: Voilà on this computer only, opening at the home page.

A small :class:`voila.app.Voila` that serves the guided apps (``paths.notebooks_dir()``)
on 127.0.0.1 with Within's settings (:mod:`widgets.server.voila_config`). The Voilà file
listing is never shown: ``/`` and ``/voila/tree...`` redirect to the home page, keeping
the query string (``?lang=th``), and the contents API behind the listing is not served.

Each server serves one surface (:mod:`widgets.core.surfaces`): a notebook not on it answers
404. The staff surface needs a login (:mod:`widgets.server.staff_login`). Every route refuses a
foreign ``Host`` or ``Origin`` (:mod:`widgets.server.host_check`).
"""

from __future__ import annotations

import ipaddress
import os
import threading
import webbrowser
from collections.abc import AsyncIterator
from typing import Any

import tornado.web
from jupyter_server.utils import url_path_join
from traitlets import Bool, Enum, List, Unicode, default
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from widgets.core import paths, settings, surfaces
from widgets.core.content import DEFAULT_LANGUAGE, Surface
from widgets.exercises import code_guard
from widgets.server import assets, host_check, kernel_caps, staff_login, voila_config

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


def compress_websockets(config: Config) -> None:
    """Compress the kernel's WebSocket messages (permessage-deflate, when the browser offers it).

    Every widget a page draws arrives over that WebSocket as JSON: moving into an activity is
    about 57 kB, about 5 kB deflated, which is a third of a second on a 1.6 Mbit/s phone.
    Participant pages only: there no one else's typed words share a connection with a secret,
    so the compressed sizes give nothing away (``docs/threat-model.md``). Staff pages show
    words many people typed beside their codes, so they stay uncompressed. Apply after
    :func:`widgets.server.voila_config.configure`.
    """
    settings = config.Voila.tornado_settings
    config.Voila.tornado_settings = {**settings, "websocket_compression_options": {}}


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


class SurfaceVoilaHandler(XsrfCookieHandler):
    """Voilà's page handler, rendering only the notebooks on this server's surface.

    Anything else (another surface's app, ``research-examples.ipynb``, ``./home.ipynb``,
    a path that climbs out) is a 404, before any kernel starts. The page's kernel learns
    which client asked (a keyed hash, :func:`widgets.exercises.code_guard.client_key`) to slow down
    code guessing; the server sets it, replacing anything the client sent.
    """

    async def prepare(self) -> None:
        await super().prepare()
        path = self.path_args[0] if self.path_args else ""
        if path not in self.settings["within_served_notebooks"]:
            raise tornado.web.HTTPError(404)
        client = code_guard.client_key(self._client_address())
        self.request.headers[code_guard.CLIENT_HEADER] = client
        if self.settings.get("within_public") and not kernel_caps.admit(client):
            raise tornado.web.HTTPError(503)  # the busy page: try again in a minute

    async def get_generator(self, path: str | None = None) -> AsyncIterator[str]:
        """The page, from a ready kernel when one can serve it (:meth:`stand_in`)."""
        async for html in super().get_generator(path=self.stand_in(path)):
            yield html

    def stand_in(self, path: str | None) -> str | None:
        """The notebook whose ready kernel serves ``path``: its own, else the home page's.

        Only the pages people open first have ready kernels (:func:`preheat`). A direct link
        to any other app of this surface (a bookmark, a reload, a lost kernel's return) takes
        a ready home kernel when there is one: its imports are done, and its page builds the
        app its address names (:class:`widgets.apps.shell.Shell`), so the visitor does not
        wait for a kernel to start. Voilà refills the home pool behind it. Only the surface's
        apps are stood in for: each is a one-line ``page("<id>")``
        (``tests/unit/test_architecture.py``), which home's page can build.
        """
        ready = getattr(self.kernel_manager, "get_pool_size", lambda _page: 0)  # kernels in a pool
        if path not in self.settings.get("within_app_notebooks", ()):
            return path
        if ready(path) > 0 or ready(HOME_NOTEBOOK) == 0:
            return path
        return HOME_NOTEBOOK

    def _client_address(self) -> str:
        """The client's address: behind the public service's proxy on this machine, the one
        it forwards (``X-Real-IP``), else the connection's."""
        peer = self.request.remote_ip or ""
        forwarded = (self.request.headers.get("X-Real-IP") or "").strip()
        if self.settings.get("within_public") and forwarded and _loopback(peer):
            return forwarded
        return peer

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if status_code == 503:
            self.set_header("Retry-After", "60")
        super().write_error(status_code, **kwargs)


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


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

    home_notebook = Unicode(
        HOME_NOTEBOOK, config=True, help="The first page, in the notebooks folder."
    )
    surface = Enum(
        list(surfaces.SURFACES),
        default_value=surfaces.DEFAULT_SURFACE,
        config=True,
        help="Whose apps this server serves (participant or staff); others answer 404.",
    )
    public = Bool(
        False,
        config=True,
        help="A public participant service behind a proxy on this machine: kernels are "
        "capped per client and in total (counted in the database), a busy page when full.",
    )
    allowed_hosts = List(
        Unicode(),
        config=True,
        help="Names this server answers to besides localhost ones (and WITHIN_ALLOWED_HOSTS); "
        "any other Host or Origin gets 403.",
    )

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

    @property
    def display_url(self) -> str:
        """Where to start: the login link on the staff surface, else the home page."""
        base = f"http://{self.ip or '127.0.0.1'}:{self.port}"
        if self.surface == "staff":
            return base + staff_login.login_path(self.base_url, self.home_url, self.token or "")
        return base + self.home_url

    def init_handlers(self) -> list:
        handlers = super().init_handlers()
        self.app.settings["within_served_notebooks"] = surfaces.served_notebooks(self.surface)
        self.app.settings["within_app_notebooks"] = frozenset(
            app.notebook for app in surfaces.apps_on(self.surface)
        )
        names = host_check.declared_names(self.allowed_hosts)
        host_check.guard(self.app, names)
        if self.public:
            self.app.settings["within_public"] = True
            kernel_caps.Heartbeat(self.kernel_manager).start()
        # jupyter_server's own Host check on its handlers agrees (Voilà turns it off).
        self.app.settings.update(allow_remote_access=False, local_hostnames=sorted(names))
        # No file listing, ever: drop Voilà's tree pages and the contents API behind them;
        # pages render only this surface's notebooks.
        kept = [
            (h[0], SurfaceVoilaHandler, *h[2:]) if h[1] is TornadoVoilaHandler else h
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
        self.app.add_transform(assets.compression(self.base_url))
        return home_routes + self._asset_routes(prefix) + kept

    def _asset_routes(self, prefix: str) -> list:
        """Static files under the versioned prefix (:mod:`widgets.server.assets`); the
        page finds it in ``settings["within_assets_version"]`` and ``resources``."""
        labextensions = list(self.labextensions_path)
        version = assets.version(self.static_paths, labextensions)
        self.app.settings["within_assets_version"] = version
        prefix_from_base = assets.url_prefix("", version).lstrip("/")
        # Voilà's renderer reads the template's resources from the config, not the trait.
        section = self.voila_configuration.config.VoilaConfiguration
        section.resources = {**section.resources, assets.RESOURCE_KEY: prefix_from_base}
        self.app.settings["jinja_template_vars"] = {
            **self.app.settings.get("jinja_template_vars", {}),
            assets.RESOURCE_KEY: assets.url_prefix(self.base_url, version),
        }
        return assets.handlers(prefix, version, list(self.static_paths), labextensions)

    def launch_browser(self) -> None:
        """Open :attr:`display_url` with Python's ``webbrowser`` (``BROWSER=true`` opens nothing)."""
        try:
            browser = webbrowser.get(self.browser or None)
        except webbrowser.Error as error:
            self.log.warning("No web browser found: %s.", error)
            return
        url = self.display_url
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
    surface: Surface = surfaces.DEFAULT_SURFACE,
    allowed_hosts: tuple[str, ...] = (),
    public: bool = False,
) -> WithinVoila:
    """A configured, initialised server for ``surface`` (call ``.start()`` to serve);
    ``preheated`` pages on that surface get ready kernels (:func:`preheat`); it answers to
    localhost names and ``allowed_hosts`` only. ``public``: the participant surface as a
    public service behind a proxy (no preheated kernels: each is counted for its client)."""
    if public:
        surface, preheated = "participant", ()
    use_template_dir()
    os.environ[LANG_ENV] = lang  # kernels inherit the server's environment
    os.environ[surfaces.SURFACE_ENV] = surface
    config = voila_config.configure(config if config is not None else Config(), lang=lang)
    served = surfaces.served_notebooks(surface)
    preheat(config, tuple(page for page in preheated if page in served))
    config.VoilaConfiguration.http_header_envs = [code_guard.CLIENT_HEADER]
    config.VoilaConfiguration.page_config_hook = assets.page_config_hook
    config.VoilaConfiguration.extension_denylist = list(assets.UNUSED_EXTENSIONS)
    if surface == "participant":
        compress_websockets(config)
    if surface == "staff":
        staff_login.configure(config)
    config.WithinVoila.surface = surface
    config.WithinVoila.allowed_hosts = list(allowed_hosts)
    if public:
        config.WithinVoila.public = True
        config.VoilaConfiguration.multi_kernel_manager_class = kernel_caps.CappedKernelManager
        settings = config.Voila.tornado_settings
        settings["xsrf_cookie_kwargs"] = {**settings["xsrf_cookie_kwargs"], "secure": True}
        config.Voila.tornado_settings = settings
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
    surface: Surface = surfaces.DEFAULT_SURFACE,
    allowed_hosts: tuple[str, ...] = (),
    public: bool = False,
) -> int:
    """Serve ``surface`` until stopped (Ctrl+C or SIGTERM); returns the exit status.

    With ``rooms_lan`` (an address), a second, light listener serves ONLY the group-room
    join page there (:mod:`widgets.server.room_listener`); Voilà itself stays on 127.0.0.1.
    """
    from widgets.store import log_privacy

    log_privacy.install()  # the server's own log: no codes, no answers, no SQL parameters
    # Words about where answers are kept: this computer, (phones joining over the LAN) the
    # centre's computer, or (--public) a server. WITHIN_DEPLOYMENT set beforehand wins;
    # kernels inherit it.
    where = "public" if public else "centre" if rooms_lan else "device"
    os.environ.setdefault(settings.DEPLOYMENT_ENV, where)
    app = make_app(
        port=port,
        lang=lang,
        open_browser=open_browser,
        surface=surface,
        allowed_hosts=allowed_hosts,
        public=public,
    )
    if surface == "staff":
        print(staff_login.LOGIN_MESSAGE.format(url=app.display_url), flush=True)
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
