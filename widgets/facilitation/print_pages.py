"""Printed materials as HTML pages: the scale as a "mark X" form, value cards, workbooks.

Every page is built from the content files (the instrument's words, the value cards, the
flows) and ``content/<lang>/print.yaml``, laid out by :mod:`widgets.exercises.print_page`
(the one print style sheet, also used by the apps' printable pages) and turned into a PDF
by :mod:`widgets.facilitation.pdf`. Pages are plain HTML with no scripts and no outside
addresses; fonts are added by the renderer. Flows are read through the content library,
never from the programme's widgets.

Forms carry a fresh code, printed and as a QR code holding only the code (never a web
address), so the paper answers can be typed in under it later (``within import``).
"""

from __future__ import annotations

from typing import Any

from widgets.core.content import contacts, library, text
from widgets.core.instrument import Instrument
from widgets.core.markup import markdown, plain
from widgets.core.palette import colour
from widgets.exercises.print_page import page

FORM_INSTRUMENT = "thai-internalised-stigma"
#: The workbooks, in programme order: the preparation, the five activities, Balancing the Scales.
WORKBOOK_FLOWS: tuple[str, ...] = (
    "preparation",
    "activity-1",
    "activity-2",
    "activity-3",
    "activity-4",
    "activity-5",
    "balancing-the-scales",
)
BALANCING = "balancing-the-scales"
#: Balancing the Scales' five level modules (issue 17), in the order of its theory of change.
BALANCING_LEVELS: tuple[str, ...] = (
    "scales-self",
    "scales-relationship",
    "scales-leadership",
    "scales-organisation",
    "scales-community",
)
CARDS_PER_PAGE = 8
OWN_VALUE_CARDS = 2
WRITING_LINES = 5


def _t(lang: str, key: str, **fields: object) -> str:
    return text(lang, f"print.{key}", **fields)


def qr_svg(code: str) -> str:
    """An inline SVG QR code holding exactly ``code`` and nothing else."""
    import segno

    return segno.make(code, error="m", micro=False).svg_inline(
        scale=4, border=2, dark=colour("text"), omitsize=True
    )


def help_block(lang: str) -> str:
    """Where to get help (``content/local/contacts.yaml``): on every form and workbook."""
    return (
        f'<div class="within-help-block"><h2>{plain(_t(lang, "help_heading"))}</h2>'
        f"{_help_lines(lang)}</div>"
    )


def _help_lines(lang: str) -> str:
    rows = []
    for contact in contacts().contacts:
        name = contact.name.get(lang) or contact.name.get("en", "")
        hours = contact.hours.get(lang) or contact.hours.get("en", "")
        reach = " · ".join(part for part in (contact.phone, hours) if part)
        rows.append(f"<p><strong>{plain(name)}</strong> {plain(reach)}</p>")
    return "".join(rows)


def form_body(instrument: Instrument, lang: str, code: str) -> str:
    """One "mark X" form for ``code`` (a sheet of its own): no place for a name."""
    words = instrument.words(lang)
    options = instrument.spec.options
    head = "".join(f'<th scope="col">{plain(words.options[o.id])}</th>' for o in options)
    cols = '<col class="within-form__number"><col>' + (
        '<col class="within-form__answer">' * len(options)
    )
    rows = []
    for number, item_id in enumerate(instrument.item_ids, start=1):
        boxes = "".join(
            f'<td class="within-form__box"><span class="within-box" role="img" '
            f'aria-label="{plain(words.options[o.id])}"></span></td>'
            for o in options
        )
        rows.append(
            f'<tr><td class="within-form__n">{number}</td>'
            f"<td>{plain(words.items[item_id])}</td>{boxes}</tr>"
        )
    return (
        f'<section class="within-print__sheet within-form" data-code="{plain(code)}">'
        f'<div class="within-form__top"><div class="within-form__titles">'
        f'<p class="within-form__kicker">{plain(_t(lang, "form.heading"))}</p>'
        f"<h1>{plain(words.title)}</h1>"
        f'<p class="within-form__note">{plain(_t(lang, "form.code_note"))}</p></div>'
        f'<div class="within-form__code"><figure role="img" '
        f'aria-label="{plain(_t(lang, "form.qr_label", code=code))}">{qr_svg(code)}</figure>'
        f'<div><p class="within-form__code-label">{plain(_t(lang, "form.code_label"))}</p>'
        f'<p class="within-form__code-value">{plain(code)}</p></div></div></div>'
        f'<p class="within-form__date"><span>{plain(_t(lang, "form.date_label"))}</span>'
        f"<span></span></p>"
        f"<p>{plain(words.instructions)}</p>"
        f'<p class="within-form__mark">{plain(_t(lang, "form.mark"))}</p>'
        f"<table><colgroup>{cols}</colgroup><thead><tr><th></th>"
        f'<th scope="col" class="within-form__statement">{plain(_t(lang, "form.statement"))}</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{help_block(lang)}"
        f'<p class="within-form__footer">{plain(_t(lang, "form.footer"))}</p></section>'
    )


