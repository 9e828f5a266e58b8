"""``within serve``: the guided apps in a browser on this computer."""

from __future__ import annotations

import argparse
import sys

from widgets import content

EXAMPLE_CONTACTS_WARNING = (
    "Warning: the help contacts are examples. Before real use, put your centre's "
    "contacts in content/local/contacts.yaml and set 'example: false'."
)


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535)")
    return port


def register(subparsers: argparse._SubParsersAction) -> None:
    languages = list(content.languages())
    parser = subparsers.add_parser(
        "serve",
        help="open the guided apps in a browser",
        description="Serve Within on this computer only (127.0.0.1) and open the home page.",
    )
    parser.add_argument(
        "--port", type=_port, default=8866, help="port to serve on (default: %(default)s)"
    )
    parser.add_argument(
        "--lang",
        choices=languages,
        default=content.DEFAULT_LANGUAGE,
        help="language of pages without ?lang= (default: %(default)s)",
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open a browser (or set BROWSER=true)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if content.contacts().example:
        print(EXAMPLE_CONTACTS_WARNING, file=sys.stderr, flush=True)
    from widgets.server import serve  # Voilà is heavy: import it only to serve

    return serve(port=args.port, lang=args.lang, open_browser=not args.no_browser)
