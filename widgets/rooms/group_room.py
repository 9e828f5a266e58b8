"""The facilitator's side of a live group room, and the group picture on the projector.

:class:`GroupRoom` (the facilitator's own screen) opens a room, puts questions, shows or
hides the answers, clears them, and removes or lets through single words. :class:`RoomProjector`
(``group-room.ipynb?mode=projector&room=CODE``) shows the join code, its QR code and the
group picture in big type, and nothing else: no one's name, score or code ever appears.
Both read the room from the store every ~1.5 s (:class:`~widgets.controls.ticker.Ticker`), since the
phones answer through another process (:mod:`widgets.server.room_listener`, found through :mod:`widgets.rooms.listener`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import segno

from widgets.controls.ticker import Ticker
from widgets.core.content import DEFAULT_LANGUAGE, library
from widgets.core.context import PageContext, request_param
from widgets.core.markup import plain
from widgets.rooms.listener import listener_url
from widgets.rooms.model import Picture, Room, Rooms, questions, ttl_minutes

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage

POLL_MS = 1500


def qr_svg(url: str, label: str) -> str:
    """An inline SVG QR code for ``url`` (segno, no outside service)."""
    svg = segno.make(url, error="m").svg_inline(scale=8, dark="#2a2521", light="#ffffff", omitsize=True)
    return f'<div class="within-room-qr" role="img" aria-label="{plain(label)}">{svg}</div>'


def picture_html(picture: Picture, context: PageContext, *, revealed: bool) -> str:
    """The group picture as HTML: bars with numbers in words, or a wall of typed words.

    Typed words are escaped (:func:`~widgets.core.markup.plain`); held (flagged) words never
    appear here.
    """
    t = context.t
    if picture.question is None:
        return f'<p class="within-room-waiting">{plain(t("rooms.projector.waiting"))}</p>'
    parts = [
        f'<h2 class="within-room-prompt">{plain(picture.question["prompt"])}</h2>',
        f'<p class="within-room-count" role="status">{plain(t("rooms.projector.answers", count=picture.count))}</p>',
    ]
    if not revealed:
        parts.append(f'<p class="within-room-hidden">{plain(t("rooms.projector.hidden"))}</p>')
        return "".join(parts)
    if picture.bars:
        most = max((count for _id, _label, count in picture.bars), default=0) or 1
        rows = "".join(
            f'<li><span class="within-bar-label">{plain(label)}</span>'
            f'<span class="within-bar" style="width:{round(70 * count / most)}%"></span>'
            f'<span class="within-bar-count">{count}</span></li>'
            for _id, label, count in picture.bars
        )
        parts.append(f'<ul class="within-room-bars">{rows}</ul>')
    else:
        words = "".join(
            f'<li class="within-word">{plain(text)}</li>' for _id, text in picture.words
        )
        parts.append(f'<ul class="within-room-words">{words}</ul>')
    return "".join(parts)


ROOM_CSS = "<style>" + (Path(__file__).parent / "static" / "room.css").read_text(encoding="utf-8") + "</style>"


class RoomProjector(w.VBox):
    """The projected room: join code, QR code and the group picture, nothing personal.

    Parameters
    ----------
    join_code:
        The room to show; the most recently opened room when empty.
    context, rooms:
        The page's language and the rooms store.
    """

    def __init__(
        self,
        join_code: str = "",
        *,
        context: PageContext | None = None,
        rooms: Rooms | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext(mode="projector")
        self.rooms = rooms or Rooms()
        self.join_code = join_code
        self.join = w.HTML()
        self.view = w.HTML()
        self.ticker = Ticker(self.refresh, interval_ms=POLL_MS)
        self.add_class("within-room--projector")
        self.children = [w.HTML(ROOM_CSS), self.join, self.view, self.ticker]
        self._last = ("", "")
        self.refresh()

    def refresh(self) -> None:
        """Read the room again and redraw what changed."""
        t = self.context.t
        room = self.rooms.get(self.join_code) if self.join_code else self.rooms.latest_open()
        if room is None:
            join, view = "", f"<p>{plain(t('rooms.facilitator.no_room'))}</p>"
        else:
            join = join_html(room, self.context, compact=room.revealed)
            if room.open:
                view = picture_html(self.rooms.picture(room), self.context, revealed=room.revealed)
            else:
                view = f"<p>{plain(t('rooms.join.closed'))}</p>"
        if (join, view) != self._last:
            self._last = (join, view)
            self.join.value, self.view.value = join, view


def slide_ids() -> list[str]:
    """Apps projected as slides (a guided flow), whose corner can show a room's join code."""
    return [
        app.id
        for app in library().registry().apps
        if "projector" in app.modes
        and (library().root / DEFAULT_LANGUAGE / "flows" / f"{app.id}.yaml").is_file()
    ]


