"""Creating distance from a self-critical thought: the defusion exercise of Activity 3.

A person picks a thought they know too well (or writes their own), says how much they
believe it and how much it hurts, tries six ways of stepping back from it ("I'm having
the thought that ...", naming the story, words on a screen, thanking the mind, leaves
on a stream, a silly voice), then rates it again. Each finished round is one store
entry, and a chart shows before and after across rounds, with the same in words.

On a shared screen the room works with an example thought: nothing can be typed,
nothing is rated or saved, and no earlier rounds are shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.choice_list import ChoiceList
from widgets.controls.range_input import RangeInput
from widgets.controls.thought_display import ThoughtDisplay
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises import sealing
from widgets.exercises.defusion_chart import rounds_chart
from widgets.exercises.kind_errors import kindly
from widgets.exercises.self_talk import self_talk

if TYPE_CHECKING:
    from widgets.store import Store

#: The techniques, in the order they are offered, and how each shows the thought.
TECHNIQUES: dict[str, str] = {
    "having": "card",
    "naming": "card",
    "screen": "screen",
    "thanking": "card",
    "stream": "stream",
    "silly": "silly",
}
MIN_TECHNIQUES = 5
MAX_THOUGHT = 300
#: A round's own words, sealed when the person seals their writing (widgets/exercises/sealing.py).
THOUGHT_FIELDS = ("thought", "story_name")
OWN = "own"
STAGES = ("choose", "before", "technique", "after", "done")

PROJECTED_THOUGHTS = 4  # example thoughts on a projected slide (a person's own device has all)


class DefusionExercise(w.VBox):
    """One thought, six defusion techniques, ratings before and after, saved per round.

    Parameters
    ----------
    context:
        Language and mode of the page; self-guided English by default.
    store, code:
        Where rounds are saved (one entry per round, key ``"round"``) and read back
        for the chart; without both, rounds are kept for this session only.
    app:
        The app name the rounds are saved under (``"defusion"`` by default; the
        programme's Activity 3 uses ``"activity-3"``).

    Attributes
    ----------
    stage:
        ``"choose"``, ``"before"``, ``"technique"``, ``"after"`` or ``"done"``.
    thought:
        The thought being worked with, exactly as chosen or typed.
    technique:
        Position of the technique on screen, from 0.
    rounds:
        Finished rounds, oldest first (earlier sessions' too, from the store).

    Examples
    --------
    >>> exercise = DefusionExercise(context=PageContext("th"))
    >>> exercise.choose_thought(example="no_future")
    True
    """

    stage = traitlets.Enum(STAGES, default_value="choose", help="Which part of the round is shown")
    thought = traitlets.Unicode("", help="The thought being worked with")
    technique = traitlets.Int(0, help="Position of the technique on screen, from 0")
    rounds = traitlets.List(traitlets.Dict(), help="Finished rounds, oldest first")

    def __init__(
        self,
        *,
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        app: str = "defusion",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.store = None if self.context.projector else store
        self.code = "" if self.context.projector else code
        self.app = app
        self.example = ""
        self.seen: list[str] = []
        self.add_class("within-defusion")
        self._safe = kindly(self.context.lang, self._say_problem)
        self._build()
        self._safe(self._load_rounds)()
        self.observe(self._render, names=["stage", "technique"])
        self._render()

    # -- building ---------------------------------------------------------------------

    def _button(self, key: str, action: Any, primary: bool = False) -> w.Button:
        button = w.Button(description=self.context.t(key), button_style="primary" if primary else "")
        button.on_click(self._safe(lambda _b: action()))
        return button

    def _build(self) -> None:
        t = self.context.t
        examples = list(self_talk(self.context.lang).thoughts.items())
        if self.context.projector:  # a slide: enough to choose from, few enough to read from the back
            examples = examples[:PROJECTED_THOUGHTS]
        self.examples = dict(examples)
        self.heading = w.HTML()
        self.message = w.HTML()
        self.picker = ChoiceList(
            t("defusion.choose.legend"), self.examples, multiple=False, hint=t("defusion.choose.hint")
        )
        self.own = w.Textarea(
            description=t("defusion.choose.own_label"), continuous_update=False, layout=w.Layout(width="100%")
        )
        self.use_button = self._button("defusion.choose.use", lambda: self.choose_thought(), primary=True)

        def rating(what: str) -> RangeInput:
            return RangeInput(
                t(f"defusion.rate.{what}"),
                value=5,
                low_label=t("defusion.rate.low"),
                high_label=t(f"defusion.rate.high_{what}"),
                value_text=t("defusion.rate.value_text"),
            )

        self.believe_before, self.hurt_before = rating("believe"), rating("hurt")
        self.believe_after, self.hurt_after = rating("believe"), rating("hurt")
        self.start_button = self._button("defusion.before.start", self.start_techniques, primary=True)
        self.technique_words = w.HTML()
        self.story_name = w.Text(description=t("defusion.techniques.naming.label"), continuous_update=False)
        self.story_name.observe(self._safe(lambda _c: self._render()), names="value")
        self.display = ThoughtDisplay(
            pause_label=t("defusion.motion.pause"), play_label=t("defusion.motion.play")
        )
        self.framed = w.HTML()
        self.back_button = self._button("defusion.previous_technique", self.previous_technique)
        self.next_button = self._button("defusion.next_technique", self.next_technique, primary=True)
        self.save_button = self._button("defusion.after.save", self.save_round, primary=True)
        self.again_button = self._button("defusion.done.again", self.new_round)
        self.summary = w.HTML()
        self.chart = w.HTML()

    # -- the person's actions ---------------------------------------------------------------

    def choose_thought(self, text: str | None = None, example: str | None = None) -> bool:
        """Work with ``text`` (typed) or an ``example`` id; by default, what is on screen.

        Typed words win over a chosen example. Returns False, with a kind message and
        the words left in place, when there is nothing to use or it is too long.
        """
        t = self.context.t
        if text is None and example is None:
            text = "" if self.context.projector else self.own.value
            example = self.picker.value[0] if self.picker.value else None
        typed = (text or "").strip()
        if typed and not self.context.projector:
            if len(typed) > MAX_THOUGHT:
                self._say(t("defusion.choose.too_long", limit=MAX_THOUGHT), problem=True)
                return False
            self.thought, self.example = typed, OWN
        elif example in self.examples:
            self.thought, self.example = self.examples[example], example
        else:
            self._say(t("defusion.choose.empty"), problem=True)
            return False
        self.message.value = ""
        self.seen = []
        self.technique = 0
        self.stage = "technique" if self.context.projector else "before"
        self._render()
        return True

    def start_techniques(self) -> None:
        """After the first ratings: show the first technique."""
        for before, after in ((self.believe_before, self.believe_after), (self.hurt_before, self.hurt_after)):
            after.value = before.value
        self.technique = 0
        self.stage = "technique"
        self._mark_seen()

    def next_technique(self) -> None:
        """Move to the next technique; after the last, to the second ratings."""
        self._mark_seen()
        if self.technique + 1 < len(TECHNIQUES):
            self.technique += 1
            self._mark_seen()
        else:
            self.stage = "done" if self.context.projector else "after"

    def previous_technique(self) -> None:
        """Go back one technique (from the first, back to the ratings or the thought)."""
        if self.technique > 0:
            self.technique -= 1
        else:
            self.stage = "choose" if self.context.projector else "before"

    def save_round(self) -> dict[str, Any] | None:
        """Keep the finished round (one store entry) and show what changed."""
        if self.context.projector or self.stage != "after":
            return None
        round_ = {
            "thought": self.thought,
            "example": self.example,
            "before": {"believe": self.believe_before.value, "hurt": self.hurt_before.value},
            "after": {"believe": self.believe_after.value, "hurt": self.hurt_after.value},
            "techniques": list(self.seen),
            "story_name": self.story_name.value.strip()[:MAX_THOUGHT],
        }
        if self.store is not None and self.code:
            try:
                kept = sealing.seal_fields(self.store, self.code, round_, THOUGHT_FIELDS)
            except sealing.Locked:
                self._say(self.context.t("sealed.errors.locked"))
                return None
            self.store.add_entry(self.code, self.app, "round", kept)
        self.rounds = [*self.rounds, round_]
        self.stage = "done"
        return round_

    def new_round(self) -> None:
        """Begin another round, with the same thought or a new one."""
        self.own.value = ""
        self.picker.value = []
        self.story_name.value = ""
        self.seen = []
        self.technique = 0
        self.stage = "choose"

    # -- drawing --------------------------------------------------------------------------

    def _mark_seen(self) -> None:
        current = list(TECHNIQUES)[self.technique]
        if current not in self.seen:
            self.seen.append(current)

    def _load_rounds(self) -> None:
        if self.store is None or not self.code:
            return
        self.rounds = [
            sealing.open_fields(self.store, self.code, entry.value, THOUGHT_FIELDS)
            for entry in self.store.entries(self.code, self.app)
            if entry.key == "round" and isinstance(entry.value, dict)
        ]

    def _render(self, _change: Any = None) -> None:
        t = self.context.t
        stage = self.stage
        if stage == "choose":
            intro = t("defusion.choose.projector" if self.context.projector else "defusion.choose.intro")
            self.heading.value = f"<h3>{plain(t('defusion.choose.heading'))}</h3><p>{plain(intro)}</p>"
            parts: list[w.Widget] = [self.heading, self.picker]
            if not self.context.projector:
                parts.append(self.own)
            parts += [self.use_button, self.message]
            if self.rounds:
                self.chart.value = rounds_chart(self.rounds, t)
                parts.append(self.chart)
        elif stage == "before":
            self.heading.value = (
                f"<h3>{plain(t('defusion.before.heading'))}</h3>"
                f'<p class="within-quote">“{plain(self.thought)}”</p>'
            )
            parts = [self.heading, self.believe_before, self.hurt_before, self.start_button, self.message]
        elif stage == "technique":
            parts = self._technique_parts()
        elif stage == "after":
            self.heading.value = (
                f"<h3>{plain(t('defusion.after.heading'))}</h3><p>{plain(t('defusion.after.intro'))}</p>"
                f'<p class="within-quote">“{plain(self.thought)}”</p>'
            )
            parts = [self.heading, self.believe_after, self.hurt_after, self.save_button, self.message]
        else:
            parts = self._done_parts()
        self.children = parts

    def _technique_parts(self) -> list[w.Widget]:
        t = self.context.t
        key = list(TECHNIQUES)[self.technique]
        words = f"defusion.techniques.{key}"
        self.heading.value = (
            f'<p class="within-progress" role="status">'
            f"{plain(t('defusion.technique_of', number=self.technique + 1, total=len(TECHNIQUES)))}</p>"
            f"<h3>{plain(t(f'{words}.title'))}</h3><p>{plain(t(f'{words}.how'))}</p>"
        )
        parts: list[w.Widget] = [self.heading]
        if key == "naming" and not self.context.projector:
            parts.append(self.story_name)
        if key in ("having", "naming", "thanking"):
            name = self.story_name.value.strip()[:80] or t("defusion.techniques.naming.default")
            framed = t(f"{words}.frame", thought=self.thought, name=name)
            self.display.text, self.display.mode = framed, "card"
        else:
            self.display.text, self.display.mode = self.thought, TECHNIQUES[key]
        parts.append(self.display)
        last = self.technique + 1 == len(TECHNIQUES)
        self.next_button.description = t("defusion.to_after" if last else "defusion.next_technique")
        if last and self.context.projector:
            self.next_button.description = t("defusion.done.projector_finish")
        self.back_button.disabled = False
        parts.append(w.HBox([self.back_button, self.next_button]))
        return parts

    def _done_parts(self) -> list[w.Widget]:
        t = self.context.t
        if self.context.projector:
            self.heading.value = (
                f"<h3>{plain(t('defusion.done.heading'))}</h3><p>{plain(t('defusion.done.projector'))}</p>"
            )
            return [self.heading, self.again_button]
        last = self.rounds[-1] if self.rounds else {}
        change = sum(last.get("before", {}).values()) - sum(last.get("after", {}).values()) if last else 0
        kind = "less" if change > 0 else "same" if change == 0 else "more"
        saved = t("defusion.done.saved") if self.store is not None and self.code else t("defusion.done.not_saved")
        self.heading.value = (
            f"<h3>{plain(t('defusion.done.heading'))}</h3>"
            f'<p role="status">{plain(t(f"defusion.done.{kind}"))}</p>'
            f'<p class="within-quiet">{plain(saved)}</p>'
        )
        self.chart.value = rounds_chart(self.rounds, t)
        return [self.heading, self.chart, self.again_button]

    def _say(self, message: str, problem: bool = False) -> None:
        css = "within-note within-note--problem" if problem else "within-note"
        role = "alert" if problem else "status"
        self.message.value = f'<p class="{css}" role="{role}">{plain(message)}</p>'

    def _say_problem(self, message: str) -> None:
        self._say(message, problem=True)
        if self.message not in self.children:
            self.children = [*self.children, self.message]
