"""Activity 3: creating distance from self-stigma (the defusion exercise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from widgets.core.context import PageContext
from widgets.exercises.defusion import DefusionExercise
from widgets.programme import GuidedModule, Kit

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage
    from widgets.store import Store

APP = "activity-3"


def step_widgets(kit: Kit) -> dict[str, w.Widget]:
    """The defusion exercise, and a technique to carry into the week."""
    return {
        "practice": DefusionExercise(context=kit.context, store=kit.store, code=kit.code, app=kit.app),
        "everyday": kit.reflection("plan", options=True, multiple=False),
    }


def module(context: PageContext | None = None, store: Store | None = None, code: str = "") -> GuidedModule:
    """Activity 3, usable alone in JupyterLab."""
    return GuidedModule(APP, step_widgets, context=context, store=store, code=code)


def build(page: AppPage, code: str) -> GuidedModule:
    """``AppPage("activity-3", build)``."""
    return module(page.context, page.store, code)
