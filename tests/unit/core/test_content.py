"""Content files: valid, complete in every language, and broken files explained clearly."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from widgets.core.content import DEFAULT_LANGUAGE, ContentError, ContentLibrary, library
from widgets.core.paths import content_dir, notebooks_dir

SHIPPED = library()
LANGUAGES = list(SHIPPED.languages())


def _leaves(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found.update(_leaves(value, path + "."))
        else:
            found[path] = value
    return found


def _word_tables(lang: str) -> list[str]:
    return sorted(p.stem for p in (content_dir() / lang).glob("*.yaml") if p.stem != "meta")


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A copy of the shipped content that a test may break."""
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    return root


def test_english_and_thai_ship_with_thai_marked_as_draft() -> None:
    languages = SHIPPED.languages()
    assert list(languages)[:1] == ["en"] and "th" in languages
    assert languages["th"].status == "draft" and "native" in languages["th"].review_note


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE])
def test_every_english_string_has_a_counterpart(lang: str) -> None:
    missing = []
    for name in _word_tables(DEFAULT_LANGUAGE):
        english = _leaves(SHIPPED.strings(DEFAULT_LANGUAGE, name))
        try:
            translated = _leaves(SHIPPED.strings(lang, name))
        except ContentError:
            missing.append(f"{lang}/{name}.yaml (whole file)")
            continue
        missing += [f"{lang}/{name}.yaml: {key}" for key in english if not translated.get(key, "").strip()]
    assert not missing, "untranslated words:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE])
def test_every_flow_has_the_same_steps_in_each_language(lang: str) -> None:
    for path in sorted((content_dir() / DEFAULT_LANGUAGE / "flows").glob("*.yaml")):
        english = SHIPPED.flow(DEFAULT_LANGUAGE, path.stem)
        assert (content_dir() / lang / "flows" / path.name).is_file(), f"{lang}/flows/{path.name} missing"
        translated = SHIPPED.flow(lang, path.stem)
        assert [s.id for s in translated.steps] == [s.id for s in english.steps]
        blank = [
            mine.id
            for mine, theirs in zip(translated.steps, english.steps, strict=True)
            if theirs.body.strip() and not mine.body.strip()
        ]
        assert not blank, f"{lang}/flows/{path.name}: no words for the steps {blank}"


def test_contacts_have_every_language() -> None:
    for contact in SHIPPED.contacts().contacts:
        for field in ("name", "description", "hours"):
            words = getattr(contact, field)
            assert not words or set(words) >= set(LANGUAGES), f"{contact.id}.{field}"


def test_every_registered_app_has_a_notebook_and_words() -> None:
    for app in SHIPPED.registry().apps:
        assert (notebooks_dir() / app.notebook).is_file(), app.notebook
        for lang in LANGUAGES:
            assert SHIPPED.text(lang, f"apps.{app.id}.title")
            assert SHIPPED.text(lang, f"apps.{app.id}.description")


def test_words_fill_in_named_fields() -> None:
    assert SHIPPED.text("en", "common.nav.step_of", number=3, total=8) == "Step 3 of 8"
    assert SHIPPED.text("th", "common.nav.step_of", number=3, total=8) == "ขั้นตอนที่ 3 จาก 8"


def test_unknown_language_falls_back_to_english() -> None:
    assert SHIPPED.text("xx", "common.nav.next") == SHIPPED.text("en", "common.nav.next")


def test_a_new_language_is_new_files_only(scratch: Path) -> None:
    (scratch / "lo").mkdir()
    (scratch / "lo" / "meta.yaml").write_text(
        "code: lo\nname: ລາວ\nenglish_name: Lao\nstatus: draft\n", encoding="utf-8"
    )
    (scratch / "lo" / "common.yaml").write_text("nav:\n  next: ຕໍ່ໄປ\n", encoding="utf-8")
    content = ContentLibrary(scratch)
    assert "lo" in content.languages()
    assert content.text("lo", "common.nav.next") == "ຕໍ່ໄປ"
    assert content.text("lo", "common.nav.back") == "Back"  # not yet translated: English


@pytest.mark.parametrize(
    ("relative", "broken", "call", "expected"),
    [
        (
            "apps.yaml",
            (
                "apps:\n  - id: welcome\n    notebook: welcome.ipynb\n    audience: [individuals]\n"
                "    surfaces: [participant]\n"
            ),
            lambda c: c.registry(),
            "content/apps.yaml: field 'apps.0.order': Field required",
        ),
        (
            "apps.yaml",
            (
                "apps:\n  - id: Bad Id\n    notebook: x.ipynb\n    audience: [individuals]\n"
                "    surfaces: [participant]\n    order: 1\n"
            ),
            lambda c: c.registry(),
            "content/apps.yaml: field 'apps.0.id': String should match pattern",
        ),
        (
            "local/contacts.yaml",
            "confirmed: maybe\ncontacts: []\n",
            lambda c: c.contacts(),
            "content/local/contacts.yaml: field 'confirmed': Input should be a valid boolean",
        ),
        (
            "en/common.yaml",
            "nav:\n  next: [Next\n",
            lambda c: c.text("en", "common.nav.next"),
            "content/en/common.yaml: line 3, column 1: not valid YAML (did not find expected ',' or ']'",
        ),
        (
            "en/common.yaml",
            "nav:\n  next: 3\n",
            lambda c: c.text("en", "common.nav.next"),
            "content/en/common.yaml: field 'nav.next': expected words (text), found int",
        ),
        (
            "en/flows/welcome.yaml",
            "title: Hello\nsteps:\n  - id: a\n    title: A\n  - id: a\n    title: B\n",
            lambda c: c.flow("en", "welcome"),
            "content/en/flows/welcome.yaml: field 'steps': Value error, step ids must be unique; repeated: a",
        ),
        (
            "th/meta.yaml",
            "code: lo\nname: x\nenglish_name: x\nstatus: draft\n",
            lambda c: c.languages(),
            "content/th/meta.yaml: field 'code': must match its folder name 'th'",
        ),
    ],
)
def test_broken_files_give_one_clear_message(scratch: Path, relative: str, broken: str, call, expected: str) -> None:
    (scratch / relative).write_text(broken, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        call(ContentLibrary(scratch))
    assert str(raised.value).startswith(expected), str(raised.value)


def test_missing_file_and_missing_key_are_named(scratch: Path) -> None:
    (scratch / "local" / "contacts.yaml").unlink()
    content = ContentLibrary(scratch)
    with pytest.raises(ContentError, match=r"^content/local/contacts.yaml: the file is missing$"):
        content.contacts()
    with pytest.raises(ContentError, match=r"^content/en/common.yaml: field 'nav.nowhere': no words for this key$"):
        content.text("en", "common.nav.nowhere")
