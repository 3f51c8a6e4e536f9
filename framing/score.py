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

import bisect
import json
import math
import re
from dataclasses import asdict, dataclass, field, fields
from itertools import accumulate, chain
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pandas as pd

from .corpus import Article, Corpus
from .lexicon import IGNORE_CATEGORY, Entry, LexiconSet, Match, load_lexicons
from .tokens import Tokens, tokenize

TONE_LEXICON = "tone"
MODIFIER_LEXICON = "modifiers"
HEDGE_LEXICON = "hedges"
BOOSTER_LEXICON = "boosters"
QUOTE_LEXICON = "quotes"
RULE_LEXICONS = frozenset({MODIFIER_LEXICON})
# Hedge categories that mark epistemic uncertainty (the kinds the Szeged corpus labels);
# approximators and attribution shields are hedges too, but not uncertainty about the claim.
UNCERTAINTY_CATEGORIES = frozenset({"modal", "epistemic", "doxastic", "conditional", "investigative"})

# Tone-rule parameters are data: framing/data/tone_rules.json, fitted by bench/validate.py on the
# training folds of the human-rated validation set (docs/validation.md); the defaults below are VADER's.
TONE_RULES_PATH = Path(__file__).parent / "data" / "tone_rules.json"
TONE_NORMALIZER = 15.0  # VADER's alpha: sentence tone = s / sqrt(s^2 + alpha)
SENTENCE_TONE_THRESHOLD = 0.05

EVIDENCE_COLUMNS = [
    "article_id", "outlet", "sentence", "start", "end", "text",
    "lexicon", "category", "term", "weight", "value", "rule", "in_quote",
]
SENTENCE_COLUMNS = ["article_id", "sentence", "start", "end", "tokens"]
COUNT_COLUMNS = ["article_id", "outlet", "title", "tokens", "sentences"]
SCORE_COLUMNS = COUNT_COLUMNS + ["tone", "positive_share", "negative_share", "quote_share"]

# Quotations: curly, guillemet and straight double quotes, and the doubled apostrophes of older
# newspaper archives (''like this'' or ``like this'').
_QUOTE = re.compile(r"(?=[“«\"'`])(?:“[^”\n]*”|«[^»\n]*»|\"[^\"\n]*\"|(?:''|``)[^\n]*?'')")


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


