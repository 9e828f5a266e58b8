"""JupyterHub settings for a network of centres: every account lands on Within's home page.

Only what Within needs; the authenticator, spawner, ports and TLS stay the hub's own. Use it as
it is (docs/deploy.md): The Littlest JupyterHub loads it from
/opt/tljh/config/jupyterhub_config.d/within.py, Zero to JupyterHub from
/usr/local/etc/jupyterhub/jupyterhub_config.d/within.py (``hub.extraFiles``), another hub with
``jupyterhub -f`` or ``load_subconfig``. tests/deploy/test_jupyterhub.py runs a real hub with it.

Read from the hub's environment and passed to every single-user server:

- ``WITHIN_DATABASE_URL`` (required): the one central database of all centres, for example
  ``postgresql://within:PASSWORD@127.0.0.1/within``. Without it each account would keep its
  own private SQLite file, so the hub refuses to start.
- every other ``WITHIN_*`` variable, e.g. ``WITHIN_LANG`` or ``WITHIN_CULL_IDLE_SECONDS``.

The single-user servers run ``jupyterhub-singleuser`` with Voilà as a server extension and
binder/jupyter_server_config.py in the user environment's Jupyter config folder: Within's
template, Content-Security-Policy and kernel culler, and (``WITHIN_APPS_ROOT=1``, set below)
Within's installed apps folder as the server's root.
"""

import os

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

if not os.environ.get("WITHIN_DATABASE_URL"):
    raise ValueError(
        "WITHIN_DATABASE_URL is not set in the hub's environment: a hub for many centres "
        "needs the one central database (see docs/deploy.md)."
    )

# Within's settings from the hub's environment (a hub passes on almost nothing by itself),
# and WITHIN_APPS_ROOT=1: the server's root is Within's installed apps folder.
within = {
    name: value
    for name, value in os.environ.items()
    if name.startswith("WITHIN_") and name != "WITHIN_CENTRE_DATABASE_URL"
}
within["WITHIN_APPS_ROOT"] = "1"
# Answers are kept on this server, not on the phone: the pages say so (overridable).
within.setdefault("WITHIN_DEPLOYMENT", "public")
# Centre accounts sign in through the hub: their home page lists the staff surface's apps
# (widgets/core/surfaces.py).
within["WITHIN_SURFACE"] = "staff"
# Zero to JupyterHub sets KubeSpawner.environment (singleuser.extraEnv), which would replace
# Spawner.environment for its spawner: add to both.
for spawner in ("Spawner", "KubeSpawner"):
    c[spawner].environment.update(within)

# After logging in, a centre's account opens Within's home page, not JupyterLab.
c.Spawner.default_url = "/voila/render/home.ipynb"

#: The hub group whose members are researchers (docs/deploy.md).
RESEARCHERS_GROUP = "researchers"


def choose_role(spawner):
    """Before a server starts: a centre's account gets Within's pages only, locked down
    (WITHIN_HUB_ROLE=centre, binder/jupyter_server_config.py); a researcher (in the
    ``researchers`` group) gets JupyterLab and no database credentials at all.

    With WITHIN_CENTRE_DATABASE_URL set (e.g. postgresql://centre_{centre}@db/within), a
    centre's pages connect as that centre's own role, ``{centre}`` being the id of the
    account's one ``centre-<id>`` group; an account in no such group does not start.
    """
    groups = {group.name for group in spawner.user.groups}
    if RESEARCHERS_GROUP in groups:
        spawner.environment.pop("WITHIN_DATABASE_URL", None)
        spawner.environment["WITHIN_HUB_ROLE"] = "research"
        spawner.default_url = "/lab"
        return
    spawner.environment["WITHIN_HUB_ROLE"] = "centre"
    template = os.environ.get("WITHIN_CENTRE_DATABASE_URL")
    if template:
        centres = sorted(name[len("centre-") :] for name in groups if name.startswith("centre-"))
        if len(centres) != 1:
            raise ValueError(
                f"{spawner.user.name} must be in exactly one centre-<id> group to start "
                f"(found {len(centres)})."
            )
        spawner.environment["WITHIN_DATABASE_URL"] = template.format(centre=centres[0])


c.Spawner.pre_spawn_hook = choose_role
