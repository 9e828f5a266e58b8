"""Which apps each surface serves: participant, staff or research.

A surface is one way into Within, with its own people and its own apps
(``surfaces:`` in ``content/apps.yaml``; docs/deploy.md says which deployment serves which):

- ``participant``: the self-guided apps, My progress and My data, with no login
  (``within serve``, ``within serve --public``). Never a list of codes.
- ``staff``: screening, follow-up, training, analysis and the facilitators' tools, behind a
  login (``within serve --staff``, or the hub's login on a hub).
- ``research``: researchers' JupyterLab, which reads the files ``within export`` writes.

A notebook that is not on the serving surface is not served there at all (404), whatever
the route; the home page lists only that surface's apps. The server tells its kernels
which surface they serve through ``WITHIN_SURFACE``; a kernel without it serves the
participant surface, the one that shows least.
"""

from __future__ import annotations

import os
import typing

from widgets.core.content import App, Surface, library

SURFACE_ENV = "WITHIN_SURFACE"
SURFACES: tuple[Surface, ...] = typing.get_args(Surface)
DEFAULT_SURFACE: Surface = "participant"
#: The page every served surface opens at; it lists that surface's apps.
HOME_NOTEBOOK = "home.ipynb"


def current_surface() -> Surface:
    """The surface this process serves (``WITHIN_SURFACE``; participant when unset or unknown)."""
    value = (os.environ.get(SURFACE_ENV) or "").strip()
    return value if value in SURFACES else DEFAULT_SURFACE  # type: ignore[return-value]


def apps_on(surface: Surface) -> list[App]:
    """The registered apps served on ``surface``, in registry order."""
    return [app for app in library().registry().apps if surface in app.surfaces]


def served_notebooks(surface: Surface) -> frozenset[str]:
    """Notebook file names a Voilà server for ``surface`` may render: home and its apps."""
    return frozenset({HOME_NOTEBOOK, *(app.notebook for app in apps_on(surface))})
