"""One visit, one kernel: the page that swaps apps in place.

Every notebook shows a :class:`Shell` around its app. A link to another app of this page's
surface (home's list, "Back to the start page") swaps the app in place: the kernel builds
the app the person chose and closes every widget of the one they left, so memory does not
grow with the apps visited. The browser side (:class:`widgets.controls.page_history.PageHistory`)
gives each move its own address and history entry.

Only apps of the page's surface are built on request (``surfaces:`` in
``content/apps.yaml``): a participant page asked for a staff app, whatever the browser
sends, answers a kind "not found" and builds nothing of it. The page first shows the app its
address names: the notebook's own, or another app of this surface when the server answered a
direct link with a ready home kernel. The server has already refused notebooks of other
surfaces, and a researcher's JupyterLab builds what it opens.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget import _instances

from widgets.controls.file_watchers import release_file_watchers
from widgets.controls.page_history import PageHistory
from widgets.core.content import Surface
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.core.paths import HOME_APP as HOME
from widgets.core.paths import HOME_NOTEBOOK
from widgets.core.surfaces import apps_on, current_surface

log = logging.getLogger(__name__)

#: Builds the page of one app: ``frame(app_id, context=..., **kwargs)``.
Frame = Callable[..., w.Widget]


class Shell(w.VBox):
    """The page of a visit: one app at a time, swapped in place.

    Parameters
    ----------
    app_id:
        The notebook's app (``"home"`` or an id in ``content/apps.yaml``), built as named,
        unless the page's address names another app of this surface (:func:`addressed_app`).
    frame:
        Builds an app's page (:func:`widgets.apps.frame`), given ``context``, ``surface``
        and ``kwargs``.
    context:
        Language and mode; read from the page address when not given.
    surface:
        Whose apps may be swapped in; this server's surface (``WITHIN_SURFACE``) by default.
    """

    def __init__(
        self,
        app_id: str,
        frame: Frame,
        *,
        context: PageContext | None = None,
        surface: Surface | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self.add_class("within-shell")
        self.context = context or PageContext.from_request()
        self._frame = frame
        self._kwargs = kwargs
        self.surface = surface or current_surface()
        apps = apps_on(self.surface)
        self.served = frozenset({HOME, *(app.id for app in apps)})
        links = {HOME_NOTEBOOK: HOME, **{app.notebook: app.id for app in apps}}
        app_id = addressed_app(links, app_id)
        self.history = PageHistory(app=app_id, links=links)
        self._before_app = set(_instances)  # the shell's own widgets, and any made before it
        self.current: w.Widget = self._frame(
            app_id, context=self.context, surface=self.surface, **kwargs
        )
        self.app_id = app_id
        self.children = [self.history, self.current]
        self.history.shown = app_id
        self.history.observe(self._asked, names="app")

    def show(self, app_id: str) -> None:
        """Swap in ``app_id`` (as a link or Back would); an app not served here is not built."""
        self.history.app = app_id

    def _asked(self, change: dict[str, Any]) -> None:
        app_id = change["new"]
        if app_id == self.app_id:
            return
        # The page's address is now the app's own link: lang and mode, nothing carried over.
        os.environ["QUERY_STRING"] = self.context.query()
        self._release()
        if app_id not in self.served:
            page = self._message(app_id, "shell.page_missing")
        else:
            try:
                page = self._frame(
                    app_id, context=self.context, surface=self.surface, **self._kwargs
                )
            except Exception:  # the person sees a kind word and a way home; the log, the details
                log.exception("building %s in place failed", app_id)
                page = self._message(app_id, "shell.page_error")
        self.current = page
        self.app_id = app_id
        self.children = [self.history, page]
        self.history.shown = app_id

    def _release(self) -> None:
        """Close every widget the app on show made (its page, steps, layouts, hidden parts)."""
        self.children = [self.history]
        for model_id in set(_instances) - self._before_app:
            widget = _instances.get(model_id)
            if widget is not None:
                widget.close()
        release_file_watchers()  # or anywidget keeps every closed control alive

    def _message(self, app_id: str, key: str) -> w.Widget:
        """A page saying ``key`` (not found, went wrong) with the way home; nothing else built."""
        t = self.context.t
        home = f"{HOME_NOTEBOOK}?{self.context.query()}"
        return w.HTML(
            f'<h1 tabindex="-1" data-within-heading="{plain(app_id)}">{plain(t(key))}</h1>'
            f'<p><a class="within-home-link" href="{plain(home)}">{plain(t("shell.go_home"))}</a></p>'
        )


def addressed_app(links: dict[str, str], notebook_app: str) -> str:
    """The app the page's address names (Voilà's ``SCRIPT_NAME``), if it is one of ``links``.

    The server may serve a direct link to an app with a ready kernel of the home page
    (:meth:`widgets.server.app.SurfaceVoilaHandler.stand_in`): that page then builds the app
    its address names, not its notebook's. Anywhere else (JupyterLab, a page rendered from its
    own notebook) the address is missing or names the notebook itself.
    """
    name = os.environ.get("SCRIPT_NAME", "").rsplit("/", 1)[-1]
    return links.get(name, notebook_app)
