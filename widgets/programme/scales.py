"""Balancing the Scales as a workshop: an opening, then one module per level of INPUD's theory of change.

SELF -> RELATIONSHIP -> LEADERSHIP -> ORGANISATION -> COMMUNITY. Each module is a guided flow
(``content/<lang>/flows/scales-<level>.yaml``) on :class:`~widgets.programme.GuidedModule`, so it
saves the person's place, resumes, asks "How are you doing?" where the flow says so and grounds
them when they stop. Its exercises are declared in ``content/<lang>/scales.yaml``: each one is a
:class:`~widgets.exercises.reflection.Reflection` on the step it names, so a new exercise is new words, not
new code. The step ``level`` of every module shows where it sits among the five levels, with the
level's standing prompt (:class:`~widgets.programme.ladder.LadderReflection`, saved under app ``ladder`` as
before). Answers are saved under the module's app id; projected, nothing is typed or saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from widgets.core.content import DEFAULT_LANGUAGE, library
from widgets.core.context import PageContext
from widgets.exercises.navigator import StepNavigator
from widgets.exercises.one_per_slide import OnePerSlide
from widgets.programme import GuidedModule, Kit
from widgets.programme.ladder import LEVELS, LadderReflection

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage
    from widgets.store import Store

OPENING = "balancing-the-scales"
LEVEL_MODULES: dict[str, str] = {level: f"scales-{level}" for level in LEVELS}
MODULES: tuple[str, ...] = (OPENING, *LEVEL_MODULES.values())
GUIDE = "scales-guide"
WORDS = "scales"


def exercises(app: str) -> dict[str, list[str]]:
    """The exercise keys of module ``app``, grouped by the step that shows them, in content order."""
    section = library().strings(DEFAULT_LANGUAGE, WORDS).get(app.replace("-", "_"), {})
    by_step: dict[str, list[str]] = {}
    for key, spec in section.items():
        by_step.setdefault(str(spec.get("step", key)), []).append(key)
    return by_step


def level_of(app: str) -> str | None:
    """The level a module works on (``"self"`` for ``scales-self``); None for the opening."""
    return next((level for level, module in LEVEL_MODULES.items() if module == app), None)


def step_widgets(kit: Kit) -> dict[str, w.Widget]:
    """The module's reflections by step (several on one step stacked, projected one per slide)
    and its level card."""
    section = library().strings(DEFAULT_LANGUAGE, WORDS).get(kit.app.replace("-", "_"), {})
    widgets: dict[str, w.Widget] = {}
    for step_id, keys in exercises(kit.app).items():
        parts = [kit.reflection(key, options="options" in section[key]) for key in keys]
        widgets[step_id] = parts[0] if len(parts) == 1 else OnePerSlide(parts, context=kit.context)
    level = level_of(kit.app)
    if level is not None:
        widgets["level"] = LadderReflection(
            level, context=kit.context, store=kit.store, code=kit.code
        )
    return widgets


def module(
    app: str = OPENING,
    context: PageContext | None = None,
    store: Store | None = None,
    code: str = "",
) -> GuidedModule:
    """One module of the workshop, usable alone in JupyterLab: ``module("scales-self")``."""
    if app not in MODULES:
        raise ValueError(f"app must be one of {MODULES}, not {app!r}")
    return GuidedModule(
        app, step_widgets, context=context, store=store, code=code, words_file=WORDS
    )


def build(page: AppPage, code: str) -> GuidedModule:
    """The page of any module: the one named by the page's app id (``page("scales-self")``)."""
    return module(page.app_id, page.context, page.store, code)


def guide(page: AppPage, _code: str) -> StepNavigator:
    """The ``scales-guide`` page: the facilitator's guide, nothing saved."""
    return StepNavigator(GUIDE, context=page.context)
