"""Subcommands of ``within``, one module each.

A module here becomes ``within <name>`` by exposing ``register(subparsers)``, which
adds its parser and sets ``run`` (a function of the parsed arguments returning the
exit status) with ``parser.set_defaults(run=...)``. Keep imports at module level
light: every module is imported whenever ``within`` starts.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def command_modules() -> list[ModuleType]:
    """Every subcommand module in this package, in name order."""
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if callable(getattr(module, "register", None)):
            modules.append(module)
    return modules
