"""Values card sort: what matters most to a person, in their own order and words.

About thirty value cards (from ``content/<lang>/values.yaml``) are sorted one at a
time into three piles with plain buttons (no dragging), any move can be undone, and
then the person picks their top three to five and writes a sentence of life direction.
Every move is saved under the person's code (app ``"values"``, key ``"sort"``), so
leaving and coming back resumes where they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.card_styles import CardStyles
from widgets.core.content import library
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.base import Exercise

if TYPE_CHECKING:
    from widgets.store import Store

APP = "values"
KEY = "sort"
PILES: tuple[str, ...] = ("very", "important", "less")
DIRECTION_LIMIT = 200


@dataclass(frozen=True)
class ValueCard:
    """One value card: a stable id, its name and one sentence, in one language."""

    id: str
    name: str
    description: str


def value_cards(lang: str) -> list[ValueCard]:
    """The value cards in ``lang`` (English words where a card is not yet translated)."""
    content = library()
    english = content.strings("en", "values")["cards"]
    try:
        local = content.strings(content.language(lang), "values").get("cards", {})
    except Exception:  # noqa: BLE001 - a missing translation falls back to English
        local = {}
    cards = []
    for card_id, words in english.items():
        chosen = local.get(card_id, words)
        cards.append(
            ValueCard(card_id, chosen.get("name", words["name"]), chosen.get("description", ""))
        )
    return cards


def latest_sort(store: Store, code: str) -> dict[str, Any]:
    """The last saved state of ``code``'s card sort (empty when they have not started)."""
    saved = [
        e.value for e in store.entries(code, APP) if e.key == KEY and isinstance(e.value, dict)
    ]
    return saved[-1] if saved else {}


