"""Which later activity may fit a person, from their Thai Internalised Stigma Scale answers.

It takes the item answers and returns an activity id, or None when nothing stands out.
Nothing here reads the store: ``activity_2.build`` passes the person's latest own
submission, and the suggestion is shown privately, on the person's own screen only.

Answers are ``{"item_1": 0-3, ...}`` (strongly disagree = 0 ... strongly agree = 3, the
codes of ``content/instruments/thai-internalised-stigma.yaml``), or the option ids
(``"agree"``); unknown items and unreadable answers are ignored.

The themes, read from the scale's items:

- ``item_1``, ``item_2``, ``item_3``, ``item_8`` (what others think or would do; fear of
  being seen at a health service): **activity-3**, stepping back from those thoughts;
- ``item_4``, ``item_5`` (shame, disgust with oneself): **activity-4**, noticing
  thoughts change with kindness;
- ``item_6``, ``item_7`` (no future, the family): **activity-5**, values and direction.

The theme with the highest average answer wins if it reaches "agree" (2); ties go to
activity-3, the technique the programme's participants used most in daily life.
"""

from __future__ import annotations

from collections.abc import Mapping

OPTION_CODES = {"strongly_disagree": 0, "disagree": 1, "agree": 2, "strongly_agree": 3}
THEMES: dict[str, tuple[str, ...]] = {
    "activity-3": ("item_1", "item_2", "item_3", "item_8"),
    "activity-4": ("item_4", "item_5"),
    "activity-5": ("item_6", "item_7"),
}
AGREE = 2


def _code(answer: object) -> int | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int) and 0 <= answer <= 3:
        return answer
    if isinstance(answer, str):
        return OPTION_CODES.get(answer)
    return None


def suggest_activity(answers: Mapping[str, object]) -> str | None:
    """The activity id that fits the strongest theme in ``answers``, or None."""
    best: tuple[float, str] | None = None
    for activity, items in THEMES.items():  # in order: ties keep the earlier activity
        codes = [code for item in items if (code := _code(answers.get(item))) is not None]
        if not codes:
            continue
        average = sum(codes) / len(codes)
        if average >= AGREE and (best is None or average > best[0]):
            best = (average, activity)
    return best[1] if best else None
