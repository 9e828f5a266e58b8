"""The programme's modules: registered, worded in both languages, safe on a shared screen."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import ipywidgets as w
import pytest

from widgets.controls.choice_list import ChoiceList
from widgets.controls.range_input import RangeInput
from widgets.core.content import library, text
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.core.paths import content_dir
from widgets.exercises.check_in import CheckIn, Grounding
from widgets.exercises.reflection import Reflection
from widgets.exercises.urge_wave import UrgeWave, urge_level
from widgets.programme import MODULES, activity_1, activity_2, activity_3, activity_4, preparation
from widgets.programme.suggest import suggest_activity
from widgets.store import Store

CODE = "K7MQ-4XZA"
BUILDERS = {
    "preparation": preparation,
    "activity-1": activity_1,
    "activity-2": activity_2,
    "activity-3": activity_3,
    "activity-4": activity_4,
}
# Words the project never uses about people (quoted self-talk lives apart, in quoted/).
STIGMATISING = re.compile(r"\b(addicts?|junkies?|junkie|abusers?|clean|dirty|drug abuse|misuse)\b", re.IGNORECASE)
OWN_FILES = ["reflection", "check_in", "urge_wave", "mindfulness", "defusion", "programme"]



def walk(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def all_widgets(module) -> list[w.Widget]:
    found = []
    for widget in [module, *module.widgets.values()]:
        found += list(walk(widget))
    return found


def test_modules_are_registered_in_order_for_self_and_projector() -> None:
    apps = {app.id: app for app in library().registry().apps}
    orders = [apps[module].order for module in MODULES]
    assert orders == sorted(orders) and apps["welcome"].order < orders[0] and orders[-1] < apps["my-data"].order
    for module in MODULES:
        assert set(apps[module].modes) == {"self", "projector"}
        assert set(apps[module].audience) == {"individuals", "facilitators"}
        for lang in ("en", "th"):
            assert text(lang, f"apps.{module}.title") and text(lang, f"apps.{module}.description")


@pytest.mark.parametrize("module", MODULES)
def test_flows_match_in_both_languages_and_widgets_belong_to_steps(module: str) -> None:
    english, thai = library().flow("en", module), library().flow("th", module)
    assert (content_dir() / "th" / "flows" / f"{module}.yaml").is_file()
    assert [s.id for s in english.steps] == [s.id for s in thai.steps]
    built = BUILDERS[module].module(PageContext("en"))
    assert set(built.widgets) <= {s.id for s in english.steps}


@pytest.mark.parametrize("module", ["activity-2", "activity-3"])
def test_painful_modules_check_in_midway(module: str) -> None:
    steps = library().flow("en", module).steps
    positions = [i for i, s in enumerate(steps) if s.check_in]
    assert positions and 0 < positions[0] < len(steps) - 1
    built = BUILDERS[module].module(PageContext("th"))
    assert isinstance(built.widgets[steps[positions[0]].id], CheckIn)


@pytest.mark.parametrize("lang", ["en", "th"])
@pytest.mark.parametrize("module", MODULES)
def test_every_module_walks_to_the_end(store: Store, module: str, lang: str) -> None:
    built = BUILDERS[module].module(PageContext(lang), store, CODE)
    nav = built.navigator
    for _ in nav.steps:
        assert nav.title.value and "Step" in nav.progress.value or "ขั้นตอน" in nav.progress.value
        nav.next_button.click()
    assert nav.finished
    resumed = BUILDERS[module].module(PageContext(lang), store, CODE)
    assert resumed.navigator.finished  # the place is kept under the code


@pytest.mark.parametrize("module", MODULES)
def test_projected_modules_have_no_inputs_that_save_and_show_nothing_stored(store: Store, module: str) -> None:
    for widget in all_widgets(BUILDERS[module].module(PageContext("en"), store, CODE)):
        if isinstance(widget, Reflection) and widget.choices is not None:
            widget.choices.value = [widget.choices.options[0]["id"]]
            widget.save()
    assert store.entries(CODE), "the self-guided module should have saved something"
    projected = BUILDERS[module].module(PageContext("en", "projector"), store, CODE)
    widgets = all_widgets(projected)
    assert not [x for x in widgets if isinstance(x, (w.Text, w.Textarea))]
    assert not [x for x in widgets if isinstance(x, Reflection) and x.save_button is not None]
    assert projected.kit.store is None and projected.navigator.pause_button not in projected.navigator.buttons.children
    shown = " ".join(getattr(x, "value", "") for x in widgets if isinstance(getattr(x, "value", None), str))
    assert "within-saved" not in shown  # no stored answers on a shared screen


def test_check_in_replies_kindly_offers_grounding_and_can_stop(store: Store) -> None:
    module = activity_2.module(PageContext("en"), store, CODE)
    nav = module.navigator
    nav.go_to("check-in")
    check_in = module.widgets["check-in"]
    assert check_in.grounding.layout.display == "none"
    check_in.answer("heavy")
    assert check_in.grounding.layout.display is None
    assert plain(text("en", "check_in.replies.heavy")) in check_in.reply.value
    assert not nav.paused
    check_in.answer("stop")
    assert nav.paused and module.grounding.layout.display is None
    assert [e.value for e in store.entries(CODE, "activity-2") if e.key == "check-in"] == [
        {"feeling": "heavy"},
        {"feeling": "stop"},
    ]
    nav.next()
    assert module.grounding.layout.display == "none"


def test_pausing_any_module_offers_grounding(store: Store) -> None:
    module = activity_3.module(PageContext("th"), store, CODE)
    assert isinstance(module.grounding, Grounding) and module.grounding.layout.display == "none"
    module.navigator.pause_button.click()
    assert module.grounding.layout.display is None


@pytest.mark.parametrize(
    "typed",
    ["<script>alert(1)</script>", "ผ่านมาได้เพราะแม่ 💪", "{0} {text} & \"q\"", "\u200b\ttabs\nlines"],
)
def test_reflections_keep_and_escape_whatever_is_typed(store: Store, typed: str) -> None:
    reflection = Reflection("Prompt", app="activity-2", key="resources", store=store, code=CODE)
    reflection.text.value = typed
    reflection.save_button.click()
    saved = store.entries(CODE, "activity-2")[-1].value
    assert saved == {"text": typed.strip(), "choices": []}
    assert "<script>" not in reflection.previous.value
    assert reflection.text.value == ""


def test_reflections_refuse_empty_and_overlong_answers_without_losing_words(store: Store) -> None:
    reflection = Reflection("Prompt", app="x", key="k", store=store, code=CODE, max_length=20)
    reflection.save_button.click()
    assert text("en", "reflection.empty") in reflection.message.value
    reflection.text.value = "word " * 10
    reflection.save_button.click()
    assert reflection.text.value == "word " * 10 and store.entries(CODE) == []
    assert "20" in reflection.message.value


def test_reflection_alone_in_jupyterlab_keeps_answers_in_memory() -> None:
    reflection = Reflection("Prompt", app="x", key="k", options={"a": "A", "b": "B"}, legend="Pick")
    reflection.choices.value = ["b", "zzz", "a"]
    assert reflection.choices.value == ["b", "a"] and reflection.choices.labels == ["A", "B"]
    reflection.save()
    assert reflection.answers == [{"text": "", "choices": ["b", "a"]}]
    assert "B, A" in reflection.previous.value


def test_single_choice_lists_keep_one() -> None:
    choices = ChoiceList("Legend", {"a": "A", "b": "B"}, multiple=False)
    choices.value = ["a", "b"]
    assert choices.value == ["b"]


def test_urge_wave_rises_peaks_and_passes() -> None:
    assert urge_level(0, 7, 8, 30) == pytest.approx(1)
    assert urge_level(8, 7, 8, 30) == pytest.approx(7)
    assert urge_level(4, 7, 8, 30) < 7 and urge_level(20, 7, 8, 30) < 7
    assert urge_level(31, 7, 8, 30) == pytest.approx(1)


def test_urge_wave_redraws_with_a_caption_in_words() -> None:
    wave = UrgeWave(context=PageContext("th"))
    assert isinstance(wave.peak, RangeInput)
    before = wave.picture.value
    wave.peak.value = 10
    wave.rise.value = 30
    wave.duration.value = 10  # shorter than the rise: the wave still passes after its peak
    assert wave.shape() == (10, 30, 35)
    assert wave.picture.value != before and "data:image/svg+xml;base64," in wave.picture.value
    assert text("th", "urge_wave.caption", peak=10, rise=30, duration=35) in wave.caption.value


def test_only_activity_1_loads_matplotlib_and_only_when_built() -> None:
    script = (
        "import sys\n"
        "from widgets.core.context import PageContext\n"
        "from widgets.programme import preparation, activity_1, activity_2, activity_3, activity_4\n"
        "for m in (preparation, activity_2, activity_3, activity_4):\n"
        "    m.module(PageContext())\n"
        "assert 'matplotlib' not in sys.modules, 'a light page loaded matplotlib'\n"
        "activity_1.module(PageContext())\n"
        "assert 'matplotlib' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).resolve().parents[3])


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, None),
        ({f"item_{i}": 1 for i in range(1, 9)}, None),
        ({"item_1": 3, "item_2": 2, "item_8": "agree"}, "activity-3"),
        ({"item_4": "strongly_agree", "item_5": 3, "item_1": 2}, "activity-4"),
        ({"item_6": 3, "item_7": 3, "item_4": 2, "item_5": 2}, "activity-5"),
        ({"item_1": 2, "item_4": 2}, "activity-3"),  # a tie goes to activity-3
        ({"item_6": True, "item_7": "maybe", "item_9": 3, "item_5": 9}, None),
    ],
)
def test_suggestion_from_screening_answers(answers: dict, expected: str | None) -> None:
    assert suggest_activity(answers) == expected


def test_suggestion_is_shown_privately_in_activity_2() -> None:
    answers = {"item_6": 3, "item_7": 3}
    own = activity_2.module(PageContext("en"), screening_answers=answers)
    assert text("en", "apps.activity-5.title") in own.widgets["next"].value
    projected = activity_2.module(PageContext("en", "projector"), screening_answers=answers)
    assert "next" not in projected.widgets


def test_activity_2_app_suggests_from_the_persons_own_latest_answers(store: Store) -> None:
    from widgets.apps.app_page import AppPage
    from widgets.core.codes import new_code
    from widgets.core.instrument import instrument
    from widgets.core.scoring import score

    scale = instrument("thai-internalised-stigma")
    mine, other = new_code(), new_code()
    store.add_submission(other, score(scale, {"item_6": 3, "item_7": 3}), language="en", administered="self")
    store.add_submission(mine, score(scale, {"item_4": 3, "item_5": 3}), language="en", administered="self")
    page = AppPage("activity-2", activity_2.build, context=PageContext("en"), store=store)
    page.code_panel.confirm(mine)
    assert text("en", "apps.activity-4.title") in page.activity.widgets["next"].value
    fresh = AppPage("activity-2", activity_2.build, context=PageContext("en"), store=store)
    fresh.code_panel.confirm(new_code())
    assert "next" not in fresh.activity.widgets or not fresh.activity.widgets["next"].value


@pytest.mark.parametrize("lang", ["en", "th"])
def test_own_words_are_complete_and_free_of_stigmatising_terms(lang: str) -> None:
    for name in OWN_FILES:
        library().strings(lang, name)  # valid word tables
    for path in [*(content_dir() / "en").glob("*.yaml"), *(content_dir() / "en" / "flows").glob("*.yaml")]:
        if path.stem in OWN_FILES or path.stem in MODULES:
            found = STIGMATISING.findall(path.read_text(encoding="utf-8"))
            assert not found, f"{path.name}: {found}"
