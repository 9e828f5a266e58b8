"""HTML pages to PDF with Debian's Chromium, driven by Playwright: Thai shaped, text kept true.

Chromium shapes Thai (stacked vowels and tone marks, ำ) correctly and writes a text layer that
copies back as the same characters; a trial with WeasyPrint drew a wrong glyph for "X" and
lost marks in the text layer. The shipped Sarabun fonts (``widgets/exercises/fonts``, SIL OFL) are
embedded in each page as ``data:`` addresses, and every other request is refused, so
printing needs no network and a page can never reach outside this machine.

Playwright is imported only here, and only when printing: it is the ``print`` extra
(``pip install 'within[print]'``), and nothing else in Within needs it.
"""

from __future__ import annotations

import base64
import functools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from widgets.exercises.chart_fonts import FONT_DIR

CHROMIUM_ENV = "WITHIN_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# The same switches the test harness gives Chromium (tests/support/processes.py): headless, no
# background traffic of its own.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
PAGE_TIMEOUT_MS = 60_000


class PrintSetupError(RuntimeError):
    """Printing cannot start here: Playwright or Chromium is missing (the message says how to fix it)."""


@functools.lru_cache(maxsize=1)
def font_faces() -> str:
    """``<style>`` with the Sarabun faces embedded, for the ``head`` of a page to print."""
    faces = []
    for weight, name in ((400, "Sarabun-Regular.ttf"), (700, "Sarabun-Bold.ttf")):
        data = base64.b64encode((FONT_DIR / name).read_bytes()).decode("ascii")
        faces.append(
            f'@font-face{{font-family:"Sarabun";font-style:normal;font-weight:{weight};'
            f'font-display:block;src:url(data:font/ttf;base64,{data}) format("truetype");}}'
        )
    return f"<style>{''.join(faces)}</style>"


def chromium_path() -> str:
    """The Chromium to print with: ``WITHIN_CHROMIUM`` or Debian's ``/usr/bin/chromium``."""
    return os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM


def _playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PrintSetupError(
            "printing needs Playwright, which is not installed. Install it with: "
            "pip install 'within[print]'  (Chromium itself comes from your system: "
            "sudo apt-get install chromium)"
        ) from None
    return sync_playwright


@contextmanager
def printer() -> Iterator[Printer]:
    """A headless Chromium that prints pages to PDF until the ``with`` block ends."""
    sync_playwright = _playwright()
    executable = chromium_path()
    if not (Path(executable).is_file() or shutil.which(executable)):
        raise PrintSetupError(
            f"printing needs Chromium, and there is none at {executable}. Install it with: "
            f"sudo apt-get install chromium  (or set {CHROMIUM_ENV} to a Chromium program)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=list(CHROMIUM_FLAGS), headless=True
        )
        try:
            yield Printer(browser)
        finally:
            browser.close()


class Printer:
    """Prints whole HTML pages to PDF files, each in a fresh page with no network."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def pdf(self, html: str, path: Path) -> Path:
        """Write ``html`` (a whole page with :func:`font_faces` in its head) to ``path``."""
        context = self._browser.new_context(java_script_enabled=False, offline=True)
        try:
            context.route("**/*", _only_local)
            page = context.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.set_content(html, wait_until="load")
            page.emulate_media(media="print")
            path.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
        finally:
            context.close()
        return path


def _only_local(route: Any) -> None:
    """Nothing a page asks for leaves this machine (fonts are inside the page already)."""
    if route.request.url.startswith(("data:", "about:")):
        route.continue_()
    else:
        route.abort("blockedbyclient")

