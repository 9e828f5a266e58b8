"""A reflection: a prompt, optional choices and the person's own words, saved under their code.

The building block of the programme's exercises ("Which lens did you use?", "Where did
this message come from?", "What did you notice?"). Self-guided, each answer is one store
entry, its words sealed when the person seals their writing (:mod:`widgets.exercises.sealing`); projected on a shared screen it shows the prompt, then the choices to talk about
(a few per slide: :meth:`Reflection.show_part`), with no input and nothing saved or shown
from anyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.choice_list import ChoiceList
from widgets.core.context import PageContext
from widgets.core.markup import markdown, plain
from widgets.exercises import sealing
from widgets.exercises.base import Exercise
from widgets.exercises.navigator import show_only

if TYPE_CHECKING:
    from widgets.store import Store

MAX_LENGTH = 2000
CHOICES_PER_SLIDE = 6


def option_groups(options: list[str]) -> list[list[str]]:
    """The choices cut into even groups of at most :data:`CHOICES_PER_SLIDE`, in order."""
    if not options:
        return []
    groups = -(-len(options) // CHOICES_PER_SLIDE)
    size = -(-len(options) // groups)
    return [options[start : start + size] for start in range(0, len(options), size)]


class Reflection(Exercise):
    """One prompt to answer by choosing and/or writing, saved as a store entry.

    Parameters
    ----------
    prompt:
        The question (content Markdown), shown above the answer.
    app, key:
        Where answers are kept: ``store.add_entry(code, app, key, {"text", "choices"})``.
    context:
        Language and mode; in projector mode nothing can be typed or saved.
    store, code:
        Where to save; without both, answers stay in :attr:`answers` for this session only.
    options:
        Option ids to their words, shown as a group of choices (optional).
    legend:
        The words announced with the group of choices.
    multiple:
        Several choices (True) or one (False).
    text_label:
        The label of the text box; ``None`` for the standard "In your own words",
        ``""`` for no text box at all.
    max_length:
        The longest answer kept, in characters; longer text stays in the box with a
        kind request to shorten it.

    Attributes
    ----------
    answers:
        Answers saved from this widget, oldest first (dicts with ``text`` and ``choices``).
    saved_count:
        How many answers this widget saved.
    """

    saved_count = traitlets.Int(0, help="How many answers this widget saved")

    def __init__(
        self,
        prompt: str,
        *,
        app: str,
        key: str,
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        options: Mapping[str, str] | None = None,
        legend: str = "",
        multiple: bool = True,
        text_label: str | None = None,
        max_length: int = MAX_LENGTH,
        **kwargs: Any,
    ) -> None:
        super().__init__(context=context, store=store, **kwargs)
        self.app, self.key, self.max_length = app, key, max_length
        self.code = "" if self.context.projector else code
        self.options = dict(options or {})
        self.answers: list[dict[str, Any]] = []
        self.add_class("within-reflection")
        t = self.context.t
        self.prompt = w.HTML(markdown(prompt))
        self.previous = w.HTML()
        if self.context.projector:
            # On the wall: the prompt on one slide, then the choices, a few per slide.
            note = w.HTML(f'<p class="within-quiet">{plain(t("reflection.projector"))}</p>')
            self._slides: list[list[w.Widget]] = [[self.prompt, note]]
            for group in option_groups(list(self.options.values())):
                listed = "".join(f"<li>{plain(words)}</li>" for words in group)
                self._slides.append([w.HTML(f"<p><strong>{plain(legend)}</strong></p><ul>{listed}</ul>")])
            self.choices = None
            self.text = None
            self.save_button = None
            self.children = [part for slide in self._slides for part in slide]
            self.show_part(0)
            return
        self.choices = ChoiceList(legend, self.options, multiple=multiple) if self.options else None
        label = t("reflection.own_words") if text_label is None else text_label
        self.text = (
            w.Textarea(description=label, continuous_update=False, layout=w.Layout(width="100%"))
            if label
            else None
        )
        self.save_button = w.Button(description=t("reflection.save"), button_style="primary")
        self.save_button.on_click(self.kindly(lambda _b: self.save()))
        parts: list[w.Widget] = [self.prompt]
        parts += [x for x in (self.choices, self.text) if x is not None]
        parts += [self.save_button, self.message, self.previous]
        self.children = parts
        self.kindly(self._show_previous)()

    @property
    def projected_parts(self) -> int:
        """Slides on a shared screen: the prompt, then its choices (at most six a slide)."""
        return len(self._slides) if self.context.projector else 1

    def show_part(self, part: int) -> None:
        """Projected, show slide ``part``: the prompt (0) or a group of its choices."""
        if not self.context.projector:
            return
        show_only(self.children, self._slides[min(max(part, 0), len(self._slides) - 1)])

    def save(self) -> dict[str, Any] | None:
        """Save what is chosen and written now; returns the answer, or None if not saved."""
        if self.save_button is None:
            return None
        t = self.context.t
        typed = (self.text.value if self.text is not None else "") or ""
        typed = typed.strip()
        chosen = list(self.choices.value) if self.choices is not None else []
        if not typed and not chosen:
            self.say(t("reflection.empty"))
            return None
        if len(typed) > self.max_length:
            self.say(t("reflection.too_long", limit=self.max_length))
            return None
        answer = {"text": typed, "choices": chosen}
        if self.store is not None and self.code:
            try:
                kept = sealing.seal_fields(self.store, self.code, answer, ("text",))
            except sealing.Locked:
                self.say(t("sealed.errors.locked"))
                return None
            self.store.add_entry(self.code, self.app, self.key, kept)
        self.answers.append(answer)
        if self.text is not None:
            self.text.value = ""
        if self.choices is not None:
            self.choices.value = []
        self.saved_count += 1
        self.say(t("reflection.saved"))
        self._show_previous()
        return answer

    def saved_answers(self) -> list[dict[str, Any]]:
        """Every answer kept for this prompt: from the store when there is one."""
        if self.store is not None and self.code:
            return [
                sealing.open_fields(self.store, self.code, entry.value, ("text",))
                for entry in self.store.entries(self.code, self.app)
                if entry.key == self.key and isinstance(entry.value, dict)
            ]
        return list(self.answers)

    def _describe(self, answer: Mapping[str, Any]) -> str:
        words = [self.options.get(str(choice), str(choice)) for choice in answer.get("choices", [])]
        parts = []
        if words:
            parts.append(", ".join(words))
        if answer.get("locked"):
            parts.append(self.context.t("sealed.locked_text"))
        elif answer.get("text"):
            parts.append(str(answer["text"]))
        return plain(" — ".join(parts))

    def _show_previous(self) -> None:
        answers = self.saved_answers()
        if not answers:
            self.previous.value = ""
            return
        items = "".join(f'<li class="within-answer">{self._describe(a)}</li>' for a in answers)
        self.previous.value = (
            f'<div class="within-saved"><p><strong>{plain(self.context.t("reflection.before"))}</strong>'
            f"</p><ul>{items}</ul></div>"
        )


