"""Three months of follow-up: a baseline, a check-in each month, and a look back at the end.

The plan is saved under the person's code (app ``"follow-up"``, key ``"plan"``) and each
point is marked done (key ``"done"``) when the person checks in while it is due. Staff
see only the participant codes with a point due this week, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.controls.card_styles import CardStyles
from widgets.core.context import PageContext
from widgets.exercises.kind_errors import kindly
from widgets.core.markup import plain

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


class FollowUpPlan(w.VBox):
    """A person's three months: start it, see each point and what is due next.

    Parameters
    ----------
    store, code:
        Where the plan is kept.
    context:
        Language and mode of the page.
    today:
        Gives today's date; ``date.today`` by default.
    """

    def __init__(
        self,
        store: Store,
        code: str,
        *,
        context: PageContext | None = None,
        today: Callable[[], date] = date.today,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.store, self.code, self.today = store, code, today
        self.context = context or PageContext()
        self.add_class("within-cards")
        self.add_class("within-plan")
        t = self.context.t
        self.view = w.HTML()
        self.start_button = w.Button(description=t("follow_up.plan.start"), button_style="primary")
        self.start_button.on_click(kindly(self.context.lang, self._say)(lambda _b: self.start()))
        self.message = w.HTML()
        self.children = [CardStyles(), self.view, self.start_button, self.message]
        self.refresh()

    @property
    def due_now(self) -> bool:
        """Whether a point of the plan is due (or past and still open) today."""
        start = plan_start(self.store, self.code)
        if start is None:
            return False
        done = points_done(self.store, self.code)
        point = next_point(start, done, self.today())
        return point is not None and point_status(point, done, self.today()) in ("due", "open")

    def start(self) -> None:
        """Start the three months today."""
        start_plan(self.store, self.code, self.today())
        self.refresh()

    def refresh(self) -> None:
        """Show the plan as it is saved now."""
        t = self.context.t
        start = plan_start(self.store, self.code)
        parts = [
            f"<h3>{plain(t('follow_up.plan.heading'))}</h3><p>{plain(t('follow_up.plan.intro'))}</p>"
        ]
        if start is None:
            parts.append(f"<p>{plain(t('follow_up.plan.not_started'))}</p>")
            self.start_button.layout.display = None
        else:
            self.start_button.layout.display = "none"
            done = points_done(self.store, self.code)
            today = self.today()
            parts.append(f"<p>{plain(t('follow_up.plan.started', date=start.isoformat()))}</p>")
            rows = "".join(
                "<li>"
                + plain(
                    t(
                        "follow_up.plan.row",
                        point=t(f"follow_up.points.{p.id}"),
                        date=p.due.isoformat(),
                        status=t(f"follow_up.status.{point_status(p, done, today)}"),
                    )
                )
                + "</li>"
                for p in plan_points(start)
            )
            parts.append(f"<ul>{rows}</ul>")
            upcoming = next_point(start, done, today)
            if upcoming is None:
                parts.append(f'<p class="within-note">{plain(t("follow_up.plan.all_done"))}</p>')
            else:
                words = t(
                    "follow_up.plan.next_due",
                    point=t(f"follow_up.points.{upcoming.id}"),
                    date=upcoming.due.isoformat(),
                )
                parts.append(f'<p class="within-note">{plain(words)}</p>')
        self.view.value = "".join(parts)

    def _say(self, message: str) -> None:
        self.message.value = f'<p class="within-note" role="status">{plain(message)}</p>'


class FollowUpList(w.VBox):
    """For staff: participant codes with a follow-up due this week, and nothing else.

    Parameters
    ----------
    store:
        The centre's store.
    context:
        Language and mode; on a projector the list is never shown.
    today:
        Gives today's date; ``date.today`` by default.
    """

    def __init__(
        self,
        store: Store,
        *,
        context: PageContext | None = None,
        today: Callable[[], date] = date.today,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.store, self.today = store, today
        self.context = context or PageContext()
        self.add_class("within-cards")
        self.add_class("within-follow-up-list")
        self.view = w.HTML()
        self.children = [CardStyles(), self.view]
        self.rows: list[tuple[str, FollowUpPoint]] = []
        if self.context.projector:
            self.view.value = f'<p class="within-note">{plain(self.context.t("follow_up.staff.not_on_projector"))}</p>'
            return
        kindly(self.context.lang, self._say)(self.refresh)()

    def refresh(self) -> None:
        """Read the store again and redraw the list."""
        t = self.context.t
        monday, sunday = week_of(self.today())
        self.rows = due_this_week(self.store, self.today())
        intro = t("follow_up.staff.intro", start=monday.isoformat(), end=sunday.isoformat())
        if not self.rows:
            self.view.value = f"<p>{plain(intro)}</p><p>{plain(t('follow_up.staff.none'))}</p>"
            return
        head = "".join(
            f'<th scope="col">{plain(t(f"follow_up.staff.{c}"))}</th>'
            for c in ("code", "point", "due")
        )
        body = "".join(
            f"<tr><td>{plain(code)}</td><td>{plain(t(f'follow_up.points.{p.id}'))}</td><td>{p.due.isoformat()}</td></tr>"
            for code, p in self.rows
        )
        codes = len({code for code, _ in self.rows})
        self.view.value = (
            f"<p>{plain(intro)}</p><p>{plain(t('follow_up.staff.count', count=codes))}</p>"
            f'<table class="within-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        )

    def _say(self, message: str) -> None:
        self.view.value = f'<p class="within-note" role="status">{plain(message)}</p>'


def staff_page(context: PageContext | None = None, store: Store | None = None) -> w.Widget:
    """The ``follow-up`` app: the app frame without a participant code, and the staff list.

    On a projector the frame shows that the page is not for a shared screen (the app is
    registered for ``self`` mode only), so no code is ever projected.
    """
    from widgets.apps.app_page import AppPage

    return AppPage(
        "follow-up",
        lambda page, _code: FollowUpList(page.store, context=page.context),
        context=context,
        store=store,
        personal=False,
    )
