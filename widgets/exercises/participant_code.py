"""Choosing, showing once and remembering a participant's pseudonymous code.

No name is ever asked. A new code is shown once, with a plain suggestion to note it
down, since a lost code cannot be recovered. On their own device a person can let
the browser remember it, so they resume without retyping.

A typed (or remembered) code opens answers only if it is held here: its check character is
checked first, a well-formed code that is not held here writes nothing and gets a kind word
(it may come from another centre or a paper form), and :class:`widgets.exercises.code_guard.CodeGuard`
slows down a page or a client that tries many.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.device_memory import DeviceMemory
from widgets.core.codes import CodeError, new_code, normalise
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.code_guard import CodeGuard
from widgets.exercises.kind_errors import kindly

if TYPE_CHECKING:
    from widgets.store import Store


class ParticipantCodePanel(w.VBox):
    """Lets a person make a new code or enter theirs, and keeps it on their device.

    Parameters
    ----------
    context:
        Language and mode; on a projector no code is ever asked for.
    store:
        Where the participant is registered once a code is confirmed (optional).
    memory:
        The browser-side memory of the code; one is made when not given.

    Attributes
    ----------
    code:
        The confirmed code, or "" until the person has one.
    """

    code = traitlets.Unicode("", help="The confirmed participant code")

    def __init__(
        self,
        context: PageContext | None = None,
        *,
        store: Store | None = None,
        memory: DeviceMemory | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.store = store
        self.add_class("within-code-panel")
        t = self.context.t
        if self.context.projector:
            self.memory = None
            self.state = "projector"
            self.children = [w.HTML(f'<p class="within-quiet">{plain(t("common.code.not_needed_projector"))}</p>')]
            return
        self.memory = memory or DeviceMemory()
        self.guard = CodeGuard(store)
        safe = kindly(self.context.lang, self._show_problem)

        self.heading = w.HTML(
            f"<h2>{plain(t('common.code.heading'))}</h2><p>{plain(t('common.code.why'))}</p>"
            f'<p class="within-quiet">{plain(t("common.code.random"))}</p>'
        )
        self.message = w.HTML()
        self.consent_note = w.HTML(f'<p class="within-quiet">{plain(t("common.code.consent"))}</p>')
        self.new_button = w.Button(description=t("common.code.new"), button_style="primary")
        self.have_button = w.Button(description=t("common.code.have_one"))
        self.entry = w.Text(description=t("common.code.label"), placeholder=t("common.code.placeholder"))
        self.entry.add_class("within-code-entry")
        self.use_button = w.Button(description=t("common.code.use"), button_style="primary")
        self.shown = w.HTML()
        self.remember = w.Checkbox(value=False, description=t("common.code.remember"), indent=False)
        self.noted_button = w.Button(description=t("common.code.noted"), button_style="primary")
        self.switch_button = w.Button(description=t("common.code.switch"))
        self.forget_button = w.Button(description=t("common.code.forget"))

        self.new_button.on_click(safe(lambda _b: self.make_new()))
        self.have_button.on_click(safe(lambda _b: self._show("enter")))
        self.use_button.on_click(safe(lambda _b: self.enter(self.entry.value)))
        self.noted_button.on_click(safe(lambda _b: self.confirm(self._pending, remember=self.remember.value)))
        self.switch_button.on_click(safe(lambda _b: self._show("choose")))
        self.forget_button.on_click(safe(lambda _b: self.forget()))
        self.memory.observe(safe(self._memory_loaded), names="loaded")

        self._pending = ""
        self._show("choose")

    # -- actions ----------------------------------------------------------------------

    def make_new(self) -> str:
        """Draw a new code and show it once, asking the person to note it down."""
        t = self.context.t
        self._pending = new_code()
        self.shown.value = (
            f"<p>{plain(t('common.code.shown_once'))}</p>"
            f'<p class="within-code" aria-label="{plain(" ".join(self._pending))}">{plain(self._pending)}</p>'
            f"<p>{plain(t('common.code.note_it'))}</p>"
        )
        self._show("shown")
        return self._pending

    def enter(self, typed: str) -> bool:
        """Use a code the person typed, if it is held here; a mistake gets a kind, specific
        message and nothing is written."""
        try:
            code = normalise(typed)  # the check character first: a slip reaches no database
        except CodeError as error:
            self._show_problem(self.context.t(f"common.code.errors.{error.reason}"))
            return False
        if self._refusal(code):
            return False
        self.confirm(code, remember=self.remember.value)
        return True

    def _refusal(self, code: str) -> str:
        """Why ``code`` may not be used, shown to the person: "slow_down" when the guard asks
        this page to wait (the code is not looked up), "unknown_here" when it is not held
        here (counted as a wrong code); empty when it may be used."""
        if self.store is None:
            return ""
        wait = self.guard.wait_seconds()
        if wait:
            minutes = max(1, math.ceil(wait / 60))
            self._show_problem(self.context.t("common.code.errors.slow_down", minutes=minutes))
            return "slow_down"
        if not self.store.has_participant(code):
            self.guard.note_wrong()
            self._show_problem(self.context.t("common.code.errors.unknown_here"))
            return "unknown_here"
        return ""

    def confirm(self, code: str, *, remember: bool = False) -> None:
        """Start using ``code`` on this page, and remember it on the device if asked."""
        code = normalise(code)
        if self.store is not None:
            self.store.ensure_participant(code)
        self.memory.remember = remember
        self.memory.code = code
        self.code = code
        self._pending = ""
        self._show("active")

    def forget(self, message: str | None = None) -> None:
        """Remove the code from this device and say so (by default: the answers stay saved)."""
        self.memory.forget()
        self.code = ""
        self._show("choose")
        said = message or self.context.t("common.code.forgotten")
        self.message.value = f'<p class="within-note" role="status">{plain(said)}</p>'

    # -- drawing ----------------------------------------------------------------------

    def _memory_loaded(self, change: dict[str, Any]) -> None:
        if change["new"] and self.memory.code and not self.code:
            try:
                code = normalise(self.memory.code)
            except CodeError:
                self.memory.forget()
                return
            refusal = self._refusal(code)
            if not refusal:
                self.confirm(code, remember=self.memory.remember)
            elif refusal == "unknown_here":
                self.memory.forget()  # a device that waits keeps its code for later

    def _show(self, state: str) -> None:
        t = self.context.t
        self.message.value = ""
        views: dict[str, list[w.Widget]] = {
            "choose": [self.new_button, self.have_button],
            "enter": [self.entry, self.remember, self.consent_note, self.use_button],
            "shown": [self.shown, self.remember, self.consent_note, self.noted_button],
            "active": [
                w.HTML(f"<p>{plain(t('common.code.continuing', ending=self.code[-4:]))}</p>"),
                self.switch_button,
                self.forget_button,
            ],
        }
        self.state = state
        self.children = [self.heading, *views[state], self.message, self.memory]

    def _show_problem(self, message: str) -> None:
        self.message.value = ""  # the same words twice are drawn (and announced) again
        self.message.value = f'<p class="within-note within-note--problem" role="alert">{plain(message)}</p>'
