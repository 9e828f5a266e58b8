"""Jupyter server settings on Binder: Voilà (a server extension there) serves Within.

binder/postBuild copies this file to ``~/.jupyter/jupyter_server_config.py``. The README's
badge opens ``voila/render/notebooks/home.ipynb``; this makes that page look and behave as
under ``within serve``: the ``within`` template (neutral title, help and quick exit, no
outside requests), no code or tracebacks, the file allowlist, Within's Content-Security-Policy
on every response (this server serves only Voilà) and the idle-kernel culler.
"""

import os

from widgets import paths, voila_config

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file

# The template: installed under <prefix>/share/jupyter by `pip install .`; from a checkout,
# put the checkout's share/jupyter first.
data_dir = str(paths.jupyter_data_dir())
jupyter_path = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
if data_dir not in jupyter_path:
    os.environ["JUPYTER_PATH"] = os.pathsep.join([data_dir, *jupyter_path])

voila_config.configure(c, lang=os.environ.get("WITHIN_LANG", "en"), server_headers=True)
