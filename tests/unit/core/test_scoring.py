"""Scoring the Thai Internalised Stigma Scale: cut-offs, the item-6 rule, passed items, answers."""

from __future__ import annotations

import pytest

from widgets.core.instrument import Instrument, instrument
from widgets.core.scoring import check_answers, score

ITEMS = [f"item_{n}" for n in range(1, 9)]


@pytest.fixture(scope="module")
def thai() -> Instrument:
    return instrument("thai-internalised-stigma")


def answers_for(total: int, item_6: int | None = None) -> dict[str, int]:
    """Eight answers adding up to ``total``; ``item_6`` fixed when given (for the rule tests)."""
    fixed = {} if item_6 is None else {"item_6": item_6}
    answers = dict.fromkeys(ITEMS, 0) | fixed
    left = total - sum(fixed.values())
    for item in ITEMS:
        if item not in fixed:
            answers[item] = min(3, left)
            left -= answers[item]
    assert left == 0 and sum(answers.values()) == total
    return answers


@pytest.mark.parametrize(
    ("total", "band", "flagged", "referral"),
    [
        (0, "lower", False, False),
        (15, "lower", False, False),
        (16, "internalised", True, False),
        (19, "internalised", True, False),
        (20, "very_high", True, True),
        (24, "very_high", True, True),
    ],
)
def test_cut_offs(thai: Instrument, total: int, band: str, flagged: bool, referral: bool) -> None:
    result = score(thai, answers_for(total))
    assert result.total == result.answered_total == total
    assert result.band is not None and result.band.id == band
    assert (result.flagged, result.referral, result.at_least) == (flagged, referral, False)
    assert result.complete and result.missing == ()


@pytest.mark.parametrize(("item_6", "triggered"), [(0, False), (1, False), (2, True), (3, True)])
def test_item_6_rule_whatever_the_total(thai: Instrument, item_6: int, triggered: bool) -> None:
    result = score(thai, answers_for(item_6, item_6=item_6))  # only item_6 answered above 0
    assert result.band is not None and result.band.id == "lower"
    assert [rule.id for rule in result.rules] == (["no_future"] if triggered else [])
    assert result.support is triggered


def test_item_6_rule_from_labels(thai: Instrument) -> None:
    agree = {**answers_for(0), "item_6": thai.code_for("agree")}
    disagree = {**answers_for(0), "item_6": thai.code_for("disagree")}
    assert [r.id for r in score(thai, agree).rules] == ["no_future"]
    assert score(thai, disagree).rules == ()


def test_item_6_rule_applies_with_items_passed(thai: Instrument) -> None:
    result = score(thai, {"item_6": 3})
    assert result.total is None and result.band is None
    assert [r.id for r in result.rules] == ["no_future"]


def test_passed_items_claim_no_total(thai: Instrument) -> None:
    answers = {**answers_for(12), "item_8": None}
    result = score(thai, answers)
    assert result.total is None
    assert result.missing == ("item_8",)
    assert result.answered_total == 12
    assert result.band is None and not result.at_least
    assert not result.flagged and not result.referral and not result.complete


def test_below_the_cut_off_with_items_passed_is_incomplete_not_lower(thai: Instrument) -> None:
    answers = {item: 3 for item in ITEMS[:5]}  # 15, three items passed
    result = score(thai, answers)
    assert result.answered_total == 15 and result.band is None and not result.flagged


def test_answered_items_alone_reach_16(thai: Instrument) -> None:
    answers = {item: 3 for item in ITEMS[:5]} | {"item_6": 1}  # 16, two passed
    result = score(thai, answers)
    assert result.total is None and result.missing == ("item_7", "item_8")
    assert result.band is not None and result.band.id == "internalised"
    assert result.at_least and result.flagged and not result.referral


def test_answered_items_alone_reach_20_show_referral(thai: Instrument) -> None:
    answers = {item: 3 for item in ITEMS[:6]} | {"item_7": 2}  # 20, item_8 passed
    result = score(thai, answers)
    assert result.total is None
    assert result.band is not None and result.band.id == "very_high"
    assert result.at_least and result.flagged and result.referral


def test_nothing_answered(thai: Instrument) -> None:
    result = score(thai, {})
    assert result.total is None and result.answered_total == 0
    assert result.missing == tuple(ITEMS)
    assert result.band is None and not result.flagged and result.rules == ()


@pytest.mark.parametrize(
    "answers",
    [{"item_9": 1}, {"item_1": 4}, {"item_1": -1}, {"item_1": True}, {"item_1": "2"}],
)
def test_bad_answers_raise(thai: Instrument, answers: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        check_answers(thai, answers)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("Strongly disagree", 0),
        ("DISAGREE", 1),
        (" agree ", 2),
        ("sTrOnGlY   AgReE", 3),
        ("ไม่เห็นด้วยอย่างยิ่ง", 0),
        ("ไม่เห็นด้วย", 1),
        (" เห็นด้วย ", 2),
        ("เห็นด้วยอย่างยิ่ง", 3),
        ("2", 2),
        ("2.0", 2),
        (" 0 ", 0),
        (3, 3),
    ],
)
def test_code_for_labels_in_both_languages(thai: Instrument, answer: str | int, code: int) -> None:
    assert thai.code_for(answer) == code


@pytest.mark.parametrize("answer", ["maybe", "4", "2.5", "-1", "", 7, True])
def test_code_for_refuses_everything_else(thai: Instrument, answer: str | int) -> None:
    with pytest.raises(ValueError, match="not"):
        thai.code_for(answer)
