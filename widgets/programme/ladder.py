"""Balancing the Scales: where a module sits among the five levels, with the level's prompt.

SELF -> RELATIONSHIP -> LEADERSHIP -> ORGANISATION -> COMMUNITY (INPUD's theory of change;
each level is a module of :mod:`widgets.programme.scales`). Each level has a prompt;
self-guided, the person writes an answer that is autosaved under their code (app
``"ladder"``, key ``"reflection"``); projected, only the prompt is shown in large type,
since nothing personal belongs on a shared screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.card_styles import CardStyles
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.base import Exercise

if TYPE_CHECKING:
    from widgets.store import Store

APP = "ladder"
KEY = "reflection"
LEVELS: tuple[str, ...] = ("self", "relationship", "leadership", "organisation", "community")
ANSWER_LIMIT = 1000


def saved_reflections(store: Store, code: str) -> dict[str, str]:
    """``code``'s latest answer at each level."""
    found: dict[str, str] = {}
    for entry in store.entries(code, APP):
        value = entry.value
        if entry.key == KEY and isinstance(value, dict) and value.get("level") in LEVELS:
            found[value["level"]] = str(value.get("text", ""))
    return found


def ladder_html(level: str, lang: str) -> str:
    """The five levels as a list, ``level`` marked as the current one (community at the top)."""
    from widgets.core.content import text

    current = ' aria-current="step"'
    items = "".join(
        f"<li{current if name == level else ''}>{plain(text(lang, f'ladder.levels.{name}.name'))}</li>"
        for name in LEVELS
    )
    label = text(lang, "ladder.ladder_label", level=text(lang, f"ladder.levels.{level}.name"))
    return f'<ol class="within-ladder" aria-label="{plain(label)}">{items}</ol>'


class LadderReflection(Exercise):
    """One level of the ladder: where it sits, its prompt, and (self-guided) an answer box.

    Parameters
    ----------
    level:
        One of :data:`LEVELS`.
    context:
        Language and mode; projected, only the prompt is shown.
    store, code:
        Where the answer is autosaved; without them nothing is kept.
    """

    answer = traitlets.Unicode("", help="The person's reflection at this level")

    def __init__(
        self,
        level: str,
        *,
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(context=context, store=store, **kwargs)
        if level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
        self.level = level
        self.code = "" if self.context.projector else code
        t = self.context.t
        self.add_class("within-cards")
        self.add_class("within-ladder-card")
        prompt = w.HTML(
            ladder_html(level, self.context.lang)
            + f'<p class="within-prompt">{plain(t(f"ladder.levels.{level}.prompt"))}</p>'
        )
        self.input = w.Textarea(
            description=t("ladder.answer_label"),
            placeholder=t("ladder.answer_placeholder"),
            continuous_update=False,
            rows=4,
            layout=w.Layout(width="100%"),
        )
        if self.context.projector:
            self.children = [CardStyles(), prompt]
            return
        if self.store is not None and self.code:
            self.answer = saved_reflections(self.store, self.code).get(level, "")[:ANSWER_LIMIT]
            self.input.value = self.answer
        self.input.observe(self.kindly(self._typed), names="value")
        self.children = [CardStyles(), prompt, self.input, self.message]

    def set_answer(self, typed: str) -> str | None:
        """Keep the answer (autosaved); returns kind words when it is too long."""
        typed = (typed or "").strip()
        if len(typed) > ANSWER_LIMIT:
            return self.context.t("ladder.too_long", limit=ANSWER_LIMIT)
        self.answer = typed
        if self.store is not None and self.code:
            self.store.add_entry(self.code, APP, KEY, {"level": self.level, "text": typed})
        return None

    def _typed(self, change: dict[str, Any]) -> None:
        self.say(self.set_answer(change["new"]) or self.context.t("ladder.saved"))
