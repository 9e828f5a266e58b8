"""Check-ins over the months of follow-up: how mood, stress and wellbeing move.

Each check-in is placed in a month of follow-up counted from the person's first check-in
(to the nearest 30 days: month 0 = days 0-14, 1 = days 15-44, ...), so people who started at different
times line up. Summaries count people, not check-ins: each person's check-ins in a month
are averaged first.
"""

from __future__ import annotations

import pandas as pd

from widgets.core.check_ins import SCALES


def with_month(check_ins: pd.DataFrame, *, days: int = 30) -> pd.DataFrame:
    """``check_ins`` with a ``month`` column (0, 1, 2, 3 ...) since each person's first one."""
    frame = check_ins.copy()
    first = frame.groupby("code")["on"].transform("min")
    frame["month"] = (((frame["on"] - first).dt.days + days // 2) // days).astype(int)
    return frame


def monthly_summary(check_ins: pd.DataFrame, scales: tuple[str, ...] = SCALES) -> pd.DataFrame:
    """Per month and scale: ``people``, ``mean``, ``median`` of the per-person monthly means."""
    if check_ins.empty:
        return pd.DataFrame(columns=["month", "scale", "people", "mean", "median"])
    frame = with_month(check_ins)
    per_person = frame.groupby(["code", "month"])[list(scales)].mean().reset_index()
    long = per_person.melt(id_vars=["code", "month"], var_name="scale").dropna(subset=["value"])
    summary = long.groupby(["month", "scale"])["value"].agg(
        people="count", mean="mean", median="median"
    )
    return summary.reset_index()


def first_last(check_ins: pd.DataFrame, scale: str, *, min_days: int = 60) -> pd.DataFrame:
    """Each person's first and last value of ``scale``, for people followed ``min_days`` or more."""
    frame = check_ins.dropna(subset=[scale]).sort_values(["code", "on"], kind="stable")
    grouped = frame.groupby("code")
    out = pd.DataFrame(
        {
            "first": grouped[scale].first().astype(float),
            "last": grouped[scale].last().astype(float),
            "days": (grouped["on"].last() - grouped["on"].first()).dt.days,
        }
    )
    return out[out["days"] >= min_days]
