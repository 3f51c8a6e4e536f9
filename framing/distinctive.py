"""Distinctive words: the words an outlet uses far more than the others ("Fightin' Words").

Raw frequency ratios overstate rare words (a word used once by one outlet and never by the
others has an infinite ratio). Monroe, Colaresi & Quinn (2008, "Fightin' Words", Political
Analysis 16(4)) shrink every count toward a prior and divide the difference of log-odds by
its standard error. For a group i against the rest j, word w, counts y, totals n, prior
counts a_w summing to a0:

    delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
    var_w  ≈ 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w    = delta_w / sqrt(var_w)

The prior here is *informative*: the corpus-wide counts scaled to total ``alpha0``, so a word
common everywhere needs a large difference to stand out. |z| > 1.96 is the usual bar.

``log_odds`` works on plain token counts (mappings word → count), so other features (the
planned ``framing lexicon suggest``) can reuse it; ``distinctive_words`` applies it to each
outlet of a corpus against all the others and adds where each word first occurs.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Collection, Iterable, Mapping

import numpy as np
import pandas as pd

from .corpus import Article, Corpus
from .lexicon import is_number
from .sources import sentence_range
from .tokens import Tokens, tokenize

LOG_ODDS_COLUMNS = ["word", "count", "count_rest", "delta", "z"]
DISTINCTIVE_COLUMNS = [
    "outlet", "word", "count", "count_rest", "delta", "z",
    "article_id", "start", "end", "sentence_start", "sentence_end",
]
DEFAULT_ALPHA0 = 500.0
Z_THRESHOLD = 1.96


def informative_prior(counts: Mapping[str, float], alpha0: float = DEFAULT_ALPHA0) -> dict[str, float]:
    """Prior counts a_w: the background ``counts`` scaled so that they sum to ``alpha0``."""
    total = float(sum(counts.values()))
    if total <= 0:
        return {}
    return {word: alpha0 * count / total for word, count in counts.items() if count > 0}


def log_odds(
    counts: Mapping[str, int],
    counts_rest: Mapping[str, int],
    prior: Mapping[str, float] | None = None,
    alpha0: float = DEFAULT_ALPHA0,
) -> pd.DataFrame:
    """Weighted log-odds ratio with a Dirichlet prior, for one group against the rest.

    ``prior`` maps words to prior counts a_w (default: ``informative_prior`` of the pooled
    counts with total ``alpha0``); a0 is the sum of the prior. Words without a positive prior
    are skipped. Returns ``LOG_ODDS_COLUMNS``, highest z first (ties by word).
    """
    if prior is None:
        prior = informative_prior(Counter(counts) + Counter(counts_rest), alpha0)
    a0 = float(sum(prior.values()))
    n_i, n_j = float(sum(counts.values())), float(sum(counts_rest.values()))
    words = [word for word in sorted(set(counts) | set(counts_rest)) if prior.get(word, 0.0) > 0]
    a_w = np.array([prior[word] for word in words], dtype=float)
    y_i = np.array([counts.get(word, 0) for word in words], dtype=float)
    y_j = np.array([counts_rest.get(word, 0) for word in words], dtype=float)
    delta = np.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - np.log((y_j + a_w) / (n_j + a0 - y_j - a_w))
    z = delta / np.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))
    table = pd.DataFrame({"word": words, "count": y_i.astype(int), "count_rest": y_j.astype(int), "delta": delta, "z": z},
                         columns=LOG_ODDS_COLUMNS)
    return table.sort_values(["z", "word"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


@lru_cache(maxsize=1 << 17)
def _countable(word: str) -> bool:
    """Words worth comparing: not numbers, not a bare possessive "'s"."""
    return word != "'s" and not is_number(word) and any(ch.isalpha() for ch in word)


def distinctive_words(
    corpus: Corpus | Iterable[Article],
    tokens: dict[str, Tokens] | None = None,
    alpha0: float = DEFAULT_ALPHA0,
    min_count: int = 2,
    limit: int | None = None,
    exclude: Collection[str] = (),
) -> pd.DataFrame:
    """Per outlet, its words by z against all other outlets (``DISTINCTIVE_COLUMNS``).

    Only words the outlet uses at least ``min_count`` times are listed (a single use is no
    habit); ``limit`` keeps the top rows per outlet; words in ``exclude`` (stop words, say)
    are counted in the totals but not listed. Each row names the first place the outlet
    uses the word, so a reader can check it. Sorted by outlet, then z (highest first).
    """
    articles = list(corpus.articles if isinstance(corpus, Corpus) else corpus)
    per_outlet: dict[str, Counter[str]] = {}
    first_use: dict[tuple[str, str], tuple[str, int, int, Tokens]] = {}
    for article in articles:
        found = (tokens or {}).get(article.id) or tokenize(article.text, article.regions)
        counts = Counter(found.words)
        per_outlet.setdefault(article.outlet, Counter()).update(
            {word: count for word, count in counts.items() if _countable(word)})
        first: dict[str, int] = {}
        for index, word in enumerate(found.words):
            first.setdefault(word, index)
        for word, index in first.items():
            if (article.outlet, word) not in first_use and _countable(word):
                first_use[(article.outlet, word)] = (article.id, found.starts[index], found.ends[index], found)
    if len(per_outlet) < 2:
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    total = sum(per_outlet.values(), Counter())
    prior = informative_prior(total, alpha0)
    frames = []
    for outlet in sorted(per_outlet):
        rest = total - per_outlet[outlet]
        table = log_odds(per_outlet[outlet], rest, prior)
        table = table[(table["count"] >= min_count) & ~table["word"].isin(set(exclude))]
        if limit is not None:
            table = table.head(limit)
        places = [first_use[(outlet, word)] for word in table["word"]]
        spans = [sentence_range(found, start, end) for _, start, end, found in places]
        frames.append(table.assign(
            outlet=outlet,
            article_id=[place[0] for place in places],
            start=[place[1] for place in places],
            end=[place[2] for place in places],
            sentence_start=[span[0] for span in spans],
            sentence_end=[span[1] for span in spans],
        ))
    result = pd.concat(frames, ignore_index=True)[DISTINCTIVE_COLUMNS]
    result["delta"] = result["delta"].round(6)
    result["z"] = result["z"].round(6)
    return result.reset_index(drop=True)
