"""Three months of follow-up: a baseline, a check-in each month, and a look back at the end.

The plan is saved under the person's code (app ``"follow-up"``, key ``"plan"``) and each
point is marked done (key ``"done"``) when the person checks in while it is due. Staff
see only the participant codes with a point due this week, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.controls.card_styles import CardStyles
from widgets.core.context import PageContext
from widgets.core.follow_up import (
    FollowUpPoint,
    due_this_week,
    next_point,
    plan_points,
    plan_start,
    point_status,
    points_done,
    start_plan,
    week_of,
)
from widgets.core.markup import plain
from widgets.exercises.kind_errors import kindly

if TYPE_CHECKING:
    from widgets.store import Store

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
