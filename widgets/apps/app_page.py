"""The frame every guided app shares: its heading, the person's code, then the activity.

Self-guided, the activity appears once the person has a code (new, typed, or
remembered by their device), so it can save their answers and resume their place.
Projected, it appears at once and nothing personal is asked, saved or shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from widgets.core.content import library
from widgets.core.context import PageContext, request_param
from widgets.core.markup import plain
from widgets.core.paths import HOME_NOTEBOOK
from widgets.exercises.kind_errors import kindly
from widgets.exercises.participant_code import ParticipantCodePanel
from widgets.store import Store  # loaded with the page: preheated kernels have it ready

Build = Callable[["AppPage", str], w.Widget]

CONSENT_SCOPE = "store-answers"
CONSENT_TEXT_VERSION = "code-panel-1"


class AppPage(w.VBox):
    """Compose a registered app: ``AppPage("welcome", build)`` in a notebook.

    Parameters
    ----------
    app_id:
        The app's id in ``content/apps.yaml`` (its title comes from content).
    build:
        ``build(page, code)`` returns the activity widget; ``code`` is "" when projected.
    context:
        Language and mode; read from the page address when not given.
    store:
        The store for answers and places; :meth:`Store.default` when self-guided.
    personal:
        True for a person's own activity (asks for their code first); False for staff
        tools, which open at once and handle codes themselves. By default, the app's
        ``personal`` in ``content/apps.yaml``.
    """

    def __init__(
        self,
        app_id: str,
        build: Build,
        *,
        context: PageContext | None = None,
        store: Store | None = None,
        personal: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.app_id = app_id
        self.context = context or PageContext.from_request()
        self.add_class("within-app-page")
        t = self.context.t
        self.heading = w.HTML(
            f'<p><a class="within-home-link" href="{plain(HOME_NOTEBOOK + "?" + self.context.query())}">'
            f"{plain(t('common.home_link'))}</a></p>"
            f'<h1 tabindex="-1" data-within-heading="{plain(app_id)}">{plain(t(f"apps.{app_id}.title"))}</h1>'
        )
        self.heading.add_class("within-app-heading")  # slides.css hides it while projecting a flow
        self.problem = w.HTML()
        self._build = build
        self.activity: w.Widget | None = None
        self.seal_panel: w.Widget | None = None  # the offer to seal one's writing, once a code is in
        if self.context.projector:
            self.store = None
            self.code_panel = None
            if "projector" in library().registry_app(app_id).modes:
                self._show_activity("")
                from widgets.facilitation.presenter import follow_from_request

                following = follow_from_request(self)  # ?present=CODE: follow the presenter
                if following is not None and request_param("room"):
                    from widgets.apps.presenter_room import show_room_from_request

                    show_room_from_request(self, following)  # &room=JOIN: that room, where asked
                from widgets.rooms.room_corner import attach_room_corner

                attach_room_corner(self)  # a group room open for this module: its join code
            else:
                self.problem.value = f'<p class="within-note">{plain(t("common.projector_unavailable"))}</p>'
                self.children = [self.heading, self.problem]
            return
        if store is None:
            store = Store.default()
        self.store = store
        if personal is None:
            personal = library().registry_app(app_id).personal
        if not personal:
            self.code_panel = None
            self._show_activity("", ready=True)
            return
        self.code_panel = ParticipantCodePanel(self.context, store=store)
        self.code_panel.observe(kindly(self.context.lang, self._show_problem)(self._code_changed), names="code")
        self.children = [self.heading, self.code_panel, self.problem]

    def _code_changed(self, change: dict[str, Any]) -> None:
        code = change["new"]
        self.seal_panel = None
        if code and self.store is not None:
            self.store.record_consent(code, CONSENT_SCOPE, CONSENT_TEXT_VERSION)
            # the offer to seal one's writing, or unlock it
            from widgets.exercises.sealing import SealPanel

            self.seal_panel = SealPanel(
                self.context, self.store, code, on_unlocked=lambda: self._show_activity(code)
            )
        self._show_activity(code)

    def _show_activity(self, code: str, *, ready: bool = False) -> None:
        ready = ready or bool(code) or self.context.projector
        self.activity = self._build(self, code) if ready else None
        parts: list[w.Widget] = [self.heading]
        if self.code_panel is not None:
            parts.append(self.code_panel)
        parts.append(self.problem)
        if self.seal_panel is not None and code:
            parts.append(self.seal_panel)
        if self.activity is not None:
            parts.append(self.activity)
        self.children = parts

    def _show_problem(self, message: str) -> None:
        self.problem.value = f'<p class="within-note within-note--problem" role="alert">{plain(message)}</p>'
