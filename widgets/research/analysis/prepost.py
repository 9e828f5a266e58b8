"""Paired change from before to after: the Wilcoxon signed-rank test and an effect size.

Why these: totals of a short ordinal scale are not normal and pilot samples are small,
so the signed-rank test (scipy, exact p-value for small samples without ties) is the usual
choice. Its effect size is the matched-pairs rank-biserial correlation (Kerby 2014):
``r = (T+ - T-) / (T+ + T-)`` over the non-zero differences ``after - before``, from -1
(everyone lower after) to +1 (everyone higher). A percentile bootstrap interval
(:func:`scipy.stats.bootstrap`, resampling pairs, seeded) gives its uncertainty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class PrePost:
    """The result of :func:`compare`.

    Attributes
    ----------
    n:
        Pairs compared; ``n_changed`` of them changed (zeros are left out of the test).
    median_before, median_after, median_change:
        Medians of the two times and of the differences ``after - before``.
    statistic, p_value:
        Wilcoxon's W (the smaller of the signed-rank sums) and its two-sided p-value.
    rank_biserial, ci_low, ci_high, confidence:
        The effect size and its bootstrap interval (NaN when it cannot be estimated).
    """

    n: int
    n_changed: int
    median_before: float
    median_after: float
    median_change: float
    statistic: float
    p_value: float
    rank_biserial: float
    ci_low: float
    ci_high: float
    confidence: float


def rank_biserial(before: Sequence[float], after: Sequence[float]) -> float:
    """Matched-pairs rank-biserial correlation of ``after - before`` (zeros dropped)."""
    diff = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    diff = diff[diff != 0]
    if diff.size == 0:
        return float("nan")
    ranks = stats.rankdata(np.abs(diff))
    plus, minus = ranks[diff > 0].sum(), ranks[diff < 0].sum()
    return float((plus - minus) / (plus + minus))


def compare(
    before: Sequence[float],
    after: Sequence[float],
    *,
    confidence: float = 0.95,
    n_resamples: int = 4999,
    seed: int = 20261125,
) -> PrePost:
    """Compare paired values (one pair per person, in the same order)."""
    x, y = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("before and after must be two lists of the same length")
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    diff = y - x
    changed = int((diff != 0).sum())
    if changed == 0:
        statistic = p_value = float("nan")
    else:
        test = stats.wilcoxon(y, x, zero_method="wilcox")
        statistic, p_value = float(test.statistic), float(test.pvalue)
    low = high = float("nan")
    if changed >= 2 and len(x) >= 5:
        result = stats.bootstrap(
            (x, y),
            lambda a, b: rank_biserial(a, b),
            paired=True,
            vectorized=False,
            confidence_level=confidence,
            n_resamples=n_resamples,
            method="percentile",
            rng=np.random.default_rng(seed),
        )
        low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    return PrePost(
        n=len(x),
        n_changed=changed,
        median_before=float(np.median(x)) if len(x) else float("nan"),
        median_after=float(np.median(y)) if len(y) else float("nan"),
        median_change=float(np.median(diff)) if len(diff) else float("nan"),
        statistic=statistic,
        p_value=p_value,
        rank_biserial=rank_biserial(x, y),
        ci_low=low,
        ci_high=high,
        confidence=confidence,
    )
