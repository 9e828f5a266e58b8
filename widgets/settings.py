"""Compatibility for one release: ``widgets.settings`` moved to :mod:`widgets.core.settings`.

Deployment configs written for Within 0.1 (a hub's or Binder's ``jupyter_server_config.py``)
import this path; it is now the very same module, with a warning to move.
"""

import importlib
import sys
import warnings

warnings.warn(
    "widgets.settings is now widgets.core.settings; the old path goes in the next release",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = importlib.import_module("widgets.core.settings")
