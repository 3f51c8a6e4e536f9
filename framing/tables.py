"""The (scores, evidence, sentences) tables from scored batches, made in two steps that can run apart.

A corpus is scored in chunks of its articles taken in article-id order (``id_order``,
``chunk_bounds``). ``chunk_frames`` turns one chunk's batches into its tables, evidence rows
sorted and every column built, where the chunk was scored (a worker process or a Dask worker,
so that work runs in parallel too); ``score.score_chunk`` adds the chunk's scores. ``join_chunks``
puts the chunks together: as they follow the id order, their sorted evidence rows only need
concatenating (no sort, and the text columns are not copied), and scores and sentences go back
to the corpus's order.

The tables' columns (``EVIDENCE_COLUMNS``, ``SENTENCE_COLUMNS``, ``COUNT_COLUMNS``) are
described in ``framing.score``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from .corpus import Article
from .evidence import COUNT_COLUMNS, EVIDENCE_COLUMNS, SENTENCE_COLUMNS, Batch, EntryColumns

Tables = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]
# The string dtype pandas gives text columns (``str``, Arrow-backed, from pandas 3; ``object`` before).
_TEXT_DTYPE = pd.Series(["text"]).dtype


@dataclass(frozen=True)
class ChunkTables:
    """One chunk's share of the tables: its articles' scores and sentences in the chunk's (id) order,
    its evidence rows sorted; ``sentence_article`` gives each sentence's article as an index in the chunk."""

    scores: pd.DataFrame
    evidence: pd.DataFrame
    sentences: pd.DataFrame
    sentence_article: np.ndarray


def id_order(articles: Sequence[Article]) -> np.ndarray:
    """The articles' positions sorted by id; an id given twice keeps the articles' order."""
    ranks = pd.factorize(np.array([article.id for article in articles], object), sort=True)[0]
    return np.argsort(ranks, kind="stable")


