"""The moderation word list, run over Within's own words: our texts stay person-first.

Files that quote a stigmatising phrase on purpose are exempt, so the check knows it is
deliberate: anything under ``content/<lang>/quoted/`` and files with ``quoted: true``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from widgets.core.content import library
from widgets.core.paths import content_dir
from widgets.rooms.moderation import flags, word_lists

CONTENT = content_dir()


def _exempt(path: Path, data: Any) -> bool:
    relative = path.relative_to(CONTENT)
    return (
        "quoted" in relative.parts
        or relative.name == "moderation.yaml"
        or (isinstance(data, dict) and data.get("quoted") is True)
    )


def _strings(node: Any, where: str = ""):
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{where}[{index}]")


FILES = sorted(CONTENT.rglob("*.yaml"))


def test_every_language_has_a_word_list() -> None:
    lists = word_lists()
    assert set(lists) == set(library().languages())
    assert all(len(words) >= 5 for words in lists.values())


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CONTENT)) for p in FILES])
def test_content_is_person_first(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if _exempt(path, data):
        pytest.skip("quotes stigmatising words on purpose")
    found = [f"{where}: {flags(text)}" for where, text in _strings(data) if flags(text)]
    assert not found, f"{path.relative_to(CONTENT)} uses flagged words:\n" + "\n".join(found)


def test_the_check_can_fail(tmp_path: Path) -> None:
    assert flags("Support for addicts") == ["addict"]
    assert flags("ช่วยเหลือคนติดยา")[0] == "คนติดยา"  # and the shorter ติดยา inside it
    quoted = CONTENT / "en" / "quoted" / "self_talk.yaml"
    assert quoted.exists() and _exempt(quoted, {})
