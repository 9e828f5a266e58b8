"""The group room beside a presentation: the run-sheet says which question fits each part.

When a module's run-sheet names a room question for a segment (``room:`` in
``content/<lang>/run_sheets.yaml``), the presenter view opens a room with the presentation
(:class:`PresenterRoom`, given to :class:`~widgets.facilitation.presenter.Presenter` here, in the
apps layer, since facilitation and rooms are siblings that never import each other). At those segments it offers to ask that question, show or hide the
answers on the projector, counts them, and lets the facilitator show or remove typed words
(flagged ones wait, as in every room); elsewhere it stays out of the way. The audience
window, opened from the presenter with ``&room=CODE``, shows the room's join code and the
group picture at those segments only (:class:`AudienceRoom`), so the facilitator never
switches windows on the projector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.controls.ticker import Ticker
from widgets.core.context import PageContext, request_param
from widgets.core.markup import plain
from widgets.exercises.kind_errors import kindly
from widgets.exercises.navigator import StepNavigator
from widgets.facilitation.presenter import NavigatorFactory, Presenter
from widgets.facilitation.run_sheet import Segment, Sheet, sheet, sheet_ids
from widgets.rooms.group_room import ROOM_CSS, RoomProjector, join_html, picture_html, word_row
from widgets.rooms.model import Room, Rooms
from widgets.store import Store

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage

POLL_MS = 1500


class PresenterRoom(w.VBox):
    """On the presenter's screen: the room opened with the presentation, asked segment by segment.

    Parameters
    ----------
    context:
        The presenter's language (the room speaks it too).
    rooms:
        Where rooms are kept; the default store when not given.
    """

    def __init__(self, context: PageContext, *, rooms: Rooms | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        self.rooms = rooms or Rooms()
        self.room: Room = self.rooms.open(context.lang)
        self.question_id = ""
        t = context.t
        self.prompt = w.HTML()
        self.ask_button = w.Button(description=t("rooms.facilitator.ask"), button_style="primary")
        self.reveal_button = w.Button(description=t("rooms.facilitator.reveal"))
        self.preview = w.HTML()
        self.words = w.VBox()
        self.problem = w.HTML()
        guard = kindly(context.lang, self._show_problem)
        self.ask_button.on_click(guard(lambda _b: self.ask()))
        self.reveal_button.on_click(guard(lambda _b: self.toggle_reveal()))
        self.ticker = Ticker(self.refresh, interval_ms=POLL_MS)
        self.add_class("within-presenter-room")
        self._signature: Any = None
        self.children = [
            w.HTML(ROOM_CSS),
            self.prompt,
            w.HBox([self.ask_button, self.reveal_button]),
            self.problem,
            self.preview,
            self.words,
            self.ticker,
        ]
        self.show_for(None)

    @property
    def join_code(self) -> str:
        return self.room.join_code

    def show_for(self, segment: Segment | None) -> None:
        """Offer ``segment``'s room question, or hide when it has none."""
        self.question_id = segment.room if segment is not None else ""
        self.layout.display = None if self.question_id else "none"
        self._signature = None
        self.refresh()

    def ask(self) -> None:
        """Put this segment's question to the room (answers start afresh, hidden)."""
        if self.question_id and self.room.open:
            self.room = self.rooms.ask(self.room, self.question_id)
            self.refresh()

    def toggle_reveal(self) -> None:
        """Show the group picture on the projector, or hide it again."""
        if self.asked:
            self.rooms.reveal(self.room, not self.room.revealed)
            self.refresh()

    def moderate(self, answer_id: int, action: str) -> None:
        """``"show"`` a held word on the projector, or ``"remove"`` a word from it."""
        self.rooms.moderate(self.room, answer_id, action)
        self.refresh()

    def close(self) -> None:
        """Close the room (when the presenter moves to another module)."""
        if self.room.open:
            self.rooms.close(self.room)
        self.ticker.running = False

    @property
    def asked(self) -> bool:
        """Whether the room's current question is this segment's."""
        question = self.room.question or {}
        return bool(self.question_id) and question.get("id") == self.question_id

    def refresh(self) -> None:
        """Read the room again; redraw only what changed."""
        if not self.question_id:
            return
        t = self.context.t
        self.room = self.rooms.get(self.room.join_code) or self.room
        picture = self.rooms.picture(self.room) if self.asked else None
        signature = (self.question_id, self.room, repr(picture))
        if signature == self._signature:
            return
        self._signature = signature
        prompt = t(f"rooms.questions.{self.question_id}.prompt")
        self.prompt.value = (
            f'<div class="within-presenter-notes"><h2>{plain(t("presenter.room_heading"))}</h2>'
            f"<p><strong>{plain(prompt)}</strong></p>{join_html(self.room, self.context, compact=True)}</div>"
        )
        self.ask_button.disabled = self.asked or not self.room.open
        self.ask_button.description = t(
            "presenter.room_asked" if self.asked else "rooms.facilitator.ask"
        )
        self.reveal_button.disabled = not self.asked
        self.reveal_button.description = t(
            "rooms.facilitator.hide"
            if self.asked and self.room.revealed
            else "rooms.facilitator.reveal"
        )
        if picture is None:
            self.preview.value = ""
            self.words.children = ()
            return
        self.preview.value = picture_html(picture, self.context, revealed=True)
        rows: list[w.Widget] = []
        if picture.held:
            rows.append(w.HTML(f"<h3>{plain(t('rooms.facilitator.held_heading'))}</h3>"))
            rows += [self._row(rid, text, held=True) for rid, text, _flags in picture.held]
        if picture.words:
            rows.append(w.HTML(f"<h3>{plain(t('rooms.facilitator.remove_heading'))}</h3>"))
            rows += [self._row(rid, text, held=False) for rid, text in picture.words]
        self.words.children = rows

    def _row(self, answer_id: int, text: str, *, held: bool) -> w.HBox:
        guard = kindly(self.context.lang, self._show_problem)
        return word_row(self.context, answer_id, text, held=held, moderate=guard(self.moderate))

    def _show_problem(self, message: str) -> None:
        self.problem.value = (
            f'<p class="within-note within-note--problem" role="alert">{plain(message)}</p>'
        )


