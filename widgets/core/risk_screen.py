"""Short risk screens (NIMH's ASQ, or a centre's own such as DMH's 8Q) as data, and when to ask.

A risk screen is asked by staff, never scored into a number that is kept: its only outcome
is which steps to follow (none, referral, urgent). ``content/risk_screens/<id>.yaml`` holds
the questions and rules, ``content/<lang>/risk_screens/<id>.yaml`` their words, like an
instrument. An instrument's ``risk_check`` names the screen and when it is due, so safety
follows the risk (an item such as "no future") and not only the total.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from widgets.core.content import DEFAULT_LANGUAGE, ContentError, ContentLibrary, library
from widgets.core.instrument import ID_PATTERN, Instrument
from widgets.core.scoring import Result

Answer = Literal["yes", "no", "declined"]
Outcome = Literal["none", "referral", "urgent"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Strict):
    """One yes/no question; ``asked_if_any`` asks it only after a yes to one of those."""

    id: str = Field(pattern=ID_PATTERN)
    weight: int = Field(1, ge=0)
    asked_if_any: tuple[str, ...] = ()
    acute: bool = Field(False, description="A yes shows the urgent steps at once")


class RiskScreenSpec(_Strict):
    """The language-free part of a risk screen."""

    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    source: str = ""
    notes: str = ""
    questions: tuple[Question, ...] = Field(min_length=1)
    referral_at: int = Field(1, ge=1)
    urgent_at: int | None = Field(None, ge=1)
    declined_counts_as_yes: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> RiskScreenSpec:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique")
        for question in self.questions:
            unknown = [i for i in question.asked_if_any if i not in ids[: ids.index(question.id)]]
            if unknown:
                raise ValueError(
                    f"question '{question.id}' asks after '{unknown[0]}', which is not asked before it"
                )
        return self


class RiskScreenWords(_Strict):
    quoted: bool = Field(
        False, description="Validated wording read word for word (moderation skips it)"
    )
    draft: bool = Field(False, description="An unvalidated translation: staff are told so")
    title: str = Field(min_length=1)
    instructions: str = Field(min_length=1)
    questions: dict[str, str]


class RiskScreen:
    """A risk screen's structure with its words by language (English required)."""

    def __init__(self, spec: RiskScreenSpec, words: Mapping[str, RiskScreenWords]) -> None:
        self.spec = spec
        self._words = dict(words)

    @property
    def id(self) -> str:
        return self.spec.id

    def words(self, lang: str) -> RiskScreenWords:
        return self._words.get(lang) or self._words[DEFAULT_LANGUAGE]

    def asked(self, answers: Mapping[str, Answer]) -> list[Question]:
        """The questions to ask given the answers so far (follow-ups appear after a yes)."""
        return [
            q
            for q in self.spec.questions
            if not q.asked_if_any or any(self._yes(answers.get(i)) for i in q.asked_if_any)
        ]

    def outcome(self, answers: Mapping[str, Answer]) -> Outcome:
        """Which steps to follow; raises ``ValueError`` while an asked question is unanswered."""
        asked = self.asked(answers)
        missing = [q.id for q in asked if answers.get(q.id) not in ("yes", "no", "declined")]
        if missing:
            raise ValueError(f"not answered: {', '.join(missing)}")
        yes = [q for q in asked if self._yes(answers[q.id])]
        total = sum(q.weight for q in yes)
        if any(q.acute for q in yes) or (
            self.spec.urgent_at is not None and total >= self.spec.urgent_at
        ):
            return "urgent"
        if yes and total >= self.spec.referral_at:
            return "referral"
        return "none"

    def _yes(self, answer: Answer | None) -> bool:
        return answer == "yes" or (answer == "declined" and self.spec.declined_counts_as_yes)


def load_risk_screen(screen_id: str, content: ContentLibrary | None = None) -> RiskScreen:
    """Read a risk screen and its words, checking every language names the same questions."""
    content = content or library()
    relative = f"risk_screens/{screen_id}.yaml"
    if not (content.root / relative).is_file():
        raise ContentError(f"content/{relative}", "", "no such risk screen")
    spec = content.load(relative, RiskScreenSpec)
    if spec.id != screen_id:
        raise ContentError(f"content/{relative}", "id", "must match the file name")
    words = {}
    for lang in content.languages():
        words_file = f"{lang}/risk_screens/{screen_id}.yaml"
        if not (content.root / words_file).is_file():
            continue
        language_words = content.load(words_file, RiskScreenWords)
        expected = [q.id for q in spec.questions]
        missing = [i for i in expected if i not in language_words.questions]
        extra = [i for i in language_words.questions if i not in expected]
        if missing or extra:
            field = f"questions.{(missing or extra)[0]}"
            raise ContentError(
                f"content/{words_file}", field, "every question needs words, and only those"
            )
        words[lang] = language_words
    if DEFAULT_LANGUAGE not in words:
        raise ContentError(
            f"content/{DEFAULT_LANGUAGE}/risk_screens/{screen_id}.yaml", "", "the file is missing"
        )
    return RiskScreen(spec, words)


@functools.cache
def risk_screen(screen_id: str) -> RiskScreen:
    """A shipped risk screen, read once per process."""
    return load_risk_screen(screen_id)


def risk_check_reasons(instrument: Instrument, result: Result) -> list[str]:
    """Why a risk check is due after ``result``: ``"item"`` (a rule such as "no future"),
    ``"total"`` (a referral band), or nothing when it is not due."""
    trigger = instrument.spec.risk_check
    if trigger is None:
        return []
    reasons = []
    if any(rule.id in trigger.after_rules for rule in result.rules):
        reasons.append("item")
    if trigger.after_referral and result.referral:
        reasons.append("total")
    return reasons
