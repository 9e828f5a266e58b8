"""``within export`` and :func:`widgets.research.export.export_submissions`: consent, columns, codebook."""

from __future__ import annotations

import csv
import io
import stat
from datetime import date
from pathlib import Path

import pytest

from widgets.cli import main
from widgets.core.instrument import Instrument, instrument
from widgets.core.scoring import score
from widgets.research.export import EXPORT_SCOPE, export_submissions
from widgets.store import Store

DAY = date(2026, 11, 25)
TODAY = date.today().isoformat()
ITEMS = [f"item_{n}" for n in range(1, 9)]
COLUMNS = [
    "code",
    "instrument_id",
    "instrument_version",
    "language",
    "administered",
    "submitted_on",
    *ITEMS,
    "total",
    "band",
    "at_least",
    "flagged",
    "referral",
]


@pytest.fixture(scope="module")
def thai() -> Instrument:
    return instrument("thai-internalised-stigma")


@pytest.fixture
def filled(store: Store, thai: Instrument) -> Store:
    """Four people: two consented (one passed item_8), one never asked, one withdrew."""
    store.add_submission(
        "YES1", score(thai, dict.fromkeys(ITEMS, 2)), language="th", administered="self"
    )
    passed = score(thai, dict.fromkeys(ITEMS[:7], 3))  # 21 without item_8
    store.add_submission("YES2", passed, language="en", administered="paper")
    store.add_submission(
        "NOPE", score(thai, dict.fromkeys(ITEMS, 3)), language="en", administered="self"
    )
    store.add_submission(
        "GONE", score(thai, dict.fromkeys(ITEMS, 1)), language="th", administered="read-aloud"
    )
    store.record_consent("YES1", EXPORT_SCOPE, "2026-11")
    store.record_consent("YES2", EXPORT_SCOPE, "2026-11")
    store.record_consent("NOPE", "store-answers", "2026-11")  # another scope is not enough
    store.record_consent("GONE", EXPORT_SCOPE, "2026-11")
    store.record_consent("GONE", EXPORT_SCOPE, "2026-11", given=False)
    return store


def read_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_only_consented_submissions_are_exported(filled: Store, tmp_path: Path) -> None:
    result = export_submissions(filled, tmp_path / "out", today=DAY)
    assert result.rows == 2
    assert [p.name for p in result.paths] == [
        "within-submissions-2026-11-25.csv",
        "within-codebook-2026-11-25.md",
        "within-codebook-2026-11-25.csv",
    ]
    data = result.paths[0]
    assert data.read_bytes().startswith(b"\xef\xbb\xbfcode,")  # a BOM, so spreadsheets show Thai
    rows = read_rows(data)
    assert [row["code"] for row in rows] == ["YES1", "YES2"]
    everything = "".join(p.read_text(encoding="utf-8-sig") for p in result.paths)
    assert "NOPE" not in everything and "GONE" not in everything


def test_columns_and_values(filled: Store, tmp_path: Path) -> None:
    data = export_submissions(filled, tmp_path, today=DAY).paths[0]
    header = data.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(",") == COLUMNS
    complete, incomplete = read_rows(data)
    assert complete == {
        "code": "YES1",
        "instrument_id": "thai-internalised-stigma",
        "instrument_version": "1.0.0",
        "language": "th",
        "administered": "self",
        "submitted_on": TODAY,
        **dict.fromkeys(ITEMS, "2"),
        "total": "16",
        "band": "internalised",
        "at_least": "0",
        "flagged": "1",
        "referral": "0",
    }
    assert incomplete["item_8"] == "" and incomplete["item_7"] == "3"
    assert incomplete["total"] == ""
    assert (incomplete["band"], incomplete["at_least"], incomplete["referral"]) == (
        "very_high",
        "1",
        "1",
    )


def test_incomplete_below_every_cut_off_has_blank_band(
    store: Store, thai: Instrument, tmp_path: Path
) -> None:
    store.add_submission("HALF", score(thai, {"item_1": 1}), language="en", administered="self")
    store.record_consent("HALF", EXPORT_SCOPE, "2026-11")
    (row,) = read_rows(export_submissions(store, tmp_path, today=DAY).paths[0])
    assert (row["total"], row["band"], row["at_least"], row["flagged"]) == ("", "", "0", "0")
    assert row["item_1"] == "1" and all(row[item] == "" for item in ITEMS[1:])


