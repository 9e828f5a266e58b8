"""``within import --centre-ids``: paper sheets numbered with a centre's own IDs.

Each centre ID gets a Within code; the link lives only in a private file (mode 0600) that
later imports reuse, so a person's before and after screenings pair. The database never
holds a centre ID.
"""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest

from widgets import cli
from widgets.core.codes import is_code, new_code
from widgets.core.instrument import instrument
from widgets.research.analysis.cohort import baseline_end
from widgets.research.analysis.data import load
from widgets.research.centre_ids import CentreIdMap, default_map_path

THAI = instrument("thai-internalised-stigma")
ITEMS = THAI.item_ids
IMPORT = ["import", "--instrument", THAI.id, "--centre-ids"]


def sheet(
    path: Path, rows: list[tuple[str, list[int | str]]], *, column: str = "centre_id"
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column, *ITEMS])
        for centre_id, answers in rows:
            writer.writerow([centre_id, *answers])
    return path


BEFORE = [
    ("BKK-0012", [3, 3, 2, 3, 2, 2, 3, 2]),
    ("BKK-0047", [2, 2, 2, 2, 2, 2, 2, 2]),
    ("BKK 0101", ["agree"] * 8),
    ("ชม-007", [1, 1, 1, 0, 0, 0, 1, 1]),
    ("BKK-0200", [3, 3, 3, 3, 3, 3, 3, 3]),
]
AFTER = [
    ("BKK-0012", [2, 2, 1, 2, 1, 1, 2, 1]),
    (" BKK-0047 ", [1, 1, 1, 2, 1, 1, 1, 1]),
    ("BKK  0101", ["disagree"] * 8),
    ("ชม-007", [1, 0, 0, 0, 0, 0, 1, 0]),
    ("BKK-0300", [0, 0, 0, 0, 0, 0, 0, 0]),  # screened only afterwards
]


def run(*args: str) -> int:
    return cli.main([*IMPORT[:1], *args, *IMPORT[1:]])


def mapping(data_dir: Path) -> dict[str, str]:
    with (data_dir / "centre-ids.csv").open(encoding="utf-8") as handle:
        return {row["centre_id"]: row["code"] for row in csv.DictReader(handle)}


