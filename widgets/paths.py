"""Compatibility for one release: ``widgets.paths`` moved to :mod:`widgets.core.paths`.

Deployment configs written for Within 0.1 (a hub's or Binder's ``jupyter_server_config.py``)
import this path; it is now the very same module, with a warning to move.
"""

import importlib
import sys
import warnings

warnings.warn(
    "widgets.paths is now widgets.core.paths; the old path goes in the next release",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = importlib.import_module("widgets.core.paths")
