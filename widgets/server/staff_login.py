"""The staff surface's login, through jupyter_server's own token and identity machinery.

``within serve --staff`` makes a fresh random token at every start (a ``JUPYTER_TOKEN``
in the environment is ignored) and a fresh cookie secret (Voilà's default), so a link or a
session from an earlier run never works again. The login link carries the token once; the
identity provider then keeps the session in its signed cookie, which this module makes
HttpOnly, ``SameSite=Strict`` and 8 hours long (the server refuses an older one even if a
browser kept it). Password changes from the login form are off: the token is the only key.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from jupyter_server.utils import url_path_join
from traitlets.config import Config

SESSION_HOURS = 8
LOGIN_MESSAGE = (
    "Staff pages need a login. Open this link on this computer to sign in "
    f"(it works until Within stops; the session lasts {SESSION_HOURS} hours):\n    {{url}}"
)


def new_token() -> str:
    """A fresh login token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def configure(config: Config, token: str | None = None) -> Config:
    """Require a login on this server: ``token`` (a fresh one by default) and a strict cookie."""
    config.Voila.token = token or new_token()
    session_days = SESSION_HOURS / 24
    provider = config.PasswordIdentityProvider
    provider.cookie_options = {"samesite": "Strict", "httponly": True, "expires_days": session_days}
    provider.get_secure_cookie_kwargs = {"max_age_days": session_days}
    provider.allow_password_change = False
    return config


def login_path(base_url: str, next_path: str, token: str) -> str:
    """``/login?next=...&token=...``: signs in with the token, then opens ``next_path``."""
    return url_path_join(base_url, "login") + "?" + urlencode({"next": next_path, "token": token})
