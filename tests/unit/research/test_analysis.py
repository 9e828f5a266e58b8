"""Analysis functions against reference values that do not come from Within's code."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from widgets.research.analysis.checkins import monthly_summary
from widgets.research.analysis.cohort import baseline_end, funnel
from widgets.research.analysis.example import example_dataset, generate
from widgets.research.analysis.items import cronbach_alpha, item_statistics
from widgets.research.analysis.prepost import compare, rank_biserial

# Darwin's Zea mays data as given by Fisher (1935, The Design of Experiments, §17) and
# used for the signed-rank test by Hollander & Wolfe (Nonparametric Statistical Methods):
# height of cross- minus self-fertilised plants, in eighths of an inch, 15 pairs.
DARWIN = [49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48]
# By hand: ranks of |d| are 1..15 with no ties; the negatives (-48, -67) have ranks 10 and
# 14, so T- = 24 and T+ = 120 - 24 = 96. W = min = 24; rank-biserial = (96-24)/120 = 0.6.


def exact_two_sided_p(t_minus: int, n: int) -> float:
    """By enumeration of all 2**n sign patterns (no library): P(min(T+, T-) <= t)."""
    total = n * (n + 1) // 2
    hits = 0
    for signs in itertools.product((0, 1), repeat=n):
        plus = sum(rank for rank, s in zip(range(1, n + 1), signs, strict=True) if s)
        if min(plus, total - plus) <= t_minus:
            hits += 1
    return hits / 2**n


def test_wilcoxon_matches_darwins_data_worked_by_hand() -> None:
    before = [0.0] * len(DARWIN)
    result = compare(before, DARWIN)
    assert result.statistic == 24
    assert result.n == result.n_changed == 15
    assert result.p_value == pytest.approx(exact_two_sided_p(24, 15), abs=1e-12)
    assert result.p_value == pytest.approx(0.0413, abs=5e-4)  # Hollander & Wolfe: 0.041
    assert result.rank_biserial == pytest.approx(0.6)
    assert result.median_change == 24
    assert result.ci_low < 0.6 < result.ci_high
    assert -1 <= result.ci_low and result.ci_high <= 1


def test_rank_biserial_sign_and_zeros() -> None:
    assert rank_biserial([5, 5, 5], [1, 2, 5]) == -1.0  # all lower after; the tie is dropped
    assert math.isnan(rank_biserial([1, 2], [1, 2]))
    assert compare([3, 3], [3, 3]).n_changed == 0


# Real Statistics' example (15 people x 10 items), as shipped with pingouin's tests
# (pingouin/datasets/cronbach_alpha.csv), whose reference values come from R's psych::alpha:
# alpha = 0.592, Feldt 95% CI [0.195, 0.840].
ALPHA_DATA = {
    "Q1": [3, 5, 7, 2, 6, 1, 4, 2, 6, 5, 4, 4, 5, 6, 4],
    "Q2": [2, 4, 3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 5, 5, 3],
    "Q3": [4, 6, 5, 3, 6, 3, 5, 4, 5, 6, 5, 3, 6, 5, 5],
    "Q4": [1, 3, 5, 3, 5, 4, 3, 3, 5, 4, 2, 2, 2, 4, 5],
    "Q5": [4, 5, 6, 2, 4, 2, 5, 7, 1, 3, 5, 5, 3, 2, 3],
    "Q6": [5, 1, 4, 2, 4, 5, 2, 2, 6, 5, 3, 3, 3, 2, 1],
    "Q7": [1, 2, 3, 2, 4, 2, 1, 2, 5, 3, 2, 4, 2, 1, 3],
    "Q8": [4, 5, 3, 6, 6, 3, 2, 4, 2, 1, 3, 2, 4, 4, 2],
    "Q9": [3, 5, 6, 6, 7, 5, 4, 6, 3, 7, 4, 3, 4, 6, 3],
    "Q10": [2, 5, 5, 3, 5, 2, 3, 5, 2, 2, 1, 4, 5, 5, 4],
}


def test_cronbach_alpha_matches_r_psych() -> None:
    result = cronbach_alpha(pd.DataFrame(ALPHA_DATA))
    assert round(result.alpha, 3) == 0.592
    assert (round(result.ci_low, 3), round(result.ci_high, 3)) == (0.195, 0.840)
    assert (result.n, result.k) == (15, 10)


def test_alpha_equals_hoyts_anova_reliability() -> None:
    """Hoyt (1941): alpha = 1 - MS(residual) / MS(persons), from a two-way ANOVA by hand."""
    data = np.array(list(ALPHA_DATA.values()), dtype=float).T
    n, k = data.shape
    grand = data.mean()
    ss_persons = k * ((data.mean(axis=1) - grand) ** 2).sum()
    ss_items = n * ((data.mean(axis=0) - grand) ** 2).sum()
    ss_resid = ((data - grand) ** 2).sum() - ss_persons - ss_items
    hoyt = 1 - (ss_resid / ((n - 1) * (k - 1))) / (ss_persons / (n - 1))
    assert cronbach_alpha(pd.DataFrame(data)).alpha == pytest.approx(hoyt)


def test_item_statistics_by_hand() -> None:
    frame = pd.DataFrame(ALPHA_DATA)
    stats = item_statistics(frame)
    rest = frame.drop(columns="Q1").sum(axis=1).to_numpy(dtype=float)
    assert stats.loc["Q1", "item_rest_r"] == pytest.approx(np.corrcoef(frame["Q1"], rest)[0, 1])
    assert stats.loc["Q1", "mean"] == pytest.approx(sum(ALPHA_DATA["Q1"]) / 15)
    assert stats.loc["Q1", "alpha_if_dropped"] == pytest.approx(
        cronbach_alpha(frame.drop(columns="Q1")).alpha
    )


def test_example_cohort_is_shaped_like_the_pilot_and_deterministic() -> None:
    data = example_dataset()
    counts = funnel(data.submissions, data.check_ins)["n"].to_dict()
    assert counts["screened"] == 96 and counts["flagged"] == 32 and counts["referral"] == 5
    assert counts["took_part"] == 32 and counts["followed_up"] == 29
    assert generate().codes == generate().codes
    assert all(code.startswith("EX") for code in generate().codes)
    assert example_dataset().submissions.equals(data.submissions)


def test_funnel_and_baseline_end_by_hand() -> None:
    day = pd.Timestamp
    subs = pd.DataFrame(
        {
            "code": ["A", "A", "B", "C", "C", "D"],
            "submitted_on": [day("2026-01-01"), day("2026-03-15"), day("2026-01-02"),
                             day("2026-01-03"), day("2026-01-20"), day("2026-01-04")],
            "total": pd.array([18, 12, 21, 17, 10, 5], dtype="Int64"),
            "flagged": [True, False, True, True, False, False],
            "referral": [False, False, True, False, False, False],
        }
    )
    checks = pd.DataFrame({"code": ["A", "B"], "on": [day("2026-02-01")] * 2})
    people = baseline_end(subs)
    assert people.loc["A", "change"] == -6
    assert pd.isna(people.loc["C", "end"])  # 17 days later is not an end screening
    assert funnel(subs, checks)["n"].tolist() == [4, 3, 1, 2, 1, 1]


def test_monthly_summary_counts_people_not_check_ins() -> None:
    day = pd.Timestamp
    frame = pd.DataFrame(
        {
            "code": ["A", "A", "A", "B", "B"],
            "on": [day("2026-01-01"), day("2026-01-03"), day("2026-01-31"), day("2026-02-01"), day("2026-03-04")],
            "mood": [2, 4, 6, 5, 7],
            "stress": [5] * 5,
            "wellbeing": [5] * 5,
        }
    )
    mood = monthly_summary(frame).query("scale == 'mood'").set_index("month")
    assert mood.loc[0, "people"] == 2 and mood.loc[0, "mean"] == pytest.approx((3 + 5) / 2)
    assert mood.loc[1, "people"] == 2 and mood.loc[1, "mean"] == pytest.approx((6 + 7) / 2)


@pytest.mark.parametrize("lang", ["en", "th"])
def test_charts_draw_every_glyph_and_say_what_they_show(lang: str) -> None:
    import warnings

    from widgets.research.analysis.checkins import monthly_summary
    from widgets.research.analysis.plots import (
        checkins_figure,
        funnel_figure,
        image_html,
        prepost_figure,
    )

    data = example_dataset()
    people = baseline_end(data.submissions)
    paired = people[people["flagged"] & people["end"].notna()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" is a UserWarning
        charts = [
            funnel_figure(funnel(data.submissions, data.check_ins), lang=lang),
            prepost_figure(paired["baseline"], paired["end"], lang=lang),
            checkins_figure(monthly_summary(data.check_ins), lang=lang),
        ]
        html = [image_html(figure, alt, lang) for figure, alt in charts]
    assert "96" in charts[0][1] and "29" in charts[1][1]
    assert all('alt="' in h and "<figcaption>" in h for h in html)
