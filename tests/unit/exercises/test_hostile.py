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
import json
import logging
import math
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from support.hypothesis_profile import tried

from widgets import cli
from widgets.core.codes import CodeError, new_code, normalise
from widgets.core.content import Contact, Contacts, ContentError, ContentLibrary, Flow
from widgets.core.context import PageContext
from widgets.core.instrument import instrument
from widgets.core.markup import markdown, plain
from widgets.exercises.defusion import MAX_THOUGHT, TECHNIQUES, DefusionExercise
from widgets.exercises.my_data import MyData
from widgets.exercises.navigator import StepNavigator
from widgets.exercises.participant_code import ParticipantCodePanel
from widgets.exercises.result_card import contacts_html
from widgets.exercises.scale_form import ScaleForm
from widgets.research.score_csv import CsvFileError, read_scores
from widgets.research.spreadsheet_safe import neutralise
from widgets.store import Store, StoreError
from widgets.store.tables import CODE_LENGTH, NAME_LENGTH

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
        confirmed=False,
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
    try:
        expected = normalise(typed)
        store.ensure_participant(expected)  # held here: only such a code may open answers
    except CodeError:
        expected = ""
    panel = ParticipantCodePanel(PageContext(lang="th"), store=store)
    with no_unexpected_errors():
        if from_device:  # the browser's memory is as untrusted as typing
            panel.memory.code, panel.memory.remember = typed, True
            panel.memory.loaded = True
        else:
            panel.have_button.click()
            panel.entry.value = typed
            panel.use_button.click()
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


# Visible characters: what ``str.isprintable`` accepts, minus spaces (a code has none).
VISIBLE = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"))
MARKED = [
    n for n in NASTY if len(n) <= CODE_LENGTH and n.isprintable() and not any(c.isspace() for c in n)
]
CODE_OK = st.one_of(
    st.sampled_from([*MARKED, "K7MQ-4XZA"]),
    st.text(VISIBLE, min_size=1, max_size=CODE_LENGTH),
    st.tuples(st.sampled_from(MARKED), st.text(VISIBLE, max_size=8)).map("".join),
).filter(lambda code: 0 < len(code) <= CODE_LENGTH)
KEY_OK = st.text(VISIBLE | st.just(" "), min_size=1, max_size=NAME_LENGTH).filter(str.strip)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
# Whole numbers SQLite can hold: a bare number beyond 64 bits comes back rounded (the JSON
# column has NUMERIC affinity), and a bare 1.0 comes back as 1.
WHOLE = st.integers(-(2**63), 2**63 - 1)
JSON_OK = st.recursive(
    st.one_of(st.none(), st.booleans(), WHOLE, FINITE, TEXT),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@given(CODE_OK, KEY_OK, JSON_OK)
def test_the_store_keeps_any_json_value_it_is_given(code: str, key: str, value: Any) -> None:
    """Valid code and key, any standard JSON (hostile strings, lone surrogates, deep nesting):
    kept exactly, every time."""
    tried("store")
    event(f"value: {type(value).__name__}")
    store = _store("store")
    saved = store.add_entry(code, "hostile", key, value)
    entry = next(e for e in store.entries(code) if e.id == saved)
    event("round trip checked")
    # What the value means in JSON: two lone surrogates that make a pair are one character.
    assert entry.key == key and _same(entry.value, json.loads(json.dumps(value)))


NOT_JSON = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, {1, 2}, b"bytes", object()]),
    st.builds(lambda v: [v], st.sampled_from([math.nan, math.inf])),
    st.builds(lambda k, v: {k: v}, TEXT, st.sampled_from([math.nan, {1}, b"x"])),
)
CODE_BAD = st.one_of(
    st.just(""),
    st.text(VISIBLE, min_size=CODE_LENGTH + 1, max_size=CODE_LENGTH + 20),
    st.tuples(CODE_OK, st.sampled_from([" ", "\t", "\n", "\x00", "\u200f", "\ufeff"]), CODE_OK)
    .map("".join),
    st.sampled_from([None, 7, b"K7MQ"]),
)
KEY_BAD = st.one_of(
    st.sampled_from(["", "   ", "\n", "a\x00b", "\u202e", None]),
    st.text(VISIBLE, min_size=NAME_LENGTH + 1, max_size=NAME_LENGTH + 30),
)


