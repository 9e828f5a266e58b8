"""A quick check-in: mood, stress and wellbeing today, optional craving and use, a note.

Craving and days of use are optional and framed for harm reduction: noticing patterns,
not proving abstinence. In a monthly follow-up the check-in also asks about
relationships and access to health care, the changes the Thai programme reported
after three months (the monthly schedule is Within's own). Saved under the person's
code: app ``"mood"``, key ``"check-in"``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.card_styles import CardStyles
from widgets.controls.range_input import RangeInput
from widgets.core.check_ins import (
    APP,
    HEALTH_CARE,
    KEY,
    SCALES,
    USE_DAYS_RANGE,
    CheckInError,
    make_check_in,
    saved_check_ins,
)
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises import sealing
from widgets.exercises.base import Exercise
from widgets.exercises.risk_check import SafetyQuestion, high_distress

if TYPE_CHECKING:
    from widgets.store import Store

def opened_check_ins(store: Store, code: str) -> list[dict[str, Any]]:
    """``code``'s mood check-ins with their notes opened for their author (a sealed note
    stays locked while the visit holds no key)."""
    return [sealing.open_fields(store, code, value, ("note",)) for value in saved_check_ins(store, code)]


class MoodCheckIn(Exercise):
    """Record how the person is today, in under a minute.

    Parameters
    ----------
    context:
        Language and mode (a check-in is personal: nothing is shown on a projector).
    store, code:
        Where check-ins are saved; without them :meth:`save` only returns the record.
    follow_up:
        Also ask about relationships and health care (a monthly follow-up check-in).
    today:
        Gives the check-in's date; ``date.today`` by default.

    Attributes
    ----------
    last_saved:
        The last record saved from this widget ({} before the first).
    safety_question:
        The gentle safety question, shown after a check-in with high distress (else None).
    """

    last_saved = traitlets.Dict(help="The last check-in saved from this widget")

    def __init__(
        self,
        *,
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        follow_up: bool = False,
        today: Callable[[], date] = date.today,
        **kwargs: Any,
    ) -> None:
        super().__init__(context=context, **kwargs)
        self.store, self.code, self.today = store, code, today
        self.follow_up = follow_up
        self._listeners: list[Callable[[dict[str, Any]], None]] = []
        self.safety_question: SafetyQuestion | None = None
        self.add_class("within-cards")
        self.add_class("within-mood")
        if self.context.projector:
            self.children = [
                w.HTML(
                    f'<p class="within-note">{plain(self.context.t("common.projector_unavailable"))}</p>'
                )
            ]
            return
        self._build()

    def _rating(self, name: str, high: int = 10) -> RangeInput:
        t = self.context.t
        low_words = t(f"mood.check_in.{name}_low") if high == 10 else "0"
        high_words = t(f"mood.check_in.{name}_high") if high == 10 else str(high)
        return RangeInput(
            label=t(f"mood.check_in.{name}"),
            low_label=low_words,
            high_label=high_words,
            value_text=t("mood.check_in.value_of") if high == 10 else "{value}",
            max=high,
            value=5 if high == 10 else 0,
        )

    def _build(self) -> None:
        t = self.context.t
        self.ratings = {name: self._rating(name) for name in SCALES}
        self.optional_toggle = w.Checkbox(
            value=False, description=t("mood.check_in.optional_toggle"), indent=False
        )
        self.craving = self._rating("craving")
        self.use_days = self._rating("use_days", high=USE_DAYS_RANGE[1])
        self.optional_box = w.VBox(
            [
                w.HTML(f"<p>{plain(t('mood.check_in.optional_intro'))}</p>"),
                self.craving,
                self.use_days,
            ]
        )
        self.optional_box.layout.display = "none"
        self.optional_toggle.observe(
            lambda c: setattr(self.optional_box.layout, "display", None if c["new"] else "none"),
            names="value",
        )
        self.relationships = self._rating("relationships")
        self.health_care = w.Dropdown(
            description=t("mood.check_in.health_care"),
            options=[(t(f"mood.check_in.health_care_options.{o}"), o) for o in HEALTH_CARE],
            value="no_answer",
            layout=w.Layout(width="100%"),
        )
        self.follow_up_box = w.VBox([self.relationships, self.health_care])
        self.follow_up_box.layout.display = None if self.follow_up else "none"
        self.note = w.Textarea(
            description=t("mood.check_in.note_label"),
            placeholder=t("mood.check_in.note_placeholder"),
            rows=2,
            layout=w.Layout(width="100%"),
        )
        self.save_button = w.Button(description=t("mood.check_in.save"), button_style="primary")
        self.save_button.on_click(self.kindly(lambda _b: self.save()))
        self.children = [
            CardStyles(),
            w.HTML(
                f"<h3>{plain(t('mood.check_in.heading'))}</h3><p>{plain(t('mood.check_in.intro'))}</p>"
            ),
            *self.ratings.values(),
            self.follow_up_box,
            self.optional_toggle,
            self.optional_box,
            self.note,
            self.save_button,
            self.message,
        ]

    def set_follow_up(self, follow_up: bool) -> None:
        """Ask (or stop asking) the monthly follow-up questions."""
        self.follow_up = follow_up
        self.follow_up_box.layout.display = None if follow_up else "none"

    def on_saved(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Call ``callback(record)`` after each saved check-in."""
        self._listeners.append(callback)

    def record(self) -> dict[str, Any]:
        """The check-in as it stands on screen (raises :class:`CheckInError` when it cannot be kept)."""
        optional = self.optional_toggle.value
        return make_check_in(
            self.today(),
            *(self.ratings[name].value for name in SCALES),
            craving=self.craving.value if optional else None,
            use_days=self.use_days.value if optional else None,
            relationships=self.relationships.value if self.follow_up else None,
            health_care=self.health_care.value if self.follow_up else None,
            note=self.note.value,
        )

    def save(self) -> dict[str, Any] | None:
        """Save the check-in; kind words say what to change when it cannot be kept."""
        try:
            record = self.record()
        except CheckInError as problem:
            self.say(self.context.t(problem.key, **problem.fields))
            return None
        count = 1
        if self.store is not None and self.code:
            try:
                kept = sealing.seal_fields(self.store, self.code, record, ("note",))
            except sealing.Locked:
                self.say(self.context.t("sealed.errors.locked"))
                return None
            self.store.add_entry(self.code, APP, KEY, kept)
            count = len(saved_check_ins(self.store, self.code))
        self.last_saved = record
        self.note.value = ""
        self.say(self.context.t("mood.check_in.saved", count=count))
        if high_distress(record) and self.safety_question is None:
            # The crisis line first and one gentle question; its answer is never stored.
            self.safety_question = SafetyQuestion(self.context)
            self.children = [*self.children, self.safety_question]
        for listener in self._listeners:
            listener(record)
        return record

