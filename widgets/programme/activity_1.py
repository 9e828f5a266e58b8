"""Activity 1: desires and what happens in the brain and body (the urge wave)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from widgets.core.context import PageContext
from widgets.exercises.one_per_slide import OnePerSlide
from widgets.programme import GuidedModule, Kit

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage
    from widgets.store import Store

APP = "activity-1"


def step_widgets(kit: Kit) -> dict[str, w.Widget]:
    """The urge wave, where a desire is felt, what starts one, what helps ride it, and
    safer-use tips for whoever chooses to use."""
    from widgets.exercises.safer_use import SaferUseTips
    from widgets.exercises.urge_wave import UrgeWave  # matplotlib: only on this page

    return {
        "wave": UrgeWave(context=kit.context),
        "body": kit.reflection("body", options=True),
        "triggers": kit.reflection("triggers", options=True),
        "riding": OnePerSlide([kit.reflection("helps"), SaferUseTips(context=kit.context)], context=kit.context),
    }


def module(context: PageContext | None = None, store: Store | None = None, code: str = "") -> GuidedModule:
    """Activity 1, usable alone in JupyterLab."""
    return GuidedModule(APP, step_widgets, context=context, store=store, code=code)


def build(page: AppPage, code: str) -> GuidedModule:
    """``AppPage("activity-1", build)``."""
    return module(page.context, page.store, code)
