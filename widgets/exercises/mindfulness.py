"""A mindfulness timer with a breathing pace to follow, running in the browser.

The countdown and the breathing circle live in the page (anywidget), so a slow
connection never makes the breath stutter: the kernel only hears when the person
starts, pauses, stops or reaches the end. Screen readers are told at those same
moments (``aria-live``), not every second. Motion stops for people whose device asks
for reduced motion; the words "Breathe in" / "Breathe out" remain.

Sound is optional and starts off, on a phone and on a projector alike (a room hears
it only when the facilitator turns it on): spoken guidance (breathe in, breathe out,
noticing thoughts) with the device's own voices through the page shell's read-aloud
(``window.WithinReadAloud``, so never a cloud voice), and a soft bell at the start and
the end made in the page with Web Audio. Stopping early is silent.

Projected, the room sees only the breathing instruction, the clock and the buttons: the
length and the sound fold away under one line (``projected``) for the facilitator.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from widgets.controls.styles import stylesheet
from widgets.core.content import DEFAULT_LANGUAGE, library
from widgets.core.context import PageContext

STATIC = Path(__file__).parent / "static"
STATES = ("ready", "running", "paused", "stopped", "done")


def timer_words(lang: str) -> dict[str, str]:
    """Every word the timer shows, in ``lang`` (content ``mindfulness.timer``)."""
    keys = library().strings(DEFAULT_LANGUAGE, "mindfulness")["timer"]
    return {key: library().text(lang, f"mindfulness.timer.{key}") for key in keys}


class MindfulnessTimer(anywidget.AnyWidget):
    """A 1-10 minute practice with a visual breathing pace, pause / carry on / stop.

    Parameters
    ----------
    context:
        Language (and mode) of the page; only the words depend on it.
    minutes:
        The duration offered first (1-10); the person can choose another.
    seconds:
        A duration in seconds that replaces ``minutes`` (for demonstrations; 0 to use
        ``minutes``).
    inhale, exhale:
        The breathing pace in seconds (4 in, 6 out by default).
    guidance, bell:
        Spoken guidance and the bell; both off unless turned on (here, or by the person
        or facilitator on the page).

    Attributes
    ----------
    state:
        ``"ready"``, ``"running"``, ``"paused"``, ``"stopped"`` or ``"done"``.
    elapsed:
        Seconds practised, as last reported by the browser (at start, pause, stop, end).
    """

    _esm = STATIC / "mindfulness.js"
    _css = stylesheet(STATIC / "mindfulness.css")

    minutes = traitlets.Int(3, help="Chosen duration in minutes, 1-10").tag(sync=True)
    seconds = traitlets.Int(0, help="Duration in seconds replacing minutes (0: use minutes)").tag(sync=True)
    state = traitlets.Enum(STATES, default_value="ready", help="Where the practice is").tag(sync=True)
    elapsed = traitlets.Int(0, help="Seconds practised, reported at start/pause/stop/end").tag(sync=True)
    inhale = traitlets.Float(4.0, help="Seconds of breathing in per breath").tag(sync=True)
    exhale = traitlets.Float(6.0, help="Seconds of breathing out per breath").tag(sync=True)
    words = traitlets.Dict(help="The timer's words in the page's language").tag(sync=True)
    guidance = traitlets.Bool(False, help="A voice guides the breathing (device voices only)").tag(sync=True)
    bell = traitlets.Bool(False, help="A soft bell at the start and the end").tag(sync=True)
    projected = traitlets.Bool(False, help="On a shared screen: length and sound folded away").tag(sync=True)

    def __init__(
        self,
        *,
        context: PageContext | None = None,
        minutes: int = 3,
        seconds: int = 0,
        **kwargs: Any,
    ) -> None:
        self.context = context or PageContext()
        super().__init__(
            minutes=minutes,
            seconds=seconds,
            words=timer_words(self.context.lang),
            projected=self.context.projector,
            **kwargs,
        )
        self._listeners: list[Callable[[str, int], None]] = []
        self.observe(self._on_state, names="state")

    @traitlets.validate("minutes")
    def _one_to_ten(self, proposal: dict[str, Any]) -> int:
        return max(1, min(10, int(proposal["value"])))

    @traitlets.validate("seconds", "elapsed")
    def _not_negative(self, proposal: dict[str, Any]) -> int:
        return max(0, int(proposal["value"]))

    @property
    def duration(self) -> int:
        """The practice length in seconds."""
        return self.seconds or self.minutes * 60

    def on_end(self, callback: Callable[[str, int], None]) -> None:
        """Call ``callback(state, elapsed_seconds)`` when a practice ends or is stopped."""
        self._listeners.append(callback)

    def _on_state(self, change: dict[str, Any]) -> None:
        if change["new"] in ("done", "stopped"):
            for listener in self._listeners:
                listener(change["new"], self.elapsed)
