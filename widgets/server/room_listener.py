"""The light join listener: the ONLY thing the local network ever sees.

When a facilitator opens rooms to phones on the same Wi-Fi, Within starts this small
Tornado application on the computer's LAN address (``within serve --rooms-lan`` adds it
beside Voilà; ``within rooms --lan`` runs it alone). It serves exactly:

- ``GET /``, ``/join`` and ``/r/<code>``: the join page (plain HTML, no Voilà kernel);
- ``GET /join.js``, ``/join.css`` and the Sarabun fonts;
- ``GET /api/rooms/<code>``: the room's state and current question (never any answers);
- ``POST /api/rooms/<code>/answers``: one anonymous answer (JSON, at most 2 KB).

Everything else is a 404: no Voilà page, static file, kernel or API exists on this
address, so staff pages, screening, tallies and exports stay on 127.0.0.1, and a request
naming another Host is refused (421). Each phone costs a few kilobytes, not a kernel. Each
phone gets a random cookie the listener keeps in memory only, with the answer it gave to
each question: one phone gives one answer per question, and a later one replaces it.
Requests are rate-limited per address (kept in memory only, never stored), words typed by
people are escaped on the server and set with ``textContent`` in the page, and a strict
Content-Security-Policy allows only this server.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import json
import secrets
import time
from collections import OrderedDict, defaultdict, deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.ioloop
import tornado.log
import tornado.web

from widgets.core import paths
from widgets.core.content import DEFAULT_LANGUAGE, library
from widgets.rooms.listener import forget_listener, record_listener
from widgets.rooms.model import RoomError, Rooms, normalise_join_code
from widgets.store import StoreError

STATIC = Path(__file__).parent / "static" / "rooms"
MAX_BODY = 2048
PURGE_EVERY_MS = 60_000
FONT_FILES = {
    f"sarabun-{script}-{weight}-normal.woff2"
    for script in ("thai", "latin", "latin-ext")
    for weight in (400, 700)
}
#: (requests, seconds) allowed per client address, by kind of request; "phone" is new
#: phone cookies, so clearing cookies does not buy a phone more answers.
LIMITS = {"page": (60, 60.0), "poll": (120, 60.0), "answer": (30, 60.0), "phone": (10, 600.0)}
MAX_TRACKED = 10_000  # (address, kind) pairs the limiter keeps before trimming
MAX_PHONES = 20_000
PHONE_COOKIE = "within_phone"

CSP_DIRECTIVES = (
    "default-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)
CSP = "; ".join(CSP_DIRECTIVES)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
}


class RateLimiter:
    """A sliding window per client address and kind; addresses live in memory only.

    Memory is bounded without ever forgetting everyone at once: past ``max_tracked`` keys,
    keys whose window has passed are dropped, then, if still too many, the quieter half (an
    address at its limit is among the busiest, so it stays limited).
    """

    def __init__(
        self, limits: dict[str, tuple[int, float]] | None = None, max_tracked: int = MAX_TRACKED
    ) -> None:
        self.limits = limits or LIMITS
        self.max_tracked = max_tracked
        self._seen: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def allow(self, address: str, kind: str, now: float | None = None) -> bool:
        count, window = self.limits[kind]
        now = time.monotonic() if now is None else now
        if len(self._seen) >= self.max_tracked and (address, kind) not in self._seen:
            self._trim(now)
        times = self._seen[(address, kind)]
        while times and now - times[0] > window:
            times.popleft()
        if len(times) >= count:
            return False
        times.append(now)
        return True

    def _trim(self, now: float) -> None:
        for key, times in list(self._seen.items()):
            if not times or now - times[-1] > self.limits[key[1]][1]:
                del self._seen[key]
        if len(self._seen) >= self.max_tracked:
            by_use = sorted(self._seen, key=lambda key: len(self._seen[key]))
            for key in by_use[: len(by_use) // 2 + 1]:
                del self._seen[key]


class Phones:
    """Which answer each phone gave to each question, in memory only (never stored).

    A phone is a random cookie this listener handed out; it says nothing about the person
    or the device and is forgotten when the listener stops. Past ``max_phones`` the phone
    seen least recently is forgotten, one at a time.
    """

    def __init__(self, max_phones: int = MAX_PHONES) -> None:
        self.max_phones = max_phones
        self._answers: OrderedDict[str, dict[tuple[str, int], int]] = OrderedDict()

    def new(self) -> str:
        token = secrets.token_urlsafe(18)
        self._answers[token] = {}
        while len(self._answers) > self.max_phones:
            self._answers.popitem(last=False)
        return token

    def known(self, token: str | None) -> bool:
        return token is not None and token in self._answers

    def previous(self, token: str, question: tuple[str, int]) -> int | None:
        self._answers.move_to_end(token)
        return self._answers[token].get(question)

    def remember(self, token: str, question: tuple[str, int], answer_id: int) -> None:
        if token in self._answers:
            self._answers[token][question] = answer_id


class _Base(tornado.web.RequestHandler):
    def initialize(
        self,
        rooms: Rooms,
        limiter: RateLimiter,
        lang: str,
        hosts: frozenset[str] | None,
        phones: Phones,
    ) -> None:
        self.rooms, self.limiter, self.lang, self.hosts = rooms, limiter, lang, hosts
        self.phones = phones

    def phone(self) -> str | None:
        """This phone's cookie, handing out a new one if it has none this listener knows
        (None when this address has had too many new ones lately)."""
        token = self.get_cookie(PHONE_COOKIE)
        if self.phones.known(token):
            return token
        if not self.limiter.allow(self.request.remote_ip or "?", "phone"):
            return None
        token = self.phones.new()
        self.set_cookie(PHONE_COOKIE, token, httponly=True, samesite="Strict", path="/")
        return token

    def prepare(self) -> None:
        """Only the address phones were given: another Host is a page elsewhere trying to
        reach the listener through a name it controls (DNS rebinding)."""
        if self.hosts is not None and self.request.host.lower() not in self.hosts:
            raise tornado.web.HTTPError(421)

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        for name, value in HEADERS.items():
            self.set_header(name, value)

    def limited(self, kind: str) -> bool:
        if self.limiter.allow(self.request.remote_ip or "?", kind):
            return False
        self.set_status(429)
        self.finish({"error": "busy"})
        return True

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Tornado's own report names the phone's address and the path (a room code): say
        only what went wrong. Refusals (HTTP errors) are answers, not faults."""
        if not isinstance(value, tornado.web.HTTPError):
            tornado.log.app_log.error(
                "join listener: %s failed", self.request.method, exc_info=(typ, value, tb)
            )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}\n")

    async def in_thread(self, fn: Any, *args: Any) -> Any:
        """Store calls are short but may wait for a writer: keep them off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


class NotFound(_Base):
    def prepare(self) -> None:
        super().prepare()
        raise tornado.web.HTTPError(404)


class JoinPage(_Base):
    """The join page: a form for the code, or a room's page that loads its question."""

    async def get(self, code: str | None = None) -> None:
        if self.limited("page"):
            return
        typed = self.get_query_argument("code", "")
        if code is None and typed:
            try:
                self.redirect(f"/r/{normalise_join_code(typed)}")
                return
            except RoomError:
                code = None
        lang = library().language(self.get_query_argument("lang", self.lang))
        self.phone()
        room_code = ""
        if code is not None:
            try:
                room_code = normalise_join_code(code)
                room = await self.in_thread(self.rooms.get, room_code)
                if room is not None:
                    lang = room.lang
            except RoomError:
                room_code = ""
            except StoreError:
                pass  # the page still loads; its script retries the question
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            join_page(
                lang, room_code, problem="unknown" if (code or typed) and not room_code else ""
            )
        )


