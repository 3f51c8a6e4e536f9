"""Evidence rows for a batch of articles, built as arrays: tokens, matches, tone rules and quotes.

A batch's scored regions are joined into one string (a newline between them, which no token,
quote or sentence crosses), so tokenizing, word lookup and matching run once per batch, in
numpy and compiled loops (``token_arrays``, ``sentence_arrays``, ``match_arrays``, ``kernels``).
Python loops remain where a rule needs a word's string: the first meeting of a distinct word that
may start an entry, and the sentence-end candidates that ask about their word (and the stretches
Punkt decides). Tone rules run compiled (``tone_arrays``).

The tables made from the batches (``EVIDENCE_COLUMNS``, ``SENTENCE_COLUMNS``, ``COUNT_COLUMNS``)
are described in ``framing.score``; ``framing.tables`` makes them.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from .corpus import Article
from .lexicon import IGNORE_CATEGORY, Entry, LexiconSet
from .match_arrays import TokenMatches, array_matcher, sentence_end_of_tokens
from .sentence_arrays import load_tables as load_sentence_tables, sentence_array
from .token_arrays import code_points, load_tables as load_token_tables, text_slices, token_arrays
from .tokens import checked_regions
from .tone_arrays import RULE_KINDS, RuleWords, clause_classes, ruled_tone
from .tone_rules import REASONS, ToneRules

TONE_LEXICON = "tone"
MODIFIER_LEXICON = "modifiers"
QUOTE_LEXICON = "quotes"
RULE_LEXICONS = frozenset({MODIFIER_LEXICON})

EVIDENCE_COLUMNS = [
    "article_id", "outlet", "sentence", "start", "end", "text",
    "lexicon", "category", "term", "weight", "value", "rule", "in_quote",
]
SENTENCE_COLUMNS = ["article_id", "sentence", "start", "end", "tokens"]
COUNT_COLUMNS = ["article_id", "outlet", "title", "tokens", "sentences"]
QUOTE_RULE = "tokens inside the quotation marks"
_NO_RULE, _QUOTED_TONE, _QUOTATION_ROW = 0, 1, 2  # a row's rule: none; a tone word's quotation factor; QUOTE_RULE

# Quotations, as one regular expression: curly, guillemet and straight double quotes, and the doubled
# apostrophes of older newspaper archives (''like this'' or ``like this''). The scoring path finds the
# same spans with a compiled scan (``kernels.quote_spans``); tests/test_evidence.py compares the two.
QUOTATION = re.compile(r"“[^”\n]*”|«[^»\n]*»|\"[^\"\n]*\"|(?:''|``)[^\n]*?''")


def load_scoring_resources(lexicons: LexiconSet | None = None) -> None:
    """Build the character tables, load the compiled loops and Punkt (nltk) and, given lexicons,
    their matcher now rather than on first use: a few seconds per process. Before forking workers it
    lets them share the result; benchmarks call it so their timings hold scoring only."""
    from .kernels import compile_all  # numba: imported here, not when this module is

    load_token_tables()
    load_sentence_tables()
    clause_classes()
    compile_all()
    if lexicons is not None:
        entry_columns(lexicons)


def find_quotes(text: str, regions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of direct quotations (``QUOTATION``) inside the scored regions."""
    from .kernels import quote_spans  # numba: imported on first use

    spans = list(map(tuple, quote_spans(code_points(text)).tolist()))
    if len(regions) == 1 and regions[0][0] == 0 and regions[0][1] >= len(text):  # nothing excluded
        return spans
    return [(start, end) for start, end in spans
            if any(region_start <= start and end <= region_end for region_start, region_end in regions)]


