"""Pseudonymous participant codes: random, short, easy to read aloud and to copy.

A code is never built from a name, initials or a birth date: it is drawn at random,
so it says nothing about the person. Letters and digits that are easy to confuse
(0/O, 1/I/L, U/V) are left out of the alphabet, and the last character is a Luhn mod N check so a
typing slip is caught before it opens someone else's answers.
"""

from __future__ import annotations

import re
import secrets

from stdnum import luhn

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
RANDOM_LENGTH = 7
CODE_PATTERN = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


class CodeError(ValueError):
    """What someone typed is not a Within code. ``reason`` names the content key to show."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def random_characters(length: int) -> str:
    """``length`` characters drawn at random from :data:`ALPHABET` (codes, room and
    presentation join codes all use the one alphabet that is easy to read aloud)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_code() -> str:
    """A fresh random code such as ``K7MQ-4XZA`` (about 34 bits of chance)."""
    body = random_characters(RANDOM_LENGTH)
    return _format(body + luhn.calc_check_digit(body, alphabet=ALPHABET))


def normalise(typed: str) -> str:
    """The canonical form of a typed code, or :class:`CodeError` saying what is wrong.

    Spaces, dashes and lower case are forgiven, as people copy codes from paper.
    """
    compact = re.sub(r"[\s\-–—_.]", "", typed or "").upper()
    if not compact:
        raise CodeError("empty")
    if len(compact) != RANDOM_LENGTH + 1:
        raise CodeError("length")
    if any(char not in ALPHABET for char in compact):
        raise CodeError("characters")
    if not luhn.is_valid(compact, alphabet=ALPHABET):
        raise CodeError("check")
    return _format(compact)


def is_code(typed: str) -> bool:
    """True when ``typed`` is a well-formed code."""
    try:
        normalise(typed)
    except CodeError:
        return False
    return True


def _format(compact: str) -> str:
    return f"{compact[:4]}-{compact[4:]}"
