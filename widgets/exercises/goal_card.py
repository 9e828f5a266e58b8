"""The goal card: one goal tied to a value, a first small step, and check-ins without shame.

A goal is a step in a chosen direction, not a test. The card asks for the goal, the
first small step and when, what might get in the way and what the person will do
then, and who can support them. Later the person checks in on the step (done /
partly / not yet) and every answer is met with kind words. Everything is autosaved
under the person's code: app ``"goals"``, keys ``"goal"`` and ``"check-in"``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.card_styles import CardStyles
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises import sealing
from widgets.exercises.base import Exercise
from widgets.exercises.values_cards import value_cards

if TYPE_CHECKING:
    from widgets.store import Store

APP = "goals"
GOAL_KEY = "goal"
CHECK_IN_KEY = "check-in"
FIELDS: tuple[str, ...] = ("goal", "step", "when", "obstacle", "plan", "support")
REQUIRED: tuple[str, ...] = ("goal", "step")
FIELD_LIMIT = 200
NOTE_LIMIT = 300
STATUSES: tuple[str, ...] = ("done", "partly", "not_yet")


def check_goal(fields: dict[str, str], lang: str = "en") -> list[str]:
    """Kind words for each problem with a goal card's fields (empty when it can be kept).

    The goal and the first step are needed; every field is at most
    :data:`FIELD_LIMIT` characters.
    """
    from widgets.core.content import text

    problems = []
    if not fields.get("goal", "").strip():
        problems.append(text(lang, "goals.card.need_goal"))
    if not fields.get("step", "").strip():
        problems.append(text(lang, "goals.card.need_step"))
    for name in FIELDS:
        if len(fields.get(name, "")) > FIELD_LIMIT:
            label = text(lang, f"goals.card.{name}_label")
            problems.append(text(lang, "goals.card.too_long", field=label, limit=FIELD_LIMIT))
    return problems


def saved_goals(store: Store, code: str) -> dict[str, dict[str, Any]]:
    """The latest saved version of each of ``code``'s goal cards, by goal id."""
    goals: dict[str, dict[str, Any]] = {}
    for entry in store.entries(code, APP):
        if entry.key == GOAL_KEY and isinstance(entry.value, dict):
            goals[str(entry.value.get("id", "goal-1"))] = sealing.open_fields(store, code, entry.value, FIELDS)
    return goals


def saved_check_ins(store: Store, code: str, goal_id: str | None = None) -> list[dict[str, Any]]:
    """``code``'s check-ins on committed steps, oldest first (one goal's if ``goal_id``)."""
    found = []
    for entry in store.entries(code, APP):
        value = entry.value
        if (
            entry.key == CHECK_IN_KEY
            and isinstance(value, dict)
            and value.get("status") in STATUSES
            and (goal_id is None or value.get("goal") == goal_id)
        ):
            found.append(sealing.open_fields(store, code, value, ("note",)))
    return found


