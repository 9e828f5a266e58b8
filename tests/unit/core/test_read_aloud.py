"""Read-aloud's core: the words the page shell gets in every language, and the markers
Python-drawn HTML carries (escaped, whatever it is given)."""

from __future__ import annotations

from widgets.core import read_aloud
from widgets.core.content import library, text


def test_every_language_has_every_read_aloud_word() -> None:
    words = read_aloud.shell_words()
    english = library().strings("en", "read_aloud")
    assert set(words) == set(library().languages())
    for code, table in words.items():
        assert set(table) == set(english), code
        assert all(value.strip() for value in table.values()), code
    assert words["th"]["listen_step"] == text("th", "read_aloud.listen_step")


def test_unit_escapes_what_it_is_given() -> None:
    marked = read_aloud.unit("step", "<p>x</p>", more='a" onclick="b')
    assert 'onclick="b"' not in marked and "&quot;" in marked
