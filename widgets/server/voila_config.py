"""Within's Voilà settings, applied to a traitlets config.

One place decides how every Within page is served: the ``within`` template (neutral
title, "Get help now" and "Quick exit" on every page, nothing from outside this
server), no code and no tracebacks, a tight file allowlist, and response headers
with a Content-Security-Policy that allows only this server.

:func:`configure` only writes to the config it is given, so the same settings serve
the stand-alone app (:mod:`widgets.server.app`) and, later, Voilà as a Jupyter server
extension (Binder, JupyterHub: call it from ``jupyter_server_config.py``, with
``server_headers=True`` when the server serves only Voilà, and put
:func:`widgets.core.paths.jupyter_data_dir` on ``JUPYTER_PATH`` when running from a
checkout so the template is found).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from traitlets.config import Config

from widgets.core import read_aloud, settings
from widgets.core.content import DEFAULT_LANGUAGE, ContentLibrary, library

TEMPLATE = "within"

#: Files Voilà may serve from the notebooks folder (``voila/files/...``): plain
#: images only, never hidden files, notebooks, code or data (SVG can carry scripts).
FILE_ALLOWLIST = [r"(?:[\w-]+/)*[\w-]+\.(?:png|jpe?g|gif|webp)"]
FILE_DENYLIST = [
    r"(?:.*/)?[._].*",  # hidden or private (".git", "_scratch.png")
    r".*\.(?:ipynb|py|pyc|sqlite3?|db|ya?ml|json|csv|toml|cfg|ini|env|log)",
]


#: Kernels idle this long with no page connected are shut down (a phone that dropped its
#: tab never says goodbye). ``WITHIN_CULL_IDLE_SECONDS`` changes it; 0 turns culling off.
CULL_IDLE_ENV = "WITHIN_CULL_IDLE_SECONDS"
CULL_INTERVAL_ENV = "WITHIN_CULL_INTERVAL_SECONDS"
DEFAULT_CULL_IDLE_SECONDS = 3600
DEFAULT_CULL_INTERVAL_SECONDS = 300


def culling() -> tuple[int, int]:
    """(idle timeout, check interval) in seconds for culling kernels nobody is connected to."""
    idle = settings.env_int(CULL_IDLE_ENV, DEFAULT_CULL_IDLE_SECONDS) or 0
    interval = settings.env_int(CULL_INTERVAL_ENV, 0) or min(DEFAULT_CULL_INTERVAL_SECONDS, max(idle, 1))
    return idle, interval


def content_security_policy() -> str:
    """Only this server: Voilà needs inline scripts and styles, anywidget loads its
    ES modules from ``blob:`` URLs, outputs and fonts may be ``data:`` URLs;
    websockets go back to the same host (``'self'`` covers ``ws:``/``wss:``).

    Inline ``<script>`` elements are Voilà's (the page streams cell outputs in them), but
    no Within or Voilà page uses an inline event handler (``onerror=``, ``onclick=``), so
    ``script-src-attr 'none'`` refuses them all: the classic way a missed escape would run.
    Nothing is framed (``frame-src 'none'``) and no page sets a ``<base>`` (``base-uri
    'none'``). ``tests/browser/test_browser_csp.py`` opens every app under this policy."""
    directives = {
        "default-src": "'self'",
        "script-src": "'self' 'unsafe-inline' blob:",
        "script-src-attr": "'none'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "media-src": "'self' data: blob:",
        "worker-src": "'self' blob:",
        "frame-src": "'none'",
        "object-src": "'none'",
        "frame-ancestors": "'self'",
        "form-action": "'self'",
        "base-uri": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def response_headers() -> dict[str, str]:
    """Headers for every response: the CSP above, no referrer, no MIME sniffing."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


def ensure_xsrf_cookie(handler: Any, notebook: Any = None, cwd: Any = None) -> None:
    """Voilà's prelaunch hook: give the page its ``_xsrf`` cookie.

    Voilà 0.5.13's notebook page never sets it, so the page's kernel-shutdown
    request (Voilà's own on leaving, and Within's quick exit) is refused with 403
    (voila-dashboards/voila#1458). Reading ``xsrf_token`` sets the cookie.
    """
    handler.xsrf_token  # noqa: B018 - read for its side effect: sets the cookie


def _tel(phone: str) -> str:
    """A ``tel:`` target: digits and the few signs a dialler understands."""
    return re.sub(r"[^0-9+*#]", "", phone)


