"""framing.tables: chunks in id order, each sorted and scored where it is scored, join into the one-process tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing import load_lexicons
from framing.corpus import Article
from framing.evidence import EVIDENCE_COLUMNS
from framing.score import score_articles, score_chunk
from framing.tables import chunk_bounds, evidence_order, id_order, join_chunks

TEXTS = [
    "Officials said the landmark deal may hold. “It is a great success,” he said.",
    "Critics warned of a crisis. The plan could fail, and the talks were not a success.",
    "Lorem ipsum dolor sit amet.",
    "Talks may resume. Skepticism remains about the historic call.",
]


def article(identifier: str, text: str, outlet: str = "Outlet") -> Article:
    return Article(id=identifier, outlet=outlet, title="", date="", source_note="", text=text)


@pytest.fixture(scope="module")
def lexicons():
    return load_lexicons()


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """Ids that sort against the articles' order, one id given twice (its articles apart in input order)."""
    ids = ["m", "c", "x", "a", "c", "b", "z", "k"]
    return [article(identifier, TEXTS[index % len(TEXTS)], outlet=f"Outlet {index}")
            for index, identifier in enumerate(ids)]


@pytest.mark.parametrize("largest", [5, 2**20, 2**40])  # 2**40: the keys no longer fit one int64 together
def test_evidence_order_is_lexsorts_stable_order(largest: int) -> None:
    generator = np.random.default_rng(3)
    keys = [generator.integers(0, high, 500) for high in (4, largest, 3, 6)]
    packed_or_not = evidence_order(*keys)
    assert packed_or_not.tolist() == np.lexsort(keys[::-1]).tolist()
    assert sorted(packed_or_not.tolist()) == list(range(500))


def test_id_order_sorts_ids_and_keeps_the_order_of_an_id_given_twice(articles) -> None:
    order = id_order(articles).tolist()
    assert [articles[index].id for index in order] == ["a", "b", "c", "c", "k", "m", "x", "z"]
    assert order[2:4] == [1, 4]  # the two "c" articles in their input order
    assert id_order([]).tolist() == []


@pytest.mark.parametrize("ids, weights, target, expected", [
    (["a", "b", "c", "d", "e"], [1] * 5, 2, [(0, 2), (2, 4), (4, 5)]),
    (["a", "b", "b", "b", "c"], [1] * 5, 2, [(0, 4), (4, 5)]),  # the three b articles stay together
    (["a", "a", "b", "c"], [1] * 4, 1, [(0, 2), (2, 3), (3, 4)]),
    (["a"], [1], 10, [(0, 1)]),
    (["a", "b", "c", "d", "e", "f"], [5, 1, 1, 1, 5, 1], 5, [(0, 1), (1, 5), (5, 6)]),  # text lengths
    (["a", "b", "c"], [30, 1, 1], 5, [(0, 1), (1, 3)]),  # an article longer than the target is a chunk of its own
    ([], [], 3, [(0, 0)]),  # an empty corpus is one empty chunk: the tables keep their columns
])
def test_chunk_bounds_cover_every_article_and_never_split_an_id(ids, weights, target, expected) -> None:
    assert chunk_bounds(ids, weights, target) == expected


@pytest.mark.parametrize("size", [1, 2, 3, 8])
def test_chunks_joined_equal_one_process(articles, lexicons, size) -> None:
    expected = score_articles(articles, lexicons)
    order = id_order(articles)
    ordered = [articles[index] for index in order.tolist()]
    bounds = chunk_bounds([item.id for item in ordered], [1] * len(ordered), size)
    chunks = [score_chunk(ordered[start:end], lexicons) for start, end in bounds]
    joined = join_chunks([order[start:end] for start, end in bounds], chunks)
    for table, reference in zip(joined, expected):
        pd.testing.assert_frame_equal(table, reference)


def test_tables_follow_the_articles_and_evidence_is_sorted(articles, lexicons) -> None:
    scores, evidence, sentences = score_articles(articles, lexicons)
    assert scores["article_id"].tolist() == [item.id for item in articles]
    assert scores["outlet"].tolist() == [item.outlet for item in articles]
    assert list(dict.fromkeys(sentences["article_id"])) == list(dict.fromkeys(item.id for item in articles))
    keys = ["article_id", "start", "end", "lexicon", "category", "term"]
    resorted = evidence.sort_values(keys, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(evidence, resorted)
    assert list(evidence.columns) == EVIDENCE_COLUMNS and len(evidence) > 20
    # The id given twice: its two articles' rows interleave by position, the first article's first on a tie.
    twice = evidence[evidence["article_id"] == "c"]
    assert twice["start"].is_monotonic_increasing
    assert twice["outlet"].nunique() == 2


def test_an_empty_corpus_gives_empty_tables_with_their_columns(lexicons) -> None:
    scores, evidence, sentences = score_articles([], lexicons)
    assert (len(scores), len(evidence), len(sentences)) == (0, 0, 0)
    assert list(evidence.columns) == EVIDENCE_COLUMNS
    assert evidence["start"].dtype == np.int64 and evidence["value"].dtype == np.float64
