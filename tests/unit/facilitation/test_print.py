"""``within print``: PDFs whose text layer is true to the content, in Thai and English.

The PDFs are printed once per language (``within print all``) by Debian's Chromium through
Playwright, then read back with poppler's ``pdftotext``: every piece of text in the source
page must be in the PDF's text (Unicode NFC, whitespace folded). A picture of the Thai form
(``pdftoppm``) is kept in ``tests/artifacts/`` for people to look at.
"""

from __future__ import annotations

import csv
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.processes import ARTIFACTS_DIR

from widgets import cli
from widgets.core.content import contacts, library
from widgets.core.instrument import instrument
from widgets.core.markup import plain
from widgets.exercises import print_page
from widgets.facilitation import print_pages as pages

pytest.importorskip("playwright.sync_api")
if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
    # scripts/test installs poppler-utils; in CI a missing tool is a failure, not a skip.
    if os.environ.get("CI"):
        raise RuntimeError(
            "tests/unit/facilitation/test_print.py needs pdftotext and pdftoppm (poppler-utils)"
        )
    pytest.skip("poppler-utils (pdftotext, pdftoppm) is not installed", allow_module_level=True)

ARTIFACTS = ARTIFACTS_DIR
THAI = instrument(pages.FORM_INSTRUMENT)
FORMS = 3


def fold(words: str) -> str:
    """NFC, with all whitespace removed: Chromium wraps lines where the source has none."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", words))


def pdf_text(path: Path, page: int | None = None) -> str:
    pick = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", *pick, str(path), "-"],  # in drawing order
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


class _Text(HTMLParser):
    """The text of a page as a reader sees it: every text node outside style, script, svg,
    and the numbers Chromium writes for the items of numbered lists."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.numbered: list[int] = []  # one counter per open list; 0 for a bulleted one
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip += tag in ("style", "script", "svg", "title")
        if tag in ("ol", "ul"):
            self.numbered.append(1 if tag == "ol" else 0)
        elif tag == "li" and self.numbered and self.numbered[-1]:
            self.pieces.append(f"{self.numbered[-1]}.")
            self.numbered[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script", "svg", "title")
        if tag in ("ol", "ul") and self.numbered:
            self.numbered.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.pieces.append(data)


def source_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.pieces


def assert_text_layer_true(pdf: Path, html: str) -> int:
    """``pdf``'s text layer is the text of ``html``, in order: nothing lost, added or doubled.

    Returns how many pieces of text were compared.
    """
    layer = fold(pdf_text(pdf))
    pieces = source_text(html)
    missing = [piece for piece in pieces if fold(piece) not in layer]
    assert not missing, f"{pdf.name}: not in the PDF's text: {missing[:5]}"
    expected = "".join(fold(piece) for piece in pieces)
    if layer != expected:
        at = next(
            (i for i, (a, b) in enumerate(zip(layer, expected)) if a != b),
            min(len(layer), len(expected)),
        )
        pytest.fail(
            f"{pdf.name}: the text layer differs from the source at {at}: "
            f"PDF {layer[max(0, at - 30) : at + 30]!r} / source {expected[max(0, at - 30) : at + 30]!r}"
        )
    return len(pieces)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict]]:
    """``within print all`` in English and Thai, each into its own folder and database."""
    out: dict[str, dict] = {}
    with pytest.MonkeyPatch.context() as patch:
        for lang in ("en", "th"):
            root = tmp_path_factory.mktemp(f"print-{lang}")
            patch.setenv("WITHIN_DATA_DIR", str(root / "data"))
            patch.delenv("WITHIN_DATABASE_URL", raising=False)
            folder = root / "out"
            status = cli.main(
                ["print", "all", "--lang", lang, "--out", str(folder), "--count", str(FORMS)]
            )
            assert status == 0
            from widgets.store import Store

            sheet = next(folder.glob("forms-*.csv"))
            codes = [row["code"] for row in csv.DictReader(sheet.open(encoding="utf-8"))]
            store = Store()
            assert set(store.issued_codes("paper")) == set(codes)  # registered as issued on paper
            store.close()
            out[lang] = {"folder": folder, "codes": codes, "data": root / "data"}
    yield out


def test_all_writes_forms_cards_and_a_workbook_per_activity(printed: dict) -> None:
    for lang, run in printed.items():
        names = sorted(p.name for p in run["folder"].iterdir())
        workbooks = [f"workbook-{flow}-{lang}.pdf" for flow in pages.WORKBOOK_FLOWS]
        assert set(workbooks) <= set(names)
        assert f"value-cards-{lang}.pdf" in names
        assert len(workbooks) == 7 and "workbook-balancing-the-scales-" + lang + ".pdf" in names
        form = run["folder"] / f"forms-{pages.FORM_INSTRUMENT}-{lang}-{run['codes'][0]}.pdf"
        assert form.name in names and form.with_suffix(".csv").name in names