def test_pandas_reads_the_export(filled: Store, tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(
        export_submissions(filled, tmp_path, today=DAY).paths[0], encoding="utf-8-sig"
    )
    assert list(frame.columns) == COLUMNS
    assert frame["flagged"].tolist() == [1, 1]
    assert frame["total"].isna().tolist() == [False, True]


def test_consent_given_again_after_withdrawal_counts(filled: Store, tmp_path: Path) -> None:
    filled.record_consent("GONE", EXPORT_SCOPE, "2026-12")
    rows = read_rows(export_submissions(filled, tmp_path, today=DAY).paths[0])
    assert [row["code"] for row in rows] == ["YES1", "YES2", "GONE"]


def test_never_overwrites(filled: Store, tmp_path: Path) -> None:
    first = export_submissions(filled, tmp_path, today=DAY)
    before = [p.read_bytes() for p in first.paths]
    (tmp_path / "within-codebook-2026-11-25-2.md").write_text(
        "someone else's notes", encoding="utf-8"
    )
    second = export_submissions(filled, tmp_path, today=DAY)
    assert [p.name for p in second.paths] == [
        "within-submissions-2026-11-25-3.csv",
        "within-codebook-2026-11-25-3.md",
        "within-codebook-2026-11-25-3.csv",
    ]
    assert [p.read_bytes() for p in first.paths] == before
    assert (tmp_path / "within-codebook-2026-11-25-2.md").read_text(
        encoding="utf-8"
    ) == "someone else's notes"
    assert not (tmp_path / "within-submissions-2026-11-25-2.csv").exists()


def test_files_are_private_to_their_owner(filled: Store, tmp_path: Path) -> None:
    for path in export_submissions(filled, tmp_path, today=DAY).paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_nothing_consented_writes_nothing(store: Store, thai: Instrument, tmp_path: Path) -> None:
    store.add_submission(
        "NOPE", score(thai, dict.fromkeys(ITEMS, 1)), language="en", administered="self"
    )
    out = tmp_path / "out"
    result = export_submissions(store, out, today=DAY)
    assert (result.paths, result.rows) == ([], 0)
    assert not out.exists()


def test_one_instrument_only(filled: Store, tmp_path: Path) -> None:
    assert (
        export_submissions(filled, tmp_path / "a", "thai-internalised-stigma", today=DAY).rows == 2
    )
    assert export_submissions(filled, tmp_path / "b", "another-scale", today=DAY).paths == []


def test_codebook_matches_the_content(filled: Store, thai: Instrument, tmp_path: Path) -> None:
    result = export_submissions(filled, tmp_path, today=DAY)
    markdown = result.paths[1].read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column}` |" in markdown
    for lang in ("en", "th"):
        words = thai.words(lang)
        assert lang in thai.languages
        for item in thai.spec.items:
            assert words.items[item.id] in markdown
        for text in (*words.options.values(), *(band.label for band in words.bands.values())):
            assert text in markdown
    for item in thai.spec.items:
        flag = "yes" if item.reconstructed else "no"
        english, thai_text = thai.words("en").items[item.id], thai.words("th").items[item.id]
        assert f"| `{item.id}` | {english} | {thai_text} | {flag} |" in markdown
    for option in thai.spec.options:
        assert f"| {option.code} | `{option.id}` |" in markdown
    for band in thai.spec.bands:
        assert (
            f"| `{band.id}` | {band.min}-{band.max} | {'yes' if band.referral else 'no'} |"
            in markdown
        )
    assert (
        "Answers are coded strongly_disagree = 0, disagree = 1, agree = 2, strongly_agree = 3"
        in markdown
    )
    assert "Items item_2, item_3, item_4 are reconstructed" in markdown
    assert "`no_future`: `item_6`" in markdown


def test_codebook_csv_matches_the_content(filled: Store, thai: Instrument, tmp_path: Path) -> None:
    rows = read_rows(export_submissions(filled, tmp_path, today=DAY).paths[2])
    items = {row["name"]: row for row in rows if row["kind"] == "item"}
    assert list(items) == ITEMS
    for item in thai.spec.items:
        assert items[item.id]["text_en"] == thai.words("en").items[item.id]
        assert items[item.id]["text_th"] == thai.words("th").items[item.id]
        assert items[item.id]["reconstructed"] == ("yes" if item.reconstructed else "no")
    options = {row["value"]: row["text_th"] for row in rows if row["kind"] == "option"}
    assert options == {str(o.code): thai.words("th").options[o.id] for o in thai.spec.options}
    bands = {row["name"]: (row["range"], row["referral"]) for row in rows if row["kind"] == "band"}
    assert bands == {
        "lower": ("0-15", "no"),
        "internalised": ("16-19", "no"),
        "very_high": ("20-24", "yes"),
    }
    described = [row["name"] for row in rows if row["kind"] == "column"]
    assert described == [c for c in COLUMNS if c not in ITEMS]


def test_cli_export(filled: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "exports"
    assert main(["export", "--out", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            f"within-submissions-{TODAY}.csv",
            f"within-codebook-{TODAY}.md",
            f"within-codebook-{TODAY}.csv",
        ]
    )
    assert "wrote 2 questionnaire(s)" in stderr
    for name in names:
        assert str(out.resolve() / name) in stderr
    assert "outside Within's protection" in stderr


def test_cli_export_defaults_to_the_current_folder(
    filled: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export"]) == 0
    capsys.readouterr()
    assert (tmp_path / f"within-submissions-{TODAY}.csv").is_file()


def test_cli_export_with_nothing_consented(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exports"
    assert main(["export", "--out", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    assert stdout == "" and "nothing to export" in stderr and "No files were written" in stderr
    assert not out.exists()


def test_cli_export_to_a_file_path_fails_plainly(
    filled: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    assert main(["export", "--out", str(blocker)]) == 1
    _, stderr = capsys.readouterr()
    assert len(stderr.splitlines()) == 1 and "could not write" in stderr
