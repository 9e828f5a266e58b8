"""Within: reusable ipywidget components for self-help and group exercises.

Importing the package is kept light on purpose (no pandas, no matplotlib) so the
first screen of every app appears quickly; heavier modules are imported where used.
"""

__version__ = "0.1.0"
