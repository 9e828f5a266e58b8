"""The home page and the page shell, as a participant meets them in a browser.

Written against the shell's contract: a header with ``#within-get-help`` (opens
``<dialog id="within-help">``) and ``#within-quick-exit`` (also Esc twice), the neutral
exit page, the shipped Sarabun font for Thai, and ``/`` leading to the home page.
"""

from __future__ import annotations

import http.client
import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from widgets.core.content import text

pytestmark = pytest.mark.browser

HOME = "home.ipynb"
HOME_PATH = f"/voila/render/{HOME}"
NEUTRAL_PATH = "/voila/templates/within/static/neutral.html"
LANGUAGES = ["en", "th"]

# Words a title must never carry: a shared screen or a browser history would out the reader.
TELLTALE = re.compile(
    r"ipynb|notebook|voil|jupyter|drug|stigma|addict|narcotic|substance|harm.?reduc|rehab"
    r"|ยาเสพติด|เสพ|ตีตรา|บำบัด",
    re.IGNORECASE,
)

FONT_STATE_JS = """async () => {
  await document.fonts.ready;
  const sarabun = [...document.fonts].filter(f => f.family.replace(/["']/g, '') === 'Sarabun');
  return {
    faces: sarabun.map(f => `${f.weight} ${f.unicodeRange}: ${f.status}`),
    loaded: sarabun.some(f => f.status === 'loaded'),
    check: document.fonts.check('18px Sarabun', 'ภาษาไทย'),
  };
}"""


def assert_neutral_title(title: str) -> None:
    assert title.strip(), "the tab has no title"
    stem = HOME.removesuffix(".ipynb")
    assert title.strip().lower() != stem, f"the tab title is the file name: {title!r}"
    found = TELLTALE.search(title)
    assert not found, f"tab title {title!r} gives away what the site is ({found.group(0)!r})"


