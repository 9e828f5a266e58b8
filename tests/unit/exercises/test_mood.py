"""Mood check-ins and charts: ranges, saving, chart content, Thai glyphs, no mathtext."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

from widgets.controls.range_input import RangeInput
from widgets.core.check_ins import CheckInError, make_check_in, saved_check_ins
from widgets.core.content import text
from widgets.core.context import PageContext
from widgets.exercises.chart_fonts import FONT_DIR, FONT_FILES
from widgets.exercises.mood import MoodCheckIn
from widgets.exercises.mood_chart import (
    MoodChart,
    daily_points,
    mood_figure,
    text_alternative,
    weekly_means,
)
from widgets.store import Store

CODE = "K7MQ4XZA"
MONDAY = date(2026, 1, 5)



def series(days: int = 10) -> list[dict]:
    return [
        make_check_in(MONDAY + timedelta(days=i), i % 11, 10 - i % 11, 5, note="$x$ <b>")
        for i in range(days)
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mood": 11}, "mood"),
        ({"stress": -1}, "stress"),
        ({"wellbeing": 5.5}, "wellbeing"),
        ({"wellbeing": True}, "wellbeing"),
        ({"craving": 12}, "craving"),
        ({"use_days": 8}, "use_days"),
        ({"relationships": "7"}, "relationships"),
        ({"health_care": "maybe"}, "health_care"),
        ({"note": "n" * 301}, "note"),
    ],
)
def test_check_in_values_out_of_range_are_refused(kwargs: dict, field: str) -> None:
    values = {"mood": 5, "stress": 5, "wellbeing": 5, **kwargs}
    scores = [values.pop(k) for k in ("mood", "stress", "wellbeing")]
    with pytest.raises(CheckInError) as caught:
        make_check_in(MONDAY, *scores, **values)
    assert caught.value.field == field


def test_a_check_in_keeps_the_optional_answers_only_when_given() -> None:
    plain = make_check_in(MONDAY, 0, 10, 7)
    assert plain == {"on": "2026-01-05", "mood": 0, "stress": 10, "wellbeing": 7, "note": ""}
    full = make_check_in(
        MONDAY, 5, 5, 5, craving=3, use_days=7, relationships=8, health_care="able", note=" ok "
    )
    assert full["use_days"] == 7 and full["health_care"] == "able" and full["note"] == "ok"


def test_the_widget_saves_optional_and_follow_up_answers(store: Store) -> None:
    widget = MoodCheckIn(store=store, code=CODE, today=lambda: MONDAY)
    widget.ratings["mood"].value = 8
    widget.ratings["stress"].value = 99  # the scale keeps values inside 0..10
    assert widget.ratings["stress"].value == 10
    widget.save_button.click()
    assert "1 check-ins" in widget.message.value
    widget.optional_toggle.value = True
    widget.craving.value = 2
    widget.use_days.value = 3
    widget.set_follow_up(True)
    widget.relationships.value = 6
    widget.health_care.value = "partly"
    widget.note.value = "n" * 301
    widget.save_button.click()
    assert "under 300" in widget.message.value and len(saved_check_ins(store, CODE)) == 1
    widget.note.value = "ฉันโอเค $5"
    widget.save_button.click()
    saved = saved_check_ins(store, CODE)
    assert saved[0]["mood"] == 8 and "craving" not in saved[0]
    assert saved[1] | {} == {
        "on": "2026-01-05",
        "mood": 8,
        "stress": 10,
        "wellbeing": 5,
        "craving": 2,
        "use_days": 3,
        "relationships": 6,
        "health_care": "partly",
        "note": "ฉันโอเค $5",
    }


def test_weekly_means_and_daily_points() -> None:
    records = series(14)
    weekly = weekly_means(records)
    assert [d.date() for d in weekly.index] == [MONDAY, MONDAY + timedelta(days=7)]
    assert weekly["mood"].tolist() == [3.0, 10.0 * 0 + (7 + 8 + 9 + 10 + 0 + 1 + 2) / 7]
    assert daily_points(records, "mood")[:2] == [(MONDAY, 0.0), (MONDAY + timedelta(days=1), 1.0)]


def test_the_figure_holds_the_data_sessions_and_screening() -> None:
    records = series(14)
    figure = mood_figure(
        records,
        lang="en",
        session_days=[MONDAY, "2026-01-12"],
        screening=[("2026-01-05", 21), (date(2026, 4, 5), 14)],
    )
    main, screening = figure.axes
    lines = {line.get_gid(): line for line in main.get_lines()}
    mood_y = list(lines["daily-mood"].get_ydata())
    assert mood_y == [float(i % 11) for i in range(14)]
    assert list(lines["weekly-mood"].get_ydata()) == weekly_means(records)["mood"].tolist()
    assert sum(1 for line in main.get_lines() if line.get_gid() == "session") == 2
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == ["Mood", "Stress", "Wellbeing", "Session day"]
    assert [p.get_height() for p in screening.patches] == [21.0, 14.0]
    assert [t.get_text() for t in screening.get_xticklabels()] == ["05/01/2026", "05/04/2026"]
    assert {t.get_text() for t in screening.texts} == {"21", "14"}
    assert main.get_title(loc="left") == text("en", "mood.chart.heading")


def test_thai_labels_and_glyphs_exist_in_the_shipped_font() -> None:
    from fontTools.ttLib import TTFont

    figure = mood_figure(series(3), lang="th", screening=[(MONDAY, 17)])
    words = [figure.axes[0].get_title(loc="left"), figure.axes[0].get_ylabel()]
    words += [t.get_text() for t in figure.legends[0].get_texts()] + [
        figure.axes[1].get_title(loc="left")
    ]
    assert "การเช็กอินของฉันตามเวลา" in words
    thai = {ord(ch) for word in words for ch in word if "\u0e00" <= ch <= "\u0e7f"}
    assert len(thai) > 20
    for name in FONT_FILES:
        cmap = TTFont(FONT_DIR / name).getBestCmap()
        assert not sorted(hex(c) for c in thai - set(cmap)), f"{name} lacks Thai glyphs"
    assert (FONT_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") >= 1
    family = figure.axes[0].title.get_fontfamily()
    assert family[0] == "Sarabun"


def test_charts_draw_in_a_fresh_process_with_the_shipped_font_and_no_tofu() -> None:
    script = (
        "import warnings; warnings.simplefilter('error');"
        "from widgets.exercises.mood_chart import mood_figure; from widgets.exercises.chart_fonts import png_bytes;"
        "from matplotlib.font_manager import findfont, FontProperties;"
        "from widgets.exercises.chart_fonts import register_fonts; register_fonts();"
        "print(findfont(FontProperties(family='Sarabun')));"
        "f = mood_figure([], lang='th'); png_bytes(f, 'th')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr  # a missing glyph warning would be an error
    assert done.stdout.strip().endswith("Sarabun-Regular.ttf")


def test_typed_dollars_never_become_mathtext() -> None:
    from widgets.exercises.take_home import CardData, card_png

    records = series(2)
    figure = mood_figure(records, lang="en")
    assert all(not t.get_parse_math() for t in figure.axes[0].texts + [figure.axes[0].title])
    png = card_png(CardData(values=["$x^2$"], direction="I owe $5 and $10 \\frac{a}{b}"), "en")
    assert png.startswith(b"\x89PNG")


def test_the_text_alternative_says_it_in_words_and_escapes() -> None:
    records = series(8)
    words = text_alternative(records, lang="en", session_days=[MONDAY], screening=[(MONDAY, 20)])
    assert "8 check-ins from 2026-01-05 to 2026-01-12" in words
    assert "Session days: 2026-01-05" in words and "2026-01-05: 20" in words
    assert "<table" in words and "$x$" not in words  # notes are not part of the chart
    assert text_alternative([], lang="th") == f"<p>{text('th', 'mood.chart.empty')}</p>"


def test_mood_chart_widget_redraws_when_data_arrives() -> None:
    chart = MoodChart(context=PageContext("th"))
    assert (
        text("th", "mood.chart.empty") in chart.words.value
        and "data:image/png;base64," in chart.picture.value
    )
    empty_picture = chart.picture.value
    chart.check_ins = series(3)
    summary = text("th", "mood.chart.alt_summary", count=3, first="2026-01-05", last="2026-01-07")
    assert summary in chart.words.value and text("th", "mood.chart.empty") not in chart.words.value
    assert chart.picture.value != empty_picture and 'alt="' in chart.picture.value
    assert [line.get_gid() for line in chart.figure.axes[0].get_lines()][:2] == [
        "daily-mood",
        "weekly-mood",
    ]


def test_importing_widgets_stays_light() -> None:
    script = "import sys, widgets, widgets.apps.app_page, widgets.exercises.mood, widgets.exercises.values_cards, widgets.exercises.goal_card, widgets.facilitation.follow_up; print('matplotlib' in sys.modules, 'pandas' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.split() == ["False", "False"], done.stderr


def test_the_card_picture_wraps_thai_and_never_draws_empty_boxes() -> None:
    import warnings

    from widgets.exercises.chart_fonts import drawable
    from widgets.exercises.take_home import CardData, _wrap, card_png

    assert drawable("ดี 🙂 ok ☺") == "ดี  ok ☺"
    lines = _wrap("ฉันอยากอยู่เคียงข้างลูกสาวและรู้สึกสบายใจกับร่างกายของตัวเองอีกครั้ง", 120, len_px)
    assert (
        len(lines) > 1 and "".join(lines) == "ฉันอยากอยู่เคียงข้างลูกสาวและรู้สึกสบายใจกับร่างกายของตัวเองอีกครั้ง"
    )
    for line in lines:  # no line starts with a mark or following vowel, or ends with a leading one
        assert not ("\u0e30" <= line[0] <= "\u0e3a" or "\u0e45" <= line[0] <= "\u0e4e"), lines
        assert not "\u0e40" <= line[-1] <= "\u0e44", lines
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns about every missing glyph
        png = card_png(
            CardData(values=["🙂 Family"], direction="ใจดี 💪 " * 20, goal={"goal": "x" * 300}), "th"
        )
    assert png.startswith(b"\x89PNG")


def len_px(line: str) -> float:
    return 10.0 * len(line)


def test_a_rating_arrives_as_a_message_and_only_whole_numbers_count() -> None:
    """The page sends a moved rating as a message (in order with "Save"); the kernel confirms it."""
    rating = RangeInput("Mood", value=5, min=0, max=10)
    sent: list[dict] = []
    rating.send = sent.append  # what goes back to the page
    rating._received(rating, {"set": 8}, [])
    assert (rating.value, rating.touched) == (8, True)
    rating._received(rating, {"set": 42}, [])
    assert rating.value == 10  # kept within range
    for hostile in ({"set": True}, {"set": 7.5}, {"set": "3"}, {"set": None}, {}, "set=3"):
        rating._received(rating, hostile, [])
    assert rating.value == 10
    rating.disabled = True
    rating._received(rating, {"set": 2}, [])
    assert rating.value == 10
    assert sent == [{"confirmed": True}] * 8  # every dict is confirmed, so the page stops waiting
