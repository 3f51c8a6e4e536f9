"""framing.claims: numbers in words and digits, units, approximators, and the agreement rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from framing import load_corpus
from framing.claims import AGREE, CLAIM_COLUMNS, DISAGREE, SINGLE, claims_table, group_claims
from framing.corpus import make_article

from .conftest import BUNDLED_CORPUS

USA_TODAY, BLOG, REPORT = "USA Today (summary)", "Unattributed blog", "Unattributed report"


def article(body: str, id: str = "a1", outlet: str = "Outlet A"):
    return make_article(id=id, outlet=outlet, title="Headline", text=f"Headline\n\n{body}")


def claims_of(body: str) -> pd.DataFrame:
    return claims_table([article(body)])


@pytest.mark.parametrize("body, measure, value, unit, approximator, phrase", [
    ("The call lasted two hours.", "call length", 120, "minutes", "", "two hours"),
    ("The two-hour phone conversation ended well.", "call length", 120, "minutes", "", "two-hour"),
    ("Their 2-Hour Call changed everything.", "call length", 120, "minutes", "", "2-Hour"),
    ("During their over 90-minute conversation they agreed.", "call length", 90, "minutes", "over", "over 90-minute"),
    ("The phone call lasted over an hour.", "call length", 60, "minutes", "over", "over an hour"),
    ("The talks lasted about twenty-five minutes.", "call length", 25, "minutes", "about", "about twenty-five minutes"),
    ("They spoke on the phone for nearly three hours.", "call length", 180, "minutes", "nearly", "nearly three hours"),
    ("The conversation took half an hour.", "call length", 30, "minutes", "", "half an hour"),
    ("They agreed to a 30-day ceasefire.", "ceasefire period", 30, "days", "", "30-day"),
    ("They agreed to halt attacks for a month.", "ceasefire period", 30, "days", "", "a month"),
    ("A month-long truce began.", "ceasefire period", 30, "days", "", "A month-long"),
    ("Each side will release 175 individuals.", "prisoners exchanged", 175, "count", "", "175 individuals"),
    ("Russia will return 23 injured Ukrainian soldiers.", "soldiers returned", 23, "count", "", "23 injured Ukrainian soldiers"),
    ("More than 1,000 prisoners were freed.", "prisoners exchanged", 1000, "count", "more than", "More than 1,000 prisoners"),
    ("Russia holds approximately 20% of Ukrainian territory.", "territory held", 20, "%", "approximately", "approximately 20%"),
    ("Russia holds 20 percent of the land.", "territory held", 20, "%", "", "20 percent"),
    ("The U.S. sent $5 billion in aid.", "aid", 5e9, "USD", "", "$5 billion"),
])
def test_numbers_units_and_approximators(body, measure, value, unit, approximator, phrase):
    rows = claims_of(body)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["measure"], row["unit"], row["approximator"], row["phrase"]) == (measure, unit, approximator, phrase)
    assert row["value"] == pytest.approx(value)


@pytest.mark.parametrize("body, low, high, implied_high", [
    ("The call lasted over an hour.", 60, math.inf, 90),
    ("The call lasted two hours.", 120, 120, 120),
    ("The call lasted about an hour.", 54, 66, 66),
    ("The call lasted less than an hour.", 0, 60, 60),
    ("They halted attacks for a month.", 28, 31, 31),
])
def test_ranges_literal_and_implied(body, low, high, implied_high):
    row = claims_of(body).iloc[0]
    assert row["low"] == pytest.approx(low) and row["high"] == pytest.approx(high)
    assert row["implied_high"] == pytest.approx(implied_high)


@pytest.mark.parametrize("body", [
    "Russia invaded Ukraine in 2022.",
    "The call took place on March 18.",
    "It was the first step toward peace.",
])
def test_years_dates_and_ordinals_are_not_claims(body):
    assert claims_of(body).empty


def group_for(*bodies: str) -> pd.Series:
    articles = [article(body, id=f"a{i}", outlet=f"Outlet {i}") for i, body in enumerate(bodies)]
    groups = group_claims(claims_table(articles))
    assert len(groups) == 1
    return groups.iloc[0]


def test_same_number_in_different_words_agrees():
    group = group_for("Both sides accepted a 30-day ceasefire.", "Attacks on the grid stop for a month.")
    assert group["status"] == AGREE and group["outlets"] == 2
    assert group["phrasings"] == "30-day; a month"


def test_ranges_that_cannot_both_hold_disagree_on_values():
    group = group_for("The call lasted 40 minutes.", "The call lasted two hours.")
    assert (group["status"], group["basis"]) == (DISAGREE, "values")
    assert "“40 minutes”" in group["note"] and "“two hours”" in group["note"]


def test_over_an_hour_against_two_hours_disagrees_on_phrasing():
    group = group_for("The call lasted over an hour.", "The two-hour call ended.")
    assert (group["status"], group["basis"]) == (DISAGREE, "phrasing")
    assert group["low"] == 120 and group["high"] == 120  # literally compatible: both hold for 120 minutes


def test_over_ninety_minutes_and_two_hours_agree():
    assert group_for("Their over 90-minute conversation ended.", "The two-hour call ended.")["status"] == AGREE


def test_one_outlet_is_a_single_source():
    group = group_for("Each side will release 175 individuals.")
    assert group["status"] == SINGLE and group["claims"] == 1


@pytest.fixture(scope="module")
def bundled():
    corpus = load_corpus(BUNDLED_CORPUS)
    claims = claims_table(corpus)
    return corpus, claims, group_claims(claims)


def test_bundled_call_length_is_a_disagreement_with_all_three_phrasings(bundled):
    corpus, claims, groups = bundled
    group = groups.set_index("measure").loc["call length"]
    assert group["status"] == DISAGREE and group["outlets"] == 3
    assert groups.iloc[0]["measure"] == "call length"  # disagreements lead
    texts = {a.id: a.text for a in corpus.articles}
    rows = claims[claims["measure"] == "call length"]
    expected = {USA_TODAY: "over an hour", BLOG: "two-hour", REPORT: "over 90-minute"}
    for outlet, phrase in expected.items():
        row = rows[(rows["outlet"] == outlet) & (rows["phrase"] == phrase)].iloc[0]
        sentence = texts[row["article_id"]][row["sentence_start"]:row["sentence_end"]]
        assert phrase in sentence and sentence.endswith(".")


def test_bundled_ceasefire_period_agrees_and_prisoners_are_single_source(bundled):
    _, claims, groups = bundled
    by_measure = groups.set_index("measure")
    assert by_measure.loc["ceasefire period", "status"] == AGREE
    assert {"30-day", "a month"} <= set(by_measure.loc["ceasefire period", "phrasings"].split("; "))
    assert by_measure.loc["prisoners exchanged", "status"] == SINGLE
    assert by_measure.loc["soldiers returned", "status"] == SINGLE
    prisoners = claims[claims["measure"] == "prisoners exchanged"].iloc[0]
    assert (prisoners["outlet"], prisoners["value"]) == (REPORT, 175)
    territory = claims[claims["measure"] == "territory held"].iloc[0]
    assert (territory["approximator"], territory["value"]) == ("approximately", 20)


def test_bundled_rows_point_at_their_text_and_are_sorted(bundled):
    corpus, claims, _ = bundled
    assert list(claims.columns) == CLAIM_COLUMNS
    texts = {a.id: a.text for a in corpus.articles}
    for row in claims.itertuples(index=False):
        assert texts[row.article_id][row.start:row.end] == row.phrase
        assert row.sentence_start <= row.start < row.end <= row.sentence_end
    pd.testing.assert_frame_equal(claims, claims.sort_values(["article_id", "start", "end"]).reset_index(drop=True))
    pd.testing.assert_frame_equal(claims, claims_table(corpus))