class RoomApi(_Base):
    """A room's state and current question (no answers ever leave through here)."""

    async def get(self, code: str) -> None:
        if self.limited("poll"):
            return
        try:
            self.finish(await self.in_thread(self.rooms.public, code))
        except RoomError as error:
            self.set_status(404)
            self.finish({"error": error.reason})
        except StoreError:
            self.set_status(503)
            self.finish({"error": "busy"})


class AnswerApi(_Base):
    """One anonymous answer: ``{"question_no": n, "value": ...}`` as JSON."""

    def prepare(self) -> None:
        """JSON only (a cross-site form cannot send it) and same origin."""
        super().prepare()
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise tornado.web.HTTPError(415)
        origin = self.request.headers.get("Origin")
        if origin and origin.split("://", 1)[-1] != self.request.host:
            raise tornado.web.HTTPError(403)

    async def post(self, code: str) -> None:
        if self.limited("answer"):
            return
        if len(self.request.body) > MAX_BODY:
            raise tornado.web.HTTPError(413)
        try:
            data = json.loads(self.request.body or b"{}")
            question_no = data["question_no"]
            value = data["value"]
            if not isinstance(question_no, int):
                raise TypeError("question_no")
        except (ValueError, KeyError, TypeError):
            self.set_status(400)
            self.finish({"error": "invalid"})
            return
        phone = self.phone()
        if phone is None:
            self.set_status(429)
            self.finish({"error": "busy"})
            return
        try:
            room_code = normalise_join_code(code)
            question = (room_code, question_no)
            state, answer_id = await self.in_thread(
                lambda: self.rooms.submit(
                    room_code, question_no, value, replaces=self.phones.previous(phone, question)
                )
            )
        except RoomError as error:
            self.set_status(409 if error.reason in ("stale", "closed", "full") else 400)
            if error.reason == "unknown":
                self.set_status(404)
            self.finish({"error": error.reason})
            return
        except StoreError:
            self.set_status(503)
            self.finish({"error": "busy"})
            return
        self.phones.remember(phone, question, answer_id)
        del state  # held or shown: the person is thanked the same way
        self.finish({"ok": True})


