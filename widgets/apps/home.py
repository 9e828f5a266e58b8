"""The home page, built from the app registry so a new app is a new entry, not new code."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from widgets.core.content import App, Surface, library
from widgets.core.context import MODES, PageContext
from widgets.core.markup import plain
from widgets.core.paths import HOME_APP, HOME_NOTEBOOK
from widgets.core.surfaces import apps_on, current_surface


def visible_apps(context: PageContext, surface: Surface | None = None) -> list[App]:
    """Registered apps served on ``surface`` (this server's, by default) that work in this
    page's mode, in their registry order."""
    return [app for app in apps_on(surface or current_surface()) if context.mode in app.modes]


class Home(w.VBox):
    """Language choice, the way Within is being used, and a link to every app.

    Parameters
    ----------
    context:
        The visit's language and mode (``PageContext.from_request()`` in Voilà).
    surface:
        Whose apps to list; this server's surface (``WITHIN_SURFACE``) by default.
    """

    def __init__(
        self, context: PageContext | None = None, surface: Surface | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext.from_request()
        self.add_class("within-home")
        self.apps = visible_apps(self.context, surface)
        self.children = [w.HTML(self._html())]

    def _html(self) -> str:
        t = self.context.t
        parts = [
            f'<h1 tabindex="-1" data-within-heading="{HOME_APP}">{plain(t("home.heading"))}</h1>',
            f"<p>{plain(t('home.intro'))}</p>",
            f'<p class="within-quiet">{plain(t("home.privacy"))}</p>',
            self._language_links(),
            self._mode_links(),
            f"<h2>{plain(t('home.apps_heading'))}</h2>",
            '<ul class="within-app-list">',
            *(self._app_item(app) for app in self.apps),
            "</ul>",
        ]
        return "\n".join(parts)

    def _language_links(self) -> str:
        t = self.context.t
        links = []
        for code, language in library().languages().items():
            current = ' aria-current="page"' if code == self.context.lang else ""
            href = f"{HOME_NOTEBOOK}?{self.context.query(lang=code)}"
            links.append(
                f'<li><a href="{plain(href)}" hreflang="{code}" lang="{code}"{current}>'
                f"{plain(language.name)}</a></li>"
            )
        note = ""
        if library().languages()[self.context.lang].status == "draft":
            note = f'<p class="within-quiet">{plain(t("shell.draft_translation"))}</p>'
        return (
            f'<nav class="within-languages" aria-label="{plain(t("home.language"))}">'
            f'<ul class="within-inline-list">{"".join(links)}</ul></nav>{note}'
        )

    def _mode_links(self) -> str:
        t = self.context.t
        links = []
        for mode in MODES:
            current = ' aria-current="page"' if mode == self.context.mode else ""
            href = f"{HOME_NOTEBOOK}?{self.context.query(mode=mode)}"
            links.append(
                f'<li><a href="{plain(href)}" data-mode="{mode}"{current}>{plain(t(f"home.mode.{mode}"))}</a></li>'
            )
        return (
            f'<nav class="within-modes" aria-label="{plain(t("home.mode.label"))}">'
            f'<ul class="within-inline-list">{"".join(links)}</ul></nav>'
        )

    def _app_item(self, app: App) -> str:
        t = self.context.t
        audience = ", ".join(t(f"home.audience.{who}") for who in app.audience)
        return (
            f'<li class="within-app" data-app-id="{app.id}">'
            f'<a class="within-app-link" href="{plain(self.context.app_url(app))}">'
            f"{plain(t(f'apps.{app.id}.title'))}</a>"
            f"<p>{plain(t(f'apps.{app.id}.description'))}</p>"
            f'<p class="within-quiet">{plain(t("home.for"))} {plain(audience)}</p></li>'
        )
