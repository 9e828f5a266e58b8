"""Activity 2, looking in: what others said, what I tell myself, where it came from, what helps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import ipywidgets as w

from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.reflection import Reflection
from widgets.exercises.self_talk import self_talk
from widgets.programme import GuidedModule, Kit
from widgets.programme.suggest import suggest_activity

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage
    from widgets.store import Store

APP = "activity-2"


def _messages(kit: Kit, key: str) -> Reflection:
    return Reflection(
        kit.t(f"{key}.prompt"),
        app=kit.app,
        key=key,
        context=kit.context,
        store=kit.store,
        code=kit.code,
        options=self_talk(kit.context.lang).messages,
        legend=kit.t(f"{key}.legend"),
    )


def step_widgets(kit: Kit, screening_answers: Mapping[str, object] | None = None) -> dict[str, w.Widget]:
    """Messages heard and told to oneself, their sources, inner resources, a next step."""
    widgets: dict[str, w.Widget] = {
        "heard": _messages(kit, "heard"),
        "inside": _messages(kit, "inside"),
        "sources": kit.reflection("sources", options=True),
        "resources": kit.reflection("resources", options=True),
    }
    suggestion = suggest_activity(screening_answers) if screening_answers and not kit.context.projector else None
    if suggestion:
        words = kit.t("next.suggestion", activity=kit.context.t(f"apps.{suggestion}.title"))
        widgets["next"] = w.HTML(f'<p class="within-note">{plain(words)}</p>')
    return widgets


def module(
    context: PageContext | None = None,
    store: Store | None = None,
    code: str = "",
    screening_answers: Mapping[str, object] | None = None,
) -> GuidedModule:
    """Activity 2, usable alone in JupyterLab.

    Parameters
    ----------
    screening_answers:
        The person's own Thai Internalised Stigma Scale answers (``{"item_1": 0-3, ...}``),
        when the page has them: the last step then suggests, privately, which later
        activity may fit (see :func:`widgets.programme.suggest.suggest_activity`).
    """
    return GuidedModule(
        APP, lambda kit: step_widgets(kit, screening_answers), context=context, store=store, code=code
    )


def build(page: AppPage, code: str) -> GuidedModule:
    """``AppPage("activity-2", build)``: the suggestion uses the person's latest own answers
    to the Thai Internalised Stigma Scale, when they have any (never on a projector)."""
    answers = None
    if page.store is not None and code:
        mine = page.store.submissions(code=code, instrument_id="thai-internalised-stigma")
        answers = mine[-1].answers if mine else None
    return module(page.context, page.store, code, screening_answers=answers)
