"""Run-sheets for facilitators: what to prepare, ground rules, timed segments and notes.

The words are in ``content/<lang>/run_sheets.yaml``: one sheet for the preparation phase,
each activity and the Balancing the Scales workshop. :class:`RunSheet` shows a sheet with a
countdown through its segments (in the browser) and prints or downloads it as a handout.
It belongs on the facilitator's own screen: the app has no projector mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.controls.handout import Handout
from widgets.controls.segment_timer import SegmentTimer
from widgets.core.content import DEFAULT_LANGUAGE, library
from widgets.core.context import PageContext, request_param
from widgets.core.markup import plain
from widgets.exercises.print_page import page

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage


@dataclass(frozen=True)
class Segment:
    id: str
    title: str
    minutes: int
    steps: tuple[str, ...]
    notes: str
    room: str = ""  # a group-room question id (content/<lang>/rooms.yaml) to ask in this segment


@dataclass(frozen=True)
class Sheet:
    id: str
    title: str
    minutes: int
    prepare: tuple[str, ...]
    rules: tuple[str, ...]
    segments: tuple[Segment, ...]

    def segment_for(self, step_id: str) -> Segment | None:
        """The segment that covers a flow step (for the presenter view)."""
        return next((s for s in self.segments if step_id in s.steps), None)

    @property
    def asks_rooms(self) -> bool:
        """Whether any segment puts a question to the group room (the presenter opens one)."""
        return any(segment.room for segment in self.segments)


def sheet_ids() -> list[str]:
    return list(library().strings(DEFAULT_LANGUAGE, "run_sheets")["sheets"])


def sheet(lang: str, sheet_id: str) -> Sheet:
    """A run-sheet in ``lang`` (English words where a translation is missing)."""
    english = library().strings(DEFAULT_LANGUAGE, "run_sheets")
    spec = english["sheets"][sheet_id]
    base = f"run_sheets.sheets.{sheet_id}"

    def t(key: str) -> str:
        return library().text(lang, f"{base}.{key}")

    segments = tuple(
        Segment(
            id=sid,
            title=t(f"segments.{sid}.title"),
            minutes=int(spec["segments"][sid]["minutes"]),
            steps=tuple(
                s.strip()
                for s in spec["segments"][sid]["steps"].split(",")
                if s.strip() not in ("", "-")
            ),
            notes=t(f"segments.{sid}.notes"),
            room=str(spec["segments"][sid].get("room", "")),
        )
        for sid in spec["segments"]
    )
    return Sheet(
        id=sheet_id,
        title=t("title"),
        minutes=int(spec["minutes"]),
        prepare=tuple(t(f"prepare.{key}") for key in spec["prepare"]),
        rules=tuple(
            library().text(lang, f"run_sheets.ground_rules.{key}")
            for key in english["ground_rules"]
        ),
        segments=segments,
    )


def sheet_html(lang: str, sheet_id: str, heading_level: int = 2) -> str:
    """The sheet as an HTML fragment (content words escaped)."""
    s = sheet(lang, sheet_id)
    ui = lambda key, **f: plain(library().text(lang, f"run_sheets.ui.{key}", **f))
    h, h2 = f"h{heading_level}", f"h{heading_level + 1}"

    def room(seg: Segment) -> str:
        if not seg.room:
            return ""
        prompt = library().text(lang, f"rooms.questions.{seg.room}.prompt")
        return f"<br>{ui('room_label')} {plain(prompt)}"

    rows = "".join(
        f"<tr><td>{ui('minutes', minutes=seg.minutes)}</td><td><strong>{plain(seg.title)}</strong>"
        f"<br>{ui('notes_label')} {plain(seg.notes)}{room(seg)}</td></tr>"
        for seg in s.segments
    )
    return (
        f'<div class="within-run-sheet within-handout"><{h}>{plain(s.title)}</{h}>'
        f"<p>{ui('total', minutes=s.minutes)}</p>"
        f"<{h2}>{ui('prepare_heading')}</{h2}><ul>{''.join(f'<li>{plain(p)}</li>' for p in s.prepare)}</ul>"
        f"<{h2}>{ui('rules_heading')}</{h2}><ul>{''.join(f'<li>{plain(r)}</li>' for r in s.rules)}</ul>"
        f"<{h2}>{ui('segments_heading')}</{h2}><table><tbody>{rows}</tbody></table></div>"
    )


def handout_html(lang: str, sheet_id: str) -> str:
    """A whole printable page for one sheet, with the shared print styles; no scripts or links."""
    return page(lang, sheet(lang, sheet_id).title, sheet_html(lang, sheet_id, heading_level=1))


def timer_words(lang: str) -> dict[str, str]:
    keys = library().strings(DEFAULT_LANGUAGE, "run_sheets")["ui"]["timer"]
    return {key: library().text(lang, f"run_sheets.ui.timer.{key}") for key in keys}


class RunSheet(w.VBox):
    """Choose a run-sheet; see it, time it, print it.

    Parameters
    ----------
    context:
        Language of the page.
    sheet_id:
        The sheet shown first (``preparation`` by default).
    seconds_per_minute:
        60 normally; tests shorten the countdown.
    """

    def __init__(
        self,
        *,
        context: PageContext | None = None,
        sheet_id: str = "preparation",
        seconds_per_minute: int = 60,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.seconds_per_minute = seconds_per_minute
        lang = self.context.lang
        t = self.context.t
        self.picker = w.Dropdown(
            options=[(sheet(lang, sid).title, sid) for sid in sheet_ids()],
            value=sheet_id,
            description=t("run_sheets.ui.choose"),
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        self.note = w.HTML(
            f'<p class="within-note">{plain(t("run_sheets.ui.facilitator_only"))}</p>'
        )
        self.timer = SegmentTimer(words=timer_words(lang))
        self.handout = Handout(
            words={"print": t("run_sheets.ui.print"), "download": t("run_sheets.ui.download")}
        )
        self.view = w.HTML()
        self.picker.observe(lambda _c: self.show(self.picker.value), names="value")
        self.add_class("within-run-sheets")
        self.children = [self.note, self.picker, self.timer, self.handout, self.view]
        self.show(sheet_id)

    def show(self, sheet_id: str) -> None:
        lang = self.context.lang
        s = sheet(lang, sheet_id)
        self.timer.index = 0
        self.timer.segments = [
            {"title": seg.title, "seconds": seg.minutes * self.seconds_per_minute}
            for seg in s.segments
        ]
        self.handout.html = handout_html(lang, sheet_id)
        self.handout.filename = f"within-run-sheet-{sheet_id}-{lang}.html"
        self.view.value = sheet_html(lang, sheet_id)


def build(page: AppPage, _code: str) -> RunSheet:
    """``AppPage("run-sheets", build, personal=False)``; ``?sheet=activity-3`` picks one."""
    wanted = request_param("sheet") or "preparation"
    return RunSheet(
        context=page.context, sheet_id=wanted if wanted in sheet_ids() else "preparation"
    )
