"""Within's Voilà settings and the ``within`` template, checked without a browser."""

from __future__ import annotations

import json
import re

import jinja2
import pytest
from traitlets.config import Config

from widgets.core import content
from widgets.core.paths import jupyter_data_dir
from widgets.server import voila_config

TEMPLATE_DIR = jupyter_data_dir() / "voila" / "templates" / "within"
ALLOWED_SOURCES = {"'self'", "'unsafe-inline'", "'none'", "blob:", "data:"}


def _csp(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_configure_sets_the_template_and_hides_code_and_tracebacks() -> None:
    config = voila_config.configure(Config(), lang="th")
    voila = config.VoilaConfiguration
    assert voila.template == "within"
    assert voila.theme == "light"
    assert voila.strip_sources is True
    assert voila.show_tracebacks is False
    assert voila.allow_template_override == "NO"  # ?template=lab would bring back CDN links
    assert voila.allow_theme_override == "NO"
    assert voila.prelaunch_hook is voila_config.ensure_xsrf_cookie


def test_csp_allows_only_this_server() -> None:
    directives = _csp(voila_config.content_security_policy())
    assert directives["default-src"] == ["'self'"]
    for name in ("frame-ancestors", "form-action", "connect-src"):
        assert directives[name] == ["'self'"], name
    for name in ("object-src", "script-src-attr", "frame-src", "base-uri"):  # issue 15
        assert directives[name] == ["'none'"], name
    assert "blob:" in directives["script-src"]  # anywidget's ES modules
    for name, sources in directives.items():
        assert set(sources) <= ALLOWED_SOURCES, f"{name} allows {sources}"


def test_response_headers_go_to_the_app_and_optionally_the_server() -> None:
    config = voila_config.configure(Config(), lang="en")
    headers = config.Voila.tornado_settings["headers"]
    assert headers["Content-Security-Policy"] == voila_config.content_security_policy()
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "tornado_settings" not in config.ServerApp  # JupyterLab beside Voilà keeps its own

    served = voila_config.configure(Config(), lang="en", server_headers=True)
    assert served.ServerApp.tornado_settings["headers"] == headers
    # As an extension, Voilà would otherwise put cdnjs's MathJax in every page's config.
    assert served.ServerApp.tornado_settings["mathjax_url"] is None
    assert served.ServerApp.tornado_settings["mathjax_config"] is None


def test_configure_keeps_settings_already_there() -> None:
    config = Config()
    config.VoilaConfiguration.resources = {"other": 1}
    config.Voila.tornado_settings = {"headers": {"X-Extra": "1"}, "compress_response": True}
    voila_config.configure(config, lang="en")
    assert config.VoilaConfiguration.resources["other"] == 1
    assert "within" in config.VoilaConfiguration.resources
    assert config.Voila.tornado_settings["headers"]["X-Extra"] == "1"
    assert config.Voila.tornado_settings["compress_response"] is True


def test_shell_words_for_every_language() -> None:
    within = voila_config.shell_resources("th")
    assert within["default_lang"] == "th"
    codes = [entry["code"] for entry in within["languages"]]
    assert codes == list(content.languages())
    english = within["languages"][0]["shell"]
    for entry in within["languages"]:
        assert set(entry["shell"]) == set(english), entry["code"]
        assert all(entry["shell"].values()), entry["code"]
        assert within["titles"][entry["code"]] == entry["shell"]["site_title"]
    for key in ("get_help", "quick_exit", "quick_exit_hint", "help_close", "call", "page_missing"):
        assert key in english


def test_contacts_are_ready_for_the_dialog() -> None:
    within = voila_config.shell_resources("en")
    contacts = content.contacts()
    assert within["contacts"]["confirmed"] is contacts.confirmed
    entries = within["contacts"]["entries"]
    assert [e["id"] for e in entries] == [c.id for c in contacts.contacts]
    for entry in entries:
        assert re.fullmatch(r"[0-9+*#]*", entry["tel"])
        assert set(entry["name"]) == set(content.languages())


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        voila_config.shell_resources("xx")


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://example.org/help/", "https://example.org/help/"),
        ("javascript:alert(1)", ""),
        ("example.org", ""),
    ],
)
def test_only_web_links_are_shown(url: str, href: str) -> None:
    assert voila_config._safe_url(url)[0] == href


@pytest.mark.parametrize(
    ("path", "served"),
    [
        ("images/calm.png", True),
        ("calm.JPG", True),
        ("home.ipynb", False),
        ("widgets.py", False),
        (".git/config", False),
        ("_scratch/secret.png", False),
        ("drawing.svg", False),
        ("notes.yaml", False),
    ],
)
def test_file_allowlist(path: str, served: bool) -> None:
    def matches(patterns: list[str]) -> bool:
        return any(re.fullmatch(p, path, re.IGNORECASE) for p in patterns)

    config = voila_config.configure(Config(), lang="en")
    allowed = matches(config.VoilaConfiguration.file_allowlist)
    denied = matches(config.VoilaConfiguration.file_denylist)
    assert (allowed and not denied) is served


def test_prelaunch_hook_sets_the_xsrf_cookie() -> None:
    class Handler:
        reads = 0

        @property
        def xsrf_token(self) -> bytes:
            Handler.reads += 1
            return b"token"

    assert voila_config.ensure_xsrf_cookie(Handler(), notebook=None, cwd="") is None
    assert Handler.reads == 1


# --- the template's files ---------------------------------------------------------------


def test_template_extends_lab_and_ships_its_files() -> None:
    conf = json.loads((TEMPLATE_DIR / "conf.json").read_text())
    assert conf["base_template"] == "lab"
    static = TEMPLATE_DIR / "static"
    for name in ("within.css", "within.js", "neutral.html", "fonts/OFL.txt"):
        assert (static / name).is_file(), name
    fonts = sorted(p.name for p in (static / "fonts").glob("*.woff2"))
    assert fonts == sorted(
        f"sarabun-{subset}-{weight}-normal.woff2"
        for subset in ("thai", "latin", "latin-ext")
        for weight in (400, 700)
    )


def test_nothing_in_the_template_points_outside() -> None:
    for path in TEMPLATE_DIR.rglob("*"):
        if path.suffix in {".j2", ".html", ".css", ".js", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text), path


def test_css_declares_sarabun_for_thai() -> None:
    css = (TEMPLATE_DIR / "static" / "within.css").read_text()
    assert css.count("@font-face") == 6
    assert "U+0E01-0E5B" in css
    assert "letter-spacing: normal" in css


def test_neutral_page_says_nothing() -> None:
    page = (TEMPLATE_DIR / "static" / "neutral.html").read_text()
    assert "<title>New Tab</title>" in page
    assert "within" not in page.lower()
    assert "<script" not in page


def _error_page(status: int, within: dict | None) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True)
    name = "404.html" if status == 404 else "error.html"
    return env.get_template(name).render(base_url="/", status_code=status, within=within)


@pytest.mark.parametrize("status", [404, 500])
def test_error_pages_carry_the_shell(status: int) -> None:
    within = voila_config.shell_resources("th")
    html = _error_page(status, within)
    for marker in ('id="within-get-help"', 'id="within-help"', 'id="within-quick-exit"'):
        assert marker in html
    assert "<title>Within</title>" in html
    assert content.text("th", "shell.quick_exit") in html
    assert "tel:" in html
    assert "Traceback" not in html and "Voilà" not in html


def test_error_page_without_words_is_still_neutral() -> None:
    html = _error_page(404, None)
    assert "within-quick-exit" not in html
    assert "Voilà" not in html