def _safe_url(url: str) -> tuple[str, str]:
    """(href, label) for a contact's web address; only http(s) links are shown."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "", ""
    label = parts.netloc + (parts.path.rstrip("/") if parts.path not in ("", "/") else "")
    return url.strip(), label


def _per_language(words: dict[str, str], codes: list[str]) -> dict[str, str]:
    """Words for every language code, falling back to English, then to any."""
    fallback = words.get(DEFAULT_LANGUAGE) or next(iter(words.values()), "")
    return {code: words.get(code) or fallback for code in codes}


def shell_resources(lang: str, content: ContentLibrary | None = None) -> dict[str, Any]:
    """Everything the template's page shell shows, in every language.

    Parameters
    ----------
    lang:
        The server's default language (used when a page's URL has no ``?lang=``).
    content:
        The content library; the shipped one by default.
    """
    content = content or library()
    languages = content.languages()
    if lang not in languages:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(languages)}")
    codes = list(languages)
    english = content.strings(DEFAULT_LANGUAGE, "shell")
    keys = [key for key, value in english.items() if isinstance(value, str)]

    entries = []
    for code, language in languages.items():
        shell = {key: content.text(code, f"shell.{key}") for key in keys}
        entries.append(
            {
                "code": code,
                "name": language.name,
                "status": language.status,
                "shell": shell,
            }
        )

    contacts = content.contacts()
    items = []
    for contact in contacts.contacts:
        href, label = _safe_url(contact.url) if contact.url else ("", "")
        items.append(
            {
                "id": contact.id,
                "phone": contact.phone,
                "tel": _tel(contact.phone),
                "url": href,
                "url_label": label,
                "name": _per_language(contact.name, codes),
                "description": _per_language(contact.description, codes)
                if contact.description
                else {},
                "hours": _per_language(contact.hours, codes) if contact.hours else {},
            }
        )

    return {
        "default_lang": lang,
        "titles": {entry["code"]: entry["shell"]["site_title"] for entry in entries},
        "languages": entries,
        "contacts": {"confirmed": contacts.confirmed, "entries": items},
        "public_demo": settings.public_demo(),  # Binder: a banner says not for real answers
        "read_aloud": read_aloud.shell_words(content),  # static/read_aloud.js reads them
    }


def _merged(section: Any, name: str, extra: dict[str, Any]) -> dict[str, Any]:
    current = section.get(name) if name in section else {}
    return {**(dict(current) if current else {}), **extra}


def configure(
    config: Config,
    *,
    lang: str = DEFAULT_LANGUAGE,
    server_headers: bool = False,
    content: ContentLibrary | None = None,
) -> Config:
    """Apply Within's Voilà settings to ``config`` and return it.

    Parameters
    ----------
    config:
        The traitlets config to change (in place).
    lang:
        The default language of pages whose URL has no ``?lang=``.
    server_headers:
        Also put the response headers on ``ServerApp`` (for a Jupyter server that
        serves only Voilà). Off by default: JupyterLab beside Voilà needs its own.
    content:
        The content library; the shipped one by default.
    """
    within = shell_resources(lang, content)
    headers = response_headers()

    voila = config.VoilaConfiguration
    voila.template = TEMPLATE
    voila.theme = "light"
    voila.allow_template_override = "NO"  # ?template=lab would bring back CDN links
    voila.allow_theme_override = "NO"
    voila.strip_sources = True
    voila.show_tracebacks = False
    voila.resources = _merged(voila, "resources", {"within": within})
    voila.file_allowlist = list(FILE_ALLOWLIST)
    voila.file_denylist = list(FILE_DENYLIST)
    voila.prelaunch_hook = ensure_xsrf_cookie

    # The stand-alone app: headers on every page, words for Voilà's error pages.
    settings = _merged(config.Voila, "tornado_settings", {})
    settings["headers"] = {**dict(settings.get("headers") or {}), **headers}
    settings["jinja_template_vars"] = {
        **dict(settings.get("jinja_template_vars") or {}),
        "within": within,
    }
    settings["xsrf_cookie_kwargs"] = {
        **dict(settings.get("xsrf_cookie_kwargs") or {}),
        "samesite": "Strict",
    }
    config.Voila.tornado_settings = settings

    # Kernels whose page is gone (closed without the shutdown beacon: a killed tab, a lost
    # connection) are shut down once idle; a page still open keeps its kernel.
    idle, interval = culling()
    kernels = config.MappingKernelManager
    kernels.cull_idle_timeout = idle
    kernels.cull_interval = interval
    kernels.cull_connected = False
    kernels.cull_busy = False

    # Voilà as a Jupyter server extension reads these from ServerApp instead.
    config.ServerApp.jinja_template_vars = _merged(
        config.ServerApp, "jinja_template_vars", {"within": within}
    )
    if server_headers:
        server_settings = _merged(config.ServerApp, "tornado_settings", {})
        server_settings["headers"] = {**dict(server_settings.get("headers") or {}), **headers}
        # No MathJax: without a mathjax_url setting Voilà as an extension puts cdnjs's in
        # the page config and the page fetches it from outside (as under `within serve`).
        server_settings["mathjax_url"] = None
        server_settings["mathjax_config"] = None
        config.ServerApp.tornado_settings = server_settings
    return config
