"""Preparation phase: stigma and discrimination, power, and the four lenses on a story."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from widgets.core.context import PageContext
from widgets.programme import GuidedModule, Kit

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage
    from widgets.store import Store

APP = "preparation"
LENSES = ("diversity", "gender", "intersectionality", "rights")


def step_widgets(kit: Kit) -> dict[str, w.Widget]:
    """Where stigma was met, power within, and one reflection per lens on the story."""
    widgets: dict[str, w.Widget] = {
        "impacts": kit.reflection("met", options=True),
        "power": kit.reflection("power"),
    }
    for lens in LENSES:
        widgets[f"lens-{lens}"] = kit.reflection(f"lens_{lens}", options=True)
    return widgets


def module(context: PageContext | None = None, store: Store | None = None, code: str = "") -> GuidedModule:
    """The preparation phase, usable alone in JupyterLab (nothing saved without store and code)."""
    return GuidedModule(APP, step_widgets, context=context, store=store, code=code)


def build(page: AppPage, code: str) -> GuidedModule:
    """``AppPage("preparation", build)``."""
    return module(page.context, page.store, code)
