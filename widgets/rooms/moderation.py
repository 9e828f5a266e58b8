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


#: Digits and signs typed for the letters they look like ("jun4ie", "5cum", "1d10t").
_FOR_LETTERS = (str.maketrans("0134578@$!|+", "oieastbasilt"), str.maketrans("1!|", "lll"))
_THAI = range(0x0E00, 0x0E80)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
#: Marks people put between letters to dodge a word list: "j.u.n.k.i.e", "jun-kie", "jun*kie".
_BETWEEN = r"[\s.\-_*·•'’`~^+=/\\|:,]"


@functools.lru_cache(maxsize=1)
def look_alikes() -> dict[int, str]:
    """Each letter that looks like a Latin letter or digit (Cyrillic "а", Greek "ο",
    fullwidth "ｅ") mapped to it; a Lao or Khmer look-alike of a Thai letter to the Thai one.

    From Unicode's confusables table as kept by the ``confusable-homoglyphs`` package. Thai
    letters themselves are never mapped: the table pairs Thai letters with each other (ด
    with ค), and those are different letters, not disguises.
    """
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[int, str] = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or char.isascii() or ord(char) in _THAI:
            continue
        targets = [h["c"] for h in homoglyphs if len(h["c"]) == 1]
        latin = [c for c in targets if c.isascii() and c.isalnum()]
        thai = [c for c in targets if ord(c) in _THAI]
        if latin:
            table[ord(char)] = latin[0].casefold()
        elif thai:
            table[ord(char)] = thai[0]
    return table


def normalise(text: str) -> str:
    """``text`` as the word list sees it: NFKC, case folded, invisible characters removed,
    accents dropped outside Thai, Thai digits as 0-9, look-alike letters made Latin."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\t\n")
    text = unicodedata.normalize("NFD", text.translate(_THAI_DIGITS).casefold())
    text = "".join(
        ch for ch in text if unicodedata.category(ch) != "Mn" or ord(ch) in _THAI
    )
    text = unicodedata.normalize("NFC", text).translate(look_alikes())
    return unicodedata.normalize("NFKC", text).casefold()


def variants(text: str) -> set[str]:
    """The ways of reading ``text`` that the word list is matched against.

    The normal form; the same with digits and signs read as letters; and each of those with
    letters spaced out one by one ("j u n k i e") or split by dots, dashes or stars inside a
    word ("jun.kie") joined up. Thai, written without spaces, is also read with every space
    and mark between its letters removed.
    """
    normal = normalise(text)
    readings = {normal}
    for table in _FOR_LETTERS:
        readings.add(
            re.sub(r"[0-9@$!|+]+", lambda m, table=table: m.group().translate(table), normal)
            if re.search(r"[^\W\d_]", normal)
            else normal
        )
    joined = set()
    for reading in readings:
        spaced = re.sub(
            rf"(?<![^\W_])[^\W_](?:{_BETWEEN}+[^\W_](?![^\W_]))+",
            lambda m: re.sub(_BETWEEN, "", m.group()),
            reading,
        )
        joined.add(spaced)
        joined.add(re.sub(r"(?<=[^\W\d_])[.\-_*·•'’`~^]+(?=[^\W\d_])", "", spaced))
        thai_only = re.sub(rf"(?<=[\u0e00-\u0e7f]){_BETWEEN}+(?=[\u0e00-\u0e7f])", "", reading)
        joined.add(thai_only)
    return readings | joined


def flags(text: str) -> list[str]:
    """The listed words found in ``text`` (empty when nothing is flagged).

    Words in scripts with spaces match whole words (and their plural ``s``); words in Thai,
    written without spaces between words, match anywhere. Every reading of :func:`variants`
    is checked, so look-alike letters, hidden characters, spacing and digits for letters
    do not slip a word past the list.
    """
    found = []
    readings = variants(text)
    for words in word_lists().values():
        for word in words:
            if word.isascii():
                pattern = (
                    r"(?<![\w])" + re.escape(word).replace(r"\ ", r"[\s\-]+") + r"(?:e?s)?(?![\w])"
                )
                if any(re.search(pattern, reading) for reading in readings):
                    found.append(word)
            elif any(word in reading for reading in readings):
                found.append(word)
    return sorted(set(found))
