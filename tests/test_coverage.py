"""framing.coverage: named actors, key phrases, matching across outlets, and what one outlet alone covers."""

from __future__ import annotations

import pandas as pd
import pytest

from framing import load_corpus
from framing.corpus import make_article
from framing.coverage import (
    ACTOR, COVERAGE_COLUMNS, PHRASE, STOPWORDS_PATH, coverage_matrix, coverage_table, load_stopwords,
    outlet_vocabulary, single_outlet_subtopics,
)

from .conftest import BUNDLED_CORPUS

USA_TODAY, BLOG, REPORT = "USA Today (summary)", "Unattributed blog", "Unattributed report"


@pytest.fixture(scope="module")
def tiny():
    articles = [
        make_article(id="a1", outlet="Outlet A", title="Hockey Diplomacy Returns",
                     text="Hockey Diplomacy Returns\n\nRussian President Vladimir Putin proposed hockey matches in the "
                          "Black Sea region. Putin also backed a prisoner exchange. Following the call, officials met."),
        make_article(id="b1", outlet="Outlet B", title="Minerals at stake",
                     text="Minerals at stake\n\nWashington wants mineral excavation agreements. Both sides discussed "
                          "prisoner exchanges with Putin."),
        make_article(id="c1", outlet="Outlet C", title="Talks end",
                     text="Talks end\n\nThe prisoner exchange went ahead, Putin said."),
    ]
    return articles, coverage_table(articles)


def outlets_of(coverage: pd.DataFrame, key: str) -> set[str]:
    return set(coverage.loc[coverage["key"] == key, "outlet"])


def test_phrases_match_across_outlets_by_normalized_form(tiny):
    _, coverage = tiny
    assert outlets_of(coverage, "prisoner exchange") == {"Outlet A", "Outlet B", "Outlet C"}
    surfaces = set(coverage.loc[coverage["key"] == "prisoner exchange", "text"])
    assert surfaces == {"prisoner exchange", "prisoner exchanges"}


def test_actors_drop_titles_and_merge_into_their_surname(tiny):
    _, coverage = tiny
    putin = coverage[coverage["key"] == "putin"]
    assert set(putin["kind"]) == {ACTOR}
    assert "Vladimir Putin" in set(putin["text"]) and outlets_of(coverage, "putin") == {"Outlet A", "Outlet B", "Outlet C"}
    assert outlets_of(coverage, "black sea") == {"Outlet A"}
    assert coverage.loc[coverage["key"] == "black sea", "kind"].iloc[0] == ACTOR


@pytest.mark.parametrize("key", ["following", "russian", "president", "hockey diplomacy", "mineral"])
def test_sentence_openers_titles_and_headline_only_words_are_no_subtopics(tiny, key):
    _, coverage = tiny
    assert key not in set(coverage["key"])


def test_single_outlet_subtopics_are_ranked_with_their_outlet(tiny):
    articles, coverage = tiny
    single = single_outlet_subtopics(coverage, outlet_vocabulary(articles))
    by_key = single.set_index("key")
    assert by_key.loc["hockey match", "outlet"] == "Outlet A" and by_key.loc["hockey match", "kind"] == PHRASE
    assert by_key.loc["mineral excavation agreement", "outlet"] == "Outlet B"
    assert "prisoner exchange" not in by_key.index
    assert single["rank_score"].is_monotonic_decreasing
    # "mineral excavation" only ever occurs inside the longer phrase, so only the longer one is kept
    assert "mineral excavation" not in set(coverage["key"])


def test_matrix_has_one_column_per_outlet(tiny):
    _, coverage = tiny
    matrix = coverage_matrix(coverage).set_index("key")
    assert list(matrix.columns[-3:]) == ["Outlet A", "Outlet B", "Outlet C"]
    assert matrix.loc["prisoner exchange", "outlets"] == 3
    assert matrix.loc["hockey match", ["Outlet A", "Outlet B", "Outlet C"]].tolist() == [1, 0, 0]


def test_stopwords_ship_as_data():
    assert STOPWORDS_PATH.suffix == ".txt"
    assert {"the", "and", "of"} <= load_stopwords() and "hockey" not in load_stopwords()


@pytest.fixture(scope="module")
def bundled():
    corpus = load_corpus(BUNDLED_CORPUS)
    return corpus, coverage_table(corpus)


@pytest.mark.parametrize("key, outlet", [
    ("hockey match", REPORT),
    ("mineral excavation agreement", BLOG),
    ("zaporizhzhia nuclear power plant", USA_TODAY),
    ("middle east", REPORT),
    ("marco rubio", USA_TODAY),
    ("nato membership", USA_TODAY),
])
def test_bundled_subtopics_one_outlet_alone_covers(bundled, key, outlet):
    corpus, coverage = bundled
    single = single_outlet_subtopics(coverage, outlet_vocabulary(corpus)).set_index("key")
    assert single.loc[key, "outlet"] == outlet


def test_bundled_shared_and_partly_covered_subtopics(bundled):
    _, coverage = bundled
    assert outlets_of(coverage, "black sea") == {USA_TODAY, BLOG, REPORT}
    assert outlets_of(coverage, "territorial concession") == {USA_TODAY, REPORT}
    assert outlets_of(coverage, "kremlin") == {BLOG, REPORT}


def test_bundled_rows_point_at_their_text_and_are_sorted(bundled):
    corpus, coverage = bundled
    assert list(coverage.columns) == COVERAGE_COLUMNS
    texts = {a.id: a.text for a in corpus.articles}
    for row in coverage.itertuples(index=False):
        assert texts[row.article_id][row.start:row.end] == row.text
        assert row.sentence_start <= row.start < row.end <= row.sentence_end
    counts = coverage.groupby(["key", "article_id"]).size()
    assert (coverage.set_index(["key", "article_id"])["mentions"] == counts.reindex(
        coverage.set_index(["key", "article_id"]).index)).all()
    pd.testing.assert_frame_equal(coverage, coverage_table(corpus))
