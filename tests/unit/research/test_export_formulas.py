"""Exports never hand a spreadsheet a formula (OWASP's CSV injection advice).

A participant code is any 16 visible characters, so ``=HYPERLINK(...)`` is a valid code and
reaches every export. Excel cells and CSV cells are both neutralised
(:mod:`widgets.research.spreadsheet_safe`; its own tests are in ``test_spreadsheet_safe.py``).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from widgets.core.instrument import instrument
from widgets.core.scoring import score
from widgets.research.export import EXPORT_SCOPE, export_submissions
from widgets.store import Store

SCALE = instrument("thai-internalised-stigma")
FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(1)", "=HYPERLINK(1)"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def exported(store: Store, tmp_path: Path) -> list[Path]:
    result = score(SCALE, dict.fromkeys(SCALE.item_ids, 1))
    for code in FORMULAS:
        store.add_submission(code, result, language="en", administered="self")
        store.record_consent(code, EXPORT_SCOPE, "v1")
    day = date(2026, 6, 1)
    return export_submissions(store, tmp_path, today=day, formats="both", excel=True).paths


def test_excel_data_cells_are_text_never_formulas(exported: list[Path]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(exported[-1])
    cells = [cell for sheet in book for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a data cell is a formula"
    codes = {cell.value for cell in book["submissions"]["A"][1:]}
    assert len(codes) == len(FORMULAS)
    assert not any(str(code).startswith(DANGEROUS) for code in codes)


def test_csv_cells_never_start_like_a_formula(exported: list[Path]) -> None:
    for path in (p for p in exported if p.suffix == ".csv" and "codebook" not in p.name):
        with path.open(encoding="utf-8", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert not [c for c in cells if c.startswith(DANGEROUS)], path.name
