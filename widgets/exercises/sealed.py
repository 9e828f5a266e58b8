"""Sealed entries: free text a person protects with a passphrase only they know.

Whoever holds the device, the database file or a backup sees only ciphertext. The key is
derived from the passphrase with scrypt (memory-hard, so guessing is slow) and a random
salt; Fernet (AES-128-CBC with HMAC-SHA256) seals the text and detects any tampering.
The salt and scrypt's settings travel with the ciphertext in the entry's JSON value::

    {"sealed": 1, "kdf": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": "...", "token": "..."}

There is no recovery: nobody keeps the passphrase, so a forgotten one means the entries are
gone. :class:`PassphrasePanel` says so before the person chooses one.

Other widgets adopt it with :func:`seal` / :func:`unseal`, or :class:`SealedEntries`, a
wrapper around :class:`widgets.store.Store` for one person's sealed answers.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

import ipywidgets as w
import traitlets
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.kind_errors import kindly

if TYPE_CHECKING:
    from widgets.store import Entry, Store

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # about 32 MiB and 0.1 s per key on a laptop
MAX_SCRYPT_N = 2**20  # a stored value may not make opening it take minutes
SALT_BYTES = 16
MIN_PASSPHRASE = 8
MAX_PASSPHRASE = 1024
_TEXT = "surrogatepass"  # any Python string round-trips, even lone surrogates

SealReason = Literal["short", "long", "wrong", "not-sealed", "damaged"]


class SealError(ValueError):
    """A passphrase or a sealed value that cannot be used; ``reason`` names the content key
    (``sealed.errors.<reason>``) with kind words for the person."""

    def __init__(self, reason: SealReason, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason: SealReason = reason


@dataclass(frozen=True)
class SealKey:
    """A key derived from a passphrase and a salt: derive once, seal many entries."""

    salt: bytes
    n: int
    r: int
    p: int
    fernet: Fernet


def check_passphrase(passphrase: str) -> str:
    """``passphrase`` if it is long enough to resist guessing, else :class:`SealError`."""
    if not isinstance(passphrase, str) or len(passphrase.strip()) < MIN_PASSPHRASE:
        raise SealError("short", f"A passphrase needs at least {MIN_PASSPHRASE} characters.")
    if len(passphrase) > MAX_PASSPHRASE:
        raise SealError("long", f"A passphrase has at most {MAX_PASSPHRASE} characters.")
    return passphrase


def derive_key(passphrase: str, salt: bytes | None = None, *, n: int = 0, r: int = 0, p: int = 0) -> SealKey:
    """The key for ``passphrase`` and ``salt`` (a new random salt when None)."""
    check_passphrase(passphrase)
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    n, r, p = n or SCRYPT_N, r or SCRYPT_R, p or SCRYPT_P
    raw = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8", _TEXT))
    return SealKey(salt, n, r, p, Fernet(base64.urlsafe_b64encode(raw)))


def is_sealed(value: Any) -> bool:
    """Whether a stored value is a sealed entry (whatever its passphrase)."""
    return isinstance(value, dict) and value.get("sealed") == 1 and value.get("kdf") == "scrypt"


def seal(text: str, passphrase: str | SealKey) -> dict[str, Any]:
    """``text`` as a sealed JSON value; a passphrase gets a fresh salt, a key reuses its own."""
    if not isinstance(text, str):
        raise TypeError("only text can be sealed")
    key = passphrase if isinstance(passphrase, SealKey) else derive_key(passphrase)
    token = key.fernet.encrypt(text.encode("utf-8", _TEXT)).decode("ascii")
    return {
        "sealed": 1, "kdf": "scrypt", "n": key.n, "r": key.r, "p": key.p,
        "salt": base64.b64encode(key.salt).decode("ascii"), "token": token,
    }


def salt_of(value: Any) -> bytes:
    """The salt a sealed value was made with; :class:`SealError` if it is not one."""
    if not is_sealed(value):
        raise SealError("not-sealed", "This value is not a sealed entry.")
    try:
        return base64.b64decode(str(value.get("salt", "")), validate=True)
    except (binascii.Error, ValueError):
        raise SealError("damaged", "The sealed entry's salt is damaged.") from None


def unseal(value: Any, passphrase: str | SealKey) -> str:
    """The text inside a sealed value; ``SealError("wrong")`` for another passphrase."""
    salt = salt_of(value)
    if isinstance(passphrase, SealKey) and passphrase.salt == salt:
        key = passphrase
    else:
        if isinstance(passphrase, SealKey):
            raise SealError("wrong", "This key was made with another salt.")
        try:
            n, r, p = (int(value.get(name, 0)) for name in ("n", "r", "p"))
            if not (2 <= n <= MAX_SCRYPT_N and 1 <= r <= 32 and 1 <= p <= 16):
                raise ValueError(f"scrypt n={n}, r={r}, p={p} is out of range")
            key = derive_key(passphrase, salt, n=n, r=r, p=p)
        except (TypeError, ValueError, OverflowError, MemoryError) as error:
            if isinstance(error, SealError):
                raise
            raise SealError("damaged", f"The sealed entry's settings are unusable: {error}") from None
    try:
        return key.fernet.decrypt(str(value.get("token", "")).encode("ascii", "replace")).decode("utf-8", _TEXT)
    except InvalidToken:
        raise SealError("wrong", "The passphrase does not open this entry.") from None


class SealedEntries:
    """One person's sealed answers in a :class:`~widgets.store.Store`.

    The key is derived once and the salt reused for all of the person's entries (the salt
    of their first sealed entry), so saving stays quick after the first time.

    Parameters
    ----------
    store, code:
        Where the entries live and whose they are.
    passphrase:
        The person's passphrase; checked against their existing sealed entries.
    """

    def __init__(self, store: Store, code: str, passphrase: str) -> None:
        self.store, self.code = store, code
        self._passphrase = check_passphrase(passphrase)
        self._keys: dict[bytes, SealKey] = {}
        existing = self._sealed_values()
        self._key = self._key_for(salt_of(existing[0]) if existing else None)
        if existing:
            unseal(existing[0], self._key)  # the wrong passphrase fails here, not later

    def add(self, app: str, key: str, text: str) -> int:
        """Seal ``text`` and save it as one entry; returns its id."""
        return self.store.add_entry(self.code, app, key, seal(text, self._key))

    def entries(self, app: str | None = None) -> list[Entry]:
        """The person's entries with sealed values opened (unsealed ones unchanged)."""
        opened = []
        for entry in self.store.entries(self.code, app):
            if is_sealed(entry.value):
                entry = replace(entry, value=unseal(entry.value, self._key_for(salt_of(entry.value))))
            opened.append(entry)
        return opened

    def _key_for(self, salt: bytes | None) -> SealKey:
        if salt is None or salt not in self._keys:
            key = derive_key(self._passphrase, salt)
            self._keys[key.salt] = key
            return key
        return self._keys[salt]

    def _sealed_values(self) -> list[Any]:
        return [e.value for e in self.store.entries(self.code) if is_sealed(e.value)]


