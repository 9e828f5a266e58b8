"""A group room's join code and QR code in the corner of every projected slide.

When a facilitator opens a room for a module (:meth:`~widgets.rooms.model.Rooms.open` with
``module``), the module's projected slides show how to join, large enough to read from the
back of the room, and stop showing it once the room closes. Only the join code travels to
the wall: nothing about who joined or what they answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from widgets.controls.ticker import Ticker
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.navigator import StepNavigator
from widgets.rooms.group_room import qr_svg
from widgets.rooms.listener import listener_url
from widgets.rooms.model import Rooms
from widgets.store import StoreError

if TYPE_CHECKING:
    from widgets.apps.app_page import AppPage

POLL_MS = 3000  # a room is opened once a session: a few seconds' delay is fine


class RoomCorner(w.VBox):
    """The join code (and QR code, when phones can reach the join page) of ``module``'s room.

    Parameters
    ----------
    module:
        The app id whose open room to show.
    context, rooms:
        The page's language and the rooms store (the default store's when None).

    Attributes
    ----------
    join_code:
        The code on show, "" while no room is open for the module.
    """

    join_code = traitlets.Unicode("", help="The join code on show, '' when none")

    def __init__(
        self,
        module: str,
        *,
        context: PageContext | None = None,
        rooms: Rooms | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.module = module
        self.context = context or PageContext(mode="projector")
        self.rooms = rooms or Rooms()
        self.view = w.HTML()
        self.ticker = Ticker(self.refresh, interval_ms=POLL_MS)
        self.add_class("within-room-corner")
        self.children = [self.view, self.ticker]
        self.refresh()

    def refresh(self) -> None:
        """Read the module's room again; redraw only when it changed."""
        try:
            room = self.rooms.open_for(self.module)
        except StoreError:
            return  # keep what is on the wall; the next tick tries again
        code = room.join_code if room is not None else ""
        if code == self.join_code:
            return
        self.join_code = code
        if not code:
            self.view.value = ""
            self.remove_class("within-room-corner--open")
            return
        t = self.context.t
        parts = [
            f'<p class="within-room-corner-label">{plain(t("rooms.projector.join_code"))}</p>',
            f'<p class="within-room-corner-code">{plain(code)}</p>',
        ]
        url = listener_url()
        if url:
            parts.append(qr_svg(f"{url}r/{code}", t("rooms.projector.qr_label")))
        self.view.value = f'<div class="within-room-corner-inner">{"".join(parts)}</div>'
        self.add_class("within-room-corner--open")


def attach_room_corner(page: AppPage) -> RoomCorner | None:
    """On a projected page whose activity is a step navigator, add the room corner to its slides."""
    activity = page.activity
    navigator = (
        activity if isinstance(activity, StepNavigator) else getattr(activity, "navigator", None)
    )
    if not isinstance(navigator, StepNavigator) or not navigator.context.projector:
        return None
    corner = RoomCorner(page.app_id, context=page.context)
    navigator.corner.children = (corner,)
    return corner
