"""Staff training on the screening tool: introducing it, reading a score, the risk check
(after sentence 6 or a total of 20 or more), the referral protocol, confidentiality, and
practice cases with feedback.

The practice cases are made-up answer sets (``content/<lang>/staff_training.yaml``).
A trainee's reading is checked against :func:`widgets.core.scoring.score` on the real
instrument (:func:`widgets.core.instrument.instrument`), so the training can never disagree
with what the screening app shows. Nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.controls.choice_list import ChoiceList
from widgets.core.content import DEFAULT_LANGUAGE, library
from widgets.core.context import PageContext
from widgets.core.instrument import Instrument, instrument
from widgets.core.markup import plain
from widgets.core.risk_screen import risk_check_reasons
from widgets.core.scoring import Result, score
from widgets.exercises.navigator import StepNavigator

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage

INSTRUMENT = "thai-internalised-stigma"
APP = "staff-training"


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    answers: dict[str, int | None]


@dataclass(frozen=True)
class Reading:
    """A trainee's reading of one case."""

    total: int | None
    band: str | None
    referral: bool | None
    risk_check: bool | None = None


def cases(lang: str, tool: Instrument | None = None) -> list[Case]:
    """The practice cases: made-up codes per item, ``-`` for a skipped sentence."""
    tool = tool or instrument(INSTRUMENT)
    english = library().strings(DEFAULT_LANGUAGE, "staff_training")["cases"]
    found = []
    for cid, spec in english.items():
        codes = [part.strip() for part in spec["answers"].split(",")]
        if len(codes) != len(tool.item_ids):
            raise ValueError(f"case {cid}: {len(codes)} answers for {len(tool.item_ids)} items")
        answers = {
            item: (None if code == "-" else int(code)) for item, code in zip(tool.item_ids, codes)
        }
        found.append(Case(cid, library().text(lang, f"staff_training.cases.{cid}.title"), answers))
    return found


def check(result: Result, reading: Reading) -> bool:
    """Whether a reading matches the scored result (the answered total when items were skipped)."""
    expected_total = result.total if result.total is not None else result.answered_total
    return (
        reading.total == expected_total
        and reading.band == (result.band.id if result.band else None)
        and reading.referral == result.referral
        and reading.risk_check == bool(risk_check_reasons(instrument(INSTRUMENT), result))
    )


def explain(result: Result, lang: str, tool: Instrument | None = None) -> list[str]:
    """Why the result is what it is, in words, for the feedback."""
    tool = tool or instrument(INSTRUMENT)
    t = lambda key, **f: library().text(lang, f"staff_training.practice.{key}", **f)
    lines = []
    if result.total is not None:
        lines.append(t("explain_total", total=result.total))
    else:
        lines.append(t("explain_partial", skipped=len(result.missing), total=result.answered_total))
    if result.band is not None:
        lines.append(t("explain_band", band=tool.words(lang).bands[result.band.id].label))
    lines.append(t("explain_referral" if result.referral else "explain_no_referral"))
    if result.support:
        lines.append(t("explain_support"))
    lines.append(t("explain_risk_check" if risk_check_reasons(tool, result) else "explain_no_risk_check"))
    return lines


class PracticeCases(w.VBox):
    """Read a made-up answer set, say total, band and referral, and get feedback."""

    def __init__(self, *, context: PageContext | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        lang = self.context.lang
        self.tool = instrument(INSTRUMENT)
        words = self.tool.words(lang)
        t = lambda key, **f: self.context.t(f"staff_training.practice.{key}", **f)
        self.t = t
        self.cases = cases(lang, self.tool)
        self.correct: dict[str, bool] = {}
        self.picker = w.Dropdown(
            options=[(case.title, case.id) for case in self.cases],
            description=t("choose"),
            style={"description_width": "initial"},
        )
        self.answers = w.HTML()
        self.total = w.BoundedIntText(
            value=0,
            min=0,
            max=24,
            description=t("total_label"),
            style={"description_width": "initial"},
        )
        self.band = ChoiceList(
            legend=t("band_legend"),
            options={band.id: words.bands[band.id].label for band in self.tool.spec.bands},
            multiple=False,
        )
        self.referral = ChoiceList(
            legend=t("referral_legend"),
            options={"yes": t("answer_yes"), "no": t("answer_no")},
            multiple=False,
        )
        self.risk_check = ChoiceList(
            legend=t("risk_check_legend"),
            options={"yes": t("answer_yes"), "no": t("answer_no")},
            multiple=False,
        )
        self.check_button = w.Button(description=t("check"), button_style="primary")
        self.check_button.on_click(lambda _b: self.check())
        self.feedback = w.HTML()
        self.picker.observe(lambda _c: self.show(), names="value")
        self.add_class("within-practice-cases")
        self.children = [
            self.picker,
            self.answers,
            self.total,
            self.band,
            self.referral,
            self.risk_check,
            self.check_button,
            self.feedback,
        ]
        self.show()

    @property
    def case(self) -> Case:
        return next(case for case in self.cases if case.id == self.picker.value)

    def show(self) -> None:
        lang = self.context.lang
        words = self.tool.words(lang)
        labels = {option.code: words.options[option.id] for option in self.tool.spec.options}
        rows = "".join(
            f"<li>{plain(words.items[item])} <strong>"
            f"{plain(labels[code] if code is not None else self.t('skipped'))}"
            f"{'' if code is None else f' ({code})'}</strong></li>"
            for item, code in self.case.answers.items()
        )
        self.answers.value = f"<h3>{plain(self.t('answers_heading'))}</h3><ol>{rows}</ol>"
        self.total.value = 0
        self.band.value = []
        self.referral.value = []
        self.risk_check.value = []
        self.feedback.value = ""

    def reading(self) -> Reading:
        return Reading(
            total=self.total.value,
            band=self.band.value[0] if self.band.value else None,
            referral=(self.referral.value[0] == "yes") if self.referral.value else None,
            risk_check=(self.risk_check.value[0] == "yes") if self.risk_check.value else None,
        )

    def check(self) -> bool:
        """Compare the trainee's reading with the scored case and show why."""
        result = score(self.tool, self.case.answers)
        right = check(result, self.reading())
        self.correct[self.case.id] = right
        lines = "".join(
            f"<li>{plain(line)}</li>" for line in explain(result, self.context.lang, self.tool)
        )
        verdict = self.t("right" if right else "not_quite")
        tally = self.t("all_done", right=sum(self.correct.values()), total=len(self.cases))
        self.feedback.value = (
            f'<div class="within-note" role="status"><p><strong>{plain(verdict)}</strong></p>'
            f"<ul>{lines}</ul><p>{plain(tally)}</p></div>"
        )
        return right


def module(context: PageContext | None = None) -> StepNavigator:
    """The training flow, usable alone in JupyterLab; nothing is saved."""
    context = context or PageContext()
    # Which words are still drafts, on the last step.
    from widgets.facilitation.translation_status import TranslationStatus

    return StepNavigator(
        APP,
        context=context,
        step_widgets={"practice": PracticeCases(context=context), "close": TranslationStatus(context=context)},
    )


def build(page: AppPage, _code: str) -> StepNavigator:
    """``AppPage("staff-training", build, personal=False)``."""
    return module(page.context)
