"""The words shown after a questionnaire: meaning first, the number second, help always.

Nothing here is diagnostic. Every result, whatever the score, ends with where to get
help; a referral band adds a warm referral card with the site's contacts; an item
rule (such as "no future") adds a support card on its own. A person on their own is
told honestly that nobody has been notified.
"""

from __future__ import annotations

from typing import Literal

from widgets.core.content import DEFAULT_LANGUAGE, Contacts, contacts
from widgets.core.context import PageContext
from widgets.core.instrument import Instrument
from widgets.core.markup import plain
from widgets.core.scoring import Result

Setting = Literal["self", "staff"]


def contacts_html(context: PageContext, site: Contacts | None = None) -> str:
    """The site's contacts as a list with call links."""
    site = site or contacts()
    lang = context.lang
    rows = []
    for contact in site.contacts:
        name = contact.name.get(lang) or contact.name[DEFAULT_LANGUAGE]
        parts = [f"<strong>{plain(name)}</strong>"]
        description = contact.description.get(lang) or contact.description.get(DEFAULT_LANGUAGE, "")
        hours = contact.hours.get(lang) or contact.hours.get(DEFAULT_LANGUAGE, "")
        if description:
            parts.append(f"<span>{plain(description)}</span>")
        if hours:
            parts.append(f'<span class="within-quiet">{plain(hours)}</span>')
        if contact.phone:
            tel = "".join(ch for ch in contact.phone if ch.isdigit() or ch == "+")
            parts.append(
                f'<a class="within-call" href="tel:{plain(tel)}">'
                f"{plain(context.t('scale.call', phone=contact.phone))}</a>"
            )
        rows.append(f'<li class="within-contact">{"<br>".join(parts)}</li>')
    note = ""
    if not site.confirmed:
        note = f'<p class="within-quiet">{plain(context.t("shell.unconfirmed_contacts"))}</p>'
    return f'<ul class="within-contacts">{"".join(rows)}</ul>{note}'


def result_html(
    instrument: Instrument, result: Result, context: PageContext, setting: Setting = "self"
) -> str:
    """The whole result view for one submission, as safe HTML."""
    t = context.t
    words = instrument.words(context.lang)
    heading = t("scale.result_heading_staff" if setting == "staff" else "scale.result_heading")
    parts = ['<section class="within-result" aria-labelledby="within-result-heading">',
             f'<h2 id="within-result-heading">{plain(heading)}</h2>']
    if result.band is not None:
        band_words = words.bands[result.band.id]
        if result.total == instrument.spec.possible_range[0] and band_words.at_lowest is not None:
            band_words = band_words.at_lowest  # at 0, "some of these feelings" would be untrue
        parts.append(f'<p class="within-result-band"><strong>{plain(band_words.label)}</strong></p>')
        parts.append(f"<p>{plain(band_words.message)}</p>")
    missing = len(result.missing)
    if result.total is not None:
        highest = instrument.spec.possible_range[1]
        parts.append(f'<p class="within-result-total">{plain(t("scale.total", total=result.total, highest=highest))}</p>')
    elif result.at_least:
        parts.append(
            f'<p class="within-result-total">'
            f'{plain(t("scale.at_least", missing=missing, answered_total=result.answered_total))}</p>'
        )
    else:
        parts.append(f'<p class="within-result-total">{plain(t("scale.incomplete", missing=missing))}</p>')
    parts.append(f'<p class="within-quiet">{plain(t("scale.not_a_diagnosis"))}</p>')
    if setting == "staff":  # staff should know which readings are the pilot's and which are Within's
        parts.append(f'<p class="within-quiet" data-provenance="true">{plain(t("scale.provenance_staff"))}</p>')
    for rule in result.rules:
        parts.append(
            f'<div class="within-card within-card--support" role="note">'
            f"<h3>{plain(t('scale.support_heading'))}</h3>"
            f"<p>{plain(words.rules[rule.id].message)}</p></div>"
        )
    if result.referral:
        intro = t("scale.referral_staff" if setting == "staff" else "scale.referral_self")
        parts.append(
            f'<div class="within-card within-card--referral" role="note" data-referral="true">'
            f"<h3>{plain(t('scale.referral_heading'))}</h3><p>{plain(intro)}</p>"
            f"{contacts_html(context)}</div>"
        )
    else:
        parts.append(
            f'<div class="within-card within-card--help">'
            f"<h3>{plain(t('scale.help_heading'))}</h3><p>{plain(t('scale.help_always'))}</p>"
            f"{contacts_html(context)}</div>"
        )
    parts.append("</section>")
    return "".join(parts)