@given(st.one_of(
    st.tuples(st.just("code"), CODE_BAD, KEY_OK, JSON_OK),
    st.tuples(st.just("key"), CODE_OK, KEY_BAD, JSON_OK),
    st.tuples(st.just("value"), CODE_OK, KEY_OK, NOT_JSON),
))
def test_the_store_refuses_what_it_cannot_keep_plainly(case: tuple[str, Any, Any, Any]) -> None:
    """One unusable argument: a plain "invalid" refusal, and nothing saved."""
    tried("store refusals")
    bad, code, key, value = case
    event(f"bad {bad}")
    store = _store("store-refusals")
    before = store.entries(code) if bad != "code" else None
    with pytest.raises(StoreError) as refused:
        store.add_entry(code, "hostile", key, value)
    assert refused.value.reason == "invalid"
    if before is not None:
        assert store.entries(code) == before


def _same(a: Any, b: Any) -> bool:
    if _number(a) and _number(b):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b and type(a) is type(b)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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


SCALE = instrument("thai-internalised-stigma")
# Cut-offs from the programme's own poster (16 or more; 20 or more is a referral), not from
# the instrument file the code reads.
CUT_OFFS = ((20, "very_high"), (16, "internalised"), (0, "lower"))
CELL_TEXT = st.characters(exclude_categories=("Cs",))  # a CSV file is UTF-8: no lone surrogates
SHEET_CODE = st.one_of(
    st.tuples(
        st.sampled_from([n for n in NASTY if n.strip() and "\ud800" not in n and "\udfff" not in n]),
        st.text(CELL_TEXT, max_size=10),
    ).map("".join),
    st.text(CELL_TEXT, min_size=1, max_size=20),
).filter(str.strip)


def _spaced(word: str) -> st.SearchStrategy[str]:
    """``word`` as people type it in a sheet: any case, spaces around it."""
    return st.tuples(
        st.sampled_from(["", " ", "  "]),
        st.sampled_from([word, word.upper(), word.title()]),
        st.sampled_from(["", " ", "\t"]),
    ).map("".join)


@st.composite
def _answer(draw: st.DrawFn) -> tuple[int, str]:
    """One answer: its code, and how the sheet writes it (the number, or a label in a language)."""
    option = draw(st.sampled_from(SCALE.spec.options))
    written = draw(st.sampled_from(["number", "decimal", "en", "th"]))
    if written == "number":
        return option.code, draw(_spaced(str(option.code)))
    if written == "decimal":
        return option.code, f"{option.code}.0"
    return option.code, draw(_spaced(SCALE.words(written).options[option.id]))


ITEMS = len(SCALE.item_ids)
SHEET_ROW = st.tuples(SHEET_CODE, st.lists(_answer(), min_size=ITEMS, max_size=ITEMS))


