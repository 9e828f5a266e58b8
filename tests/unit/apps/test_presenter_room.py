"""The group room beside a presentation: opened with a Balancing the Scales module, asked
segment by segment from the presenter, shown on the audience window only where asked."""

from __future__ import annotations

import ipywidgets as w

from widgets.apps.presenter_room import AudienceRoom, room_panel
from widgets.core.context import PageContext
from widgets.facilitation.presenter import Presentations, Presenter
from widgets.facilitation.run_sheet import sheet
from widgets.programme import scales
from widgets.rooms.model import Rooms
from widgets.store import Store


def test_the_room_opens_with_the_presentation_and_asks_segment_by_segment(store: Store) -> None:
    presentations = Presentations(store)
    presenter = Presenter("scales-self", presentations=presentations, room_panel=room_panel)
    room = presenter.room
    assert room is not None and f"&amp;room={room.join_code}" in presenter.link.value
    assert room.layout.display is None and room.question_id == "arriving"  # first segment
    room.ask()
    rooms = Rooms(store)
    opened = rooms.get(room.join_code)
    assert opened is not None and opened.question["id"] == "arriving" and not opened.revealed
    assert rooms.answer(room.join_code, opened.question_no, "hopeful") == "shown"
    room.refresh()
    assert "1 answers so far" in room.preview.value and room.ask_button.disabled
    room.toggle_reveal()
    assert rooms.get(room.join_code).revealed
    presenter.navigator.go_to("check-in")  # a segment without a room question
    assert room.layout.display == "none"
    presenter.navigator.go_to("stress")
    assert room.question_id == "scales_tank" and not room.asked and not room.ask_button.disabled
    presenter.picker.value = "preparation"  # another module: the room closes, none is opened
    assert not rooms.get(room.join_code).open and presenter.room is None


def test_the_presenter_shows_removes_and_lets_through_typed_words(store: Store) -> None:
    presenter = Presenter("scales-self", presentations=Presentations(store), room_panel=room_panel)
    presenter.navigator.go_to("identity")  # "One strength that people who use drugs bring"
    room, rooms = presenter.room, Rooms(store)
    assert room.question_id == "strength"
    room.ask()
    number = rooms.get(room.join_code).question_no
    assert rooms.answer(room.join_code, number, "<b>courage</b>") == "shown"
    assert rooms.answer(room.join_code, number, "junkie") == "held"
    room.refresh()
    rows = [row for row in room.words.children if isinstance(row, w.HBox)]
    assert [row.children[0].value for row in rows] == [
        '<span class="within-word">junkie</span>',
        '<span class="within-word">&lt;b&gt;courage&lt;/b&gt;</span>',
    ]
    assert "junkie" not in room.preview.value  # held: never in the group picture
    rows[1].children[-1].click()  # Remove "courage"
    assert rooms.picture(room.join_code).words == []
    held_row = next(row for row in room.words.children if isinstance(row, w.HBox))
    held_row.children[1].click()  # Show the held word after all
    assert [text for _id, text in rooms.picture(room.join_code).words] == ["junkie"]


def test_the_audience_shows_the_room_only_where_the_run_sheet_asks(store: Store) -> None:
    rooms = Rooms(store)
    opened = rooms.open("th")
    projected = scales.module("scales-self", PageContext("th", "projector"))
    audience = AudienceRoom(
        projected.navigator, sheet("th", "scales-self"), opened.join_code, rooms=rooms
    )
    assert audience.layout.display is None and opened.join_code in audience.projector.join.value
    projected.navigator.next()  # "heavy" asks "Where have you met stigma most often?"
    assert audience.layout.display is None
    projected.navigator.go_to("resources")
    assert audience.layout.display == "none"
