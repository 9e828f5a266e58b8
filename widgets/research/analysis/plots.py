"""The analysis charts, each with a text alternative that says what it shows.

Drawn with matplotlib on the Agg canvas in the shipped font (:mod:`widgets.exercises.chart_fonts`),
colour-blind-safe (Okabe-Ito) and never relying on colour alone. Every function returns
``(figure, alt_text)``; :func:`image_html` puts both in an ``<img>``.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from typing import Any

import pandas as pd

from widgets.core.content import text
from widgets.core.markup import plain
from widgets.core.palette import colour
from widgets.exercises.chart_fonts import chart_rc, new_figure, png_bytes

BLUE, ORANGE, GREEN, GREY = (colour(f"chart-{name}") for name in ("blue", "vermilion", "green", "grey"))


def _drawn_in_font(draw: Callable[..., tuple[Any, str]]) -> Callable[..., tuple[Any, str]]:
    """Draw with the shipped font in force, so tick labels and legends are Thai-capable."""

    @functools.wraps(draw)
    def wrapper(*args: Any, lang: str = "en", **kwargs: Any) -> tuple[Any, str]:
        import matplotlib

        with matplotlib.rc_context(chart_rc(lang)):
            return draw(*args, lang=lang, **kwargs)

    return wrapper


@_drawn_in_font
def funnel_figure(funnel: pd.DataFrame, lang: str = "en") -> tuple[Any, str]:
    """Horizontal bars, one per stage, with the count written at the end of each bar."""
    labels = [text(lang, f"analysis.stages.{stage}") for stage in funnel.index]
    counts = [int(n) for n in funnel["n"]]
    figure = new_figure(lang, figsize=(7, 3.4), layout="constrained")
    axes = figure.add_subplot()
    axes.barh(labels[::-1], counts[::-1], color=BLUE)
    for y, n in enumerate(counts[::-1]):
        axes.text(n, y, f" {n}", va="center")
    axes.set_xlim(0, max(counts + [1]) * 1.15)  # room for the numbers
    axes.set_xlabel(text(lang, "analysis.people"))
    axes.spines[["top", "right"]].set_visible(False)
    values = "; ".join(f"{label}: {n}" for label, n in zip(labels, counts, strict=True))
    return figure, text(lang, "analysis.funnel_alt", values=values)


@_drawn_in_font
def prepost_figure(before: pd.Series, after: pd.Series, lang: str = "en") -> tuple[Any, str]:
    """One grey line per person from baseline to end, medians as thick labelled markers."""
    figure = new_figure(lang, figsize=(4.5, 3.6), layout="constrained")
    axes = figure.add_subplot()
    for b, a in zip(before, after, strict=True):
        axes.plot([0, 1], [b, a], color=GREY, alpha=0.35, linewidth=1)
    medians = [float(before.median()), float(after.median())]
    axes.plot([0, 1], medians, color=ORANGE, marker="D", linewidth=3, markersize=9)
    axes.set_xticks([0, 1], [text(lang, "analysis.baseline"), text(lang, "analysis.end")])
    axes.set_ylabel(text(lang, "analysis.total"))
    axes.set_xlim(-0.3, 1.3)
    axes.spines[["top", "right"]].set_visible(False)
    alt = text(
        lang, "analysis.prepost_alt", n=len(before), before=_n(medians[0]), after=_n(medians[1])
    )
    return figure, alt


@_drawn_in_font
def checkins_figure(summary: pd.DataFrame, lang: str = "en") -> tuple[Any, str]:
    """Mean of each scale by month of follow-up; each scale its own marker and line style."""
    styles = {"mood": (BLUE, "o", "-"), "stress": (ORANGE, "s", "--"), "wellbeing": (GREEN, "^", "-.")}
    figure = new_figure(lang, figsize=(6, 3.4), layout="constrained")
    axes = figure.add_subplot()
    parts = []
    for scale, (tint, marker, style) in styles.items():
        rows = summary[summary["scale"] == scale]
        if rows.empty:
            continue
        name = text(lang, f"analysis.scales.{scale}")
        axes.plot(rows["month"], rows["mean"], color=tint, marker=marker, linestyle=style, label=name)
        means = ", ".join(_n(m) for m in rows["mean"])
        parts.append(f"{name}: {means}")
    axes.set_xlabel(text(lang, "analysis.month"))
    axes.set_ylabel(text(lang, "analysis.mean_0_10"))
    axes.set_ylim(0, 10)
    axes.set_xticks(sorted(summary["month"].unique()) if len(summary) else [])
    axes.legend(frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, text(lang, "analysis.checkins_alt", values="; ".join(parts))


def image_html(figure: Any, alt: str, lang: str = "en") -> str:
    """The chart as an ``<img>`` (PNG) with ``alt``, and the same words visible below it."""
    png = base64.b64encode(png_bytes(figure, lang, dpi=110)).decode("ascii")
    return (
        f'<figure class="within-analysis-figure"><img src="data:image/png;base64,{png}" '
        f'alt="{plain(alt)}" style="max-width:100%;height:auto" />'
        f"<figcaption>{plain(alt)}</figcaption></figure>"
    )


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")
