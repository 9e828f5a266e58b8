"""ScaleForm, the result view and the staff screening session, in Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets.core.codes import new_code
from widgets.core.context import PageContext
from widgets.core.instrument import instrument
from widgets.exercises.scale_form import ScaleForm
from widgets.facilitation.screening import ScreeningSession
from widgets.store import Store

SCALE = instrument("thai-internalised-stigma")


@pytest.fixture
def any_store(database_url: str) -> Store:
    """A store on each database: SQLite, then PostgreSQL (``database_url`` in tests/conftest.py)."""
    return Store(database_url)


def answer_all(form: ScaleForm, codes: list[int]) -> None:
    for item_id, code in zip(SCALE.item_ids, codes, strict=True):
        form.choose(item_id, code)


def test_one_item_per_screen_with_progress_and_accessible_items() -> None:
    form = ScaleForm(context=PageContext("en"))
    assert [i["id"] for i in form.likert.items] == ["item_1"]
    assert form.likert.items[0]["text"].startswith("Other people would stop being friends")
    assert [o["label"] for o in form.likert.options] == ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
    assert "Question 1 of 8" in form.progress.value
    form.next_button.click()
    assert form.likert.items[0]["id"] == "item_2" and "Question 2 of 8" in form.progress.value
    form.go(7)
    assert form.submit_button in form.buttons.children


def test_all_items_on_one_page_in_thai() -> None:
    form = ScaleForm(context=PageContext("th"), one_per_screen=False)
    assert len(form.likert.items) == 8
    assert form.likert.options[0]["label"] == "ไม่เห็นด้วยอย่างยิ่ง"


def test_submit_names_what_is_unanswered_instead_of_failing(any_store: Store) -> None:
    code = new_code()
    form = ScaleForm(context=PageContext("en"), store=any_store, code=code)
    answer_all(form, [2, 2, 2, 2, 2, 2, 2, 2])
    form.choose("item_3", None)
    form.choose("item_5", None)
    assert form.submit() is None
    assert "Not answered yet: 3, 5" in form.message.value
    assert form.buttons.children == (form.answer_them_button, form.finish_anyway_button)
    form.answer_them_button.click()
    assert form.position == 2
    assert any_store.submissions(code=code) == []


@pytest.mark.parametrize(
    ("codes", "band", "total", "referral", "support"),
    [
        ([2, 2, 2, 2, 2, 2, 2, 1], "lower", 15, False, True),
        ([2, 2, 2, 2, 2, 2, 2, 2], "internalised", 16, False, True),
        ([3, 3, 2, 2, 2, 1, 3, 3], "internalised", 19, False, False),
        ([3, 3, 3, 3, 2, 0, 3, 3], "very_high", 20, True, False),
    ],
)
def test_results_are_stored_with_raw_answers_and_shown_kindly(
    any_store: Store, codes: list[int], band: str, total: int, referral: bool, support: bool
) -> None:
    code = new_code()
    form = ScaleForm(context=PageContext("en"), store=any_store, code=code, setting="self")
    answer_all(form, codes)
    result = form.submit()
    assert result is not None and (result.band.id, result.total, result.referral) == (band, total, referral)
    [saved] = any_store.submissions(code=code)
    assert saved.answers == dict(zip(SCALE.item_ids, codes)) and saved.total == total and saved.band == band
    html = form.result_view.value
    assert SCALE.words("en").bands[band].label in html
    assert f"Total: {total} out of 24" in html
    assert html.index(SCALE.words("en").bands[band].label) < html.index("Total:")  # words first
    assert "tel:" in html  # help always there
    assert ('data-referral="true"' in html) == referral
    assert ("Nobody has been told" in html) == referral
    assert (SCALE.words("en").rules["no_future"].message in html) == support
    for word in ("diagnos", "disorder", "severe"):
        assert word not in html.lower().replace("not a diagnosis", "")


def test_answered_items_alone_reaching_20_show_at_least_and_the_referral(any_store: Store) -> None:
    form = ScaleForm(context=PageContext("th"), store=any_store, code=new_code())
    answer_all(form, [3, 3, 3, 3, 3, 0, 3, 2])
    form.choose("item_6", None)
    form.submit(allow_missing=True)
    assert form.result.total is None and form.result.at_least and form.result.referral
    assert "อย่างน้อย" in form.result_view.value and 'data-referral="true"' in form.result_view.value
    assert "คะแนนรวม:" not in form.result_view.value


def test_too_few_answers_say_incomplete_and_still_show_help() -> None:
    form = ScaleForm(context=PageContext("en"))
    form.choose("item_1", 3)
    form.finish_anyway_button.click()
    assert form.result.band is None
    assert "Questions skipped: 7" in form.result_view.value and "tel:" in form.result_view.value


def test_answers_are_saved_as_given_and_resume(any_store: Store) -> None:
    code = new_code()
    form = ScaleForm(context=PageContext("en"), store=any_store, code=code)
    form.choose("item_1", 1)
    form.next_button.click()
    form.choose("item_2", 3)
    again = ScaleForm(context=PageContext("en"), store=any_store, code=code)
    assert again.answers == {"item_1": 1, "item_2": 3} and again.position == 1
    assert again.likert.value == {"item_1": 1, "item_2": 3}


def test_answers_from_the_browser_outside_the_codes_are_ignored() -> None:
    form = ScaleForm(context=PageContext("en"))
    form.likert.value = {"item_1": 9, "item_2": "<b>", "nope": 1, "item_3": 2}
    assert form.answers == {"item_3": 2}


def test_choices_arrive_as_messages_and_only_offered_answers_count() -> None:
    """The page sends each choice as a message (in order with clicks); the kernel confirms it."""
    form = ScaleForm(context=PageContext("en"))
    likert = form.likert
    sent: list[dict] = []
    likert.send = sent.append  # what goes back to the page
    likert._received(likert, {"choose": "item_1", "code": 2}, [])
    assert form.answers == {"item_1": 2} and likert.value == {"item_1": 2}
    likert._received(likert, {"choose": "item_1", "code": 3}, [])
    assert form.answers == {"item_1": 3}
    for hostile in (
        {"choose": "item_1", "code": True},
        {"choose": "item_1", "code": 1.0},
        {"choose": "item_1", "code": 7},
        {"choose": "item_2", "code": 1},  # not on this screen
        {"choose": ["item_1"], "code": 1},
        {"choose": "<b>", "code": "1"},
        "item_1=1",
    ):
        likert._received(likert, hostile, [])
    assert form.answers == {"item_1": 3}
    assert sent[:2] == [{"chosen": "item_1"}, {"chosen": "item_1"}]
    assert len(sent) == 8  # every well-formed message is confirmed, so the page stops waiting
    assert {"chosen": ""} in sent


def test_nothing_is_shown_on_a_projector() -> None:
    form = ScaleForm(context=PageContext("en", "projector"))
    assert not hasattr(form, "likert") and "not shown on a shared screen" in form.children[0].value


def test_staff_screening_needs_consent_records_it_and_tallies(any_store: Store, tmp_path: Path) -> None:
    session = ScreeningSession(any_store, context=PageContext("en"), export_dir=tmp_path / "exports")
    assert "People screened: 0" in session.tally_view.value
    session.start_button.click()
    assert "record the person&#x27;s consent" in session.message.value and session.form is None
    session.consent.value = True
    session.new_code_button.click()
    code = session.code
    assert code in session.code_view.value and "Write this code" in session.code_view.value
    session.start_button.click()
    assert session.form is not None and session.form.administered == "read-aloud"
    answer_all(session.form, [3, 3, 3, 3, 3, 3, 3, 3])
    session.form.submit()
    assert 'data-referral="true"' in session.form.result_view.value
    assert "referral protocol" in session.form.result_view.value
    assert any_store.has_consent(code, "screening") and not any_store.has_consent(code, "research-export")
    assert "People screened: 1" in session.tally_view.value and "(referral): 1" in session.tally_view.value
    session.next_person_button.click()
    assert session.code == "" and not session.consent.value and session.form is None
    assert code not in "".join(getattr(c, "value", "") or "" for c in session.children if hasattr(c, "value"))


def test_staff_typed_code_is_checked(any_store: Store) -> None:
    session = ScreeningSession(any_store, context=PageContext("th"))
    session.consent.value = True
    session.code_entry.value = "K7MQ"
    session.start_button.click()
    assert "8" in session.message.value and session.form is None


def test_result_words_are_true_at_both_ends() -> None:
    """At a total of 0 the lowest band does not say "some of these feelings"; the highest band
    does not thank the person "for trusting us" beside "nobody has been told"."""
    from widgets.core.scoring import score
    from widgets.exercises.result_card import result_html

    for lang in ("en", "th"):
        words = SCALE.words(lang).bands
        zero = result_html(SCALE, score(SCALE, dict.fromkeys(SCALE.item_ids, 0)), PageContext(lang))
        assert words["lower"].at_lowest is not None and words["lower"].at_lowest.label in zero
        assert words["lower"].label not in zero
        one = result_html(SCALE, score(SCALE, {**dict.fromkeys(SCALE.item_ids, 0), "item_1": 1}), PageContext(lang))
        assert words["lower"].label in one
        top = result_html(SCALE, score(SCALE, dict.fromkeys(SCALE.item_ids, 3)), PageContext(lang))
        assert "trusting" not in top and "ไว้ใจเล่า" not in top
    assert "Nobody has been told" in top.replace("ไม่มีใครได้รับแจ้ง", "Nobody has been told")