def find_quotes(text: str, regions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of direct quotations (straight, curly or guillemet marks) inside the scored regions."""
    spans = [found.span() for found in _QUOTE.finditer(text)]
    if len(regions) == 1 and regions[0][0] == 0 and regions[0][1] >= len(text):  # nothing excluded
        return spans
    return [(start, end) for start, end in spans
            if any(region_start <= start and end <= region_end for region_start, region_end in regions)]


def _in_spans(position: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    index = bisect.bisect_right(starts, position) - 1
    return index >= 0 and position < spans[index][1]


@dataclass(frozen=True)
class ToneRules:
    """How negators, intensifiers, contrast words and quotation marks change a tone word's value.

    The modifier words and their weights are rows of ``modifiers.csv``; these are the few
    numbers that are not per word. Defaults are VADER's behaviour; the shipped values live in
    ``framing/data/tone_rules.json`` (fitted on the training folds, see docs/validation.md).
    """

    negation_window: int = 3  # a negator ending at most this many tokens before the tone word negates it
    negation_clause: bool = False  # True: a comma, colon, semicolon, dash or bracket in between ends the negation
    negated_negative: float = 1.0  # scales the negator's weight for a negative tone word ('not bad' is milder)
    quote_factor: float = 1.0  # multiplier for tone words inside direct quotation marks (someone else's words)
    # True: a concessive clause ('Despite X,') ends at a clause break; the main clause after it gets 2 - weight
    concessive_clause: bool = False

    @classmethod
    def load(cls, path: Path = TONE_RULES_PATH) -> "ToneRules":
        """The shipped parameters (``tone_rules.json``), or the defaults where the file is absent."""
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {item.name for item in fields(cls)}
        return cls(**{key: value for key, value in data.get("parameters", {}).items() if key in names})

    def as_dict(self) -> dict:
        return asdict(self)


TONE_RULES = ToneRules.load()
NEGATION_WINDOW = TONE_RULES.negation_window
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\u2013\u2014]|\s-\s|--")


def _tone_rules(first: int, entry: Entry, rules: Sequence[tuple[int, int, Entry]], tokens: Tokens,
                in_quote: bool = False) -> tuple[float, str]:
    """Multiplier and explanation from negators, intensifiers, contrast words and quotation marks.

    ``rules`` are the modifier matches (first, last, entry) of the tone word's sentence. Every
    factor applied is named in the explanation (the evidence row's ``rule``), so a reader
    sees why a word's ``value`` differs from its ``weight``. Parameters: ``TONE_RULES``.
    """
    params = TONE_RULES
    multiplier, reasons = 1.0, []
    negative = entry.weight < 0
    text, starts, ends = tokens.text, tokens.starts, tokens.ends
    for rule_first, rule_last, rule in rules:
        category, weight = rule.category, rule.weight
        surface = text[starts[rule_first]:ends[rule_last]]
        if category == "negator" and first - params.negation_window <= rule_last < first:
            between = text[ends[rule_last]:starts[first]]
            if params.negation_clause and _CLAUSE_BREAK.search(between):
                continue
            factor = (weight * params.negated_negative if negative else weight) + 0.0  # no '-0'
            multiplier *= factor
            reasons.append(f"negated by '{surface}' ×{factor:g}")
        elif category in ("intensifier", "diminisher") and rule_last == first - 1:
            multiplier *= weight
            reasons.append(f"{category} '{surface}' ×{weight:g}")
        elif category == "contrast":
            after = rule_last < first
            factor = weight if after else 2.0 - weight
            side = "after" if after else "before"
            if after and weight < 1.0 and params.concessive_clause and _CLAUSE_BREAK.search(
                    text[ends[rule_last]:starts[first]]):
                factor, side = 2.0 - weight, "main clause after concessive"
            if rule_first > first or after:
                multiplier *= factor
                reasons.append(f"{side} contrast '{surface}' ×{factor:g}")
    if in_quote and params.quote_factor != 1.0:
        multiplier *= params.quote_factor
        reasons.append(f"inside a quotation ×{params.quote_factor:g}")
    return multiplier, "; ".join(reasons)


# The evidence table's order is start, end, lexicon, category, term. Rows are made by position, then
# lexicon name, and one lexicon's matches never share a span, so a stable sort on (start, end) gives it.
_ROW_ORDER = itemgetter(3, 4)


def _rows(article: Article, tokens: Tokens, per_sentence: Sequence[Sequence[tuple[int, int, Entry]]]) -> list[tuple]:
    """Evidence rows of one article in the evidence table's order (``_ROW_ORDER``)."""
    text, starts, ends = article.text, tokens.starts, tokens.ends
    quotes = find_quotes(text, article.regions)
    quote_starts = [start for start, _ in quotes]
    article_id, outlet = article.id, article.outlet
    rows = []
    for sentence, found in enumerate(per_sentence):
        rules = None
        for first, last, entry in found:
            lexicon = entry.lexicon
            if lexicon in RULE_LEXICONS or entry.category == IGNORE_CATEGORY:
                continue
            start, end = starts[first], ends[last]
            value, rule = entry.weight, ""
            in_quote = bool(quotes) and _in_spans(start, quotes, quote_starts)
            if lexicon == TONE_LEXICON:
                if rules is None:
                    rules = [match for match in found if match[2].lexicon in RULE_LEXICONS]
                multiplier, rule = _tone_rules(first, entry, rules, tokens, in_quote)
                value = entry.weight * multiplier
            rows.append((
                article_id, outlet, sentence, start, end, text[start:end],
                lexicon, entry.category, entry.term, entry.weight, round(value, 6), rule, in_quote,
            ))
    for start, end in quotes:
        first = bisect.bisect_left(starts, start)
        last = bisect.bisect_left(starts, end)
        if last > first:
            rows.append((
                article_id, outlet, bisect.bisect_right(tokens.sentence_ends, first), start, end, text[start:end],
                QUOTE_LEXICON, "direct", "", 1.0, float(last - first), "tokens inside the quotation marks", True,
            ))
    rows.sort(key=_ROW_ORDER)
    return rows


def evidence_rows(article: Article, tokens: Tokens, matches: Sequence[Match]) -> list[tuple]:
    """Evidence rows (in ``EVIDENCE_COLUMNS`` order, sorted by position) for one article's matches and quotes."""
    per_sentence: list[list[tuple[int, int, Entry]]] = [[] for _ in tokens.sentence_spans]
    for match in matches:
        per_sentence[tokens.sentence_of[match.first]].append((match.first, match.last, match.entry))
    return _rows(article, tokens, per_sentence)


def score_articles(
    articles: Iterable[Article],
    lexicons: LexiconSet,
    progress: Callable[[int], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tokenize and match each article; return (counts, evidence, sentences) tables.

    Evidence is sorted by article id, then position (``_ROW_ORDER``): each article's rows are
    sorted as they are made, and the articles' blocks are joined in id order.
    """
    counts, sentences = [], []
    blocks: dict[str, list[tuple]] = {}
    for article in articles:
        tokens = tokenize(article.text, article.regions)
        rows = _rows(article, tokens, lexicons.match_sentences(tokens.words, tokens.sentence_ends))
        if article.id in blocks:  # a repeated id: one block, still in position order
            rows = sorted(blocks[article.id] + rows, key=itemgetter(3, 4, 6, 7, 8))
        blocks[article.id] = rows
        counts.append((article.id, article.outlet, article.title, len(tokens.words), len(tokens.sentence_spans)))
        sentences.extend(
            (article.id, index, start, end, end_token - first_token)
            for index, ((start, end), first_token, end_token)
            in enumerate(zip(tokens.sentence_spans, (0, *tokens.sentence_ends), tokens.sentence_ends))
        )
        if progress is not None:
            progress(1)
    evidence = list(chain.from_iterable(blocks[article_id] for article_id in sorted(blocks)))
    return (
        pd.DataFrame(counts, columns=COUNT_COLUMNS),
        _table(evidence, EVIDENCE_COLUMNS),
        pd.DataFrame(sentences, columns=SENTENCE_COLUMNS),
    )


def _table(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """A DataFrame from row tuples, built column by column (pandas' row path is several times slower)."""
    if not rows:
        return pd.DataFrame(rows, columns=columns)
    return pd.DataFrame(dict(zip(columns, map(list, zip(*rows)))))


def sentence_tone(total: float) -> float:
    """VADER's normalization of a sentence's summed valence into [-1, 1]."""
    return total / math.sqrt(total * total + TONE_NORMALIZER)


def tone_sums(evidence: pd.DataFrame, key: str = "article_id") -> pd.DataFrame:
    """Per ``key``: summed sentence tone and counts of positive and negative sentences."""
    tone_rows = evidence[evidence["lexicon"] == TONE_LEXICON]
    keys = ["article_id", "sentence"] if key == "article_id" else [key, "article_id", "sentence"]
    per_sentence = tone_rows.groupby(keys)["value"].sum().map(sentence_tone)
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
    for name in rate_lexicons(lexicons):
        rows = evidence[evidence["lexicon"] == name]
        columns = [(measure_column(name), rows)]
        columns += [(measure_column(name, category), rows[rows["category"] == category])
                    for category in lexicons[name].categories]
        for column, subset in columns:
            hits = subset.groupby(key)["value"].sum().reindex(grouped.index).fillna(0.0)
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
