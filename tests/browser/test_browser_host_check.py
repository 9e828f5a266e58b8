"""DNS rebinding, in Chromium: a foreign name resolved to 127.0.0.1 is refused.

Chromium's ``--host-resolver-rules`` plays the attacker's DNS: ``evil.example`` resolves to
this machine, exactly what a rebinding page achieves, so the browser treats Within's pages
as that site's own (same origin: it could read them and open their WebSockets). Every kind
of route must answer 403 to that name; the real address still works in the same browser.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

FOREIGN = "evil.example"
PATHS = [
    "/",  # Within's own redirect
    "/voila/render/home.ipynb",
    "/voila/render/follow-up.ipynb",
    "/voila/static/voila.js",
    "/voila/templates/within/static/within.css",
    "/login",
]


@pytest.fixture(scope="module")
def rebinding_browser(browser):
    """A second Chromium whose resolver sends ``evil.example`` to 127.0.0.1."""
    chromium = browser.browser_type.launch(
        executable_path=os.environ.get("WITHIN_CHROMIUM") or "/usr/bin/chromium",
        headless=True,
        args=[f"--host-resolver-rules=MAP {FOREIGN} 127.0.0.1", "--no-proxy-server"],
    )
    yield chromium
    chromium.close()


@pytest.mark.parametrize("which", ["served_app", "staff_app"])
def test_a_rebound_name_is_refused_on_every_route(
    rebinding_browser, request: pytest.FixtureRequest, which: str
) -> None:
    app = request.getfixturevalue(which)
    port = urlsplit(app.base_url).port
    page = rebinding_browser.new_page()
    try:
        for path in PATHS:
            response = page.goto(f"http://{FOREIGN}:{port}{path}", wait_until="domcontentloaded")
            assert response is not None and response.status == 403, (which, path)
            assert page.locator("#jupyter-config-data").count() == 0
        # A script on the rebound origin cannot reach a kernel's WebSocket either.
        opened = page.evaluate(
            """url => new Promise(done => {
                const socket = new WebSocket(url);
                socket.onopen = () => done('open');
                socket.onerror = () => done('refused');
            })""",
            f"ws://{FOREIGN}:{port}/api/kernels/00000000-0000-0000-0000-000000000000/channels",
        )
        assert opened == "refused"
        # The same browser, at the real address, gets the page: only the name was refused.
        response = page.goto(f"{app.base_url}/voila/static/voila.js")
        assert response is not None and response.status == 200
    finally:
        page.close()
