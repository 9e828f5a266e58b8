"""Compatibility for one release: ``widgets.voila_config`` moved to :mod:`widgets.server.voila_config`.

Deployment configs written for Within 0.1 (a hub's or Binder's ``jupyter_server_config.py``)
import this path; it is now the very same module, with a warning to move.
"""

import importlib
import sys
import warnings

warnings.warn(
    "widgets.voila_config is now widgets.server.voila_config; the old path goes in the next release",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = importlib.import_module("widgets.server.voila_config")
