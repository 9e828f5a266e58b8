"""Issue 15, group rooms: moderation after normalisation, names held, one answer per phone,
a limiter that never forgets everyone, and a Host check on the join listener.

Findings: the word list was beaten by a look-alike letter (Cyrillic "а"), spacing,
zero-width characters and digits for letters; a person's name went straight to the
projector; one phone could post 30 answers a minute and fill a question's 1 000-answer cap
in about half an hour; the rate limiter forgot everyone once it had seen 10 000 addresses;
the LAN listener checked no Host.
"""

from __future__ import annotations

import random
import unicodedata
from http.cookies import SimpleCookie

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.hypothesis_profile import tried
from support.listener import exchange

from widgets.rooms.model import Rooms
from widgets.rooms.moderation import flags, normalise, word_lists
from widgets.rooms.name_check import looks_like_name
from widgets.server import room_listener as room_server
from widgets.server.room_listener import PHONE_COOKIE, RateLimiter, allowed_hosts
from widgets.store import Store


@pytest.fixture
def rooms(store: Store) -> Rooms:
    return Rooms(store)


@pytest.fixture
def word_room(rooms: Rooms):
    return rooms.ask(rooms.open(), "helps")


# -- moderation after normalisation -----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("\u0430ddict", "addict"),  # Cyrillic а, the review's example
        ("junk\u0456e", "junkie"),  # Cyrillic і
        ("idi\u03bft", "idiot"),  # Greek ο
        ("ｊｕｎｋｉｅ", "junkie"),  # fullwidth
        ("𝐣𝐮𝐧𝐤𝐢𝐞", "junkie"),  # mathematical bold
        ("jun\u200bkie", "junkie"),  # zero-width space
        ("s\u200dc\u2060u\ufeffm", "scum"),  # joiner, word joiner, BOM
        ("j u n k i e", "junkie"),  # spacing
        ("j.u.n.k.i.e", "junkie"),
        ("jun-kie", "junkie"),
        ("jun*kie", "junkie"),
        ("1d10t", "idiot"),  # digits for letters
        ("5cum", "scum"),
        ("l0s3r", "loser"),
        ("jùnkíe", "junkie"),  # accents
        ("ขี้ ยา", "ขี้ยา"),  # Thai, spaced
        ("ขี้\u200bยา", "ขี้ยา"),  # Thai, zero-width space
        ("โง่ ๆ", "โง่"),
    ],
)
def test_disguised_words_are_still_flagged_and_held(
    rooms: Rooms, word_room, typed: str, listed: str
) -> None:
    assert listed in flags(typed)
    assert rooms.answer(word_room.join_code, word_room.question_no, typed) == "held"
    picture = rooms.picture(word_room)
    assert picture.words == [] and len(picture.held) == 1


@pytest.mark.parametrize(
    "innocent",
    ["addiction services", "skilful", "use less", "hope", "10 people", "ครู", "ความหวัง", "Scunthorpe"],
)
def test_innocent_words_stay_unflagged(innocent: str) -> None:
    assert flags(innocent) == []


LOOK_ALIKES = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440",
               "x": "\u0445", "y": "\u0443", "i": "\u0456", "s": "\u0455", "j": "\u0458"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@given(
    word=st.sampled_from([w for w in word_lists()["en"] if " " not in w]),
    seed=st.integers(0, 2**32 - 1),
    disguises=st.sets(st.sampled_from(["look-alike", "invisible", "case", "spaced", "fullwidth"])),
)
def test_any_mix_of_disguises_is_seen_through(word: str, seed: int, disguises: set[str]) -> None:
    tried("moderation normaliser")
    pick = random.Random(seed)
    letters = list(word)
    if "look-alike" in disguises:
        letters = [LOOK_ALIKES.get(ch, ch) if pick.random() < 0.5 else ch for ch in letters]
    if "case" in disguises:
        letters = [ch.upper() if pick.random() < 0.5 else ch for ch in letters]
    if "fullwidth" in disguises:
        letters = [chr(ord(ch) + 0xFEE0) if "a" <= ch.lower() <= "z" and ch.isascii() and pick.random() < 0.5 else ch for ch in letters]
    if "invisible" in disguises:
        letters = [ch + (pick.choice(INVISIBLE) if pick.random() < 0.5 else "") for ch in letters]
    text = (" " if "spaced" in disguises else "").join(letters)
    assert word in flags(f"they called me {text} today")


@given(st.text(max_size=40))
def test_the_normaliser_is_total_and_stable(text: str) -> None:
    tried("moderation normaliser")
    normal = normalise(text)
    assert normalise(normal) == normal
    assert not any(unicodedata.category(ch) == "Cf" for ch in normal)
    assert not any("๐" <= ch <= "๙" for ch in normal)
    assert normal == normal.casefold()
    flags(text)  # never raises


@given(st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E3A), max_size=20))
def test_thai_letters_are_never_remapped(thai: str) -> None:
    tried("moderation normaliser")
    assert normalise(thai) == unicodedata.normalize("NFKC", thai).casefold()


# -- names are held for the facilitator ---------------------------------------------------


