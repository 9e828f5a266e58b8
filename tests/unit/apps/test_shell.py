"""One visit, one kernel: the shell swaps apps in place and builds only its surface's apps."""

from __future__ import annotations

import gc
import os
import weakref
from typing import Any

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget import _instances

from widgets.apps import builders, frame, page
from widgets.apps.app_page import AppPage
from widgets.apps.home import Home
from widgets.apps.shell import Shell
from widgets.controls.file_watchers import release_file_watchers
from widgets.controls.page_history import PageHistory
from widgets.core.codes import new_code
from widgets.core.content import library, text
from widgets.core.context import PageContext
from widgets.exercises.navigator import StepNavigator
from widgets.store import Store

CODE = new_code()


def shell(
    store: Store, app_id: str = "home", lang: str = "en", surface: str = "participant"
) -> Shell:
    return page(app_id, context=PageContext(lang), surface=surface, store=store)


def words(widget: w.Widget) -> str:
    """Everything a widget tree shows as HTML or text."""
    shown = [str(getattr(widget, "value", ""))]
    for child in getattr(widget, "children", ()):
        shown.append(words(child))
    return "\n".join(shown)


def test_the_page_starts_with_its_own_app_and_lists_only_its_surface(store: Store) -> None:
    home = shell(store)
    assert isinstance(home, Shell) and isinstance(home.current, Home)
    assert home.children == (home.history, home.current)
    assert (
        isinstance(home.history, PageHistory) and home.history.app == home.history.shown == "home"
    )
    participant = {app.id for app in library().registry().apps if "participant" in app.surfaces}
    assert set(home.history.links.values()) == participant | {"home"}
    assert (
        home.history.links["home.ipynb"] == "home"
        and home.history.links["welcome.ipynb"] == "welcome"
    )
    assert (
        "screening.ipynb" not in home.history.links and "follow-up.ipynb" not in home.history.links
    )
    assert 'data-within-heading="home"' in words(home.current)


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("/voila/render/activity-3.ipynb", "activity-3"),  # a direct link, served by home
        ("/voila/render/home.ipynb", "home"),
        ("/voila/render/screening.ipynb", "home"),  # a staff app never, whatever the address
        ("/voila/render/research-examples.ipynb", "home"),
        ("", "home"),  # JupyterLab: no address at all
    ],
)
def test_the_page_first_shows_the_app_its_address_names_if_served_here(
    store: Store, monkeypatch: pytest.MonkeyPatch, address: str, shown: str
) -> None:
    monkeypatch.setenv("SCRIPT_NAME", address)
    visit = shell(store)
    assert visit.app_id == visit.history.app == visit.history.shown == shown
    assert f'data-within-heading="{shown}"' in words(visit.current)
    assert "screening" not in words(visit.current)


def test_a_link_swaps_the_app_in_place_and_back(store: Store) -> None:
    visit = shell(store)
    visit.history.app = "welcome"  # what the browser sends when the person taps the link
    assert isinstance(visit.current, AppPage) and visit.current.app_id == "welcome"
    assert visit.history.shown == "welcome" and visit.children == (visit.history, visit.current)
    assert 'data-within-heading="welcome"' in visit.current.heading.value
    assert text("en", "apps.welcome.title") in visit.current.heading.value

    visit.history.app = "home"  # Back
    assert isinstance(visit.current, Home) and visit.history.shown == "home"


