"""Small-number suppression for anything published: no count under 5, and no way back.

A count under the threshold (1-4 by default) is hidden (primary suppression). Hiding one
cell is not enough when totals are shown: a row with one hidden cell gives it away by
subtraction. So more cells are hidden (secondary, or complementary, suppression) until

1. no row or column, totals included, has exactly one hidden cell, and
2. an audit by integer linear programming (:func:`scipy.optimize.milp`, the check
   statistical offices run) finds, for every hidden cell, at least two values consistent
   with everything shown: the row and column sums, the totals, and counts being whole
   numbers of zero or more.

Complements are the smallest visible counts of the line (inner cells before totals, and
non-zero before zero), so as little as possible is lost. Zeros are shown by default (a
known zero protects no one and reveals nothing about a hidden cell beside it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

TOTAL = "Total"


def with_totals(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` of counts with a ``Total`` column and a ``Total`` row."""
    full = table.astype(int).copy()
    full[TOTAL] = full.sum(axis=1)
    full.loc[TOTAL] = full.sum(axis=0)
    return full


def suppress(
    table: pd.DataFrame, *, threshold: int = 5, suppress_zeros: bool = False
) -> pd.DataFrame:
    """The table with totals, hidden cells as ``None`` (object dtype), safe to publish.

    Parameters
    ----------
    table:
        Counts (whole numbers of 0 or more), without totals.
    threshold:
        Counts below this are hidden (5: no cell under 5 shown).
    suppress_zeros:
        Also hide zeros (when "nobody in this group" would itself harm someone).
    """
    full = with_totals(table)
    values = full.to_numpy()
    if (values < 0).any():
        raise ValueError("counts cannot be negative")
    hidden = hidden_cells(values, threshold=threshold, suppress_zeros=suppress_zeros)
    shown = full.astype(object).where(~hidden, None)
    return shown


def hidden_cells(values: np.ndarray, *, threshold: int = 5, suppress_zeros: bool = False) -> np.ndarray:
    """Which cells of a table *with totals* (last row and column) to hide."""
    hidden = (values < threshold) & ((values > 0) | suppress_zeros)
    rows, cols = values.shape
    while True:
        changed = False
        for line in _lines(rows, cols):
            count = sum(hidden[cell] for cell in line)
            if count == 1:
                _hide_complement(values, hidden, line)
                changed = True
        if changed:
            continue
        for cell in zip(*np.nonzero(hidden), strict=True):
            low, high = cell_range(values, hidden, cell)
            if low == high:
                row_line = [(cell[0], j) for j in range(cols)]
                col_line = [(i, cell[1]) for i in range(rows)]
                if not _hide_complement(values, hidden, row_line):
                    _hide_complement(values, hidden, col_line)
                changed = True
                break
        if not changed:
            return hidden


def _lines(rows: int, cols: int) -> list[list[tuple[int, int]]]:
    return [[(i, j) for j in range(cols)] for i in range(rows)] + [
        [(i, j) for i in range(rows)] for j in range(cols)
    ]


def _hide_complement(values: np.ndarray, hidden: np.ndarray, line: list[tuple[int, int]]) -> bool:
    rows, cols = values.shape
    candidates = [cell for cell in line if not hidden[cell]]
    if not candidates:
        return False

    def cost(cell: tuple[int, int]) -> tuple[int, int, int, tuple[int, int]]:
        margin = int(cell[0] == rows - 1 or cell[1] == cols - 1)
        return (margin, int(values[cell] == 0), int(values[cell]), cell)

    hidden[min(candidates, key=cost)] = True
    return True


def cell_range(values: np.ndarray, hidden: np.ndarray, cell: tuple[int, int]) -> tuple[float, float]:
    """The smallest and largest whole number a hidden ``cell`` can be, given what is shown
    (``inf`` when nothing bounds it)."""
    rows, cols = values.shape
    unknown = [tuple(c) for c in zip(*np.nonzero(hidden), strict=True)]
    index = {c: n for n, c in enumerate(unknown)}
    equations, rhs = [], []
    for line, total in [
        ([(i, j) for j in range(cols - 1)], (i, cols - 1)) for i in range(rows)
    ] + [([(i, j) for i in range(rows - 1)], (rows - 1, j)) for j in range(cols)]:
        row = np.zeros(len(unknown))
        known = 0.0
        for part in line:
            if part in index:
                row[index[part]] += 1
            else:
                known += values[part]
        if total in index:
            row[index[total]] -= 1
        else:
            known -= values[total]
        if row.any():
            equations.append(row)
            rhs.append(-known)
    constraint = LinearConstraint(np.array(equations), rhs, rhs)
    bounds = Bounds(np.zeros(len(unknown)), np.full(len(unknown), np.inf))
    integrality = np.ones(len(unknown))
    found = []
    for sign in (1, -1):
        objective = np.zeros(len(unknown))
        objective[index[cell]] = sign
        result = milp(objective, integrality=integrality, bounds=bounds, constraints=constraint)
        if result.status == 0:
            found.append(round(sign * result.fun))
        else:
            found.append(float("inf"))
    return float(found[0]), float(found[1])


HIDDEN = "[c]"


def shown_text(value: object, threshold: int = 5) -> str:
    """How a cell reads in a published table: the count, or ``[c]`` when hidden (one mark
    for every hidden cell: telling primary from complementary cells would narrow them)."""
    return HIDDEN if value is None else str(value)
