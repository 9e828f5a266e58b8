"""Balancing the Scales as a workshop: modules, exercises, saving and resuming, run-sheets,
the room beside the presenter, credits and the facilitator's guide."""

from __future__ import annotations

import re

import ipywidgets as w
import pytest

from widgets.core.content import library
from widgets.core.context import PageContext
from widgets.core.paths import content_dir
from widgets.exercises.check_in import CheckIn
from widgets.exercises.reflection import Reflection
from widgets.facilitation.run_sheet import sheet, sheet_html, sheet_ids
from widgets.programme import scales
from widgets.programme.ladder import LEVELS, LadderReflection, saved_reflections
from widgets.rooms.model import questions
from widgets.store import Store

CODE = "K7MQ-4XZA"
LANGS = ["en", "th"]
STIGMATISING = re.compile(
    r"\b(addicts?|junkies?|abusers?|clean|dirty|drug abuse|misuse)\b", re.IGNORECASE
)
AUTHORS = ("INPUD", "Positive Vibes", "Frontline AIDS", "Alkimia")


def walk(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def reflections(module) -> list[Reflection]:
    return [
        x for widget in module.widgets.values() for x in walk(widget) if isinstance(x, Reflection)
    ]


def test_one_module_per_level_registered_in_order_for_self_and_projector() -> None:
    apps = {app.id: app for app in library().registry().apps}
    assert [scales.LEVEL_MODULES[level] for level in LEVELS] == list(scales.MODULES[1:])
    orders = [apps[module].order for module in scales.MODULES]
    assert orders == sorted(orders)
    for module in scales.MODULES:
        assert set(apps[module].modes) == {"self", "projector"}
        assert (content_dir().parent / "notebooks" / apps[module].notebook).is_file()
    guide = apps[scales.GUIDE]
    assert guide.audience == ("facilitators",) and guide.modes == ("self",)


@pytest.mark.parametrize("module", scales.MODULES)
def test_exercises_sit_on_real_steps_in_both_languages(module: str) -> None:
    english, thai = library().flow("en", module), library().flow("th", module)
    assert [s.id for s in english.steps] == [s.id for s in thai.steps]
    steps = {s.id for s in english.steps}
    assert set(scales.exercises(module)) <= steps
    built = scales.module(module, PageContext("th"))
    assert set(built.widgets) <= steps
    assert len(reflections(built)) == sum(len(keys) for keys in scales.exercises(module).values())
    level = scales.level_of(module)
    if level is not None:
        assert (
            isinstance(built.widgets["level"], LadderReflection)
            and built.widgets["level"].level == level
        )


def test_each_level_has_its_own_exercises() -> None:
    keys = {module: set(scales.exercises(module)) for module in scales.MODULES}
    assert {"political"} <= keys["balancing-the-scales"]
    assert {"sources", "resources", "story", "stress", "refuel", "identity"} <= keys["scales-self"]
    assert {"map", "give", "safe", "thin", "boundaries"} <= keys["scales-relationship"]
    assert {"moment", "strengths", "safely"} <= keys["scales-leadership"]
    assert {"now", "missing", "proposal"} <= keys["scales-organisation"]
    assert {"change", "action", "circle"} <= keys["scales-community"]
    self_steps = library().flow("en", "scales-self").steps
    check_ins = [i for i, s in enumerate(self_steps) if s.check_in]
    assert check_ins and 0 < check_ins[0] < len(self_steps) - 1  # the heavy module checks in midway
    assert isinstance(scales.module("scales-self").widgets[self_steps[check_ins[0]].id], CheckIn)


@pytest.mark.parametrize("lang", LANGS)
def test_the_stress_check_is_reflective_and_unscored(lang: str) -> None:
    built = scales.module("scales-self", PageContext(lang))
    stress = built.widgets["stress"]
    parts = list(walk(stress))
    assert [x for x in parts if isinstance(x, Reflection)] and not [
        x for x in parts if isinstance(x, (w.IntSlider, w.FloatSlider, w.IntText))
    ]
    body = (
        library()
        .flow(lang, "scales-self")
        .steps[[s.id for s in built.navigator.steps].index("stress")]
        .body
    )
    assert (
        ("not a test" in body and "no score" in body)
        if lang == "en"
        else ("ไม่ใช่แบบทดสอบ" in body and "ไม่มีคะแนน" in body)
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("module", scales.MODULES)
def test_every_module_walks_to_the_end_and_is_remembered(
    store: Store, module: str, lang: str
) -> None:
    built = scales.module(module, PageContext(lang), store, CODE)
    nav = built.navigator
    for _ in nav.steps:
        assert nav.title.value
        nav.next_button.click()
    assert nav.finished
    assert scales.module(module, PageContext(lang), store, CODE).navigator.finished


def test_the_self_guided_path_saves_and_resumes(store: Store) -> None:
    first = scales.module("scales-self", PageContext("en"), store, CODE)
    nav = first.navigator
    nav.go_to("resources")
    resources = first.widgets["resources"]
    resources.choices.value = ["survival", "humour"]
    resources.text.value = "My friends <b>call me</b> first"
    resources.save()
    first.widgets["stress"].children[0].choices.value = ["tired"]
    first.widgets["stress"].children[0].save()
    nav.go_to("identity")
    first.widgets["identity"].text.value = "As a person who uses drugs, I am a survivor"
    first.widgets["identity"].save()
    nav.pause()

    again = scales.module("scales-self", PageContext("en"), store, CODE)
    assert again.navigator.resumed and again.navigator.step.id == "identity"
    assert "within-saved" in again.widgets["identity"].previous.value
    assert "survivor" in again.widgets["identity"].previous.value
    assert "&lt;b&gt;call me&lt;/b&gt;" in again.widgets["resources"].previous.value  # escaped
    saved = {e.key: e.value for e in store.entries(CODE, "scales-self")}
    assert saved["resources"] == {
        "text": "My friends <b>call me</b> first",
        "choices": ["survival", "humour"],
    }
    assert saved["stress_signs"]["choices"] == ["tired"]
    # The level card keeps the answers of the earlier single-flow version (app "ladder").
    again.widgets["level"].input.value = "Rest without guilt"
    assert saved_reflections(store, CODE) == {"self": "Rest without guilt"}
    other = scales.module("scales-self", PageContext("en"), store, "Z9ZZ-ZZZZ")
    assert (
        not other.navigator.resumed
        and "within-saved" not in other.widgets["identity"].previous.value
    )


@pytest.mark.parametrize("module", scales.MODULES)
def test_projected_modules_ask_nothing_and_show_nothing_stored(store: Store, module: str) -> None:
    for reflection in reflections(scales.module(module, PageContext("en"), store, CODE)):
        if reflection.choices is not None:
            reflection.choices.value = [reflection.choices.options[0]["id"]]
            reflection.save()
    projected = scales.module(module, PageContext("th", "projector"), store, CODE)
    everything = [x for widget in [projected, *projected.widgets.values()] for x in walk(widget)]
    assert not [x for x in everything if isinstance(x, (w.Text, w.Textarea))]
    shown = " ".join(x.value for x in everything if isinstance(getattr(x, "value", None), str))
    assert "within-saved" not in shown


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("module", scales.MODULES)
def test_each_module_has_a_run_sheet_with_room_questions_that_exist(module: str, lang: str) -> None:
    assert module in sheet_ids()
    s = sheet(lang, module)
    assert sum(seg.minutes for seg in s.segments) == s.minutes and s.prepare
    rooms = [seg.room for seg in s.segments if seg.room]
    assert rooms and set(rooms) <= set(questions(lang))
    html = sheet_html(lang, module)
    for question in rooms:
        assert questions(lang)[question]["prompt"] in html


@pytest.mark.parametrize("lang", LANGS)
def test_the_authors_are_credited_and_within_marks_its_own(lang: str) -> None:
    for flow_id, step_id in (("balancing-the-scales", "intro"), ("scales-guide", "about")):
        step = next(s for s in library().flow(lang, flow_id).steps if s.id == step_id)
        assert all(author in step.body for author in AUTHORS), (flow_id, lang)
    own = next(s for s in library().flow(lang, "balancing-the-scales").steps if s.id == "own").body
    assert "Within" in own and "INPUD" in own
    readme = (content_dir().parent / "README.md").read_text(encoding="utf-8")
    assert "Looking In, Looking Out" in readme and all(author in readme for author in AUTHORS)


@pytest.mark.parametrize("lang", LANGS)
def test_the_guide_covers_space_pacing_distress_and_local_adaptation(lang: str) -> None:
    steps = {s.id for s in library().flow(lang, scales.GUIDE).steps}
    assert {"space", "pacing", "distress", "adapt"} <= steps


def test_words_are_person_first_and_thai_has_no_gendered_particles() -> None:
    files = [
        content_dir() / "en" / "scales.yaml",
        *(content_dir() / "en" / "flows").glob("*scales*.yaml"),
    ]
    for path in files:
        found = STIGMATISING.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found}"
    for path in [
        content_dir() / "th" / "scales.yaml",
        *(content_dir() / "th" / "flows").glob("*scales*.yaml"),
    ]:
        body = path.read_text(encoding="utf-8")
        assert not re.search(r"ค่ะ|ครับ|นะคะ|คะ\b", body), path.name


def shown_words(lang: str, module: str) -> str:
    """Every word a module shows a person: its flow and its exercises."""
    flow = library().flow(lang, module)
    words = [flow.title] + [f"{s.title} {s.body}" for s in flow.steps]
    section = library().strings(lang, "scales").get(module.replace("-", "_"), {})
    for spec in section.values():
        words += [spec.get("prompt", ""), spec.get("legend", ""), *spec.get("options", {}).values()]
    return " ".join(words)


def test_word_counts_per_module(capsys) -> None:
    """Prints the size of each module (English words; Thai, written without spaces between
    words, in characters) and of its run-sheet; each module has real substance."""
    for module in (*scales.MODULES, scales.GUIDE):
        english = len(shown_words("en", module).split())
        thai = len(re.sub(r"\s", "", shown_words("th", module)))
        sheet_words = 0
        if module in sheet_ids():
            s = sheet("en", module)
            sheet_words = len(
                " ".join(
                    [s.title, *s.prepare, *(f"{g.title} {g.notes}" for g in s.segments)]
                ).split()
            )
        assert english >= 300 and thai >= 1000
        with capsys.disabled():
            print(
                f"[figures] {module}: {english} English words, {thai} Thai characters; run-sheet {sheet_words} English words"
            )
