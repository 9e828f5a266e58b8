"""Several activities on one step: stacked on a person's own device, one per slide projected.

A step such as "How is the work wearing on me?" asks two reflections; on a phone they
stand one under the other, but on a shared screen each takes its own slides, so the room
reads one prompt at a time in type large enough for the back row (issue 22). An activity
that is itself in parts (:class:`~widgets.exercises.navigator.SlideParts`, such as a
projected :class:`~widgets.exercises.reflection.Reflection`) keeps its parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from widgets.core.context import PageContext
from widgets.exercises.navigator import SlideParts, show_only


class OnePerSlide(w.VBox):
    """``activities`` stacked, or projected shown one part at a time.

    Parameters
    ----------
    activities:
        The step's activities, in order.
    context:
        The page's mode: projected, one part per slide; otherwise all of them.
    """

    def __init__(self, activities: Sequence[w.Widget], *, context: PageContext, **kwargs: Any) -> None:
        super().__init__(list(activities), **kwargs)
        self.projected = context.projector
        self._parts: list[tuple[w.Widget, int]] = [
            (activity, part)
            for activity in activities
            for part in range(activity.projected_parts if isinstance(activity, SlideParts) else 1)
        ]

    @property
    def projected_parts(self) -> int:
        """Slides taken on a shared screen: one per activity, or per part of one in parts."""
        return len(self._parts) if self.projected else 1

    def show_part(self, part: int) -> None:
        """Projected, show only part ``part`` (the activity it belongs to, at that part)."""
        if not self.projected:
            return
        shown, inner = self._parts[min(max(part, 0), len(self._parts) - 1)]
        if isinstance(shown, SlideParts):
            shown.show_part(inner)
        show_only(self.children, (shown,))