class Asset(_Base):
    """The page's script and style, and the Thai-capable fonts; nothing else."""

    def get(self, name: str) -> None:
        if name in ("join.js", "join.css"):
            path = STATIC / name
            kind = "text/javascript" if name.endswith(".js") else "text/css"
        elif name == "palette.css":
            path, kind = paths.palette_file(), "text/css"
        elif name in FONT_FILES:
            path, kind = paths.template_static_dir() / "fonts" / name, "font/woff2"
        else:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "max-age=3600")
        self.finish(path.read_bytes())


def join_words(lang: str) -> dict[str, Any]:
    """Every word the join page shows, in ``lang``."""
    english = library().strings(DEFAULT_LANGUAGE, "rooms")["join"]
    words: dict[str, Any] = {}
    for key, value in english.items():
        if isinstance(value, dict):
            words[key] = {k: library().text(lang, f"rooms.join.{key}.{k}") for k in value}
        else:
            words[key] = (
                library().text(lang, f"rooms.join.{key}", pick="{pick}")
                if key == "values_hint"
                else library().text(lang, f"rooms.join.{key}")
            )
    return words


def join_page(lang: str, code: str = "", problem: str = "") -> str:
    """The join page's HTML: words escaped here, everything dynamic set by ``join.js``."""
    words = join_words(lang)
    e = html.escape
    data = json.dumps({"lang": lang, "code": code, "words": words}, ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    problem_html = (
        f'<p class="note problem" role="alert">{e(words["errors"][problem])}</p>' if problem else ""
    )
    if code:
        main = (
            f'<p class="room-code">{e(words["code_label"])}: <strong>{e(code)}</strong></p>'
            f'<div id="question" aria-live="polite"><p class="note">{e(words["waiting"])}</p></div>'
            '<p id="status" class="note" role="status" aria-live="polite"></p>'
        )
    else:
        main = (
            f'<form method="get" action="/join" class="join-form">{problem_html}'
            f'<label for="code">{e(words["code_label"])}</label>'
            f'<p id="code-hint" class="hint">{e(words["code_hint"])}</p>'
            '<input id="code" name="code" autocomplete="off" autocapitalize="characters" '
            'spellcheck="false" maxlength="12" inputmode="text" aria-describedby="code-hint" required>'
            f'<button type="submit">{e(words["join_button"])}</button></form>'
        )
    return (
        "<!doctype html>"
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{e(words['page_title'])}</title>"
        '<link rel="stylesheet" href="/palette.css"><link rel="stylesheet" href="/join.css"></head><body>'
        f"<main><h1>{e(words['heading'])}</h1><p>{e(words['intro'])}</p>{main}"
        f'<p class="privacy">{e(words["privacy"])}</p></main>'
        f'<script type="application/json" id="within-join-data">{data}</script>'
        '<script src="/join.js" defer></script></body></html>'
    )


def application(
    rooms: Rooms | None = None, lang: str = DEFAULT_LANGUAGE, *, hosts: Iterable[str] | None = None
) -> tornado.web.Application:
    """The join listener's whole Tornado application (and nothing else).

    ``hosts`` are the Host headers it answers (the address phones were given); any other
    is refused, so a web page elsewhere cannot reach it by DNS rebinding. None accepts any
    (tests talking to it on a throwaway port).
    """
    options = {
        "rooms": rooms or Rooms(),
        "limiter": RateLimiter(),
        "lang": lang,
        "hosts": frozenset(hosts) if hosts is not None else None,
        "phones": Phones(),
    }
    code = r"([A-Za-z0-9\-]{1,12})"
    return tornado.web.Application(
        [
            (r"/", JoinPage, options),
            (r"/join", JoinPage, options),
            (rf"/r/{code}", JoinPage, options),
            (rf"/api/rooms/{code}", RoomApi, options),
            (rf"/api/rooms/{code}/answers", AnswerApi, options),
            (r"/(join\.js|join\.css|palette\.css|sarabun-[a-z\-]+-[47]00-normal\.woff2)", Asset, options),
        ],
        default_handler_class=NotFound,
        default_handler_args=options,
        xsrf_cookies=False,
        compress_response=True,
        log_function=_log_without_addresses,
    )


def _log_without_addresses(handler: tornado.web.RequestHandler) -> None:
    """Log only server errors, and never who asked (no addresses, no paths with codes)."""
    if handler.get_status() >= 500:
        tornado.log.access_log.error("join listener: %s %d", handler.request.method, handler.get_status())


def check_address(address: str) -> str:
    """A concrete IPv4/IPv6 address to bind to; "all addresses" is refused on purpose."""
    ip = ipaddress.ip_address(address)
    if ip.is_unspecified:
        raise ValueError("choose the one network address phones use (not 0.0.0.0 or ::)")
    return str(ip)


def lan_addresses() -> list[str]:
    """This computer's private IPv4 addresses (the Wi-Fi a session's phones share)."""
    import psutil

    found = []
    for entries in psutil.net_if_addrs().values():
        for entry in entries:
            if getattr(entry.family, "name", "") != "AF_INET":
                continue
            ip = ipaddress.ip_address(entry.address)
            if ip.is_private and not ip.is_loopback and not ip.is_link_local:
                found.append(str(ip))
    return found


def allowed_hosts(address: str, port: int) -> set[str]:
    """The Host headers a phone sends for :func:`join_url` (with the port, or without it
    when the port is the scheme's default)."""
    host = f"[{address}]" if ":" in address else address
    return {f"{host}:{port}"} | ({host} if port == 80 else set())


def join_url(address: str, port: int) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}/"


