"""Does a room answer look like a person's name? Then the facilitator sees it first.

A group room's word wall is projected, and nothing about a person belongs on a shared
screen. Names cannot be recognised for certain, so this errs towards holding: an answer is
held (never changed or dropped) when it has a title with a word after it (Thai คุณ, พี่,
น้อง, นาย, นาง; English Mr, Mrs, Ms, Miss, Dr), two capitalised words together ("John
Smith"), or a capitalised word inside a sentence ("thanks to Somchai"). A single capitalised
word at the start ("Hope") is how many people write any answer, so it is not held. The
titles and the capitalised words that are not names (days, months, "I") are content:
``honorifics`` and ``not_names`` in ``content/<lang>/moderation.yaml``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from widgets.core.content import ContentError, library

_THAI_START = "[\u0e01-\u0e2e\u0e40-\u0e44]"  # a consonant or a leading vowel: a word goes on
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_SENTENCE_END = re.compile(r"[.!?…]\s*$")


@functools.lru_cache(maxsize=1)
def _lists() -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]:
    """(titles, capitalised words that are not names, Thai words to read past)."""
    titles: list[str] = []
    not_names: set[str] = set()
    for lang in library().languages():
        try:
            strings = library().strings(lang, "moderation")
        except ContentError:
            continue
        titles += [line.strip() for line in str(strings.get("honorifics", "")).splitlines() if line.strip()]
        not_names |= {line.strip() for line in str(strings.get("not_names", "")).splitlines() if line.strip()}
    thai = tuple(sorted((w for w in not_names if not w.isascii()), key=len, reverse=True))
    return tuple(titles), frozenset(w for w in not_names if w.isascii()), thai


def looks_like_name(text: str) -> bool:
    """Whether ``text`` may name a person (see the module's rules)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    titles, not_names, thai_words = _lists()
    for word in thai_words:  # "ขอบคุณ" (thank you) holds คุณ but names nobody
        text = text.replace(word, " ")
    for title in titles:
        if title.isascii():
            if re.search(rf"(?<![\w]){re.escape(title)}\.?\s+[^\W\d_]", text):
                return True
        elif re.search(rf"{re.escape(title)}\s*{_THAI_START}", text):
            return True
    return _capitalised_names(text, not_names)


def _capitalised_names(text: str, not_names: frozenset[str]) -> bool:
    previous_capitalised = False
    previous_end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if not word.isascii():
            previous_capitalised = False
            previous_end = match.end()
            continue
        between = text[previous_end : match.start()]
        starts_sentence = match.start() == 0 or bool(_SENTENCE_END.search(text[: match.start()]))
        capitalised = (
            word[0].isupper()
            and not (len(word) > 1 and word.replace("-", "").replace("'", "").isupper())
            and word not in not_names
        )
        if capitalised and previous_capitalised and between.strip() == "":
            return True
        if capitalised and not starts_sentence:
            return True
        previous_capitalised, previous_end = capitalised, match.end()
    return False
