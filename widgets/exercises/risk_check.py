"""Asking about safety when answers show risk: staff ask a short risk screen, a person alone
is asked one gentle question.

Staff screening: after sentence 6 ("no future") is agreed with or the total reaches the
referral band, staff are prompted to ask the instrument's risk screen (NIMH's ASQ by
default). Any yes shows the referral steps, an acute yes the urgent steps. Only "risk
check done" and "referral given" are stored (app :data:`APP`), never the answers, and
nothing here is ever exported for research.

A person alone: the crisis line comes first, then one direct, skippable question whose
answer only changes the words on screen. Nobody is alerted and nothing is stored: the
widget is given no store at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.choice_list import ChoiceList
from widgets.core.content import Contact, contacts
from widgets.core.context import PageContext
from widgets.core.markup import markdown, plain
from widgets.core.risk_screen import RiskScreen, risk_screen
from widgets.exercises.base import Exercise
from widgets.exercises.result_card import contacts_html

if TYPE_CHECKING:
    from widgets.store import Store

#: Where the two facts a risk check keeps are stored; no export or analysis reads this app.
APP = "risk-check"
DONE_KEY = "done"
REFERRAL_KEY = "referral-given"

STAFF_ANSWERS = ("yes", "no", "declined")
SELF_ANSWERS = ("yes", "no", "skip")

#: A check-in this low on both mood and wellbeing (0-10) is "high distress": Within's own
#: threshold, not from either programme.
DISTRESS_AT_MOST = 2


def high_distress(check_in: Mapping[str, Any]) -> bool:
    """Whether a mood check-in shows high distress (mood and wellbeing both very low)."""
    return (
        check_in.get("mood", 10) <= DISTRESS_AT_MOST
        and check_in.get("wellbeing", 10) <= DISTRESS_AT_MOST
    )


def _first_phone(listed: tuple[Contact, ...]) -> str:
    return next((contact.phone for contact in listed if contact.phone), "")


class RiskCheck(Exercise):
    """Staff ask a short risk screen; the steps follow its answers.

    Parameters
    ----------
    screen:
        A risk screen id from ``content/risk_screens/`` or a :class:`RiskScreen`.
    reasons:
        Why it is due: ``"item"`` and/or ``"total"`` (see ``risk_check_reasons``).
    context:
        Language of the words on screen.
    store, code:
        Where "risk check done" and "referral given" are kept; nothing else is.

    Attributes
    ----------
    answers:
        Question id -> "yes", "no" or "declined", held on screen only.
    outcome:
        "none", "referral" or "urgent" once finished, else "".
    """

    answers = traitlets.Dict(help="Answers on screen only; never stored")
    outcome = traitlets.Unicode("", help="none, referral or urgent once finished")

    def __init__(
        self,
        screen: str | RiskScreen = "asq",
        *,
        reasons: list[str],
        context: PageContext | None = None,
        store: Store | None = None,
        code: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(context=context, store=store, **kwargs)
        self.screen = risk_screen(screen) if isinstance(screen, str) else screen
        self.code = code
        self.add_class("within-risk-check")
        t = self.context.t
        words = self.screen.words(self.context.lang)
        safe = self.kindly
        why = "".join(
            f"<li>{plain(t(f'risk_check.staff.why_{reason}'))}</li>" for reason in reasons
        )
        draft = (
            f'<p class="within-note">{plain(t("risk_check.staff.draft"))}</p>'
            if words.draft
            else ""
        )
        self.header = w.HTML(
            f'<div class="within-card within-card--referral" role="note">'
            f"<h3>{plain(t('risk_check.staff.heading'))}</h3><ul>{why}</ul>"
            f'<p class="within-quiet">{plain(t("risk_check.staff.why_pilot"))}</p>'
            f"<p>{plain(t('risk_check.staff.intro'))}</p>"
            f"<h4>{plain(words.title)}</h4>{draft}<p>{plain(words.instructions)}</p></div>"
        )
        labels = {answer: t(f"risk_check.staff.answers.{answer}") for answer in STAFF_ANSWERS}
        self.questions = {
            q.id: ChoiceList(words.questions[q.id], labels, multiple=False)
            for q in self.screen.spec.questions
        }
        for question in self.questions.values():
            question.observe(safe(self._answered), names="value")
        self.finish_button = w.Button(
            description=t("risk_check.staff.finish"), button_style="primary"
        )
        self.finish_button.on_click(safe(lambda _b: self.finish()))
        self.referral_button = w.Button(description=t("risk_check.staff.referral_given"))
        self.referral_button.on_click(safe(lambda _b: self.give_referral()))
        self.steps = w.HTML()
        self.referral_given = False
        self._draw()

    def answer(self, question_id: str, answer: str) -> None:
        """Mark an answer, as staff would by tapping it."""
        self.questions[question_id].value = [answer]

    def finish(self) -> str | None:
        """Show the steps for the answers and store "risk check done" (only that)."""
        t = self.context.t
        try:
            outcome = self.screen.outcome(self.answers)
        except ValueError:
            self.say_problem(t("risk_check.staff.unanswered"))
            return None
        if self.store is not None and self.code and not self.outcome:
            self.store.add_entry(self.code, APP, DONE_KEY, True)
        self.outcome = outcome
        emergency = _first_phone(contacts().of_kind("emergency")) or t(
            "risk_check.staff.emergency_fallback"
        )
        steps = t(f"risk_check.staff.{outcome}_steps", emergency=emergency)
        self.steps.value = (
            f'<div class="within-card within-card--referral" role="note" data-outcome="{outcome}">'
            f"<h3>{plain(t(f'risk_check.staff.{outcome}_heading'))}</h3>{markdown(steps)}"
            f"{contacts_html(self.context)}</div>"
        )
        self.message.value = ""
        self._recorded()
        self._draw()
        return outcome

    def give_referral(self) -> None:
        """Store "referral given" (once) for this person's code."""
        if self.referral_given:
            return
        if self.store is not None and self.code:
            self.store.add_entry(self.code, APP, REFERRAL_KEY, True)
        self.referral_given = True
        self._recorded()
        self._draw()

    def _recorded(self) -> None:
        t = self.context.t
        referral = t("risk_check.staff.recorded_referral") if self.referral_given else ""
        self.message.value = f'<p class="within-quiet" role="status">{plain(t("risk_check.staff.recorded", referral=referral))}</p>'

    def _answered(self, _change: Any = None) -> None:
        self.answers = {
            qid: choice.value[0] for qid, choice in self.questions.items() if choice.value
        }
        self._draw()

    def _draw(self) -> None:
        asked = [self.questions[q.id] for q in self.screen.asked(self.answers)]
        if self.outcome:
            for question in self.questions.values():
                question.disabled = True
            tail: list[w.Widget] = [self.steps]
            if not self.referral_given:
                tail.append(self.referral_button)
            self.children = [self.header, *asked, *tail, self.message]
            return
        self.children = [self.header, *asked, self.finish_button, self.message]


