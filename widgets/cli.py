"""The ``within`` command: ``within serve``, and later ``within score``, ``export``, ...

Each subcommand lives in its own module in :mod:`widgets.commands` and exposes
``register(subparsers)``; this file only builds the parser from them and runs the
chosen one. Messages here are for the staff who run Within, not for participants.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import NoReturn

from widgets.commands import command_modules
from widgets.core.content import ContentError


class ArgumentParser(argparse.ArgumentParser):
    """Bad arguments: one clear line on stderr and exit status 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see: {self.prog} --help)\n")


def _version() -> str:
    try:
        return version("within")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> ArgumentParser:
    """The ``within`` parser with every subcommand found in :mod:`widgets.commands`."""
    parser = ArgumentParser(
        prog="within",
        description="Within: guided exercises, served on this computer.",
    )
    parser.add_argument("--version", action="version", version=f"within {_version()}")
    subparsers = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True
    )
    for module in command_modules():
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``within`` with ``argv`` (default: the command line); returns the exit status."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.run(args) or 0)
    except SystemExit as stop:  # argparse: --help, --version, bad arguments (2)
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except ContentError as error:
        print(f"within: a content file needs fixing: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
