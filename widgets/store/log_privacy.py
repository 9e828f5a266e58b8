"""A logging filter so the server's and kernels' logs never hold a code or what someone typed.

The threat model promises that "the server log records no answers". A failed save used to
break it: the logged traceback carried the database driver's error, and SQLAlchemy writes
the statement's parameters (the participant's code and the typed answer) into that error.
Three layers keep logs clean:

- the store's engines are made with ``hide_parameters=True``, so SQLAlchemy never puts
  parameters into an error's text;
- :class:`PrivacyFilter` rewrites every log record: participant codes become ``[code]``,
  any ``[parameters: ...]`` block is dropped, and a traceback keeps its frames but only
  the messages of errors whose text Within or the database writes (never a value); other
  errors (a ``ValueError`` quoting what was typed, say) keep only their type;
- :func:`install` puts the filter in the log-record factory, so it applies to every
  logger and handler of the process, including ones set up later (Voilà, Tornado).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import traceback
from types import TracebackType

from widgets.core.codes import ALPHABET

REDACTED_CODE = "[code]"
_CODE = re.compile(rf"(?<![0-9A-Za-z])[{ALPHABET}]{{4}}[-\s]?[{ALPHABET}]{{4}}(?![0-9A-Za-z])")
_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL)
#: Kernel and session ids, kept whole: two of their groups can look like a code
#: (``...-4658-9446-...``), and a mangled id cannot be followed through a log.
_CODE_OR_UUID = re.compile(
    r"(?P<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|" + _CODE.pattern
)
_WITHHELD = "(message withheld: it may quote what someone typed)"


def redact(text: str) -> str:
    """``text`` without participant codes or SQL parameters."""
    text = _PARAMETERS.sub("[parameters withheld]", text)
    return _CODE_OR_UUID.sub(lambda match: match.group("uuid") or REDACTED_CODE, text)


def _speaks_safely(error: BaseException) -> bool:
    """Errors whose message is Within's own words or the database's, never a typed value."""
    from sqlalchemy import exc

    from widgets.store.errors import StoreError

    return isinstance(error, StoreError | sqlite3.Error | exc.SQLAlchemyError)


def safe_traceback(exc_info: tuple[type[BaseException], BaseException, TracebackType | None]) -> str:
    """A traceback with every frame but only the messages :func:`_speaks_safely` allows."""
    _kind, error, _tb = exc_info
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = []
    for position, link in enumerate(reversed(chain)):
        if position:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        name = f"{type(link).__module__}.{type(link).__qualname__}".removeprefix("builtins.")
        message = redact(str(link)) if _speaks_safely(link) else _WITHHELD
        parts.append(f"{name}: {message}\n")
    return "".join(parts).rstrip("\n")


class PrivacyFilter(logging.Filter):
    """Rewrites each record so that no code, SQL parameter or typed value is left in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_within_private", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string of any kind: keep the template
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info)  # type: ignore[arg-type]
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._within_private = True
        return True


_installed = False


def install() -> None:
    """Filter every log record this process makes, whichever logger or handler it meets."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()
    privacy = PrivacyFilter()

    def private_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        privacy.filter(record)
        return record

    logging.setLogRecordFactory(private_record)
