"""Sealed entries: free text a person protects with a passphrase only they know.

Whoever holds the device, the database file, an export or a backup sees only ciphertext.
The key is derived from the passphrase with Argon2id (memory-hard, so guessing is slow;
argon2-cffi, at or above OWASP's password-storage advice of m=19 MiB, t=2, p=1) and a
random salt; Fernet (AES-128-CBC with HMAC-SHA256) seals the text and detects tampering.
The salt and the derivation's settings travel with the ciphertext in the entry's JSON::

    {"sealed": 2, "kdf": "argon2id", "m": 47104, "t": 2, "p": 1, "salt": "...", "token": "..."}

Each entry is opened with its own stored settings, so settings can be raised later without
locking anyone out; entries sealed by earlier versions (``"kdf": "scrypt"``) still open.
A stored value cannot make opening it costly: settings needing more than
:data:`MAX_MEMORY_BYTES` (256 MiB) or more passes than :data:`MAX_TIME_COST` are refused.

There is no recovery: nobody keeps the passphrase, so a forgotten one means the entries are
gone. :class:`PassphrasePanel` says so before the person chooses one.

Other widgets adopt it through :mod:`widgets.exercises.sealing` (one person's key for the visit),
or directly with :func:`seal` / :func:`unseal` and :class:`SealedEntries`.
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

from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.kind_errors import kindly

if TYPE_CHECKING:  # the cryptography is imported when a key is made, not with every page
    from cryptography.fernet import Fernet

    from widgets.store import Entry, Store

#: Argon2id settings for new entries: 46 MiB and two passes (OWASP's first option is
#: m=46 MiB, t=1; its floor m=19 MiB, t=2; this is above both), about 0.1 s on a laptop.
ARGON2_MEMORY_KIB, ARGON2_TIME, ARGON2_PARALLELISM = 47_104, 2, 1
MAX_MEMORY_BYTES = 256 * 1024 * 1024  # no stored value may demand more to be opened
MAX_TIME_COST = 10
MAX_PARALLELISM = 8
SALT_BYTES = 16
MIN_PASSPHRASE = 12  # OWASP ASVS: at least 12 characters
MAX_PASSPHRASE = 1024
_TEXT = "surrogatepass"  # any Python string round-trips, even lone surrogates

SealReason = Literal["short", "long", "wrong", "not-sealed", "damaged", "locked"]


class SealError(ValueError):
    """A passphrase or a sealed value that cannot be used; ``reason`` names the content key
    (``sealed.errors.<reason>``) with kind words for the person."""

    def __init__(self, reason: SealReason, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason: SealReason = reason


@dataclass(frozen=True)
class SealKey:
    """A key derived from a passphrase, a salt and settings: derive once, seal many entries.

    ``settings`` are the stored derivation settings (``kdf`` and its numbers).
    """

    salt: bytes
    settings: tuple[tuple[str, Any], ...]
    fernet: Fernet


def check_passphrase(passphrase: str) -> str:
    """``passphrase`` if it is long enough to resist guessing, else :class:`SealError`."""
    if not isinstance(passphrase, str) or len(passphrase.strip()) < MIN_PASSPHRASE:
        raise SealError("short", f"A passphrase needs at least {MIN_PASSPHRASE} characters.")
    if len(passphrase) > MAX_PASSPHRASE:
        raise SealError("long", f"A passphrase has at most {MAX_PASSPHRASE} characters.")
    return passphrase


def default_settings() -> dict[str, Any]:
    """The derivation settings new entries are sealed with."""
    return {"kdf": "argon2id", "m": ARGON2_MEMORY_KIB, "t": ARGON2_TIME, "p": ARGON2_PARALLELISM}


def checked_settings(value: Any) -> dict[str, Any]:
    """The derivation settings stored in a sealed value, or :class:`SealError` ("damaged")
    when they are unknown, malformed, or would cost more than the caps to open."""
    try:
        kdf = value.get("kdf")
        if kdf == "argon2id":
            m, t, p = (_whole(value.get(name)) for name in ("m", "t", "p"))
            if not (8 * p <= m and m * 1024 <= MAX_MEMORY_BYTES and 1 <= t <= MAX_TIME_COST and 1 <= p <= MAX_PARALLELISM):
                raise ValueError(f"argon2id m={m} KiB, t={t}, p={p} is outside the allowed range")
            return {"kdf": kdf, "m": m, "t": t, "p": p}
        if kdf == "scrypt":
            n, r, p = (_whole(value.get(name)) for name in ("n", "r", "p"))
            if not (n >= 2 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= MAX_PARALLELISM):
                raise ValueError(f"scrypt n={n}, r={r}, p={p} is outside the allowed range")
            if 128 * n * r * (p + 1) > MAX_MEMORY_BYTES:
                raise ValueError(f"scrypt n={n}, r={r}, p={p} needs more than 256 MiB")
            return {"kdf": kdf, "n": n, "r": r, "p": p}
    except (TypeError, ValueError, OverflowError, AttributeError) as error:
        raise SealError("damaged", f"The sealed entry's settings are unusable: {error}") from None
    raise SealError("damaged", f"The sealed entry's key derivation {kdf!r} is unknown.")


def _whole(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise TypeError(f"{raw!r} is not a whole number")
    return raw


def derive_key(passphrase: str, salt: bytes | None = None, settings: dict[str, Any] | None = None) -> SealKey:
    """The key for ``passphrase`` and ``salt`` (a new random salt when None) under
    ``settings`` (checked against the caps; :func:`default_settings` when None)."""
    from cryptography.fernet import Fernet

    check_passphrase(passphrase)
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    chosen = checked_settings(settings or default_settings())
    secret = passphrase.encode("utf-8", _TEXT)
    if chosen["kdf"] == "argon2id":
        from argon2.low_level import Type, hash_secret_raw

        raw = hash_secret_raw(
            secret, salt, time_cost=chosen["t"], memory_cost=chosen["m"],
            parallelism=chosen["p"], hash_len=32, type=Type.ID,
        )
    else:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        raw = Scrypt(salt=salt, length=32, n=chosen["n"], r=chosen["r"], p=chosen["p"]).derive(secret)
    return SealKey(salt, tuple(sorted(chosen.items())), Fernet(base64.urlsafe_b64encode(raw)))


def is_sealed(value: Any) -> bool:
    """Whether a stored value is a sealed entry (whatever its passphrase)."""
    return isinstance(value, dict) and value.get("sealed") in (1, 2) and "token" in value


def seal(text: str, passphrase: str | SealKey) -> dict[str, Any]:
    """``text`` as a sealed JSON value; a passphrase gets a fresh salt, a key reuses its own."""
    if not isinstance(text, str):
        raise TypeError("only text can be sealed")
    key = passphrase if isinstance(passphrase, SealKey) else derive_key(passphrase)
    token = key.fernet.encrypt(text.encode("utf-8", _TEXT)).decode("ascii")
    return {
        "sealed": 2 if dict(key.settings)["kdf"] == "argon2id" else 1, **dict(key.settings),
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


def settings_of(value: Any) -> tuple[tuple[str, Any], ...]:
    """The checked derivation settings a sealed value was made with (see :func:`checked_settings`)."""
    if not is_sealed(value):
        raise SealError("not-sealed", "This value is not a sealed entry.")
    return tuple(sorted(checked_settings(value).items()))


def unseal(value: Any, passphrase: str | SealKey) -> str:
    """The text inside a sealed value, opened with the value's own salt and settings;
    ``SealError("wrong")`` for another passphrase, ``("damaged")`` for unusable settings."""
    salt, settings = salt_of(value), settings_of(value)
    if isinstance(passphrase, SealKey):
        if (passphrase.salt, passphrase.settings) != (salt, settings):
            raise SealError("wrong", "This key was made with another salt or other settings.")
        key = passphrase
    else:
        key = derive_key(passphrase, salt, dict(settings))
    from cryptography.fernet import InvalidToken

    try:
        return key.fernet.decrypt(str(value.get("token", "")).encode("ascii", "replace")).decode("utf-8", _TEXT)
    except InvalidToken:
        raise SealError("wrong", "The passphrase does not open this entry.") from None


class SealedEntries:
    """One person's sealed answers in a :class:`~widgets.store.Store`.

    New entries share one key (the salt and settings of the person's first sealed entry
    made with today's settings), so saving stays quick after the first time; every entry
    is opened with its own salt and settings, each key derived once.

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
        self._keys: dict[tuple[bytes, tuple[tuple[str, Any], ...]], SealKey] = {}
        current = tuple(sorted(default_settings().items()))
        existing = self._sealed_values()
        reusable = [v for v in existing if _settings_or_none(v) == current]
        self._key = self.key_for(reusable[0]) if reusable else derive_key(passphrase)
        self._keys[(self._key.salt, self._key.settings)] = self._key
        if existing:
            unseal(existing[0], self.key_for(existing[0]))  # a wrong passphrase fails here

    @property
    def key(self) -> SealKey:
        """The key new entries are sealed with."""
        return self._key

    def add(self, app: str, key: str, text: str) -> int:
        """Seal ``text`` and save it as one entry; returns its id."""
        return self.store.add_entry(self.code, app, key, seal(text, self._key))

    def open(self, value: Any) -> str:
        """The text of one sealed value, with its own salt and settings."""
        return unseal(value, self.key_for(value))

    def entries(self, app: str | None = None) -> list[Entry]:
        """The person's entries with sealed values opened (unsealed ones unchanged)."""
        opened = []
        for entry in self.store.entries(self.code, app):
            if is_sealed(entry.value):
                entry = replace(entry, value=self.open(entry.value))
            opened.append(entry)
        return opened

    def key_for(self, value: Any) -> SealKey:
        """The key that opens ``value``: derived once per salt and settings."""
        wanted = (salt_of(value), settings_of(value))
        if wanted not in self._keys:
            self._keys[wanted] = derive_key(self._passphrase, wanted[0], dict(wanted[1]))
        return self._keys[wanted]

    def _sealed_values(self) -> list[Any]:
        return [e.value for e in self.store.entries(self.code) if is_sealed(e.value)]


def _settings_or_none(value: Any) -> tuple[tuple[str, Any], ...] | None:
    try:
        return settings_of(value)
    except SealError:
        return None


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
