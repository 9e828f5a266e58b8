"""Thai: one term per concept (content/th/glossary.yaml), no gendered particles, the errors the
issue listed fixed, and the moderation list complete; checked over every Thai string."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from widgets.core.content import ContentLibrary, library, text
from widgets.core.glossary import glossary_problems, load_glossary, strings
from widgets.core.instrument import instrument
from widgets.core.paths import content_dir
from widgets.rooms.moderation import flags


def test_every_thai_string_keeps_the_glossary() -> None:
    problems = glossary_problems("th")
    assert not problems, "\n".join(str(p) for p in problems)


def test_the_check_covers_every_kind_of_thai_file() -> None:
    files = {file for file, _key, _words in strings("th")}
    for expected in (
        "th/common.yaml",
        "th/flows/welcome.yaml",
        "th/risk_check.yaml",
        "th/risk_screens/asq.yaml",
        "th/instruments/thai-internalised-stigma.yaml",
        "countries/TH.yaml",
        "th/rooms.yaml",
        "th/flows/staff-training.yaml",
    ):
        assert expected in files
    assert not any("quoted/" in f or f.endswith("moderation.yaml") for f in files)


#: Concepts the glossary fixes ahead of use (a centre's own contacts, safer-use words).
NOT_YET_USED = {"quitting", "peer_worker", "overdose"}


def test_each_preferred_term_is_the_one_in_use() -> None:
    every = " ".join(words for _f, _k, words in strings("th"))
    for concept, term in load_glossary("th").terms.items():
        assert term.th in every or concept in NOT_YET_USED, concept


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    return root


def test_an_avoided_word_or_a_gendered_particle_is_found(scratch: Path) -> None:
    common = scratch / "th" / "common.yaml"
    common.write_text(
        common.read_text(encoding="utf-8").replace("home_link: ", "home_link: ผู้ติดยา ไปหน้าแรกนะคะ "),
        encoding="utf-8",
    )
    found = {(p.file, p.found) for p in glossary_problems("th", ContentLibrary(scratch))}
    assert ("th/common.yaml", "ผู้ติดยา") in found and ("th/common.yaml", "นะคะ") in found
    assert not any(
        p.found == "คะ" and "คะแนน" in p.key
        for p in glossary_problems("th", ContentLibrary(scratch))
    )


@pytest.mark.parametrize(
    ("key", "wrong", "right"),
    [
        ("common.nav.paused", "ตำแหน่ง", "ทำถึงตรงไหน"),  # a place in the activity, not a location
        ("check_in.replies.stop", "ตำแหน่ง", "ทำถึงตรงไหน"),
        ("common.code.forget", "ลืมรหัสของฉัน", "เลิกจำรหัส"),  # not "I forgot my code"
        ("my_data.delete_intro", "เคยพิมพ์หรือส่งออก", "พิมพ์ออกมาเป็นกระดาษ"),  # printed, not typed
        ("follow_up.plan.recorded", "นับเป็น{point}", "บันทึกแล้ว: "),  # no label spliced in
    ],
)
def test_the_listed_thai_errors_are_fixed(key: str, wrong: str, right: str) -> None:
    name, _, path = key.partition(".")
    words: object = library().strings("th", name)
    for part in path.split("."):  # the raw words, before any {field} is filled in
        words = words[part]  # type: ignore[index]
    assert isinstance(words, str) and wrong not in words and right in words


def test_flow_and_staff_training_fixes() -> None:
    activity_2 = {s.id: s for s in library().flow("th", "activity-2").steps}
    assert "มันถูกสอนให้เชื่อ" not in activity_2["not-yours"].body
    assert "มีคนสอนให้คุณเชื่อ" in activity_2["not-yours"].body
    activity_3 = {s.id: s for s in library().flow("th", "activity-3").steps}
    assert "หน้าตา" not in activity_3["hooked"].body and "ดวงตา" in activity_3["hooked"].body
    item_6 = instrument("thai-internalised-stigma").words("th").items["item_6"]
    training = " ".join(s.body for s in library().flow("th", "staff-training").steps)
    assert f'"{item_6}"' in training  # quoted word for word, as staff must read it
    assert item_6 in text("th", "risk_check.staff.why_item")


def test_the_thai_moderation_list_flags_the_stigmatising_terms() -> None:
    for word in ("ผู้ติดยา", "ผู้เสพ", "ติดยา"):
        assert flags(f"เขาเป็น{word}"), word
