"""``within score``: a sheet like the Thai pilot's, bad rows, bad files, in-process and for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from widgets.cli import main

INSTRUMENT = ["--instrument", "thai-internalised-stigma"]
ITEMS = [f"item_{n}" for n in range(1, 9)]
HEADER = ["code", *ITEMS]
EN = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
TH = ["ไม่เห็นด้วยอย่างยิ่ง", "ไม่เห็นด้วย", "เห็นด้วย", "เห็นด้วยอย่างยิ่ง"]
# How an answer may be written on a sheet: a code, "2.0", English labels in any case, Thai.
FORMS = [str, lambda c: f"{c}.0", lambda c: EN[c].upper(), lambda c: EN[c].lower(), lambda c: TH[c]]


@pytest.fixture(autouse=True)
def private_data_dir(data_dir: Path) -> Path:
    """Every test here gets its own empty data folder (``data_dir`` from conftest)."""
    return data_dir


def spread(total: int) -> list[int]:
    """Eight codes adding up to ``total``, as even as possible."""
    base, extra = divmod(total, 8)
    return [base + (1 if i < extra else 0) for i in range(8)]


def pilot_rows() -> list[list[str]]:
    """96 people as at the Thai outreach: 64 below 16, 27 at 16-19, 5 at 20 or more."""
    totals = [n % 16 for n in range(64)] + [16 + n % 4 for n in range(27)] + [20, 21, 22, 23, 24]
    rows = []
    for person, total in enumerate(totals):
        codes = spread(total)
        cells = [FORMS[(person + item) % len(FORMS)](code) for item, code in enumerate(codes)]
        rows.append([f"P{person:03d}", *cells])
    return rows


def write_csv(
    path: Path, rows: list[list[str]], header: list[str] = HEADER, bom: bool = False
) -> Path:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_score(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["score", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_pilot_sheet_gives_the_pilot_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(tmp_path / "pilot.csv", pilot_rows())
    status, out, err = run_score(capsys, str(sheet), *INSTRUMENT, "--summary")
    assert status == 0 and err == ""
    assert json.loads(out) == {"screened": 96, "flagged": 32, "referral": 5, "invalid": []}
    assert out.count("\n") == 1  # one JSON object on one line


def test_pilot_sheet_with_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = pilot_rows()
    bad = [
        ["B1", "maybe", *["1"] * 7],  # unknown label
        ["B2", "1", "1", "1", "1", "", "1", "1", "1"],  # passed item
        ["", *["3"] * 8],  # no code
        ["B4", "4", "1", "1", "1", "1", "1", "1", "-1"],  # out of range, twice
        ["B5", "1", "1"],  # a short row
    ]
    for offset, row in zip((0, 10, 40, 95, 96), bad, strict=True):
        rows.insert(offset, row)
    sheet = write_csv(tmp_path / "pilot-bad.csv", rows)
    status, out, err = run_score(capsys, str(sheet), *INSTRUMENT, "--summary")
    assert status == 0 and err == ""
    assert json.loads(out) == {
        "screened": 96,
        "flagged": 32,
        "referral": 5,
        "invalid": [
            {"row": 1, "code": "B1", "reason": "item_1: 'maybe' is not one of the answers"},
            {"row": 11, "code": "B2", "reason": "item_5: missing"},
            {"row": 41, "code": "", "reason": "code: empty"},
            {
                "row": 96,
                "code": "B4",
                "reason": "item_1: 4 is not one of the codes [0, 1, 2, 3]; "
                "item_8: -1 is not one of the codes [0, 1, 2, 3]",
            },
            {
                "row": 97,
                "code": "B5",
                "reason": "; ".join(f"item_{n}: missing" for n in range(3, 9)),
            },
        ],
    }


def test_csv_output_and_bad_rows_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(
        tmp_path / "sheet.csv",
        [
            ["A1", *["2"] * 8],
            ["A2", "Strongly Agree", "เห็นด้วยอย่างยิ่ง", "3", "3.0", "agree", "AGREE", "2", "2"],
            ["A1", *["0"] * 8],  # the same code twice is fine: scored twice
            ["A4", "2", "sometimes", *["1"] * 6],
        ],
    )
    status, out, err = run_score(capsys, str(sheet), *INSTRUMENT)
    assert status == 0
    assert out.splitlines() == [
        "code,total,band",
        "A1,16,internalised",
        "A2,20,very_high",
        "A1,0,lower",
    ]
    assert err.splitlines() == [
        "within score: row 4 (code 'A4') not scored: item_2: 'sometimes' is not one of the answers"
    ]


def test_bom_spaces_case_and_extra_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = [" Code ", *(f" {item.upper()} " for item in ITEMS), "site"]
    rows = [[" T1 ", " เห็นด้วย ", " agree", "Agree ", " 2 ", "2", "2", "2", "2", "north"]]
    sheet = write_csv(tmp_path / "bom.csv", rows, header=header, bom=True)
    status, out, err = run_score(capsys, str(sheet), *INSTRUMENT)
    assert (status, out, err) == (0, "code,total,band\nT1,16,internalised\n", "")


def test_blank_and_repeated_other_columns_are_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = [*HEADER, "note", "note", "", ""]
    sheet = write_csv(tmp_path / "wide.csv", [["N1", *["3"] * 8, "a", "b", "", ""]], header=header)
    assert run_score(capsys, str(sheet), *INSTRUMENT) == (
        0,
        "code,total,band\nN1,24,very_high\n",
        "",
    )


def test_repeated_item_column_is_a_file_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(tmp_path / "twice.csv", [["D1", *["1"] * 9]], header=[*HEADER, "Item_2"])
    _one_line_error(*run_score(capsys, str(sheet), *INSTRUMENT), "'Item_2' appears twice")


def test_blank_lines_are_skipped_but_numbered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(
        tmp_path / "gaps.csv", [["G1", *["1"] * 8], [",,,,,,,,"], ["G3", "x", *["1"] * 7]]
    )
    status, out, _ = run_score(capsys, str(sheet), *INSTRUMENT, "--summary")
    summary = json.loads(out)
    assert status == 0 and summary["screened"] == 1
    assert summary["invalid"] == [
        {"row": 3, "code": "G3", "reason": "item_1: 'x' is not one of the answers"}
    ]


def test_extra_values_beyond_the_header_are_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(
        tmp_path / "wide.csv", [["W1", *["1"] * 8, "surprise"], ["W2", *["1"] * 8, ""]]
    )
    status, out, _ = run_score(capsys, str(sheet), *INSTRUMENT, "--summary")
    assert status == 0
    assert json.loads(out)["invalid"] == [
        {"row": 1, "code": "W1", "reason": "the row has 10 values but the header has 9 columns"}
    ]
    assert json.loads(out)["screened"] == 1


def test_header_only_gives_empty_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_csv(tmp_path / "none.csv", [])
    status, out, _ = run_score(capsys, str(sheet), *INSTRUMENT, "--summary")
    assert status == 0
    assert json.loads(out) == {"screened": 0, "flagged": 0, "referral": 0, "invalid": []}


def _one_line_error(status: int, out: str, err: str, *expected: str) -> None:
    assert status == 2
    assert out == ""
    assert len(err.splitlines()) == 1 and err.endswith("\n")
    for part in expected:
        assert part in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.csv"
    _one_line_error(
        *run_score(capsys, str(missing), *INSTRUMENT, "--summary"), str(missing), "no such file"
    )


def test_folder_instead_of_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _one_line_error(*run_score(capsys, str(tmp_path), *INSTRUMENT), "is a folder")


def test_file_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "thai-windows.csv"
    sheet.write_bytes(
        ",".join(HEADER).encode() + b"\nA1," + "เห็นด้วย".encode("cp874") + b",1,1,1,1,1,1,1\n"
    )
    _one_line_error(*run_score(capsys, str(sheet), *INSTRUMENT), "UTF-8")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_file_without_permission(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_csv(tmp_path / "locked.csv", [["A1", *["1"] * 8]])
    sheet.chmod(0)
    _one_line_error(*run_score(capsys, str(sheet), *INSTRUMENT), "cannot be read")


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "empty.csv"
    sheet.write_text("", encoding="utf-8")
    _one_line_error(*run_score(capsys, str(sheet), *INSTRUMENT), "is empty")


def test_missing_item_column_is_a_file_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = [column for column in HEADER if column != "item_3"]
    sheet = write_csv(tmp_path / "seven.csv", [["A1", *["1"] * 7]], header=header)
    _one_line_error(
        *run_score(capsys, str(sheet), *INSTRUMENT, "--summary"), "missing column 'item_3'"
    )


def test_unknown_instrument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_csv(tmp_path / "sheet.csv", [["A1", *["1"] * 8]])
    _one_line_error(
        *run_score(capsys, str(sheet), "--instrument", "phq-9"),
        "unknown instrument 'phq-9'",
        "thai-internalised-stigma",
    )


def test_instrument_is_required(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_csv(tmp_path / "sheet.csv", [["A1", *["1"] * 8]])
    _one_line_error(*run_score(capsys, str(sheet)), "--instrument")


def test_console_script_for_real(tmp_path: Path, data_dir: Path) -> None:
    script = Path(sys.executable).with_name("within")
    assert script.exists(), f"the console script is missing next to {sys.executable}"
    sheet = write_csv(
        tmp_path / "pilot.csv", pilot_rows() + [["X1", "no idea", *["1"] * 7]], bom=True
    )
    env = {**os.environ, "WITHIN_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [str(script), "score", str(sheet), *INSTRUMENT, "--summary"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "screened": 96,
        "flagged": 32,
        "referral": 5,
        "invalid": [
            {"row": 97, "code": "X1", "reason": "item_1: 'no idea' is not one of the answers"}
        ],
    }
    missing = subprocess.run(
        [str(script), "score", str(tmp_path / "gone.csv"), *INSTRUMENT],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 2 and missing.stdout == ""
    assert len(missing.stderr.splitlines()) == 1 and "no such file" in missing.stderr


def test_a_cell_too_long_for_csv_names_its_line(tmp_path: Path) -> None:
    """Python's csv refuses a cell over 131072 characters: the message says where it is."""
    from widgets.research.score_csv import CsvFileError, read_records

    sheet = tmp_path / "sheet.csv"
    sheet.write_text("code,item_1\nAB12CD,1\nEF34GH," + "x" * 131_073 + "\n", encoding="utf-8")
    with pytest.raises(CsvFileError, match=r"line 3: field larger than field limit"):
        read_records(sheet)
