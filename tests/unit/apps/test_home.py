"""The home page is built from the app registry, in every language and mode."""

from __future__ import annotations

import pytest

from widgets.apps.home import Home, visible_apps
from widgets.core.content import library
from widgets.core.context import PageContext


@pytest.mark.parametrize("lang", ["en", "th"])
def test_home_links_every_registered_app_in_order_keeping_the_language(lang: str) -> None:
    html = Home(PageContext(lang), surface="participant").children[0].value
    apps = [
        app
        for app in library().registry().apps
        if "self" in app.modes and "participant" in app.surfaces
    ]
    positions = [html.index(f'data-app-id="{app.id}"') for app in apps]
    assert positions == sorted(positions)
    for app in apps:
        assert f'href="{app.notebook}?lang={lang}&amp;mode=self"' in html
        assert library().text(lang, f"apps.{app.id}.title") in html


def test_home_offers_every_language_and_marks_the_current_one() -> None:
    html = Home(PageContext("th")).children[0].value
    assert 'hreflang="en"' in html and 'hreflang="th" lang="th" aria-current="page"' in html
    assert library().text("th", "shell.draft_translation") in html


def test_projector_home_lists_only_apps_that_can_be_projected() -> None:
    ids = [app.id for app in visible_apps(PageContext("en", "projector"))]
    assert "welcome" in ids and "my-data" not in ids


def test_context_reads_the_address_and_never_a_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "lang=th&mode=projector&code=K7MQ-4XZA")
    context = PageContext.from_request()
    assert (context.lang, context.mode) == ("th", "projector")
    assert "code" not in context.query()
    monkeypatch.setenv("QUERY_STRING", "lang=zz&mode=<b>")
    monkeypatch.setenv("WITHIN_LANG", "th")
    assert PageContext.from_request() == PageContext("th", "self")