def listen(address: str, port: int, lang: str = DEFAULT_LANGUAGE) -> tornado.httpserver.HTTPServer:
    """Start the join listener on the running (or next started) event loop."""
    address = check_address(address)
    server = tornado.httpserver.HTTPServer(
        application(lang=lang, hosts=allowed_hosts(address, port)),
        max_body_size=MAX_BODY * 2,
        xheaders=False,
        idle_connection_timeout=60,
    )
    server.listen(port, address=address)
    record_listener(join_url(address, port))
    rooms = Rooms()

    async def purge() -> None:  # closed rooms' free text goes after its time
        try:
            await asyncio.get_running_loop().run_in_executor(None, rooms.purge_expired)
        except StoreError:
            pass  # busy: the next round will do it

    tornado.ioloop.PeriodicCallback(purge, PURGE_EVERY_MS).start()
    return server


def serve(address: str, port: int, lang: str = DEFAULT_LANGUAGE) -> int:
    """Run the join listener alone until stopped."""
    import signal

    async def main() -> None:
        listen(address, port, lang)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()

    try:
        asyncio.run(main())
    finally:
        forget_listener()
    return 0


def exposure_message(address: str, port: int) -> str:
    """What is reachable from other devices, said plainly (for the terminal)."""
    url = join_url(address, port)
    return (
        f"Group rooms: phones on this network can open {url} . Only the join page and its "
        "answers are served there; every other Within page, screening, tallies and exports "
        "stay on 127.0.0.1 (this computer)."
    )