class AudienceRoom(w.VBox):
    """On the audience window: the join code and group picture, at room segments only.

    Parameters
    ----------
    navigator:
        The projected module (the room shows while its step's segment names a question).
    sheet:
        The module's run-sheet.
    join_code:
        The presentation's room.
    """

    def __init__(
        self,
        navigator: StepNavigator,
        sheet: Sheet,
        join_code: str,
        *,
        rooms: Rooms | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sheet = sheet
        self.projector = RoomProjector(join_code, context=navigator.context, rooms=rooms)
        self.add_class("within-audience-room")
        self.children = [self.projector]
        navigator.on_step(self._follow)
        self._follow(navigator.step)

    def _follow(self, step: Any) -> None:
        segment = self.sheet.segment_for(step.id)
        self.layout.display = None if segment is not None and segment.room else "none"


def room_panel(context: PageContext, store: Store) -> PresenterRoom:
    """The presenter's room panel, in the presentation's store."""
    return PresenterRoom(context, rooms=Rooms(store))


def build(page: AppPage, _code: str, navigator_for: NavigatorFactory | None = None) -> Presenter:
    """The ``presenter`` page; ``?module=scales-self`` picks the module.

    ``navigator_for`` builds a module as the wall shows it (the builders give theirs), so the
    presenter counts the same slides as the wall.
    """
    wanted = request_param("module") or "preparation"
    return Presenter(
        wanted, context=page.context, room_panel=room_panel, navigator_for=navigator_for
    )


def show_room_from_request(page: AppPage, navigator: StepNavigator) -> None:
    """On a projected module following a presentation, with ``&room=JOIN``: that room's join
    code and group picture, at the segments whose run-sheet asks the room."""
    join_code = request_param("room") or ""
    if not join_code or page.app_id not in sheet_ids():
        return
    run_sheet = sheet(page.context.lang, page.app_id)
    if run_sheet.asks_rooms:
        page.children = [*page.children, AudienceRoom(navigator, run_sheet, join_code)]