def test_a_swap_keeps_the_language_and_mode_and_forgets_other_parameters(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUERY_STRING", "lang=th&mode=self&room=K7Q2")
    visit = shell(store, lang="th")
    visit.show("welcome")
    assert visit.current.context == PageContext("th")
    assert text("th", "apps.welcome.title") in visit.current.heading.value
    assert os.environ["QUERY_STRING"] == "lang=th&mode=self"  # no room carried into the next app


def test_a_participant_page_asked_for_a_staff_app_builds_nothing_of_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    for app_id in ("screening", "follow-up", "analysis"):
        real = builders.BUILDERS[app_id]
        monkeypatch.setitem(
            builders.BUILDERS,
            app_id,
            lambda real=real, app_id=app_id: asked.append(app_id) or real(),
        )
    store.ensure_participant(CODE)
    visit = shell(store, lang="th")
    for app_id in ("screening", "follow-up", "analysis", "no-such-app", "../home", "<b>x</b>"):
        visit.history.app = app_id
        assert isinstance(visit.current, w.HTML), app_id
        shown = visit.current.value
        assert text("th", "shell.page_missing") in shown and text("th", "shell.go_home") in shown
        assert 'href="home.ipynb?lang=th&amp;mode=self"' in shown
        assert "<b>x</b>" not in shown  # the asked-for id is escaped where it shows
        assert CODE not in words(visit)
    assert asked == [], f"a participant page built staff apps: {asked}"
    visit.history.app = "home"
    assert isinstance(visit.current, Home)


def test_a_staff_page_builds_staff_apps(store: Store) -> None:
    visit = shell(store, surface="staff")
    visit.show("follow-up")
    assert isinstance(visit.current, AppPage) and visit.current.app_id == "follow-up"


def test_an_app_that_fails_to_build_says_so_kindly(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> Any:
        def build(_page: AppPage, _code: str) -> w.Widget:
            raise RuntimeError("boom")

        return build

    monkeypatch.setitem(builders.BUILDERS, "my-progress", broken)
    monkeypatch.setattr(
        "widgets.apps.app_page.library", lambda: _Personal(library(), "my-progress")
    )
    visit = shell(store)
    visit.show("my-progress")
    assert text("en", "shell.page_error") in visit.current.value
    visit.show("home")
    assert isinstance(visit.current, Home)


class _Personal:
    """The library, with one app made not personal so that it builds at once."""

    def __init__(self, real: Any, app_id: str) -> None:
        self._real, self._app_id = real, app_id

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def registry_app(self, app_id: str) -> Any:
        app = self._real.registry_app(app_id)
        return app.model_copy(update={"personal": False}) if app_id == self._app_id else app


def test_swapped_out_apps_release_their_widgets(store: Store) -> None:
    visit = shell(store)
    baseline = len(_instances)
    for app_id in ("welcome", "self-check", "preparation", "activity-1", "my-progress"):
        visit.show(app_id)
        visit.current.code_panel.confirm(CODE)
        assert visit.current.activity is not None
        visit.show("home")
        assert len(_instances) <= baseline, (
            f"{app_id} left {len(_instances) - baseline} widgets open"
        )
    visit.show("welcome")
    old = visit.current
    old_widgets = [old, old.heading, old.code_panel]
    visit.show("home")
    assert all(widget.comm is None for widget in old_widgets), (
        "the app left behind still has live widgets"
    )
    assert visit.history.comm is not None and visit.comm is not None
    gone = [weakref.ref(widget) for widget in (*old_widgets, old.code_panel.memory)]
    del old, old_widgets
    gc.collect()
    assert all(ref() is None for ref in gone), "closed widgets are still held in memory"


def test_file_watchers_stay_while_developing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANYWIDGET_HMR", "1")
    PageHistory()
    assert release_file_watchers() == 0 and len(PageHistory._esm.changed) >= 1
    monkeypatch.delenv("ANYWIDGET_HMR")
    assert release_file_watchers() >= 1 and len(PageHistory._esm.changed) == 0


def test_step_moves_do_not_touch_the_history(store: Store) -> None:
    visit = shell(store, "welcome")
    visit.current.code_panel.confirm(CODE)
    navigator = visit.current.activity
    assert isinstance(navigator, StepNavigator)
    navigator.next_button.click()
    navigator.next_button.click()
    assert visit.history.app == visit.history.shown == "welcome"


def test_frames_are_what_each_app_was_before(store: Store) -> None:
    assert isinstance(frame("welcome", context=PageContext("en"), store=store), AppPage)
    assert isinstance(frame("home", context=PageContext("en"), surface="staff"), Home)
    with pytest.raises(KeyError):
        page("no-such-app")


@pytest.mark.parametrize("preheated", [True, False])
def test_a_preheated_page_runs_the_imports_of_the_personal_apps_it_may_swap_in(
    store: Store, monkeypatch: pytest.MonkeyPatch, preheated: bool
) -> None:
    """Before the visit claims a preheated kernel, so that moving into an app builds widgets
    only; a kernel started for its visit does not pay for apps it may never show."""
    import widgets.apps
    from widgets.core import preheat

    prepared: list[str] = []
    real = widgets.apps.builder
    monkeypatch.setattr(preheat, "preheated", lambda: preheated)
    monkeypatch.setattr(widgets.apps, "builder", lambda app_id: prepared.append(app_id) or real(app_id))
    shell(store, surface="staff")
    personal_on_staff = [
        app.id for app in library().registry().apps if "staff" in app.surfaces and app.personal
    ]
    if preheated:
        assert set(prepared) == {"home", *personal_on_staff}
        assert "screening" not in prepared and "analysis" not in prepared
    else:
        assert set(prepared) == {"home"}
