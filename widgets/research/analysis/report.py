"""The ``analysis`` app's page: funnel, pre/post change, items, check-ins and the brief.

Composes the functions of :mod:`widgets.research.analysis` over one
:class:`~widgets.research.analysis.data.Dataset`; each chart comes with its text alternative and
each number with its table, so nothing depends on seeing the picture. Synthetic example
data is labelled at the top, in words, never only by colour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.research.analysis import plots
from widgets.research.analysis.brief import brief_html
from widgets.research.analysis.checkins import first_last, monthly_summary
from widgets.research.analysis.cohort import baseline_end, funnel
from widgets.research.analysis.data import Dataset
from widgets.research.analysis.items import cronbach_alpha, item_statistics
from widgets.research.analysis.prepost import PrePost, compare

STYLE = "<style>" + (Path(__file__).parents[1] / "static" / "report.css").read_text(encoding="utf-8") + "</style>"


class AnalysisReport(w.VBox):
    """Everything a researcher or advocate needs on one page, from one dataset.

    Parameters
    ----------
    dataset:
        What to analyse (:func:`widgets.research.analysis.example.load_or_example`).
    context:
        The page's language (labels, charts and brief follow it).
    item_ids:
        The instrument's item columns, for the item statistics.
    """

    def __init__(
        self,
        dataset: Dataset,
        *,
        context: PageContext | None = None,
        item_ids: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.dataset = dataset
        self.context = context or PageContext()
        self.add_class("within-analysis")
        from widgets.core.instrument import instrument

        self.item_ids = item_ids or instrument("thai-internalised-stigma").item_ids
        self.people = baseline_end(dataset.submissions)
        self.funnel = funnel(dataset.submissions, dataset.check_ins)
        self.children = [w.HTML(STYLE + "".join(self._sections()))]

    def _sections(self) -> list[str]:
        t, lang = self.context.t, self.context.lang
        parts = []
        if self.dataset.synthetic:
            parts.append(f'<p class="within-analysis__banner" role="note">{plain(t("analysis.synthetic_banner"))}</p>')
        else:
            parts.append(f"<p>{plain(t('analysis.consented_note', people=len(self.people)))}</p>")
        parts.append(f'<p data-provenance="true">{plain(t("analysis.provenance"))}</p>')
        table = self.funnel.reset_index()
        table["stage"] = [t(f"analysis.stages.{s}") for s in table["stage"]]
        table.columns = ["", t("analysis.people")]
        parts += [
            f"<h2>{plain(t('analysis.funnel_heading'))}</h2>",
            _table(table),
            plots.image_html(*plots.funnel_figure(self.funnel, lang=lang), lang),
        ]
        parts.append(f"<h2>{plain(t('analysis.prepost_heading'))}</h2>")
        paired = self.people[self.people["flagged"] & self.people["end"].notna()]
        if len(paired) >= 2:
            before, after = paired["baseline"].astype(float), paired["end"].astype(float)
            result = compare(before, after)
            parts.append("<p>" + plain(t("analysis.prepost_text", **_words(result))) + "</p>")
            parts.append(plots.image_html(*plots.prepost_figure(before, after, lang=lang), lang))
        else:
            parts.append(f"<p>{plain(t('analysis.prepost_none'))}</p>")
        first = self.dataset.submissions.sort_values("submitted_on").groupby("code").head(1)
        items = first[[i for i in self.item_ids if i in first.columns]]
        if len(items.dropna()) >= 3:
            alpha = cronbach_alpha(items)
            stats = item_statistics(items).round(2).reset_index()
            parts += [
                f"<h2>{plain(t('analysis.items_heading'))}</h2>",
                "<p>"
                + plain(
                    t(
                        "analysis.alpha_text",
                        alpha=f"{alpha.alpha:.2f}",
                        low=f"{alpha.ci_low:.2f}",
                        high=f"{alpha.ci_high:.2f}",
                        n=alpha.n,
                        k=alpha.k,
                    )
                )
                + "</p>",
                _table(stats),
                f"<p>{plain(t('analysis.items_note'))}</p>",
            ]
        parts.append(f"<h2>{plain(t('analysis.checkins_heading'))}</h2>")
        summary = monthly_summary(self.dataset.check_ins)
        if len(summary):
            shown = summary.copy()
            shown["scale"] = [t(f"analysis.scales.{s}") for s in shown["scale"]]
            parts += [
                _table(shown.round(2)),
                plots.image_html(*plots.checkins_figure(summary, lang=lang), lang),
            ]
            pairs = first_last(self.dataset.check_ins, "wellbeing")
            if len(pairs) >= 5:
                change = compare(pairs["first"], pairs["last"])
                parts.append("<p>" + plain(t("analysis.checkins_change", **_words(change))) + "</p>")
        else:
            parts.append(f"<p>{plain(t('analysis.checkins_none'))}</p>")
        parts += [
            f"<h2>{plain(t('analysis.brief_heading'))}</h2>",
            f"<p>{plain(t('analysis.brief_intro'))}</p>",
            '<section class="within-analysis__brief" aria-label="'
            + plain(t("analysis.brief_heading"))
            + '">'
            + brief_html(self.dataset, lang).replace("<h1>", "<h3>").replace("</h1>", "</h3>")
            + "</section>",
        ]
        return parts


def _words(result: PrePost) -> dict[str, object]:
    return {
        "n": result.n,
        "before": _n(result.median_before),
        "after": _n(result.median_after),
        "change": _n(result.median_change),
        "w": _n(result.statistic),
        "p": _p(result.p_value),
        "r": f"{result.rank_biserial:.2f}",
        "low": f"{result.ci_low:.2f}",
        "high": f"{result.ci_high:.2f}",
    }


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, border=0, na_rep="", escape=True)


def _n(value: float) -> str:
    return f"{float(value):.1f}".rstrip("0").rstrip(".")


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"
