"""Issue 15: the tighter Content-Security-Policy (``script-src-attr 'none'``, no frames, no
``<base>``) on every page, and every page still works under it.

Finding: the CSP allowed inline script for Voilà's sake, so one missed escape would run.
Voilà still needs inline ``<script>`` elements, but inline event handlers are now refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from support.processes import APP_RENDER_TIMEOUT_MS, CELL_ERROR_JS, RENDERED_JS

from widgets.core.content import library, text
from widgets.server.voila_config import content_security_policy

pytestmark = pytest.mark.browser

APPS = library().registry().apps

#: Every CSP violation on the page, whatever it was (the conftest watcher only records URLs).
VIOLATIONS_JS = (
    "window.__withinCsp = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__withinCsp.push("
    "e.effectiveDirective + ' ' + e.blockedURI), true);"
)


@pytest.mark.timeout(1500)  # every app in every mode, one after another
def test_every_app_renders_under_the_policy_with_no_violation(
    served_app: Any, staff_app: Any, make_page: Any, kernel_id: Any
) -> None:
    assert "script-src-attr 'none'" in content_security_policy()
    page = make_page("csp", viewport={"width": 400, "height": 800})
    page.context.add_init_script(VIOLATIONS_JS)
    seen = 0
    for app in APPS:
        for mode in app.modes:
            where = f"{app.id} ({mode})"
            server = served_app if "participant" in app.surfaces else staff_app  # its own surface
            response = page.goto(server.url(app.notebook, mode=mode), wait_until="commit")
            assert response is not None and response.status == 200, where
            assert response.headers["content-security-policy"] == content_security_policy()
            page.wait_for_function(RENDERED_JS, timeout=APP_RENDER_TIMEOUT_MS, polling=100)
            assert not page.evaluate(CELL_ERROR_JS), f"{where}: a cell failed"
            page.locator("#within-get-help").click()  # the shell's own script still runs
            expect(page.locator("dialog#within-help")).to_be_visible()
            assert page.evaluate("window.__withinCsp") == [], where
            kernel = kernel_id(page)
            page.goto("about:blank")  # leave first: a page whose kernel is gone cannot send
            server.shutdown_kernel(kernel)
            seen += 1
    assert seen >= len(APPS)


def test_an_inline_handler_never_runs_and_widgets_still_answer(
    served_app: Any, phone_page: Any, open_app: Any
) -> None:
    page = phone_page
    page.context.add_init_script(VIOLATIONS_JS)
    open_app(page, served_app, "activity-5.ipynb")
    page.evaluate(
        """() => {
          window.__ran = false;
          const box = document.createElement('div');
          box.innerHTML = '<img src="data:," onerror="window.__ran = true">'
            + '<button id="within-test-handler" onclick="window.__ran = true">x</button>';
          document.body.appendChild(box);
        }"""
    )
    page.locator("#within-test-handler").click()
    page.wait_for_function("window.__withinCsp.some(v => v.startsWith('script-src-attr'))")
    assert page.evaluate("window.__ran") is False
    # The widgets still talk to their kernel: a new code, then the exercise's first step.
    page.get_by_role("button", name=text("en", "common.code.new"), exact=True).click()
    page.get_by_role("button", name=text("en", "common.code.noted"), exact=True).click()
    expect(page.get_by_role("button", name=text("en", "common.nav.next"), exact=True)).to_be_visible()
    violations = page.evaluate("window.__withinCsp")
    assert all(v.startswith("script-src-attr") for v in violations), violations