@pytest.mark.parametrize("lang", ["en", "th"])
def test_forms_are_one_page_each_with_their_own_registered_code(printed: dict, lang: str) -> None:
    run = printed[lang]
    codes = run["codes"]
    assert len(codes) == FORMS == len(set(codes))
    form = next(run["folder"].glob("forms-*.pdf"))
    assert page_count(form) == FORMS
    words = THAI.words(lang)
    for number, code in enumerate(codes, start=1):
        page = fold(pdf_text(form, number))
        assert fold(code) in page
        assert [c for c in codes if fold(c) in page] == [code]  # its own code only
        for item_id in THAI.item_ids:
            assert fold(words.items[item_id]) in page
        for option in THAI.spec.options:
            assert fold(words.options[option.id]) in page
        assert fold(library().text(lang, "print.form.mark")) in page


@pytest.mark.parametrize("lang", ["en", "th"])
def test_every_pdf_keeps_the_source_text_true(printed: dict, lang: str) -> None:
    run = printed[lang]
    folder = run["folder"]
    checked = assert_text_layer_true(
        next(folder.glob("forms-*.pdf")), pages.forms_page(THAI, lang, run["codes"])
    )
    checked += assert_text_layer_true(folder / f"value-cards-{lang}.pdf", pages.cards_page(lang))
    for flow in pages.WORKBOOK_FLOWS:
        checked += assert_text_layer_true(
            folder / f"workbook-{flow}-{lang}.pdf", pages.workbook_page(lang, flow)
        )
    assert checked > 200


def test_thai_marks_survive_in_the_text_layer(printed: dict) -> None:
    """The characters a weaker renderer lost: ำ, tone marks, and the Latin X of the instruction."""
    run = printed["th"]
    form = fold(pdf_text(next(run["folder"].glob("forms-*.pdf"))))
    instruction = library().text("th", "print.form.mark")
    assert "X" in instruction and fold(instruction) in form
    for word in ("ทำเครื่องหมาย", "ไม่เห็นด้วยอย่างยิ่ง", "ต่ำลง", "ครอบครัว"):
        assert word in form
    assert "\u0e4d\u0e32" not in form  # ำ copied back whole, not as nikhahit + sara aa


def test_a_picture_of_the_thai_form_is_kept_as_an_artifact(printed: dict) -> None:
    form = next(printed["th"]["folder"].glob("forms-*.pdf"))
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "print-form-th"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(form),
            str(target),
        ],
        check=True,
    )
    picture = target.with_suffix(".png")
    assert picture.stat().st_size > 20_000
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_form_has_no_name_field_and_its_qr_holds_only_the_code() -> None:
    import segno

    from widgets.core.codes import new_code
    from widgets.core.palette import colour

    code = new_code()
    html = pages.forms_page(THAI, "th", [code])
    assert "<input" not in html and "http" not in html and "<script" not in html
    t = lambda key: library().text("th", f"print.form.{key}")
    words = THAI.words("th")
    expected = {
        t("heading"),
        words.title,
        t("code_note"),
        t("code_label"),
        code,
        t("date_label"),
        words.instructions,
        t("mark"),
        t("statement"),
        t("footer"),
        library().text("th", "print.help_heading"),
        *words.items.values(),
        *words.options.values(),
        *(str(n) for n in range(1, len(THAI.item_ids) + 1)),
    }
    helplines = pages._help_lines("th")
    shown = {piece.strip() for piece in source_text(html)} - {
        p.strip() for p in source_text(helplines)
    }
    assert shown == {e.strip() for e in expected}  # nothing else on the form: no name field
    assert all(c.name["th"] in helplines for c in contacts().contacts)
    qr = segno.make(code, error="m", micro=False)
    assert pages.qr_svg(code) in html
    assert pages.qr_svg(code) == qr.svg_inline(
        scale=4, border=2, dark=colour("text"), omitsize=True
    )
    assert qr.mode == "alphanumeric" and qr.designator.startswith("1")  # 9 characters fit version 1


def test_workbooks_have_every_step_and_space_to_write() -> None:
    for lang in ("en", "th"):
        for flow_id in pages.WORKBOOK_FLOWS:
            html = pages.workbook_page(lang, flow_id)
            flows = [flow_id, *(pages.BALANCING_LEVELS if flow_id == pages.BALANCING else ())]
            steps = [step for name in flows for step in library().flow(lang, name).steps]
            assert all(plain(step.title) in html for step in steps)
            levels = len(flows) - 1
            assert html.count('class="within-write"') == len(steps) + levels
        balancing = pages.workbook_page(lang, pages.BALANCING)
        note = plain(library().text(lang, "print.workbooks.balancing_notes"))
        assert balancing.count(note) == len(pages.BALANCING_LEVELS) == 5