def _joined_quotes(articles: Sequence[Article], joined: "_Joined", codes: np.ndarray) -> np.ndarray:
    """The batch's quotations as (start, end) rows in the joined string, in order.

    An article scored whole is one piece of the joined string, and no quotation crosses the
    newlines between pieces, so one pass over the joined string finds its quotations; an
    article with excluded spans keeps ``find_quotes``' rule (``_excluded_quotes``).
    """
    from .kernels import quote_spans

    whole = np.array([regions == [(0, len(article.text))] for article, regions in zip(articles, joined.regions)], bool)
    found = quote_spans(codes)
    found = found[whole[joined.piece_article[joined.piece_of(found[:, 0])]]] if len(found) else found
    quotes = np.concatenate((found, _excluded_quotes(articles, joined, np.flatnonzero(~whole))))
    return quotes[np.argsort(quotes[:, 0], kind="stable")]


def _excluded_quotes(articles: Sequence[Article], joined: "_Joined", indices: np.ndarray) -> np.ndarray:
    """``find_quotes`` for the articles at ``indices`` (found in the whole text, kept inside a region),
    in one scan of their texts joined by newlines (no quotation crosses one), as joined-string rows."""
    from .kernels import quote_spans

    if not len(indices):
        return np.zeros((0, 2), np.int64)
    texts = [articles[index].text for index in indices.tolist()]
    text_start = np.cumsum([0] + [len(text) + 1 for text in texts])[:-1]
    found = quote_spans(code_points("\n".join(texts)))
    owner = np.searchsorted(text_start, found[:, 0], side="right") - 1
    article, local = indices[owner], found - text_start[owner][:, None]
    # The region holding each quotation's start: the last piece of its article starting at or before it.
    region_start = joined.piece_start + joined.piece_shift  # in the article's text
    scale = int(text_start[-1]) + len(texts[-1]) + 1
    piece = np.searchsorted(joined.piece_article * scale + region_start, article * scale + local[:, 0], side="right") - 1
    inside = ((piece >= 0) & (joined.piece_article[piece] == article)
              & (local[:, 1] <= joined.piece_end[piece] + joined.piece_shift[piece]))
    return local[inside] - joined.piece_shift[piece[inside]][:, None]


@dataclass(frozen=True)
class Rows:
    """A batch's evidence rows as columns; ``entry`` indexes ``EntryColumns`` (the last index: a quotation)."""

    article: np.ndarray  # index of the row's article in the batch
    sentence: np.ndarray
    start: np.ndarray
    end: np.ndarray
    text: pa.Array  # large_string: travels from a worker as one buffer, not as Python strings
    entry: np.ndarray
    value: np.ndarray
    rule: pa.Array  # large_string, like text
    in_quote: np.ndarray


@dataclass(frozen=True)
class Batch:
    """What one batch of articles yields: its rows, and per sentence and per article counts."""

    rows: Rows
    sentence_article: np.ndarray  # per sentence, its article's index in the batch
    sentence_index: np.ndarray  # its index within the article
    sentence_start: np.ndarray
    sentence_end: np.ndarray
    sentence_tokens: np.ndarray
    article_tokens: np.ndarray
    article_sentences: np.ndarray


class _Joined:
    """The batch's regions joined into one string, with the shift from each piece back to its article's text."""

    def __init__(self, articles: Sequence[Article]) -> None:
        pieces, piece_article, piece_start, piece_shift, piece_end = [], [], [], [], []
        self.regions: list[list[tuple[int, int]]] = []
        offset = 0
        for index, article in enumerate(articles):
            regions = checked_regions(article.text, article.regions)
            self.regions.append(regions)
            for start, end in regions:
                pieces.append(article.text[start:end])
                piece_article.append(index)
                piece_start.append(offset)
                piece_shift.append(start - offset)
                piece_end.append(offset + end - start)
                offset += end - start + 1
        self.text = "\n".join(pieces)
        self.piece_article = np.array(piece_article, np.int64)
        self.piece_start = np.array(piece_start, np.int64)
        self.piece_shift = np.array(piece_shift, np.int64)
        self.piece_end = np.array(piece_end, np.int64)
        self.first_piece = np.searchsorted(self.piece_article, np.arange(len(articles) + 1))  # each article's pieces
        self.article_start = np.append(self.piece_start, offset)[self.first_piece[:-1]]  # where its text begins

    def piece_of(self, positions: np.ndarray) -> np.ndarray:
        """For positions in the joined string, their piece: ``piece_article`` gives its article in the
        batch, and adding ``piece_shift`` turns a position back into an offset in that article's text."""
        return np.searchsorted(self.piece_start, positions, side="right") - 1


