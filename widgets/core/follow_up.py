"""The three-month follow-up schedule: a baseline, a check-in each month, a look back.

Within's own reading of the Thai programme's "follow-up for three months" (the pilot's
exact schedule is not in the seed). The plan is saved under the person's code (app
``"follow-up"``, key ``"plan"``) and each point is marked done (key ``"done"``) when the
person checks in while it is due. Plain logic over the store, shared by the staff list,
the person's own progress page and the synthetic research cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from widgets.store import Store

APP = "follow-up"
PLAN_KEY = "plan"
DONE_KEY = "done"
POINTS: tuple[tuple[str, int], ...] = (
    ("baseline", 0),
    ("month_1", 30),
    ("month_2", 60),
    ("month_3", 90),
)
WINDOW = timedelta(days=7)  # a point is due from a week before its date to a week after
OVERDUE_SHOWN = timedelta(days=14)  # staff still see a point this long after its date


@dataclass(frozen=True)
class FollowUpPoint:
    """One check-in of the plan: ``id`` (``baseline``, ``month_1`` ...) and its date."""

    id: str
    due: date


def plan_points(start: date) -> list[FollowUpPoint]:
    """The four points of a three-month plan that starts on ``start``."""
    return [FollowUpPoint(point, start + timedelta(days=days)) for point, days in POINTS]


def point_status(point: FollowUpPoint, done: set[str], today: date) -> str:
    """``"done"``, ``"due"`` (within a week of its date), ``"upcoming"`` or ``"open"`` (past)."""
    if point.id in done:
        return "done"
    if today < point.due - WINDOW:
        return "upcoming"
    if today <= point.due + WINDOW:
        return "due"
    return "open"


def plan_start(store: Store, code: str) -> date | None:
    """When ``code``'s plan started (the latest plan saved), or None."""
    starts = [
        e.value.get("start")
        for e in store.entries(code, APP)
        if e.key == PLAN_KEY and isinstance(e.value, dict)
    ]
    try:
        return date.fromisoformat(starts[-1]) if starts else None
    except (TypeError, ValueError):
        return None


def points_done(store: Store, code: str) -> set[str]:
    """Ids of the points ``code`` has completed."""
    return {
        str(e.value.get("point"))
        for e in store.entries(code, APP)
        if e.key == DONE_KEY and isinstance(e.value, dict)
    }


def start_plan(store: Store, code: str, today: date) -> list[FollowUpPoint]:
    """Start (or restart) ``code``'s three months on ``today``."""
    store.add_entry(code, APP, PLAN_KEY, {"start": today.isoformat()})
    return plan_points(today)


def next_point(start: date, done: set[str], today: date) -> FollowUpPoint | None:
    """The first point not yet done, or None when all are done."""
    return next((p for p in plan_points(start) if p.id not in done), None)


def record_check_in(store: Store, code: str, today: date) -> str | None:
    """After a check-in: mark the next open point done if it is due or past; return its id."""
    start = plan_start(store, code)
    if start is None:
        return None
    done = points_done(store, code)
    point = next_point(start, done, today)
    if point is None or point_status(point, done, today) not in ("due", "open"):
        return None
    store.add_entry(code, APP, DONE_KEY, {"point": point.id, "on": today.isoformat()})
    return point.id


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of the week holding ``today``."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def due_this_week(store: Store, today: date) -> list[tuple[str, FollowUpPoint]]:
    """(code, point) for every point not done that falls this week or is up to two weeks late.

    Reads across codes with :meth:`Store.entries_for_app`; returns codes only.
    """
    monday, sunday = week_of(today)
    starts: dict[str, date] = {}
    done: dict[str, set[str]] = {}
    for code, entry in store.entries_for_app(APP):
        value = entry.value if isinstance(entry.value, dict) else {}
        if entry.key == PLAN_KEY:
            try:
                starts[code] = date.fromisoformat(str(value.get("start")))
            except ValueError:
                continue
        elif entry.key == DONE_KEY:
            done.setdefault(code, set()).add(str(value.get("point")))
    found = []
    for code, start in starts.items():
        for point in plan_points(start):
            if (
                point.id not in done.get(code, set())
                and monday - OVERDUE_SHOWN <= point.due <= sunday
            ):
                found.append((code, point))
    return sorted(found, key=lambda pair: (pair[1].due, pair[0]))
