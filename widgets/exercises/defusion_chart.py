"""The before/after chart of defusion rounds: a small inline SVG with a text twin.

No plotting library: a few rectangles are lighter on a phone than a matplotlib image,
and scale cleanly on a projector. The picture is hidden from screen readers because
the same numbers are listed in words right under it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from widgets.core.markup import plain
from widgets.core.palette import colour

MAX_ROUNDS = 6


def _score(round_: Mapping[str, Any], when: str, what: str) -> int:
    try:
        return max(0, min(10, int(round_[when][what])))
    except (KeyError, TypeError, ValueError):
        return 0


def round_sentence(number: int, round_: Mapping[str, Any], t: Callable[..., str]) -> str:
    """One round in words ("Round 1: believing it went from 8 to 5 ...")."""
    return t(
        "defusion.done.round",
        number=number,
        believe_before=_score(round_, "before", "believe"),
        believe_after=_score(round_, "after", "believe"),
        hurt_before=_score(round_, "before", "hurt"),
        hurt_after=_score(round_, "after", "hurt"),
    )


def rounds_chart(rounds: Sequence[Mapping[str, Any]], t: Callable[..., str]) -> str:
    """HTML for the last :data:`MAX_ROUNDS` rounds: a bar chart and the same in words.

    Parameters
    ----------
    rounds:
        Saved rounds, oldest first, each with ``before`` and ``after`` scores
        (``{"believe": 0-10, "hurt": 0-10}``).
    t:
        The page's words (``PageContext.t``).
    """
    if not rounds:
        return ""
    first = max(0, len(rounds) - MAX_ROUNDS)
    shown = list(rounds)[first:]
    bar, gap, top, height = 22, 6, 34, 150
    group = 4 * bar + 3 * gap + 28
    width = max(280, 36 + group * len(shown))  # room for the legend
    # Outlined bars (before): 5.6:1 on white; filled bars (after): 7.5:1.
    guide, ink, paper = colour("line-chart"), colour("text"), colour("surface")
    before, after = colour("muted-soft"), colour("accent")
    parts = [
        (
            f'<svg class="within-chart" viewBox="0 0 {width} {top + height + 40}" '
            f'width="{width}" aria-hidden="true" focusable="false" '
            'xmlns="http://www.w3.org/2000/svg" font-size="13" font-family="inherit">'
        )
    ]
    for level in (0, 5, 10):
        y = top + height - level * height / 10
        parts.append(f'<line x1="30" x2="{width}" y1="{y}" y2="{y}" stroke="{guide}"/>')
        parts.append(f'<text x="24" y="{y + 4}" text-anchor="end" fill="{ink}">{level}</text>')
    # The legend: outlined = before, filled = after (told by shape as well as colour).
    parts.append(f'<rect x="36" y="6" width="14" height="14" fill="{paper}" stroke="{before}" stroke-width="3"/>')
    parts.append(f'<text x="56" y="18" fill="{ink}">{plain(t("defusion.done.before_label"))}</text>')
    parts.append(f'<rect x="150" y="6" width="14" height="14" fill="{after}"/>')
    parts.append(f'<text x="170" y="18" fill="{ink}">{plain(t("defusion.done.after_label"))}</text>')
    for index, round_ in enumerate(shown):
        x0 = 36 + index * group
        for pair, what in enumerate(("believe", "hurt")):
            for side, when in enumerate(("before", "after")):
                value = _score(round_, when, what)
                x = x0 + (pair * 2 + side) * (bar + gap) + pair * 8
                h = max(1.5, value * height / 10)
                y = top + height - h
                style = (
                    f'fill="{paper}" stroke="{before}" stroke-width="3"'
                    if when == "before"
                    else f'fill="{after}"'
                )
                parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" {style}/>')
                parts.append(
                    f'<text x="{x + bar / 2}" y="{y - 4:.1f}" text-anchor="middle" fill="{ink}">{value}</text>'
                )
            label = t("defusion.done.believe_short" if what == "believe" else "defusion.done.hurt_short")
            cx = x0 + pair * (2 * (bar + gap) + 8) + bar + gap / 2
            parts.append(
                f'<text x="{cx}" y="{top + height + 16}" text-anchor="middle" fill="{ink}">{plain(label)}</text>'
            )
        parts.append(
            f'<text x="{x0 + 2 * bar + gap + 4}" y="{top + height + 34}" text-anchor="middle" '
            f'font-weight="700" fill="{ink}">{plain(t("defusion.done.round_short", number=first + index + 1))}</text>'
        )
    parts.append("</svg>")
    sentences = "".join(
        f"<li>{plain(round_sentence(first + index + 1, round_, t))}</li>" for index, round_ in enumerate(shown)
    )
    return (
        f'<figure class="within-figure"><figcaption><strong>{plain(t("defusion.done.chart_title"))}'
        f'</strong></figcaption><div class="within-chart-box">{"".join(parts)}</div>'
        f'<ul class="within-chart-words">{sentences}</ul></figure>'
    )
