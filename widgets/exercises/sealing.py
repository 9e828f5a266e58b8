"""Sealing a person's own writing for real: the choice, the key for the visit, and the text.

Free text a person writes about themselves (reflections, goal notes, check-in notes, thought
records) can be sealed with a passphrase they choose. :class:`SealPanel` offers it once,
with an honest warning, right after the code: the choice is kept as a consent answer
(scope ``sealed-writing``), so it is not asked again. A person who says no, or never
answers, sees nothing change: their words are saved as before.

Once chosen, the key lives only in this kernel's memory for the visit (the server sees the
passphrase while the page is open, and forgets it when the page closes); a later visit asks
for it again. While it is not typed, sealed words show as locked and new words cannot be
saved, since saving them in the clear would break the promise.

Apps call :func:`seal_text` before saving and :func:`open_text` when showing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.kind_errors import kindly
from widgets.exercises.sealed import PassphrasePanel, SealedEntries, SealError, is_sealed, seal

if TYPE_CHECKING:
    from widgets.store import Store

SCOPE = "sealed-writing"
TEXT_VERSION = "sealed-offer-1"
CHECK_APP, CHECK_KEY, CHECK_TEXT = "sealed", "check", "within"

#: Unlocked keys, by database and code: this kernel's memory only, one page's visit.
_open: dict[tuple[str, str], SealedEntries] = {}


class Locked(SealError):
    """New words cannot be saved: the person seals their writing and has not typed their
    passphrase in this visit (``sealed.errors.locked`` says so kindly)."""

    def __init__(self) -> None:
        super().__init__("locked", "Type the passphrase before saving new words.")


def chosen(store: Store, code: str) -> bool | None:
    """True if ``code`` seals their writing, False if they said no, None if never asked."""
    answers = [c for c in store.consents(code) if c.scope == SCOPE]
    return answers[-1].given if answers else None


def unlocked(store: Store, code: str) -> SealedEntries | None:
    """The person's key for this visit, if they typed their passphrase."""
    return _open.get((store.url, code))


def choose(store: Store, code: str, passphrase: str) -> SealedEntries:
    """Seal ``code``'s writing from now on with ``passphrase`` (checked for length)."""
    entries = SealedEntries(store, code, passphrase)
    entries.add(CHECK_APP, CHECK_KEY, CHECK_TEXT)  # lets a later visit tell a wrong passphrase
    store.record_consent(code, SCOPE, TEXT_VERSION, given=True)
    _open[(store.url, code)] = entries
    return entries


def decline(store: Store, code: str) -> None:
    """Keep ``code``'s writing as it is (not sealed); the offer is not made again."""
    store.record_consent(code, SCOPE, TEXT_VERSION, given=False)


def unlock(store: Store, code: str, passphrase: str) -> bool:
    """Open ``code``'s sealed writing for this visit; False for a wrong passphrase."""
    try:
        _open[(store.url, code)] = SealedEntries(store, code, passphrase)
    except SealError as error:
        if error.reason == "wrong":
            return False
        raise
    return True


def forget(store: Store, code: str) -> None:
    """Drop the visit's key (the person leaves, or deletes everything)."""
    _open.pop((store.url, code), None)


def seal_text(store: Store | None, code: str, text: str) -> str | dict[str, Any]:
    """``text`` as it should be saved: sealed if the person seals their writing, else as is.

    Raises :class:`Locked` when they seal it but have not typed their passphrase yet.
    """
    if store is None or not code or not text or not chosen(store, code):
        return text
    entries = unlocked(store, code)
    if entries is None:
        raise Locked()
    return seal(text, entries.key)


def open_text(store: Store | None, code: str, value: Any, t: Callable[..., str]) -> str:
    """The words to show for a saved text: opened if sealed and unlocked, else a note."""
    if not is_sealed(value):
        return "" if value is None else str(value)
    entries = unlocked(store, code) if store is not None else None
    if entries is None:
        return t("sealed.locked_text")
    try:
        return entries.open(value)
    except SealError as error:
        return t(f"sealed.errors.{error.reason}", least=0, most=0)


