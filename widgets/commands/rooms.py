"""``within rooms --lan``: the group-room join page alone, for phones on the local network.

Use it beside a running ``within serve`` (same data folder), or use
``within serve --rooms-lan`` to get both in one process. Only the join page and its
answer endpoints are served; nothing else of Within is reachable from other devices.
"""

from __future__ import annotations

import argparse
import sys

from widgets.core import content


def choose_address(wanted: str) -> str | None:
    """``wanted``, or this computer's one private address when ``"auto"``; None with a message."""
    from widgets.server.room_listener import check_address, lan_addresses

    if wanted != "auto":
        try:
            return check_address(wanted)
        except ValueError as error:
            print(f"within: {wanted!r}: {error}", file=sys.stderr)
            return None
    found = lan_addresses()
    if not found:
        print(
            "within: no local network address found. Join the centre's Wi-Fi, or name the "
            "address: --rooms-lan 192.168.1.20",
            file=sys.stderr,
        )
        return None
    if len(found) > 1:
        print(f"Several network addresses: {', '.join(found)}; using {found[0]}.", file=sys.stderr)
    return found[0]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "rooms",
        help="open only the group-room join page to the local network",
        description="Serve ONLY the group-room join page (for phones) on a network address.",
    )
    parser.add_argument(
        "--lan",
        default="auto",
        metavar="ADDRESS",
        help="address to listen on (default: this computer's Wi-Fi address)",
    )
    parser.add_argument("--port", type=int, default=8866, help="port (default: %(default)s)")
    parser.add_argument(
        "--lang",
        choices=list(content.languages()),
        default=content.DEFAULT_LANGUAGE,
        help="language of the page before a room is chosen (default: %(default)s)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    address = choose_address(args.lan)
    if address is None:
        return 1
    from widgets.server import room_listener

    print(room_listener.exposure_message(address, args.port), flush=True)
    return room_listener.serve(address, args.port, args.lang)
