"""The (counts, evidence, sentences) tables from scored batches, made in two steps that can run apart.

A corpus is scored in chunks of its articles taken in article-id order (``id_order``,
``chunk_bounds``). ``chunk_tables`` turns one chunk's batches into its share of the tables,
evidence rows sorted and every column built, where the chunk was scored (a worker process or a
Dask worker, so that work runs in parallel too). ``join_chunks`` puts the chunks together: as
they follow the id order, their sorted evidence rows only need concatenating (no sort, and the
text columns are not copied), and counts and sentences go back to the articles' order.

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
_TEXT_COLUMNS = ("article_id", "outlet", "text", "lexicon", "category", "term", "rule")  # Arrow strings in a chunk
# The string dtype pandas gives text columns (``str``, Arrow-backed, from pandas 3; ``object`` before).
_TEXT_DTYPE = pd.Series(["text"]).dtype


@dataclass(frozen=True)
class ChunkTables:
    """One chunk's share of the tables, as columns: per article and per sentence in the chunk's
    (id) order, and its evidence rows sorted, text columns as Arrow strings."""

    article_tokens: np.ndarray
    article_sentences: np.ndarray
    sentence_article: np.ndarray  # per sentence, its article's index in the chunk
    sentence_index: np.ndarray  # its index within the article
    sentence_start: np.ndarray
    sentence_end: np.ndarray
    sentence_tokens: np.ndarray
    evidence: dict[str, np.ndarray | pa.Array]  # EVIDENCE_COLUMNS


def id_order(articles: Sequence[Article]) -> np.ndarray:
    """The articles' positions sorted by id; an id given twice keeps the articles' order."""
    ranks = pd.factorize(np.array([article.id for article in articles], object), sort=True)[0]
    return np.argsort(ranks, kind="stable")


def chunk_bounds(ids_in_order: Sequence[str], size: int) -> list[tuple[int, int]]:
    """(start, end) ranges of about ``size`` of the id-ordered articles that cover them all, in order;
    an id given twice stays in one range (its rows are sorted together)."""
    bounds, start = [], 0
    while start < len(ids_in_order):
        end = min(start + size, len(ids_in_order))
        while end < len(ids_in_order) and ids_in_order[end] == ids_in_order[end - 1]:
            end += 1
        bounds.append((start, end))
        start = end
    return bounds or [(0, 0)]


def _arrow_strings(codes: np.ndarray, values: Sequence[str]) -> pa.Array:
    """The strings ``values[codes]`` as one Arrow array, decoded from the few distinct values."""
    dictionary = pa.array(list(values), pa.large_string())
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int64()), dictionary).dictionary_decode()


def _text_column(values: pa.Array | pa.ChunkedArray) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """Arrow strings as the column pandas itself would make from the same strings, without a Python loop
    (chunks stay chunks: no copy)."""
    if _TEXT_DTYPE == object:
        return values.to_numpy(zero_copy_only=False)
    return pd.array(values, dtype=_TEXT_DTYPE)


def _joined(parts: Sequence, pick: Callable, dtype: type = np.int64) -> np.ndarray:
    """One array of a field of every part, in order (empty when there is no part)."""
    return np.concatenate([pick(part) for part in parts] + [np.zeros(0, dtype)])


def _entry_rank(columns: EntryColumns) -> np.ndarray:
    """Per entry, its rank by (lexicon, category, term); entries equal on all three share a rank."""
    ranks = [pd.factorize(values, sort=True)[0] for values in (columns.term, columns.category, columns.lexicon)]
    by_entry = np.lexsort(ranks)
    sorted_keys = np.stack([rank[by_entry] for rank in ranks])
    new_key = np.ones(len(by_entry), bool)
    new_key[1:] = (sorted_keys[:, 1:] != sorted_keys[:, :-1]).any(axis=0)
    rank = np.empty(len(by_entry), np.int64)
    rank[by_entry] = np.cumsum(new_key) - 1
    return rank


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


def chunk_tables(articles: Sequence[Article], batches: Sequence[Batch], columns: EntryColumns) -> ChunkTables:
    """A chunk's share of the tables from its batches; ``articles`` in id order, as they were scored.

    Evidence rows are sorted by article id, then start, end, lexicon, category and term; rows
    that tie on all of them (an id given twice) keep the articles' order.
    """
    ids = [article.id for article in articles]
    firsts = np.cumsum([0] + [len(batch.article_tokens) for batch in batches])[:-1]
    rows = [batch.rows for batch in batches]
    article = _joined([part.article + first for part, first in zip(rows, firsts)], lambda array: array)
    entry = _joined(rows, lambda part: part.entry)
    start, end = _joined(rows, lambda part: part.start), _joined(rows, lambda part: part.end)
    id_rank = pd.factorize(np.array(ids, object), sort=True)[0]  # ids are in order: equal ids share a rank
    order = evidence_order(id_rank[article], start, end, _entry_rank(columns)[entry])
    article, entry = article[order], entry[order]
    arrow_order = pa.array(order)
    text, rule = (pa.concat_arrays([pick(part) for part in rows] or [pa.array([], pa.large_string())]).take(arrow_order)
                  for pick in (lambda part: part.text, lambda part: part.rule))
    evidence = {
        "article_id": _arrow_strings(article, ids),
        "outlet": _arrow_strings(article, [item.outlet for item in articles]),
        "sentence": _joined(rows, lambda part: part.sentence)[order],
        "start": start[order],
        "end": end[order],
        "text": text,
        "lexicon": _arrow_strings(entry, columns.lexicon),
        "category": _arrow_strings(entry, columns.category),
        "term": _arrow_strings(entry, columns.term),
        "weight": columns.weight[entry],
        "value": _joined(rows, lambda part: part.value, float)[order],
        "rule": rule,
        "in_quote": _joined(rows, lambda part: part.in_quote, bool)[order],
    }
    return ChunkTables(
        article_tokens=_joined(batches, lambda batch: batch.article_tokens),
        article_sentences=_joined(batches, lambda batch: batch.article_sentences),
        sentence_article=_joined([batch.sentence_article + first for batch, first in zip(batches, firsts)],
                                 lambda array: array),
        sentence_index=_joined(batches, lambda batch: batch.sentence_index),
        sentence_start=_joined(batches, lambda batch: batch.sentence_start),
        sentence_end=_joined(batches, lambda batch: batch.sentence_end),
        sentence_tokens=_joined(batches, lambda batch: batch.sentence_tokens),
        evidence=evidence,
    )


def join_chunks(articles: Sequence[Article], positions: Sequence[np.ndarray], chunks: Sequence[ChunkTables]) -> Tables:
    """The (counts, evidence, sentences) tables of ``articles`` from their chunks, in id order;
    ``positions[i]`` are the positions in ``articles`` of chunk i's articles.

    Counts and sentences follow the articles' order; evidence is the chunks' sorted rows, in turn.
    """
    ids = [article.id for article in articles]
    everywhere = np.arange(len(ids))
    position = _joined(positions, lambda array: np.asarray(array, np.int64))
    tokens, sentence_counts = np.zeros(len(ids), np.int64), np.zeros(len(ids), np.int64)
    tokens[position] = _joined(chunks, lambda chunk: chunk.article_tokens)
    sentence_counts[position] = _joined(chunks, lambda chunk: chunk.article_sentences)
    counts = pd.DataFrame({
        "article_id": _text_column(_arrow_strings(everywhere, ids)),
        "outlet": _text_column(_arrow_strings(everywhere, [article.outlet for article in articles])),
        "title": _text_column(_arrow_strings(everywhere, [article.title for article in articles])),
        "tokens": tokens,
        "sentences": sentence_counts,
    }, columns=COUNT_COLUMNS)
    sentence_position = _joined([np.asarray(where, np.int64)[chunk.sentence_article]
                                 for where, chunk in zip(positions, chunks)], lambda array: array)
    by_article = np.argsort(sentence_position, kind="stable")  # an article's sentences are in order already
    sentences = pd.DataFrame({
        "article_id": _text_column(_arrow_strings(sentence_position[by_article], ids)),
        "sentence": _joined(chunks, lambda chunk: chunk.sentence_index)[by_article],
        "start": _joined(chunks, lambda chunk: chunk.sentence_start)[by_article],
        "end": _joined(chunks, lambda chunk: chunk.sentence_end)[by_article],
        "tokens": _joined(chunks, lambda chunk: chunk.sentence_tokens)[by_article],
    }, columns=SENTENCE_COLUMNS)
    evidence = {}
    for column in EVIDENCE_COLUMNS:
        parts = [chunk.evidence[column] for chunk in chunks]
        if column in _TEXT_COLUMNS:
            evidence[column] = _text_column(pa.chunked_array(parts, pa.large_string()))
        else:
            evidence[column] = np.concatenate(parts) if parts else np.zeros(0)
    return counts, pd.DataFrame(evidence, columns=EVIDENCE_COLUMNS), sentences
