"""Comparisons between outlets: the same scores, aggregated per outlet, with the words behind them.

Outlet scores are computed by ``score.scores_from_evidence`` over all of an outlet's
articles (rates pool the outlet's tokens), so an outlet figure traces to its evidence
rows exactly as an article figure does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .lexicon import LexiconSet
from .score import (
    BOOSTER_LEXICON, COUNT_COLUMNS, HEDGE_LEXICON, QUOTE_LEXICON, SENTENCE_TONE_THRESHOLD, TONE_LEXICON,
    ScoredCorpus, measure_column, rate_lexicons, scores_from_evidence, sentence_tone,
)

TERM_COLUMNS = ["outlet", "lexicon", "category", "term", "words", "matches", "value"]


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

    def top_terms(self, outlet: str, measure: Measure, limit: int = 5) -> pd.DataFrame:
        """The terms that contribute most to ``measure`` for ``outlet``, strongest first."""
        rows = self.terms[(self.terms["outlet"] == outlet) & (self.terms["lexicon"] == measure.lexicon)]
        if measure.category is not None:
            rows = rows[rows["category"] == measure.category]
        if measure.column == "tone":
            return rows.assign(strength=rows["value"].abs()).sort_values(
                ["strength", "term"], ascending=[False, True], kind="mergesort").head(limit)
        return rows.sort_values(["value", "term"], ascending=[False, True], kind="mergesort").head(limit)


    def distinguishing_terms(self, outlet: str, measure: Measure, limit: int = 5, direction: int = 1) -> pd.DataFrame:
        """Terms that set ``outlet`` apart on ``measure``: its rate per 1,000 tokens minus the others' mean rate.

        Words every outlet uses (the story's own vocabulary) cancel out, so what is left is
        what this outlet adds. ``direction=-1`` asks for the terms with the most negative gap
        (for tone: the negative words it adds).
        """
        rows = self.terms[self.terms["lexicon"] == measure.lexicon]
        if measure.category is not None:
            rows = rows[rows["category"] == measure.category]
        if measure.lexicon == TONE_LEXICON:
            rows = rows[rows["value"] * direction > 0]
        if rows.empty:
            return pd.DataFrame(columns=["term", "gap", "words", "matches"])
        tokens = self.outlets.set_index("outlet")["tokens"]
        rates = (rows.assign(rate=1000.0 * rows["value"] / rows["outlet"].map(tokens))
                 .pivot_table(index="term", columns="outlet", values="rate", aggfunc="sum")
                 .reindex(columns=list(tokens.index)).fillna(0.0))
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
    """Matches, matched words and summed value per outlet, lexicon, category and term (quotes excluded)."""
    rows = evidence[evidence["lexicon"] != QUOTE_LEXICON].assign(words=lambda frame: frame["text"].str.lower())
    grouped = rows.groupby(["outlet", "lexicon", "category", "term"], sort=True)
    table = pd.DataFrame({
        "words": grouped["words"].agg(lambda words: " / ".join(sorted(set(words)))),
        "matches": grouped.size(),
        "value": grouped["value"].sum().round(6),
    }).reset_index()
    return table[TERM_COLUMNS]


def compare(scored: ScoredCorpus) -> Comparison:
    """Aggregate a scored corpus per outlet."""
    counts = scored.scores[COUNT_COLUMNS]
    outlets = scores_from_evidence(counts, scored.evidence, scored.lexicons, key="outlet")
    articles = counts.groupby("outlet").size().rename("articles").reset_index()
    outlets = outlets.merge(articles, on="outlet").sort_values("outlet").reset_index(drop=True)
    return Comparison(outlets=outlets, measures=measures_for(scored.lexicons), terms=term_table(scored.evidence))


DIFFERENCE_COLUMNS = [
    "measure", "leader", "runner_up", "difference", "ci_low", "ci_high",
    "dropped_terms", "difference_without", "holds", "survives",
]
BOOTSTRAP_BATCH = 50
ROBUSTNESS_DROPPED_TERMS = 3


def sentence_contributions(scored: ScoredCorpus, measure: Measure) -> pd.DataFrame:
    """Per sentence: what it adds to ``measure`` (numerator) and to its base (denominator).

    An outlet's value is sum(numerator) / sum(denominator) over its sentences, the same
    figure as in the outlet table; resampling sentences gives a bootstrap interval.
    """
    sentences = scored.sentences.merge(scored.scores[["article_id", "outlet"]], on="article_id")
    key = ["article_id", "sentence"]
    evidence = scored.evidence
    if measure.column in ("tone", "positive_share", "negative_share"):
        tone = evidence[evidence["lexicon"] == TONE_LEXICON].groupby(key)["value"].sum().map(sentence_tone)
        values = sentences.set_index(key).index.map(tone.to_dict()).to_numpy(dtype=float, na_value=0.0)
        if measure.column == "positive_share":
            values = (values > SENTENCE_TONE_THRESHOLD).astype(float)
        elif measure.column == "negative_share":
            values = (values < -SENTENCE_TONE_THRESHOLD).astype(float)
        return sentences.assign(numerator=values, denominator=1.0)
    rows = evidence[evidence["lexicon"] == measure.lexicon]
    if measure.category is not None:
        rows = rows[rows["category"] == measure.category]
    scale = 1.0 if measure.lexicon == QUOTE_LEXICON else 1000.0
    hits = rows.groupby(key)["value"].sum() * scale
    values = sentences.set_index(key).index.map(hits.to_dict()).to_numpy(dtype=float, na_value=0.0)
    return sentences.assign(numerator=values, denominator=sentences["tokens"].astype(float))


def bootstrap_gap(contributions: pd.DataFrame, leader: str, runner_up: str,
                  n_boot: int, random_state: int) -> tuple[float, float]:
    """95% interval of leader minus runner-up, resampling sentences within each article."""
    table = contributions[contributions["outlet"].isin([leader, runner_up])].sort_values(
        ["article_id", "sentence"], kind="mergesort")
    sizes = table.groupby("article_id", sort=False).size().to_numpy()
    starts = np.repeat(np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
    counts = np.repeat(sizes, sizes)
    numerator = table["numerator"].to_numpy()
    denominator = table["denominator"].to_numpy()
    is_leader = (table["outlet"] == leader).to_numpy()
    rng = np.random.default_rng(random_state)
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
                     n_boot: int = 1000, random_state: int = 0) -> dict:
    """Leader versus runner-up on one measure: the gap, its bootstrap interval, and the gap
    left after dropping the three terms that contribute most to it."""
    measure = comparison.measure(column)
    values = comparison.outlets.set_index("outlet")[column].sort_values(ascending=False, kind="mergesort")
    leader, runner_up = str(values.index[0]), str(values.index[1])
    difference = float(values.iloc[0] - values.iloc[1])
    low, high = bootstrap_gap(sentence_contributions(scored, measure), leader, runner_up, n_boot, random_state)
    dropped: list[str] = []
    without = difference
    if measure.lexicon != QUOTE_LEXICON:
        gaps = comparison.distinguishing_terms(leader, measure, limit=ROBUSTNESS_DROPPED_TERMS,
                                               direction=-1 if column == "negative_share" else 1)
        dropped = [str(term) for term in gaps["term"]]
        kept = scored.evidence[~((scored.evidence["lexicon"] == measure.lexicon) & scored.evidence["term"].isin(dropped))]
        counts = scored.scores[COUNT_COLUMNS]
        rescored = scores_from_evidence(counts, kept, scored.lexicons, key="outlet").set_index("outlet")[column]
        without = float(rescored[leader] - rescored[runner_up])
    holds = low > 0
    return {
        "measure": column, "leader": leader, "runner_up": runner_up, "difference": round(difference, 6),
        "ci_low": round(low, 6), "ci_high": round(high, 6), "dropped_terms": " / ".join(dropped),
        "difference_without": round(without, 6), "holds": bool(holds), "survives": bool(holds and without > 0),
    }


def check_differences(scored: ScoredCorpus, comparison: Comparison, columns: list[str],
                      n_boot: int = 1000, random_state: int = 0) -> pd.DataFrame:
    """``check_difference`` for each measure that differs between at least two outlets."""
    rows = []
    for column in columns:
        values = comparison.outlets[column]
        if len(values) >= 2 and values.max() > values.min():
            rows.append(check_difference(scored, comparison, column, n_boot, random_state))
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
