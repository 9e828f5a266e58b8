"""What the store hands back: small frozen records, detached from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Consent:
    """One recorded yes or no; ``text_version`` names the consent wording that was shown."""

    scope: str
    text_version: str
    given: bool
    recorded_on: date


@dataclass(frozen=True, slots=True)
class Progress:
    """Where someone paused in a flow and what the flow needs to pick up again."""

    flow: str
    step_id: str
    state: dict[str, Any]
    updated_on: date


@dataclass(frozen=True, slots=True)
class Entry:
    """An answer typed at a step; ``id`` grows with each answer, so it gives the order."""

    id: int
    app: str
    key: str
    value: Any
    created_on: date
