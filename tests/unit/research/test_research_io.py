"""Export (long, wide, Excel) and import of paper data: round trips lose nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from widgets.cli import main
from widgets.core.codes import new_code
from widgets.core.instrument import instrument
from widgets.core.scoring import score
from widgets.research.export import EXPORT_SCOPE, LONG_COLUMNS, export_submissions
from widgets.research.paper_import import import_file
from widgets.store import Store

THAI = instrument("thai-internalised-stigma")
ITEMS = THAI.item_ids
DAY = date(2026, 11, 25)


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def fill(store: Store) -> list[str]:
    codes = [new_code() for _ in range(3)]
    store.add_submission(codes[0], score(THAI, dict.fromkeys(ITEMS, 2)), language="th",
                         administered="read-aloud", submitted_on=date(2026, 6, 1))
    store.add_submission(codes[0], score(THAI, dict.fromkeys(ITEMS, 1)), language="th",
                         administered="read-aloud", submitted_on=date(2026, 9, 1))
    store.add_submission(codes[1], score(THAI, dict.fromkeys(ITEMS[:6], 3)), language="en",
                         administered="paper", submitted_on=date(2026, 6, 2))
    store.add_submission(codes[2], score(THAI, dict.fromkeys(ITEMS, 3)), language="en",
                         administered="self")
    store.record_consent(codes[0], EXPORT_SCOPE, "t1")
    store.record_consent(codes[1], EXPORT_SCOPE, "t1")
    return codes


def comparable(store: Store) -> list[tuple]:
    return [
        (s.code, s.instrument_id, s.instrument_version, s.language, s.administered,
         s.answers, s.total, s.band, s.at_least, s.flagged, s.referral, s.submitted_on)
        for s in store.submissions(consent_scope=EXPORT_SCOPE)
    ]


def test_long_format_one_row_per_answer(store: Store, tmp_path: Path) -> None:
    codes = fill(store)
    result = export_submissions(store, tmp_path, today=DAY, formats="both")
    names = [p.name for p in result.paths]
    assert names[:2] == ["within-submissions-2026-11-25.csv", "within-answers-2026-11-25.csv"]
    long = rows(result.paths[1])
    assert list(long[0]) == list(LONG_COLUMNS)
    assert len(long) == 3 * len(ITEMS)  # three consented questionnaires; codes[2] never consented
    assert {r["code"] for r in long} == set(codes[:2])
    passed = [r for r in long if r["code"] == codes[1] and r["item_id"] in ("item_7", "item_8")]
    assert all(r["answer_code"] == "" and r["option_id"] == "" for r in passed)
    first = long[0]
    assert (first["item_position"], first["answer_code"], first["option_id"]) == ("1", "2", "agree")
    assert first["submitted_on"] == "2026-06-01" and first["instrument_version"] == THAI.version
    book = result.paths[3].read_text(encoding="utf-8-sig")
    for column in LONG_COLUMNS:
        assert f"long_column,{column}," in book


def test_long_only_keeps_the_wide_file_out(store: Store, tmp_path: Path) -> None:
    fill(store)
    names = [p.name for p in export_submissions(store, tmp_path, today=DAY, formats="long").paths]
    assert not any(n.startswith("within-submissions") for n in names)


def test_excel_holds_the_same_tables(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    fill(store)
    result = export_submissions(store, tmp_path, today=DAY, formats="both", excel=True)
    book = load_workbook(result.paths[-1])
    assert book.sheetnames == ["submissions", "answers", "codebook"]
    wide = rows(result.paths[0])
    sheet = list(book["submissions"].values)
    assert list(sheet[0]) == list(wide[0])
    assert len(sheet) - 1 == len(wide)
    assert sheet[1][0] == wide[0]["code"] and sheet[1][5].date() == date(2026, 6, 1)
    assert len(list(book["answers"].values)) - 1 == len(rows(result.paths[1]))


def test_store_export_import_round_trip_loses_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    before = comparable(store)
    wide = export_submissions(store, tmp_path / "out", today=DAY).paths[0]
    monkeypatch.setenv("WITHIN_DATA_DIR", str(tmp_path / "second"))
    second = Store()
    try:
        result = import_file(second, wide, THAI, allow_missing=True,
                             consent_scopes=[EXPORT_SCOPE], consent_version="t1")
        assert result.ok and len(result.stored) == 3
        assert comparable(second) == before
        again = import_file(second, wide, THAI, allow_missing=True)
        assert again.stored == [] and len(again.duplicates) == 3
    finally:
        second.close()


def write_csv(path: Path, header: list[str], *lines: list[object]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *lines])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_import_is_all_or_nothing_with_clear_row_errors(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = new_code()
    typo = good[:-1] + ("2" if good[-1] != "2" else "3")
    sheet = write_csv(
        tmp_path / "paper.csv",
        ["code", *ITEMS, "submitted_on"],
        [good.lower().replace("-", " "), *([2] * 8), "2026-05-01"],
        [typo, *([1] * 8), "2026-05-01"],
        ["Somchai", *([1] * 8), ""],
        [new_code(), *([9] * 8), "2026-05-01"],
        [new_code(), *([1] * 8), "2999-01-01"],
    )
    assert main(["import", str(sheet), "--instrument", THAI.id]) == 1
    err = capsys.readouterr().err
    assert "row 2" in err and "last character does not match" in err
    assert "row 3" in err and "is not a Within code" in err
    assert "row 4" in err and "item_1: 9 is not one of the codes" in err
    assert "row 5" in err and "in the future" in err
    assert "nothing was stored" in err and "row 1 " not in err
    assert store.submissions() == []


def test_cli_import_stores_under_normalised_codes_with_consent(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = new_code()
    sheet = write_csv(tmp_path / "paper.csv", ["code", *ITEMS], [code.lower(), *(["agree"] * 8)])
    args = ["import", str(sheet), "--instrument", THAI.id, "--language", "th",
            "--date", "2026-05-01", "--consent", EXPORT_SCOPE, "--consent-version", "paper-2"]
    assert main(args) == 0
    assert "stored 1 questionnaire(s)" in capsys.readouterr().err
    (saved,) = store.submissions(consent_scope=EXPORT_SCOPE)
    assert (saved.code, saved.total, saved.administered, saved.language) == (code, 16, "paper", "th")
    assert saved.submitted_on == date(2026, 5, 1)
    assert main(args) == 0 and len(store.submissions()) == 1  # re-running is safe


def test_example_data_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "example"
    assert main(["example-data", "--out", str(out)]) == 0
    assert "synthetic" in capsys.readouterr().err
    store = Store(f"sqlite:///{out / 'within.sqlite3'}")
    try:
        tally = store.tally(THAI.id)
        assert (tally.screened, tally.flagged, tally.referral) == (96, 32, 5)
        codes = {s.code for s in store.submissions()}
        assert all(c.startswith("EX") and store.has_consent(c, "synthetic-example") for c in codes)
    finally:
        store.close()
    assert main(["example-data", "--out", str(out)]) == 1  # never into an existing database


def test_the_instrument_example_in_docs_adapting_loads_and_scores(tmp_path: Path) -> None:
    import re
    import shutil

    from widgets.core.content import ContentLibrary
    from widgets.core.instrument import load_instrument
    from widgets.core.paths import content_dir

    doc = (Path(__file__).resolve().parents[3] / "docs" / "adapting.md").read_text(encoding="utf-8")
    spec, words = re.findall(r"```yaml\n(.*?)```", doc, flags=re.DOTALL)[:2]
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    (root / "instruments" / "my-scale.yaml").write_text(spec, encoding="utf-8")
    (root / "en" / "instruments" / "my-scale.yaml").write_text(words, encoding="utf-8")
    loaded = load_instrument("my-scale", ContentLibrary(root))
    result = score(loaded, {"item_1": 1, "item_2": 1})
    assert (result.total, result.referral) == (2, True)
    assert loaded.code_for("Often") == 1
