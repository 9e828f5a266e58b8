"""Issue 20: the server's static files under a versioned, cached-forever prefix, and gzip
on every response but the staff login form (:mod:`widgets.server.assets`)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any, ClassVar

from support.server import ServerRoutes
from tornado.httpclient import HTTPResponse

from widgets.core.paths import jupyter_data_dir
from widgets.server import assets

TEMPLATE_STATIC = jupyter_data_dir() / "voila" / "templates" / "within" / "static"
GZIP = {"Accept-Encoding": "gzip"}


def _extension(root: Path, name: str, version: str, load: str) -> None:
    folder = root / name
    (folder / "static").mkdir(parents=True)
    package = {"name": name, "version": version, "jupyterlab": {"_build": {"load": load}}}
    (folder / "package.json").write_text(json.dumps(package))


def test_the_version_follows_every_file_and_every_extension(tmp_path: Path) -> None:
    static, extensions = tmp_path / "static", tmp_path / "labextensions"
    static.mkdir()
    extensions.mkdir()
    (static / "within.css").write_text("body { color: black; }")
    _extension(extensions, "anywidget", "0.9.0", "static/remoteEntry.aaa.js")
    first = assets.version([static], [str(extensions)])
    assert first == assets.version([static], [str(extensions)]), "stable between starts"
    assert len(first) == 16 and int(first, 16) >= 0

    (static / "within.css").write_text("body { color: navy; }")  # same size, new content
    changed = assets.version([static], [str(extensions)])
    assert changed != first
    (static / "fonts").mkdir()
    (static / "fonts" / "new.woff2").write_bytes(b"\0")
    with_font = assets.version([static], [str(extensions)])
    assert with_font != changed

    (extensions / "anywidget" / "package.json").unlink()
    _extension(extensions / "x", "anywidget", "0.9.1", "static/remoteEntry.bbb.js")
    assert assets.version([static], [str(extensions / "x")]) != with_font


def test_the_page_loads_voilas_bundle_and_the_extensions_from_the_prefix() -> None:
    config = {
        "fullStaticUrl": "/base/voila/static",
        "fullLabextensionsUrl": "/base/voila/labextensions",
    }
    moved = assets.page_config_hook(
        dict(config), base_url="/base/", settings={"within_assets_version": "0123abcd"}
    )
    assert moved["fullStaticUrl"] == "/base/voila/assets/0123abcd/static"
    assert moved["fullLabextensionsUrl"] == "/base/voila/assets/0123abcd/labextensions"
    assert assets.page_config_hook(dict(config), base_url="/base/", settings={}) == config


class TestAssetRoutes(ServerRoutes):
    """``within serve``'s routes: the versioned prefix, gzip, Cache-Control."""

    options: ClassVar[dict[str, Any]] = {}

    @property
    def prefix(self) -> str:
        return assets.url_prefix("/", self.voila.app.settings["within_assets_version"])

    def _get(self, path: str, **headers: str) -> HTTPResponse:
        return self.fetch(path, headers=headers, decompress_response=False)

    def _assert_cached_forever_and_compressed(self, path: str, original: bytes) -> None:
        response = self._get(path, **GZIP)
        assert response.code == 200, path
        assert response.headers["Cache-Control"] == assets.CACHE_FOREVER, path
        assert response.headers["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in response.headers["Vary"], path
        assert "Etag" not in response.headers and "Last-Modified" not in response.headers
        assert gzip.decompress(response.body) == original, path
        assert int(response.headers["Content-Length"]) == len(response.body)
        assert response.headers["Content-Security-Policy"], "Within's headers still there"
        plain = self._get(path)  # a client that takes no gzip gets the file as it is
        assert plain.code == 200 and "Content-Encoding" not in plain.headers
        assert plain.body == original

    def test_template_files_voilas_bundle_and_extensions_are_cached_forever(self) -> None:
        for name in ("within.css", "within.js", "palette.css", "read_aloud.js"):
            self._assert_cached_forever_and_compressed(
                f"{self.prefix}templates/within/static/{name}",
                (TEMPLATE_STATIC / name).read_bytes(),
            )
        voila_js = self._get("/voila/static/voila.js").body
        self._assert_cached_forever_and_compressed(f"{self.prefix}static/voila.js", voila_js)
        manager = "@jupyter-widgets/jupyterlab-manager"
        package = json.loads(self._get(f"/voila/labextensions/{manager}/package.json").body)
        entry = f"{manager}/{package['jupyterlab']['_build']['load']}"
        original = self._get(f"/voila/labextensions/{entry}").body
        self._assert_cached_forever_and_compressed(f"{self.prefix}labextensions/{entry}", original)

    def test_fonts_are_cached_forever_and_sent_as_they_are(self) -> None:
        font = "fonts/sarabun-thai-400-normal.woff2"
        response = self._get(f"{self.prefix}templates/within/static/{font}", **GZIP)
        assert response.code == 200
        assert response.headers["Cache-Control"] == assets.CACHE_FOREVER
        assert "Content-Encoding" not in response.headers  # woff2 is compressed already
        assert response.body == (TEMPLATE_STATIC / font).read_bytes()

    def test_another_versions_files_are_revalidated_never_immutable(self) -> None:
        other = "0" * 16
        assert other != self.voila.app.settings["within_assets_version"]
        response = self._get(f"/voila/assets/{other}/templates/within/static/within.css", **GZIP)
        assert response.code == 200
        assert response.headers["Cache-Control"] == assets.CACHE_REVALIDATE
        assert "Expires" not in response.headers
        assert gzip.decompress(response.body) == (TEMPLATE_STATIC / "within.css").read_bytes()

    def test_nothing_outside_the_static_folders_is_served(self) -> None:
        for tail in (
            "templates/within/index.html.j2",
            "templates/within/conf.json",
            "templates/within/static/../conf.json",
            "templates/../../../pyproject.toml",
            "templates/x",
            "static/../app.py",
            "labextensions/../../etc/passwd",
            "templates/within/static/missing.css",
        ):
            code = self._get(self.prefix + tail).code
            assert code in (403, 404), f"{tail}: {code}"

    def test_pages_and_unversioned_files_are_compressed_too(self) -> None:
        response = self._get("/voila/templates/within/static/neutral.html", **GZIP)
        assert response.code == 200 and response.headers["Content-Encoding"] == "gzip"
        assert assets.CACHE_FOREVER not in response.headers.get("Cache-Control", "")
        missing = self._get("/voila/render/no-such-app.ipynb", **GZIP)  # Within's 404 page
        assert missing.code == 404 and missing.headers["Content-Encoding"] == "gzip"
        assert b"within" in gzip.decompress(missing.body)

    def test_the_kernels_websocket_is_not_compressed(self) -> None:
        """Codes and answers travel over the kernel's WebSocket: never compressed there
        (docs/threat-model.md)."""
        assert not self.voila.app.settings.get("websocket_compression_options")


class TestStaffLogin(ServerRoutes):
    """The login form reflects ``next`` beside its ``_xsrf`` field: never compressed."""

    options: ClassVar[dict[str, Any]] = {"surface": "staff"}

    def test_the_login_form_is_not_compressed(self) -> None:
        response = self.fetch(
            "/login?next=%2Fvoila%2Frender%2Fhome.ipynb", headers=GZIP, decompress_response=False
        )
        assert response.code == 200
        assert "Content-Encoding" not in response.headers
        assert b"_xsrf" in response.body
        files = self.fetch("/voila/static/voila.js", headers=GZIP, decompress_response=False)
        assert files.headers["Content-Encoding"] == "gzip", "the rest of the staff server is"
