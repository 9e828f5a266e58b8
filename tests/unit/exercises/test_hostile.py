"""Hostile input, tried by Hypothesis: nothing crashes, nothing typed comes back as markup.

Inputs mix random Unicode (lone surrogates included) with the awkward cases people and
attackers produce: NUL bytes, right-to-left overrides, very long strings, ``$`` and
``{fields}``, markup and scripts. Through the real widgets a "crash" is any exception that
escapes, or one that a callback turned into the general "something went wrong" message
(logged by :mod:`widgets.exercises.kind_errors`): the specific kind messages are the right answers.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from support.hypothesis_profile import tried

from widgets.core.codes import CodeError, new_code, normalise
from widgets.core.content import Contact, Contacts, ContentError, ContentLibrary, Flow
from widgets.core.context import PageContext
from widgets.core.instrument import instrument
from widgets.core.markup import markdown, plain
from widgets.exercises.defusion import MAX_THOUGHT, TECHNIQUES, DefusionExercise
from widgets.exercises.my_data import MyData
from widgets.exercises.navigator import StepNavigator
from widgets.exercises.participant_code import ParticipantCodePanel
from widgets.exercises.result_card import contacts_html, result_html
from widgets.exercises.scale_form import ScaleForm
from widgets.research.score_csv import CsvFileError, read_scores
from widgets.store import Store, StoreError

NASTY = [
    "\x00", "\ud800", "\udfff", "\u202e", "\u200f", "\ufeff", "\r\n", "$", "${code}", "{0}",
    "{ending}", "%s", "\\", "'", '"', "<", ">", "&", "&amp;", "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>', "<b>", "javascript:alert(1)", "'; DROP TABLE entries; --",
    "ไม่มีใครรัก", "K7MQ-4XZA", "x" * 5_000,
]
MARKUP = ["<script", "<img", '"><img']  # never part of Within's own markup
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
HOSTILE = st.lists(st.one_of(st.sampled_from(NASTY), st.text(ANY_CHAR, max_size=20)), max_size=6).map("".join)
LONG = st.integers(10_000, 200_000).map(lambda n: "<script>" + "x" * n)
TEXT = st.one_of(HOSTILE, LONG)
JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT)
JSON = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)

_dirs: dict[str, Path] = {}


def _folder(name: str) -> Path:
    """One temporary folder per test, reused across its examples (Hypothesis runs many)."""
    if name not in _dirs:
        _dirs[name] = Path(tempfile.mkdtemp(prefix=f"within-hostile-{name}-"))
    return _dirs[name]


def _store(name: str) -> Store:
    return Store(f"sqlite:///{_folder(name) / 'within.sqlite3'}")


@contextmanager
def no_unexpected_errors() -> Iterator[None]:
    """Fail when a widget callback hit an unexpected error (kind_errors logs each one)."""
    seen: list[logging.LogRecord] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.exc_info and not isinstance(record.exc_info[1], StoreError):
                seen.append(record)

    handler = Catch()
    logger = logging.getLogger("within")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not seen, f"a callback crashed: {seen[0].exc_info[1]!r}"


def html_of(widget: Any) -> str:
    """Every piece of HTML a widget tree shows."""
    parts = [widget.value] if type(widget).__name__ == "HTML" else []
    for child in getattr(widget, "children", ()):
        parts.append(html_of(child))
    return "\n".join(parts)


def assert_no_markup_from(typed: str, html: str) -> None:
    """Markup in ``typed`` never appears unescaped in ``html``."""
    for fragment in MARKUP:
        if fragment in typed:
            assert fragment not in html, f"{fragment!r} from the input reached the page unescaped"


# Escaping


@given(TEXT)
def test_plain_leaves_nothing_that_html_would_read_as_markup(typed: str) -> None:
    tried("markup.plain")
    safe = plain(typed)
    assert not any(char in safe for char in "<>\"'")
    assert_no_markup_from(typed, markdown(typed))


@given(st.lists(st.tuples(TEXT, TEXT, TEXT, TEXT), min_size=1, max_size=3), st.sampled_from(["en", "th"]))
def test_a_shared_result_card_escapes_every_contact_field(fields: list[tuple[str, ...]], lang: str) -> None:
    tried("result_card")
    site = Contacts(
        example=True,
        contacts=tuple(
            Contact(id=f"c{n}", phone=phone, url=url, name={"en": name}, description={lang: about})
            for n, (name, phone, url, about) in enumerate(fields)
        ),
    )
    shown = contacts_html(PageContext(lang=lang), site)
    for name, phone, url, about in fields:
        assert_no_markup_from(name + phone + url + about, shown)
        assert 'href="tel:' not in shown or '"' not in phone or plain(phone) in shown


# Widgets


@given(TEXT, st.booleans())
def test_the_code_panel_survives_anything_typed_or_remembered(typed: str, from_device: bool) -> None:
    tried("code panel")
    store = _store("code")
    panel = ParticipantCodePanel(PageContext(lang="th"), store=store)
    with no_unexpected_errors():
        if from_device:  # the browser's memory is as untrusted as typing
            panel.memory.code, panel.memory.remember = typed, True
            panel.memory.loaded = True
        else:
            panel.have_button.click()
            panel.entry.value = typed
            panel.use_button.click()
    try:
        expected = normalise(typed)
    except CodeError:
        expected = ""
    assert panel.code == expected
    assert_no_markup_from(typed, html_of(panel))


ITEM_IDS = st.sampled_from([f"item_{n}" for n in range(1, 9)])
LIKERT_VALUES = st.one_of(st.sampled_from([True, False, 0, 1.0, 2.0, -1, 4, 2**70, "1", None]), JSON)


@given(st.dictionaries(st.one_of(ITEM_IDS, TEXT), LIKERT_VALUES, max_size=10))
def test_scale_form_keeps_only_real_answers_from_the_page(sent: dict[str, Any]) -> None:
    tried("ScaleForm likert")
    store, code = _store("scale"), new_code()
    form = ScaleForm(instrument="thai-internalised-stigma", store=store, code=code)
    with no_unexpected_errors():
        form.likert.value = sent  # what a tampered page could send over the websocket
        result = form.submit(allow_missing=True)
    codes = form.instrument.codes
    assert all(type(value) is int and value in codes for value in form.answers.values())
    assert result is not None and (result.total is None or 0 <= result.total <= 24)
    saved = store.submissions(code=code)[-1].answers
    assert all(type(value) is int and value in codes for value in saved.values() if value is not None)


@given(TEXT)
def test_defusion_takes_any_thought_and_saves_it_as_typed(typed: str) -> None:
    tried("DefusionExercise")
    store, code = _store("defusion"), new_code()
    exercise = DefusionExercise(store=store, code=code)
    with no_unexpected_errors():
        exercise.own.value = typed
        exercise.use_button.click()
        if exercise.stage == "before":
            exercise.start_button.click()
            for _ in TECHNIQUES:
                assert_no_markup_from(typed, html_of(exercise))
                exercise.next_button.click()
            exercise.save_button.click()
    fits = 0 < len(typed.strip()) <= MAX_THOUGHT
    assert exercise.stage == ("done" if fits else "choose")
    if fits:
        assert [e.value["thought"] for e in store.entries(code)] == [typed.strip()]
    assert_no_markup_from(typed, html_of(exercise))


@given(TEXT, st.booleans())
def test_my_data_survives_any_code(code: str, confirm: bool) -> None:
    tried("MyData")
    store = _store("mydata")
    with no_unexpected_errors():
        view = MyData(store, code)
        view.confirm.value = confirm
        view.delete_button.click()
    assert_no_markup_from(code, html_of(view))


ACTIONS = st.lists(
    st.one_of(st.sampled_from(["next", "back", "skip", "pause", "restart"]), st.tuples(st.just("go_to"), TEXT)),
    max_size=15,
)


@given(ACTIONS, st.one_of(st.none(), st.tuples(TEXT, st.dictionaries(TEXT, JSON, max_size=3))))
def test_navigator_survives_any_moves_and_any_saved_place(actions: list[Any], saved: Any) -> None:
    tried("navigator")
    store, code = _store("navigator"), new_code()
    if saved is not None:
        try:
            store.save_progress(code, "welcome", *saved)  # a tampered or old saved place
        except StoreError:
            pass
    navigator = StepNavigator("welcome", store=store, code=code)
    for action in actions:
        if isinstance(action, tuple):
            try:
                navigator.go_to(action[1])
            except ValueError:
                pass  # documented: no such step
        else:
            getattr(navigator, action)()
        assert 0 <= navigator.index < len(navigator.steps)


# The store, content files and CSV sheets


@given(TEXT, TEXT, JSON)
def test_the_store_keeps_any_json_or_refuses_it_plainly(key: str, code: str, value: Any) -> None:
    tried("store")
    store = _store("store")
    try:
        saved = store.add_entry(code, "hostile", key, value)
    except StoreError as error:
        assert error.reason == "invalid"
        return
    entry = next(e for e in store.entries(code) if e.id == saved)
    assert entry.key == key and _same(entry.value, value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b and type(a) is type(b)


YAML_BITS = [
    "title: T\n", "steps:\n", "  - id: a\n    title: b\n", "  - id: a\n", "- x\n", "{", "}", "[", "]",
    ": ", "? ", "&a [*a]\n", "*b\n", "!!python/object/apply:os.system ['true']\n", "!!binary x\n",
    "%YAML 1.2\n---\n", "a: {b: [1, {c: d}]}\n", "x: 1e400\n", "x: .nan\n", "key: 'unclosed\n",
    "\t", "  ", "\n", "#", "- - - -\n", "[" * 200, "a: &x 1\nb: *x\n", "title: {0.__class__}\n",
]


@given(st.lists(st.one_of(st.sampled_from(YAML_BITS), HOSTILE), max_size=8).map("".join), st.sampled_from(["flow", "strings", "text", "languages"]))
def test_content_files_are_valid_or_a_content_error(source: str, how: str) -> None:
    tried("content loader")
    root = _folder("content") / str(abs(hash(source)) % 10_000_000)
    (root / "en" / "flows").mkdir(parents=True, exist_ok=True)
    meta = "code: en\nname: English\nenglish_name: English\nstatus: reviewed\n"
    (root / "en" / "meta.yaml").write_text(source if how == "languages" else meta, encoding="utf-8", errors="surrogatepass")
    for path in (root / "en" / "flows" / "f.yaml", root / "en" / "words.yaml"):
        path.write_bytes(source.encode("utf-8", "surrogatepass"))
    library = ContentLibrary(root)
    try:
        if how == "flow":
            assert isinstance(library.flow("en", "f"), Flow)
        elif how == "strings":
            library.strings("en", "words")
        elif how == "text":
            assert isinstance(library.text("en", "words.title", code="K7MQ"), str)
        else:
            library.languages()
    except ContentError as error:
        assert str(error).startswith("content/")


@given(st.lists(st.lists(st.one_of(TEXT, st.sampled_from(["0", "1", "3", "4", "-1", "1.0", "Strongly agree", ""])), max_size=11), max_size=6), st.booleans())
def test_csv_rows_are_scored_or_invalid_with_a_reason(rows: list[list[str]], with_header: bool) -> None:
    tried("score_csv")
    chosen = instrument("thai-internalised-stigma")
    out = io.StringIO()
    writer = csv.writer(out)
    if with_header:
        writer.writerow(["code", *chosen.item_ids])
    writer.writerows(rows)
    path = _folder("csv") / "sheet.csv"
    path.write_bytes(out.getvalue().encode("utf-8", "surrogatepass"))
    try:
        scores = read_scores(path, chosen)
    except CsvFileError as error:
        assert str(error)
        return
    for bad in scores.invalid:
        assert bad.reason and bad.row >= 1
    for good in scores.scored:
        assert good.result.total is not None and good.code
        assert_no_markup_from(good.code, result_html(chosen, good.result, PageContext()))
