"""The step navigator: the one widget every guided flow is built on.

One step at a time, always saying where the person is ("Step 3 of 8"), always
offering a way to go back, to pass (skip) and to stop and come back later. The same
flow is projected in a group by switching the mode: a slide layout (styled by the page
shell's ``slides.css``) with the step as the hero and the module, step counter and progress
in a slim footer, a step too long for one screen shown as several slides, arrow, page and
space keys, and nothing personal saved or shown.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import ipywidgets as w
import traitlets

from widgets.controls.key_nav import KeyNav
from widgets.core.content import Flow, Step, library
from widgets.core.context import PageContext
from widgets.core.markup import markdown, plain
from widgets.core.read_aloud import new_id, unit
from widgets.exercises.kind_errors import kindly

if TYPE_CHECKING:
    from widgets.store import Store


@runtime_checkable
class SlideParts(Protocol):
    """A step's activity that, projected, shows one part of itself per slide.

    ``projected_parts`` is how many slides it takes on a shared screen (fixed once it is
    built); the navigator calls ``show_part(n)`` before showing slide ``n`` of them.
    """

    projected_parts: int

    def show_part(self, part: int) -> None: ...


def show_only(parts: Sequence[w.Widget], shown: Container[w.Widget]) -> None:
    """Hide the ``parts`` not in ``shown`` (for :meth:`SlideParts.show_part`).

    Hidden by their layout and by the class ``within-slide-off``, which the slide layout
    (slides.css) honours over its own block display of an activity's parts.
    """
    for part in parts:
        on = any(part is other for other in shown)
        part.layout.display = None if on else "none"
        (part.remove_class if on else part.add_class)("within-slide-off")


class StepNavigator(w.VBox):
    """A guided flow of steps from content, with back / next / skip / pause and resume.

    Parameters
    ----------
    flow:
        A flow id (``content/<lang>/flows/<id>.yaml``) or a :class:`~widgets.core.content.Flow`.
    context:
        Language and mode of the page; self-guided English by default.
    store, code:
        Where to keep the person's place. With both, every move is saved and the
        flow resumes where they stopped; without them (or when projected) nothing is saved.
    step_widgets:
        Widgets to show under a step's words, by step id (a question, a timer, ...).
    flow_id:
        The name the place is saved under; defaults to ``flow`` when it is an id.

    Attributes
    ----------
    index:
        The position of the current step, from 0.
    skipped:
        Ids of the steps the person chose to pass.
    finished, paused:
        Whether the person reached the end, or chose to stop for now.
    slide:
        Projected, the slide on show within the current step, from 0.
    """

    index = traitlets.Int(0, help="Position of the current step, from 0")
    skipped = traitlets.List(traitlets.Unicode(), help="Ids of steps the person passed")
    finished = traitlets.Bool(False, help="The person reached the end")
    paused = traitlets.Bool(False, help="The person chose to stop for now")
    slide = traitlets.Int(0, help="Projected: the slide on show within the step, from 0")

    def __init__(
        self,
        flow: str | Flow,
        *,
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        step_widgets: Mapping[str, w.Widget] | None = None,
        flow_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        if isinstance(flow, str):
            flow_id = flow_id or flow
            flow = library().flow(self.context.lang, flow)
        if not flow_id:
            raise ValueError("flow_id is needed to save the place of a Flow object")
        self.flow, self.flow_id = flow, flow_id
        self.steps: tuple[Step, ...] = flow.steps
        self.step_widgets = dict(step_widgets or {})
        self._store = None if self.context.projector else store
        self._code = "" if self.context.projector else code
        self._listeners: list[Callable[[Step], None]] = []
        self.resumed = False
        self._build()
        self._restore()
        self.observe(self._render, names=["index", "skipped", "finished", "paused", "slide"])
        self._render()
        if self.resumed and not self.finished:
            self.note.value = f'<p class="within-note" role="status">{plain(self.context.t("common.nav.resumed"))}</p>'

    # -- public actions ---------------------------------------------------------------

    @property
    def step(self) -> Step:
        """The step on screen."""
        return self.steps[self.index]

    @property
    def slides(self) -> tuple[str | int, ...]:
        """The current step's slides: its words, one slide when self-guided.

        Projected, each of the step's ``slides`` is one, and with ``activity_slide`` the
        step's activity follows on slides of its own, shown here as the number of its part
        (a widget with :class:`SlideParts` shows one part of itself per slide, so a long
        activity is split, never shrunk; any other widget is one part). An activity in more
        than one part always has slides of its own.
        """
        step = self.step
        if not self.context.projector:
            return (step.body,)
        words = tuple(text for text in step.projected_slides if text.strip())
        widget = self.step_widgets.get(step.id)
        parts = widget.projected_parts if isinstance(widget, SlideParts) else 1
        if step.activity_slide or (widget is not None and parts > 1):
            return (*words, *range(parts))
        return words or ("",)

    def next(self) -> None:
        """Move on (projected: to the step's next slide first); on the last step, finish."""
        self.paused = False
        if not self.finished and self.slide + 1 < len(self.slides):
            self.slide += 1
            return
        with self.hold_trait_notifications():
            if self.index + 1 < len(self.steps):
                self.slide = 0
                self.index += 1
            else:
                self.finished = True
        self._save()

    def back(self) -> None:
        """Go one slide or step back (from the end screen, to the last step's last slide)."""
        self.paused = False
        with self.hold_trait_notifications():
            if self.finished:
                self.finished = False
                self.slide = len(self.slides) - 1
            elif self.slide > 0:
                self.slide -= 1
            elif self.index > 0:
                self.index -= 1
                self.slide = len(self.slides) - 1
        self._save()

    def skip(self) -> None:
        """Pass this step (the right to pass), remembering that it was skipped."""
        if not self.step.skippable:
            return
        if self.step.id not in self.skipped:
            self.skipped = [*self.skipped, self.step.id]
        self.next()

    def pause(self) -> None:
        """Save the place and say so; the flow resumes here next time."""
        self.paused = True
        self._save()

    def restart(self) -> None:
        """Begin again from the first step."""
        with self.hold_trait_notifications():
            self.finished = self.paused = False
            self.skipped = []
            self.slide = 0
            self.index = 0
        self._save()

    def go_to(self, step_id: str, slide: int = 0) -> None:
        """Jump to a step by its id (facilitators, resumption); projected, to one of its slides."""
        with self.hold_trait_notifications():
            self.finished = False
            self.index = self._position(step_id)
            self.slide = min(max(slide, 0), len(self.slides) - 1)
        self._save()

    def on_step(self, callback: Callable[[Step], None]) -> None:
        """Call ``callback(step)`` whenever another step is shown."""
        self._listeners.append(callback)

    # -- building and drawing ---------------------------------------------------------

    def _build(self) -> None:
        t = self.context.t
        self.progress = w.HTML(layout=w.Layout(width="100%"))
        self.title = w.HTML()
        self.body = w.HTML()
        self._body_id = new_id("within-step-body")  # read aloud after the title
        self.slot = w.VBox()
        self.note = w.HTML()
        self.back_button = w.Button(description=t("common.nav.back"))
        self.skip_button = w.Button(description=t("common.nav.skip"))
        self.next_button = w.Button(description=t("common.nav.next"), button_style="primary")
        self.pause_button = w.Button(description=t("common.nav.pause"))
        self.restart_button = w.Button(description=t("common.nav.start_again"))
        for button, action in (
            (self.back_button, self.back),
            (self.skip_button, self.skip),
            (self.next_button, self.next),
            (self.pause_button, self.pause),
            (self.restart_button, self.restart),
        ):
            button.on_click(kindly(self.context.lang, self._show_problem)(lambda _b, act=action: act()))
        buttons = [self.back_button, self.skip_button, self.next_button]
        if self._store is not None and self._code:
            buttons.append(self.pause_button)
        self.buttons = w.HBox(buttons)
        self.buttons.add_class("within-buttons")
        self.add_class("within-navigator")
        children: list[w.Widget] = [self.progress, self.title, self.body, self.slot, self.note, self.buttons]
        if self.context.projector:
            # The slide layout (the page shell's slides.css): the step fills the screen, the
            # module, counter, progress and buttons sit in a slim footer, and ``corner`` (top
            # right, the words flow around it) holds what the page adds to every slide.
            self.add_class("within-navigator--projector")
            self.key_nav = KeyNav(on_key=self._on_key)
            self.slot.add_class("within-slide-activity")
            self.corner = w.VBox()
            self.corner.add_class("within-slide-corner")
            slide = w.VBox([self.corner, self.title, self.body, self.slot, self.note])
            slide.add_class("within-slide")
            module = w.HTML(f'<p class="within-slide-module">{plain(self.flow.title)}</p>')
            self.footer = w.HBox([module, self.progress, self.buttons])
            self.footer.add_class("within-slide-footer")
            children = [slide, self.footer, self.key_nav]
        self.children = children

    def _on_key(self, direction: str) -> None:
        if direction == "next" and not self.finished:
            self.next()
        elif direction == "back":
            self.back()

    def _render(self, _change: Any = None) -> None:
        t = self.context.t
        total = len(self.steps)
        step = self.step
        number = self.index + 1
        slides = self.slides
        if len(slides) > 1 and not self.finished:
            label = t(
                "common.nav.slide_of",
                number=number,
                total=total,
                part=self.slide + 1,
                parts=len(slides),
            )
        else:
            label = t("common.nav.step_of", number=number, total=total)
        self.progress.value = (
            f'<div class="within-progress" role="status" aria-live="polite">{plain(label)}</div>'
            f'<progress max="{total}" value="{number if not self.finished else total}" '
            f'aria-label="{plain(t("common.nav.progress_label"))}"></progress>'
        )
        if self.finished:
            self._show_words(plain(self.flow.title), f"<p>{plain(t('common.nav.finished'))}</p>")
            self.slot.children = ()
            self.note.value = ""
            self.buttons.children = [self.back_button, self.restart_button]
            return
        words = slides[self.slide]
        part = words if isinstance(words, int) else None
        self._show_words(plain(step.title), markdown(words) if isinstance(words, str) else "")
        last_slide = self.slide + 1 == len(slides)
        # The step's activity follows its words: projected, on its own slides or under the last.
        follows = part is not None or (last_slide and isinstance(slides[-1], str))
        shown = step.id in self.step_widgets and (follows or not self.context.projector)
        widget = self.step_widgets.get(step.id) if shown else None
        if isinstance(widget, SlideParts) and self.context.projector:
            widget.show_part(part or 0)
        self.slot.children = (widget,) if widget is not None else ()
        self.back_button.disabled = self.index == 0 and self.slide == 0
        # Projected, a group moves on together: nobody passes a step alone.
        passable = step.skippable and not self.context.projector
        self.skip_button.layout.display = None if passable else "none"
        last = self.index + 1 == total and last_slide
        self.next_button.description = t("common.nav.finish" if last else "common.nav.next")
        buttons = [self.back_button, self.skip_button, self.next_button]
        if self._store is not None and self._code:
            buttons.append(self.pause_button)
        self.buttons.children = buttons
        if self.paused:
            self.note.value = f'<p class="within-note" role="status">{plain(t("common.nav.paused"))}</p>'
        elif step.id in self.skipped:
            self.note.value = f'<p class="within-note">{plain(t("common.nav.skipped_note"))}</p>'
        else:
            self.note.value = ""
        for listener in self._listeners:
            listener(step)

    def _show_words(self, title_html: str, body_html: str) -> None:
        """The step's title and body, marked so the page can read them aloud together."""
        self.title.value = unit("step", f"<h2 data-within-read-text>{title_html}</h2>", more=self._body_id)
        self.body.value = f'<div id="{self._body_id}">{body_html}</div>'

    def _show_problem(self, message: str) -> None:
        self.note.value = f'<p class="within-note within-note--problem" role="alert">{plain(message)}</p>'

    # -- saving the place -------------------------------------------------------------

    def _position(self, step_id: str) -> int:
        for position, step in enumerate(self.steps):
            if step.id == step_id:
                return position
        raise ValueError(f"no step '{step_id}' in flow '{self.flow_id}'")

    def _restore(self) -> None:
        if self._store is None or not self._code:
            return
        saved = self._store.load_progress(self._code, self.flow_id)
        if saved is None:
            return
        state = saved.state or {}
        known = {step.id for step in self.steps}
        self.skipped = [s for s in state.get("skipped", []) if s in known]
        if saved.step_id in known:
            self.index = self._position(saved.step_id)
        self.finished = bool(state.get("finished", False))
        self.resumed = True

    def _save(self) -> None:
        if self._store is None or not self._code:
            return
        self._store.save_progress(
            self._code,
            self.flow_id,
            self.step.id,
            {"skipped": list(self.skipped), "finished": self.finished, "paused": self.paused},
        )
