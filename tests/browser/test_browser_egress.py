"""No egress: every registered app, in every language and mode, asks nothing of another host.

The page fixtures already fail a test on any request (or CSP-refused attempt) to a host
other than this machine; here every app in ``content/apps.yaml`` is opened in each of its
modes and each language, in one browser context per app, and every response from the
server (the page, its scripts, styles, fonts) must carry the Content-Security-Policy.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from support.processes import APP_RENDER_TIMEOUT_MS, CELL_ERROR_JS, RENDERED_JS

from widgets.core.content import library
from widgets.server.voila_config import content_security_policy

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]  # two servers, every app

APPS = library().registry().apps
LANGUAGES = list(library().languages())
AT_ONCE = 4  # visits rendered side by side: keeps both CPU cores busy, not swamped


def test_no_app_reaches_another_host_in_any_language_or_mode(
    served_app: Any, staff_app: Any, make_page: Any, kernel_id: Any
) -> None:
    contexts: dict[str, Any] = {}
    responses: list[Any] = []
    visits = [(app, lang, mode) for app in APPS for mode in app.modes for lang in LANGUAGES]
    for start in range(0, len(visits), AT_ONCE):
        opened = []
        for app, lang, mode in visits[start : start + AT_ONCE]:
            if app.id in contexts:
                page = contexts[app.id].new_page()
            else:  # one browser context (cookies, storage) per app
                page = make_page(app.id, viewport={"width": 400, "height": 800})
                page.context.on("response", lambda response: responses.append(response))
                contexts[app.id] = page.context
            where = f"{app.id} ({lang}, {mode})"
            server = served_app if "participant" in app.surfaces else staff_app  # its surface
            response = page.goto(server.url(app.notebook, lang=lang, mode=mode), wait_until="commit")
            assert response is not None and response.status == 200, f"{where}: {response}"
            opened.append((page, where, server))
        for page, where, server in opened:  # started together, so rendered side by side
            page.wait_for_function(RENDERED_JS, timeout=APP_RENDER_TIMEOUT_MS, polling=100)
            assert not page.evaluate(CELL_ERROR_JS), f"{where}: a cell failed"
            server.shutdown_kernel(kernel_id(page))
            page.close()

    local = [r for r in responses if urlsplit(r.url).hostname in ("127.0.0.1", "localhost")]
    documents = [r for r in local if "/voila/render/" in r.url]
    statics = [r for r in local if "/static/" in r.url]
    assert len(documents) == len(visits) and statics, "every page and its files were seen"
    missing = [
        f"{r.status} {r.url}"
        for r in documents + statics
        if r.status < 400 and r.headers.get("content-security-policy") != content_security_policy()
    ]
    assert not missing, "responses without Within's Content-Security-Policy:\n" + "\n".join(missing)
    print(f"[figures] {len(visits)} app visits in {len(contexts)} apps, {len(local)} local responses")
