"""Choosing, showing once and remembering a participant's pseudonymous code.

No name is ever asked. A new code is shown once, with a plain suggestion to note it
down, since a lost code cannot be recovered. On their own device a person can let
the browser remember it, so they resume without retyping.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.device_memory import DeviceMemory
from widgets.core.codes import CodeError, new_code, normalise
from widgets.core.context import PageContext
from widgets.core.markup import plain
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
        """Use a code the person typed; a mistake gets a kind, specific message."""
        try:
            code = normalise(typed)
        except CodeError as error:
            self.message.value = (
                f'<p class="within-note within-note--problem" role="alert">'
                f'{plain(self.context.t(f"common.code.errors.{error.reason}"))}</p>'
            )
            return False
        self.confirm(code, remember=self.remember.value)
        return True

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
                self.confirm(self.memory.code, remember=self.memory.remember)
            except CodeError:
                self.memory.forget()

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
        self.message.value = f'<p class="within-note within-note--problem" role="alert">{plain(message)}</p>'
