"""How the items of a scale behave: means, corrected item-total correlations, alpha.

Cronbach's alpha is ``k/(k-1) * (1 - sum of item variances / variance of the total)`` on
complete rows; its confidence interval is Feldt's (Feldt, Woodruff & Salih 1987), from F
quantiles (:data:`scipy.stats.f`), as in R's ``psych::alpha`` and pingouin (not added as a
dependency: it pulls in statsmodels and scikit-learn for this one function).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class Alpha:
    """Cronbach's alpha of ``k`` items over ``n`` complete rows, with its interval."""

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int
    confidence: float


def cronbach_alpha(items: pd.DataFrame, *, confidence: float = 0.95) -> Alpha:
    """Alpha of the columns of ``items`` (one row per person; rows with a gap are left out)."""
    data = items.dropna().astype(float)
    n, k = data.shape
    if k < 2 or n < 2:
        raise ValueError("alpha needs at least two items and two complete rows")
    total_variance = data.sum(axis=1).var(ddof=1)
    alpha = k / (k - 1) * (1 - data.var(ddof=1).sum() / total_variance)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    low = 1 - (1 - alpha) * stats.f.isf(tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return Alpha(float(alpha), float(low), float(high), int(n), int(k), confidence)


def item_statistics(items: pd.DataFrame) -> pd.DataFrame:
    """Per item: ``mean``, ``sd``, corrected item-total correlation (with the total of the
    other items) and alpha if the item were left out, on complete rows."""
    data = items.dropna().astype(float)
    total = data.sum(axis=1)
    rows = {}
    for item in data.columns:
        rest = total - data[item]
        rows[item] = {
            "mean": data[item].mean(),
            "sd": data[item].std(ddof=1),
            "item_rest_r": data[item].corr(rest),
            "alpha_if_dropped": cronbach_alpha(data.drop(columns=item)).alpha
            if data.shape[1] > 2
            else float("nan"),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("item")
