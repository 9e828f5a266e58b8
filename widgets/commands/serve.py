"""``within serve``: the guided apps in a browser on this computer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from widgets.core import content
from widgets.server import host_check

EXAMPLE_CONTACTS_WARNING = (
    "Warning: the help contacts are not confirmed by a centre yet. Before real use, check the "
    "national help lines for your country, add your centre's own contacts in "
    "content/local/contacts.yaml and set 'confirmed: true'."
)


PORT, STAFF_PORT = 8866, 8867


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
        "--port",
        type=_port,
        default=None,
        help=f"port to serve on (default: {PORT}; {STAFF_PORT} with --staff, so both can run)",
    )
    parser.add_argument(
        "--lang",
        choices=languages,
        default=content.DEFAULT_LANGUAGE,
        help="language of pages without ?lang= (default: %(default)s)",
    )
    surface = parser.add_mutually_exclusive_group()
    surface.add_argument(
        "--staff",
        action="store_true",
        help="serve the staff pages (screening, follow-up, facilitators' tools) behind a login, "
        "instead of the participant pages",
    )
    surface.add_argument(
        "--public",
        action="store_true",
        help="serve the participant pages as a public service behind a proxy on this computer "
        "(docs/deploy.md): kernels capped per client and in total; needs --allowed-host",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a name this server is reached by besides localhost (repeatable; also "
        "WITHIN_ALLOWED_HOSTS); requests for any other Host or Origin get 403",
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open a browser (or set BROWSER=true)"
    )
    parser.add_argument(
        "--rooms-lan",
        nargs="?",
        const="auto",
        metavar="ADDRESS",
        help="also open ONLY the group-room join page to the local network, on this computer's "
        "Wi-Fi address (or ADDRESS); everything else stays on 127.0.0.1",
    )
    parser.add_argument(
        "--rooms-port", type=_port, default=None, help="port of the join page (default: --port)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not content.contacts().confirmed:
        print(EXAMPLE_CONTACTS_WARNING, file=sys.stderr, flush=True)
    _private_modes()
    _apply_retention()
    from widgets.server.app import serve  # Voilà is heavy: import it only to serve

    rooms: dict[str, object] = {}
    if args.rooms_lan:  # group rooms: a second listener serving only the join page
        from widgets.commands.rooms import choose_address

        address = choose_address(args.rooms_lan)
        if address is None:
            return 1
        rooms = {"rooms_lan": address, "rooms_port": args.rooms_port}
    surface = "staff" if args.staff else "participant"
    if args.public and not host_check.declared_names(args.allowed_host) - host_check.LOCAL_NAMES:
        print(
            "within serve --public: name the address people use, e.g. "
            "--allowed-host within.example.org (or set WITHIN_ALLOWED_HOSTS).",
            file=sys.stderr,
            flush=True,
        )
        return 2
    return serve(
        port=args.port or (STAFF_PORT if args.staff else PORT),
        lang=args.lang,
        open_browser=not args.no_browser,
        surface=surface,
        allowed_hosts=tuple(args.allowed_host),
        public=args.public,
        **rooms,
    )


def _private_modes() -> None:
    """Tighten the data folder (0700) and the SQLite file (0600) now, and say so plainly
    where the file system cannot keep those modes."""
    from sqlalchemy import make_url

    from widgets.core import settings
    from widgets.core.private_files import private_database, private_folder

    warnings = private_folder(settings.data_dir())
    url = make_url(settings.database_url())
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database not in ("", ":memory:") and not database.startswith("file:"):
        warnings += private_database(Path(database))
    for warning in warnings:
        print(f"Warning: {warning}", file=sys.stderr, flush=True)


def _apply_retention() -> None:
    """With ``WITHIN_RETENTION_DAYS`` set, forget quiet participants before serving."""
    from widgets.core import settings

    days = settings.retention_days()
    if days is None:
        return
    from widgets.store import Store, StoreError

    try:
        removed = Store().purge_older_than(days)
    except StoreError as error:
        print(f"Retention: could not purge old rows ({error}).", file=sys.stderr, flush=True)
        return
    print(
        f"Retention: removed {removed.get('participants', 0)} participant(s) inactive for "
        f"more than {days} days.",
        file=sys.stderr,
        flush=True,
    )
