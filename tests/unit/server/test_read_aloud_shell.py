"""Read-aloud in the page shell, without a browser: the words the served pages get, the
template block that carries them (data, no inline script: the CSP stays as it is), and the
script's promises (on-device voices only; the quick exit silences)."""

from __future__ import annotations

import json
import re

import jinja2

from widgets.core import read_aloud
from widgets.core.content import text
from widgets.core.paths import jupyter_data_dir
from widgets.server import voila_config

TEMPLATE_DIR = jupyter_data_dir() / "voila" / "templates" / "within"


def test_the_shell_gets_the_read_aloud_words() -> None:
    assert voila_config.shell_resources("th")["read_aloud"] == read_aloud.shell_words()


def _render_parts(within: dict) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True)
    page = '{% import "read_aloud.macro.html.j2" as r %}{{ r.parts(within, "/s/read_aloud.js") }}'
    return env.from_string(page).render(within=within)


def test_the_template_carries_the_words_as_data_not_script() -> None:
    within = voila_config.shell_resources("th")
    within["read_aloud"]["en"]["no_voice"] = "</script><script>alert(1)</script>"
    html = _render_parts(within)
    data = re.search(
        r'<script type="application/json" id="within-read-aloud-words">(.*?)</script>',
        html,
        re.DOTALL,
    )
    assert data and json.loads(data.group(1)) == within["read_aloud"]
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == [
        '<script type="application/json" id="within-read-aloud-words">',
        '<script src="/s/read_aloud.js">',
    ]
    assert 'id="within-read-tip"' in html and text("th", "read_aloud.tip_go") in html
    assert _render_parts({**within, "read_aloud": {}}).strip() == ""  # no words, no feature


def test_the_script_uses_only_on_device_voices_and_the_quick_exit_silences() -> None:
    script = (TEMPLATE_DIR / "static" / "read_aloud.js").read_text(encoding="utf-8")
    shell = (TEMPLATE_DIR / "static" / "within.js").read_text(encoding="utf-8")
    assert "localService === true" in script
    assert "fetch(" not in script and "XMLHttpRequest" not in script
    assert "speechSynthesis.cancel()" in shell and "within-quick-exit" in shell
    index = (TEMPLATE_DIR / "index.html.j2").read_text(encoding="utf-8")
    assert (
        'asset("read_aloud.js")' in index  # under the versioned prefix (issue 20)
        and 'css("read_aloud.css")' in index
    )