class GoalCard(Exercise):
    """Write a goal card and check in on its first step.

    Parameters
    ----------
    context:
        Language and mode. On a projector the card's questions are shown as prompts for
        a group, with no boxes to fill in and nothing saved.
    store, code:
        Where the card and check-ins are saved; without them nothing is kept.
    goal_id:
        Which of the person's goals this card is (one card per id).
    values:
        Value card ids offered first (e.g. the person's top values); all cards follow.
    today:
        Gives the date of a check-in; ``date.today`` by default (tests pass their own).

    Attributes
    ----------
    value_id:
        The value card this goal is for ("" until chosen).
    goal, step, when, obstacle, plan, support:
        The card's fields as the person typed them.
    check_ins:
        The check-ins on this goal's step, oldest first: ``{"goal", "status", "on", "note"}``.
    """

    value_id = traitlets.Unicode("", help="Id of the value card this goal is for")
    goal = traitlets.Unicode("", help="The goal, in the person's words")
    step = traitlets.Unicode("", help="The first small step")
    when = traitlets.Unicode("", help="When the person will take the step")
    obstacle = traitlets.Unicode("", help="What might get in the way")
    plan = traitlets.Unicode("", help="What the person will do if it does")
    support = traitlets.Unicode("", help="Who can support them (no full names needed)")
    check_ins = traitlets.List(traitlets.Dict(), help="Check-ins on the step, oldest first")

    def __init__(
        self,
        *,
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        goal_id: str = "goal-1",
        values: Sequence[str] = (),
        today: Callable[[], date] = date.today,
        **kwargs: Any,
    ) -> None:
        super().__init__(context=context, store=store, **kwargs)
        self.code = "" if self.context.projector else code
        self.goal_id = goal_id
        self.today = today
        self.cards = {card.id: card for card in value_cards(self.context.lang)}
        self.add_class("within-cards")
        self.add_class("within-goal-card")
        self._quiet = False
        self._safe = self.kindly
        if self.context.projector:
            self.children = [CardStyles(), w.HTML(self._prompts_html())]
            return
        self._build(values)
        self._restore()
        self._render_history()

    # -- the card -------------------------------------------------------------------------

    def fields(self) -> dict[str, str]:
        """The card's fields, trimmed."""
        return {name: getattr(self, name).strip() for name in FIELDS}

    def snapshot(self) -> dict[str, Any]:
        """What is saved for the card."""
        return {"id": self.goal_id, "value": self.value_id, **self.fields()}

    def problems(self) -> list[str]:
        """Kind words for whatever keeps the card from being complete."""
        return check_goal(self.fields(), self.context.lang)

    @property
    def complete(self) -> bool:
        """Whether the card has a goal and a first step, within the length limits."""
        return not self.problems()

    def save(self) -> bool:
        """Check and save the card; kind words say what is missing. True when saved."""
        problems = self.problems()
        if problems:
            self.say(" ".join(problems))
            return False
        if not self._save_card():
            return False
        self.say(self.context.t("goals.card.saved"))
        self._refresh_check_in()
        return True

    def offer_values(self, ids: Sequence[str]) -> None:
        """Offer these value cards first in the choice of value (e.g. new top values)."""
        first = [i for i in ids if i in self.cards]
        rest = [i for i in self.cards if i not in first]
        options = [(self.context.t("goals.card.value_none"), "")]
        options += [(self.cards[i].name, i) for i in first + rest]
        self._quiet = True
        try:
            self.value_input.options = options
            self.value_input.value = self.value_id if self.value_id in self.cards else ""
        finally:
            self._quiet = False

    # -- check-ins ------------------------------------------------------------------------

    def check_in(self, status: str, note: str = "") -> str:
        """Record how the step went ("done", "partly", "not_yet"); returns the kind reply."""
        t = self.context.t
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        if not self.complete:
            return t("goals.check_in.no_goal")
        note = (note or "").strip()
        if len(note) > NOTE_LIMIT:
            return t("goals.card.too_long", field=t("goals.check_in.note_label"), limit=NOTE_LIMIT)
        record = {
            "goal": self.goal_id,
            "status": status,
            "on": self.today().isoformat(),
            "note": note,
        }
        if self.store is not None and self.code:
            try:
                kept = sealing.seal_fields(self.store, self.code, record, ("note",))
            except sealing.Locked:
                return t("sealed.errors.locked")
            self.store.add_entry(self.code, APP, CHECK_IN_KEY, kept)
        self.check_ins = [*self.check_ins, record]
        self.note_input.value = ""
        return t(f"goals.check_in.thanks_{status}")

    # -- building ---------------------------------------------------------------------------

    def _build(self, values: Sequence[str]) -> None:
        t = self.context.t
        self.value_input = w.Dropdown(
            description=t("goals.card.value_label"), layout=w.Layout(width="100%")
        )
        self.offer_values(values)
        self.value_input.observe(self._safe(self._value_chosen), names="value")
        self.inputs: dict[str, w.Textarea] = {}
        for name in FIELDS:
            box = w.Textarea(
                description=t(f"goals.card.{name}_label"),
                placeholder=t(f"goals.card.{name}_placeholder"),
                continuous_update=False,
                rows=2,
                layout=w.Layout(width="100%"),
            )
            box.observe(
                self._safe(lambda change, n=name: self._typed(n, change["new"])), names="value"
            )
            self.inputs[name] = box
        self.save_button = w.Button(description=t("goals.card.save"), button_style="primary")
        self.save_button.on_click(self._safe(lambda _b: self.save()))
        self.card_box = w.VBox(
            [
                w.HTML(
                    f"<h3>{plain(t('goals.card.heading'))}</h3><p>{plain(t('goals.card.intro'))}</p>"
                ),
                self.value_input,
                *self.inputs.values(),
                self.save_button,
                self.message,
            ]
        )
        self.status_buttons = {
            status: w.Button(
                description=t(f"goals.check_in.{status}"), layout=w.Layout(width="100%")
            )
            for status in STATUSES
        }
        for status, button in self.status_buttons.items():
            button.on_click(self._safe(lambda _b, s=status: self._checked_in(s)))
        self.note_input = w.Textarea(
            description=t("goals.check_in.note_label"), rows=2, layout=w.Layout(width="100%")
        )
        self.check_in_message = w.HTML()
        self.check_in_state = w.HTML()
        self.history_view = w.HTML()
        buttons = w.VBox(list(self.status_buttons.values()))
        buttons.add_class("within-stack")
        self.check_in_box = w.VBox(
            [
                w.HTML(
                    f"<h3>{plain(t('goals.check_in.heading'))}</h3><p>{plain(t('goals.check_in.intro'))}</p>"
                ),
                self.check_in_state,
                self.note_input,
                buttons,
                self.check_in_message,
                self.history_view,
            ]
        )
        self.observe(lambda _c: self._render_history(), names="check_ins")
        self.children = [CardStyles(), self.card_box, self.check_in_box]

    def _value_chosen(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self.value_id = change["new"] or ""
        self._save_card()

    def _typed(self, name: str, typed: str) -> None:
        if self._quiet:
            return
        setattr(self, name, typed or "")
        too_long = [p for p in self.problems() if str(FIELD_LIMIT) in p]
        if too_long:
            self.say(" ".join(too_long))
            return
        if not self._save_card():
            return
        self.say(self.context.t("goals.card.autosaved"))
        self._refresh_check_in()

    def _checked_in(self, status: str) -> None:
        reply = self.check_in(status, self.note_input.value)
        self.check_in_message.value = f'<p class="within-note" role="status">{plain(reply)}</p>'

    def _render_history(self) -> None:
        t = self.context.t
        if not self.check_ins:
            self.history_view.value = ""
            return
        rows = "".join(
            "<li>"
            + plain(
                t(
                    "goals.check_in.history_row",
                    date=c.get("on", ""),
                    status=t(f"goals.status.{c['status']}"),
                )
            )
            + (f"<br>{plain(t('sealed.locked_text'))}" if c.get("locked") else "")
            + (f"<br>{plain(c['note'])}" if c.get("note") else "")
            + "</li>"
            for c in self.check_ins
        )
        self.history_view.value = f'<h4>{plain(t("goals.check_in.history_heading"))}</h4><ul class="within-history">{rows}</ul>'

    def _prompts_html(self) -> str:
        t = self.context.t
        items = "".join(
            f"<li>{plain(t(f'goals.card.{name}_label'))}</li>" for name in ("value", *FIELDS)
        )
        return f'<h3>{plain(t("goals.card.heading"))}</h3><ol class="within-prompt">{items}</ol>'


    # -- saving -----------------------------------------------------------------------------

    def _refresh_check_in(self) -> None:
        ready = self.complete
        for button in self.status_buttons.values():
            button.disabled = not ready
        self.note_input.disabled = not ready
        self.check_in_state.value = (
            ""
            if ready
            else f'<p class="within-note">{plain(self.context.t("goals.check_in.no_goal"))}</p>'
        )

    def _restore(self) -> None:
        if self.store is None or not self.code:
            self._refresh_check_in()
            return
        saved = saved_goals(self.store, self.code).get(self.goal_id, {})
        self._quiet = True
        try:
            for name in FIELDS:
                value = str(saved.get(name, ""))[:FIELD_LIMIT]
                setattr(self, name, value)
                self.inputs[name].value = value
            chosen = str(saved.get("value", ""))
            self.value_id = chosen if chosen in self.cards else ""
            self.value_input.value = self.value_id
        finally:
            self._quiet = False
        self._locked = bool(saved.get("locked"))
        if self._locked:  # sealed and not opened: typing would save over the sealed card
            for box in self.inputs.values():
                box.disabled = True
            self.say(self.context.t("sealed.errors.locked"))
        self.check_ins = saved_check_ins(self.store, self.code, self.goal_id)
        self._refresh_check_in()

    def _save_card(self) -> bool:
        """Save the card (its words sealed if the person seals their writing); False, with
        kind words, when their writing is locked and the passphrase not typed yet."""
        if self.store is None or not self.code:
            return True
        try:
            if getattr(self, "_locked", False):
                raise sealing.Locked()
            kept = sealing.seal_fields(self.store, self.code, self.snapshot(), FIELDS)
        except sealing.Locked:
            self.say(self.context.t("sealed.errors.locked"))
            return False
        self.store.add_entry(self.code, APP, GOAL_KEY, kept)
        return True
