"""A quick check-in: mood, stress and wellbeing today, optional craving and use, a note.

Craving and days of use are optional and framed for harm reduction: noticing patterns,
not proving abstinence. In a monthly follow-up the check-in also asks about
relationships and access to health care, as the Thai programme's three-month
follow-up did. Saved under the person's code: app ``"mood"``, key ``"check-in"``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.card_styles import CardStyles
from widgets.core.context import PageContext
from widgets.exercises.kind_errors import kindly
from widgets.core.markup import plain
from widgets.controls.range_input import RangeInput

if TYPE_CHECKING:
    from widgets.store import Store

APP = "mood"
KEY = "check-in"
SCALES: tuple[str, ...] = ("mood", "stress", "wellbeing")
SCALE_RANGE = (0, 10)
USE_DAYS_RANGE = (0, 7)
HEALTH_CARE: tuple[str, ...] = ("able", "partly", "unable", "not_needed", "no_answer")
NOTE_LIMIT = 300


class CheckInError(ValueError):
    """A check-in value that cannot be kept; ``field`` names it, ``key`` the kind words."""

    def __init__(self, field: str, key: str, **fields: Any) -> None:
        self.field, self.key, self.fields = field, key, fields
        super().__init__(f"{field}: {key} {fields}")


def _number(field: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CheckInError(field, "mood.check_in.out_of_range", low=low, high=high)
    if not low <= value <= high:
        raise CheckInError(field, "mood.check_in.out_of_range", low=low, high=high)
    return value


def make_check_in(
    on: date,
    mood: int,
    stress: int,
    wellbeing: int,
    *,
    craving: int | None = None,
    use_days: int | None = None,
    relationships: int | None = None,
    health_care: str | None = None,
    note: str = "",
) -> dict[str, Any]:
    """One check-in as saved (JSON-ready), after checking every value's range.

    Raises
    ------
    CheckInError
        When a score is not a whole number from 0 to 10, days of use not from 0 to 7,
        the health-care answer unknown, or the note longer than :data:`NOTE_LIMIT`.
    """
    record: dict[str, Any] = {"on": on.isoformat()}
    for field, value in (("mood", mood), ("stress", stress), ("wellbeing", wellbeing)):
        record[field] = _number(field, value, *SCALE_RANGE)
    if craving is not None:
        record["craving"] = _number("craving", craving, *SCALE_RANGE)
    if use_days is not None:
        record["use_days"] = _number("use_days", use_days, *USE_DAYS_RANGE)
    if relationships is not None:
        record["relationships"] = _number("relationships", relationships, *SCALE_RANGE)
    if health_care is not None:
        if health_care not in HEALTH_CARE:
            raise CheckInError("health_care", "common.errors.unexpected")
        record["health_care"] = health_care
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise CheckInError("note", "mood.check_in.too_long", limit=NOTE_LIMIT)
    record["note"] = note
    return record


def saved_check_ins(store: Store, code: str) -> list[dict[str, Any]]:
    """``code``'s mood check-ins, oldest first (records that do not parse are left out)."""
    found = []
    for entry in store.entries(code, APP):
        value = entry.value
        if (
            entry.key == KEY
            and isinstance(value, dict)
            and all(isinstance(value.get(s), int) for s in SCALES)
        ):
            try:
                date.fromisoformat(str(value.get("on", "")))
            except ValueError:
                continue
            found.append(value)
    return found


class MoodCheckIn(w.VBox):
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
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.store, self.code, self.today = store, code, today
        self.follow_up = follow_up
        self._listeners: list[Callable[[dict[str, Any]], None]] = []
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
        self.save_button.on_click(kindly(self.context.lang, self._say)(lambda _b: self.save()))
        self.message = w.HTML()
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
            self._say(self.context.t(problem.key, **problem.fields))
            return None
        count = 1
        if self.store is not None and self.code:
            self.store.add_entry(self.code, APP, KEY, record)
            count = len(saved_check_ins(self.store, self.code))
        self.last_saved = record
        self.note.value = ""
        self._say(self.context.t("mood.check_in.saved", count=count))
        for listener in self._listeners:
            listener(record)
        return record

    def _say(self, message: str) -> None:
        self.message.value = f'<p class="within-note" role="status">{plain(message)}</p>'
