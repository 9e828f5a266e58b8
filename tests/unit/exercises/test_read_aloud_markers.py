"""Read-aloud markers on the exercises: steps (with their body), the end screen, a
questionnaire's intro and items, and choice lists can all be heard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from widgets.core.content import text
from widgets.core.context import PageContext
from widgets.exercises.navigator import StepNavigator
from widgets.exercises.scale_form import ScaleForm

CONTROLS_STATIC = Path(__file__).resolve().parents[3] / "widgets" / "controls" / "static"


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
    likert = (CONTROLS_STATIC / "likert.js").read_text(encoding="utf-8")
    choices = (CONTROLS_STATIC / "choice_list.js").read_text(encoding="utf-8")
    for script in (likert, choices):
        assert 'dataset.withinRead = "item"' in script and "dataset.withinReadText" in script
