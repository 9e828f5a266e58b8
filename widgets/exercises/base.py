"""What every exercise widget shares, said once.

- the context default: a widget made in a researcher's notebook without one speaks English
  in ``self`` mode;
- the projector rule: on a shared screen nothing is saved, so the store is dropped there;
- the message line under the exercise: calm notes (``role="status"``) and problem notes
  (``role="alert"``), always escaped;
- the kind error wrapper: a handler that fails shows kind words in the person's language,
  never a traceback (:func:`~widgets.exercises.kind_errors.kindly`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.kind_errors import kindly

if TYPE_CHECKING:
    from widgets.store import Store


def note_html(message: str, *, problem: bool = False) -> str:
    """A message line: a calm status note, or a problem note read out at once."""
    if problem:
        return f'<p class="within-note within-note--problem" role="alert">{plain(message)}</p>'
    return f'<p class="within-note" role="status">{plain(message)}</p>'


class Exercise(w.VBox):
    """Base of Within's exercise widgets: ``context``, ``store``, ``message`` and ``kindly``.

    Parameters
    ----------
    context:
        Language and mode (``PageContext()`` when not given).
    store:
        Where answers are kept; ignored (None) in projector mode, where nothing is saved.
    """

    def __init__(self, *, context: PageContext | None = None, store: Store | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.store = None if self.context.projector else store
        self.message = w.HTML()

    def say(self, message: str) -> None:
        """Show a calm note on the message line."""
        self.message.value = note_html(message)

    def say_problem(self, message: str) -> None:
        """Show a problem on the message line, kindly, as an alert."""
        self.message.value = note_html(message, problem=True)

    def kindly(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        """``handler`` wrapped so a failure becomes kind words on the message line."""
        return kindly(self.context.lang, self.say_problem)(handler)
