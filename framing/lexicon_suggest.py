"""Lexicon suggestions: words and phrases that set outlets apart and that no lexicon covers yet.

A new corpus has its own vocabulary of framing ("border crisis", "climate emergency").
``suggest_terms`` finds, for each outlet, the unigrams and bigrams it uses far more than the
other outlets, among the words no loaded lexicon matches, ranked by the weighted log-odds
ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words";
the arithmetic is ``framing.distinctive.log_odds``):

* every article is tokenized and matched as for scoring; tokens inside a match of any
  lexicon (``ignore`` rows too: those words were dealt with on purpose) are *covered*;
* unigrams: the uncovered words (numbers and a bare "'s" left out); bigrams: pairs of
  adjacent uncovered words in one sentence. Stop words (``framing/data/stopwords.txt``)
  are counted, so totals are the outlet's words, but never suggested (a bigram with a
  stop word in it neither);
* each outlet against all the others, unigrams and bigrams separately, with the prior
  a_w = alpha0 × (the word's count in the whole corpus) / (all words in the corpus);
* kept: used at least ``min_count`` times by the outlet with z ≥ ``z_threshold`` (1.96:
  the usual 5% bar), the ``top`` highest z per outlet, each with two example sentences; a
  word the outlet only uses inside a suggested bigram is left to the bigram ("sea walls",
  not also "sea" and "walls").

The table's first columns are a lexicon file's (``term,category,weight,note``), so rows can
be pasted into a lexicon after review. ``category`` is left empty on purpose: a row pasted
unreviewed fails ``framing lexicon check``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from .corpus import Article, Corpus
from .coverage import load_stopwords
from .distinctive import DEFAULT_ALPHA0, Z_THRESHOLD, informative_prior, log_odds
from .lexicon import LexiconSet, is_number
from .lexicon_files import write_table
from .tokens import Tokens, tokenize

SUGGEST_COLUMNS = ["term", "category", "weight", "note", "outlet", "z", "count", "examples"]
EXAMPLES_PER_TERM = 2
EXAMPLE_SEPARATOR = "\n"  # one sentence per line in the cell: sentences hold no line break
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Article:
    outlet: str
    tokens: Tokens
    covered: bytes


def limit_per_outlet(articles: Iterable[Article], limit: int | None) -> list[Article]:
    """The first ``limit`` articles of each outlet, in corpus order (all when ``limit`` is None)."""
    seen: Counter[str] = Counter()
    kept = []
    for article in articles:
        seen[article.outlet] += 1
        if limit is None or seen[article.outlet] <= limit:
            kept.append(article)
    return kept


@lru_cache(maxsize=1 << 17)
def _countable(word: str) -> bool:
    """Words worth counting (as in ``framing.distinctive``): not numbers, not a bare possessive "'s"."""
    return word != "'s" and not is_number(word) and any(ch.isalpha() for ch in word)


def _features(item: _Article) -> tuple[list[str], list[str]]:
    """The uncovered unigrams and bigrams of one article, in order."""
    words, sentence_of, covered = item.tokens.words, item.tokens.sentence_of, item.covered
    usable = [not covered[index] and _countable(word) for index, word in enumerate(words)]
    unigrams = [word for word, ok in zip(words, usable) if ok]
    bigrams = [f"{words[index]} {words[index + 1]}" for index in range(len(words) - 1)
               if usable[index] and usable[index + 1] and sentence_of[index] == sentence_of[index + 1]]
    return unigrams, bigrams


def _suggestable(term: str, stopwords: frozenset[str]) -> bool:
    return not any(word in stopwords for word in term.split())


_OTHER = "\x00other"  # every word that cannot be suggested, as one pooled word


def _pooled(words: list[str], own: Counter[str], total: Counter[str],
            prior: dict[str, float]) -> tuple[dict[str, int], dict[str, int], dict[str, float]]:
    """Counts for ``log_odds`` with every word but ``words`` pooled into one.

    A word's z depends only on its own counts and prior and on the totals n_i, n_j and a0, so
    pooling the rest leaves the z of ``words`` exactly as over the whole vocabulary, and is
    much faster when the vocabulary is large (bigrams).
    """
    counts = {word: own[word] for word in words}
    rest = {word: total[word] - own[word] for word in words}
    weights = {word: prior[word] for word in words}
    counts[_OTHER] = sum(own.values()) - sum(counts.values())
    rest[_OTHER] = sum(total.values()) - sum(own.values()) - sum(rest.values())
    weights[_OTHER] = sum(prior.values()) - sum(weights.values())
    return counts, rest, weights


def suggest_terms(
    corpus: Corpus | Iterable[Article],
    lexicons: LexiconSet,
    top: int = 15,
    min_count: int = 3,
    z_threshold: float = Z_THRESHOLD,
    alpha0: float = DEFAULT_ALPHA0,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Per outlet, the uncovered unigrams and bigrams that set it apart (``SUGGEST_COLUMNS``).

    Sorted by outlet, then z (highest first), then term. Empty with fewer than two outlets.
    """
    articles = corpus.articles if isinstance(corpus, Corpus) else tuple(corpus)
    stopwords = load_stopwords()
    items: list[tuple[Article, _Article]] = []
    unigrams: dict[str, Counter[str]] = {}
    bigrams: dict[str, Counter[str]] = {}
    for article in articles:
        tokens = tokenize(article.text, article.regions)
        covered = bytearray(len(tokens.words))
        for match in lexicons.match(tokens, include_ignored=True):
            covered[match.first:match.last + 1] = b"\x01" * (match.last - match.first + 1)
        item = _Article(article.outlet, tokens, bytes(covered))
        items.append((article, item))
        single, double = _features(item)
        unigrams.setdefault(article.outlet, Counter()).update(single)
        bigrams.setdefault(article.outlet, Counter()).update(double)
        if progress is not None:
            progress(1)
    if len(unigrams) < 2:
        return pd.DataFrame(columns=SUGGEST_COLUMNS)
    frames = []
    for per_outlet in (unigrams, bigrams):
        total = sum(per_outlet.values(), Counter())
        prior = informative_prior(total, alpha0)
        for outlet in sorted(per_outlet):
            own = per_outlet[outlet]
            candidates = [word for word, count in own.items() if count >= min_count and _suggestable(word, stopwords)]
            if not candidates:
                continue
            table = log_odds(*_pooled(candidates, own, total, prior))
            table = table[(table["word"] != _OTHER) & (table["z"] >= z_threshold)]
            frames.append(table.assign(outlet=outlet))
    found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if found.empty:
        return pd.DataFrame(columns=SUGGEST_COLUMNS)
    found = _without_parts(found)
    found = found.sort_values(["outlet", "z", "word"], ascending=[True, False, True], kind="mergesort")
    found = found.groupby("outlet", sort=True).head(top).reset_index(drop=True)
    examples = _examples(items, set(zip(found["outlet"], found["word"])), stopwords)
    return pd.DataFrame({
        "term": found["word"],
        "category": "",
        "weight": 1,
        "note": [f"suggested: {outlet} uses it {count} times, the other outlets {rest} (z = {z:.2f}); review before use"
                 for outlet, count, rest, z in zip(found["outlet"], found["count"], found["count_rest"], found["z"])],
        "outlet": found["outlet"],
        "z": found["z"].round(3),
        "count": found["count"],
        "examples": [EXAMPLE_SEPARATOR.join(examples.get((outlet, word), []))
                     for outlet, word in zip(found["outlet"], found["word"])],
    }, columns=SUGGEST_COLUMNS)


