"""Comparisons between outlets: the same scores, aggregated per outlet, with the words behind them.

Outlet scores are computed by ``score.scores_from_evidence`` over all of an outlet's
articles (rates pool the outlet's tokens), so an outlet figure traces to its evidence
rows exactly as an article figure does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .lexicon import LexiconSet
from .score import (
    BOOSTER_LEXICON, COUNT_COLUMNS, HEDGE_LEXICON, QUOTE_LEXICON, TONE_LEXICON,
    ScoredCorpus, measure_column, rate_lexicons, scores_from_evidence,
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
