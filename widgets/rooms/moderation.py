"""A word list that flags stigmatising or abusive words before a room shows them.

The lists live in ``content/<lang>/moderation.yaml``. Every language's list is applied to
every answer (people type in more than one language). A flagged answer is held for the
facilitator, who shows or removes it; nothing is ever changed silently. The same lists
check the project's own words (``tests/unit/rooms/test_moderation.py``), except files that quote a
stigmatising phrase on purpose (``content/<lang>/quoted/*.yaml`` and ``quoted: true``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from widgets.core.content import ContentError, library


@functools.lru_cache(maxsize=1)
def word_lists() -> dict[str, tuple[str, ...]]:
    """The flagged words and phrases of every language, lower case."""
    lists = {}
    for lang in library().languages():
        try:
            listed = str(library().strings(lang, "moderation").get("flagged", ""))
        except ContentError:  # a language without a list flags nothing extra
            listed = ""
        words = [line.strip() for line in listed.splitlines() if line.strip()]
        lists[lang] = tuple(str(word).casefold() for word in words)
    return lists


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def flags(text: str) -> list[str]:
    """The listed words found in ``text`` (empty when nothing is flagged).

    Words in scripts with spaces match whole words (and their plural ``s``); words in Thai,
    written without spaces between words, match anywhere.
    """
    found = []
    folded = _normal(text)
    for words in word_lists().values():
        for word in words:
            if word.isascii():
                pattern = (
                    r"(?<![\w])" + re.escape(word).replace(r"\ ", r"[\s\-]+") + r"(?:e?s)?(?![\w])"
                )
                if re.search(pattern, folded):
                    found.append(word)
            elif word in folded:
                found.append(word)
    return sorted(set(found))