@dataclass(frozen=True)
class EntryColumns:
    """Per lexicon entry (plus one last row for quotations), the values its evidence rows repeat."""

    lexicon: np.ndarray  # object: str
    category: np.ndarray
    term: np.ndarray
    weight: np.ndarray
    rounded_weight: np.ndarray
    counted: np.ndarray  # bool: yields evidence rows (not ignore, not a rule word)
    tone: np.ndarray
    rule_word: np.ndarray  # a non-ignore entry of a rule lexicon (negator, intensifier, contrast ...)
    rule_kind: np.ndarray  # tone_arrays.RULE_KINDS of its category (-1: another category)
    sort_rank: np.ndarray  # rank by (lexicon, category, term), the evidence's last sort key; equal entries share one
    labels: dict[str, pa.Array]  # lexicon, category and term as Arrow strings, to decode evidence columns from


def entry_columns(lexicons: LexiconSet) -> EntryColumns:
    """The lexicons' ``EntryColumns`` (and their ``array_matcher``), built once per LexiconSet."""
    columns = _ENTRY_COLUMNS.get(lexicons)
    if columns is None:
        columns = _ENTRY_COLUMNS[lexicons] = _entry_columns(array_matcher(lexicons).entries)
    return columns


_ENTRY_COLUMNS: "weakref.WeakKeyDictionary[LexiconSet, EntryColumns]" = weakref.WeakKeyDictionary()


def _entry_columns(entries: Sequence[Entry]) -> EntryColumns:
    ignored = np.array([entry.category == IGNORE_CATEGORY for entry in entries] + [False])
    rule_lexicon = np.array([entry.lexicon in RULE_LEXICONS for entry in entries] + [False])
    weights = [entry.weight for entry in entries] + [1.0]
    labels = {
        "lexicon": [entry.lexicon for entry in entries] + [QUOTE_LEXICON],
        "category": [entry.category for entry in entries] + ["direct"],
        "term": [entry.term for entry in entries] + [""],
    }
    return EntryColumns(
        lexicon=np.array(labels["lexicon"], object),
        category=np.array(labels["category"], object),
        term=np.array(labels["term"], object),
        weight=np.array(weights, float),
        rounded_weight=np.array([round(weight, 6) for weight in weights], float),
        counted=~ignored & ~rule_lexicon,
        tone=np.array([entry.lexicon == TONE_LEXICON for entry in entries] + [False]) & ~ignored,
        rule_word=rule_lexicon & ~ignored,
        rule_kind=np.array([RULE_KINDS.get(entry.category, -1) for entry in entries] + [-1], np.int64),
        sort_rank=_sort_rank([labels["term"], labels["category"], labels["lexicon"]]),
        labels={name: pa.array(values, pa.large_string()) for name, values in labels.items()},
    )


def _sort_rank(keys: Sequence[Sequence[str]]) -> np.ndarray:
    """Each row's rank by ``keys`` (the last most significant); rows equal on all of them share a rank."""
    ranks = [pd.factorize(np.array(values, object), sort=True)[0] for values in keys]
    by_row = np.lexsort(ranks)
    sorted_keys = np.stack([rank[by_row] for rank in ranks])
    new_key = np.ones(len(by_row), bool)
    new_key[1:] = (sorted_keys[:, 1:] != sorted_keys[:, :-1]).any(axis=0)
    rank = np.empty(len(by_row), np.int64)
    rank[by_row] = np.cumsum(new_key) - 1
    return rank