def get(served_app, path: str) -> http.client.HTTPResponse:
    """A plain GET that does not follow redirects."""
    parts = urlsplit(served_app.base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", path)
    return connection.getresponse()


def wait_until_kernel_gone(served_app, kernel: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while served_app.kernel_exists(kernel):
        if time.monotonic() > deadline:
            pytest.fail(f"kernel {kernel} still runs {timeout:.0f} s after the quick exit")
        time.sleep(0.2)


# --- getting there ------------------------------------------------------------------------


def test_root_redirects_to_home(served_app, phone_page) -> None:
    response = get(served_app, "/")
    assert response.status in (301, 302, 303, 307, 308), f"/ answered {response.status}"
    location = urlsplit(response.getheader("Location", ""))
    assert location.path.endswith(HOME_PATH), f"/ redirects to {response.getheader('Location')}"

    phone_page.goto(f"{served_app.base_url}/", wait_until="domcontentloaded")
    assert urlsplit(phone_page.url).path == HOME_PATH


@pytest.mark.parametrize("path", ["/voila/", "/voila/tree", "/voila/tree/", "/voila/tree/notebooks"])
def test_no_file_listing(served_app, path: str) -> None:
    """Voilà's tree pages are gone: each one redirects to the home page and lists nothing."""
    response = get(served_app, path)
    body = response.read().decode("utf-8", errors="replace")
    listed = sorted(set(re.findall(r"[\w-]+\.ipynb", body)))
    assert not listed, f"{path} lists the notebooks: {listed}"
    assert response.status in (301, 302, 303, 307, 308), f"{path} answered {response.status}"
    assert urlsplit(response.getheader("Location", "")).path.endswith(HOME_PATH)


@pytest.mark.parametrize("path", ["/voila/api/contents", "/voila/api/contents/notebooks"])
def test_no_contents_api(served_app, path: str) -> None:
    response = get(served_app, path)
    assert response.status == 404, f"{path} answered {response.status}"


# --- home, in each language ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_renders_on_a_phone(served_app, phone_page, open_app, lang: str) -> None:
    page = open_app(phone_page, served_app, HOME, lang=lang)

    expect(page.get_by_text(text(lang, "apps.welcome.title")).first).to_be_visible()
    other = next(code for code in LANGUAGES if code != lang)
    other_title = page.get_by_text(text(other, "apps.welcome.title"), exact=True)
    expect(other_title.filter(visible=True)).to_have_count(0)
    assert page.evaluate("() => document.documentElement.lang") == lang

    for button, words in (("#within-get-help", "get_help"), ("#within-quick-exit", "quick_exit")):
        expect(page.locator(button)).to_have_accessible_name(text(lang, f"shell.{words}"))
    assert_neutral_title(page.title())

    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than a 360px phone screen"


def test_thai_is_drawn_with_the_shipped_font(served_app, phone_page, open_app) -> None:
    page = open_app(phone_page, served_app, HOME, lang="th")
    title = page.get_by_text(text("th", "apps.welcome.title")).first
    expect(title).to_be_visible()

    family = title.evaluate("el => getComputedStyle(el).fontFamily")
    assert family.split(",")[0].strip().strip("'\"") == "Sarabun", f"Thai is set in {family}"
    fonts = page.evaluate(FONT_STATE_JS)
    assert fonts["loaded"], f"no Sarabun face loaded; declared faces: {fonts['faces'] or 'none'}"
    assert fonts["check"], f"Sarabun cannot draw Thai yet; faces: {fonts['faces']}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_is_accessible(served_app, phone_page, open_app, assert_accessible, lang: str) -> None:
    assert_accessible(open_app(phone_page, served_app, HOME, lang=lang))


def test_home_on_a_projector(served_app, projector_page, open_app, assert_accessible) -> None:
    page = open_app(projector_page, served_app, HOME, mode="projector")
    expect(page.get_by_text(text("en", "apps.welcome.title")).first).to_be_visible()
    expect(page.locator("#within-quick-exit")).to_be_visible()
    expect(page.locator("#within-get-help")).to_be_visible()  # the site's contacts, for everyone
    expect(page.locator(".within-code-panel, .within-result")).to_have_count(0)
    assert_accessible(page)


# --- the shell: help and quick exit ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help_dialog(served_app, phone_page, open_app, assert_accessible, lang: str) -> None:
    page = open_app(phone_page, served_app, HOME, lang=lang)
    button = page.locator("#within-get-help")
    dialog = page.locator("dialog#within-help")
    expect(dialog).to_be_hidden()

    button.click()
    expect(dialog).to_be_visible()
    assert dialog.evaluate("d => d.open"), "the help dialog is shown but not open"
    expect(dialog.locator('a[href^="tel:"]').filter(visible=True).first).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    page.wait_for_timeout(1600)  # longer than the double-Esc window: one Esc must not exit
    assert urlsplit(page.url).path == HOME_PATH, "closing the dialog with Esc left the page"


@pytest.mark.parametrize("how", ["button", "escape-twice"])
def test_quick_exit(served_app, phone_page, open_app, kernel_id, how: str) -> None:
    page = open_app(phone_page, served_app, HOME)
    kernel = kernel_id(page)
    assert served_app.kernel_exists(kernel)
    page.evaluate("() => sessionStorage.setItem('within-test', 'something private')")
    entries = page.evaluate("() => history.length")

    if how == "button":
        page.locator("#within-quick-exit").click()
    else:
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")

    page.wait_for_url(lambda url: urlsplit(url).path == NEUTRAL_PATH, timeout=10_000)
    assert page.url.startswith(served_app.base_url), f"quick exit left for {page.url}"
    assert page.evaluate("() => history.length") == entries, "the exited page is still in history"
    assert page.evaluate("() => sessionStorage.length") == 0, "sessionStorage was not cleared"
    assert_neutral_title(page.title())
    wait_until_kernel_gone(served_app, kernel)
