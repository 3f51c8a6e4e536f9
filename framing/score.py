"""Scoring: lexicon matches become evidence rows, and every score is computed from them.

The two tables are the library's seam:

* **evidence**: one row per match (``EVIDENCE_COLUMNS``): which words, where, in which
  lexicon and category, their weight, and the ``value`` they add after tone rules;
* **scores**: one row per article (``SCORE_COLUMNS`` plus one ``<lexicon>_per_1k`` and
  ``<lexicon>_<category>_per_1k`` column per lexicon and category).

``scores_from_evidence`` is the only place scores are computed, so a score can always be
traced to its rows (and the tests recompute it independently).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from .corpus import Article, Corpus
from .evidence import (
    COUNT_COLUMNS, EVIDENCE_COLUMNS, MODIFIER_LEXICON, QUOTE_LEXICON, RULE_LEXICONS, SENTENCE_COLUMNS, TONE_LEXICON,
    Batch, entry_columns, find_quotes, score_batch,
)
from .lexicon import LexiconSet, load_lexicons
from .tables import ChunkTables, Tables, chunk_frames, evidence_order, id_order, join_chunks
from .tone_rules import TONE_RULES_PATH, ToneRules
from . import tone_rules as _tone_rules

__all__ = [
    "BOOSTER_LEXICON", "COUNT_COLUMNS", "EVIDENCE_COLUMNS", "HEDGE_LEXICON", "MODIFIER_LEXICON", "QUOTE_LEXICON",
    "RULE_LEXICONS", "SCORE_COLUMNS", "SENTENCE_COLUMNS", "SENTENCE_TONE_THRESHOLD", "TONE_LEXICON", "TONE_NORMALIZER",
    "TONE_RULES", "TONE_RULES_PATH", "ScoredCorpus", "ToneRules", "find_quotes", "measure_column", "rate_lexicons",
    "score", "score_articles", "score_chunk", "score_texts", "scores_from_evidence", "sentence_tone", "tone_sums",
]

HEDGE_LEXICON = "hedges"
BOOSTER_LEXICON = "boosters"
# Hedge categories that mark epistemic uncertainty (the kinds the Szeged corpus labels);
# approximators and attribution shields are hedges too, but not uncertainty about the claim.
UNCERTAINTY_CATEGORIES = frozenset({"modal", "epistemic", "doxastic", "conditional", "investigative"})
TONE_RULES = _tone_rules.TONE_RULES  # the shipped tone-rule parameters (framing/data/tone_rules.json)
TONE_NORMALIZER = 15.0  # VADER's alpha: sentence tone = s / sqrt(s^2 + alpha)
SENTENCE_TONE_THRESHOLD = 0.05
SCORE_COLUMNS = COUNT_COLUMNS + ["tone", "positive_share", "negative_share", "quote_share"]
BATCH_CHARACTERS = 1_000_000  # text per batch: big enough for numpy to pay, small enough to keep memory flat


@dataclass(frozen=True)
class ScoredCorpus:
    """A corpus with its tables: scores per article, evidence per match, sentences."""

    corpus: Corpus
    lexicons: LexiconSet
    scores: pd.DataFrame = field(repr=False)
    evidence: pd.DataFrame = field(repr=False)
    sentences: pd.DataFrame = field(repr=False)


def measure_column(lexicon: str, category: str | None = None) -> str:
    """Column name of a rate per 1,000 tokens, e.g. ``hedges_per_1k`` or ``frames_conflict_per_1k``."""
    return f"{lexicon}_{category}_per_1k" if category else f"{lexicon}_per_1k"


def rate_lexicons(lexicons: LexiconSet) -> list[str]:
    """Lexicons scored as rates per 1,000 tokens (all but tone and its rule words)."""
    return [name for name in lexicons.names if name != TONE_LEXICON and name not in RULE_LEXICONS]


def _batches(articles: Iterable[Article]) -> Iterator[list[Article]]:
    """Consecutive articles in lists of about ``BATCH_CHARACTERS`` of text (read at call time)."""
    characters = BATCH_CHARACTERS
    batch: list[Article] = []
    size = 0
    for article in articles:
        batch.append(article)
        size += len(article.text)
        if size >= characters:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def score_batches(
    articles: Iterable[Article],
    lexicons: LexiconSet,
    progress: Callable[[int], None] | None = None,
    *,
    rules: ToneRules | None = None,
) -> tuple[list[Article], list[Batch]]:
    """The articles, and their batches of about ``BATCH_CHARACTERS`` of text scored as arrays
    (``evidence.score_batch``); ``progress`` is called with the number of articles after each batch.
    ``rules``: tone-rule parameters (default: the shipped ``TONE_RULES``)."""
    rules = rules or _tone_rules.TONE_RULES
    columns = entry_columns(lexicons)
    done: list[Article] = []
    batches: list[Batch] = []
    for batch in _batches(articles):
        batches.append(score_batch(batch, lexicons, columns, rules))
        done += batch
        if progress is not None:
            progress(len(batch))
    return done, batches


def score_chunk(
    articles: Sequence[Article],
    lexicons: LexiconSet,
    progress: Callable[[int], None] | None = None,
    *,
    rules: ToneRules | None = None,
) -> ChunkTables:
    """A chunk of articles, given in id order, scored into its share of the tables (``framing.tables``),
    its scores included; ``progress`` and ``rules``: as in ``score_batches``."""
    done, batches = score_batches(articles, lexicons, progress, rules=rules)
    counts, evidence, sentences, sentence_article = chunk_frames(done, batches, entry_columns(lexicons))
    return ChunkTables(scores=scores_from_evidence(counts, evidence, lexicons), evidence=evidence,
                       sentences=sentences, sentence_article=sentence_article)


def score_articles(
    articles: Iterable[Article],
    lexicons: LexiconSet,
    progress: Callable[[int], None] | None = None,
    *,
    rules: ToneRules | None = None,
) -> Tables:
    """Tokenize and match each article; return its (scores, evidence, sentences) tables.

    Scores and sentences follow the articles' order. Evidence is sorted by article id, then
    start, end, lexicon, category and term (an id given twice keeps one block, in that order).
    ``progress`` and ``rules``: as in ``score_batches``.
    """
    articles = tuple(articles)
    order = id_order(articles)
    return join_chunks([order], [score_chunk([articles[index] for index in order.tolist()], lexicons, progress,
                                             rules=rules)])


def sentence_tone(total: float | np.ndarray | pd.Series) -> float | np.ndarray | pd.Series:
    """VADER's normalization of a sentence's summed valence into [-1, 1] (one total, or many at once)."""
    return total / np.sqrt(total * total + TONE_NORMALIZER)


def _grouped_sums(groups: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """Per group 0 .. count - 1, its rows' values summed in row order, compensated as pandas' grouped
    sum is (``kernels.group_sums``); rows of group -1 are left out."""
    from .kernels import group_sums  # numba: imported on first use

    return group_sums(np.ascontiguousarray(groups, np.int64), np.ascontiguousarray(values, np.float64), count)


def _positions(values: pd.Series, groups: pd.Index) -> np.ndarray:
    """Each value's position in ``groups``, -1 where it is not there (the values factorized once)."""
    codes, uniques = pd.factorize(values)
    return np.append(groups.get_indexer(uniques), -1)[codes]


