"""Activity 5, life direction and goals: the guided flow with the values and goal cards.

Composes :class:`~widgets.exercises.values_cards.ValuesCardSort`, :class:`~widgets.exercises.goal_card.GoalCard`
and :class:`~widgets.exercises.take_home.TakeHomeCard` on the steps of ``flows/activity-5.yaml``.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from widgets.controls.card_styles import CardStyles
from widgets.exercises.goal_card import GoalCard
from widgets.exercises.navigator import StepNavigator
from widgets.exercises.values_cards import ValuesCardSort

FLOW = "activity-5"


class LifeDirection(w.VBox):
    """The whole of activity 5; every card autosaves and the flow resumes where it stopped.

    Parameters
    ----------
    context, store, code:
        As for :class:`~widgets.exercises.navigator.StepNavigator`; projected, only prompts are shown.
    """

    def __init__(
        self, *, context: Any = None, store: Any = None, code: str = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        from widgets.core.context import PageContext

        self.context = context or PageContext()
        self.values = ValuesCardSort(
            context=self.context, store=store, code=code, show_direction=False
        )
        self.goal = GoalCard(context=self.context, store=store, code=code, values=self.values.top)
        steps: dict[str, w.Widget] = {"values": self.values, "goal": self.goal}
        if not self.context.projector:
            self.values.observe(lambda change: self.goal.offer_values(change["new"]), names="top")
            steps["direction"] = self.values.direction_box
            steps["goal"] = self.goal.card_box
            steps["check-in"] = self.goal.check_in_box
            from widgets.exercises.take_home import TakeHomeCard

            self.take_home = TakeHomeCard(
                store=store, code=code, context=self.context, draw_now=False
            )
            steps["take-home"] = self.take_home
        self.navigator = StepNavigator(
            FLOW, context=self.context, store=store, code=code, step_widgets=steps
        )
        if not self.context.projector:
            self.navigator.on_step(self._step_shown)
            self._step_shown(self.navigator.step)  # resumed on the card's step
        self.children = [CardStyles(), self.navigator]

    def _step_shown(self, step: Any) -> None:
        if step.id == "take-home" and not self.navigator.finished:
            self.take_home.refresh()


def activity_5(page: Any, code: str) -> LifeDirection:
    """The ``activity-5`` app, for ``AppPage("activity-5", activity_5)``."""
    return LifeDirection(context=page.context, store=page.store, code=code)
