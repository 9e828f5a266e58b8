"""Projected flows as slides, in Python: slides from content, the navigator's walk through
them, the presenter following slide by slide, and a group room's join code in the corner."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import ipywidgets as w
import pytest

from widgets.apps.builders import projected_navigator
from widgets.core.content import ContentError, Flow, Step, library
from widgets.core.context import PageContext
from widgets.exercises.mindfulness import MindfulnessTimer
from widgets.exercises.navigator import StepNavigator
from widgets.exercises.one_per_slide import OnePerSlide
from widgets.exercises.reflection import Reflection, option_groups
from widgets.exercises.safer_use import SaferUseTips, safer_use
from widgets.facilitation.presenter import Follower, Presentations, Presenter
from widgets.rooms.group_room import GroupRoom, slide_ids
from widgets.rooms.model import Rooms
from widgets.rooms.room_corner import RoomCorner, attach_room_corner
from widgets.store import Store

FLOW = Flow(
    title="Practice",
    steps=(
        Step(id="one", title="One", body="Only words"),
        Step(id="two", title="Two", slides=("First part", "Second **part**")),
        Step(id="three", title="Three", body="Before the activity", activity_slide=True),
    ),
)


def words(nav: StepNavigator) -> str:
    """The text of the step's words on show, without their markup."""
    return re.sub(r"<[^>]+>", "", nav.body.value)


def navigator(mode: str = "projector", **kwargs) -> StepNavigator:
    activity = w.Text()
    return StepNavigator(
        FLOW,
        flow_id="practice",
        context=PageContext("en", mode),
        step_widgets={"three": activity, "two": w.Label()},
        **kwargs,
    )


def test_a_steps_slides_are_its_body_on_ones_own_device() -> None:
    step = FLOW.steps[1]
    assert step.body == "First part\n\nSecond **part**"
    assert step.projected_slides == ("First part", "Second **part**")
    assert FLOW.steps[0].projected_slides == ("Only words",)