def _tone_arrays(evidence: pd.DataFrame, group: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group (``group`` per evidence row, as for ``_grouped_sums``): summed sentence tone and the
    numbers of positive and negative sentences. A sentence's tone rows are summed in row order; its
    group's sentence tones in (group, article id, sentence) order, as a groupby of those keys gives."""
    tone = (evidence["lexicon"] == TONE_LEXICON).to_numpy(bool) & (group >= 0)
    article = pd.factorize(evidence["article_id"], sort=True)[0][tone]
    sentence, rows = evidence["sentence"].to_numpy(np.int64)[tone], group[tone]
    order = evidence_order(rows, article, sentence)
    rows, article, sentence = rows[order], article[order], sentence[order]
    opens = np.ones(len(order), bool)
    opens[1:] = (rows[1:] != rows[:-1]) | (article[1:] != article[:-1]) | (sentence[1:] != sentence[:-1])
    totals = _grouped_sums(np.cumsum(opens) - 1, evidence["value"].to_numpy(np.float64)[tone][order], int(opens.sum()))
    tones, sentence_group = sentence_tone(totals), rows[opens]
    return (_grouped_sums(sentence_group, tones, count),
            np.bincount(sentence_group[tones > SENTENCE_TONE_THRESHOLD], minlength=count),
            np.bincount(sentence_group[tones < -SENTENCE_TONE_THRESHOLD], minlength=count))


def tone_sums(evidence: pd.DataFrame, key: str = "article_id") -> pd.DataFrame:
    """Per ``key`` with tone rows: summed sentence tone and counts of positive and negative sentences."""
    keys = pd.Index(sorted(set(evidence.loc[evidence["lexicon"] == TONE_LEXICON, key])), name=key)
    tone_sum, positive, negative = _tone_arrays(evidence, _positions(evidence[key], keys), len(keys))
    return pd.DataFrame({"tone_sum": tone_sum, "positive_sentences": positive, "negative_sentences": negative},
                        index=keys)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole``, 0 where ``whole`` is 0."""
    return np.divide(part, whole, out=np.zeros(len(whole)), where=whole > 0)


def _rate_columns(evidence: pd.DataFrame, lexicons: LexiconSet, group: np.ndarray, count: int) -> dict[str, np.ndarray]:
    """Per group, the summed value of each rate column (``measure_column``) and of direct quotations
    (``QUOTE_LEXICON``): a row adds to its lexicon's column and to its category's."""
    lexicon, lexicon_names = pd.factorize(evidence["lexicon"])
    category, category_names = pd.factorize(evidence["category"])
    lexicon_names, category_names = list(lexicon_names), list(category_names)
    # The columns, and for each lexicon and (lexicon, category) of the rows the column it adds to (-1: none).
    columns: list[str] = [QUOTE_LEXICON]
    lexicon_column = np.full(len(lexicon_names) + 1, -1)  # the last: a row with no lexicon (code -1)
    category_column = np.full((len(lexicon_names) + 1, len(category_names) + 1), -1)
    if QUOTE_LEXICON in lexicon_names:
        lexicon_column[lexicon_names.index(QUOTE_LEXICON)] = 0
    for name in rate_lexicons(lexicons):
        if name in lexicon_names:
            lexicon_column[lexicon_names.index(name)] = len(columns)
        columns.append(measure_column(name))
        for category_name in lexicons[name].categories:
            if name in lexicon_names and category_name in category_names:
                category_column[lexicon_names.index(name), category_names.index(category_name)] = len(columns)
            columns.append(measure_column(name, category_name))
    row_columns = np.concatenate((lexicon_column[lexicon], category_column[lexicon, category]))
    row_groups = np.tile(group, 2)
    cells = np.where((row_columns >= 0) & (row_groups >= 0), row_groups * len(columns) + row_columns, -1)
    value = evidence["value"].to_numpy(np.float64)
    sums = _grouped_sums(cells, np.tile(value, 2), count * len(columns)).reshape(count, len(columns))
    return {column: sums[:, index] for index, column in enumerate(columns)}


def scores_from_evidence(
    counts: pd.DataFrame, evidence: pd.DataFrame, lexicons: LexiconSet, key: str = "article_id"
) -> pd.DataFrame:
    """Scores per ``key`` (article or outlet) from token and sentence counts plus evidence rows.

    Every sum is one pass over the rows (``_grouped_sums``), each score's rows added in table
    order. Rows follow the sorted keys, or the counts' rows for ``key="article_id"``.
    """
    codes, groups = pd.factorize(counts[key], sort=True)  # (a missing key: code -1, left out as groupby does)
    groups, count, keyed = pd.Index(groups, name=key), len(groups), codes >= 0
    tokens, sentences = (np.bincount(codes[keyed], counts[column].to_numpy(np.float64)[keyed], count).astype(np.int64)
                         for column in ("tokens", "sentences"))
    group = _positions(evidence[key], groups)
    tone_sum, positive, negative = _tone_arrays(evidence, group, count)
    sums = _rate_columns(evidence, lexicons, group, count)
    values = {
        "tokens": tokens, "sentences": sentences, "tone": _share(tone_sum, sentences),
        "positive_share": _share(positive, sentences), "negative_share": _share(negative, sentences),
        "quote_share": _share(sums.pop(QUOTE_LEXICON), tokens),
        **{column: _share(1000.0 * hits, tokens) for column, hits in sums.items()},
    }
    if key == "article_id":
        rows = groups.get_indexer(counts["article_id"])
        table = pd.DataFrame({"article_id": counts["article_id"].array, "outlet": counts["outlet"].array,
                              "title": counts["title"].array,
                              **{column: column_values[rows] for column, column_values in values.items()}})
    else:
        table = pd.DataFrame({key: groups, **values})
    return table.round(6)


def score(corpus: Corpus, lexicons: LexiconSet | None = None,
          progress: Callable[[int], None] | None = None, *, workers: int = 1, engine: str = "local",
          scheduler: str | None = None) -> ScoredCorpus:
    """Score every article of a corpus; the tables are sorted and deterministic.

    ``workers``, ``engine`` ("local" or "dask") and ``scheduler`` (a Dask scheduler address)
    choose where scoring runs (see ``framing.engine``); the tables are the same whichever does.
    """
    from .engine import score_tables  # imported here: the engine builds on score_articles

    lexicons = lexicons or load_lexicons()
    scores, evidence, sentences = score_tables(corpus.articles, lexicons, progress,
                                               workers=workers, engine=engine, scheduler=scheduler)
    return ScoredCorpus(corpus=corpus, lexicons=lexicons, scores=scores, evidence=evidence, sentences=sentences)


def score_texts(texts: Iterable[str], lexicons: LexiconSet | None = None) -> pd.DataFrame:
    """Score short texts (one row each, input order) with the same code path as articles.

    Columns: the article scores plus ``hedged``, True when a text holds at least one
    epistemic-uncertainty cue (a hedge in ``UNCERTAINTY_CATEGORIES``).
    """
    lexicons = lexicons or load_lexicons()
    articles = [
        Article(id=f"{index:09d}", outlet="", title="", date="", source_note="", text=text)
        for index, text in enumerate(texts)
    ]
    scores, evidence, _ = score_articles(articles, lexicons)
    uncertain = evidence[(evidence["lexicon"] == HEDGE_LEXICON) & evidence["category"].isin(UNCERTAINTY_CATEGORIES)]
    scores["hedged"] = scores["article_id"].isin(set(uncertain["article_id"]))
    return scores.drop(columns=["article_id", "outlet", "title"])
