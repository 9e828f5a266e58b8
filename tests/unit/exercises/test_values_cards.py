"""Values card sort: sorting with buttons, undo, top values, direction, autosave and resume."""

from __future__ import annotations

import pytest

from widgets.core.content import library
from widgets.core.context import PageContext
from widgets.exercises.values_cards import (
    DIRECTION_LIMIT,
    PILES,
    ValuesCardSort,
    latest_sort,
    value_cards,
)
from widgets.store import Store

CODE = "K7MQ4XZA"



def test_about_thirty_cards_in_each_language_with_the_same_ids() -> None:
    english, thai = value_cards("en"), value_cards("th")
    assert 28 <= len(english) <= 34
    assert [c.id for c in english] == [c.id for c in thai]
    assert all(c.name and c.description for c in thai)
    assert {c.name for c in thai}.isdisjoint({c.name for c in english})  # really translated


def test_sorting_with_buttons_and_undo(store: Store) -> None:
    sort = ValuesCardSort(store=store, code=CODE, cards=["family", "health", "fun", "hope"])
    assert "Card 1 of 4" in sort.counter.value and "Family" in sort.card_view.value
    sort.pile_buttons["very"].click()
    sort.pile_buttons["less"].click()
    assert sort.piles == {"family": "very", "health": "less"}
    assert "Card 3 of 4" in sort.counter.value and "Fun" in sort.card_view.value
    sort.undo_button.click()
    assert sort.piles == {"family": "very"} and sort.current.id == "health"
    sort.undo()
    assert sort.undo() is False and "nothing to undo" in sort.message.value
    with pytest.raises(ValueError):
        sort.sort("maybe")


def test_top_values_need_three_to_five_and_come_from_the_most_important(store: Store) -> None:
    sort = ValuesCardSort(
        store=store, code=CODE, cards=["family", "health", "fun", "hope", "rest", "love", "work"]
    )
    for pile in ["very", "very", "less", "important", "very", "very", "very"]:
        sort.sort(pile)
    assert sort.current is None and sort.top_box.layout.display is None
    assert sort.candidates() == ["family", "health", "rest", "love", "work"]
    assert "at least 3" in sort.choose_top(["family"])
    assert "no more than 5" in sort.choose_top([*sort.candidates(), "fun"][:6] + ["hope"])
    for card in ["family", "health"]:
        sort.top_boxes[card].value = True
    assert sort.top == [] and "at least 3" in sort.top_message.value
    sort.top_boxes["love"].value = True
    assert (
        sort.top == ["family", "health", "love"]
        and "Family, Health, Love" in sort.top_message.value
    )


def test_few_very_important_cards_bring_in_the_important_pile() -> None:
    sort = ValuesCardSort(cards=["family", "health", "fun", "hope"])
    for pile in ["very", "important", "less", "important"]:
        sort.sort(pile)
    assert sort.candidates() == ["family", "health", "hope"]


def test_direction_is_autosaved_escaped_and_limited(store: Store) -> None:
    sort = ValuesCardSort(store=store, code=CODE, cards=["family"])
    sort.direction_input.value = "x" * (DIRECTION_LIMIT + 1)
    assert "under 200" in sort.direction_message.value and sort.direction == ""
    sort.direction_input.value = "  ฉันอยาก <script>alert(1)</script> $5 🙂 "
    assert sort.direction == "ฉันอยาก <script>alert(1)</script> $5 🙂"
    assert latest_sort(store, CODE)["direction"] == sort.direction
    assert "<script>" not in sort.direction_message.value


def test_leaving_and_coming_back_resumes_every_move(store: Store) -> None:
    sort = ValuesCardSort(store=store, code=CODE)
    for pile in ["very", "very", "very", "important"]:
        sort.sort(pile)
    sort.undo()
    sort.set_direction("Be there for my kids")
    again = ValuesCardSort(store=store, code=CODE, context=PageContext("th"))
    assert again.history == [["family", "very"], ["friendship", "very"], ["love", "very"]]
    assert again.current.id == "health" and again.direction_input.value == "Be there for my kids"
    assert "ความรัก" in again.piles_view.value
    assert len(store.entries(CODE, "values")) == 6  # one snapshot per move
    assert set(PILES) == {"very", "important", "less"}


def test_a_projector_shows_the_deck_and_saves_nothing(store: Store) -> None:
    sort = ValuesCardSort(context=PageContext("th", "projector"), store=store, code=CODE)
    html = sort.children[-1].value
    assert "ครอบครัว" in html and sort.store is None
    assert store.entries(CODE) == []


def test_pile_words_exist_in_both_languages() -> None:
    for lang in ("en", "th"):
        assert set(library().strings(lang, "values")["piles"]) == set(PILES)
