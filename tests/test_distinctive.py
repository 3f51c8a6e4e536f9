"""framing.distinctive: the Fightin' Words arithmetic against a hand computation, and per-outlet tables."""

from __future__ import annotations

import math

import pytest

from framing.corpus import make_article
from framing.distinctive import DISTINCTIVE_COLUMNS, distinctive_words, informative_prior, log_odds


def test_log_odds_matches_a_hand_computation():
    # n_i = n_j = 4, a_w = 1 for both words, a0 = 2:
    # delta_a = log((3+1)/(4+2-3-1)) - log((1+1)/(4+2-1-1)) = log 2 - log 0.5 = 2 log 2
    # var_a = 1/(3+1) + 1/(1+1) = 0.75, z_a = 2 log 2 / sqrt(0.75)
    table = log_odds({"a": 3, "b": 1}, {"a": 1, "b": 3}, prior={"a": 1.0, "b": 1.0}).set_index("word")
    assert table.loc["a", "delta"] == pytest.approx(2 * math.log(2))
    assert table.loc["a", "z"] == pytest.approx(2 * math.log(2) / math.sqrt(0.75))
    assert table.loc["b", "z"] == pytest.approx(-table.loc["a", "z"])
    assert table.loc["a", ["count", "count_rest"]].tolist() == [3, 1]


def test_log_odds_with_uneven_prior_and_totals():
    # y_i = {x: 2, y: 0}, y_j = {x: 1, y: 5}; prior x: 0.5, y: 1.5 (a0 = 2); n_i = 2, n_j = 6
    delta = math.log(2.5 / (2 + 2 - 2.5)) - math.log(1.5 / (6 + 2 - 1.5))
    z = delta / math.sqrt(1 / 2.5 + 1 / 1.5)
    table = log_odds({"x": 2}, {"x": 1, "y": 5}, prior={"x": 0.5, "y": 1.5}).set_index("word")
    assert table.loc["x", "delta"] == pytest.approx(delta)
    assert table.loc["x", "z"] == pytest.approx(z)
    assert table.loc["y", "count"] == 0 and math.isfinite(table.loc["y", "z"])


def test_informative_prior_scales_counts_to_alpha0():
    assert informative_prior({"a": 3, "b": 1}, alpha0=8) == {"a": 6.0, "b": 2.0}
    assert informative_prior({}, alpha0=8) == {}


def test_default_prior_is_the_pooled_counts():
    counts, rest = {"a": 3, "b": 1}, {"a": 1, "b": 5}
    explicit = log_odds(counts, rest, prior=informative_prior({"a": 4, "b": 6}, alpha0=100))
    assert log_odds(counts, rest, alpha0=100).equals(explicit)


def test_rows_are_sorted_by_z():
    table = log_odds({"a": 5, "b": 1, "c": 2}, {"a": 1, "b": 5, "c": 2})
    assert table["word"].tolist() == ["a", "c", "b"]


def test_distinctive_words_per_outlet_with_first_use():
    articles = [
        make_article(id="a1", outlet="Hawk", title="T", text="T\n\nThe war goes on. The war is brutal. War again."),
        make_article(id="b1", outlet="Dove", title="T", text="T\n\nThe peace talks go on. Peace is near. Peace."),
    ]
    table = distinctive_words(articles, alpha0=10)
    assert list(table.columns) == DISTINCTIVE_COLUMNS
    hawk = table[table["outlet"] == "Hawk"].iloc[0]
    assert (hawk["word"], hawk["count"], hawk["count_rest"]) == ("war", 3, 0)
    text = articles[0].text
    assert text[hawk["start"]:hawk["end"]] == "war" and text[hawk["sentence_start"]:hawk["sentence_end"]] == "The war goes on."
    assert table[table["outlet"] == "Dove"].iloc[0]["word"] == "peace"
    assert set(table["word"]) <= {"war", "the", "on", "peace", "is"}  # min_count=2: single uses are no habit


def test_distinctive_words_need_two_outlets():
    one = [make_article(id="a1", outlet="Only", title="T", text="T\n\nWords words words.")]
    assert distinctive_words(one).empty