def chunk_bounds(ids_in_order: Sequence[str], weights: Sequence[float] | np.ndarray, target: float) -> list[tuple[int, int]]:
    """(start, end) ranges of the id-ordered articles that cover them all, in order, each ending at the
    article that reaches the next multiple of ``target`` in ``weights`` (one per article: 1 to count
    articles, text lengths to share out text); an id given twice stays in one range."""
    if not len(ids_in_order):
        return [(0, 0)]
    total = np.cumsum(np.asarray(weights, float))
    ends = np.searchsorted(total, np.arange(1, int(total[-1] // target) + 1) * target) + 1
    cuts = []
    for end in ends.tolist():
        while end < len(ids_in_order) and ids_in_order[end] == ids_in_order[end - 1]:  # (rare: only at a cut)
            end += 1
        if end < len(ids_in_order) and (not cuts or end > cuts[-1]):
            cuts.append(end)
    return list(zip([0] + cuts, cuts + [len(ids_in_order)]))


def _text_column(values: pa.Array) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """Arrow strings as the column pandas itself would make from the same strings, without a Python loop."""
    if _TEXT_DTYPE == object:
        return values.to_numpy(zero_copy_only=False)
    return pd.array(values, dtype=_TEXT_DTYPE)


def _repeated(codes: np.ndarray, values: Sequence[str] | pa.Array) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """The text column ``values[codes]``, decoded in Arrow from the few distinct values."""
    dictionary = values if isinstance(values, pa.Array) else pa.array(list(values), pa.large_string())
    return _text_column(pa.DictionaryArray.from_arrays(pa.array(codes, pa.int64()), dictionary).dictionary_decode())


def _joined(parts: Sequence, pick: Callable, dtype: type = np.int64) -> np.ndarray:
    """One array of a field of every part, in order (empty when there is no part)."""
    return np.concatenate([pick(part) for part in parts] + [np.zeros(0, dtype)])


def evidence_order(*keys: np.ndarray) -> np.ndarray:
    """The stable order of rows by ``keys`` (non-negative integers, the first most significant).

    When their bits fit in one int64 the keys are packed and sorted once, ten times faster
    than ``np.lexsort`` over them; otherwise ``np.lexsort``. Both give the same order."""
    widths = [int(key.max()).bit_length() if len(key) else 0 for key in keys]
    if sum(widths) > 63:
        return np.lexsort(keys[::-1])
    packed = np.zeros(len(keys[0]), np.int64)
    for key, width in zip(keys, widths):
        packed = (packed << width) | key
    return np.argsort(packed, kind="stable")


def chunk_frames(articles: Sequence[Article], batches: Sequence[Batch],
                 columns: EntryColumns) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, np.ndarray]:
    """A chunk's (counts, evidence, sentences) tables from its batches, ``articles`` in id order as they
    were scored, and each sentence's article (its index in the chunk).

    Evidence rows are sorted by article id, then start, end, lexicon, category and term; rows
    that tie on all of them (an id given twice) keep the articles' order.
    """
    ids = [article.id for article in articles]
    firsts = np.cumsum([0] + [len(batch.article_tokens) for batch in batches])[:-1]
    everything = np.arange(len(ids))
    counts = pd.DataFrame({
        "article_id": _repeated(everything, ids),
        "outlet": _repeated(everything, [article.outlet for article in articles]),
        "title": _repeated(everything, [article.title for article in articles]),
        "tokens": _joined(batches, lambda batch: batch.article_tokens),
        "sentences": _joined(batches, lambda batch: batch.article_sentences),
    }, columns=COUNT_COLUMNS)
    sentence_article = _joined([batch.sentence_article + first for batch, first in zip(batches, firsts)],
                               lambda array: array)
    sentences = pd.DataFrame({
        "article_id": _repeated(sentence_article, ids),
        "sentence": _joined(batches, lambda batch: batch.sentence_index),
        "start": _joined(batches, lambda batch: batch.sentence_start),
        "end": _joined(batches, lambda batch: batch.sentence_end),
        "tokens": _joined(batches, lambda batch: batch.sentence_tokens),
    }, columns=SENTENCE_COLUMNS)
    return counts, _evidence_frame(articles, batches, firsts, columns), sentences, sentence_article


def _evidence_frame(articles: Sequence[Article], batches: Sequence[Batch], firsts: np.ndarray,
                    columns: EntryColumns) -> pd.DataFrame:
    ids = [article.id for article in articles]
    rows = [batch.rows for batch in batches]
    article = _joined([part.article + first for part, first in zip(rows, firsts)], lambda array: array)
    entry = _joined(rows, lambda part: part.entry)
    start, end = _joined(rows, lambda part: part.start), _joined(rows, lambda part: part.end)
    id_rank = pd.factorize(np.array(ids, object), sort=True)[0]  # ids are in order: equal ids share a rank
    order = evidence_order(id_rank[article], start, end, columns.sort_rank[entry])
    article, entry = article[order], entry[order]
    arrow_order = pa.array(order)
    text, rule = (pa.concat_arrays([pick(part) for part in rows] or [pa.array([], pa.large_string())]).take(arrow_order)
                  for pick in (lambda part: part.text, lambda part: part.rule))
    return pd.DataFrame({
        "article_id": _repeated(article, ids),
        "outlet": _repeated(article, [item.outlet for item in articles]),
        "sentence": _joined(rows, lambda part: part.sentence)[order],
        "start": start[order],
        "end": end[order],
        "text": _text_column(text),
        "lexicon": _repeated(entry, columns.labels["lexicon"]),
        "category": _repeated(entry, columns.labels["category"]),
        "term": _repeated(entry, columns.labels["term"]),
        "weight": columns.weight[entry],
        "value": _joined(rows, lambda part: part.value, float)[order],
        "rule": _text_column(rule),
        "in_quote": _joined(rows, lambda part: part.in_quote, bool)[order],
    }, columns=EVIDENCE_COLUMNS)


def join_chunks(positions: Sequence[np.ndarray], chunks: Sequence[ChunkTables]) -> Tables:
    """The (scores, evidence, sentences) tables of a corpus from its chunks, taken in id order;
    ``positions[i]`` are the positions in the corpus of chunk i's articles.

    Scores and sentences follow the corpus's order; evidence is the chunks' sorted rows, in turn.
    """
    position = _joined(positions, lambda array: np.asarray(array, np.int64))
    sentence_position = _joined([np.asarray(where, np.int64)[chunk.sentence_article]
                                 for where, chunk in zip(positions, chunks)], lambda array: array)

    def joined(tables: list[pd.DataFrame], order: np.ndarray | None = None) -> pd.DataFrame:
        table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0].reset_index(drop=True)
        return table if order is None else table.take(order).reset_index(drop=True)

    # An article's sentences are in order already: a stable sort by article brings back the corpus's order.
    return (joined([chunk.scores for chunk in chunks], np.argsort(position, kind="stable")),
            joined([chunk.evidence for chunk in chunks]),
            joined([chunk.sentences for chunk in chunks], np.argsort(sentence_position, kind="stable")))
