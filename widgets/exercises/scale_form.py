"""Any instrument from content as a form: one item per screen on phones, or all at once.

A person may pass on any item. Submitting with items unanswered never fails: the form
names them and offers to answer them now or finish without them. Answers are saved as
they are given, so a person can leave and resume; the raw answers are always stored
with the score, so every submission can be re-scored later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.likert import LikertGroup
from widgets.core.context import PageContext
from widgets.core.instrument import Instrument
from widgets.core.instrument import instrument as shipped_instrument
from widgets.core.markup import plain
from widgets.core.read_aloud import unit
from widgets.core.risk_screen import risk_check_reasons
from widgets.core.scoring import Result, score
from widgets.exercises.base import Exercise
from widgets.exercises.result_card import Setting, result_html

if TYPE_CHECKING:
    from widgets.store import Store

PROGRESS_PREFIX = "scale:"


class ScaleForm(Exercise):
    """Administer an instrument and show its result.

    Parameters
    ----------
    instrument:
        An instrument id from ``content/instruments/`` or an :class:`Instrument`.
    context:
        Language and mode. On a projector the form is never shown: answers and scores
        are personal.
    one_per_screen:
        One item at a time (phones, reading aloud) or every item on one page.
    setting:
        "self" when a person fills it in alone (the result says nobody was told),
        "staff" when outreach staff administer it (the result gives the referral steps).
    store, code:
        Where answers are kept (as they are given) and the submission saved.
    administered:
        How it is filled in, stored with the submission: "self", "read-aloud", "paper".
    on_submit:
        Called with the :class:`~widgets.core.scoring.Result` once submitted.

    Attributes
    ----------
    answers:
        Item id -> chosen code, for the items answered so far.
    position:
        The item on screen (one per screen).
    result:
        The scored result after submitting, else None.
    """

    answers = traitlets.Dict(help="Chosen code by item id")
    position = traitlets.Int(0, help="Item on screen, from 0, when one per screen")
    result = traitlets.Instance(Result, allow_none=True, help="The result once submitted")

    def __init__(
        self,
        instrument: str | Instrument = "thai-internalised-stigma",
        *,
        context: PageContext | None = None,
        one_per_screen: bool = True,
        setting: Setting = "self",
        store: Store | None = None,
        code: str = "",
        administered: str = "self",
        on_submit: Callable[[Result], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(context=context, **kwargs)
        self.instrument = shipped_instrument(instrument) if isinstance(instrument, str) else instrument
        self.one_per_screen = one_per_screen
        self.setting = setting
        self.store, self.code, self.administered = store, code, administered
        self.on_submit = on_submit
        self.submission_id: int | None = None
        self.safety_question: w.Widget | None = None
        self.add_class("within-scale-form")
        t = self.context.t
        words = self.instrument.words(self.context.lang)
        if self.context.projector:
            self.children = [w.HTML(f'<p class="within-note">{plain(t("common.projector_unavailable"))}</p>')]
            return
        safe = self.kindly
        self.intro = w.HTML(unit("step", f"<h2>{plain(words.title)}</h2><p>{plain(words.instructions)}</p>"))
        self.progress = w.HTML()
        self.likert = LikertGroup(
            options=[
                {"code": option.code, "label": words.options[option.id]}
                for option in self.instrument.spec.options
            ]
        )
        self.likert.observe(safe(self._answered), names="value")
        self.back_button = w.Button(description=t("scale.back"))
        self.next_button = w.Button(description=t("scale.next"), button_style="primary")
        submit_key = "scale.submit_staff" if setting == "staff" else "scale.submit"
        self.submit_button = w.Button(description=t(submit_key), button_style="primary")
        self.answer_them_button = w.Button(description=t("scale.answer_them"))
        self.finish_anyway_button = w.Button(description=t("scale.finish_anyway"))
        self.back_button.on_click(safe(lambda _b: self.go(self.position - 1)))
        self.next_button.on_click(safe(lambda _b: self.go(self.position + 1)))
        self.submit_button.on_click(safe(lambda _b: self.submit()))
        self.answer_them_button.on_click(safe(lambda _b: self._answer_missing()))
        self.finish_anyway_button.on_click(safe(lambda _b: self.submit(allow_missing=True)))
        self.buttons = w.HBox()
        self.buttons.add_class("within-buttons")
        self.result_view = w.HTML()
        self._restore()
        self.observe(lambda _c: self._draw(), names=["position"])
        self._draw()

    # -- actions ----------------------------------------------------------------------

    def choose(self, item_id: str, code: int | None) -> None:
        """Answer (or clear) one item, as a click on the form would."""
        self.likert.choose(item_id, code)

    def go(self, position: int) -> None:
        """Show another item (one per screen)."""
        self.position = max(0, min(position, len(self.instrument.item_ids) - 1))
        self.likert.focus_first += 1
        self._save_place()

    def submit(self, *, allow_missing: bool = False) -> Result | None:
        """Score and save; with items unanswered, name them first unless ``allow_missing``."""
        missing = [i for i in self.instrument.item_ids if i not in self.answers]
        if missing and not allow_missing:
            numbers = ", ".join(str(self.instrument.item_ids.index(i) + 1) for i in missing)
            self.message.value = (
                f'<p class="within-note" role="status">{plain(self.context.t("scale.unanswered", items=numbers))}</p>'
            )
            self.buttons.children = [self.answer_them_button, self.finish_anyway_button]
            return None
        result = score(self.instrument, self.answers)
        if self.store is not None and self.code:
            self.submission_id = self.store.add_submission(
                self.code, result, language=self.context.lang, administered=self.administered
            )
            self.store.save_progress(self.code, self._flow, "submitted", {"answers": {}})
        self.result = result
        self.result_view.value = result_html(self.instrument, result, self.context, self.setting)
        self.message.value = ""
        self.children = [self.result_view]
        if self.setting == "self" and risk_check_reasons(self.instrument, result):
            # The crisis line first, then one gentle question; nothing of it is stored.
            from widgets.exercises.risk_check import SafetyQuestion

            self.safety_question = SafetyQuestion(self.context)
            self.children = [self.safety_question, self.result_view]
        if self.on_submit is not None:
            self.on_submit(result)
        return result

    # -- drawing ----------------------------------------------------------------------

    @property
    def _flow(self) -> str:
        return PROGRESS_PREFIX + self.instrument.id

    def _items(self) -> list[dict[str, Any]]:
        words = self.instrument.words(self.context.lang)
        return [
            {"id": item_id, "text": words.items[item_id], "number": number}
            for number, item_id in enumerate(self.instrument.item_ids, start=1)
        ]

    def _draw(self) -> None:
        t = self.context.t
        items = self._items()
        total = len(items)
        answered = len(self.answers)
        if self.one_per_screen:
            self.likert.items = [items[self.position]]
            where = t("scale.question_of", number=self.position + 1, total=total)
            last = self.position == total - 1
            self.back_button.disabled = self.position == 0
            self.buttons.children = [self.back_button, self.submit_button if last else self.next_button]
        else:
            self.likert.items = items
            where = ""
            self.buttons.children = [self.submit_button]
        counted = t("scale.answered_of", answered=answered, total=total)
        self.progress.value = (
            f'<p class="within-progress" role="status" aria-live="polite">{plain(where)} '
            f'<span class="within-quiet">({plain(counted)})</span></p>'
        )
        self.children = [self.intro, self.progress, self.likert, self.message, self.buttons]

    def _answered(self, change: dict[str, Any]) -> None:
        codes = self.instrument.codes
        self.answers = {
            k: v for k, v in change["new"].items()
            if k in self.instrument.item_ids and type(v) is int and v in codes  # not True, not 1.0
        }
        self.message.value = ""
        self._save_place()
        self._draw()

    def _save_place(self) -> None:
        if self.store is not None and self.code:
            step = self.instrument.item_ids[self.position]
            self.store.save_progress(self.code, self._flow, step, {"answers": self.answers})

    def _answer_missing(self) -> None:
        missing = [i for i in self.instrument.item_ids if i not in self.answers]
        self.message.value = ""
        if missing and self.one_per_screen:
            self.go(self.instrument.item_ids.index(missing[0]))
        self._draw()

    def _restore(self) -> None:
        if self.store is None or not self.code:
            return
        saved = self.store.load_progress(self.code, self._flow)
        if saved is None or saved.step_id == "submitted":
            return
        answers = {k: v for k, v in (saved.state.get("answers") or {}).items() if k in self.instrument.item_ids}
        self.likert.value = answers
        self.answers = answers
        if saved.step_id in self.instrument.item_ids:
            self.position = self.instrument.item_ids.index(saved.step_id)

