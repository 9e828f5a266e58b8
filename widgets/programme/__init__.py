"""The programme as guided apps: the preparation phase and Activities 1-4 (Balancing the Scales
in :mod:`widgets.programme.scales`).

Each module is one flow of steps from ``content/<lang>/flows/<id>.yaml`` on the step
navigator, with the exercise widgets of its steps. A module is built the same way
in Voilà (``AppPage("activity-3", activity_3.build)``) and in JupyterLab
(``activity_3.module(PageContext("th"))``). Steps marked ``check_in: true`` in the
flow ask "How are you doing right now?"; whenever the person stops for now, a short
grounding exercise and the way to help are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.core.content import library
from widgets.core.context import PageContext
from widgets.exercises.check_in import CheckIn, ground_when_paused
from widgets.exercises.navigator import StepNavigator
from widgets.exercises.reflection import Reflection

if TYPE_CHECKING:
    from widgets.store import Store

MODULES = ("preparation", "activity-1", "activity-2", "activity-3", "activity-4")


@dataclass
class Kit:
    """What a module's step widgets share: the visit, where answers go, and the words.

    ``app`` is the module id: answers are saved as ``store.add_entry(code, app, key, ...)``.
    ``file`` is the word file holding the module's section (``programme`` by default).
    """

    app: str
    context: PageContext
    store: Store | None
    code: str
    file: str = "programme"

    @property
    def words(self) -> str:
        """The module's section in ``content/<lang>/<file>.yaml``."""
        return f"{self.file}." + self.app.replace("-", "_")

    def t(self, key: str, **fields: Any) -> str:
        """Words of this module: ``t("sources.legend")``."""
        return self.context.t(f"{self.words}.{key}", **fields)

    def options(self, key: str) -> dict[str, str]:
        """A mapping of option ids to words under ``key`` (English ids, any language)."""
        english = library().strings("en", self.file)
        node: Any = english
        for part in f"{self.words}.{key}".split(".")[1:]:
            node = node[part]
        return {option: self.t(f"{key}.{option}") for option in node}

    def reflection(self, key: str, *, options: bool = False, multiple: bool = True, text: bool = True) -> Reflection:
        """A :class:`Reflection` whose words are under ``<key>`` in the module's section.

        ``<key>.prompt`` is the question; with ``options``, ``<key>.legend`` and
        ``<key>.options.*`` are the choices; answers are saved under entry key ``key``.
        """
        return Reflection(
            self.t(f"{key}.prompt"),
            app=self.app,
            key=key,
            context=self.context,
            store=self.store,
            code=self.code,
            options=self.options(f"{key}.options") if options else None,
            legend=self.t(f"{key}.legend") if options else "",
            multiple=multiple,
            text_label=None if text else "",
        )


class GuidedModule(w.VBox):
    """A module: its step navigator, its step widgets and the grounding shown on pausing.

    Parameters
    ----------
    app:
        The module id (also its flow id and the app its answers are saved under).
    step_widgets:
        ``step_widgets(kit) -> {step_id: widget}`` for the module's exercise steps.
    context, store, code:
        The visit and where answers go (nothing is saved when projected).
    words_file:
        The word file of the module's exercises (``programme`` by default).
    """

    def __init__(
        self,
        app: str,
        step_widgets: Callable[[Kit], Mapping[str, w.Widget]],
        *,
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        words_file: str = "programme",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        context = context or PageContext()
        projected = context.projector
        self.kit = Kit(app, context, None if projected else store, "" if projected else code, words_file)
        self.widgets: dict[str, w.Widget] = dict(step_widgets(self.kit))
        flow = library().flow(context.lang, app)
        for step in flow.steps:
            if step.check_in and step.id not in self.widgets:
                self.widgets[step.id] = CheckIn(
                    context=context, store=self.kit.store, code=self.kit.code, app=app, on_stop=self._stop
                )
        self.navigator = StepNavigator(
            app, context=context, store=self.kit.store, code=self.kit.code, step_widgets=self.widgets
        )
        self.grounding = ground_when_paused(self.navigator)
        self.add_class("within-module")
        self.children = [self.navigator, self.grounding]

    def _stop(self) -> None:
        if self.kit.store is not None and self.kit.code:
            self.navigator.pause()
