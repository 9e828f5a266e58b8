"""Checking in midway ("How are you doing right now?") and a minute of grounding.

Activities that touch painful material pause to ask, offer a short grounding
exercise, and point to the page's "Get help now" whenever the person wants to stop.
On a shared screen the question is asked of the room, with no answer collected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.choice_list import ChoiceList
from widgets.controls.help_button import HelpButton
from widgets.core.context import PageContext
from widgets.core.markup import markdown, plain
from widgets.exercises.kind_errors import kindly

if TYPE_CHECKING:
    from widgets.exercises.navigator import StepNavigator
    from widgets.store import Store

FEELINGS = ("okay", "heavy", "stop")


class Grounding(w.VBox):
    """A short grounding exercise and the way to help (content ``check_in.grounding``).

    Parameters
    ----------
    context:
        Language and mode; on a shared screen there is no help button (the help
        dialog is for one's own device).
    """

    def __init__(self, context: PageContext | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        t = self.context.t
        self.add_class("within-grounding")
        parts: list[w.Widget] = [
            w.HTML(
                f'<div class="within-note"><h3>{plain(t("check_in.grounding.heading"))}</h3>'
                f"{markdown(t('check_in.grounding.body'))}</div>"
            )
        ]
        if not self.context.projector:
            parts.append(w.HTML(f"<p>{plain(t('check_in.help_text'))}</p>"))
            parts.append(HelpButton(label=t("check_in.help_button")))
        self.children = parts


class CheckIn(w.VBox):
    """"How are you doing right now?" with three answers and a kind reply to each.

    Parameters
    ----------
    context:
        Language and mode.
    store, code, app:
        Where the answer is kept (key ``"check-in"``); nothing is saved without them.
    on_stop:
        Called when the person says they would like to stop (e.g. ``navigator.pause``).

    Attributes
    ----------
    feeling:
        ``"okay"``, ``"heavy"``, ``"stop"``, or "" before an answer.
    """

    feeling = traitlets.Unicode("", help="The person's answer: okay, heavy or stop")

    def __init__(
        self,
        *,
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        app: str = "check-in",
        on_stop: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        t = self.context.t
        self.store = None if self.context.projector else store
        self.code = "" if self.context.projector else code
        self.app = app
        self._on_stop = on_stop
        self.add_class("within-check-in")
        self.grounding = Grounding(self.context)
        self.reply = w.HTML()
        if self.context.projector:
            self.choices = None
            self.children = [w.HTML(f"<p>{plain(t('check_in.projector'))}</p>"), self.grounding]
            return
        options = {feeling: t(f"check_in.options.{feeling}") for feeling in FEELINGS}
        self.choices = ChoiceList(t("check_in.legend"), options, multiple=False, hint=t("check_in.hint"))
        self.choices.observe(kindly(self.context.lang, self._say)(self._answered), names="value")
        self.grounding.layout.display = "none"
        self.children = [self.choices, self.reply, self.grounding]

    def answer(self, feeling: str) -> None:
        """Answer as the person would by choosing ``feeling``."""
        if self.choices is not None:
            self.choices.value = [feeling]

    def _answered(self, change: dict[str, Any]) -> None:
        chosen = change["new"]
        if not chosen:
            return
        feeling = chosen[0]
        self.feeling = feeling
        self._say(self.context.t(f"check_in.replies.{feeling}"))
        self.grounding.layout.display = None if feeling in ("heavy", "stop") else "none"
        if self.store is not None and self.code:
            self.store.add_entry(self.code, self.app, "check-in", {"feeling": feeling})
        if feeling == "stop" and self._on_stop is not None:
            self._on_stop()

    def _say(self, message: str) -> None:
        self.reply.value = f'<p class="within-note" role="status">{plain(message)}</p>'


def ground_when_paused(navigator: StepNavigator) -> Grounding:
    """A :class:`Grounding` shown under ``navigator`` whenever the person stops for now.

    Returns the grounding widget; put it in the page after the navigator.
    """
    grounding = Grounding(navigator.context)

    def show(_change: Any = None) -> None:
        grounding.layout.display = None if navigator.paused else "none"

    navigator.observe(show, names="paused")
    show()
    return grounding
