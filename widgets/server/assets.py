"""Static files under a versioned prefix, cached forever, and responses compressed with gzip.

Voilà 0.5.13 serves its bundle and chunks (``/voila/static/1187.voila.js``) under names
with no content hash and the extensions' files (``/voila/labextensions/...``) as
``no-cache``, so a phone asks for every file again on each visit. Here the same files are
also served under ``/voila/assets/<version>/`` (``static/``, ``labextensions/``,
``templates/``), where ``<version>`` is a digest of everything that could change them (the
files themselves, Voilà's version and each extension's name and version). A file under the
current version can never change, so it is sent with :data:`CACHE_FOREVER` and a return
visit asks for none of them. The page points there: :func:`page_config_hook` moves Voilà's
``fullStaticUrl`` (its webpack public path) and ``fullLabextensionsUrl``, and the template
reads :data:`RESOURCE_KEY` for its own files (CSS, scripts, the Sarabun fonts beside them).

A page rendered before a restart may still ask for its old version's chunks: those are
served from today's files, but ``no-cache``, never as immutable.

Compression: Voilà builds its Tornado application before reading ``compress_response``, so
:class:`Compression` (Tornado's gzip transform) is added to the application itself. It never
touches the staff login form (:data:`UNCOMPRESSED_PATHS`; see docs/threat-model.md, BREACH).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tornado.httputil
import tornado.web
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from jupyterlab_server.config import get_federated_extensions
from voila import __version__ as voila_version
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler

#: Sent with every file under the current version's prefix.
CACHE_FOREVER = "public, max-age=31536000, immutable"
#: Sent with a file asked for under another (an earlier server's) version.
CACHE_REVALIDATE = "no-cache"
#: Where the template finds the prefix, relative to the base URL, in Voilà's ``resources``.
RESOURCE_KEY = "within_assets"
#: Paths (after the base URL) never compressed: the staff login form reflects ``next``
#: beside its ``_xsrf`` field.
UNCOMPRESSED_PATHS = ("login",)
#: Extensions no Within page uses: pygments' syntax colours (Within shows no code).
UNUSED_EXTENSIONS = ["jupyterlab_pygments"]

_READ_CHUNK = 1 << 20


def url_prefix(base_url: str, version: str | None = None) -> str:
    """``<base_url>voila/assets/<version>/``; without ``version``, the start every
    versioned URL shares (``<base_url>voila/assets/``)."""
    prefix = url_path_join(base_url, "voila", "assets") + "/"
    return prefix + (f"{version}/" if version else "")


def _files(folders: Iterable[str | Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        root = Path(folder)
        if root.is_dir():
            found.extend(sorted(p for p in root.rglob("*") if p.is_file()))
    return found


def version(static_paths: Iterable[str | Path], labextensions_path: Iterable[str]) -> str:
    """A short digest of every file served from ``static_paths`` (Voilà's and the
    templates' static folders, read in full), Voilà's version and each federated
    extension's name, version and entry point (their files carry content hashes)."""
    digest = hashlib.sha256(f"voila {voila_version}\n".encode())
    extensions = get_federated_extensions(list(labextensions_path))
    for name in sorted(extensions):
        data = extensions[name]
        load = data.get("load") or data.get("_build", {}).get("load", "")
        digest.update(f"extension {name} {data.get('version', '')} {load}\n".encode())
    for path in _files(dict.fromkeys(str(p) for p in static_paths)):
        digest.update(f"file {path.name} {path.stat().st_size}\n".encode())
        with path.open("rb") as handle:
            while chunk := handle.read(_READ_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=1024)
def _gzipped(path: str, mtime: float, size: int) -> bytes:
    """A file compressed whole, once per version of it (``mtime``, ``size``)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)


def _compressible(content_type: str) -> bool:
    return content_type.startswith("text/") or content_type in Compression.CONTENT_TYPES


class _Versioned:
    """Cache-Control by version: forever under the current one, revalidated otherwise.

    Text files go out compressed whole and kept so (:func:`_gzipped`): smaller than
    Tornado's streamed gzip, and compressed once rather than on every first visit.
    """

    def initialize(self, current: bool, **kwargs: Any) -> None:
        self.current_version = current
        super().initialize(**kwargs)  # type: ignore[misc]

    def compute_etag(self) -> str | None:
        return None if self.current_version else super().compute_etag()  # type: ignore[misc]

    async def get(self, path: str, include_body: bool = True) -> None:
        handler: Any = self
        accepts = "gzip" in handler.request.headers.get("Accept-Encoding", "")
        handler.path = handler.parse_url_path(path)
        absolute = handler.get_absolute_path(handler.root, handler.path)
        handler.absolute_path = handler.validate_absolute_path(handler.root, absolute)
        if handler.absolute_path is None:
            return
        if not (accepts and _compressible(handler.get_content_type())):
            await super().get(path, include_body)  # type: ignore[misc]
            return
        handler.modified = handler.get_modified_time()
        handler.set_headers()
        if handler.should_return_304():
            handler.set_status(304)
            return
        stat = os.stat(handler.absolute_path)
        body = _gzipped(handler.absolute_path, stat.st_mtime, stat.st_size)
        handler.set_header("Content-Encoding", "gzip")
        handler.set_header("Content-Length", len(body))
        if include_body:
            handler.write(body)

    def set_headers(self) -> None:
        super().set_headers()  # type: ignore[misc]
        handler: Any = self
        if self.current_version:  # never asked again, so nothing to revalidate with
            handler.set_header("Cache-Control", CACHE_FOREVER)
            for name in ("Last-Modified", "Expires"):
                handler.clear_header(name)
        else:
            handler.set_header("Cache-Control", CACHE_REVALIDATE)
            handler.clear_header("Expires")


class VoilaStaticAssets(_Versioned, MultiStaticFileHandler):
    """Voilà's bundle and chunks (``voila.js``, ``1187.voila.js``...)."""


class TemplateAssets(_Versioned, TemplateStaticFileHandler):
    """The templates' files (``within/static/within.css``, its fonts, Voilà's styles)."""

    def parse_url_path(self, url_path: str) -> str:
        """``<template>/static/<file>`` or 404 (Voilà's own handler asserts, a 500)."""
        shaped = re.fullmatch(r"[\w-]+/static/[^/].*", url_path)
        if not shaped or {".", ".."} & set(url_path.split("/")):
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(url_path)


class ExtensionAssets(_Versioned, FileFindHandler):
    """The federated JupyterLab extensions (``remoteEntry.*.js``, chunks, ``style.js``)."""


def handlers(
    server_url: str, current: str, static_paths: list[str], labextensions_path: list[str]
) -> list[tuple[Any, ...]]:
    """Routes for the three folders under the current version, then under any other."""
    routes = []
    for version_pattern, is_current in ((current, True), (r"[0-9a-f]+", False)):
        prefix = url_prefix(server_url) + version_pattern
        routes += [
            (
                url_path_join(prefix, r"static/(.*)"),
                VoilaStaticAssets,
                {"current": is_current, "paths": static_paths},
            ),
            (url_path_join(prefix, r"templates/(.*)"), TemplateAssets, {"current": is_current}),
            (
                url_path_join(prefix, r"labextensions/(.*)"),
                ExtensionAssets,
                {"current": is_current, "path": labextensions_path},
            ),
        ]
    return routes


def page_config_hook(
    page_config: dict[str, Any], *, base_url: str, settings: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """Voilà's ``page_config_hook``: its bundle and chunks, and the extensions, load from
    the versioned prefix (``settings["within_assets_version"]``, set by the server)."""
    current = settings.get("within_assets_version")
    if current:
        prefix = url_prefix(base_url, current)
        page_config["fullStaticUrl"] = prefix + "static"
        page_config["fullLabextensionsUrl"] = prefix + "labextensions"
    return page_config


class Compression(tornado.web.GZipContentEncoding):
    """Tornado's gzip transform (text, JavaScript, JSON, SVG...), except on
    :data:`UNCOMPRESSED_PATHS` under ``base_url``. Build with :func:`compression`."""

    uncompressed: tuple[str, ...] = ()

    def __init__(self, request: tornado.httputil.HTTPServerRequest) -> None:
        super().__init__(request)
        if request.path.rstrip("/") in self.uncompressed:
            self._gzipping = False


def compression(base_url: str) -> type[Compression]:
    """:class:`Compression` for a server whose base URL is ``base_url``."""
    paths = tuple(url_path_join(base_url, path).rstrip("/") for path in UNCOMPRESSED_PATHS)
    return type("WithinCompression", (Compression,), {"uncompressed": paths})
