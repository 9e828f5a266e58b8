"""Charts of a person's check-ins over time: daily points, weekly means, session days.

Optionally a second panel shows screening totals before and after, from a plain list
of ``(date, total)`` pairs, so any instrument's scoring can feed it. Drawn with
matplotlib on the Agg canvas (imported here only, never at the first screen), in the
shipped Sarabun font so Thai is drawn correctly, and always with a text alternative.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import ipywidgets as w
import traitlets

from widgets.controls.card_styles import CardStyles
from widgets.core.check_ins import SCALES
from widgets.core.content import text
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.core.palette import colour

SERIES: tuple[str, ...] = SCALES
# Colour-blind-safe (Okabe-Ito), and each series also has its own marker and line style.
STYLE = {
    "mood": {"color": "chart-blue", "marker": "o", "linestyle": "-"},
    "stress": {"color": "chart-vermilion", "marker": "s", "linestyle": "--"},
    "wellbeing": {"color": "chart-green", "marker": "^", "linestyle": "-."},
    "craving": {"color": "chart-purple", "marker": "D", "linestyle": ":"},
}

Pair = tuple[date, float]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def daily_points(check_ins: Iterable[dict[str, Any]], series: str) -> list[Pair]:
    """``(date, value)`` for one series, in date order (several a day are averaged)."""
    by_day: dict[date, list[float]] = {}
    for record in check_ins:
        value = record.get(series)
        if isinstance(value, int | float) and not isinstance(value, bool):
            by_day.setdefault(_day(record["on"]), []).append(float(value))
    return [(day, sum(v) / len(v)) for day, v in sorted(by_day.items())]


def weekly_means(check_ins: Sequence[dict[str, Any]], series: Sequence[str] = SERIES) -> Any:
    """A pandas DataFrame of weekly means, indexed by each week's Monday, one column a series."""
    import pandas as pd

    rows = [{"on": pd.Timestamp(_day(r["on"])), **{s: r.get(s) for s in series}} for r in check_ins]
    if not rows:
        return pd.DataFrame(columns=list(series), dtype=float)
    frame = pd.DataFrame(rows).set_index("on").sort_index().astype(float)
    weekly = frame.resample("W-MON", label="left", closed="left").mean()
    return weekly.dropna(how="all")


