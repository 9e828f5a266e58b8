"""The codebook that travels with an export, generated from the instrument content.

Written from ``content/`` at export time rather than by hand, so it can never disagree
with what participants were shown: every column, every item's words in each language
(and whether the wording is reconstructed), every answer code, the bands and the rules.
Researcher-facing, so English; the item and option words appear in every language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from importlib.metadata import PackageNotFoundError, version

from widgets.core.content import DEFAULT_LANGUAGE, library
from widgets.core.instrument import Instrument, InstrumentWords
from widgets.research.spreadsheet_safe import neutralise

COLUMN_MEANINGS: Mapping[str, str] = {
    "code": "The participant's pseudonymous code (never a name); the same person, the same code.",
    "instrument_id": "Which questionnaire was answered; see its section below.",
    "instrument_version": "The version of the questionnaire's wording and scoring answered.",
    "language": "The language the questions were shown in (en = English, th = Thai).",
    "administered": "How it was filled in: self, read-aloud (by staff) or paper.",
    "submitted_on": "The date it was saved (YYYY-MM-DD; times are not kept).",
    "total": "Sum of the item codes. Blank when any item was passed: no total is claimed then.",
    "band": "Band id of the total (see Bands). With items passed: the highest band above the "
    "lowest that the answered items alone reach (then at_least = 1), else blank.",
    "at_least": "1 when the band is an 'at least' band reached with items passed, else 0.",
    "flagged": "1 when the band is above the lowest band (Thai scale: 16 or more), else 0.",
    "referral": "1 when the referral card was shown (a referral band was reached), else 0.",
}
ITEM_MEANING = "Answer code for this item (see Answer codes); blank where the person passed."
LONG_COLUMN_MEANINGS: Mapping[str, str] = {
    "submission_id": "Which questionnaire the answer belongs to: the same number on every "
    "answer of one questionnaire (a row number of the store, not an identifier of a person).",
    **{k: v for k, v in COLUMN_MEANINGS.items() if k not in ("total", "band")},
    "item_id": "The item (question) answered; see Items in its instrument's section.",
    "item_position": "The item's position in the questionnaire (1 = first).",
    "answer_code": "The numeric code of the answer (see Answer codes); blank where passed.",
    "option_id": "The answer option chosen (see Answer codes); blank where passed.",
}


def codebook_markdown(
    instruments: Mapping[str, Instrument],
    columns: Sequence[str],
    day: date,
    rows: int,
    *,
    long_columns: Sequence[str] = (),
) -> str:
    """The codebook as Markdown, for people: the wide file's ``columns`` (one row per
    questionnaire) and, if given, the ``long_columns`` of the long file (one row per answer)."""
    items = _item_instruments(instruments)
    lines = [
        "# Codebook: Within questionnaire export",
        "",
        (
            f"Exported on {day.isoformat()} by Within {_within_version()}: {rows} submission(s), "
            "one row each, from people whose latest answer to the research-export consent was "
            "yes. The data files are the `within-submissions-` CSV (one row per questionnaire) "
            "and/or the `within-answers-` CSV (one row per answer) with the same date (and "
            "suffix). CSV files are UTF-8 with a byte order mark."
        ),
        "",
        (
            "**These files are outside the app's protection.** Keep them where only the study "
            "team can read them and delete them when the study's data plan says so."
        ),
        "",
    ]
    if columns:
        lines += ["## Columns", "", "| Column | Meaning |", "| --- | --- |"]
    for column in columns:
        meaning = COLUMN_MEANINGS.get(column)
        if meaning is None:
            owners = ", ".join(items.get(column, [])) or "an instrument no longer in content/"
            meaning = f"{ITEM_MEANING} Item of: {owners}."
        lines.append(f"| `{column}` | {_cell(meaning)} |")
    if long_columns:
        lines += [
            *([""] if columns else []),
            "## Columns of the long file (within-answers-)",
            "",
            "| Column | Meaning |",
            "| --- | --- |",
        ]
        lines += [f"| `{c}` | {_cell(LONG_COLUMN_MEANINGS[c])} |" for c in long_columns]
    for loaded in instruments.values():
        lines += ["", *_instrument_markdown(loaded)]
    return "\n".join(lines) + "\n"


def _instrument_markdown(instrument: Instrument) -> list[str]:
    langs = instrument.languages
    names = [_language_name(lang) for lang in langs]
    english = instrument.words(DEFAULT_LANGUAGE)
    lines = [
        f"## {instrument.id} (version {instrument.version})",
        "",
        *(
            f"- Title ({name}): {instrument.words(lang).title}"
            for lang, name in zip(langs, names, strict=True)
        ),
        "",
        "### Items",
        "",
        f"| Column | {' | '.join(names)} | Reconstructed |",
        f"| --- | {' | '.join('---' for _ in langs)} | --- |",
    ]
    for item in instrument.spec.items:
        texts = " | ".join(_cell(instrument.words(lang).items[item.id]) for lang in langs)
        lines.append(f"| `{item.id}` | {texts} | {'yes' if item.reconstructed else 'no'} |")
    lines += [
        "",
        "### Answer codes",
        "",
        f"| Code | Option id | {' | '.join(names)} |",
        f"| --- | --- | {' | '.join('---' for _ in langs)} |",
    ]
    for option in instrument.spec.options:
        labels = " | ".join(_cell(instrument.words(lang).options[option.id]) for lang in langs)
        lines.append(f"| {option.code} | `{option.id}` | {labels} |")
    lines.append(f"| (blank) | passed | {' | '.join('' for _ in langs)} |")
    lines += [
        "",
        "### Bands",
        "",
        f"| Band | Totals | Referral | {' | '.join(names)} |",
        f"| --- | --- | --- | {' | '.join('---' for _ in langs)} |",
    ]
    for band in instrument.spec.bands:
        labels = " | ".join(_cell(instrument.words(lang).bands[band.id].label) for lang in langs)
        referral = "yes" if band.referral else "no"
        lines.append(f"| `{band.id}` | {band.min}-{band.max} | {referral} | {labels} |")
    if instrument.spec.item_rules:
        lines += ["", "### Item rules (a single answer that shows the support card)", ""]
        for rule in instrument.spec.item_rules:
            lines.append(
                f"- `{rule.id}`: `{rule.item}` ({_cell(english.items[rule.item])}) answered with "
                f"code {rule.at_least} or more shows the {rule.shows} card, whatever the total. "
                "Not a column: it can be recomputed from the item column."
            )
    lines += ["", "### Coding note", "", coding_note(instrument)]
    provenance = instrument.spec.provenance
    if provenance.pilot or provenance.within:
        lines += ["", "### Where each part comes from", ""]
        if provenance.pilot:
            lines.append(f"- From the source programme: {' '.join(provenance.pilot.split())}")
        if provenance.within:
            lines.append(f"- Within's own (assumptions, not the authors'): {' '.join(provenance.within.split())}")
    if instrument.spec.source:
        lines += ["", "### Source", "", instrument.spec.source.strip()]
    if instrument.spec.notes:
        lines += ["", f"### Notes (from `content/instruments/{instrument.id}.yaml`)", ""]
        lines += instrument.spec.notes.strip().splitlines()
    return lines


def coding_note(instrument: Instrument) -> str:
    """How answers become numbers and totals, in one paragraph."""
    spec = instrument.spec
    codes = ", ".join(f"{o.id} = {o.code}" for o in spec.options)
    low, high = spec.possible_range
    reconstructed = [i.id for i in spec.items if i.reconstructed]
    note = (
        f"Answers are coded {codes}. The total is the {spec.scoring.method} of the "
        f"{len(spec.items)} item codes (possible range {low}-{high}) and is blank when any "
        "item was passed. Raw answers are kept, so every row can be re-scored."
    )
    if reconstructed:
        note += (
            f" Items {', '.join(reconstructed)} are reconstructed: their wording was rebuilt "
            "from a damaged copy of the source and is not the authors' own; analyse with care."
        )
    return note


def codebook_csv(
    instruments: Mapping[str, Instrument],
    columns: Sequence[str],
    *,
    long_columns: Sequence[str] = (),
) -> str:
    """The codebook as CSV, for software: one row per column, item, option, band and rule.

    Columns of the long file (if any) are ``long_column`` rows."""
    langs = list(
        dict.fromkeys(
            [DEFAULT_LANGUAGE, *(lang for i in instruments.values() for lang in i.languages)]
        )
    )
    header = ["kind", "name", "instrument_id", "value", "range", "referral", "reconstructed"]
    rows: list[list[object]] = [header + [f"text_{lang}" for lang in langs]]
    known_items = _item_instruments(instruments)
    for column in columns:  # text_en comes first; items are described in their own rows
        if column not in known_items:
            meaning = COLUMN_MEANINGS.get(column, ITEM_MEANING)
            rows.append(["column", column, "", "", "", "", "", meaning])
    for column in long_columns:
        rows.append(["long_column", column, "", "", "", "", "", LONG_COLUMN_MEANINGS[column]])
    for loaded in instruments.values():
        for item in loaded.spec.items:
            texts = _texts(loaded, langs, lambda w, i=item.id: w.items[i])
            rows.append(
                ["item", item.id, loaded.id, "", "", "", _yes_no(item.reconstructed), *texts]
            )
        for option in loaded.spec.options:
            labels = _texts(loaded, langs, lambda w, o=option.id: w.options[o])
            rows.append(["option", option.id, loaded.id, option.code, "", "", "", *labels])
        for band in loaded.spec.bands:
            labels = _texts(loaded, langs, lambda w, b=band.id: w.bands[b].label)
            span, referral = f"{band.min}-{band.max}", _yes_no(band.referral)
            rows.append(["band", band.id, loaded.id, "", span, referral, "", *labels])
        for rule in loaded.spec.item_rules:
            meaning = f"{rule.item} >= {rule.at_least} shows the {rule.shows} card"
            rows.append(["rule", rule.id, loaded.id, rule.at_least, "", "", "", meaning])
        rows.append(["note", "coding", loaded.id, "", "", "", "", coding_note(loaded)])
        for origin in ("pilot", "within"):
            if text := " ".join(getattr(loaded.spec.provenance, origin).split()):
                rows.append(["note", f"from_{origin}", loaded.id, "", "", "", "", text])
    width = len(header) + len(langs)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [neutralise(v) for v in r] + [""] * (width - len(r)) for r in rows
    )
    return buffer.getvalue()


def _texts(
    instrument: Instrument, langs: Sequence[str], pick: Callable[[InstrumentWords], str]
) -> list[str]:
    """One text per language, blank where the instrument has no words in that language."""
    return [pick(instrument.words(lang)) if lang in instrument.languages else "" for lang in langs]


def _item_instruments(instruments: Mapping[str, Instrument]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for loaded in instruments.values():
        for item_id in loaded.item_ids:
            owners.setdefault(item_id, []).append(loaded.id)
    return owners


def _language_name(lang: str) -> str:
    known = library().languages()
    return f"{known[lang].english_name} ({lang})" if lang in known else lang


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _within_version() -> str:
    try:
        return version("within")
    except PackageNotFoundError:
        return "(version unknown)"
