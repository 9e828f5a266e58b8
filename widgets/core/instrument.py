"""Questionnaires (instruments) as data: structure and scoring in one file, words per language.

``content/instruments/<id>.yaml`` holds what never changes with language: item ids,
answer options with explicit numeric codes, scoring, bands and item-level rules.
``content/<lang>/instruments/<id>.yaml`` holds the words. Any instrument written this
way works with the same :class:`~widgets.exercises.scale_form.ScaleForm` and ``within score``.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from widgets.core.content import DEFAULT_LANGUAGE, ContentError, ContentLibrary, library

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Strict):
    """One question; ``reconstructed`` marks wording rebuilt from a damaged source."""

    id: str = Field(pattern=ID_PATTERN)
    reconstructed: bool = False


class Option(_Strict):
    """One possible answer and the number it is scored as."""

    id: str = Field(pattern=ID_PATTERN)
    code: int


class Scoring(_Strict):
    method: Literal["sum"] = "sum"


class Band(_Strict):
    """A range of totals with its own words; ``referral`` bands show the referral card."""

    id: str = Field(pattern=ID_PATTERN)
    min: int
    max: int
    referral: bool = False


class ItemRule(_Strict):
    """An answer to one item that shows a card on its own, whatever the total."""

    id: str = Field(pattern=ID_PATTERN)
    item: str
    at_least: int
    shows: Literal["support"] = "support"


class RiskCheck(_Strict):
    """When staff are prompted to ask a short risk screen (``content/risk_screens/<screen>.yaml``)."""

    screen: str = Field(pattern=ID_PATTERN)
    after_rules: tuple[str, ...] = Field((), description="Item rules (such as no_future) that call for it")
    after_referral: bool = Field(True, description="A referral band calls for it too")


class Provenance(_Strict):
    """What comes from the instrument's source, and what the adapter (Within) added."""

    pilot: str = Field("", description="Taken from the source programme")
    within: str = Field("", description="Within's own additions and assumptions")