def score_batch(articles: Sequence[Article], lexicons: LexiconSet, columns: EntryColumns, rules: ToneRules) -> Batch:
    """Tokens, sentences, matches and evidence rows of a batch of articles (see the module docstring)."""
    matcher = array_matcher(lexicons)
    joined = _Joined(articles)
    big = joined.text
    codes = code_points(big)
    token_start, token_end, keys = token_arrays(big, codes)
    word_ids = matcher.word_ids(big, token_start, token_end, keys)

    joined_sentences = sentence_array(big, codes)
    sentence_piece = joined.piece_of(joined_sentences[:, 0])
    sentence_article = joined.piece_article[sentence_piece]
    sentence_last = np.searchsorted(token_start, joined_sentences[:, 1])  # index after each sentence's last token
    article_first_token = np.searchsorted(token_start, joined.article_start)
    first_sentence = np.searchsorted(sentence_article, np.arange(len(articles)))
    sentence_first = np.concatenate(([0], sentence_last[:-1])).astype(np.int64)  # the previous sentence's end ...
    opens_article = np.diff(sentence_article, prepend=-1) != 0
    sentence_first[opens_article] = article_first_token[sentence_article[opens_article]]  # ... or the article's start
    token_count = len(token_start)
    article_last_token = np.append(article_first_token[1:], token_count)

    matches = matcher.match(word_ids, sentence_end_of_tokens(token_count, sentence_last))
    quotes = _joined_quotes(articles, joined, codes)
    rows = _rows(big, codes, joined, token_start, token_end, sentence_last, sentence_first, first_sentence, matches, quotes,
                 columns, rules)
    return Batch(
        rows=rows,
        sentence_article=sentence_article,
        sentence_index=np.arange(len(sentence_article)) - first_sentence[sentence_article],
        sentence_start=joined_sentences[:, 0] + joined.piece_shift[sentence_piece],
        sentence_end=joined_sentences[:, 1] + joined.piece_shift[sentence_piece],
        sentence_tokens=sentence_last - sentence_first,
        article_tokens=article_last_token - article_first_token,
        article_sentences=np.bincount(sentence_article, minlength=len(articles)),
    )


def _rules_may_apply(tone_first: np.ndarray, tone_sentence: np.ndarray, sentence_first: np.ndarray,
                     matches: TokenMatches, sentence_last: np.ndarray, columns: EntryColumns,
                     rules: ToneRules) -> np.ndarray:
    """For each tone word, whether a rule word can change it: a contrast word in its sentence, a negator
    ending within the negation window before it, an intensifier or diminisher just before it."""
    rule_words = np.flatnonzero(columns.rule_word[matches.entry])
    category = columns.category[matches.entry[rule_words]]
    rule_last = matches.last[rule_words]
    contrast_sentences = np.searchsorted(sentence_last, matches.first[rule_words][category == "contrast"], side="right")
    negators = rule_last[category == "negator"]  # one lexicon's matches do not overlap: sorted
    modifiers = rule_last[(category == "intensifier") | (category == "diminisher")]
    floor = sentence_first[tone_sentence]
    window_start = np.maximum(tone_first - rules.negation_window, floor)
    negated = np.searchsorted(negators, tone_first) > np.searchsorted(negators, window_start)
    modified = np.isin(tone_first - 1, modifiers) & (tone_first - 1 >= floor)
    return negated | modified | np.isin(tone_sentence, contrast_sentences)


def _rule_words(matches: TokenMatches, token_start: np.ndarray, token_end: np.ndarray, sentence_last: np.ndarray,
                columns: EntryColumns) -> RuleWords:
    """The batch's rule-word matches (negators, intensifiers, contrast words ...), for ``tone_arrays``."""
    rows = np.flatnonzero(columns.rule_word[matches.entry])
    first, last, entry = matches.first[rows], matches.last[rows], matches.entry[rows]
    return RuleWords(first=first, last=last, start=token_start[first], end=token_end[last],
                     sentence=np.searchsorted(sentence_last, first, side="right"), kind=columns.rule_kind[entry],
                     weight=columns.weight[entry])


