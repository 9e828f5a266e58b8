"""Cells a spreadsheet would run as a formula are made plain text (CSV injection).

Exports go to researchers who open them in Excel or LibreOffice. A cell that starts with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is read as a formula there, and a
formula can fetch a web address or, with old settings, run a program. Following OWASP's
advice on CSV injection, such a text cell gets a leading apostrophe, which spreadsheets
show as plain text. Leading white space does not hide a formula from every spreadsheet, so
it is looked through; full-width signs (＝＋－＠) are treated the same. Numbers stay numbers:
only text is ever changed, so ``-3`` as a number is untouched.
"""

from __future__ import annotations

from typing import TypeVar

#: What makes a spreadsheet read a cell as a formula (OWASP), and full-width look-alikes.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
_BLANKS = " \t\r\n\u00a0\u3000"

T = TypeVar("T")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet might read ``text`` as a formula."""
    if not text:
        return False
    return text[0] in FORMULA_STARTS or text.lstrip(_BLANKS)[:1] in FORMULA_STARTS


def neutralise(value: T) -> T | str:
    """``value`` as plain text if it is text a spreadsheet would run, else unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
