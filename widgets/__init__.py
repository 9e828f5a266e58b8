"""Within: reusable ipywidget components for self-help and group exercises.

The front door for researchers and adapters::

    from widgets import ScaleForm, StepNavigator, PageContext, Store

Names load lazily (PEP 562): ``import widgets`` alone imports neither ipywidgets, pandas,
matplotlib nor SQLAlchemy, so the first screen of every app appears quickly. The package
is built in layers, each importing only the ones below it (``docs/architecture.md``):
core -> store, controls -> exercises -> programme, facilitation, rooms, research -> apps
-> server -> commands, cli.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_PUBLIC: dict[str, str] = {
    # core: words, context, instruments, scoring, codes
    "PageContext": "widgets.core.context",
    "library": "widgets.core.content",
    "text": "widgets.core.content",
    "ContentError": "widgets.core.content",
    "instrument": "widgets.core.instrument",
    "score": "widgets.core.scoring",
    "new_code": "widgets.core.codes",
    "normalise": "widgets.core.codes",
    "CodeError": "widgets.core.codes",
    # store
    "Store": "widgets.store",
    "StoreError": "widgets.store",
    # controls
    "LikertGroup": "widgets.controls.likert",
    "RangeInput": "widgets.controls.range_input",
    "ChoiceList": "widgets.controls.choice_list",
    "ThoughtDisplay": "widgets.controls.thought_display",
    "SegmentTimer": "widgets.controls.segment_timer",
    "Handout": "widgets.controls.handout",
    "KeyNav": "widgets.controls.key_nav",
    # exercises
    "ScaleForm": "widgets.exercises.scale_form",
    "StepNavigator": "widgets.exercises.navigator",
    "DefusionExercise": "widgets.exercises.defusion",
    "MindfulnessTimer": "widgets.exercises.mindfulness",
    "ValuesCardSort": "widgets.exercises.values_cards",
    "GoalCard": "widgets.exercises.goal_card",
    "MoodCheckIn": "widgets.exercises.mood",
    "MoodChart": "widgets.exercises.mood_chart",
    "UrgeWave": "widgets.exercises.urge_wave",
    "Reflection": "widgets.exercises.reflection",
    "CheckIn": "widgets.exercises.check_in",
    "SelfTalk": "widgets.exercises.self_talk",
    "TakeHomeCard": "widgets.exercises.take_home",
    "ParticipantCodePanel": "widgets.exercises.participant_code",
    "MyData": "widgets.exercises.my_data",
    "RiskCheck": "widgets.exercises.risk_check",
    "SafetyQuestion": "widgets.exercises.risk_check",
    "SaferUseTips": "widgets.exercises.safer_use",
    # programme
    "LadderReflection": "widgets.programme.ladder",
    "LifeDirection": "widgets.programme.life_direction",
    # facilitation
    "ScreeningSession": "widgets.facilitation.screening",
    "FollowUpPlan": "widgets.facilitation.follow_up",
    "FollowUpList": "widgets.facilitation.follow_up",
    "RunSheet": "widgets.facilitation.run_sheet",
    "Presenter": "widgets.facilitation.presenter",
    "PracticeCases": "widgets.facilitation.staff_training",
    # rooms
    "Rooms": "widgets.rooms.model",
    "GroupRoom": "widgets.rooms.group_room",
    # research
    "load": "widgets.research.analysis.data",
    "load_or_example": "widgets.research.analysis.example",
    "example_dataset": "widgets.research.analysis.example",
    "baseline_end": "widgets.research.analysis.cohort",
    "funnel": "widgets.research.analysis.cohort",
    "compare": "widgets.research.analysis.prepost",
    "cronbach_alpha": "widgets.research.analysis.items",
    "item_statistics": "widgets.research.analysis.items",
    "monthly_summary": "widgets.research.analysis.checkins",
    "community_brief": "widgets.research.analysis.brief",
    "export_submissions": "widgets.research.export",
    # apps
    "page": "widgets.apps",
    "AppPage": "widgets.apps.app_page",
    "Home": "widgets.apps.home",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # for type checkers and editors: the same names, eagerly
    from widgets.apps import page
    from widgets.apps.app_page import AppPage
    from widgets.apps.home import Home
    from widgets.controls.choice_list import ChoiceList
    from widgets.controls.handout import Handout
    from widgets.controls.key_nav import KeyNav
    from widgets.controls.likert import LikertGroup
    from widgets.controls.range_input import RangeInput
    from widgets.controls.segment_timer import SegmentTimer
    from widgets.controls.thought_display import ThoughtDisplay
    from widgets.core.codes import CodeError, new_code, normalise
    from widgets.core.content import ContentError, library, text
    from widgets.core.context import PageContext
    from widgets.core.instrument import instrument
    from widgets.core.scoring import score
    from widgets.exercises.check_in import CheckIn
    from widgets.exercises.defusion import DefusionExercise
    from widgets.exercises.goal_card import GoalCard
    from widgets.exercises.mindfulness import MindfulnessTimer
    from widgets.exercises.mood import MoodCheckIn
    from widgets.exercises.mood_chart import MoodChart
    from widgets.exercises.my_data import MyData
    from widgets.exercises.navigator import StepNavigator
    from widgets.exercises.participant_code import ParticipantCodePanel
    from widgets.exercises.reflection import Reflection
    from widgets.exercises.risk_check import RiskCheck, SafetyQuestion
    from widgets.exercises.safer_use import SaferUseTips
    from widgets.exercises.scale_form import ScaleForm
    from widgets.exercises.self_talk import SelfTalk
    from widgets.exercises.take_home import TakeHomeCard
    from widgets.exercises.urge_wave import UrgeWave
    from widgets.exercises.values_cards import ValuesCardSort
    from widgets.facilitation.follow_up import FollowUpList, FollowUpPlan
    from widgets.facilitation.presenter import Presenter
    from widgets.facilitation.run_sheet import RunSheet
    from widgets.facilitation.screening import ScreeningSession
    from widgets.facilitation.staff_training import PracticeCases
    from widgets.programme.ladder import LadderReflection
    from widgets.programme.life_direction import LifeDirection
    from widgets.research.analysis.brief import community_brief
    from widgets.research.analysis.checkins import monthly_summary
    from widgets.research.analysis.cohort import baseline_end, funnel
    from widgets.research.analysis.data import load
    from widgets.research.analysis.example import example_dataset, load_or_example
    from widgets.research.analysis.items import cronbach_alpha, item_statistics
    from widgets.research.analysis.prepost import compare
    from widgets.rooms.group_room import GroupRoom
    from widgets.rooms.model import Rooms
    from widgets.store import Store, StoreError
