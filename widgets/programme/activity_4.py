"""Activity 4: mindfulness and noticing thoughts change (the timer and a noticing log)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from widgets.core.context import PageContext
from widgets.exercises.mindfulness import MindfulnessTimer
from widgets.programme import GuidedModule, Kit

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage
    from widgets.store import Store

APP = "activity-4"


def step_widgets(kit: Kit) -> dict[str, w.Widget]:
    """The timer (each practice saved when it ends or is stopped) and what was noticed."""
    timer = MindfulnessTimer(context=kit.context)

    def keep(state: str, elapsed: int) -> None:
        if kit.store is not None and kit.code:
            practice = {"minutes": timer.minutes, "seconds": elapsed, "completed": state == "done"}
            kit.store.add_entry(kit.code, kit.app, "practice", practice)

    timer.on_end(keep)
    return {"practice": timer, "notice": kit.reflection("noticed", options=True)}


def module(context: PageContext | None = None, store: Store | None = None, code: str = "") -> GuidedModule:
    """Activity 4, usable alone in JupyterLab."""
    return GuidedModule(APP, step_widgets, context=context, store=store, code=code)


def build(page: AppPage, code: str) -> GuidedModule:
    """``AppPage("activity-4", build)``."""
    return module(page.context, page.store, code)
