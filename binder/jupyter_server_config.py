"""Jupyter server settings on Binder and JupyterHub: Voilà (a server extension) serves Within.

binder/postBuild copies this file to ``~/.jupyter/jupyter_server_config.py``; on a JupyterHub
it goes in the user environment's Jupyter config folder (docs/deploy.md). The README's badge
opens ``voila/render/notebooks/home.ipynb``; this makes that page look and behave as under
``within serve``: the ``within`` template (neutral title, help and quick exit, no
outside requests, no MathJax from a CDN), no code or tracebacks, the file allowlist, Within's
Content-Security-Policy on every response (this server serves only Voilà) and the idle-kernel
culler.
"""

import os

from widgets.core import paths
from widgets.server import hub_lockdown, voila_config

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file

# The template: installed under <prefix>/share/jupyter by `pip install .`; from a checkout,
# put the checkout's share/jupyter first.
data_dir = str(paths.jupyter_data_dir())
jupyter_path = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
if data_dir not in jupyter_path:
    os.environ["JUPYTER_PATH"] = os.pathsep.join([data_dir, *jupyter_path])

voila_config.configure(c, lang=os.environ.get("WITHIN_LANG", "en"), server_headers=True)

# JupyterHub (docs/jupyterhub/jupyterhub_config.py sets WITHIN_APPS_ROOT=1): serve the installed
# apps folder itself, so a centre's account lands on voila/render/home.ipynb (Spawner.default_url).
# Binder keeps the repository as the root (its badge opens voila/render/notebooks/home.ipynb).
if os.environ.get("WITHIN_APPS_ROOT") == "1":
    c.ServerApp.root_dir = paths.notebooks_dir().as_posix()

# A centre's account on a hub (docs/jupyterhub/jupyterhub_config.py sets WITHIN_HUB_ROLE):
# Voilà only, read-only files, kernels that run no code sent by the browser.
if os.environ.get(hub_lockdown.ROLE_ENV) == "centre":
    hub_lockdown.lock_down(c)
