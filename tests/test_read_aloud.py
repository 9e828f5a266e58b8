"""Read-aloud without a browser: the words the page shell gets, the markers widgets draw,
and the template block that carries them (no inline script: the CSP stays as it is)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
import pytest

from widgets import read_aloud, voila_config
from widgets.content import library, text
from widgets.context import PageContext
from widgets.navigator import StepNavigator
from widgets.scale_form import ScaleForm

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = ROOT / "share" / "jupyter" / "voila" / "templates" / "within"


def test_every_language_has_every_read_aloud_word() -> None:
    words = read_aloud.shell_words()
    english = library().strings("en", "read_aloud")
    assert set(words) == set(library().languages())
    for code, table in words.items():
        assert set(table) == set(english), code
        assert all(value.strip() for value in table.values()), code
    assert words["th"]["listen_step"] == text("th", "read_aloud.listen_step")
    assert voila_config.shell_resources("th")["read_aloud"] == words


@pytest.mark.parametrize("lang", ["en", "th"])
def test_a_step_is_marked_to_be_read_with_its_body(lang: str) -> None:
    nav = StepNavigator("welcome", context=PageContext(lang))
    more = re.search(r'data-within-read-more="([^"]+)"', nav.title.value)
    assert 'data-within-read="step"' in nav.title.value and more
    assert f"<h2 data-within-read-text>{nav.step.title}</h2>" in nav.title.value.replace(
        "&#x27;", "'"
    )
    assert nav.body.value.startswith(f'<div id="{more.group(1)}">')
    nav.next()
    assert f'id="{more.group(1)}"' in nav.body.value  # the same pairing on every step
    other = StepNavigator("welcome", context=PageContext(lang))
    assert other.body.value.split('"')[1] != more.group(1)  # two flows on a page never mix


def test_the_end_screen_is_marked_too() -> None:
    nav = StepNavigator("welcome")
    for _ in nav.steps:
        nav.next()
    assert nav.finished and 'data-within-read="step"' in nav.title.value
    assert text("en", "common.nav.finished") in nav.body.value


def test_a_questionnaire_intro_and_its_items_are_marked() -> None:
    form = ScaleForm(context=PageContext("th"))
    assert 'data-within-read="step"' in form.intro.value
    likert = (ROOT / "widgets" / "static" / "likert.js").read_text(encoding="utf-8")
    choices = (ROOT / "widgets" / "static" / "choice_list.js").read_text(encoding="utf-8")
    for script in (likert, choices):
        assert 'dataset.withinRead = "item"' in script and "dataset.withinReadText" in script


def test_unit_escapes_what_it_is_given() -> None:
    marked = read_aloud.unit("step", "<p>x</p>", more='a" onclick="b')
    assert 'onclick="b"' not in marked and "&quot;" in marked


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
        'include_url("static/read_aloud.js")' in index
        and 'include_css("static/read_aloud.css")' in index
    )