def seal_fields(store: Store | None, code: str, value: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """A copy of a saved record with its free-text ``fields`` passed through :func:`seal_text`."""
    return {
        name: seal_text(store, code, item) if name in fields and isinstance(item, str) else item
        for name, item in value.items()
    }


def open_fields(store: Store | None, code: str, value: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """A copy of a saved record with its sealed ``fields`` opened.

    A field that cannot be opened now (passphrase not typed, or damaged) becomes "", and
    the record gets ``"locked": True`` so the app can say so and not save over it.
    """
    opened = dict(value)
    for name in fields:
        if not is_sealed(value.get(name)):
            continue
        entries = unlocked(store, code) if store is not None else None
        try:
            opened[name] = entries.open(value[name]) if entries is not None else None
        except SealError:
            opened[name] = None
        if opened[name] is None:
            opened[name] = ""
            opened["locked"] = True
    return opened


class SealPanel(w.VBox):
    """The offer to seal one's writing (once), or the passphrase to open it (each visit).

    Shows nothing for a person who said no, or who already opened their writing.

    Parameters
    ----------
    context, store, code:
        The page's language and mode, the store, and the person's code.
    on_unlocked:
        Called once the passphrase is set or typed, so the page can show opened words.
    """

    def __init__(
        self,
        context: PageContext,
        store: Store,
        code: str,
        *,
        on_unlocked: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context, self.store, self.code = context, store, code
        self._on_unlocked = on_unlocked
        self.add_class("within-seal-panel")
        self.message = w.HTML()
        self.passphrase_panel: PassphrasePanel | None = None
        self.offer_button: w.Button | None = None
        self.decline_button: w.Button | None = None
        self.forgot_button: w.Button | None = None
        self.stop_button: w.Button | None = None
        if context.projector or not code:
            return
        kindly(context.lang, self._say)(self._draw)()

    def _draw(self) -> None:
        t = self.context.t
        choice = chosen(self.store, self.code)
        if choice is False or (choice and unlocked(self.store, self.code)):
            self.children = []
            return
        if choice:
            panel = PassphrasePanel(
                self.context, existing=True, check=lambda typed: unlock(self.store, self.code, typed)
            )
            panel.observe(lambda _c: self._unlocked(), names="passphrase")
            self.passphrase_panel = panel
            self.forgot_button = w.Button(description=t("sealed.forgot.button"))
            self.forgot_button.on_click(kindly(self.context.lang, self._say)(lambda _b: self._forgot()))
            self.children = [panel, self.forgot_button, self.message]
            return
        offer = w.HTML(
            f"<h2>{plain(t('sealed.offer.heading'))}</h2><p>{plain(t('sealed.offer.intro'))}</p>"
            f'<p class="within-note" role="note"><strong>{plain(t("sealed.no_recovery"))}</strong></p>'
            f'<p class="within-note">{plain(t("sealed.offer.server"))}</p>'
        )
        self.offer_button = w.Button(description=t("sealed.offer.accept"), button_style="primary")
        self.decline_button = w.Button(description=t("sealed.offer.decline"))
        self.offer_button.on_click(kindly(self.context.lang, self._say)(lambda _b: self._start_choosing()))
        self.decline_button.on_click(kindly(self.context.lang, self._say)(lambda _b: self.decline()))
        self.children = [offer, w.HBox([self.offer_button, self.decline_button]), self.message]

    def _forgot(self) -> None:
        """A lost passphrase is not a trap: say plainly what is lost, offer to go on."""
        t = self.context.t
        self.stop_button = w.Button(description=t("sealed.forgot.stop"), button_style="primary")
        self.stop_button.on_click(kindly(self.context.lang, self._say)(lambda _b: self.stop_sealing()))
        explained = w.HTML(f'<p class="within-note" role="note">{plain(t("sealed.forgot.explain"))}</p>')
        self.children = [explained, self.stop_button, self.message]

    def stop_sealing(self) -> None:
        """After a lost passphrase: new words are saved unlocked again; locked ones stay locked."""
        decline(self.store, self.code)
        self.children = [self.message]
        self._say(self.context.t("sealed.forgot.stopped"))
        if self._on_unlocked is not None:
            self._on_unlocked()

    def decline(self) -> None:
        """The person keeps their writing as it is: the panel goes, nothing else changes."""
        decline(self.store, self.code)
        self.children = []

    def _start_choosing(self) -> None:
        panel = PassphrasePanel(self.context)
        panel.observe(lambda change: self._chosen(change["new"]), names="passphrase")
        self.passphrase_panel = panel
        self.children = [panel, self.message]

    def _chosen(self, passphrase: str) -> None:
        if passphrase:
            kindly(self.context.lang, self._say)(choose)(self.store, self.code, passphrase)
            self._unlocked()

    def _unlocked(self) -> None:
        if unlocked(self.store, self.code) is None:
            return
        self.children = [self.message]
        self._say(self.context.t("sealed.accepted"))
        if self._on_unlocked is not None:
            self._on_unlocked()

    def _say(self, message: str) -> None:
        self.message.value = f'<p class="within-note" role="status">{plain(message)}</p>'
