"""Apps: the page frame, the home page and one builder per registered app.

Every notebook in ``notebooks/`` is one line: ``from widgets.apps import page; page("activity-3")``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ipywidgets as w

HOME = "home"


def page(app_id: str, **kwargs: Any) -> w.Widget:
    """The whole page of a registered app (or ``"home"``), ready to display.

    ``kwargs`` go to the frame (``context=``, ``store=``), as in a researcher's notebook.
    """
    if app_id == HOME:
        from widgets.apps.home import Home

        return Home(**kwargs)
    from widgets.apps.app_page import AppPage
    from widgets.apps.builders import BUILDERS

    if app_id not in BUILDERS:
        raise KeyError(f"no app with id {app_id!r}: see content/apps.yaml")
    return AppPage(app_id, BUILDERS[app_id](), **kwargs)


__all__ = ["HOME", "page"]
