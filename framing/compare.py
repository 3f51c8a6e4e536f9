"""Comparisons between outlets: the same scores, aggregated per outlet, with the words behind them.

Outlet scores are computed by ``score.scores_from_evidence`` over all of an outlet's
articles (rates pool the outlet's tokens), so an outlet figure traces to its evidence
rows exactly as an article figure does.
"""

from __future__ import annotations

import heapq
import math
from collections import namedtuple
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .lexicon import LexiconSet
from .score import (
    BOOSTER_LEXICON, COUNT_COLUMNS, HEDGE_LEXICON, QUOTE_LEXICON, SENTENCE_TONE_THRESHOLD, TONE_LEXICON,
    ScoredCorpus, measure_column, rate_lexicons, scores_from_evidence, sentence_tone,
)

TERM_COLUMNS = ["outlet", "lexicon", "category", "term", "words", "matches", "value"]
TermRow = namedtuple("TermRow", TERM_COLUMNS)  # one row of ``Comparison.terms``


@dataclass(frozen=True)
class Measure:
    """A score column, what it means, and which evidence rows produce it."""

    column: str
    label: str
    description: str
    lexicon: str
    category: str | None = None


@dataclass(frozen=True)
class Comparison:
    """Outlet-level scores, the measures they contain, and each outlet's top terms per measure."""

    outlets: pd.DataFrame = field(repr=False)
    measures: tuple[Measure, ...]
    terms: pd.DataFrame = field(repr=False)

    def measure(self, column: str) -> Measure:
        for measure in self.measures:
            if measure.column == column:
                return measure
        raise KeyError(f"unknown measure '{column}'; valid measures: {', '.join(m.column for m in self.measures)}")

    def leader(self, column: str, highest: bool = True) -> str:
        """The outlet with the highest (or lowest) value of a measure; ties go to the first name."""
        values = self.outlets.set_index("outlet")[column]
        return str(values.idxmax() if highest else values.idxmin())

    @cached_property
    def _term_rows(self) -> dict[tuple[str, str], list[TermRow]]:
        """``terms`` as plain rows, split once by (outlet, lexicon): a report asks for hundreds of term lists."""
        rows: dict[tuple[str, str], list[TermRow]] = {}
        for row in zip(*(self.terms[column].tolist() for column in TERM_COLUMNS)):
            rows.setdefault((str(row[0]), str(row[1])), []).append(TermRow(*row))
        return rows

    def _measure_term_rows(self, outlet: str, measure: Measure) -> list[TermRow]:
        rows = self._term_rows.get((outlet, measure.lexicon), [])
        return rows if measure.category is None else [row for row in rows if row.category == measure.category]

    def term_count(self, outlet: str, measure: Measure) -> int:
        """How many distinct terms are behind ``measure`` for ``outlet``."""
        return len(self._measure_term_rows(outlet, measure))

    def top_term_rows(self, outlet: str, measure: Measure, limit: int = 5) -> list[TermRow]:
        """The terms that contribute most to ``measure`` for ``outlet``, strongest first (ties: by term).

        Tone words rank by the size of their summed value, so the negative words behind
        "Negative sentences" come strongest first too.
        """
        rows = self._measure_term_rows(outlet, measure)
        if measure.lexicon == TONE_LEXICON:
            return heapq.nsmallest(limit, rows, key=lambda row: (-abs(row.value), row.term))
        return heapq.nsmallest(limit, rows, key=lambda row: (-row.value, row.term))

    def top_terms(self, outlet: str, measure: Measure, limit: int = 5) -> pd.DataFrame:
        """``top_term_rows`` as a table with the columns of ``terms``."""
        return pd.DataFrame(self.top_term_rows(outlet, measure, limit), columns=TERM_COLUMNS)

    @cached_property
    def _rates(self) -> dict[tuple[str, str | None, int], tuple[pd.DataFrame, pd.DataFrame]]:
        """Per (lexicon, category, sign): each term's rate per outlet and its rows, filled in as asked."""
        return {}

    def _term_rates(self, measure: Measure, direction: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Each term's rate per 1,000 tokens in every outlet (term × outlet), and the term rows behind it."""
        key = (measure.lexicon, measure.category, direction if measure.lexicon == TONE_LEXICON else 0)
        if key not in self._rates:
            rows = self.terms[self.terms["lexicon"] == measure.lexicon]
            if measure.category is not None:
                rows = rows[rows["category"] == measure.category]
            if measure.lexicon == TONE_LEXICON:
                rows = rows[rows["value"] * direction > 0]
            tokens = self.outlets.set_index("outlet")["tokens"]
            rates = (rows.assign(rate=1000.0 * rows["value"] / rows["outlet"].map(tokens))
                     .pivot_table(index="term", columns="outlet", values="rate", aggfunc="sum")
                     .reindex(columns=list(tokens.index)).fillna(0.0)) if len(rows) else None
            self._rates[key] = (rates, rows)
        return self._rates[key]

    def distinguishing_terms(self, outlet: str, measure: Measure, limit: int = 5, direction: int = 1) -> pd.DataFrame:
        """Terms that set ``outlet`` apart on ``measure``: its rate per 1,000 tokens minus the others' mean rate.

        Words every outlet uses (the story's own vocabulary) cancel out, so what is left is
        what this outlet adds. ``direction=-1`` asks for the terms with the most negative gap
        (for tone: the negative words it adds). The rate table is built once per measure.
        """
        rates, rows = self._term_rates(measure, direction)
        if rates is None:
            return pd.DataFrame(columns=["term", "gap", "words", "matches"])
        others = [name for name in rates.columns if name != outlet]
        gap = rates[outlet] - (rates[others].mean(axis=1) if others else 0.0)
        own = rows[rows["outlet"] == outlet].set_index("term")
        table = pd.DataFrame({"term": gap.index, "gap": gap.to_numpy().round(6)})
        table = table[table["term"].isin(own.index)]
        table["words"] = table["term"].map(own["words"])
        table["matches"] = table["term"].map(own["matches"])
        table = table[table["gap"] * direction > 0].assign(order=lambda frame: -frame["gap"] * direction)
        return table.sort_values(["order", "term"], kind="mergesort").head(limit).drop(columns="order").reset_index(drop=True)


def measures_for(lexicons: LexiconSet) -> tuple[Measure, ...]:
    """Every measure a report shows, in display order, for this set of lexicons."""
    measures = [
        Measure("tone", "Tone", "mean sentence tone, from -1 (negative) to +1 (positive)", TONE_LEXICON),
        Measure("positive_share", "Positive sentences", "share of sentences with tone above +0.05", TONE_LEXICON, "positive"),
        Measure("negative_share", "Negative sentences", "share of sentences with tone below -0.05", TONE_LEXICON, "negative"),
        Measure("quote_share", "Direct quotes", "share of tokens inside quotation marks", QUOTE_LEXICON),
    ]
    ordered = [name for name in (HEDGE_LEXICON, BOOSTER_LEXICON) if name in lexicons.names]
    ordered += [name for name in rate_lexicons(lexicons) if name not in ordered]
    for name in ordered:
        measures.append(Measure(measure_column(name), f"{name.capitalize()} per 1,000 words",
                                f"matches of the '{name}' lexicon per 1,000 tokens (weighted)", name))
        for category in lexicons[name].categories:
            measures.append(Measure(measure_column(name, category), f"{name.capitalize()}: {category.replace('_', ' ')}",
                                    f"matches of '{name}' category '{category}' per 1,000 tokens", name, category))
    return tuple(measures)


def term_table(evidence: pd.DataFrame) -> pd.DataFrame:
    """Matches, matched words and summed value per outlet, lexicon, category and term (quotes excluded).

    ``words`` joins the distinct lower-cased matched words, sorted; it is built from the
    distinct (group, word) pairs as integers in one pass, since a join per group (or a
    drop_duplicates over five text columns) takes seconds on a large corpus.
    """
    keys = ["outlet", "lexicon", "category", "term"]
    rows = evidence.loc[evidence["lexicon"] != QUOTE_LEXICON, keys + ["text", "value"]]
    grouped = rows.groupby(keys, sort=True)
    table = pd.DataFrame({"matches": grouped.size(), "value": grouped["value"].sum().round(6)}).reset_index()
    # Distinct (group, word) pairs as integer keys: a group's number is its row in ``table``.
    word_codes, uniques = pd.factorize(rows["text"].str.lower())
    words = uniques.tolist()  # a plain list: indexing an Arrow-backed Index costs microseconds per word
    width = max(len(words), 1)
    pairs = pd.unique(grouped.ngroup().to_numpy(dtype=np.int64) * width + word_codes)
    distinct: list[list[str]] = [[] for _ in range(len(table))]
    for group, word in zip((pairs // width).tolist(), (pairs % width).tolist()):
        distinct[group].append(words[word])
    table["words"] = [" / ".join(sorted(group_words)) for group_words in distinct]
    return table[TERM_COLUMNS]


SCORING_COLUMNS = ["article_id", "outlet", "sentence", "lexicon", "category", "term", "value"]


def scoring_evidence(evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence columns scores are computed from, lexicon and category as categoricals.

    ``scores_from_evidence`` gives the same figures on this narrower table, faster on a
    corpus of thousands of articles: its filters compare integer codes, and its row
    selections copy six columns, not thirteen. (Outlet and article stay strings: as
    categoricals, pandas 2 would group them by every combination of categories.)
    """
    return evidence[SCORING_COLUMNS].astype({"lexicon": "category", "category": "category"})


def compare(scored: ScoredCorpus) -> Comparison:
    """Aggregate a scored corpus per outlet."""
    counts = scored.scores[COUNT_COLUMNS]
    outlets = scores_from_evidence(counts, scoring_evidence(scored.evidence), scored.lexicons, key="outlet")
    articles = counts.groupby("outlet").size().rename("articles").reset_index()
    outlets = outlets.merge(articles, on="outlet").sort_values("outlet").reset_index(drop=True)
    return Comparison(outlets=outlets, measures=measures_for(scored.lexicons), terms=term_table(scored.evidence))


DIFFERENCE_COLUMNS = [
    "measure", "leader", "runner_up", "difference", "ci_low", "ci_high",
    "dropped_terms", "difference_without", "holds", "survives", "interval_method",
]
BOOTSTRAP_BATCH = 50
ROBUSTNESS_DROPPED_TERMS = 3
# Up to this many sentences (leader and runner-up together) the bootstrap resamples them one by
# one; above it the resampled totals are drawn from their normal approximation (see bootstrap_gap).
BOOTSTRAP_EXACT_MAX_SENTENCES = 10_000
RESAMPLED, NORMAL_APPROXIMATION = "resampled sentences", "normal approximation"


@dataclass(frozen=True)
class SentenceIndex:
    """Each sentence with its outlet, and each evidence row's sentence as a row number of that table.

    Built once per scored corpus (``sentence_index``) and shared by the robustness checks
    and the report, so no step joins the evidence to the sentences by string keys again.
    """

    sentences: pd.DataFrame = field(repr=False)  # scored.sentences plus ``outlet``, in the same order
    evidence_sentence: np.ndarray = field(repr=False)  # per evidence row: its sentence's row in ``sentences``, or -1


def sentence_index(scored: ScoredCorpus) -> SentenceIndex:
    """Number the sentences and point every evidence row at its sentence (integer keys, one sort)."""
    sentences = scored.sentences
    outlet_of = dict(zip(scored.scores["article_id"], scored.scores["outlet"]))
    table = sentences.assign(outlet=sentences["article_id"].map(outlet_of))
    table = table[table["outlet"].notna()].reset_index(drop=True)
    evidence = scored.evidence
    if table.empty:
        return SentenceIndex(sentences=table, evidence_sentence=np.full(len(evidence), -1, dtype=np.int64))
    codes = pd.factorize(pd.concat([table["article_id"], evidence["article_id"]], ignore_index=True))[0]
    width = int(max(table["sentence"].max(), evidence["sentence"].max() if len(evidence) else 0)) + 1
    sentence_keys = codes[:len(table)].astype(np.int64) * width + table["sentence"].to_numpy(np.int64)
    row_keys = codes[len(table):].astype(np.int64) * width + evidence["sentence"].to_numpy(np.int64)
    order = np.argsort(sentence_keys, kind="stable")
    positions = order[np.minimum(np.searchsorted(sentence_keys[order], row_keys), len(order) - 1)]
    matched = sentence_keys[positions] == row_keys
    return SentenceIndex(sentences=table, evidence_sentence=np.where(matched, positions, -1))


def sentence_contributions(scored: ScoredCorpus, measure: Measure, index: SentenceIndex | None = None) -> pd.DataFrame:
    """Per sentence: what it adds to ``measure`` (numerator) and to its base (denominator).

    An outlet's value is sum(numerator) / sum(denominator) over its sentences, the same
    figure as in the outlet table; resampling sentences gives a bootstrap interval.
    Pass the corpus's ``SentenceIndex`` when checking several measures, to build it once.
    """
    index = index if index is not None else sentence_index(scored)
    sentences = index.sentences
    evidence = scored.evidence
    positions = index.evidence_sentence
    if measure.column in ("tone", "positive_share", "negative_share"):
        mask = (evidence["lexicon"] == TONE_LEXICON).to_numpy() & (positions >= 0)
        sums = np.bincount(positions[mask], weights=evidence["value"].to_numpy()[mask], minlength=len(sentences))
        values = sentence_tone(sums)
        if measure.column == "positive_share":
            values = (values > SENTENCE_TONE_THRESHOLD).astype(float)
        elif measure.column == "negative_share":
            values = (values < -SENTENCE_TONE_THRESHOLD).astype(float)
        return sentences.assign(numerator=values, denominator=1.0)
    mask = (evidence["lexicon"] == measure.lexicon).to_numpy() & (positions >= 0)
    if measure.category is not None:
        mask &= (evidence["category"] == measure.category).to_numpy()
    scale = 1.0 if measure.lexicon == QUOTE_LEXICON else 1000.0
    values = np.bincount(positions[mask], weights=evidence["value"].to_numpy()[mask], minlength=len(sentences)) * scale
    return sentences.assign(numerator=values, denominator=sentences["tokens"].astype(float))


def interval_method(sentences: int) -> str:
    """How ``bootstrap_gap`` draws its replicates for a pair of outlets with this many sentences."""
    return RESAMPLED if sentences <= BOOTSTRAP_EXACT_MAX_SENTENCES else NORMAL_APPROXIMATION


def _resampled_ratios(numerator: np.ndarray, denominator: np.ndarray, article: np.ndarray, n_boot: int,
                      rng: np.random.Generator) -> np.ndarray:
    """Replicates of sum(numerator) / sum(denominator) with each article's sentences resampled, drawn from
    the normal law of the resampled totals: their exact mean and covariance, summed over articles.

    Each replicate total is a sum over thousands of independently resampled sentences, so by the
    central limit theorem it is normal to within sampling noise; drawing it directly costs
    ``n_boot`` draws instead of ``n_boot`` times the number of sentences.
    """
    count = np.bincount(article).astype(float)
    used = count > 0

    def spread(first: np.ndarray, second: np.ndarray) -> float:
        within = (np.bincount(article, weights=first * second)[used]
                  - np.bincount(article, weights=first)[used] * np.bincount(article, weights=second)[used] / count[used])
        return float(within.sum())

    var_num = max(spread(numerator, numerator), 0.0)
    var_den = max(spread(denominator, denominator), 0.0)
    covariance = spread(numerator, denominator)
    scale_num = math.sqrt(var_num)  # the totals' covariance, factored (Cholesky) by hand: it may be singular
    shared = covariance / scale_num if scale_num > 0 else 0.0
    own = math.sqrt(max(var_den - shared * shared, 0.0))
    normal = rng.standard_normal((n_boot, 2))
    totals_num = numerator.sum() + scale_num * normal[:, 0]
    totals_den = denominator.sum() + shared * normal[:, 0] + own * normal[:, 1]
    return totals_num / np.maximum(totals_den, 1e-12)


def bootstrap_gap(contributions: pd.DataFrame, leader: str, runner_up: str,
                  n_boot: int, random_state: int) -> tuple[float, float]:
    """95% interval of leader minus runner-up, resampling sentences within each article.

    Up to ``BOOTSTRAP_EXACT_MAX_SENTENCES`` sentences the sentences are resampled one by
    one; above, each outlet's resampled totals come from their normal approximation
    (``_resampled_ratios``), which at that size gives the same interval far faster.
    """
    table = contributions[contributions["outlet"].isin([leader, runner_up])].sort_values(
        ["article_id", "sentence"], kind="mergesort")
    numerator = table["numerator"].to_numpy()
    denominator = table["denominator"].to_numpy()
    is_leader = (table["outlet"] == leader).to_numpy()
    rng = np.random.default_rng(random_state)
    if interval_method(len(table)) == NORMAL_APPROXIMATION:
        article = pd.factorize(table["article_id"])[0]
        lead = _resampled_ratios(numerator[is_leader], denominator[is_leader], article[is_leader], n_boot, rng)
        other = _resampled_ratios(numerator[~is_leader], denominator[~is_leader], article[~is_leader], n_boot, rng)
        low, high = np.percentile(lead - other, [2.5, 97.5])
        return float(low), float(high)
    sizes = table.groupby("article_id", sort=False).size().to_numpy()
    starts = np.repeat(np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
    counts = np.repeat(sizes, sizes)
    gaps = []
    for done in range(0, n_boot, BOOTSTRAP_BATCH):
        batch = min(BOOTSTRAP_BATCH, n_boot - done)
        picks = starts + (rng.random((batch, len(table))) * counts).astype(int)
        num, den = numerator[picks], denominator[picks]
        lead = num[:, is_leader].sum(axis=1) / np.maximum(den[:, is_leader].sum(axis=1), 1e-12)
        other = num[:, ~is_leader].sum(axis=1) / np.maximum(den[:, ~is_leader].sum(axis=1), 1e-12)
        gaps.append(lead - other)
    low, high = np.percentile(np.concatenate(gaps), [2.5, 97.5])
    return float(low), float(high)


def check_difference(scored: ScoredCorpus, comparison: Comparison, column: str,
                     n_boot: int = 1000, random_state: int = 0, index: SentenceIndex | None = None,
                     evidence: pd.DataFrame | None = None) -> dict:
    """Leader versus runner-up on one measure: the gap, its bootstrap interval, and the gap
    left after dropping the three terms that contribute most to it.

    ``index`` (``sentence_index``) and ``evidence`` (``scoring_evidence``) are built here
    when not given; ``check_differences`` builds them once for all its measures.
    """
    measure = comparison.measure(column)
    values = comparison.outlets.set_index("outlet")[column].sort_values(ascending=False, kind="mergesort")
    leader, runner_up = str(values.index[0]), str(values.index[1])
    difference = float(values.iloc[0] - values.iloc[1])
    contributions = sentence_contributions(scored, measure, index)
    low, high = bootstrap_gap(contributions, leader, runner_up, n_boot, random_state)
    method = interval_method(int(contributions["outlet"].isin([leader, runner_up]).sum()))
    dropped: list[str] = []
    without = difference
    if measure.lexicon != QUOTE_LEXICON:
        gaps = comparison.distinguishing_terms(leader, measure, limit=ROBUSTNESS_DROPPED_TERMS,
                                               direction=-1 if column == "negative_share" else 1)
        dropped = [str(term) for term in gaps["term"]]
        # The measure depends only on its own lexicon's rows, and each outlet's figure only on its
        # own articles: rescore just those, with just that lexicon's columns (the same figures as
        # rescoring everything, far faster).
        evidence = evidence if evidence is not None else scoring_evidence(scored.evidence)
        pair = [leader, runner_up]
        kept = evidence[(evidence["lexicon"] == measure.lexicon).to_numpy() & evidence["outlet"].isin(pair).to_numpy()
                        & ~evidence["term"].isin(dropped).to_numpy()]
        counts = scored.scores.loc[scored.scores["outlet"].isin(pair), COUNT_COLUMNS]
        own = [scored.lexicons[measure.lexicon]] if measure.lexicon in rate_lexicons(scored.lexicons) else []
        rescored = scores_from_evidence(counts, kept, LexiconSet(own), key="outlet").set_index("outlet")[column]
        without = float(rescored[leader] - rescored[runner_up])
    holds = low > 0
    return {
        "measure": column, "leader": leader, "runner_up": runner_up, "difference": round(difference, 6),
        "ci_low": round(low, 6), "ci_high": round(high, 6), "dropped_terms": " / ".join(dropped),
        "difference_without": round(without, 6), "holds": bool(holds), "survives": bool(holds and without > 0),
        "interval_method": method,
    }


def check_differences(scored: ScoredCorpus, comparison: Comparison, columns: list[str],
                      n_boot: int = 1000, random_state: int = 0, index: SentenceIndex | None = None) -> pd.DataFrame:
    """``check_difference`` for each measure that differs between at least two outlets.

    ``index``: the corpus's ``sentence_index``, when the caller has built it already.
    """
    rows = []
    index = index if index is not None else sentence_index(scored)
    evidence = scoring_evidence(scored.evidence)
    for column in columns:
        values = comparison.outlets[column]
        if len(values) >= 2 and values.max() > values.min():
            rows.append(check_difference(scored, comparison, column, n_boot, random_state, index, evidence))
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
