"""Callbacks that never crash an app: a problem becomes a kind message, not a traceback.

Voilà hides tracebacks, but a callback that raises would simply do nothing, leaving a
person pressing a button in vain. Wrapping it shows what happened in their language
and logs the detail for staff on the server side.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from widgets.core.content import ContentError, text
from widgets.store import log_privacy

log = logging.getLogger("within")
log_privacy.install()  # the details logged below never include a code or an answer


def kindly(lang: str, show: Callable[[str], None]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a widget callback so any error is shown through ``show`` as kind words.

    Store problems get a message for their reason (busy, read-only, full, ...) that says
    saved answers are safe and what to do; anything else gets a general apology.
    """

    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except Exception as error:  # the one place errors become words
                from widgets.store import StoreError

                log.exception("callback %s failed", getattr(handler, "__name__", handler))
                show(message_for(lang, error) if isinstance(error, StoreError) else text(lang, "common.errors.unexpected"))
                return None

        return wrapper

    return decorate


def message_for(lang: str, error: Exception) -> str:
    """Kind words for a store problem, specific to its ``reason`` (busy, read-only, full...)."""
    reason = getattr(error, "reason", "")
    try:
        return text(lang, f"common.errors.store_reason.{reason}")
    except ContentError:  # a reason without its own words still gets the general ones
        return text(lang, "common.errors.store")