def mood_figure(
    check_ins: Sequence[dict[str, Any]],
    *,
    lang: str = "en",
    session_days: Sequence[date | str] = (),
    screening: Sequence[tuple[date | str, float]] = (),
    craving: bool = False,
) -> Any:
    """Draw the check-ins (and screening totals, if any) as a matplotlib Figure.

    Parameters
    ----------
    check_ins:
        Records like those of :func:`widgets.exercises.mood.make_check_in` (``"on"`` an ISO date).
    lang:
        Language of the labels.
    session_days:
        Days of group sessions or activities, drawn as dotted vertical lines.
    screening:
        ``(date, total)`` pairs, e.g. screening totals before and after; a second panel.
    craving:
        Also draw craving, when the person chose to record it.
    """
    import matplotlib
    from matplotlib.dates import AutoDateLocator, DateFormatter
    from matplotlib.lines import Line2D

    from widgets.exercises.chart_fonts import chart_rc, new_figure

    t = lambda key, **f: text(lang, key, **f)
    series = [*SERIES, "craving"] if craving else list(SERIES)
    with matplotlib.rc_context(chart_rc(lang)):
        rows = 2 if screening else 1
        figure = new_figure(lang, figsize=(3.6, 3.8 + 1.7 * (rows - 1)), layout="constrained")
        grid = figure.add_gridspec(rows, 1, height_ratios=[3, 1.4][:rows])
        axes = figure.add_subplot(grid[0])
        axes.set_title(t("mood.chart.heading"), loc="left", fontweight="bold")
        weekly = weekly_means(check_ins, series)
        handles = []
        for name in series:
            points = daily_points(check_ins, name)
            if not points:
                continue
            style = STYLE[name]
            axes.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                linestyle="none",
                marker=style["marker"],
                color=colour(style["color"]),
                alpha=0.55,
                markersize=4,
                gid=f"daily-{name}",
            )
            if name in weekly and weekly[name].notna().any():
                column = weekly[name].dropna()
                middles = [(ts + timedelta(days=3)).date() for ts in column.index]
                axes.plot(
                    middles,
                    list(column.values),
                    color=colour(style["color"]),
                    linestyle=style["linestyle"],
                    linewidth=2,
                    gid=f"weekly-{name}",
                )
            handles.append(
                Line2D(
                    [],
                    [],
                    color=colour(style["color"]),
                    marker=style["marker"],
                    linestyle=style["linestyle"],
                    label=t(f"mood.chart.{name}"),
                )
            )
        days = sorted({_day(d) for d in session_days})
        for day in days:
            axes.axvline(day, color=colour("muted"), linestyle=":", linewidth=1.2, gid="session")
        if days:
            handles.append(
                Line2D([], [], color=colour("muted"), linestyle=":", label=t("mood.chart.session"))
            )
        axes.set_ylim(-0.5, 10.5)
        axes.set_yticks(range(0, 11, 2))
        axes.set_ylabel(t("mood.chart.score_axis"))
        shown = sorted({_day(r["on"]) for r in check_ins} | set(days))
        if shown and (shown[-1] - shown[0]).days < 7:  # a short history still spans a week
            axes.set_xlim(shown[0] - timedelta(days=1), shown[0] + timedelta(days=7))
        axes.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=7))
        axes.xaxis.set_major_formatter(DateFormatter("%d/%m"))
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        axes.set_xlabel(t("mood.chart.legend_note"), fontsize=8)
        axes.grid(axis="y", color=colour("line-soft"))
        if not check_ins:
            axes.text(
                0.5,
                0.5,
                t("mood.chart.empty"),
                transform=axes.transAxes,
                ha="center",
                va="center",
                wrap=True,
                parse_math=False,
            )
        else:
            figure.legend(
                handles=handles, loc="outside lower center", ncols=2, fontsize=8, frameon=False
            )
        if screening:
            _screening_panel(figure.add_subplot(grid[1]), screening, lang)
    return figure


def _screening_panel(axes: Any, screening: Sequence[tuple[date | str, float]], lang: str) -> None:
    t = lambda key, **f: text(lang, key, **f)
    pairs = sorted((_day(d), float(v)) for d, v in screening)
    labels = [day.strftime("%d/%m/%Y") for day, _ in pairs]
    positions = range(len(pairs))
    axes.bar(positions, [v for _, v in pairs], color=colour("accent"), width=0.55, gid="screening")
    for position, (_, value) in zip(positions, pairs, strict=True):
        axes.text(position, value, f"{value:g}", ha="center", va="bottom", parse_math=False)
    axes.set_xticks(list(positions), labels, fontsize=8)
    axes.set_xlim(-0.75, max(len(pairs), 2) - 0.25)
    axes.set_title(t("mood.chart.screening_title"), loc="left", fontsize=10)
    axes.set_ylabel(t("mood.chart.screening_axis"))
    top = max(v for _, v in pairs)
    axes.set_ylim(0, max(top * 1.25, 1))


