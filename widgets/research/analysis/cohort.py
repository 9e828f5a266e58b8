"""The cohort funnel and each person's baseline and end screening.

Definitions (one place, so the app, the brief and a researcher's notebook agree):

- **screened**: people with at least one complete questionnaire (a total).
- **baseline**: a person's first complete questionnaire; **16+** / **20+**: people whose
  baseline was flagged (above the lowest band) / in a referral band.
- **took part**: flagged people with at least one check-in.
- **followed up**: flagged people with a complete questionnaire at least ``min_days``
  (default 60) after their baseline; the latest one is their **end** screening.
- **improved**: followed-up people whose end total is lower than their baseline total by
  at least ``min_drop`` (default 1) point.
"""

from __future__ import annotations

import pandas as pd

STAGES: tuple[str, ...] = ("screened", "flagged", "referral", "took_part", "followed_up", "improved")


def baseline_end(submissions: pd.DataFrame, *, min_days: int = 60) -> pd.DataFrame:
    """One row per screened person: ``code``, baseline date/total/flags, and end date/total
    (NA when there is no questionnaire ``min_days`` or more after the baseline)."""
    complete = submissions.dropna(subset=["total"]).sort_values(["code", "submitted_on"], kind="stable")
    first = complete.groupby("code", sort=True).head(1).set_index("code")
    out = pd.DataFrame(
        {
            "baseline_on": first["submitted_on"],
            "baseline": first["total"].astype("Int64"),
            "flagged": first["flagged"].astype(bool),
            "referral": first["referral"].astype(bool),
        }
    )
    later = complete.join(out["baseline_on"], on="code")
    later = later[(later["submitted_on"] - later["baseline_on"]).dt.days >= min_days]
    last = later.groupby("code").tail(1).set_index("code")
    out["end_on"] = last["submitted_on"].reindex(out.index)
    out["end"] = last["total"].reindex(out.index).astype("Int64")
    out["change"] = (out["end"] - out["baseline"]).astype("Int64")
    return out


def funnel(
    submissions: pd.DataFrame,
    check_ins: pd.DataFrame | None = None,
    *,
    min_days: int = 60,
    min_drop: int = 1,
) -> pd.DataFrame:
    """Counts of people at each stage of :data:`STAGES` (index ``stage``, column ``n``)."""
    people = baseline_end(submissions, min_days=min_days)
    flagged = people[people["flagged"]]
    with_check_in = set(check_ins["code"]) if check_ins is not None and len(check_ins) else set()
    followed = flagged[flagged["end"].notna()]
    counts = {
        "screened": len(people),
        "flagged": len(flagged),
        "referral": int(people["referral"].sum()),
        "took_part": int(flagged.index.isin(list(with_check_in)).sum()),
        "followed_up": len(followed),
        "improved": int((followed["change"] <= -min_drop).sum()),
    }
    return pd.DataFrame({"n": pd.Series(counts, dtype="int64")}).rename_axis("stage")


def change_table(people: pd.DataFrame) -> pd.DataFrame:
    """Flagged people by baseline band (16-19, 20+) and what happened by the end (lower,
    same, higher, not followed up): counts for the community brief. Suppress before
    publishing (:func:`widgets.research.analysis.suppression.suppress`)."""
    flagged = people[people["flagged"]]
    band = flagged["referral"].map({False: "16-19", True: "20+"})
    change = flagged["change"].astype("Float64")
    outcome = pd.Series("not_followed", index=flagged.index)
    outcome[change < 0] = "lower"
    outcome[change == 0] = "same"
    outcome[change > 0] = "higher"
    table = pd.crosstab(band, outcome)
    table = table.reindex(
        index=["16-19", "20+"], columns=["lower", "same", "higher", "not_followed"], fill_value=0
    )
    table.index.name, table.columns.name = "baseline", "outcome"
    return table.astype(int)