@pytest.mark.parametrize("name", ["Somchai Jaidee", "thanks to Somchai", "Mr Lee", "พี่ต้อม", "คุณสมชาย", "ขอบคุณพี่ต้อม", "น้องแพร", "นายดำ"])
def test_what_looks_like_a_name_is_held(rooms: Rooms, word_room, name: str) -> None:
    assert looks_like_name(name)
    assert rooms.answer(word_room.join_code, word_room.question_no, name) == "held"
    assert rooms.picture(word_room).words == []


@pytest.mark.parametrize("word", ["Hope", "my family", "I love Monday", "HIV", "คุณค่า", "ขอบคุณมาก", "ครอบครัว", "น้องๆ"])
def test_ordinary_answers_are_shown(rooms: Rooms, word_room, word: str) -> None:
    assert not looks_like_name(word)
    assert rooms.answer(word_room.join_code, word_room.question_no, word) == "shown"


# -- one answer per phone, per question ---------------------------------------------------


def _post(code: str, question_no: int, value: str, cookie: str | None = None, host: str | None = None) -> dict:
    request = {"path": f"/api/rooms/{code}/answers", "body": {"question_no": question_no, "value": value}}
    if cookie:
        request["headers"] = {"Cookie": f"{PHONE_COOKIE}={cookie}"}
    if host:
        request["host"] = host
    return request


def _cookie(response) -> SimpleCookie:
    jar = SimpleCookie()
    for header in response.headers.get_list("Set-Cookie"):
        jar.load(header)
    return jar


def test_one_phone_gives_one_answer_per_question_and_a_later_one_replaces_it(rooms: Rooms, word_room) -> None:
    code, number = word_room.join_code, word_room.question_no
    app = room_server.application(rooms, hosts=None)
    page, = exchange(app, [{"path": f"/r/{code}"}])
    jar = _cookie(page)
    token = jar[PHONE_COOKIE].value
    assert len(token) >= 24
    assert jar[PHONE_COOKIE]["httponly"] and jar[PHONE_COOKIE]["samesite"] == "Strict"
    responses = exchange(
        app,
        [_post(code, number, f"answer {n}", token) for n in range(25)]
        + [_post(code, number, "another phone")],
    )
    assert [r.code for r in responses] == [200] * 26
    picture = rooms.picture(word_room)
    assert [text for _id, text in picture.words] == ["answer 24", "another phone"]
    assert picture.count == 2
    next_room = rooms.ask(word_room, "helps")  # a new question: the phone answers again
    exchange(app, [_post(code, next_room.question_no, "new question", token)])
    assert rooms.picture(next_room).count == 1


def test_clearing_cookies_does_not_buy_more_answers(rooms: Rooms, word_room) -> None:
    """The review's flood: one phone posting again and again without its cookie."""
    app = room_server.application(rooms, hosts=None)
    statuses = [r.code for r in exchange(app, [_post(word_room.join_code, word_room.question_no, f"w{n}") for n in range(30)])]
    allowed = room_server.LIMITS["phone"][0]
    assert statuses[:allowed] == [200] * allowed and set(statuses[allowed:]) == {429}
    assert rooms.picture(word_room).count == allowed  # not 30 a minute, and not 1 000 in half an hour


def test_a_cookie_the_listener_did_not_hand_out_is_a_new_phone(rooms: Rooms, word_room) -> None:
    app = room_server.application(rooms, hosts=None)
    exchange(app, [_post(word_room.join_code, word_room.question_no, "one", "made-up"), _post(word_room.join_code, word_room.question_no, "two", "made-up")])
    assert rooms.picture(word_room).count == 2  # forged cookies replace nothing


# -- the limiter never forgets everyone at once -------------------------------------------


def test_an_address_at_its_limit_stays_limited_however_many_others_come() -> None:
    limiter = RateLimiter({"answer": (3, 60.0)}, max_tracked=1_000)
    for second in range(3):
        assert limiter.allow("10.0.0.9", "answer", second)
    assert not limiter.allow("10.0.0.9", "answer", 3)
    for n in range(20_000):  # the old limiter cleared everyone after 10 000 addresses
        limiter.allow(f"10.1.{n // 250}.{n % 250}", "answer", 4 + n / 1_000_000)
    assert not limiter.allow("10.0.0.9", "answer", 5)
    assert len(limiter._seen) <= 1_000
    assert limiter.allow("10.0.0.9", "answer", 70)  # its own window still passes


# -- the Host check -----------------------------------------------------------------------


def test_the_listener_answers_only_the_address_phones_were_given(rooms: Rooms, word_room) -> None:
    hosts = allowed_hosts("192.168.1.5", 8866)
    assert hosts == {"192.168.1.5:8866"}
    app = room_server.application(rooms, hosts=hosts)
    code = word_room.join_code
    good, rebound, answer_rebound, api_rebound = exchange(
        app,
        [
            {"path": "/", "host": "192.168.1.5:8866"},
            {"path": "/", "host": "attacker.example:8866"},
            _post(code, word_room.question_no, "x", host="attacker.example:8866"),
            {"path": f"/api/rooms/{code}", "host": "localhost:8866"},
        ],
    )
    assert good.code == 200
    assert rebound.code == answer_rebound.code == api_rebound.code == 421
    assert rooms.picture(word_room).count == 0
    assert allowed_hosts("fe80::1", 80) == {"[fe80::1]:80", "[fe80::1]"}
