"""Scoring an instrument honestly, including when someone used their right to pass.

A total is only claimed when every item was answered. With items missing, a band is
shown as "at least" when the answered items alone already reach it, the referral card
still appears when they alone reach a referral band, and otherwise the result says it
is incomplete. Item rules (an answer that shows a support card on its own) apply
whatever the total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from widgets.core.instrument import Band, Instrument, ItemRule

Answers = Mapping[str, int | None]


@dataclass(frozen=True)
class Result:
    """What a set of answers means, in a form every view and export can use.

    Attributes
    ----------
    answers:
        Every item id with its code, or None where the person passed.
    total:
        The sum of codes, or None when any item is missing (no total is claimed).
    answered_total:
        The sum of the answered items only.
    band:
        The band of the total; with items missing, the highest band the answered items
        alone reach above the lowest (then ``at_least`` is True), or None.
    flagged:
        The band is above the lowest one (for the Thai scale: 16 or more).
    referral:
        The referral card must be shown.
    rules:
        Item rules triggered by single answers.
    """

    instrument_id: str
    instrument_version: str
    answers: dict[str, int | None]
    total: int | None
    answered_total: int
    missing: tuple[str, ...]
    band: Band | None
    at_least: bool
    flagged: bool
    referral: bool
    rules: tuple[ItemRule, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def support(self) -> bool:
        """Some single answer asks for the support card."""
        return bool(self.rules)


def check_answers(instrument: Instrument, answers: Answers) -> dict[str, int | None]:
    """Every item id with a valid code or None; unknown items or codes raise ``ValueError``."""
    item_ids, codes = instrument.item_ids, instrument.codes
    unknown = sorted(set(answers) - set(item_ids))
    if unknown:
        raise ValueError(f"unknown item id {unknown[0]!r}")
    checked: dict[str, int | None] = {}
    for item_id in item_ids:
        value = answers.get(item_id)
        if value is not None and (isinstance(value, bool) or value not in codes):
            raise ValueError(f"{item_id}: {value!r} is not one of the codes {instrument.codes}")
        checked[item_id] = value
    return checked


def score(instrument: Instrument, answers: Answers) -> Result:
    """Score ``answers`` (item id -> code, None or absent for a passed item)."""
    checked = check_answers(instrument, answers)
    missing = tuple(item for item, value in checked.items() if value is None)
    answered_total = sum(value for value in checked.values() if value is not None)
    bands = sorted(instrument.spec.bands, key=lambda b: b.min)
    if not missing:
        total: int | None = answered_total
        band = next(b for b in bands if b.min <= answered_total <= b.max)
        at_least = False
    else:
        total = None
        reached = [b for b in bands[1:] if answered_total >= b.min]
        band = reached[-1] if reached else None
        at_least = band is not None
    rules = tuple(
        rule
        for rule in instrument.spec.item_rules
        if checked.get(rule.item) is not None and checked[rule.item] >= rule.at_least
    )
    return Result(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers=checked,
        total=total,
        answered_total=answered_total,
        missing=missing,
        band=band,
        at_least=at_least,
        flagged=band is not None and band is not bands[0],
        referral=band is not None and band.referral,
        rules=rules,
    )