def slide_modules(context: PageContext) -> list[tuple[str, str]]:
    """``(title, id)`` of :func:`slide_ids`, for the facilitator's choice."""
    return [(context.t(f"apps.{app_id}.title"), app_id) for app_id in slide_ids()]


def join_html(room: Room, context: PageContext, *, compact: bool = False) -> str:
    """The join code in huge letters, and the QR code when phones can reach the join page.

    ``compact``: one short line, leaving the projected screen to the group picture.
    """
    t = context.t
    if not room.open:
        return ""
    if compact:
        return (
            f'<p class="within-room-compact">{plain(t("rooms.projector.join_code"))}: '
            f"<strong>{plain(room.join_code)}</strong></p>"
        )
    url = listener_url()
    parts = [
        '<div class="within-room-join"><div>',
        f"<h2>{plain(t('rooms.projector.join_title'))}</h2>",
        f"<p>{plain(t('rooms.projector.join_code'))}</p>",
        f'<p class="within-room-code">{plain(room.join_code)}</p>',
    ]
    if url:
        parts.append(f"<p>{plain(url.rstrip('/'))}</p></div>")
        parts.append(qr_svg(f"{url}r/{room.join_code}", t("rooms.projector.qr_label")))
    else:
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


class GroupRoom(w.VBox):
    """The facilitator's controls for one room at a time (on their own screen only)."""

    def __init__(
        self, *, context: PageContext | None = None, rooms: Rooms | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.rooms = rooms or Rooms()
        self.room: Room | None = None
        t = self.context.t
        self.intro = w.HTML(f"<p>{plain(t('rooms.facilitator.intro'))}</p>")
        self.exposure = w.HTML()
        self.module = w.Dropdown(
            options=[(t("rooms.facilitator.module_none"), "")] + slide_modules(self.context),
            value=request_param("module") if request_param("module") in slide_ids() else "",
            description=t("rooms.facilitator.module_label"),
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        self.open_button = w.Button(description=t("rooms.facilitator.open"), button_style="primary")
        self.open_button.on_click(lambda _b: self.open_room())
        self.header = w.HTML()
        self.question = w.Dropdown(
            options=[(q["prompt"], qid) for qid, q in questions(self.context.lang).items()],
            description=t("rooms.facilitator.question_label"),
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        self.ask_button = w.Button(description=t("rooms.facilitator.ask"), button_style="primary")
        self.ask_button.on_click(lambda _b: self.ask(self.question.value))
        self.reveal_button = w.Button(description=t("rooms.facilitator.reveal"))
        self.reveal_button.on_click(lambda _b: self.toggle_reveal())
        self.reset_button = w.Button(description=t("rooms.facilitator.reset"))
        self.reset_button.on_click(lambda _b: self._act(self.rooms.reset))
        self.close_button = w.Button(description=t("rooms.facilitator.close"))
        self.close_button.on_click(lambda _b: self._act(self.rooms.close))
        self.preview = w.HTML()
        self.held = w.VBox()
        self.wall = w.VBox()
        self.ticker = Ticker(self.refresh, interval_ms=POLL_MS)
        self.controls = w.VBox(
            [
                self.header,
                w.HBox([self.question, self.ask_button]),
                w.HBox([self.reveal_button, self.reset_button, self.close_button]),
                self.preview,
                self.held,
                self.wall,
            ]
        )
        self.add_class("within-group-room")
        self._signature: Any = None
        self.children = [
            w.HTML(ROOM_CSS),
            self.intro,
            self.exposure,
            self.module,
            self.open_button,
            self.controls,
            self.ticker,
        ]
        self.refresh()

    # -- actions -------------------------------------------------------------------

    def open_room(self) -> Room:
        """Open a fresh room (any earlier one stays as it was)."""
        self.room = self.rooms.open(self.context.lang, module=self.module.value or None)
        self.refresh()
        return self.room

    def ask(self, question_id: str) -> None:
        if self.room is not None:
            self.room = self.rooms.ask(self.room, question_id)
            self.refresh()

    def toggle_reveal(self) -> None:
        if self.room is not None:
            self.rooms.reveal(self.room, not self.room.revealed)
            self.refresh()

    def moderate(self, answer_id: int, action: str) -> None:
        if self.room is not None:
            self.rooms.moderate(self.room, answer_id, action)
            self.refresh()

    def _act(self, action: Any) -> None:
        if self.room is not None:
            action(self.room)
            self.refresh()

    # -- drawing --------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the room and the listener again; redraw only what changed."""
        t = self.context.t
        url = listener_url()
        exposure = (
            t("rooms.facilitator.exposed", url=url) if url else t("rooms.facilitator.not_on_lan")
        )
        if self.room is not None:
            self.room = self.rooms.get(self.room.join_code)
        room = self.room
        picture = self.rooms.picture(room) if room is not None and room.question else None
        signature = (exposure, room, repr(picture))
        if signature == self._signature:
            return
        self._signature = signature
        self.exposure.value = f'<p class="within-note" role="status">{plain(exposure)}</p>'
        self.controls.layout.display = "none" if room is None else None
        if room is None:
            return
        if not room.open:
            self.header.value = f'<p class="within-note">{plain(t("rooms.facilitator.closed", minutes=ttl_minutes()))}</p>'
            for button in (
                self.ask_button,
                self.reveal_button,
                self.reset_button,
                self.close_button,
            ):
                button.disabled = True
            self.preview.value = ""
            self.held.children = self.wall.children = ()
            return
        link = f"group-room.ipynb?{self.context.query(mode='projector')}&room={room.join_code}"
        self.header.value = (
            join_html(room, self.context)
            + f'<p><a href="{plain(link)}" target="_blank" rel="noopener">'
            f"{plain(t('rooms.facilitator.projector_link'))}</a></p>"
        )
        self.reveal_button.description = t(
            "rooms.facilitator.hide" if room.revealed else "rooms.facilitator.reveal"
        )
        self.preview.value = (
            picture_html(picture, self.context, revealed=True) if picture is not None else ""
        )
        held = list(picture.held) if picture else []
        words = list(picture.words) if picture else []
        self.held.children = (
            [w.HTML(f"<h3>{plain(t('rooms.facilitator.held_heading'))}</h3>")]
            + [self._word_row(rid, text, held=True) for rid, text, _flags in held]
            if held
            else []
        )
        self.wall.children = (
            [w.HTML(f"<h3>{plain(t('rooms.facilitator.remove_heading'))}</h3>")]
            + [self._word_row(rid, text, held=False) for rid, text in words]
            if words
            else []
        )

    def _word_row(self, answer_id: int, text: str, *, held: bool) -> w.HBox:
        return word_row(self.context, answer_id, text, held=held, moderate=self.moderate)


def word_row(
    context: PageContext,
    answer_id: int,
    text: str,
    *,
    held: bool,
    moderate: Callable[[int, str], None],
) -> w.HBox:
    """One typed word with *Show* (when held) and *Remove*, for the facilitator's screen."""
    t = context.t
    buttons = []
    if held:
        show = w.Button(description=t("rooms.facilitator.show_word"), tooltip=text)
        show.on_click(lambda _b: moderate(answer_id, "show"))
        buttons.append(show)
    remove = w.Button(description=t("rooms.facilitator.remove_word"), tooltip=text)
    remove.on_click(lambda _b: moderate(answer_id, "remove"))
    buttons.append(remove)
    row = w.HBox([w.HTML(f'<span class="within-word">{plain(text)}</span>'), *buttons])
    row.add_class("within-room-entry")
    return row


def build(page: AppPage, _code: str) -> w.Widget:
    """``AppPage("group-room", build, personal=False)``: controls, or the projected room."""
    if page.context.projector:
        wanted = request_param("room") or ""
        return RoomProjector(wanted, context=page.context)
    return GroupRoom(context=page.context)