def _write_sheet(name: str, header: list[str], rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    path = _folder(name) / "sheet.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _within_score(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = cli.main(["score", str(path), "--instrument", SCALE.spec.id])
    return status, out.getvalue(), err.getvalue()


@given(
    st.lists(SHEET_ROW, min_size=1, max_size=6),
    st.permutations(["code", *SCALE.item_ids]),
    st.booleans(),
)
def test_csv_sheets_of_hostile_codes_are_scored_and_come_back_intact(
    rows: list[tuple[str, list[tuple[int, str]]]], order: list[str], upper_header: bool
) -> None:
    """Every row valid: each is scored with the total and band worked out here, and
    ``within score`` writes each code back exactly (quoted, never split or run together),
    or neutralised when a spreadsheet would read it as a formula."""
    tried("score_csv")
    header = [name.upper() if upper_header else name for name in order]
    cells = []
    for code, answers in rows:
        by_column = {"code": code, **dict(zip(SCALE.item_ids, (w for _, w in answers), strict=True))}
        cells.append([by_column[name] for name in order])
    path = _write_sheet("csv", header, cells)
    scores = read_scores(path, SCALE)
    assert not scores.invalid, scores.invalid[0].reason
    expected = []
    for (code, answers), got in zip(rows, scores.scored, strict=True):
        total = sum(value for value, _ in answers)
        band = next(name for floor, name in CUT_OFFS if total >= floor)
        assert (got.code, got.result.total, got.result.band.id) == (code.strip(), total, band)
        assert got.result.referral == (total >= 20)
        # What a spreadsheet would run comes back neutralised (issue 15), everything else exactly.
        expected.append([neutralise(code.strip()), str(total), band])
    status, out, err = _within_score(path)
    codes = "".join(code for code, _ in rows)
    event("a code with markup" if any(m in codes for m in MARKUP) else "no markup in the codes")
    event("a code CSV must quote" if any(c in codes for c in ',"\r\n') else "no code to quote")
    assert status == 0 and not err
    assert list(csv.reader(io.StringIO(out, newline=""))) == [["code", "total", "band"], *expected]
    event("every row checked")


DAMAGE = st.tuples(
    st.sampled_from(["blank code", "blank answer", "not an answer", "out of range", "extra cell"]),
    st.sampled_from(SCALE.item_ids),
    TEXT,
)


@given(st.lists(st.tuples(SHEET_ROW, st.none() | DAMAGE), min_size=1, max_size=6))
def test_csv_rows_that_cannot_be_scored_say_which_cell_and_why(
    rows: list[tuple[tuple[str, list[tuple[int, str]]], tuple[str, str, str] | None]],
) -> None:
    """One damaged cell per damaged row: that row alone is invalid, its reason names the cell."""
    tried("score_csv damaged rows")
    header = ["code", *SCALE.item_ids]
    cells = []
    for (code, answers), damage in rows:
        row = [code, *(written for _, written in answers)]
        if damage is not None:
            kind, item, junk = damage
            at = header.index(item)
            if kind == "blank code":
                row[0] = " "
            elif kind == "blank answer":
                row[at] = ""
            elif kind == "not an answer":
                # within csv's field limit: a longer cell makes the whole file unreadable,
                # which test_csv_junk_is_scored_or_refused_never_a_crash covers
                row[at] = "x" + junk.replace("\ud800", "").replace("\udfff", "")[:10_000]
            elif kind == "out of range":
                row[at] = "4"
            else:
                row.append("x")
            event(kind)
        cells.append(row)
    scores = read_scores(_write_sheet("csv-damaged", header, cells), SCALE)
    damaged = {number: damage for number, (_, damage) in enumerate(rows, start=1) if damage}
    assert [bad.row for bad in scores.invalid] == sorted(damaged)
    whole = [number for number in range(1, len(rows) + 1) if number not in damaged]
    assert [good.row for good in scores.scored] == whole
    for bad in scores.invalid:
        kind, item, _ = damaged[bad.row]
        named = {"blank code": "code: empty", "extra cell": "but the header has"}.get(kind, f"{item}: ")
        assert named in bad.reason, (kind, bad.reason)


JUNK_CELL = st.one_of(TEXT, st.sampled_from(["0", "1", "3", "4", "-1", "1.0", "Strongly agree", ""]))


@given(st.lists(st.lists(JUNK_CELL, max_size=11), max_size=6), st.booleans())
def test_csv_junk_is_scored_or_refused_never_a_crash(rows: list[list[str]], header: bool) -> None:
    """Anything at all (lone surrogates, NUL, ragged rows): a file error or rows with reasons."""
    tried("score_csv junk")
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(["code", *SCALE.item_ids])
    writer.writerows(rows)
    path = _folder("csv-junk") / "sheet.csv"
    path.write_bytes(out.getvalue().encode("utf-8", "surrogatepass"))
    try:
        scores = read_scores(path, SCALE)
    except CsvFileError as error:
        event("file refused")
        assert str(error)
        return
    event("rows read")
    for bad in scores.invalid:
        assert bad.reason and bad.row >= 1
    for good in scores.scored:
        assert good.result.total is not None and good.code
