"""Safer-use tips: methamphetamine included, every tip citing its source, in harm-reduction
terms, and marked as a draft until a harm-reduction worker reviews them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from widgets.core.content import ContentError, ContentLibrary, library
from widgets.core.context import PageContext
from widgets.core.paths import content_dir
from widgets.exercises.safer_use import SaferUse, SaferUseTips, safer_use
from widgets.programme import activity_1
from widgets.rooms.moderation import flags

#: Words that would demand abstinence or blame; harm reduction never does.
DEMANDS = ("you must stop", "you should stop", "quit now", "ต้องเลิก", "ควรเลิก")


def test_methamphetamine_tips_ship_with_sources() -> None:
    tips = safer_use()
    assert "methamphetamine" in tips.substances
    assert sum(tip.substance == "methamphetamine" for tip in tips.tips) >= 4
    for tip in tips.tips:
        source = tips.sources[tip.source]
        assert source.url.startswith("https://") and source.title and source.publisher


@pytest.mark.parametrize("lang", ["en", "th"])
def test_every_tip_has_words_and_its_source_on_screen(lang: str) -> None:
    shown = SaferUseTips(context=PageContext(lang)).value
    tips = safer_use()
    for tip in tips.tips:
        words = library().text(lang, f"safer_use.tips.{tip.id}")
        assert words.split()[0] in shown
        assert tips.sources[tip.source].publisher in shown
        assert not flags(words) and not any(demand in words.lower() for demand in DEMANDS)
    assert 'data-draft="true"' in shown  # nobody has reviewed them yet
    assert library().text(lang, "safer_use.draft") in shown
    thai = library().strings("th", "safer_use")["tips"]
    assert set(thai) == {tip.id for tip in tips.tips}  # Thai is complete, not a fallback


def test_reviewed_tips_lose_the_draft_mark_only_with_a_reviewer(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    spec = root / "safer_use" / "tips.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("reviewed: false", "reviewed: true"), encoding="utf-8")
    with pytest.raises(ContentError, match="reviewed_by"):
        ContentLibrary(root).load("safer_use/tips.yaml", SaferUse)
    spec.write_text(
        text.replace("reviewed: false", "reviewed: true").replace(
            'reviewed_by: ""', "reviewed_by: peer outreach worker"
        ),
        encoding="utf-8",
    )
    assert ContentLibrary(root).load("safer_use/tips.yaml", SaferUse).reviewed


def test_a_tip_citing_an_unknown_source_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    spec = root / "safer_use" / "tips.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("source: adf-ice}", "source: rumour}", 1),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="unknown source 'rumour'"):
        ContentLibrary(root).load("safer_use/tips.yaml", SaferUse)


def test_activity_1_shows_the_tips_where_it_talks_about_riding_the_wave() -> None:
    module = activity_1.module(PageContext("th"))
    riding = module.widgets["riding"]
    assert any(isinstance(child, SaferUseTips) for child in riding.children)
