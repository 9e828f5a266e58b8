"""Marked provenance: what comes from the Thai pilot and what is Within's own is said wherever
the coding, a cut-off's meaning, the pilot's design or an addition of Within's own is shown."""

from __future__ import annotations

import csv
import io
from datetime import date

from widgets.core.content import text
from widgets.core.context import PageContext
from widgets.core.instrument import instrument
from widgets.core.paths import content_dir
from widgets.core.scoring import score
from widgets.exercises.result_card import result_html
from widgets.research.analysis.example import example_dataset
from widgets.research.analysis.report import AnalysisReport
from widgets.research.codebook import codebook_csv, codebook_markdown

SCALE = instrument("thai-internalised-stigma")
DOCS = content_dir().parent / "docs"


def test_the_staff_result_screen_says_which_reading_is_whose() -> None:
    result = score(SCALE, dict.fromkeys(SCALE.item_ids, 2))
    for lang in ("en", "th"):
        staff = result_html(SCALE, result, PageContext(lang), "staff")
        assert 'data-provenance="true"' in staff
        assert "Within" in staff and ("0 to 3" in staff or "0 ถึง 3" in staff)
    assert "data-provenance" not in result_html(SCALE, result, PageContext("en"), "self")


def test_the_codebook_separates_the_pilot_from_within() -> None:
    instruments = {SCALE.id: SCALE}
    markdown = codebook_markdown(instruments, ["code", *SCALE.item_ids], date(2026, 1, 1), 0)
    section = markdown[markdown.index("### Where each part comes from") :]
    assert "From the source programme" in section and "cut-offs 16" in section
    assert "Within's own" in section and "0-3 coding" in section and "suggestion" in section
    rows = list(csv.reader(io.StringIO(codebook_csv(instruments, ["code", *SCALE.item_ids]))))
    notes = {row[1]: row[7] for row in rows if row[0] == "note"}
    assert "0-3 coding" in notes["from_within"] and "risk of self-harm" in notes["from_pilot"]


def test_the_analysis_app_marks_coding_and_follow_up_as_within_s_own() -> None:
    for lang in ("en", "th"):
        report = AnalysisReport(example_dataset(), context=PageContext(lang))
        page = report.children[0].value
        assert 'data-provenance="true"' in page
        assert text(lang, "analysis.provenance")[:30] in page


def test_the_docs_no_longer_give_within_s_schedule_to_the_pilot() -> None:
    programme = (DOCS / "programme.md").read_text(encoding="utf-8")
    assert "What comes from the programmes, and what is Within's own" in programme
    for choice in ("coded 0-3", "monthly check-ins", "four kinds of power", "item-to-activity"):
        assert choice in programme
    adapting = (DOCS / "adapting.md").read_text(encoding="utf-8")
    assert "is Within's own" in adapting and "does not publish its follow-up schedule" in adapting


def test_participants_are_told_what_is_within_s_own() -> None:
    for lang, words in (("en", "Within's own"), ("th", "Within เอง")):
        assert words in text(lang, "programme.activity_2.next.suggestion", activity="x")
        assert words in text(lang, "follow_up.plan.intro")
