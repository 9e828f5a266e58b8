"""The ``within`` command and the stand-alone server's routes, without a browser."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
import tornado.web
from tornado.testing import AsyncHTTPTestCase

from widgets import cli
from widgets.commands import serve as serve_command
from widgets.core import content
from widgets.server import app as server


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Replace the real server with a recorder."""
    calls: list[dict] = []

    def fake_serve(**kwargs: object) -> int:
        calls.append(kwargs)
        return 0

    monkeypatch.setattr(server, "serve", fake_serve)
    return calls


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["serve", "--port", "abc"],
        ["serve", "--port", "70000"],
        ["serve", "--lang", "xx"],
        ["serve", "--unknown"],
    ],
)
def test_bad_arguments_say_one_line_and_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str], served: list[dict]
) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("within")
    assert served == []


def test_serve_defaults(served: list[dict], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve"]) == 0
    assert served == [
        {
            "port": 8866,
            "lang": content.DEFAULT_LANGUAGE,
            "open_browser": True,
            "surface": "participant",
            "allowed_hosts": (),
            "public": False,
        }
    ]


def test_serve_port_and_language(served: list[dict]) -> None:
    assert cli.main(["serve", "--port", "8931", "--lang", "th", "--no-browser"]) == 0
    assert served == [
        {
            "port": 8931,
            "lang": "th",
            "open_browser": False,
            "surface": "participant",
            "allowed_hosts": (),
            "public": False,
        }
    ]


def test_languages_come_from_content(served: list[dict]) -> None:
    for code in content.languages():
        assert cli.main(["serve", "--lang", code]) == 0
    assert [call["lang"] for call in served] == list(content.languages())


def test_warns_until_a_centre_confirms_its_contacts(
    served: list[dict], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert content.contacts().confirmed is False  # as shipped: national lines, unchecked
    cli.main(["serve"])
    err = capsys.readouterr().err
    assert "not confirmed by a centre" in err
    assert "content/local/contacts.yaml" in err

    monkeypatch.setattr(content, "contacts", lambda: SimpleNamespace(confirmed=True))
    cli.main(["serve"])
    assert "not confirmed" not in capsys.readouterr().err


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "serve" in capsys.readouterr().out
    assert cli.main(["--version"]) == 0


def test_subcommands_are_found_in_their_package() -> None:
    names = {module.__name__ for module in cli.command_modules()}
    assert serve_command.__name__ in names


# --- the server's routes ----------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """make_app sets JUPYTER_PATH and WITHIN_LANG; put them back afterwards."""
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    monkeypatch.setenv(server.LANG_ENV, "")


def test_template_dir_goes_first_on_jupyter_path(clean_env: None) -> None:
    os.environ["JUPYTER_PATH"] = "/elsewhere"
    server.use_template_dir()
    server.use_template_dir()  # only once
    parts = os.environ["JUPYTER_PATH"].split(os.pathsep)
    assert parts == [str(server.paths.jupyter_data_dir()), "/elsewhere"]


def test_app_serves_notebooks_on_localhost_in_the_language(clean_env: None) -> None:
    app = server.make_app(port=8932, lang="th", open_browser=False, preheated=())
    assert app.ip == "127.0.0.1"
    assert app.root_dir == str(server.paths.notebooks_dir())
    assert app.voila_configuration.template == "within"
    assert any(p.endswith(os.path.join("voila", "templates", "within")) for p in app.template_paths)
    assert os.environ[server.LANG_ENV] == "th"
    assert app.home_url == "/voila/render/home.ipynb"


class TestRoutes(AsyncHTTPTestCase):
    """No file listing: / and /voila/tree redirect home with the query; no contents API."""

    def setUp(self) -> None:
        self._env = {k: os.environ.get(k) for k in ("JUPYTER_PATH", server.LANG_ENV)}
        super().setUp()

    def tearDown(self) -> None:
        super().tearDown()
        for key, value in self._env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def get_app(self) -> tornado.web.Application:
        # No preheated kernels: this test's loop would start them and never stop them.
        voila = server.make_app(port=8933, lang="en", open_browser=False, preheated=())
        voila.app = tornado.web.Application(**voila.init_settings())
        voila.app.settings.update(voila.tornado_settings)
        voila.app.add_handlers(".*$", voila.init_handlers())
        return voila.app

    def _location(self, path: str) -> str:
        response = self.fetch(path, follow_redirects=False)
        assert response.code == 302, (path, response.code)
        return response.headers["Location"]

    def test_listing_redirects_home_keeping_the_query(self) -> None:
        assert self._location("/") == "/voila/render/home.ipynb"
        assert self._location("/?lang=th&mode=projector") == (
            "/voila/render/home.ipynb?lang=th&mode=projector"
        )
        assert self._location("/voila/tree") == "/voila/render/home.ipynb"
        assert self._location("/voila/tree/sub/dir?lang=th") == "/voila/render/home.ipynb?lang=th"

    def test_contents_api_is_not_served(self) -> None:
        for path in ("/voila/api/contents", "/voila/api/contents/", "/voila/api/contents/home.ipynb"):
            assert self.fetch(path).code == 404, path

    def test_static_files_get_the_security_headers(self) -> None:
        response = self.fetch("/voila/templates/within/static/neutral.html")
        assert response.code == 200
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_notebook_files_are_not_served(self) -> None:
        assert self.fetch("/voila/files/home.ipynb").code == 403