def _rows(big: str, codes: np.ndarray, joined: _Joined, token_start: np.ndarray, token_end: np.ndarray, sentence_last: np.ndarray,
          sentence_first: np.ndarray, first_sentence: np.ndarray, matches: TokenMatches, quotes: np.ndarray,
          columns: EntryColumns, rules: ToneRules) -> Rows:
    """Evidence rows of the batch's counted matches and quotations, in match order then quotations."""
    counted = columns.counted[matches.entry]
    first, last, entry = matches.first[counted], matches.last[counted], matches.entry[counted]
    start, end = token_start[first], token_end[last]
    sentence = np.searchsorted(sentence_last, first, side="right")
    quote_index = np.searchsorted(quotes[:, 0], start, side="right") - 1
    in_quote = (quote_index >= 0) & (start < quotes[np.maximum(quote_index, 0), 1]) if len(quotes) else np.zeros(len(start), bool)
    value = columns.rounded_weight[entry]
    # The rule column as codes into its few distinct strings (_RULE_TEXTS' three, then the explanations).
    rule_texts = ["", REASONS["quotation"].format(factor=rules.quote_factor), QUOTE_RULE]
    rule = np.full(len(entry), _NO_RULE)

    tone = np.flatnonzero(columns.tone[entry])
    ruled = tone[_rules_may_apply(first[tone], sentence[tone], sentence_first, matches, sentence_last, columns, rules)]
    if rules.quote_factor != 1.0:
        quoted = np.setdiff1d(tone[in_quote[tone]], ruled, assume_unique=True)
        quoted_entries, which = np.unique(entry[quoted], return_inverse=True)  # each entry's quoted value, rounded once
        value[quoted] = np.array([round(weight * rules.quote_factor, 6)
                                  for weight in columns.weight[quoted_entries].tolist()])[which]
        rule[quoted] = _QUOTED_TONE
    if len(ruled):
        value[ruled], explanations, explanation = ruled_tone(
            big, codes, first[ruled], start[ruled], sentence[ruled], columns.weight[entry[ruled]], in_quote[ruled],
            _rule_words(matches, token_start, token_end, sentence_last, columns), rules)
        rule[ruled] = len(rule_texts) + explanation
        rule_texts += explanations

    piece = joined.piece_of(start)
    shift, article = joined.piece_shift[piece], joined.piece_article[piece]
    quote_first = np.searchsorted(token_start, quotes[:, 0])
    quote_last = np.searchsorted(token_start, quotes[:, 1])
    kept = quote_last > quote_first
    quotes, quote_first, quote_last = quotes[kept], quote_first[kept], quote_last[kept]
    quote_piece = joined.piece_of(quotes[:, 0])
    quote_article, quote_shift = joined.piece_article[quote_piece], joined.piece_shift[quote_piece]
    quote_sentence = np.searchsorted(sentence_last, quote_first, side="right")
    all_start = np.concatenate((start, quotes[:, 0]))
    all_end = np.concatenate((end, quotes[:, 1]))
    return Rows(
        article=np.concatenate((article, quote_article)),
        sentence=np.concatenate((sentence - first_sentence[article], quote_sentence - first_sentence[quote_article])),
        start=all_start + np.concatenate((shift, quote_shift)),
        end=all_end + np.concatenate((shift, quote_shift)),
        text=text_slices(big, codes, all_start, all_end),
        entry=np.concatenate((entry, np.full(len(quotes), len(columns.weight) - 1))),
        value=np.concatenate((value, (quote_last - quote_first).astype(float))),
        rule=pa.DictionaryArray.from_arrays(np.concatenate((rule, np.full(len(quotes), _QUOTATION_ROW))),
                                            pa.array(rule_texts, pa.large_string())).dictionary_decode(),
        in_quote=np.concatenate((in_quote, np.ones(len(quotes), bool))),
    )
