"""One builder per registered app: what the page frame shows once it is ready.

``BUILDERS[app_id]()`` imports what the app needs and returns ``build(page, code)``. The
imports run when the notebook starts, before a preheated kernel waits for its visit, so
the visit pays only for building widgets. What differs between apps otherwise (personal
or not, projector modes) lives in ``content/apps.yaml``, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ipywidgets as w

    from widgets.apps.app_page import AppPage
    from widgets.core.context import PageContext
    from widgets.exercises.navigator import StepNavigator

Build = Callable[["AppPage", str], "w.Widget"]


def _flow(flow: str) -> Build:
    from widgets.exercises.navigator import StepNavigator

    return lambda page, code: StepNavigator(flow, context=page.context, store=page.store, code=code)


def _welcome() -> Build:
    return _flow("welcome")


def _self_check() -> Build:
    from widgets.exercises.scale_form import ScaleForm

    return lambda page, code: ScaleForm(context=page.context, store=page.store, code=code, setting="self")


def _preparation() -> Build:
    from widgets.programme import preparation

    return preparation.build


def _activity_1() -> Build:
    from widgets.programme import activity_1

    return activity_1.build


def _activity_2() -> Build:
    from widgets.programme import activity_2

    return activity_2.build


def _activity_3() -> Build:
    from widgets.programme import activity_3

    return activity_3.build


def _activity_4() -> Build:
    from widgets.programme import activity_4

    return activity_4.build


def _activity_5() -> Build:
    from widgets.programme.life_direction import activity_5

    return activity_5


def _scales_module() -> Build:
    from widgets.programme import scales

    return scales.build


def _scales_guide() -> Build:
    from widgets.programme import scales

    return scales.guide


def _my_progress() -> Build:
    from widgets.apps.my_progress import my_progress

    return my_progress


def _my_data() -> Build:
    from widgets.exercises.my_data import MyData

    return lambda page, code: MyData(page.store, code, context=page.context, code_panel=page.code_panel)


def _screening() -> Build:
    from widgets.facilitation.screening import ScreeningSession
    from widgets.research.export import export_submissions

    return lambda page, _code: ScreeningSession(page.store, context=page.context, exporter=export_submissions)


def _follow_up() -> Build:
    from widgets.facilitation.follow_up import FollowUpList

    return lambda page, _code: FollowUpList(page.store, context=page.context)


def _group_room() -> Build:
    from widgets.rooms.group_room import build

    return build


def _presenter() -> Build:
    from widgets.apps.presenter_room import build

    return lambda page, code: build(page, code, navigator_for=projected_navigator)


def _run_sheets() -> Build:
    from widgets.facilitation.run_sheet import build

    return build


def _staff_training() -> Build:
    from widgets.facilitation.staff_training import build

    return build


def _analysis() -> Build:
    from widgets.research.analysis.example import load_or_example
    from widgets.research.analysis.report import AnalysisReport

    return lambda page, _code: AnalysisReport(load_or_example(page.store), context=page.context)


BUILDERS: dict[str, Callable[[], Build]] = {
    "welcome": _welcome,
    "self-check": _self_check,
    "preparation": _preparation,
    "activity-1": _activity_1,
    "activity-2": _activity_2,
    "activity-3": _activity_3,
    "activity-4": _activity_4,
    "activity-5": _activity_5,
    "balancing-the-scales": _scales_module,
    "scales-self": _scales_module,  # every module of the workshop is built by its app id
    "scales-relationship": _scales_module,
    "scales-leadership": _scales_module,
    "scales-organisation": _scales_module,
    "scales-community": _scales_module,
    "scales-guide": _scales_guide,
    "my-progress": _my_progress,
    "my-data": _my_data,
    "screening": _screening,
    "follow-up": _follow_up,
    "group-room": _group_room,
    "presenter": _presenter,
    "run-sheets": _run_sheets,
    "staff-training": _staff_training,
    "analysis": _analysis,
}


def projected_navigator(module: str, context: PageContext) -> StepNavigator:
    """The step navigator of ``module`` as the wall shows it, its activities built.

    A projected slide count depends on the module's activities (a reflection takes a slide
    for its prompt and slides for its choices: :class:`~widgets.exercises.navigator.SlideParts`),
    so the presenter's screen, which has no page of its own for the module, builds what the
    wall shows to count the same slides. Nothing is saved: projected, there is no store.
    """
    from types import SimpleNamespace

    from widgets.core.context import PageContext
    from widgets.exercises.navigator import StepNavigator

    projected = PageContext(lang=context.lang, mode="projector")
    page = SimpleNamespace(app_id=module, context=projected, store=None)  # what a build reads
    activity = BUILDERS[module]()(page, "")  # type: ignore[arg-type]
    navigator = activity if isinstance(activity, StepNavigator) else getattr(activity, "navigator", None)
    if not isinstance(navigator, StepNavigator):
        raise TypeError(f"'{module}' is not a guided flow")
    return navigator
