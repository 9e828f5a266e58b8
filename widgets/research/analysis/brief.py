"""The community brief: one page of group-level change for advocacy, small numbers hidden.

Only group counts and medians leave: no codes, no dates, no answers. The table of
outcomes goes through :func:`~widgets.research.analysis.suppression.suppress` (no count under 5,
with complementary cells hidden too), a median is given only for 5 people or more, and a
month of check-ins only when 5 people or more checked in. Markdown for editing, HTML
(rendered with markdown-it) for sharing.
"""

from __future__ import annotations

import pandas as pd
from markdown_it import MarkdownIt

from widgets.core.content import text
from widgets.research.analysis.checkins import monthly_summary
from widgets.research.analysis.cohort import baseline_end, change_table
from widgets.research.analysis.data import Dataset
from widgets.research.analysis.suppression import TOTAL, shown_text, suppress

THRESHOLD = 5


def brief_table(dataset: Dataset, *, threshold: int = THRESHOLD) -> pd.DataFrame:
    """The suppressed outcome table (with totals) as published: hidden cells are None."""
    return suppress(change_table(baseline_end(dataset.submissions)), threshold=threshold)


def community_brief(dataset: Dataset, lang: str = "en", *, threshold: int = THRESHOLD) -> str:
    """The brief as Markdown in ``lang``."""

    def t(key: str, **fields: object) -> str:
        return text(lang, f"analysis.brief.{key}", **fields)

    people = baseline_end(dataset.submissions)
    lines = [f"# {t('title')}", ""]
    if dataset.synthetic:
        lines += [f"**{t('synthetic')}**", ""]
    screened, flagged = len(people), int(people["flagged"].sum())
    counts = {"screened": screened, "flagged": flagged}
    if all(n >= threshold for n in (*counts.values(), screened - flagged)):
        lines += [t("screened", **counts), ""]
    table = brief_table(dataset, threshold=threshold)
    columns = ["lower", "same", "higher", "not_followed", TOTAL]
    header = [t("band"), *(t("total") if c == TOTAL else t(c) for c in columns)]
    lines += [f"**{t('table_caption')}**", "", "| " + " | ".join(header) + " |"]
    lines.append("|" + " --- |" * len(header))
    for band, row in table.iterrows():
        name = t("total") if band == TOTAL else band
        lines.append(
            f"| {name} | " + " | ".join(shown_text(row[c], threshold) for c in columns) + " |"
        )
    lines += ["", t("hidden", threshold=threshold), ""]
    followed = people[people["flagged"] & people["end"].notna()]
    if len(followed) >= threshold:
        lines += [
            t(
                "median",
                before=_n(followed["baseline"].median()),
                after=_n(followed["end"].median()),
            ),
            "",
        ]
    else:
        lines += [t("too_few"), ""]
    summary = monthly_summary(dataset.check_ins)
    well = summary[(summary.get("scale") == "wellbeing") & (summary.get("people") >= threshold)]
    if len(well):
        values = "; ".join(t("month", n=int(r.month), value=_n(r.mean)) for r in well.itertuples())
        lines += [t("wellbeing", values=values), ""]
    lines += [f"_{t('footer')}_", ""]
    return "\n".join(lines)


def brief_html(dataset: Dataset, lang: str = "en", *, threshold: int = THRESHOLD) -> str:
    """The brief as an HTML fragment."""
    return MarkdownIt("commonmark").enable("table").render(
        community_brief(dataset, lang, threshold=threshold)
    )


def _n(value: float) -> str:
    return f"{float(value):.1f}".rstrip("0").rstrip(".")
