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
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from .corpus import Article, Corpus
from .evidence import (
    COUNT_COLUMNS, EVIDENCE_COLUMNS, MODIFIER_LEXICON, QUOTE_LEXICON, RULE_LEXICONS, SENTENCE_COLUMNS, TONE_LEXICON,
    Batch, batch_tables, entry_columns, find_quotes, score_batch,
)
from .lexicon import LexiconSet, load_lexicons
from .tone_rules import TONE_RULES_PATH, ToneRules
from . import tone_rules as _tone_rules

__all__ = [
    "BOOSTER_LEXICON", "COUNT_COLUMNS", "EVIDENCE_COLUMNS", "HEDGE_LEXICON", "MODIFIER_LEXICON", "QUOTE_LEXICON",
    "RULE_LEXICONS", "SCORE_COLUMNS", "SENTENCE_COLUMNS", "SENTENCE_TONE_THRESHOLD", "TONE_LEXICON", "TONE_NORMALIZER",
    "TONE_RULES", "TONE_RULES_PATH", "ScoredCorpus", "ToneRules", "find_quotes", "measure_column", "rate_lexicons",
    "score", "score_articles", "score_texts", "scores_from_evidence", "sentence_tone", "tone_sums",
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


def score_articles(
    articles: Iterable[Article],
    lexicons: LexiconSet,
    progress: Callable[[int], None] | None = None,
    *,
    rules: ToneRules | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tokenize and match each article; return (counts, evidence, sentences) tables.

    Counts and sentences follow the articles' order. Evidence is sorted by article id, then
    start, end, lexicon, category and term (an id given twice keeps one block, in that order).
    ``progress`` and ``rules``: as in ``score_batches``.
    """
    done, batches = score_batches(articles, lexicons, progress, rules=rules)
    return batch_tables(done, batches, entry_columns(lexicons))


def sentence_tone(total: float | np.ndarray | pd.Series) -> float | np.ndarray | pd.Series:
    """VADER's normalization of a sentence's summed valence into [-1, 1] (one total, or many at once)."""
    return total / np.sqrt(total * total + TONE_NORMALIZER)


def tone_sums(evidence: pd.DataFrame, key: str = "article_id") -> pd.DataFrame:
    """Per ``key``: summed sentence tone and counts of positive and negative sentences."""
    keys = ["article_id", "sentence"] if key == "article_id" else [key, "article_id", "sentence"]
    sums = evidence.loc[evidence["lexicon"] == TONE_LEXICON, keys + ["value"]].groupby(keys)["value"].sum()
    per_sentence = sentence_tone(sums)
    frame = per_sentence.rename("sentence_tone").reset_index()
    return pd.DataFrame({
        "tone_sum": frame.groupby(key)["sentence_tone"].sum(),
        "positive_sentences": frame[frame["sentence_tone"] > SENTENCE_TONE_THRESHOLD].groupby(key).size(),
        "negative_sentences": frame[frame["sentence_tone"] < -SENTENCE_TONE_THRESHOLD].groupby(key).size(),
    })


def scores_from_evidence(
    counts: pd.DataFrame, evidence: pd.DataFrame, lexicons: LexiconSet, key: str = "article_id"
) -> pd.DataFrame:
    """Scores per ``key`` (article or outlet) from token and sentence counts plus evidence rows."""
    evidence = evidence[list(dict.fromkeys([key, "article_id", "sentence", "lexicon", "category", "value"]))]  # no text
    grouped = counts.groupby(key, sort=True)[["tokens", "sentences"]].sum()
    tokens = grouped["tokens"].where(grouped["tokens"] > 0)
    sentences = grouped["sentences"].where(grouped["sentences"] > 0)
    tone = tone_sums(evidence, key).reindex(grouped.index).fillna(0.0)
    table = pd.DataFrame(index=grouped.index)
    if key == "article_id":
        table = counts.set_index("article_id")[["outlet", "title"]].copy()
    table["tokens"] = grouped["tokens"]
    table["sentences"] = grouped["sentences"]
    table["tone"] = (tone["tone_sum"] / sentences).fillna(0.0)
    table["positive_share"] = (tone["positive_sentences"] / sentences).fillna(0.0)
    table["negative_share"] = (tone["negative_sentences"] / sentences).fillna(0.0)
    quoted = evidence[evidence["lexicon"] == QUOTE_LEXICON].groupby(key)["value"].sum()
    table["quote_share"] = (quoted.reindex(grouped.index).fillna(0.0) / tokens).fillna(0.0)
    names = rate_lexicons(lexicons)
    rated = evidence[evidence["lexicon"].isin(names)]
    # Each group sums its rows in table order, as a groupby of that lexicon's (or category's) rows alone would.
    by_lexicon = rated.groupby([key, "lexicon"])["value"].sum().unstack(["lexicon"])
    by_category = rated.groupby([key, "lexicon", "category"])["value"].sum().unstack(["lexicon", "category"])
    nothing = pd.Series(0.0, index=grouped.index)
    for name in names:
        columns = [(measure_column(name), by_lexicon.get(name, nothing))]
        columns += [(measure_column(name, category), by_category.get((name, category), nothing))
                    for category in lexicons[name].categories]
        for column, sums in columns:
            hits = sums.reindex(grouped.index).fillna(0.0)
            table[column] = (1000.0 * hits / tokens).fillna(0.0)
    return table.reset_index().round(6)


def score(corpus: Corpus, lexicons: LexiconSet | None = None,
          progress: Callable[[int], None] | None = None, *, workers: int = 1, engine: str = "local",
          scheduler: str | None = None) -> ScoredCorpus:
    """Score every article of a corpus; the tables are sorted and deterministic.

    ``workers``, ``engine`` ("local" or "dask") and ``scheduler`` (a Dask scheduler address)
    choose where scoring runs (see ``framing.engine``); the tables are the same whichever does.
    """
    from .engine import score_tables  # imported here: the engine builds on score_articles

    lexicons = lexicons or load_lexicons()
    counts, evidence, sentences = score_tables(corpus.articles, lexicons, progress,
                                               workers=workers, engine=engine, scheduler=scheduler)
    scores = scores_from_evidence(counts, evidence, lexicons)
    order = {article.id: index for index, article in enumerate(corpus.articles)}
    scores = scores.sort_values("article_id", key=lambda ids: ids.map(order)).reset_index(drop=True)
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
    counts, evidence, _ = score_articles(articles, lexicons)
    scores = scores_from_evidence(counts, evidence, lexicons)
    uncertain = evidence[(evidence["lexicon"] == HEDGE_LEXICON) & evidence["category"].isin(UNCERTAINTY_CATEGORIES)]
    scores["hedged"] = scores["article_id"].isin(set(uncertain["article_id"]))
    return scores.drop(columns=["article_id", "outlet", "title"])