class InstrumentSpec(_Strict):
    """The language-free part of an instrument."""

    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    source: str = Field("", description="Where the instrument comes from")
    notes: str = Field("", description="Coding decisions and caveats, shown in the codebook")
    provenance: Provenance = Provenance()
    items: tuple[Item, ...] = Field(min_length=1)
    options: tuple[Option, ...] = Field(min_length=2)
    scoring: Scoring = Scoring()
    bands: tuple[Band, ...] = Field(min_length=1)
    item_rules: tuple[ItemRule, ...] = ()
    risk_check: RiskCheck | None = None

    @model_validator(mode="after")
    def _consistent(self) -> InstrumentSpec:
        for name, ids in (
            ("items", [i.id for i in self.items]),
            ("options", [o.id for o in self.options]),
            ("bands", [b.id for b in self.bands]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{name} ids must be unique")
        codes = [o.code for o in self.options]
        if len(set(codes)) != len(codes):
            raise ValueError("option codes must be unique")
        lowest, highest = self.possible_range
        expected = lowest
        for band in sorted(self.bands, key=lambda b: b.min):
            if band.min != expected or band.max < band.min:
                raise ValueError(
                    f"bands must cover every total from {lowest} to {highest} without gaps "
                    f"or overlaps; band '{band.id}' starts at {band.min}, expected {expected}"
                )
            expected = band.max + 1
        if expected - 1 != highest:
            raise ValueError(f"bands must end at the highest possible total, {highest}")
        item_ids = {i.id for i in self.items}
        for rule in self.item_rules:
            if rule.item not in item_ids:
                raise ValueError(f"item rule '{rule.id}' names unknown item '{rule.item}'")
        rule_ids = {r.id for r in self.item_rules}
        for rule_id in self.risk_check.after_rules if self.risk_check else ():
            if rule_id not in rule_ids:
                raise ValueError(f"risk_check names unknown item rule '{rule_id}'")
        return self

    @property
    def possible_range(self) -> tuple[int, int]:
        codes = [o.code for o in self.options]
        return min(codes) * len(self.items), max(codes) * len(self.items)


class LowestWords(_Strict):
    label: str = Field(min_length=1)
    message: str = Field(min_length=1)


class BandWords(_Strict):
    label: str = Field(min_length=1)
    message: str = Field(min_length=1)
    at_lowest: LowestWords | None = Field(
        None, description="Words for the lowest possible total (e.g. 0), where 'some' would be untrue"
    )


class RuleWords(_Strict):
    message: str = Field(min_length=1)


class InstrumentWords(_Strict):
    """The words of an instrument in one language."""

    quoted: bool = Field(False, description="Item texts quote self-critical thoughts on purpose")
    title: str = Field(min_length=1)
    short_title: str = Field(min_length=1)
    instructions: str = Field(min_length=1)
    items: dict[str, str]
    options: dict[str, str]
    bands: dict[str, BandWords]
    rules: dict[str, RuleWords] = {}


class Instrument:
    """An instrument's structure with its words in every language that has them.

    Parameters
    ----------
    spec:
        The structure and scoring.
    words:
        Words by language code; English is required.
    """

    def __init__(self, spec: InstrumentSpec, words: Mapping[str, InstrumentWords]) -> None:
        self.spec = spec
        self._words = dict(words)
        # Asked for once per answer when scoring whole sheets: worked out once here.
        self._item_ids = tuple(item.id for item in spec.items)
        self._codes = tuple(option.code for option in spec.options)
        self._code_set = frozenset(self._codes)
        self._labels = {
            _fold(language.options[option.id]): option.code
            for language in self._words.values()
            for option in spec.options
        }
        self._labels.update({_fold(option.id.replace("_", " ")): option.code for option in spec.options})

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> str:
        return self.spec.version

    @property
    def item_ids(self) -> list[str]:
        return list(self._item_ids)

    @property
    def codes(self) -> list[int]:
        return list(self._codes)

    @property
    def languages(self) -> list[str]:
        return list(self._words)

    def words(self, lang: str) -> InstrumentWords:
        """The words in ``lang``, or English when the instrument is not translated yet."""
        return self._words.get(lang) or self._words[DEFAULT_LANGUAGE]

    def code_for(self, answer: str | int) -> int:
        """The numeric code of an answer given as a code or as an option label in any language.

        Raises ``ValueError`` with a plain reason for anything else.
        """
        if isinstance(answer, bool):  # a bool is an int to Python, never an answer here
            raise ValueError(f"'{answer}' is not an answer")  # noqa: TRY004 - callers catch ValueError
        if isinstance(answer, int):
            if answer in self._code_set:
                return answer
            raise ValueError(f"{answer} is not one of the codes {self.codes}")
        text = str(answer).strip()
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            if number.is_integer() and int(number) in self._code_set:
                return int(number)
            raise ValueError(f"{text} is not one of the codes {self.codes}")
        folded = _fold(text)
        if folded in self._labels:
            return self._labels[folded]
        raise ValueError(f"'{text}' is not one of the answers")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def load_instrument(instrument_id: str, content: ContentLibrary | None = None) -> Instrument:
    """Read an instrument and its words, checking that every language names the same ids."""
    content = content or library()
    if not (content.root / "instruments" / f"{instrument_id}.yaml").is_file():
        known = ", ".join(instrument_ids(content)) or "none"
        raise ContentError(
            f"content/instruments/{instrument_id}.yaml", "", f"no such instrument (known: {known})"
        )
    spec = content.load(f"instruments/{instrument_id}.yaml", InstrumentSpec)
    if spec.id != instrument_id:
        raise ContentError(f"content/instruments/{instrument_id}.yaml", "id", "must match the file name")
    words = {}
    for lang in content.languages():
        relative = f"{lang}/instruments/{instrument_id}.yaml"
        if not (content.root / relative).is_file():
            continue
        language_words = content.load(relative, InstrumentWords)
        _check_words(f"content/{relative}", spec, language_words)
        words[lang] = language_words
    if DEFAULT_LANGUAGE not in words:
        raise ContentError(f"content/{DEFAULT_LANGUAGE}/instruments/{instrument_id}.yaml", "", "the file is missing")
    return Instrument(spec, words)


def _check_words(file: str, spec: InstrumentSpec, words: InstrumentWords) -> None:
    for field, expected, found in (
        ("items", [i.id for i in spec.items], words.items),
        ("options", [o.id for o in spec.options], words.options),
        ("bands", [b.id for b in spec.bands], words.bands),
        ("rules", [r.id for r in spec.item_rules], words.rules),
    ):
        missing = [key for key in expected if key not in found]
        extra = [key for key in found if key not in expected]
        if missing:
            raise ContentError(file, f"{field}.{missing[0]}", "missing: every id in the instrument needs words")
        if extra:
            raise ContentError(file, f"{field}.{extra[0]}", "not an id of this instrument")


def instrument_ids(content: ContentLibrary | None = None) -> list[str]:
    """Every instrument shipped in ``content/instruments/``."""
    content = content or library()
    return sorted(path.stem for path in (content.root / "instruments").glob("*.yaml"))


@functools.cache
def instrument(instrument_id: str) -> Instrument:
    """A shipped instrument, read once per process."""
    return load_instrument(instrument_id)