def _without_parts(found: pd.DataFrame) -> pd.DataFrame:
    """Drop a word the outlet only ever uses inside one of its suggested bigrams ('sea' in 'sea walls')."""
    parts = {(outlet, word, count) for outlet, bigram, count in zip(found["outlet"], found["word"], found["count"])
             if " " in bigram for word in bigram.split()}
    keep = [" " in word or (outlet, word, count) not in parts
            for outlet, word, count in zip(found["outlet"], found["word"], found["count"])]
    return found[keep]


def _examples(items: list[tuple[Article, _Article]], wanted: set[tuple[str, str]],
              stopwords: frozenset[str]) -> dict[tuple[str, str], list[str]]:
    """Up to two sentences per (outlet, term): the first uncovered uses, in distinct sentences."""
    found: dict[tuple[str, str], list[str]] = {}
    for article, item in items:
        tokens = item.tokens
        words = tokens.words
        for index, word in enumerate(words):
            if item.covered[index]:
                continue
            candidates = [word]
            if index + 1 < len(words) and not item.covered[index + 1] and tokens.sentence_of[index] == tokens.sentence_of[index + 1]:
                candidates.append(f"{word} {words[index + 1]}")
            for term in candidates:
                key = (item.outlet, term)
                if key not in wanted or len(found.get(key, [])) >= EXAMPLES_PER_TERM:
                    continue
                start, end = tokens.sentence_spans[tokens.sentence_of[index]]
                sentence = _SPACE.sub(" ", article.text[start:end])
                if sentence not in found.setdefault(key, []):
                    found[key].append(sentence)
    return found


def write_suggestions(table: pd.DataFrame, path: str | Path) -> Path:
    """Write the suggestions as CSV (UTF-8 with a byte-order mark, so Excel opens it as UTF-8)."""
    return write_table(path, SUGGEST_COLUMNS, (
        [row.term, row.category, row.weight, row.note, row.outlet, f"{row.z:.3f}", row.count, row.examples]
        for row in table.itertuples(index=False)))


def format_suggestions(table: pd.DataFrame, example_width: int = 70) -> list[str]:
    """A readable table: one block per outlet, each term with its z, uses and first example."""
    if table.empty:
        return ["No suggestions: no uncovered word or phrase sets an outlet apart enough (a larger corpus, or a lower "
                "--min-count, finds more)."]
    term_width = max(len("term"), *(len(term) for term in table["term"]))
    lines = []
    for outlet, rows in table.groupby("outlet", sort=True):
        if lines:
            lines.append("")
        lines.append(outlet)
        lines.append(f"  {'term':<{term_width}}  {'z':>6}  {'uses':>4}  example")
        for row in rows.itertuples(index=False):
            example = row.examples.split(EXAMPLE_SEPARATOR)[0] if row.examples else ""
            if len(example) > example_width:
                example = example[:example_width - 1] + "…"
            lines.append(f"  {row.term:<{term_width}}  {row.z:>6.2f}  {row.count:>4}  {example}".rstrip())
    return lines
