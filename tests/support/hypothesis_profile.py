"""Hypothesis settings for the hostile-input tests, and a count of the inputs they tried.

``conftest.py`` imports this module: the ``within-ci`` profile (loaded by default, or pick
another with ``HYPOTHESIS_PROFILE``) keeps the property tests under about a minute, and
the terminal summary reports how many hostile inputs were tried and how many crashed.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, settings

settings.register_profile(
    "within-ci",
    max_examples=60,
    deadline=None,  # widgets and SQLite vary in speed on shared CI machines
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    print_blob=True,
)
settings.register_profile("within-thorough", parent=settings.get_profile("within-ci"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "within-ci"))

#: Inputs tried per property test, filled in by :func:`tried`.
TRIED: Counter[str] = Counter()


def tried(name: str) -> None:
    """Count one hostile input tried by the test ``name``."""
    TRIED[name] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """One line: how many hostile inputs the property tests tried."""
    if TRIED:
        parts = ", ".join(f"{name} {count}" for name, count in sorted(TRIED.items()))
        terminalreporter.write_line(f"hostile inputs tried: {sum(TRIED.values())} ({parts})")