def test_before_and_after_sheets_pair_through_the_private_mapping(
    data_dir: Path, store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sheet(tmp_path / "before.csv", BEFORE)
    after = sheet(tmp_path / "after.csv", AFTER)
    assert run(str(before), "--date", "2026-08-03") == 0
    first = mapping(data_dir)
    assert set(first) == {"BKK-0012", "BKK-0047", "BKK 0101", "ชม-007", "BKK-0200"}
    assert all(is_code(code) for code in first.values()) and len(set(first.values())) == 5
    assert run(str(after), "--date", "2026-11-02") == 0
    second = mapping(data_dir)
    assert {k: second[k] for k in first} == first  # the same IDs kept their codes
    assert set(second) - set(first) == {"BKK-0300"}
    assert "1 new centre ID(s)" in capsys.readouterr().err

    people = baseline_end(load(store, THAI.id, consent_scope=None).submissions)
    paired = people.dropna(subset=["end"])
    assert set(paired.index) == {first[k] for k in ("BKK-0012", "BKK-0047", "BKK 0101", "ชม-007")}
    assert (
        paired.loc[first["BKK-0012"], "baseline"] == 20
        and paired.loc[first["BKK-0012"], "end"] == 12
    )
    assert paired.loc[first["BKK 0101"], "change"] == 8 - 16
    assert people.loc[second["BKK-0300"], "baseline"] == 0  # no pair yet, still screened


def test_the_mapping_file_is_private_and_the_database_never_holds_a_centre_id(
    data_dir: Path, store, tmp_path: Path
) -> None:
    assert run(str(sheet(tmp_path / "s.csv", BEFORE))) == 0
    path = default_map_path()
    assert path == data_dir / "centre-ids.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    database = (data_dir / "within.sqlite3").read_bytes()
    for centre_id, _ in BEFORE:
        assert centre_id.encode("utf-8") not in database
    codes = {s.code for s in store.submissions(instrument_id=THAI.id)}
    assert codes == set(mapping(data_dir).values())
    assert not list(data_dir.glob(".centre-ids.*"))  # no temporary file left behind


def test_a_file_system_without_owner_only_modes_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store
) -> None:
    """As for the database: a USB stick that keeps no modes gets a warning, not a promise."""
    from widgets.core import private_files

    def refuse(path: object, mode: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(private_files.os, "chmod", refuse)
    monkeypatch.setattr(private_files, "_warned", set())
    mapping = CentreIdMap(tmp_path / "ids" / "centre-ids.csv")
    mapping.code_for("BKK-0101", store)
    warnings = mapping.save()
    assert len(warnings) == 2  # the folder and the file
    assert all("could not make" in warning and "not permitted" in warning for warning in warnings)
    assert CentreIdMap.load(mapping.path).codes == mapping.codes  # saved all the same


def test_an_invalid_row_stores_nothing_and_keeps_no_mapping(
    data_dir: Path, store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = sheet(
        tmp_path / "bad.csv", [*BEFORE, ("", [1] * 8), ("BKK-0999", [1, 1, 9, 1, 1, 1, 1, 1])]
    )
    assert run(str(bad)) == 1
    err = capsys.readouterr().err
    assert "row 6 (centre ID ''): centre_id: empty" in err
    assert "row 7 (centre ID 'BKK-0999'): item_3" in err and "nothing was stored" in err
    assert not (data_dir / "centre-ids.csv").exists()
    assert store.submissions(instrument_id=THAI.id) == []


def test_a_dry_run_checks_but_writes_no_mapping(data_dir: Path, store, tmp_path: Path) -> None:
    assert run(str(sheet(tmp_path / "s.csv", BEFORE)), "--dry-run") == 0
    assert not (data_dir / "centre-ids.csv").exists()
    assert store.submissions(instrument_id=THAI.id) == []


def test_a_future_date_is_reported_under_the_centre_id(
    data_dir: Path, store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["centre_id", *ITEMS, "submitted_on"])
        writer.writerow(["BKK-0012", *[1] * 8, "2999-01-01"])
    assert run(str(path)) == 1
    assert (
        "(centre ID 'BKK-0012'): submitted_on: 2999-01-01 is in the future"
        in capsys.readouterr().err
    )
    assert not (data_dir / "centre-ids.csv").exists()


def test_a_sheet_without_centre_ids_is_one_kind_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(sheet(tmp_path / "s.csv", BEFORE[:1], column="client"))) == 2
    err = capsys.readouterr().err
    assert "needs a 'centre_id' column" in err and err.count("\n") == 1


def test_a_sheet_with_both_kinds_of_id_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "both.csv"
    path.write_text("code,centre_id," + ",".join(ITEMS) + "\n", encoding="utf-8")
    assert run(str(path)) == 2
    assert "has both 'code' and 'centre_id'" in capsys.readouterr().err


def test_id_map_goes_with_centre_ids(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sheet(tmp_path / "s.csv", [], column="code")
    status = cli.main(
        ["import", str(path), "--instrument", THAI.id, "--id-map", str(tmp_path / "m.csv")]
    )
    assert status == 2 and "--id-map goes with --centre-ids" in capsys.readouterr().err


def test_a_chosen_mapping_file_is_reused_and_made_private(
    data_dir: Path, store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chosen = tmp_path / "keep" / "ids.csv"
    chosen.parent.mkdir()
    given = new_code()
    chosen.write_text(f"centre_id,code\nBKK-0012,{given}\n", encoding="utf-8")
    chosen.chmod(0o644)
    assert run(str(sheet(tmp_path / "s.csv", BEFORE[:2])), "--id-map", str(chosen)) == 0
    assert "it is private now" in capsys.readouterr().err
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o600
    kept = CentreIdMap.load(chosen).codes
    assert kept["BKK-0012"] == given and len(kept) == 2
    assert {s.code for s in store.submissions(instrument_id=THAI.id)} == set(kept.values())
    assert not (data_dir / "centre-ids.csv").exists()


def test_a_broken_mapping_file_stops_the_import(
    data_dir: Path, store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "ids.csv"
    broken.write_text("centre_id,code\nBKK-0012,not-a-code\n", encoding="utf-8")
    broken.chmod(0o600)
    assert run(str(sheet(tmp_path / "s.csv", BEFORE)), "--id-map", str(broken)) == 2
    assert "row 1 has no valid Within code" in capsys.readouterr().err
    assert store.submissions(instrument_id=THAI.id) == []
    assert broken.read_text(encoding="utf-8").endswith("not-a-code\n")  # left as it was


def test_rows_with_within_codes_import_as_before(data_dir: Path, store, tmp_path: Path) -> None:
    codes = store.issue_codes(2)
    path = sheet(tmp_path / "codes.csv", [(codes[0], [1] * 8), (codes[1], [2] * 8)], column="code")
    assert cli.main(["import", str(path), "--instrument", THAI.id]) == 0
    assert {s.code: s.total for s in store.submissions(instrument_id=THAI.id)} == {
        codes[0]: 8,
        codes[1]: 16,
    }
    assert not (data_dir / "centre-ids.csv").exists()
