"""A mood check-in as it is kept: its record keys, ranges and checks, in one place.

Saved under the person's code: app ``"mood"``, key ``"check-in"``. The check-in widget,
the progress page, the synthetic cohort and the analysis all read these facts from here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

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
