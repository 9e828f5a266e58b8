"""One visit, one kernel: moving between apps inside one page, as a person does on a phone.

Home's links and "Back to the start page" swap the app in place (widgets/apps/shell.py);
each move adds one history entry whose address is the app's own direct link, and no step
of an app adds one (widgets/controls/page_history.py). These tests check it where it
matters: the same page and the same kernel throughout, Back and Forward, a deep link, the
quick exit after moving between apps, and the return after the kernel is lost.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from support.processes import (
    APP_RENDER_TIMEOUT_MS,
    RENDERED_JS,
    ServedApp,
    free_server_port,
    server_env,
    spawn_server,
    stop,
    tail,
    wait_until_serving,
)

from widgets.core.content import text

pytestmark = pytest.mark.browser

NEUTRAL_PATH = "/voila/templates/within/static/neutral.html"
# A mark on the page's window: it survives in-place moves and is gone after any page load.
MARK_JS = "() => { window.__withinSamePage = true; }"
SAME_PAGE_JS = "() => window.__withinSamePage === true"


def t(key: str, lang: str = "en", **fields) -> str:
    return text(lang, key, **fields)


def path_of(page) -> str:
    return urlsplit(page.url).path.rsplit("/", 1)[-1]


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def heading(page, app: str):
    return page.locator(f'h1[data-within-heading="{app}"]')


def go_to(page, link_name: str, app: str) -> None:
    """Follow a link to another app and wait until that app is drawn, focus on its heading."""
    page.get_by_role("link", name=link_name, exact=True).first.click()
    expect(heading(page, app)).to_be_visible()
    expect(heading(page, app)).to_be_focused()


def start_with_new_code(page, lang: str = "en") -> None:
    page.get_by_role("button", name=t("common.code.new", lang), exact=True).click()
    page.get_by_role("button", name=t("common.code.noted", lang), exact=True).click()


def next_step(page, number: int, total: int, lang: str = "en") -> None:
    page.get_by_role("button", name=t("common.nav.next", lang), exact=True).click()
    expect(
        page.get_by_text(t("common.nav.step_of", lang, number=number, total=total), exact=True)
    ).to_be_visible()


def test_home_to_an_app_and_back_in_one_page_and_one_kernel(
    served_app, phone_page, open_app, kernel_id
) -> None:
    before = served_app.settled_kernel_pids()
    page = open_app(phone_page, served_app, "home.ipynb", lang="th")
    kernel = kernel_id(page)
    page.evaluate(MARK_JS)
    with_page = served_app.settled_kernel_pids()
    assert served_app.kernel_exists(kernel)

    go_to(page, t("apps.welcome.title", "th"), "welcome")
    assert path_of(page) == "welcome.ipynb" and query_of(page) == {"lang": ["th"], "mode": ["self"]}
    expect(page.get_by_role("button", name=t("common.code.new", "th"), exact=True)).to_be_visible()
    go_to(page, t("common.home_link", "th"), "home")
    assert path_of(page) == "home.ipynb"
    go_to(page, t("apps.self-check.title", "th"), "self-check")
    go_to(page, t("common.home_link", "th"), "home")

    assert page.evaluate(SAME_PAGE_JS), "a move between apps loaded a new page"
    assert kernel_id(page) == kernel
    assert page.evaluate("() => document.documentElement.lang") == "th"
    expect(page.locator("#within-quick-exit")).to_be_visible()
    # Four moves, no new kernel: the server runs the same kernels as with the page open.
    assert served_app.settled_kernel_pids() == with_page, "moving between apps started or ended kernels"
    assert len(with_page - before) <= 1


def test_back_leaves_the_app_and_steps_add_no_entry(served_app, phone_page, open_app) -> None:
    page = open_app(phone_page, served_app, "home.ipynb")
    page.evaluate(MARK_JS)
    entries = page.evaluate("() => history.length")
    go_to(page, t("apps.welcome.title"), "welcome")
    assert page.evaluate("() => history.length") == entries + 1
    state = page.evaluate("() => history.state")
    assert (
        set(state) == {"withinApp", "withinDepth", "withinDoc"} and state["withinApp"] == "welcome"
    )

    start_with_new_code(page)
    # The swapped-in app has what every app has: Listen on its step.
    expect(page.locator(".within-read-button").first).to_be_visible()
    code = page.wait_for_function("() => sessionStorage.getItem('within.code')").json_value()
    for number in (2, 3, 4):
        next_step(page, number, 5)
    assert page.evaluate("() => history.length") == entries + 1, "a step added a history entry"
    assert path_of(page) == "welcome.ipynb" and set(query_of(page)) == {"lang", "mode"}
    assert code not in page.url and code not in json.dumps(page.evaluate("() => history.state"))

    page.go_back()  # leaves the app, not a step
    expect(heading(page, "home")).to_be_visible()
    assert path_of(page) == "home.ipynb" and page.evaluate(SAME_PAGE_JS)
    page.go_forward()
    expect(heading(page, "welcome")).to_be_visible()
    assert path_of(page) == "welcome.ipynb" and page.evaluate(SAME_PAGE_JS)
    # Back in the app, the code is still in use and the place is kept.
    expect(page.get_by_text(t("common.nav.step_of", number=4, total=5), exact=True)).to_be_visible()


def test_a_deep_link_opens_the_app_and_moves_in_place(
    served_app, phone_page, open_app, kernel_id
) -> None:
    page = open_app(phone_page, served_app, "self-check.ipynb", lang="th")
    kernel = kernel_id(page)
    page.evaluate(MARK_JS)
    expect(heading(page, "self-check")).to_have_text(t("apps.self-check.title", "th"))
    go_to(page, t("common.home_link", "th"), "home")
    go_to(page, t("apps.preparation.title", "th"), "preparation")
    assert page.evaluate(SAME_PAGE_JS) and kernel_id(page) == kernel
    assert path_of(page) == "preparation.ipynb" and query_of(page)["lang"] == ["th"]

    # The address is the app's own link: a reload (or a shared link) opens that app.
    page.reload(wait_until="domcontentloaded")
    expect(heading(page, "preparation")).to_be_visible()
    assert not page.evaluate(SAME_PAGE_JS) and kernel_id(page) != kernel


def test_on_a_projector_apps_swap_in_projector_mode(
    served_app, projector_page, open_app, assert_accessible
) -> None:
    page = open_app(projector_page, served_app, "home.ipynb", mode="projector")
    page.evaluate(MARK_JS)
    go_to(page, t("apps.welcome.title"), "welcome")
    assert query_of(page) == {"lang": ["en"], "mode": ["projector"]} and page.evaluate(SAME_PAGE_JS)
    assert page.evaluate("() => document.body.classList.contains('within-projector')")
    expect(page.get_by_text(t("common.nav.step_of", number=1, total=5), exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=t("common.code.new"), exact=True)).to_have_count(0)
    assert_accessible(page)


def test_another_language_is_a_page_of_its_own(served_app, phone_page, open_app) -> None:
    page = open_app(phone_page, served_app, "home.ipynb")
    page.evaluate(MARK_JS)
    page.locator(".within-languages").get_by_role("link", name="ไทย").click()
    page.wait_for_url(lambda url: "lang=th" in url)
    expect(heading(page, "home")).to_have_text(t("home.heading", "th"))
    assert page.evaluate("() => document.documentElement.lang") == "th"
    assert not page.evaluate(SAME_PAGE_JS)


def test_quick_exit_after_moving_between_apps_leaves_nothing_behind(
    served_app, phone_page, open_app, kernel_id
) -> None:
    page = phone_page
    page.goto(f"{served_app.base_url}{NEUTRAL_PATH}?before", wait_until="domcontentloaded")
    open_app(page, served_app, "home.ipynb")
    kernel = kernel_id(page)
    go_to(page, t("apps.welcome.title"), "welcome")
    start_with_new_code(page)
    for number in (2, 3, 4, 5):
        next_step(page, number, 5)
    go_to(page, t("common.home_link"), "home")
    go_to(page, t("apps.self-check.title"), "self-check")
    go_to(page, t("common.home_link"), "home")
    page.go_back()  # Forward now holds an entry of the visit too
    expect(heading(page, "self-check")).to_be_visible()

    page.locator("#within-quick-exit").click()
    page.wait_for_url(lambda url: urlsplit(url).path == NEUTRAL_PATH and "before" not in url)
    assert page.evaluate("() => sessionStorage.length") == 0

    # Back, as far as it goes, then Forward as far as it goes: nothing of the visit anywhere.
    seen = [(page.url, page.locator("#within-main").count())]
    for move in [page.go_back] * 6 + [page.go_forward] * 6:
        move(wait_until="domcontentloaded")
        seen.append((page.url, page.locator("#within-main").count()))
    visit = [
        url
        for url, shell in seen
        if shell
        or ".ipynb" in url
        or not (url == "about:blank" or urlsplit(url).path == NEUTRAL_PATH)
    ]
    assert not visit, f"Back or Forward still reaches the visit: {visit}"
    assert any(url.endswith("?before") for url, _shell in seen), (
        f"Back never reached the page before: {seen}"
    )
    deadline = time.monotonic() + 10
    while served_app.kernel_exists(kernel) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not served_app.kernel_exists(kernel), "the kernel outlived the quick exit"


def test_a_lost_kernel_brings_the_person_back_to_their_app(
    served_app, phone_page, open_app, kernel_id
) -> None:
    page = open_app(phone_page, served_app, "home.ipynb")
    go_to(page, t("apps.welcome.title"), "welcome")
    start_with_new_code(page)
    next_step(page, 2, 5)
    next_step(page, 3, 5)
    kernel = kernel_id(page)
    page.evaluate(MARK_JS)

    served_app.wait_until_idle(kernel)  # step 3 is saved: the culler ends only idle kernels
    served_app.shutdown_kernel(kernel)
    page.get_by_role("button", name=t("common.nav.next"), exact=True).click()  # the person goes on

    page.wait_for_function(
        f"""() => !window.__withinSamePage && document.querySelector('#jupyter-config-data')
          && !document.querySelector('#jupyter-config-data').textContent.includes('{kernel}')""",
        timeout=APP_RENDER_TIMEOUT_MS,
    )
    expect(heading(page, "welcome")).to_be_visible()
    assert path_of(page) == "welcome.ipynb"
    # The tab still holds the code: the person is back at their step, nothing lost.
    expect(page.get_by_text(t("common.nav.resumed"))).to_be_visible()
    expect(page.get_by_text(t("common.nav.step_of", number=3, total=5), exact=True)).to_be_visible()


def serve_on(port: int, session_dir: Path, env: dict[str, str]) -> ServedApp:
    """``within serve`` on ``port`` with ``env``, once it serves home (fails with its log)."""
    log_path = session_dir / f"server-{port}-{time.monotonic_ns()}.log"
    app = spawn_server(port, log_path, session_dir / "data", env)
    problem = wait_until_serving(app)
    if problem:
        stop(app.process)
        pytest.fail(f"server {problem}.\n{tail(log_path)}", pytrace=False)
    return app


def test_a_server_restart_brings_the_person_back_to_their_app(
    tmp_path_factory: pytest.TempPathFactory, phone_page, open_app, kernel_id
) -> None:
    session_dir = tmp_path_factory.mktemp("restart")
    env = server_env(session_dir)
    port = free_server_port()
    first = serve_on(port, session_dir, env)
    second = None
    try:
        page = open_app(phone_page, first, "home.ipynb", lang="th")
        go_to(page, t("apps.welcome.title", "th"), "welcome")
        start_with_new_code(page, "th")
        next_step(page, 2, 5, "th")
        kernel = kernel_id(page)
        page.evaluate(MARK_JS)

        first.wait_until_idle(kernel)  # step 2 is saved before the server goes
        stop(first.process)  # its kernels end with it
        second = serve_on(port, session_dir, env)

        page.wait_for_function(
            f"""() => !window.__withinSamePage && document.querySelector('#jupyter-config-data')
              && !document.querySelector('#jupyter-config-data').textContent.includes('{kernel}')""",
            timeout=APP_RENDER_TIMEOUT_MS,
        )
        expect(heading(page, "welcome")).to_be_visible()
        assert path_of(page) == "welcome.ipynb" and query_of(page)["lang"] == ["th"]
        expect(page.get_by_text(t("common.nav.resumed", "th"))).to_be_visible()
        expect(
            page.get_by_text(t("common.nav.step_of", "th", number=2, total=5), exact=True)
        ).to_be_visible()
    finally:
        stop(first.process)
        if second is not None:
            stop(second.process)


def test_a_participant_page_asked_for_a_staff_app_shows_not_found(
    served_app, phone_page, open_app
) -> None:
    """Whatever the browser sends (here a forged history entry), a participant page builds
    only participant apps: a staff app gets the kind "not found" and a way home."""
    page = open_app(phone_page, served_app, "home.ipynb")
    page.evaluate(MARK_JS)
    page.evaluate(
        """() => {
          const visit = document.documentElement.dataset.withinVisit;
          history.pushState({withinApp: 'screening', withinDepth: 1, withinDoc: visit}, '', 'screening.ipynb');
          history.pushState({withinApp: 'home', withinDepth: 2, withinDoc: visit}, '', 'home.ipynb');
          history.back();
        }"""
    )
    expect(heading(page, "screening")).to_have_text(t("shell.page_missing"))
    assert path_of(page) == "screening.ipynb" and page.evaluate(SAME_PAGE_JS)
    expect(page.get_by_text(t("apps.screening.title"))).to_have_count(0)
    go_to(page, t("shell.go_home"), "home")


def test_from_the_bare_address_apps_still_swap_in_place(served_app, phone_page) -> None:
    """``/`` leads to ``home.ipynb`` with no language or mode in the address: its links
    (which carry them) are still moves within the page."""
    page = phone_page
    page.goto(f"{served_app.base_url}/", wait_until="domcontentloaded")
    page.wait_for_function(RENDERED_JS, timeout=APP_RENDER_TIMEOUT_MS, polling=100)
    assert urlsplit(page.url).query == ""
    page.evaluate(MARK_JS)
    go_to(page, t("apps.self-check.title"), "self-check")
    assert page.evaluate(SAME_PAGE_JS) and path_of(page) == "self-check.ipynb"
