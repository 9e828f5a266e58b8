"""``within translations``: PO files through Babel, per-string status with a hash of the English,
and staff can see which texts are still draft."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from widgets import cli
from widgets.core import translations as tr
from widgets.core.content import ContentLibrary
from widgets.core.context import PageContext
from widgets.core.paths import content_dir


@pytest.fixture
def scratch(tmp_path: Path) -> ContentLibrary:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    return ContentLibrary(root)


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_export_has_english_current_thai_where_and_status(tmp_path: Path) -> None:
    out = tmp_path / "th.po"
    assert cli.main(["translations", "export", "--lang", "th", "--out", str(out)]) == 0
    catalog = _catalog(out)
    assert str(catalog.locale) == "th"
    paused = catalog.get(
        "Your place is saved. Come back any time with your code and you will start here.",
        context="common.yaml:nav.paused",
    )
    assert paused is not None and paused.fuzzy  # nothing reviewed yet: draft
    assert paused.string.startswith("บันทึกไว้แล้วว่าคุณทำถึงตรงไหน")
    assert paused.locations == [("content/en/common.yaml", 11)]  # the line of "paused: >-"
    assert "status: draft" in paused.auto_comments
    step = catalog.get(
        next(m.id for m in catalog if m.context == "flows/welcome.yaml:steps.private.title"),
        context="flows/welcome.yaml:steps.private.title",
    )
    assert step is not None and step.string  # flow steps are keyed by id, not position
    contexts = {m.context for m in catalog if m.id}
    assert not any(
        c.endswith((".id", ".answers", ".minutes")) for c in contexts
    )  # ids and data are not words
    assert len(contexts) == len(tr.sources())


def _reviewed_file(scratch: ContentLibrary, tmp_path: Path) -> Path:
    out = tmp_path / "th.po"
    tr.export_po("th", out, scratch)
    catalog = _catalog(out)
    for message in catalog:
        if message.context == "common.yaml:nav.paused":  # reviewed as it is
            message.flags.discard("fuzzy")
        elif message.context == "common.yaml:code.forget":  # rewritten, still a draft
            message.string = "ให้เครื่องนี้ไม่ต้องจำรหัสของฉัน"
        elif message.context == "scale.yaml:total":  # a field lost: refused
            message.string = "คะแนนรวม: {total}"
            message.flags.discard("fuzzy")
        elif message.context == "check_in.yaml:replies.okay":  # reviewed, in a file with comments
            message.string = "ดีแล้ว ค่อย ๆ ไป และหยุดได้ทุกเมื่อ"
            message.flags.discard("fuzzy")
        elif message.context == "home.yaml:privacy":  # reviewed, new words (a folded string)
            message.string = "คุณไม่ต้องบอกชื่อ สิ่งที่คุณเขียนจะเก็บไว้{where} ไม่มีใครเห็นถ้าคุณไม่เลือกแบ่งปันเอง"
            message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    out.write_bytes(buffer.getvalue())
    return out


def test_import_writes_words_back_with_status_and_keeps_comments(
    scratch: ContentLibrary, tmp_path: Path
) -> None:
    report = tr.import_po(_reviewed_file(scratch, tmp_path), scratch)
    assert report.lang == "th"
    assert any(r.startswith("scale.yaml:total: the fields") for r in report.skipped)
    before = (content_dir() / "th" / "check_in.yaml").read_text(encoding="utf-8")
    after = (scratch.root / "th" / "check_in.yaml").read_text(encoding="utf-8")
    assert after.splitlines()[0] == before.splitlines()[0] and after.startswith(
        "# "
    )  # comments kept
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["  okay: ดีแล้ว ค่อย ๆ ไป และหยุดได้ทุกเมื่อ"]  # only the reviewed string changed
    fresh = ContentLibrary(scratch.root)
    assert fresh.text("th", "common.code.forget") == "ให้เครื่องนี้ไม่ต้องจำรหัสของฉัน"
    assert "ไม่มีใครเห็นถ้าคุณไม่เลือกแบ่งปันเอง" in fresh.text("th", "home.privacy")
    assert fresh.text("th", "scale.total", total=3, highest=24).endswith("24")  # untouched
    state = tr.statuses("th", fresh)
    assert (
        state["common.yaml:nav.paused"] == "reviewed" and state["home.yaml:privacy"] == "reviewed"
    )
    assert state["check_in.yaml:replies.okay"] == "reviewed"
    assert fresh.text("th", "check_in.replies.okay") == "ดีแล้ว ค่อย ๆ ไป และหยุดได้ทุกเมื่อ"
    assert state["common.yaml:code.forget"] == "draft" and state["scale.yaml:total"] == "draft"
    marks = tr.recorded("th", fresh)
    assert marks["common.yaml:nav.paused"]["source"] == tr.source_hash(
        fresh.text("en", "common.nav.paused")
    )


def test_a_changed_english_string_goes_back_to_draft(
    scratch: ContentLibrary, tmp_path: Path
) -> None:
    tr.import_po(_reviewed_file(scratch, tmp_path), scratch)
    english = scratch.root / "en" / "common.yaml"
    english.write_text(
        english.read_text(encoding="utf-8").replace("Your place is saved.", "Your place is kept."),
        encoding="utf-8",
    )
    state = tr.statuses("th", ContentLibrary(scratch.root))
    assert state["common.yaml:nav.paused"] == "draft" and state["home.yaml:privacy"] == "reviewed"


def test_an_old_file_after_the_english_changed_is_left_alone(
    scratch: ContentLibrary, tmp_path: Path
) -> None:
    po = _reviewed_file(scratch, tmp_path)
    english = scratch.root / "en" / "common.yaml"
    english.write_text(
        english.read_text(encoding="utf-8").replace("Your place is saved.", "Saved."),
        encoding="utf-8",
    )
    report = tr.import_po(po, ContentLibrary(scratch.root))
    assert (
        "common.yaml:nav.paused: the English changed since this file was exported" in report.skipped
    )


def test_a_file_that_is_not_po_gets_a_plain_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.po"
    bad.write_text('msgid "a"\nmsgstr "b" extra\n', encoding="utf-8")
    assert cli.main(["translations", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "is not a PO file made by `within translations export`" in err and "Traceback" not in err
    bad.write_bytes(b"\xff\xfe\x00garbage")
    assert cli.main(["translations", "import", str(bad)]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert cli.main(["translations", "export", "--lang", "en"]) == 2


def test_the_cli_imports_into_content(
    scratch: ContentLibrary,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(tr, "library", lambda: scratch)
    po = _reviewed_file(scratch, tmp_path)
    assert cli.main(["translations", "import", str(po)]) == 0
    out = capsys.readouterr()
    assert "3 reviewed and 1 draft strings written" in out.out and "scale.yaml:total" in out.err
    assert cli.main(["translations", "status", "--lang", "th"]) == 0
    assert '"reviewed": 3' in capsys.readouterr().out


def test_staff_can_see_which_texts_are_still_draft() -> None:
    from widgets.facilitation.translation_status import TranslationStatus

    shown = TranslationStatus(context=PageContext("th")).value
    assert "ไทย" in shown and "ฉบับร่าง" in shown and "<code>" in shown
    total = len(tr.sources())
    assert f"ตรวจโดยเจ้าของภาษาแล้ว 0 จาก {total} ข้อความ" in shown  # none reviewed yet
    english = TranslationStatus(context=PageContext("en")).value
    assert (
        f"0 of {total} texts checked" in english
    )  # staff on English pages see the Thai status too
    from widgets.facilitation.staff_training import module

    training = module(PageContext("en"))
    assert any(isinstance(w, TranslationStatus) for w in training.step_widgets.values())
