"""My progress: a person's own history and what is due next, only for them.

Shows the three-month follow-up plan, a check-in (with the monthly questions when a
follow-up is due), the chart of check-ins with the days they did activities, their top
values, direction and goals. Screening totals can be passed in as ``(date, total)``
pairs (``screening=``); the app reads them from the person's own submissions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.controls.card_styles import CardStyles
from widgets.core.check_ins import saved_check_ins
from widgets.core.context import PageContext
from widgets.core.follow_up import record_check_in
from widgets.core.markup import plain
from widgets.exercises.mood import MoodCheckIn
from widgets.facilitation.follow_up import FollowUpPlan

if TYPE_CHECKING:
    from widgets.store import Store

SCREENING_INSTRUMENT = "thai-internalised-stigma"

ACTIVITY_APPS: tuple[str, ...] = ("values", "goals", "ladder")


def session_days(store: Store, code: str, apps: Sequence[str] = ACTIVITY_APPS) -> list[date]:
    """Days on which ``code`` saved something in an activity (marked on the chart)."""
    return sorted({e.created_on for e in store.entries(code) if e.app in apps})


class MyProgress(w.VBox):
    """The ``my-progress`` app's body for one person.

    Parameters
    ----------
    store, code:
        The person's store and code.
    context:
        Language and mode.
    screening:
        ``(date, total)`` pairs of the person's screening totals, if any.
    today:
        Gives today's date; ``date.today`` by default.
    """

    def __init__(
        self,
        store: Store,
        code: str,
        *,
        context: PageContext | None = None,
        screening: Sequence[tuple[date | str, float]] = (),
        today: Callable[[], date] = date.today,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        from widgets.exercises.mood_chart import MoodChart

        self.store, self.code, self.today = store, code, today
        self.context = context or PageContext()
        t = self.context.t
        self.add_class("within-cards")
        self.plan = FollowUpPlan(store, code, context=self.context, today=today)
        self.check_in = MoodCheckIn(
            context=self.context, store=store, code=code, follow_up=self.plan.due_now, today=today
        )
        self.check_in.on_saved(self._checked_in)
        self.chart = MoodChart(
            saved_check_ins(store, code),
            session_days=session_days(store, code),
            screening=screening,
            context=self.context,
        )
        self.plan.start_button.on_click(lambda _b: self.check_in.set_follow_up(self.plan.due_now))
        self.note = w.HTML()
        self.summary = w.HTML(self._summary_html())
        self.children = [
            CardStyles(),
            w.HTML(f"<p>{plain(t('follow_up.progress.intro'))}</p>"),
            self.plan,
            self.check_in,
            self.note,
            self.chart,
            self.summary,
        ]

    def _checked_in(self, _record: dict[str, Any]) -> None:
        point = record_check_in(self.store, self.code, self.today())
        if point:
            words = self.context.t(
                "follow_up.plan.recorded", point=self.context.t(f"follow_up.points.{point}")
            )
            self.note.value = f'<p class="within-note" role="status">{plain(words)}</p>'
        self.plan.refresh()
        self.check_in.set_follow_up(self.plan.due_now)
        self.chart.session_days = [d.isoformat() for d in session_days(self.store, self.code)]
        self.chart.check_ins = saved_check_ins(self.store, self.code)

    def _summary_html(self) -> str:
        from widgets.exercises.goal_card import saved_check_ins as goal_check_ins
        from widgets.exercises.goal_card import saved_goals
        from widgets.exercises.values_cards import latest_sort, value_cards

        t = self.context.t
        names = {card.id: card.name for card in value_cards(self.context.lang)}
        sort = latest_sort(self.store, self.code)
        top = [names[c] for c in sort.get("top", []) if c in names]
        parts = [f"<h3>{plain(t('follow_up.progress.values_heading'))}</h3>"]
        parts.append(
            f"<p>{plain(', '.join(top) if top else t('follow_up.progress.no_values'))}</p>"
        )
        if sort.get("direction"):
            parts.append(
                f"<h3>{plain(t('follow_up.progress.direction_heading'))}</h3><p>{plain(str(sort['direction']))}</p>"
            )
        parts.append(f"<h3>{plain(t('follow_up.progress.goals_heading'))}</h3>")
        goals = saved_goals(self.store, self.code)
        if not any(g.get("goal") for g in goals.values()):
            parts.append(f"<p>{plain(t('follow_up.progress.no_goals'))}</p>")
        for goal_id, goal in goals.items():
            if not goal.get("goal"):
                continue
            checks = goal_check_ins(self.store, self.code, goal_id)
            rows = "".join(
                "<li>"
                + plain(
                    t(
                        "goals.check_in.history_row",
                        date=c.get("on", ""),
                        status=t(f"goals.status.{c['status']}"),
                    )
                )
                + "</li>"
                for c in checks
            )
            parts.append(
                f"<p><strong>{plain(str(goal['goal']))}</strong><br>{plain(t('goals.card.step_label'))}: "
                f"{plain(str(goal.get('step', '')))}</p>"
                + (f'<ul class="within-history">{rows}</ul>' if rows else "")
            )
        return "".join(parts)


def my_progress(page: Any, code: str) -> MyProgress:
    """The ``my-progress`` app, for ``AppPage("my-progress", my_progress)``, with the person's
    own complete Thai Internalised Stigma Scale totals for the before / after chart."""
    own = page.store.submissions(code=code, instrument_id=SCREENING_INSTRUMENT) if code else []
    screening = [(s.submitted_on, s.total) for s in own if s.total is not None]
    return MyProgress(page.store, code, context=page.context, screening=screening)