def forms_page(instrument: Instrument, lang: str, codes: list[str], *, head: str = "") -> str:
    """One document with a form per code, one page each."""
    body = "".join(form_body(instrument, lang, code) for code in codes)
    return page(lang, instrument.words(lang).title, body, head=head)


def _write_space(label: str, lines: int = WRITING_LINES) -> str:
    return (
        f'<div class="within-write"><p class="within-write__label">{plain(label)}</p>'
        f"{_lines(lines)}</div>"
    )


def _lines(count: int) -> str:
    return '<div class="within-write__line"></div>' * count


def cards_page(lang: str, *, head: str = "") -> str:
    """The value cards to cut out, eight to an A4 page, and two blank ones for a person's own."""
    from widgets.exercises.values_cards import value_cards

    cards = [
        f'<div class="within-cut-card"><p class="within-cut-card__name">{plain(card.name)}</p>'
        f'<p class="within-cut-card__text">{plain(card.description)}</p></div>'
        for card in value_cards(lang)
    ]
    own = (
        f'<div class="within-cut-card"><p class="within-cut-card__name">'
        f'{plain(_t(lang, "cards.own_name"))}</p><p class="within-cut-card__text">'
        f"{plain(_t(lang, 'cards.own_description'))}</p>"
        f'<div class="within-cut-card__lines">{_lines(2)}</div></div>'
    )
    cards += [own] * OWN_VALUE_CARDS
    grids = []
    for start in range(0, len(cards), CARDS_PER_PAGE):
        extra = " within-cut-cards--page" if start else ""
        grids.append(
            f'<div class="within-cut-cards{extra}">{"".join(cards[start : start + CARDS_PER_PAGE])}</div>'
        )
    intro = (
        f"<h1>{plain(_t(lang, 'cards.heading'))}</h1>"
        f'<p class="within-print__muted">{plain(_t(lang, "cards.intro"))}</p>'
    )
    return page(lang, _t(lang, "cards.heading"), intro + "".join(grids), head=head)


def _workbook_step(step: Any, notes: str, heading: str = "h2") -> str:
    return (
        f'<section class="within-workbook__step"><{heading}>{plain(step.title)}</{heading}>'
        f"{markdown(step.body)}{_write_space(notes)}</section>"
    )


def workbook_page(lang: str, flow_id: str, *, head: str = "") -> str:
    """A workbook for one flow: every step's words, each followed by lines to write on.

    Balancing the Scales' workbook holds the opening and then its five level modules, each
    closed by space for what that level means for the person.
    """
    flow = library().flow(lang, flow_id)
    balancing = flow_id == BALANCING
    notes = _t(lang, "workbooks.notes")
    steps = "".join(_workbook_step(step, notes) for step in flow.steps)
    if balancing:
        level = _t(lang, "workbooks.balancing_notes")
        for module_id in BALANCING_LEVELS:
            module = library().flow(lang, module_id)
            steps += (
                f'<section class="within-workbook__module"><h2>{plain(module.title)}</h2></section>'
                + "".join(_workbook_step(step, notes, "h3") for step in module.steps)
                + f'<section class="within-workbook__step">{_write_space(level)}</section>'
            )
    source = _t(lang, "workbooks.source_balancing" if balancing else "workbooks.source_programme")
    body = (
        f'<div class="within-workbook"><div class="within-workbook__cover">'
        f'<p class="within-workbook__kicker">{plain(_t(lang, "workbooks.label"))}</p>'
        f"<h1>{plain(flow.title)}</h1>"
        f"<p>{plain(_t(lang, 'workbooks.intro'))}</p></div>{steps}"
        f'{help_block(lang)}<p class="within-workbook__source">{plain(source)}</p></div>'
    )
    return page(lang, flow.title, body, head=head)
