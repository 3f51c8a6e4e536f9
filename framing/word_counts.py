"""Fast hashed word counts: the bag-of-words baseline's features, counted with numpy.

scikit-learn's ``CountVectorizer`` builds a Python string per token; on 4,400 news articles
(28 MB) that alone takes longer than the whole style analysis may. Here the text is read as
UTF-8 bytes: a word is a run of two or more ASCII letters, digits or underscores, lower-cased
(the tokens of ``token_pattern=r"\\w\\w+"`` on ASCII text; any other byte separates words), and
each word is hashed with a fixed-seed tabulation hash into one of ``n_features`` columns, as
``HashingVectorizer`` does. Batches of articles are counted in threads (numpy releases the GIL).

``tfidf_split`` then applies ``TfidfVectorizer(min_df, max_features, sublinear_tf=True)``'s
selection and weighting from training rows only, so a cross-validation fold never sees its
test articles' document frequencies.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

HASH_BITS = 20
HASH_SEED = 20_250_301
MAX_HASHED_POSITION = 32  # bytes past this position share one hash table row
BATCH_BYTES = 2_000_000
THREADS = 2

_WORD_BYTES = np.zeros(256, dtype=np.uint8)  # 0: separator; else the lower-cased byte
for _byte in b"0123456789_abcdefghijklmnopqrstuvwxyz":
    _WORD_BYTES[_byte] = _byte
for _byte in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _WORD_BYTES[_byte] = _byte + 32
# Tabulation hashing: one random 64-bit number per (position in word, byte), XORed over the word.
_HASH_CELLS = np.random.default_rng(HASH_SEED).integers(
    0, np.iinfo(np.int64).max, size=MAX_HASHED_POSITION * 256, dtype=np.int64).astype(np.uint64)


def _batches(encoded: Sequence[bytes]) -> list[tuple[int, int]]:
    """(first, stop) article ranges of about ``BATCH_BYTES`` each."""
    ranges, first, size = [], 0, 0
    for index, data in enumerate(encoded):
        size += len(data) + 1
        if size >= BATCH_BYTES:
            ranges.append((first, index + 1))
            first, size = index + 1, 0
    if first < len(encoded):
        ranges.append((first, len(encoded)))
    return ranges


def _count_batch(encoded: Sequence[bytes], first: int, stop: int, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique (article << bits | column) keys of one batch and how often each occurs."""
    data = b"\n".join(encoded[first:stop])
    lengths = np.fromiter((len(item) + 1 for item in encoded[first:stop]), dtype=np.int64, count=stop - first)
    article_starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    lowered = _WORD_BYTES[np.frombuffer(data, dtype=np.uint8)]
    edges = np.diff((lowered != 0).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = ends - starts >= 2
    starts, word_lengths = starts[keep].astype(np.int32), (ends - starts)[keep].astype(np.int32)
    if not len(starts):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    offsets = np.zeros(len(starts), dtype=np.int32)  # where each word's bytes begin in the flat arrays below
    np.cumsum(word_lengths[:-1], out=offsets[1:])
    flat = np.arange(int(word_lengths.sum()), dtype=np.int32)
    byte = lowered[np.repeat(starts - offsets, word_lengths) + flat]
    cell = np.minimum(flat - np.repeat(offsets, word_lengths), MAX_HASHED_POSITION - 1)  # position in the word
    cell <<= 8
    cell += byte
    hashes = np.bitwise_xor.reduceat(_HASH_CELLS[cell], offsets)
    articles = np.searchsorted(article_starts, starts, side="right") - 1 + first
    keys = (articles.astype(np.int64) << bits) | (hashes & np.uint64((1 << bits) - 1)).astype(np.int64)
    return np.unique(keys, return_counts=True)


def hashed_word_counts(texts: Sequence[str], bits: int = HASH_BITS, threads: int = THREADS) -> sp.csr_matrix:
    """Word counts per text (rows) in ``2**bits`` hashed columns; deterministic for a given input."""
    encoded = [text.encode("utf-8") for text in texts]
    batches = _batches(encoded)
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        counted = list(pool.map(lambda batch: _count_batch(encoded, batch[0], batch[1], bits), batches))
    keys = np.concatenate([keys for keys, _ in counted]) if counted else np.empty(0, dtype=np.int64)
    counts = np.concatenate([counts for _, counts in counted]) if counted else np.empty(0, dtype=np.int64)
    import scipy.sparse as sp  # imported here, as everywhere in this module: SciPy is slow to import

    rows = keys >> bits
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(texts)))))
    return sp.csr_matrix((counts.astype(np.float64), keys & ((1 << bits) - 1), indptr), shape=(len(texts), 1 << bits))


def drop_rare_columns(counts: sp.csr_matrix, min_df: int) -> sp.csr_matrix:
    """Only the columns found in at least ``min_df`` rows (a column rarer overall is rarer in any subset)."""
    return counts[:, np.flatnonzero(np.bincount(counts.indices, minlength=counts.shape[1]) >= min_df)]


def tfidf_split(counts: sp.csr_matrix, train: np.ndarray, test: np.ndarray, min_df: int = 5,
                max_features: int = 50_000) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Sublinear tf-idf of train and test rows, with columns and idf chosen from the train rows alone.

    The same columns and weights as ``TfidfVectorizer(min_df=min_df, max_features=max_features,
    sublinear_tf=True)`` fitted on the train rows (ties in frequency go to the earlier column).
    """
    fitted = counts[train]
    document_frequency = np.bincount(fitted.indices, minlength=counts.shape[1])
    columns = np.flatnonzero(document_frequency >= min_df)
    if len(columns) > max_features:
        frequency = np.asarray(fitted[:, columns].sum(axis=0)).ravel()
        columns = np.sort(columns[np.argsort(-frequency, kind="stable")[:max_features]])
    from sklearn.feature_extraction.text import TfidfTransformer

    transformer = TfidfTransformer(sublinear_tf=True)
    return transformer.fit_transform(fitted[:, columns]), transformer.transform(counts[test][:, columns])
