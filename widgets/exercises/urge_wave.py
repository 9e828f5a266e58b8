"""The urge wave of Activity 1: a craving drawn as a wave the person can shape.

Urges rise, peak and pass, like waves. Three ratings (how high, how fast, how long)
redraw the wave over minutes, with a caption that says the same in words. matplotlib
is imported here only, when the wave is first drawn, so other pages stay light.
The picture carries numbers only: every word is in the page, in the person's language.
"""

from __future__ import annotations

import base64
import io
import math
from typing import Any

import ipywidgets as w

from widgets.controls.range_input import RangeInput
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.core.palette import colour
from widgets.exercises.base import Exercise

BASELINE = 1.0


def urge_level(minute: float, peak: int, rise: int, duration: int) -> float:
    """How strong the urge is at ``minute`` (0-10): eases up to ``peak``, then down.

    Parameters
    ----------
    minute:
        Minutes since the urge began.
    peak:
        Its highest strength, 1-10.
    rise:
        Minutes until the peak.
    duration:
        Minutes until it has passed (after ``rise``).
    """
    top = max(BASELINE, float(peak))
    if minute <= 0:
        return BASELINE
    if minute <= rise:
        return BASELINE + (top - BASELINE) * math.sin(math.pi / 2 * minute / rise) ** 2
    if minute <= duration:
        return BASELINE + (top - BASELINE) * math.cos(math.pi / 2 * (minute - rise) / (duration - rise)) ** 2
    return BASELINE


def wave_svg(peak: int, rise: int, duration: int) -> str:
    """The wave as a small SVG (numbers on the axes only, no words)."""
    import matplotlib
    from matplotlib.figure import Figure

    end = duration + max(5, duration // 6)
    minutes = [end * i / 240 for i in range(241)]
    levels = [urge_level(m, peak, rise, duration) for m in minutes]
    with matplotlib.rc_context({"svg.fonttype": "none", "font.size": 11, "svg.hashsalt": "within"}):
        figure = Figure(figsize=(6, 2.8), dpi=100)
        axes = figure.add_subplot()
        axes.fill_between(minutes, levels, color=colour("accent-mid"), alpha=0.7, linewidth=0)
        axes.plot(minutes, levels, color=colour("accent"), linewidth=2.5)
        axes.axvline(rise, color=colour("muted-soft"), linestyle="--", linewidth=1)
        axes.set_xlim(0, end)
        axes.set_ylim(0, 10.5)
        axes.set_yticks([0, 5, 10])
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.tight_layout(pad=0.4)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


class UrgeWave(Exercise):
    """Three ratings that shape an urge wave, redrawn with a plain caption.

    Parameters
    ----------
    context:
        Language of the words (the wave is the same on a projector).
    peak, rise, duration:
        The wave shown first: strength 1-10, minutes to the peak (1-30), minutes
        until it has passed (10-90).
    """

    def __init__(
        self,
        *,
        context: PageContext | None = None,
        peak: int = 7,
        rise: int = 8,
        duration: int = 30,
        **kwargs: Any,
    ) -> None:
        super().__init__(context=context, **kwargs)
        t = self.context.t
        self.add_class("within-urge-wave")

        def control(key: str, value: int, low: int, high: int, step: int, text: str) -> RangeInput:
            return RangeInput(
                t(f"urge_wave.{key}"),
                value=value,
                min=low,
                max=high,
                step=step,
                low_label=str(low),
                high_label=str(high),
                value_text=t(text),
            )

        self.peak = control("peak", peak, 1, 10, 1, "urge_wave.out_of_ten")
        self.rise = control("rise", rise, 1, 30, 1, "urge_wave.minutes_value")
        self.duration = control("duration", duration, 10, 90, 5, "urge_wave.minutes_value")
        self.picture = w.HTML()
        self.caption = w.HTML()
        redraw = self.kindly(self.draw)
        for control_ in (self.peak, self.rise, self.duration):
            control_.observe(lambda _c: redraw(), names="value")
        self.children = [self.picture, self.caption, self.peak, self.rise, self.duration, self.message]
        redraw()

    def shape(self) -> tuple[int, int, int]:
        """(peak, rise, duration) as drawn: the urge always passes after it peaks."""
        rise = self.rise.value
        duration = max(self.duration.value, rise + 5)
        return self.peak.value, rise, duration

    def draw(self) -> None:
        """Redraw the wave and its caption from the three ratings."""
        t = self.context.t
        peak, rise, duration = self.shape()
        words = t("urge_wave.caption", peak=peak, rise=rise, duration=duration)
        svg = base64.b64encode(wave_svg(peak, rise, duration).encode("utf-8")).decode("ascii")
        self.picture.value = (
            f'<figure class="within-figure"><img class="within-wave" src="data:image/svg+xml;base64,{svg}" '
            f'alt="{plain(words)}" width="600" height="280">'
            f'<figcaption class="within-quiet">{plain(t("urge_wave.axes"))}</figcaption></figure>'
        )
        self.caption.value = f'<p class="within-wave-caption" aria-live="polite">{plain(words)}</p>'

