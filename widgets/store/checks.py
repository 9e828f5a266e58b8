"""Checks on what callers pass in, so bad input fails early with a plain ``StoreError``."""

from __future__ import annotations

import json
from typing import Any

from widgets.store.errors import StoreError
from widgets.store.tables import CODE_LENGTH, NAME_LENGTH


def code(value: object) -> str:
    """A participant code: 1 to 16 visible characters, no spaces."""
    if not isinstance(value, str) or not value:
        raise StoreError("A participant code is needed.")
    if len(value) > CODE_LENGTH:
        raise StoreError(f"A participant code has at most {CODE_LENGTH} characters.")
    if not value.isprintable() or any(ch.isspace() for ch in value):
        raise StoreError("A participant code cannot contain spaces or invisible characters.")
    return value


def name(what: str, value: object) -> str:
    """A short label chosen by the app (a flow, step, key, consent scope or wording version)."""
    if not isinstance(value, str) or not value.strip():
        raise StoreError(f"A {what} is needed.")
    if len(value) > NAME_LENGTH or not value.isprintable():
        raise StoreError(f"A {what} is at most {NAME_LENGTH} visible characters.")
    return value


def json_value(what: str, value: Any) -> Any:
    """``value`` unchanged if it can be stored as standard JSON (no NaN, no objects)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise StoreError(f"The {what} cannot be saved as JSON: {error}") from None
    return value


def flag(what: str, value: object) -> bool:
    """A real ``True`` or ``False`` (not 0, 1 or "no")."""
    if not isinstance(value, bool):
        raise StoreError(f"{what} must be True or False.")
    return value