class SafetyQuestion(Exercise):
    """For a person alone: the crisis line first, then one gentle, skippable question.

    The answer only changes the reply on the message line: there is no store, nothing is
    sent, and nobody is alerted (the words say so).

    Parameters
    ----------
    context:
        Language of the words on screen.

    Attributes
    ----------
    answer:
        "yes", "no", "skip" or "" before an answer; on screen only.
    """

    answer = traitlets.Unicode("", help="The answer on screen only; never stored")

    def __init__(self, context: PageContext | None = None, **kwargs: Any) -> None:
        super().__init__(context=context, **kwargs)  # no store: nothing here is ever kept
        self.add_class("within-safety-question")
        t = self.context.t
        site = contacts()
        first = site.of_kind("crisis") or site.of_kind("emergency")
        crisis = type(site)(country=site.country, confirmed=site.confirmed, contacts=first)
        self.crisis = w.HTML(
            f'<div class="within-card within-card--referral" role="note" data-crisis="true">'
            f"<h3>{plain(t('risk_check.self.crisis_heading'))}</h3>"
            f"<p>{plain(t('risk_check.self.crisis_intro'))}</p>{contacts_html(self.context, crisis)}</div>"
        )
        options = {answer: t(f"risk_check.self.options.{answer}") for answer in SELF_ANSWERS}
        self.choices = ChoiceList(
            t("risk_check.self.legend"), options, multiple=False, hint=t("risk_check.self.hint")
        )
        self.choices.observe(self.kindly(self._answered), names="value")
        self.children = [self.crisis, self.choices, self.message]

    def choose(self, answer: str) -> None:
        """Answer as the person would by tapping ``answer``."""
        self.choices.value = [answer]

    def _answered(self, change: dict[str, Any]) -> None:
        if not change["new"]:
            return
        self.answer = change["new"][0]
        site = contacts()
        fallback = self.context.t("risk_check.staff.emergency_fallback")
        crisis = _first_phone(site.of_kind("crisis")) or fallback
        emergency = _first_phone(site.of_kind("emergency")) or fallback
        self.say(
            self.context.t(
                f"risk_check.self.replies.{self.answer}", crisis=crisis, emergency=emergency
            )
        )
