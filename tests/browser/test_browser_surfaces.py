"""The attack, in a browser: a stranger at the participant service looks for codes.

On the old ``within serve`` the home page linked to Follow-up (every code due) and
``research-examples.ipynb`` showed consented codes with their answers. Now the participant
surface does not have them at all, and the staff surface shows nothing without its login.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from widgets.core.content import text

pytestmark = pytest.mark.browser

STAFF_PAGES = [
    "follow-up", "screening", "presenter", "run-sheets", "group-room", "staff-training", "scales-guide"
]


def test_the_participant_home_links_no_staff_page_and_they_are_not_there(
    served_app, phone_page, open_app
) -> None:
    page = open_app(phone_page, served_app, "home.ipynb")
    links = page.locator("a.within-app-link")
    expect(links.first).to_be_visible()
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(href.startswith("my-progress.ipynb") for href in hrefs)
    for name in [*STAFF_PAGES, "research-examples"]:
        assert not any(href.startswith(f"{name}.ipynb") for href in hrefs), name
        response = phone_page.goto(served_app.url(name), wait_until="domcontentloaded")
        assert response is not None and response.status == 404, name
        expect(phone_page.get_by_text(re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b"))).to_have_count(0)


def test_staff_pages_need_the_login_link(staff_app, make_page, open_app) -> None:
    stranger = make_page("stranger")
    for name in ("follow-up", "home"):
        response = stranger.goto(
            f"{staff_app.base_url}/voila/render/{name}.ipynb", wait_until="domcontentloaded"
        )
        assert response is not None and response.status == 200  # the login form, after a 302
        assert urlsplit(stranger.url).path == "/login", stranger.url
        expect(stranger.locator("#password_input")).to_be_visible()
        expect(stranger.locator(".within-app-link")).to_have_count(0)

    # The printed link signs a browser in; its session cookie is HttpOnly and SameSite=Strict.
    staff = make_page("staff")
    staff.goto(
        f"{staff_app.base_url}/login?next=/voila/render/home.ipynb&token={staff_app.token}",
        wait_until="domcontentloaded",
    )
    assert urlsplit(staff.url).path == "/voila/render/home.ipynb"
    login = [c for c in staff.context.cookies() if c["name"].startswith("username-")]
    assert login and login[0]["httpOnly"] and login[0]["sameSite"] == "Strict"
    page = open_app(staff, staff_app, "home.ipynb")
    expect(page.get_by_role("link", name=text("en", "apps.follow-up.title"))).to_be_visible()
    expect(page.locator('[data-app-id="research-examples"]')).to_have_count(0)
    assert (
        staff.evaluate("() => document.cookie").find("username-") == -1
    )  # not readable by scripts
