"""Presenter and audience views of a module, kept in step through the store.

The audience view is the module's own projector presentation
(``activity-3.ipynb?mode=projector&present=CODE``): only the steps, nothing personal.
The presenter view (``presenter.ipynb?module=activity-3``) on the facilitator's own screen
adds the run-sheet's notes and timings for the step on show, and the controls. Both write
each move to the store (:data:`~widgets.store.tables.PRESENTATIONS`) and read the
other's moves every ~1.5 s (:class:`~widgets.controls.ticker.Ticker`), so a clicker pressed at either
window moves both. That is the usual set-up: the laptop drives the projector as a second display.
When the module's run-sheet asks group-room questions, a room panel given by the page
(:class:`RoomPanel`, built in :mod:`widgets.apps.presenter_room`) opens a room with the
presentation and follows the segments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import ipywidgets as w

from widgets.controls.segment_timer import SegmentTimer
from widgets.controls.ticker import Ticker
from widgets.core.codes import random_characters
from widgets.core.content import DEFAULT_LANGUAGE, library
from widgets.core.context import PageContext, request_param
from widgets.core.markup import plain
from widgets.exercises.navigator import StepNavigator
from widgets.facilitation.run_sheet import Segment, sheet, sheet_ids, timer_words
from widgets.store import Store
from widgets.store.rooms import PresentationRecords

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage

POLL_MS = 1500


@dataclass(frozen=True)
class Position:
    module: str
    step_id: str
    finished: bool
    version: int
    slide: int = 0


def presentable_modules() -> list[str]:
    """Apps that can be projected and are a guided flow (in the home page's order)."""
    found = []
    for app in sorted(library().registry().apps, key=lambda a: a.order):
        flow = library().root / DEFAULT_LANGUAGE / "flows" / f"{app.id}.yaml"
        if "projector" in app.modes and flow.is_file():
            found.append(app.id)
    return found


class Presentations:
    """Where each running presentation is; a short random code names it."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store.default()
        self.records = PresentationRecords(self.store)

    def start(self, module: str, step_id: str) -> str:
        code = random_characters(6)
        self.records.insert(code, module, step_id, date.today())
        return code

    def move(self, code: str, step_id: str, finished: bool = False, slide: int = 0) -> int:
        """Record a move (to a step, and a slide within it); returns the new version number."""
        return self.records.move(code, step_id, finished, date.today(), slide)

    def get(self, code: str) -> Position | None:
        row = self.records.get(code)
        if row is None:
            return None
        return Position(
            row["module"],
            row["step_id"],
            bool(row["finished"]),
            int(row["version"]),
            int(row["slide"]),
        )


class Follower(w.VBox):
    """Keeps a navigator in step with a presentation, both ways (hidden, holds the Ticker)."""

    def __init__(
        self,
        navigator: StepNavigator,
        code: str,
        *,
        presentations: Presentations | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.navigator = navigator
        self.code = code
        self.presentations = presentations or Presentations()
        self.version = 0
        self._applying = False
        self.ticker = Ticker(self.pull, interval_ms=POLL_MS)
        self.children = [self.ticker]
        self.layout.display = "none"
        navigator.observe(self._push, names=["index", "finished", "slide"])
        self.pull()

    def pull(self) -> None:
        """Apply the other window's latest move, if newer than what this one knows."""
        position = self.presentations.get(self.code)
        if position is None or position.version <= self.version:
            return
        self.version = position.version
        self._applying = True
        try:
            if position.finished:
                self.navigator.finished = True
            elif position.step_id in {s.id for s in self.navigator.steps}:
                self.navigator.go_to(position.step_id, position.slide)
        finally:
            self._applying = False

    def _push(self, _change: Any = None) -> None:
        if self._applying:
            return
        self.version = self.presentations.move(
            self.code, self.navigator.step.id, self.navigator.finished, self.navigator.slide
        )


def follow_from_request(page: AppPage) -> StepNavigator | None:
    """On a projected page opened with ``?present=CODE``, follow that presentation.

    Returns the navigator that now follows, or None (no presentation, or not a guided flow).
    """
    code = request_param("present") or ""
    activity = page.activity
    navigator = (
        activity if isinstance(activity, StepNavigator) else getattr(activity, "navigator", None)
    )
    if not code or not isinstance(navigator, StepNavigator):
        return None
    if Presentations().get(code) is None:
        return None
    page.children = [*page.children, Follower(navigator, code)]
    return navigator


class RoomPanel(Protocol):
    """A group room beside a presentation (built by the apps layer, which may use rooms)."""

    join_code: str

    def show_for(self, segment: Segment | None) -> None: ...

    def close(self) -> None: ...


#: ``room_panel(context, store)``: opens a room for a module whose run-sheet asks room questions.
RoomPanelFactory = Callable[[PageContext, Store], RoomPanel]


#: ``navigator_for(module, projected_context)``: the module's navigator with its activities, so
#: the presenter counts the slides the wall shows (built by the apps layer, which may use them).
NavigatorFactory = Callable[[str, PageContext], StepNavigator]


class Presenter(w.VBox):
    """The presenter's screen: the module's steps, notes and timings, and the controls."""

    def __init__(
        self,
        module: str = "preparation",
        *,
        context: PageContext | None = None,
        presentations: Presentations | None = None,
        room_panel: RoomPanelFactory | None = None,
        navigator_for: NavigatorFactory | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.presentations = presentations or Presentations()
        self.room_panel = room_panel
        self.navigator_for = navigator_for or (lambda module, projected: StepNavigator(module, context=projected))
        self.room: RoomPanel | None = None
        t = self.context.t
        modules = presentable_modules()
        self.picker = w.Dropdown(
            options=[(t(f"apps.{m}.title"), m) for m in modules],
            value=module if module in modules else modules[0],
            description=t("presenter.module"),
            style={"description_width": "initial"},
        )
        self.picker.observe(lambda _c: self.present(self.picker.value), names="value")
        self.body = w.VBox()
        self.add_class("within-presenter")
        self.children = [self.picker, self.body]
        self.present(self.picker.value)

    def present(self, module: str) -> None:
        t = self.context.t
        projected = PageContext(lang=self.context.lang, mode="projector")
        self.navigator = self.navigator_for(module, projected)
        self.code = self.presentations.start(module, self.navigator.step.id)
        self.follower = Follower(self.navigator, self.code, presentations=self.presentations)
        self.sheet = sheet(self.context.lang, module) if module in sheet_ids() else None
        if self.room is not None:
            self.room.close()
        self.room = None
        if self.room_panel is not None and self.sheet is not None and self.sheet.asks_rooms:
            self.room = self.room_panel(self.context, self.presentations.store)
        app = library().registry_app(module)
        link = f"{app.notebook}?{projected.query()}&present={self.code}"
        if self.room is not None:
            link += f"&room={self.room.join_code}"
        self.link = w.HTML(
            f'<p><a href="{plain(link)}" target="_blank" rel="noopener">{plain(t("presenter.open_audience"))}</a>'
            f'</p><p class="within-note">{plain(t("presenter.how"))}</p>'
        )
        self.notes = w.HTML()
        self.timer = SegmentTimer(words=timer_words(self.context.lang))
        if self.sheet is not None:
            self.timer.segments = [
                {"title": s.title, "seconds": s.minutes * 60} for s in self.sheet.segments
            ]
        else:
            self.timer.layout.display = "none"
        self.navigator.on_step(lambda _step: self._show_notes())
        self._show_notes()
        parts: list[w.Widget] = [self.link, self.notes, self.timer]
        if isinstance(self.room, w.Widget):
            parts.append(self.room)
        self.body.children = [*parts, self.navigator, self.follower]

    def _show_notes(self) -> None:
        t = self.context.t
        step = self.navigator.step
        segment = self.sheet.segment_for(step.id) if self.sheet else None
        if self.room is not None:
            self.room.show_for(segment)
        if segment is None:
            self.notes.value = (
                f'<div class="within-presenter-notes"><p>{plain(t("presenter.no_notes"))}</p></div>'
            )
            return
        assert self.sheet is not None
        self.timer.index = self.sheet.segments.index(segment)
        self.notes.value = (
            f'<div class="within-presenter-notes"><h2>{plain(t("presenter.notes_heading"))}</h2>'
            f"<p><strong>{plain(segment.title)}</strong> · "
            f"{plain(t('run_sheets.ui.minutes', minutes=segment.minutes))}</p>"
            f"<p>{plain(segment.notes)}</p></div>"
        )