def test_printed_forms_filled_in_import_and_match_within_score(
    printed: dict,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The batch's answer sheet, typed in, imports under the printed codes; totals agree."""
    run = printed["th"]
    monkeypatch.setenv("WITHIN_DATA_DIR", str(run["data"]))
    sheet = next(run["folder"].glob("forms-*.csv"))
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    assert [r["code"] for r in rows] == run["codes"] and {r["language"] for r in rows} == {"th"}
    labels = [THAI.words("th").options[o.id] for o in THAI.spec.options]
    for number, row in enumerate(rows):
        for index, item_id in enumerate(THAI.item_ids):
            row[item_id] = labels[(number + index) % 4] if number else str((index * 2) % 4)
        row["submitted_on"] = "2026-11-20"
    filled = tmp_path / "filled.csv"
    with filled.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    capsys.readouterr()
    assert cli.main(["score", str(filled), "--instrument", THAI.id]) == 0
    scored = {
        r["code"]: int(r["total"]) for r in csv.DictReader(io.StringIO(capsys.readouterr().out))
    }
    assert cli.main(["import", str(filled), "--instrument", THAI.id]) == 0
    from widgets.store import Store

    store = Store()
    stored = {s.code: s.total for s in store.submissions(instrument_id=THAI.id)}
    kinds = {s.administered for s in store.submissions(instrument_id=THAI.id)}
    store.close()
    assert stored == scored and set(stored) == set(run["codes"]) and kinds == {"paper"}


def test_without_playwright_the_command_says_how_to_install_it(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    assert cli.main(["print", "forms", "--lang", "en", "--out", str(tmp_path / "out")]) == 1
    message = capsys.readouterr().err
    assert "pip install 'within[print]'" in message and "Traceback" not in message
    from widgets.store import Store

    assert Store().issued_codes("paper") == []  # nothing registered for forms never printed


def test_a_failed_print_takes_its_codes_back(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from widgets.facilitation import pdf
    from widgets.store import Store

    def broken(self: object, html: str, path: Path) -> Path:
        raise RuntimeError("Target page, context or browser has been closed")

    monkeypatch.setattr(pdf.Printer, "pdf", broken)
    assert cli.main(["print", "forms", "--lang", "th", "--out", str(tmp_path), "--count", "4"]) == 1
    assert "could not print forms-" in capsys.readouterr().err
    assert Store().issued_codes("paper") == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["forms", "--lang", "xx"], "unknown language 'xx'"),
        (["forms", "--lang", "en", "--count", "0"], "--count must be a whole number from 1"),
        (["forms", "--lang", "en", "--count", "5000"], "--count must be a whole number from 1"),
        (["cards", "--lang", "en", "--count", "3"], "--count is only for forms"),
    ],
)
def test_bad_arguments_get_one_kind_line(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    assert cli.main(["print", *args, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_an_output_path_that_is_a_file_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x")
    assert cli.main(["print", "cards", "--lang", "en", "--out", str(taken)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_a_page_to_print_cannot_reach_any_host(tmp_path: Path) -> None:
    """Even this machine: the fonts are inside the page, every request is refused."""
    from widgets.facilitation.pdf import font_faces, printer

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        html = print_page.page(
            "en",
            "probe",
            f'<p>probe</p><img src="{base}/img.png"><link rel="stylesheet" href="{base}/x.css">'
            f'<iframe src="{base}/frame"></iframe>',
            head=font_faces(),
        )
        with printer() as chromium:
            pdf = chromium.pdf(html, tmp_path / "probe.pdf")
    finally:
        server.shutdown()
    assert asked == [] and "probe" in pdf_text(pdf)


def test_the_apps_printable_pages_share_the_print_style_sheet() -> None:
    from widgets.core.palette import palette_css
    from widgets.exercises.take_home import EXAMPLES, card_html
    from widgets.facilitation.run_sheet import handout_html

    css = print_page.print_css()
    assert "@page" in css and "http" not in css
    assert css.startswith(palette_css())  # standalone pages carry the palette's variables
    sheet = print_page.PRINT_CSS_PATH.read_text(encoding="utf-8")
    assert "var(--within-accent)" in sheet and not re.search(r"#[0-9a-fA-F]{3,8}\b", sheet)
    for html in (card_html(EXAMPLES["th"], "th"), handout_html("th", "activity-3")):
        assert css in html and 'class="within-print"' in html


def test_issued_codes_are_fresh_and_counted(database_url: str) -> None:
    from widgets.store import Store, StoreError

    store = Store(database_url)
    try:
        first = store.issue_codes(5)
        second = store.issue_codes(3, issued="paper")
        assert len(set(first + second)) == 8 and set(store.issued_codes()) == set(first + second)
        for bad in (0, -1, True, 1.5):
            with pytest.raises(StoreError):
                store.issue_codes(bad)
        assert store.known_codes([first[0], "NOPE-NOPE"]) == {first[0]}
        summary = store.summary(first[0])
        assert summary["participants"] == 1 and not any(
            count for table, count in summary.items() if table != "participants"
        )
        assert store.delete_participant(first[0])["participants"] == 1
        assert first[0] not in store.issued_codes()
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["en", "th"])
def test_the_take_home_card_prints_on_one_a5_page_with_its_text(tmp_path: Path, lang: str) -> None:
    from widgets.exercises.take_home import EXAMPLES, card_html
    from widgets.facilitation.pdf import font_faces, printer

    html = card_html(EXAMPLES[lang], lang).replace("<style>", font_faces() + "<style>", 1)
    with printer() as chromium:
        pdf = chromium.pdf(html, tmp_path / "card.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert page_count(pdf) == 1 and "(A5)" in info
    assert_text_layer_true(pdf, html)