class ValuesCardSort(Exercise):
    """Sort value cards into three piles, choose a top three to five, write a direction.

    Parameters
    ----------
    context:
        Language and mode. On a projector only the deck of cards is shown, for a group
        to talk about; nothing is sorted or saved.
    store, code:
        Where every move is saved; without them the sort works but is not kept.
    cards:
        Ids of the cards to use, in order; all cards in content by default.
    min_top, max_top:
        How many top values to choose (3 to 5 by default).
    show_direction:
        Show the life-direction sentence under the top values (True); a guided flow may
        put :attr:`direction_box` on a step of its own instead.

    Attributes
    ----------
    history:
        ``[card_id, pile]`` pairs in the order the person sorted them (undo pops the last).
    top:
        The chosen top values, as card ids.
    direction:
        The person's sentence of life direction, as typed (shown only through ``plain``).
    """

    history = traitlets.List(help="[card id, pile] pairs in the order sorted")
    top = traitlets.List(traitlets.Unicode(), help="Ids of the chosen top values")
    direction = traitlets.Unicode("", help="The person's life direction, in their words")

    def __init__(
        self,
        *,
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        cards: Sequence[str] | None = None,
        min_top: int = 3,
        max_top: int = 5,
        show_direction: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(context=context, store=store, **kwargs)
        self.code = "" if self.context.projector else code
        every = {card.id: card for card in value_cards(self.context.lang)}
        wanted = list(cards) if cards is not None else list(every)
        unknown = [c for c in wanted if c not in every]
        if unknown:
            raise ValueError(f"unknown value cards: {', '.join(unknown)}")
        self.cards: dict[str, ValueCard] = {c: every[c] for c in wanted}
        self.min_top, self.max_top = min_top, max_top
        self.show_direction = show_direction
        self._restoring = False
        self.add_class("within-cards")
        self.add_class("within-values")
        self._safe = self.kindly
        if self.context.projector:
            self.children = [CardStyles(), w.HTML(self._deck_html())]
            return
        self._build()
        self._restore()
        self._render()

    # -- the person's actions -----------------------------------------------------------

    @property
    def piles(self) -> dict[str, str]:
        """Each sorted card's pile, by card id."""
        return {card: pile for card, pile in self.history}

    @property
    def remaining(self) -> list[str]:
        """Ids of cards still to sort, in order."""
        sorted_ = self.piles
        return [card for card in self.cards if card not in sorted_]

    @property
    def current(self) -> ValueCard | None:
        """The card on screen, or None once every card is sorted."""
        left = self.remaining
        return self.cards[left[0]] if left else None

    def pile(self, name: str) -> list[str]:
        """Ids of the cards in one pile, in the order they were sorted."""
        return [card for card, pile in self.history if pile == name]

    def sort(self, pile: str) -> None:
        """Put the card on screen into ``pile`` ("very", "important" or "less")."""
        if pile not in PILES:
            raise ValueError(f"pile must be one of {PILES}, not {pile!r}")
        card = self.current
        if card is None:
            return
        self.history = [*self.history, [card.id, pile]]
        self._save()

    def undo(self) -> bool:
        """Take back the last sort; False when there is nothing to undo."""
        if not self.history:
            self.say(self.context.t("values.sort.nothing_to_undo"))
            return False
        card, _pile = self.history[-1]
        self.history = self.history[:-1]
        if card in self.top:
            self.top = [c for c in self.top if c != card]
        self._save()
        return True

    def restart(self) -> None:
        """Sort every card again (the direction sentence is kept)."""
        self.history = []
        self.top = []
        self._save()

    def candidates(self) -> list[str]:
        """Cards offered as top values: the very important pile, then important if needed."""
        very = self.pile("very")
        return very if len(very) >= self.min_top else very + self.pile("important")

    def choose_top(self, ids: Sequence[str]) -> str | None:
        """Choose the top values; returns kind words when the choice cannot be kept yet."""
        t = self.context.t
        ids = [i for i in dict.fromkeys(ids) if i in self.cards]
        offered = self.candidates()
        minimum = min(self.min_top, len(offered)) or 1
        if len(ids) < minimum:
            return t("values.sort.choose_more", minimum=minimum, count=len(ids))
        if len(ids) > self.max_top:
            return t("values.sort.choose_fewer", maximum=self.max_top, count=len(ids))
        self.top = ids
        self._save()
        return None

    def set_direction(self, typed: str) -> str | None:
        """Keep the life-direction sentence; returns kind words when it is too long."""
        typed = (typed or "").strip()
        if len(typed) > DIRECTION_LIMIT:
            return self.context.t("values.sort.too_long", limit=DIRECTION_LIMIT)
        self.direction = typed
        self._save()
        return None

    def snapshot(self) -> dict[str, Any]:
        """What is saved: the sorting history, the top values and the direction."""
        return {
            "history": [list(p) for p in self.history],
            "top": list(self.top),
            "direction": self.direction,
        }

    # -- building and drawing -------------------------------------------------------------

    def _build(self) -> None:
        t = self.context.t
        self.counter = w.HTML()
        self.card_view = w.HTML()
        self.pile_buttons = {
            pile: w.Button(description=t(f"values.piles.{pile}"), layout=w.Layout(width="100%"))
            for pile in PILES
        }
        for pile, button in self.pile_buttons.items():
            button.on_click(self._safe(lambda _b, p=pile: self.sort(p)))
        self.undo_button = w.Button(description=t("values.sort.undo"))
        self.undo_button.on_click(self._safe(lambda _b: self.undo()))
        self.restart_button = w.Button(description=t("values.sort.start_again"))
        self.restart_button.on_click(self._safe(lambda _b: self.restart()))
        buttons = w.VBox(list(self.pile_buttons.values()))
        buttons.add_class("within-pile-buttons")
        self.sorter = w.VBox([self.card_view, buttons])
        self.piles_view = w.HTML()
        self.piles_view.add_class("within-piles")
        self.top_intro = w.HTML(
            f"<h3>{plain(t('values.sort.choose_heading'))}</h3><p>{plain(t('values.sort.choose_intro'))}</p>"
        )
        self.top_boxes: dict[str, w.Checkbox] = {}
        self.top_list = w.VBox()
        self.top_message = w.HTML()
        self.top_box = w.VBox([self.top_intro, self.top_list, self.top_message])
        self.direction_input = w.Textarea(
            placeholder=t("values.sort.direction_placeholder"),
            description=t("values.sort.direction_label"),
            continuous_update=False,
            layout=w.Layout(width="100%"),
        )
        self.direction_input.observe(self._safe(self._direction_typed), names="value")
        self.direction_message = w.HTML()
        self.direction_box = w.VBox(
            [
                w.HTML(
                    f"<h3>{plain(t('values.sort.direction_heading'))}</h3>"
                    f"<p>{plain(t('values.sort.direction_intro'))}</p>"
                ),
                self.direction_input,
                self.direction_message,
            ]
        )
        self.observe(self._render, names=["history", "top"])
        self.children = [
            CardStyles(),
            self.counter,
            self.sorter,
            w.HBox([self.undo_button, self.restart_button]),
            self.message,
            self.piles_view,
            self.top_box,
        ]
        if self.show_direction:
            self.children = [*self.children, self.direction_box]

    def _render(self, _change: Any = None) -> None:
        t = self.context.t
        total = len(self.cards)
        card = self.current
        done = total - len(self.remaining)
        if card is not None:
            self.counter.value = (
                f'<p class="within-counter" role="status" aria-live="polite">'
                f"{plain(t('values.sort.card_of', number=done + 1, total=total))}</p>"
            )
            self.card_view.value = (
                f'<div class="within-value-card"><p class="within-value-card__name" lang="{self.context.lang}">'
                f'{plain(card.name)}</p><p class="within-value-card__text">{plain(card.description)}</p></div>'
            )
            self.sorter.layout.display = None
            self.top_box.layout.display = "none"
        else:
            self.counter.value = (
                f'<p class="within-counter" role="status">{plain(t("values.sort.done"))}</p>'
            )
            self.sorter.layout.display = "none"
            self.top_box.layout.display = None
            self._draw_top_choices()
        self.undo_button.disabled = not self.history
        counts = {pile: len(self.pile(pile)) for pile in PILES}
        lists = "".join(
            f"<h4>{plain(t(f'values.piles.{pile}'))}</h4>"
            + (
                "<ul>"
                + "".join(f"<li>{plain(self.cards[c].name)}</li>" for c in self.pile(pile))
                + "</ul>"
                if self.pile(pile)
                else f"<p>{plain(t('values.sort.pile_empty'))}</p>"
            )
            for pile in PILES
        )
        self.piles_view.value = (
            f"<details><summary>{plain(t('values.sort.piles_heading'))}</summary>"
            f"<p>{plain(t('values.sort.counts', **counts))}</p>{lists}</details>"
        )
        if self.top:
            names = ", ".join(self.cards[c].name for c in self.top)
            self.top_message.value = f'<p class="within-note" role="status">{plain(t("values.sort.choose_saved", names=names))}</p>'

    def _draw_top_choices(self) -> None:
        offered = self.candidates()
        if list(self.top_boxes) != offered:
            self.top_boxes = {}
            for card_id in offered:
                box = w.Checkbox(
                    value=card_id in self.top, description=self.cards[card_id].name, indent=False
                )
                box.observe(self._safe(self._top_ticked), names="value")
                self.top_boxes[card_id] = box
            self.top_list.children = list(self.top_boxes.values())
        else:
            self._restoring = True
            try:
                for card_id, box in self.top_boxes.items():
                    box.value = card_id in self.top
            finally:
                self._restoring = False

    def _top_ticked(self, _change: Any) -> None:
        if self._restoring:
            return
        ticked = [card for card, box in self.top_boxes.items() if box.value]
        problem = self.choose_top(ticked)
        if problem:
            self.top_message.value = f'<p class="within-note" role="status">{plain(problem)}</p>'

    def _direction_typed(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        problem = self.set_direction(change["new"])
        t = self.context.t
        words = problem or t("values.sort.saved")
        self.direction_message.value = f'<p class="within-note" role="status">{plain(words)}</p>'

    def _deck_html(self) -> str:
        t = self.context.t
        items = "".join(f"<li>{plain(card.name)}</li>" for card in self.cards.values())
        return f'<h3>{plain(t("values.sort.heading"))}</h3><ul class="within-deck">{items}</ul>'


    # -- saving ---------------------------------------------------------------------------

    def _restore(self) -> None:
        if self.store is None or not self.code:
            return
        saved = latest_sort(self.store, self.code)
        history = [
            [card, pile]
            for card, pile in (
                p for p in saved.get("history", []) if isinstance(p, list) and len(p) == 2
            )
            if card in self.cards and pile in PILES
        ]
        seen: set[str] = set()
        self.history = [p for p in history if not (p[0] in seen or seen.add(p[0]))]
        self.top = [c for c in saved.get("top", []) if c in self.cards]
        self.direction = str(saved.get("direction", ""))[:DIRECTION_LIMIT]
        self._restoring = True
        try:
            self.direction_input.value = self.direction
        finally:
            self._restoring = False

    def _save(self) -> None:
        if self.store is None or not self.code:
            return
        self.store.add_entry(self.code, APP, KEY, self.snapshot())