def test_a_step_gives_body_or_slides_not_both(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    (folder / "en" / "flows").mkdir(parents=True)
    for name in ("meta.yaml", "common.yaml"):
        (folder / "en" / name).write_text(
            (library().root / "en" / name).read_text("utf-8"), "utf-8"
        )
    (folder / "en" / "flows" / "x.yaml").write_text(
        "title: X\nsteps:\n  - id: a\n    title: A\n    body: words\n    slides: [more]\n", "utf-8"
    )
    from widgets.core.content import ContentLibrary

    with pytest.raises(ContentError, match="body or as slides"):
        ContentLibrary(folder).flow("en", "x")


def test_projected_the_arrow_walks_every_slide_then_the_activity() -> None:
    nav = navigator()
    seen = []
    while not nav.finished:
        seen.append((nav.step.id, nav.slide, nav.progress.value.split(">")[1].split("<")[0]))
        nav.key_nav._received(nav.key_nav, {"direction": "next"}, [])
    assert seen == [
        ("one", 0, "Step 1 of 3"),
        ("two", 0, "Step 2 of 3 (1/2)"),
        ("two", 1, "Step 2 of 3 (2/2)"),
        ("three", 0, "Step 3 of 3 (1/2)"),
        ("three", 1, "Step 3 of 3 (2/2)"),
    ]
    nav.back()  # from the end: the last slide of the last step
    assert (nav.step.id, nav.slide) == ("three", 1)
    assert nav.slot.children == (nav.step_widgets["three"],) and words(nav) == ""
    assert nav.next_button.description == "Finish"
    nav.back()
    assert (nav.step.id, nav.slide) == ("three", 0)
    assert nav.slot.children == () and "Before the activity" in nav.body.value
    nav.back()
    nav.back()
    assert (nav.step.id, nav.slide) == ("two", 0) and words(nav) == "First part\n"
    assert nav.slot.children == ()  # a step's activity follows its last words
    nav.next()
    assert "<strong>part</strong>" in nav.body.value and nav.slot.children == (
        nav.step_widgets["two"],
    )


def test_projected_slides_sit_in_a_slide_with_a_footer_and_a_corner() -> None:
    nav = navigator()
    slide, footer, _keys = nav.children
    corner = slide.children[0]
    assert "within-slide" in slide._dom_classes and nav.body in slide.children
    assert "within-slide-footer" in footer._dom_classes and nav.progress in footer.children
    assert "Practice" in footer.children[0].value and nav.buttons in footer.children
    assert corner is nav.corner and corner.children == ()
    assert nav.skip_button.layout.display == "none"  # a group moves on together


def test_on_ones_own_device_a_step_is_one_screen_as_before() -> None:
    nav = navigator(mode="self")
    nav.next()
    assert nav.slides == (FLOW.steps[1].body,) and "Step 2 of 3" in nav.progress.value
    assert "First part" in nav.body.value and "Second" in nav.body.value
    nav.next()
    assert nav.step.id == "three" and nav.slot.children == (nav.step_widgets["three"],)
    assert "Before the activity" in nav.body.value


def test_go_to_keeps_the_slide_within_the_step() -> None:
    nav = navigator()
    nav.go_to("two", 7)
    assert (nav.step.id, nav.slide) == ("two", 1)
    nav.go_to("one", 1)
    assert nav.slide == 0


def test_the_presenter_and_the_wall_move_slide_by_slide(store: Store) -> None:
    presentations = Presentations(store)
    presenter, wall = navigator(), navigator()
    code = presentations.start("practice", "one")
    mine = Follower(presenter, code, presentations=presentations)
    theirs = Follower(wall, code, presentations=presentations)
    presenter.next()
    presenter.next()
    theirs.pull()
    assert (wall.step.id, wall.slide) == ("two", 1)
    wall.back()  # a clicker at the wall
    mine.pull()
    assert (presenter.step.id, presenter.slide) == ("two", 0)


def test_the_slides_of_every_module_come_from_content_in_both_languages() -> None:
    for module in slide_ids():
        for lang in ("en", "th"):
            steps = library().flow(lang, module).steps
            assert all(
                all(text.strip() for text in step.projected_slides) or step.activity_slide
                for step in steps
            )
        english = [
            (s.id, len(s.projected_slides), s.activity_slide)
            for s in library().flow("en", module).steps
        ]
        thai = [
            (s.id, len(s.projected_slides), s.activity_slide)
            for s in library().flow("th", module).steps
        ]
        assert english == thai, f"{module}: the Thai slides should match the English ones"


# -- a group room's join code in the corner ------------------------------------------------


def test_a_room_opened_for_a_module_shows_in_its_corner_until_it_closes(store: Store) -> None:
    rooms = Rooms(store)
    corner = RoomCorner("activity-3", context=PageContext("th", "projector"), rooms=rooms)
    assert corner.join_code == "" and corner.view.value == ""
    rooms.open("th")  # a room for no module stays off the slides
    other = rooms.open("th", module="activity-1")
    corner.refresh()
    assert corner.join_code == ""
    room = rooms.open("th", module="activity-3")
    corner.refresh()
    assert corner.join_code == room.join_code != other.join_code
    assert room.join_code in corner.view.value and "รหัสห้อง" in corner.view.value
    assert "within-room-corner--open" in corner._dom_classes
    rooms.close(room)
    corner.refresh()
    assert corner.join_code == "" and corner.view.value == ""
    assert "within-room-corner--open" not in corner._dom_classes


def test_the_corner_shows_the_code_and_never_an_answer(store: Store) -> None:
    rooms = Rooms(store)
    room = rooms.ask(rooms.open("en", module="welcome"), "strength")
    rooms.answer(room.join_code, room.question_no, "<b>my secret</b>")
    corner = RoomCorner("welcome", rooms=rooms)
    assert room.join_code in corner.view.value
    assert "secret" not in corner.view.value


def test_a_store_failure_keeps_the_corner_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from widgets.store import StoreError

    rooms = Rooms(store)
    room = rooms.open("en", module="welcome")
    corner = RoomCorner("welcome", rooms=rooms)

    def broken(_module: str) -> None:
        raise StoreError("database is locked")

    monkeypatch.setattr(rooms, "open_for", broken)
    corner.refresh()
    assert corner.join_code == room.join_code


def test_the_corner_is_put_on_a_projected_flow_only(data_dir: Path) -> None:
    projected = PageContext("en", "projector")
    flow = StepNavigator("welcome", context=projected)
    page = SimpleNamespace(app_id="welcome", context=projected, activity=flow)
    corner = attach_room_corner(page)
    assert isinstance(corner, RoomCorner) and flow.corner.children == (corner,)
    module = SimpleNamespace(navigator=StepNavigator("welcome", context=projected))
    assert attach_room_corner(SimpleNamespace(app_id="welcome", context=projected, activity=module))
    own = StepNavigator("welcome", context=PageContext("en"))
    assert (
        attach_room_corner(SimpleNamespace(app_id="welcome", context=own.context, activity=own))
        is None
    )
    assert (
        attach_room_corner(SimpleNamespace(app_id="x", context=projected, activity=w.Label()))
        is None
    )


def test_the_facilitator_opens_a_room_for_a_modules_slides(store: Store) -> None:
    rooms = Rooms(store)
    room_page = GroupRoom(context=PageContext("th"), rooms=rooms)
    assert room_page.module.value == ""
    assert "welcome" in {value for _title, value in room_page.module.options}
    room_page.module.value = "balancing-the-scales"
    room = room_page.open_room()
    assert room.module == "balancing-the-scales"
    assert rooms.open_for("balancing-the-scales") == room
    assert "group-room" not in slide_ids() and "balancing-the-scales" in slide_ids()


# -- activities that show one part of themselves per slide ---------------------------------


def reflection(mode: str, options: int) -> Reflection:
    return Reflection(
        "What helps?",
        app="practice",
        key="helps",
        context=PageContext("en", mode),
        options={f"o{n}": f"Choice {n}" for n in range(options)},
        legend="Things that help",
    )


def shown(widget: w.Box) -> str:
    """The words of the parts of ``widget`` on show (not hidden), without their markup."""
    return " ".join(
        re.sub(r"<[^>]+>", " ", child.value)
        for child in widget.children
        if child.layout.display != "none" and hasattr(child, "value")
    )


def test_option_groups_are_even_and_in_order() -> None:
    assert option_groups([]) == []
    assert option_groups(list("abcdef")) == [list("abcdef")]
    assert option_groups(list("abcdefg")) == [list("abcd"), list("efg")]
    assert option_groups(list("abcdefghijk")) == [list("abcdef"), list("ghijk")]


def test_a_projected_reflection_shows_its_prompt_then_its_choices_a_few_a_slide() -> None:
    wall = reflection("projector", options=11)
    assert wall.projected_parts == 3 and wall.text is None and wall.save_button is None
    assert "What helps?" in shown(wall) and "Choice" not in shown(wall)
    assert "nothing is typed or saved" in shown(wall)
    wall.show_part(1)
    assert "What helps?" not in shown(wall) and "Things that help" in shown(wall)
    assert [f"Choice {n} " in shown(wall) for n in range(11)] == [True] * 6 + [False] * 5
    wall.show_part(2)
    assert [f"Choice {n} " in shown(wall) for n in range(11)] == [False] * 6 + [True] * 5
    assert not any(isinstance(child, w.Textarea) for child in wall.children)
    assert reflection("projector", options=0).projected_parts == 1


def test_on_ones_own_device_a_reflection_is_one_part_with_its_writing_box() -> None:
    mine = reflection("self", options=11)
    assert mine.projected_parts == 1 and mine.text in mine.children
    assert len(mine.choices.options) == 11


def test_several_activities_on_a_step_are_stacked_or_projected_one_part_a_slide() -> None:
    projected = PageContext("en", "projector")
    first, second = reflection("projector", options=7), w.Label("Second")
    both = OnePerSlide([first, second], context=projected)
    assert both.projected_parts == 4  # the prompt, two groups of choices, then the label
    both.show_part(2)
    assert first.layout.display is None and second.layout.display == "none"
    assert "Choice 6" in shown(first) and "Choice 0" not in shown(first)
    both.show_part(3)
    assert first.layout.display == "none" and second.layout.display is None
    mine = OnePerSlide([reflection("self", 7), w.Label("Second")], context=PageContext("en"))
    assert mine.projected_parts == 1 and all(c.layout.display is None for c in mine.children)


def test_the_navigator_gives_an_activity_in_parts_a_slide_for_each() -> None:
    activity = reflection("projector", options=7)
    nav = StepNavigator(
        FLOW, flow_id="practice", context=PageContext("en", "projector"), step_widgets={"one": activity}
    )
    assert nav.slides == ("Only words", 0, 1, 2)  # in parts: slides of its own after the words
    nav.next()
    assert nav.slot.children == (activity,) and words(nav) == ""
    assert "What helps?" in shown(activity)
    nav.next()
    nav.next()
    assert "Choice 6" in shown(activity) and "Step 1 of 3 (4/4)" in nav.progress.value
    nav.next()
    assert nav.step.id == "two"


def test_projected_safer_use_tips_come_one_a_slide_each_with_its_source_and_draft_note() -> None:
    tips = safer_use()
    wall = SaferUseTips(context=PageContext("th", "projector"))
    assert wall.projected_parts == 1 + len(tips.tips)
    t = PageContext("th").t
    assert t("safer_use.intro") in wall.value and t("safer_use.draft") in wall.value
    for part in range(1, wall.projected_parts):
        wall.show_part(part)
        assert wall.value.count("<li>") == 1
        assert wall.value.count("<li>") == wall.value.count('class="within-quiet"')  # sources
        assert t("safer_use.draft_tag") in wall.value
    everything = SaferUseTips(context=PageContext("th"))
    assert everything.projected_parts == 1 and everything.value.count("<li>") == len(tips.tips)


def test_the_presenter_counts_the_slides_the_wall_shows(store: Store) -> None:
    projected = PageContext("th", "projector")
    wall = projected_navigator("scales-self", projected)
    presenter = Presenter(
        "scales-self",
        context=PageContext("th"),
        presentations=Presentations(store),
        navigator_for=projected_navigator,
    )
    for index in range(len(wall.steps)):
        wall.index = presenter.navigator.index = index
        assert len(presenter.navigator.slides) == len(wall.slides)
    wall.go_to("stress")
    assert len(wall.slides) > 4  # two reflections on the step: a prompt and choices each


def test_the_projected_practice_folds_its_length_and_sound_away() -> None:
    assert MindfulnessTimer(context=PageContext("th", "projector")).projected
    assert not MindfulnessTimer(context=PageContext("th")).projected
    assert MindfulnessTimer(context=PageContext("th")).words["settings"]
