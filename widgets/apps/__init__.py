"""Apps: the page frame, the home page and one builder per registered app.

Every notebook in ``notebooks/`` is one line: ``from widgets.apps import page; page("activity-3")``.
The page it shows is a :class:`widgets.apps.shell.Shell`: links to other apps of the same
surface swap the app in place, in the same kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from widgets.core.paths import HOME_APP as HOME

if TYPE_CHECKING:
    import ipywidgets as w

    from widgets.apps.builders import Build
    from widgets.apps.shell import Shell
    from widgets.core.content import Surface


def page(app_id: str, **kwargs: Any) -> Shell:
    """The whole page of a registered app (or ``"home"``), ready to display.

    ``kwargs`` go to the shell (``context=``, ``surface=``) and to each app's frame
    (``store=``), as in a researcher's notebook. ``page(...).current`` is the app's frame.
    """
    from widgets.apps.shell import Shell
    from widgets.core import preheat
    from widgets.core.surfaces import apps_on, current_surface

    builder(app_id)  # the app's imports run now, before a preheated kernel waits for its visit
    if preheat.preheated():  # and those of the personal apps a visit may move into in place
        for app in apps_on(kwargs.get("surface") or current_surface()):
            if app.personal:
                builder(app.id)
    return Shell(app_id, frame, **kwargs)


def builder(app_id: str) -> Build | None:
    """What builds ``app_id`` once its page is ready (None for home); imports what it needs."""
    if app_id == HOME:
        import widgets.apps.home  # noqa: F401

        return None
    from widgets.apps.builders import BUILDERS

    if app_id not in BUILDERS:
        raise KeyError(f"no app with id {app_id!r}: see content/apps.yaml")
    return BUILDERS[app_id]()


def frame(app_id: str, *, surface: Surface | None = None, **kwargs: Any) -> w.Widget:
    """One app's page: :class:`~widgets.apps.app_page.AppPage`, or the home page listing
    ``surface``'s apps. ``kwargs`` go to the frame (``context=``, ``store=``)."""
    build = builder(app_id)
    if build is None:
        from widgets.apps.home import Home

        return Home(kwargs.get("context"), surface)
    from widgets.apps.app_page import AppPage

    return AppPage(app_id, build, **kwargs)


__all__ = ["HOME", "builder", "frame", "page"]
