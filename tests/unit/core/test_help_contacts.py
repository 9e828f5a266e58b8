"""Help that works on first start: national lines follow the country, not the page's language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from widgets.core.content import ContentLibrary, library
from widgets.core.context import PageContext
from widgets.core.paths import content_dir
from widgets.exercises.result_card import contacts_html


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    return root


def _site(root: Path, text: str) -> ContentLibrary:
    (root / "local" / "contacts.yaml").write_text(text, encoding="utf-8")
    return ContentLibrary(root)


def test_thailand_ships_1323_first_and_1669_unconfirmed() -> None:
    contacts = library().contacts()
    assert contacts.country == "TH" and contacts.confirmed is False
    phones = [c.phone for c in contacts.contacts]
    assert phones[0] == "1323" and "1669" in phones
    assert not any(set(phone) <= {"0", "-"} for phone in phones if phone)  # no 0000 placeholders
    assert all(c.source for c in contacts.contacts if c.phone)  # where each number was checked


@pytest.mark.parametrize("lang", ["en", "th"])
def test_numbers_follow_the_country_not_the_language(lang: str) -> None:
    shown = contacts_html(PageContext(lang=lang))
    assert shown.index('href="tel:1323"') < shown.index('href="tel:1669"')
    assert "0000" not in shown
    assert PageContext(lang=lang).t("shell.unconfirmed_contacts") in shown


def test_a_country_without_shipped_lines_gets_a_plain_emergency_line(scratch: Path) -> None:
    contacts = _site(scratch, "country: LA\nconfirmed: false\ncontacts: []\n").contacts()
    assert [c.id for c in contacts.contacts] == ["local-emergency"]
    shown = contacts_html(PageContext(lang="en"), contacts)
    assert "Your local emergency number" in shown and "tel:" not in shown
    assert "1323" not in shown


def test_a_centre_adds_its_own_and_confirms(scratch: Path) -> None:
    contacts = _site(
        scratch,
        "country: TH\nconfirmed: true\ncontacts:\n"
        "  - id: centre\n    kind: centre\n    phone: '02 123 4567'\n    name: {en: Our centre, th: ศูนย์ของเรา}\n",
    ).contacts()
    assert [c.id for c in contacts.contacts] == ["crisis-line", "centre", "emergency"]
    shown = contacts_html(PageContext(lang="th"), contacts)
    assert 'href="tel:021234567"' in shown
    assert PageContext(lang="th").t("shell.unconfirmed_contacts") not in shown


def test_a_centre_may_replace_a_national_line(scratch: Path) -> None:
    contacts = _site(
        scratch,
        "country: TH\nconfirmed: true\ncontacts:\n"
        "  - id: emergency\n    kind: emergency\n    phone: '191'\n    name: {en: Police}\n",
    ).contacts()
    assert [c.phone for c in contacts.contacts] == ["1323", "191"]


def test_a_country_code_must_be_two_capital_letters(scratch: Path) -> None:
    with pytest.raises(Exception, match="country"):
        _site(scratch, "country: thailand\ncontacts: []\n").contacts()
