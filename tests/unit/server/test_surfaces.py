"""Three surfaces, each serving only its own apps; the staff surface behind a login.

The attack these tests reproduce: on the old ``within serve`` anyone at the participant
home page could open Follow-up (every code due, with no login) or
``research-examples.ipynb`` (consented codes with their answers).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from support.server import ServerRoutes

from widgets import cli
from widgets.apps.home import Home
from widgets.core import surfaces
from widgets.core.content import ContentError, ContentLibrary, library
from widgets.core.context import PageContext
from widgets.core.paths import content_dir, notebooks_dir
from widgets.server import app as server
from widgets.server import staff_login

#: Apps that list or reveal other people's data, or are facilitators' and staff tools.
STAFF_ONLY = {"follow-up", "screening", "presenter", "run-sheets", "group-room", "staff-training"}
#: Notebooks with nobody's data that a person may open on their own phone.
NOT_APPS = {"home.ipynb", "research-examples.ipynb"}


def test_every_app_names_its_surfaces(tmp_path: Path) -> None:
    apps = content_dir() / "apps.yaml"
    text = apps.read_text(encoding="utf-8")
    assert text.count("  - id:") == text.count("    surfaces: [")
    scratch = tmp_path / "content"
    scratch.mkdir()
    (scratch / "apps.yaml").write_text(
        "apps:\n  - id: welcome\n    notebook: welcome.ipynb\n    audience: [individuals]\n"
        "    order: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"field 'apps.0.surfaces': Field required"):
        ContentLibrary(scratch).registry()


def test_every_notebook_is_an_app_or_home_or_research_only() -> None:
    registered = {app.notebook for app in library().registry().apps}
    on_disk = {path.name for path in notebooks_dir().glob("*.ipynb")}
    assert on_disk - registered == NOT_APPS


def test_the_participant_surface_never_serves_lists_of_codes_or_staff_tools() -> None:
    participant = surfaces.served_notebooks("participant")
    for app in library().registry().apps:
        if app.id in STAFF_ONLY:
            assert app.notebook not in participant, app.id
            assert app.surfaces == ("staff",), app.id
    assert "research-examples.ipynb" not in participant
    assert "research-examples.ipynb" not in surfaces.served_notebooks("staff")
    assert {"my-progress.ipynb", "my-data.ipynb", "self-check.ipynb"} <= participant


@pytest.mark.parametrize("surface", ["participant", "staff"])
def test_home_lists_only_its_surface_apps(surface: str) -> None:
    for mode in ("self", "projector"):
        html = Home(PageContext("en", mode), surface=surface).children[0].value
        listed = set(re.findall(r'data-app-id="([a-z0-9-]+)"', html))
        on_surface = {app.id for app in surfaces.apps_on(surface)}  # type: ignore[arg-type]
        assert listed and listed <= on_surface
    html = Home(PageContext("en"), surface=surface).children[0].value
    assert ('data-app-id="follow-up"' in html) == (surface == "staff")
    assert 'data-app-id="my-progress"' in html  # a person's own page, with staff beside them


def test_home_reads_the_server_surface_and_defaults_to_participant(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(surfaces.SURFACE_ENV, raising=False)
    assert surfaces.current_surface() == "participant"
    monkeypatch.setenv(surfaces.SURFACE_ENV, "everything")
    assert surfaces.current_surface() == "participant"
    assert 'data-app-id="follow-up"' not in Home(PageContext("en")).children[0].value
    monkeypatch.setenv(surfaces.SURFACE_ENV, "staff")
    assert 'data-app-id="follow-up"' in Home(PageContext("en")).children[0].value


def test_serve_staff_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict] = []
    monkeypatch.setattr(server, "serve", lambda **kwargs: calls.append(kwargs) or 0)
    assert cli.main(["serve", "--staff", "--no-browser"]) == 0
    assert cli.main(["serve", "--no-browser"]) == 0
    assert [(c["surface"], c["port"]) for c in calls] == [("staff", 8867), ("participant", 8866)]


def test_each_staff_server_gets_a_fresh_token_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JUPYTER_TOKEN", "a-token-someone-set-long-ago")
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    first = server.make_app(port=8934, open_browser=False, preheated=(), surface="staff")
    second = server.make_app(port=8934, open_browser=False, preheated=(), surface="staff")
    tokens = {first.token, second.token}
    assert len(tokens) == 2 and "a-token-someone-set-long-ago" not in tokens
    assert all(len(token) >= 40 for token in tokens)
    link = urlsplit(first.display_url)
    assert (link.scheme, link.hostname, link.path) == ("http", "127.0.0.1", "/login")
    assert parse_qs(link.query) == {"next": [first.home_url], "token": [first.token]}
    monkeypatch.delenv(surfaces.SURFACE_ENV)


@pytest.mark.parametrize(("surface", "compressed"), [("participant", True), ("staff", False)])
def test_only_participant_pages_compress_their_kernel_websocket(
    monkeypatch: pytest.MonkeyPatch, surface: str, compressed: bool
) -> None:
    """Staff pages show words many people typed beside their codes: never compressed there
    (compressed sizes could be read off the network to guess a code)."""
    for name in ("JUPYTER_PATH", server.LANG_ENV, surfaces.SURFACE_ENV):
        monkeypatch.setenv(name, os.environ.get(name, ""))
    voila = server.make_app(port=8936, open_browser=False, preheated=(), surface=surface)
    settings = voila.tornado_settings
    assert ("websocket_compression_options" in settings) is compressed
    if compressed:
        assert settings["websocket_compression_options"] == {}  # Tornado's defaults
    assert settings["xsrf_cookie_kwargs"]["samesite"] == "Strict"  # the rest is kept


#: Ways to ask for a notebook that is not on the surface: plain, and dressed up.
DRESSED = [
    "{nb}",
    "./{nb}",
    "home.ipynb/../{nb}",
    "%2E/{nb}",
    "x/..%2F{nb}",
    "{nb}%00",
    "{nb}/",
]


class TestParticipantSurface(ServerRoutes):
    options: ClassVar[dict] = {"surface": "participant"}

    def test_staff_apps_and_research_examples_are_not_found(self) -> None:
        hidden = ["research-examples.ipynb", "follow-up.ipynb", "screening.ipynb"]
        hidden += [f"{app}.ipynb" for app in ("presenter", "run-sheets", "group-room")]
        for notebook in hidden:
            for shape in DRESSED:
                path = "/voila/render/" + shape.format(nb=notebook)
                assert self.fetch(path, follow_redirects=False).code == 404, path
        for notebook in ("research-examples.ipynb", "follow-up.ipynb"):
            assert self.fetch(f"/voila/files/{notebook}").code in (403, 404)
            assert self.fetch(f"/voila/tree/{notebook}", follow_redirects=False).code == 302
            assert self.fetch(f"/voila/api/contents/{notebook}").code == 404

    def test_only_the_surface_s_apps_may_be_served_from_a_ready_home_kernel(self) -> None:
        apps = self.voila.app.settings["within_app_notebooks"]
        assert apps == {app.notebook for app in surfaces.apps_on("participant")}
        assert "home.ipynb" not in apps and "screening.ipynb" not in apps

    def test_no_login_is_asked(self) -> None:
        assert self.voila.identity_provider.token == ""
        assert not self.voila.identity_provider.auth_enabled


class TestStaffSurface(ServerRoutes):
    options: ClassVar[dict] = {"surface": "staff"}

    def test_every_page_needs_the_login(self) -> None:
        for notebook in ("home.ipynb", "follow-up.ipynb", "screening.ipynb", "my-data.ipynb"):
            response = self.fetch(f"/voila/render/{notebook}", follow_redirects=False)
            assert response.code == 302, notebook
            assert urlsplit(response.headers["Location"]).path == "/login", notebook
        wrong = self.fetch("/voila/render/follow-up.ipynb?token=guess", follow_redirects=False)
        assert wrong.code == 302 and "Set-Cookie" not in wrong.headers
        for path in ("/api/kernels/00000000-0000-0000-0000-000000000000",):
            assert self.fetch(path).code == 403, path

    def test_the_login_link_sets_a_strict_eight_hour_cookie_and_opens_home(self) -> None:
        link = urlsplit(self.voila.display_url)
        response = self.fetch(f"{link.path}?{link.query}", follow_redirects=False)
        assert response.code == 302
        assert response.headers["Location"] == self.voila.home_url
        cookies = [SimpleCookie(header) for header in response.headers.get_list("Set-Cookie")]
        login = next(c for c in cookies if any(name.startswith("username-") for name in c))
        name = next(iter(login))
        morsel = login[name]
        assert morsel["httponly"] is True
        assert morsel["samesite"] == "Strict"
        assert morsel["path"] == "/"
        # Signed for 8 hours, and the server refuses it after that (max_age_days).
        settings = self.voila.identity_provider.get_secure_cookie_kwargs
        assert settings == {"max_age_days": staff_login.SESSION_HOURS / 24}
        expires = parsedate_to_datetime(morsel["expires"])
        hours = (expires - datetime.now(UTC)).total_seconds() / 3600
        assert staff_login.SESSION_HOURS - 0.1 < hours <= staff_login.SESSION_HOURS

        # With the cookie, apps not on the staff surface are simply not there.
        cookie = f"{name}={morsel.value}"
        for notebook in ("research-examples.ipynb", "not-an-app.ipynb", "../home.ipynb"):
            page = self.fetch(
                f"/voila/render/{notebook}", headers={"Cookie": cookie}, follow_redirects=False
            )
            assert page.code == 404, notebook

    def test_the_login_form_cannot_set_a_password(self) -> None:
        assert self.voila.identity_provider.allow_password_change is False
        assert self.voila.identity_provider.token == self.voila.token
