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


@dataclass(frozen=True, slots=True)
class Submission:
    """One questionnaire as stored: raw answers plus the score shown at the time."""

    id: int
    code: str
    instrument_id: str
    instrument_version: str
    language: str
    administered: str
    answers: dict[str, int | None]
    total: int | None
    band: str | None
    at_least: bool
    flagged: bool
    referral: bool
    submitted_on: date


@dataclass(frozen=True, slots=True)
class Tally:
    """A site's running count for one instrument: people screened, flagged, referred."""

    screened: int
    flagged: int
    referral: int
