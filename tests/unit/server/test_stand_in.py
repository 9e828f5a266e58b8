"""Which ready kernel serves a page: its own pool's, else the home page's, else none."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from widgets.server.app import SurfaceVoilaHandler


class Pools:
    """Voilà's kernel manager as the handler reads it: ready kernels by page."""

    def __init__(self, **ready: int) -> None:
        self.ready = {f"{page.replace('_', '-')}.ipynb": count for page, count in ready.items()}

    def get_pool_size(self, page: str) -> int:
        return self.ready.get(page, 0)


APPS = frozenset({"activity-3.ipynb", "welcome.ipynb"})  # the surface's apps, not home


def stand_in(path: str | None, manager: object) -> str | None:
    handler = SimpleNamespace(kernel_manager=manager, settings={"within_app_notebooks": APPS})
    return SurfaceVoilaHandler.stand_in(handler, path)


@pytest.mark.parametrize(
    ("path", "ready", "served_by"),
    [
        ("activity-3.ipynb", {"home": 1}, "home.ipynb"),  # no pool of its own: home's kernel
        ("activity-3.ipynb", {"home": 0}, "activity-3.ipynb"),  # none ready: a kernel starts
        ("welcome.ipynb", {"home": 1, "welcome": 1}, "welcome.ipynb"),  # its own pool first
        ("welcome.ipynb", {"home": 1, "welcome": 0}, "home.ipynb"),  # its own pool just taken
        ("home.ipynb", {"home": 0}, "home.ipynb"),
        ("home.ipynb", {"home": 1}, "home.ipynb"),
        ("bare.ipynb", {"home": 1}, "bare.ipynb"),  # served, but not an app: never home's page
        (None, {"home": 1}, None),
    ],
)
def test_a_page_takes_its_own_ready_kernel_else_home_s(
    path: str | None, ready: dict[str, int], served_by: str | None
) -> None:
    assert stand_in(path, Pools(**ready)) == served_by


def test_a_server_without_pools_serves_every_page_from_its_own_kernel() -> None:
    """The public service preheats nothing: its kernel manager has no pools at all."""
    assert stand_in("activity-3.ipynb", object()) == "activity-3.ipynb"