def text_alternative(
    check_ins: Sequence[dict[str, Any]],
    *,
    lang: str = "en",
    session_days: Sequence[date | str] = (),
    screening: Sequence[tuple[date | str, float]] = (),
) -> str:
    """The chart in words and as a table (HTML, every value escaped)."""
    t = lambda key, **f: text(lang, key, **f)
    if not check_ins:
        return f"<p>{plain(t('mood.chart.empty'))}</p>"
    days = sorted(_day(r["on"]) for r in check_ins)
    parts = [
        t(
            "mood.chart.alt_summary",
            count=len(check_ins),
            first=days[0].isoformat(),
            last=days[-1].isoformat(),
        )
    ]
    weekly = weekly_means(check_ins)
    if len(weekly):
        last = weekly.iloc[-1]
        parts.append(
            t(
                "mood.chart.alt_latest",
                week=weekly.index[-1].date().isoformat(),
                **{s: ("–" if last[s] != last[s] else f"{last[s]:.1f}") for s in SERIES},
            )
        )
    if session_days:
        parts.append(
            t(
                "mood.chart.alt_sessions",
                days=", ".join(sorted({_day(d).isoformat() for d in session_days})),
            )
        )
    if screening:
        totals = ", ".join(
            f"{_day(d).isoformat()}: {v:g}" for d, v in sorted((_day(d), v) for d, v in screening)
        )
        parts.append(t("mood.chart.alt_screening", totals=totals))
    missing = t("mood.chart.no_value")
    header = "".join(
        f'<th scope="col">{plain(h)}</th>'
        for h in [t("mood.chart.column_date"), *(t(f"mood.chart.{s}") for s in SERIES)]
    )
    body = "".join(
        "<tr>"
        + f"<td>{plain(str(r['on']))}</td>"
        + "".join(f"<td>{plain(str(r.get(s, missing)))}</td>" for s in SERIES)
        + "</tr>"
        for r in sorted(check_ins, key=lambda r: str(r["on"]))
    )
    return (
        "".join(f"<p>{plain(p)}</p>" for p in parts)
        + f"<details><summary>{plain(t('mood.chart.alt_table'))}</summary>"
        f'<table class="within-table"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></details>'
    )


class MoodChart(w.VBox):
    """A person's check-ins over time as a picture with the same information in words.

    Parameters
    ----------
    check_ins:
        Check-in records (see :func:`widgets.exercises.mood.make_check_in`).
    session_days:
        Dates of sessions or activities, marked on the chart.
    screening:
        ``(date, total)`` pairs of screening totals, drawn in a second panel.
    context:
        Language and mode of the page.
    """

    check_ins = traitlets.List(traitlets.Dict(), help="Check-in records, any order")
    session_days = traitlets.List(help="Dates (date or ISO text) of sessions to mark")
    screening = traitlets.List(help="(date, total) pairs of screening totals")

    def __init__(
        self,
        check_ins: Sequence[dict[str, Any]] = (),
        *,
        session_days: Sequence[date | str] = (),
        screening: Sequence[tuple[date | str, float]] = (),
        context: PageContext | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.add_class("within-cards")
        self.add_class("within-chart")
        self.picture = w.HTML()
        self.words = w.HTML()
        self.children = [CardStyles(), self.picture, self.words]
        self.figure: Any = None
        self.check_ins = list(check_ins)
        self.session_days = [d.isoformat() if isinstance(d, date) else str(d) for d in session_days]
        self.screening = [
            [d.isoformat() if isinstance(d, date) else str(d), float(v)] for d, v in screening
        ]
        self.observe(lambda _c: self.redraw(), names=["check_ins", "session_days", "screening"])
        self.redraw()

    def redraw(self) -> None:
        """Draw the chart and its words again from the current data."""
        from widgets.exercises.chart_fonts import png_bytes

        lang = self.context.lang
        pairs = [(d, v) for d, v in self.screening]
        craving = any("craving" in r for r in self.check_ins)
        self.figure = mood_figure(
            self.check_ins,
            lang=lang,
            session_days=self.session_days,
            screening=pairs,
            craving=craving,
        )
        words = text_alternative(
            self.check_ins, lang=lang, session_days=self.session_days, screening=pairs
        )
        png = base64.b64encode(png_bytes(self.figure, lang)).decode("ascii")
        summary = text(lang, "mood.chart.heading")
        self.picture.value = (
            f'<figure class="within-chart__figure"><img src="data:image/png;base64,{png}" '
            f'alt="{plain(summary)}" /></figure>'
        )
        self.words.value = words
