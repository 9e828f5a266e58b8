"""Small-number suppression: nothing under 5 shown, and no hidden count recoverable.

The proof is by brute force, independent of the module's own audit: every whole-number
table consistent with what is shown (row totals, column totals, shown cells) is listed,
and each hidden cell must take at least two different values across them.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from widgets.research.analysis.brief import brief_table, community_brief
from widgets.research.analysis.example import example_dataset
from widgets.research.analysis.suppression import HIDDEN, TOTAL, hidden_cells, suppress, with_totals


def _compositions(total: int, parts: int):
    if parts == 0:
        if total == 0:
            yield ()
        return
    for cut in itertools.combinations(range(total + parts - 1), parts - 1):
        bounds = (-1, *cut, total + parts - 1)
        yield tuple(b - a - 1 for a, b in itertools.pairwise(bounds))


def consistent_values(shown: pd.DataFrame) -> dict[tuple[int, int], set[int]]:
    """For each hidden inner cell, every value it takes in some table that agrees with
    everything shown. Needs the row totals shown (true of the tables tested here)."""
    grid = shown.to_numpy(dtype=object)
    rows, cols = grid.shape
    assert all(grid[i, cols - 1] is not None for i in range(rows)), "row totals must be shown"
    per_row = []
    for i in range(rows - 1):
        hidden = [j for j in range(cols - 1) if grid[i, j] is None]
        rest = grid[i, cols - 1] - sum(grid[i, j] for j in range(cols - 1) if grid[i, j] is not None)
        per_row.append([(hidden, combo) for combo in _compositions(rest, len(hidden))])
    found: dict[tuple[int, int], set[int]] = {}
    for choice in itertools.product(*per_row):
        table = np.array([[0 if v is None else v for v in row] for row in grid[:-1, :-1]])
        for i, (hidden, combo) in enumerate(choice):
            for j, value in zip(hidden, combo, strict=True):
                table[i, j] = value
        sums = table.sum(axis=0)
        if all(grid[rows - 1, j] is None or grid[rows - 1, j] == sums[j] for j in range(cols - 1)):
            for i, (hidden, combo) in enumerate(choice):
                for j, value in zip(hidden, combo, strict=True):
                    found.setdefault((i, j), set()).add(value)
    return found


def assert_unrecoverable(table: pd.DataFrame, shown: pd.DataFrame) -> None:
    truth = with_totals(table).to_numpy()
    values = consistent_values(shown)
    hidden = [(i, j) for i, j in itertools.product(*map(range, truth.shape)) if shown.iat[i, j] is None]
    assert hidden, "nothing was hidden"
    for i, j in hidden:
        if i == truth.shape[0] - 1 or j == truth.shape[1] - 1:
            continue
        assert truth[i, j] in values[(i, j)]
        assert len(values[(i, j)]) >= 2, f"cell {(i, j)} = {truth[i, j]} can be worked out"


TABLE = pd.DataFrame({"a": [3, 8, 5], "b": [6, 2, 7]}, index=["x", "y", "z"])


def test_small_counts_are_hidden_and_shown_counts_are_true() -> None:
    shown = suppress(TABLE)
    full = with_totals(TABLE)
    for i, j in itertools.product(*map(range, full.shape)):
        value = shown.iat[i, j]
        if value is not None:
            assert value == full.iat[i, j] and not 0 < value < 5
    assert shown.loc["x", "a"] is None and shown.loc["y", "b"] is None


def test_hidden_counts_cannot_be_worked_out_from_the_totals() -> None:
    assert_unrecoverable(TABLE, suppress(TABLE))


def test_primary_suppression_alone_would_leak() -> None:
    """The brute force is able to fail: hiding only the small cells gives them away."""
    full = with_totals(TABLE)
    naive = full.astype(object).where(~((full > 0) & (full < 5)), None)
    with pytest.raises(AssertionError, match="can be worked out"):
        assert_unrecoverable(TABLE, naive)


@pytest.mark.parametrize(
    "table",
    [
        pd.DataFrame({"lower": [19, 3], "same": [3, 0], "higher": [2, 2], "lost": [3, 0]}),
        pd.DataFrame({"a": [1, 9, 9], "b": [9, 1, 9], "c": [9, 9, 1]}),
        pd.DataFrame({"a": [4, 20], "b": [20, 20]}),
        pd.DataFrame({"a": [12, 6], "b": [7, 9]}),  # nothing small: nothing hidden
    ],
)
def test_other_tables(table: pd.DataFrame) -> None:
    shown = suppress(table)
    if not ((table > 0) & (table < 5)).to_numpy().any():
        assert all(v is not None for v in shown.to_numpy().ravel())
        return
    assert_unrecoverable(table, shown)


def test_zeros_can_be_hidden_too() -> None:
    values = with_totals(pd.DataFrame({"a": [0, 9], "b": [9, 9]})).to_numpy()
    assert not hidden_cells(values).any()
    assert hidden_cells(values, suppress_zeros=True)[0, 0]


def test_the_example_brief_hides_small_numbers_unrecoverably() -> None:
    dataset = example_dataset()
    shown = brief_table(dataset)
    from widgets.research.analysis.cohort import baseline_end, change_table

    table = change_table(baseline_end(dataset.submissions))
    assert_unrecoverable(table, shown)
    brief = community_brief(dataset)
    assert HIDDEN in brief and "Example data only" in brief
    for value in shown.to_numpy().ravel():
        assert value is None or value == 0 or value >= 5
    assert shown.loc[TOTAL, TOTAL] == 32