class PassphrasePanel(w.VBox):
    """Lets a person choose (or type again) the passphrase that seals their entries.

    Before anything can be chosen it says plainly that a forgotten passphrase means the
    sealed entries are gone, and asks the person to tick that they understand. The
    passphrase stays in the kernel (``passphrase`` is not synced to the page) and the box
    is emptied once it is accepted.

    Parameters
    ----------
    context:
        Language and mode; on a shared screen the panel shows nothing.
    existing:
        True when the person already has sealed entries: they type it once to open them.
    check:
        Called with the passphrase to open existing entries; returns False if it is wrong.

    Attributes
    ----------
    passphrase:
        The accepted passphrase, or "" until there is one.
    """

    passphrase = traitlets.Unicode("", help="The accepted passphrase (kernel only, never synced)")

    def __init__(
        self,
        context: PageContext | None = None,
        *,
        existing: bool = False,
        check: Callable[[str], bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.existing, self._check = existing, check
        self.add_class("within-passphrase")
        t = self.context.t
        if self.context.projector:
            self.children = []
            return
        mode = "unlock" if existing else "choose"
        self.intro = w.HTML(
            f"<h2>{plain(t(f'sealed.{mode}.heading'))}</h2>"
            f"<p>{plain(t(f'sealed.{mode}.intro'))}</p>"
            f'<p class="within-note" role="note"><strong>{plain(t("sealed.no_recovery"))}</strong></p>'
        )
        self.entry = w.Password(description=t("sealed.label"))
        self.again = w.Password(description=t("sealed.again_label"))
        self.understood = w.Checkbox(value=False, description=t("sealed.understood"), indent=False)
        self.button = w.Button(description=t(f"sealed.{mode}.button"), button_style="primary")
        self.message = w.HTML()
        self.button.on_click(kindly(self.context.lang, self._say)(lambda _b: self.accept(self.entry.value, self.again.value)))
        parts = [self.intro, self.entry] if existing else [self.intro, self.understood, self.entry, self.again]
        self.children = [*parts, self.button, self.message]

    def accept(self, typed: str, again: str = "") -> bool:
        """Take ``typed`` as the passphrase, or say kindly what is wrong with it."""
        t = self.context.t
        try:
            if not self.existing and not self.understood.value:
                self._say(t("sealed.errors.not_understood"))
                return False
            check_passphrase(typed)
            if not self.existing and typed != again:
                self._say(t("sealed.errors.different"))
                return False
            if self.existing and self._check is not None and not self._check(typed):
                raise SealError("wrong")
        except SealError as error:
            self._say(t(f"sealed.errors.{error.reason}", least=MIN_PASSPHRASE, most=MAX_PASSPHRASE))
            return False
        self.entry.value = self.again.value = ""
        self.passphrase = typed
        self._say(t("sealed.accepted"))
        return True

    def _say(self, message: str) -> None:
        self.message.value = f'<p class="within-note" role="status">{plain(message)}</p>'
