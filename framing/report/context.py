"""The report context: every value the templates show, computed once, documented here.

Templates render this dictionary and compute nothing. Keys:

* ``title``, ``corpus`` (name, path, articles, outlets)
* ``summary``: plain-language findings, each ``{text, terms, anchor}`` linking to evidence
* ``table``: ``{outlets, groups: [{name, rows: [{label, description, cells: [{value, anchor}]}]}]}``
* ``evidence``: one block per measure and outlet: ``{anchor, label, outlet, value, terms, sentences, more}``
* ``legend``: highlight classes with their labels
* ``articles``: each article's metadata, ``paragraphs`` (lists of text segments with classes)
  and ``excluded`` lines
* ``clustering``: ``{available, reason, n_clusters, clusters, drivers, figures}``
* ``figures``: ``{name: {file, alt, data_uri}}``
* ``methods``: lexicon files with hashes, rules, exclusions and limitations
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..compare import Comparison, Measure
from ..corpus import Article
from ..score import (
    QUOTE_LEXICON, SENTENCE_TONE_THRESHOLD, TONE_LEXICON, TONE_RULES, ScoredCorpus,
)

EVIDENCE_SENTENCES_PER_CELL = 6
TERMS_PER_CELL = 8
ARTICLES_PER_OUTLET = 5
SUMMARY_TERMS = 4


def css_class(lexicon: str, category: str | None = None) -> str:
    """The highlight class for a lexicon (and category): letters, digits and dashes only."""
    name = f"hl-{lexicon}" if category is None else f"hl-{lexicon}-{category}"
    return re.sub(r"[^a-z0-9-]+", "-", name.lower())


def format_value(column: str, value: float) -> str:
    """How a measure is printed: shares as percentages, tone signed, rates with one decimal."""
    if column.endswith("_share"):
        return f"{value:.0%}"
    if column == "tone":
        return f"{value:+.2f}"
    return f"{value:.1f}"


def segments(text: str, start: int, end: int, spans: list[tuple[int, int, str, str]]) -> list[dict[str, str]]:
    """Cut ``text[start:end]`` into pieces, each with the classes of the spans covering it."""
    cuts = {start, end}
    for span_start, span_end, _, _ in spans:
        if span_end > start and span_start < end:
            cuts.add(max(span_start, start))
            cuts.add(min(span_end, end))
    ordered = sorted(cuts)
    pieces = []
    for left, right in zip(ordered, ordered[1:]):
        covering = [(classes, label) for s, e, classes, label in spans if s <= left and right <= e]
        pieces.append({
            "text": text[left:right],
            "classes": " ".join(dict.fromkeys(
                name for classes in sorted({classes for classes, _ in covering}) for name in classes.split())),
            "title": "; ".join(sorted({label for _, label in covering if label})),
        })
    return pieces


def _evidence_spans(rows: pd.DataFrame) -> list[tuple[int, int, str, str]]:
    spans = []
    for row in rows.itertuples(index=False):
        if row.lexicon == QUOTE_LEXICON:
            spans.append((row.start, row.end, "quote", ""))
            continue
        label = f"{row.lexicon}: {row.category} ({row.term}, {row.value:+g})"
        if row.rule:
            label += f" [{row.rule}]"
        spans.append((row.start, row.end, f"hl {css_class(row.lexicon)} {css_class(row.lexicon, row.category)}", label))
    return spans


def _rows_for(rows: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """The evidence rows behind ``measure``, given one outlet's rows of the measure's lexicon."""
    if measure.category is not None and measure.lexicon != TONE_LEXICON:
        return rows[rows["category"] == measure.category]
    if measure.category is not None:
        return rows[rows["value"] > 0] if measure.category == "positive" else rows[rows["value"] < 0]
    return rows


class _Builder:
    """Holds lookups shared by the sections while the context is assembled."""

    def __init__(self, scored: ScoredCorpus, comparison: Comparison) -> None:
        self.scored = scored
        self.comparison = comparison
        self.articles: dict[str, Article] = {article.id: article for article in scored.corpus.articles}
        sentences = scored.sentences
        self.sentence_spans = dict(zip(zip(sentences["article_id"], sentences["sentence"]),
                                       zip(sentences["start"], sentences["end"])))
        self.by_outlet_lexicon = {key: rows for key, rows in scored.evidence.groupby(["outlet", "lexicon"], sort=True)}
        self.empty = scored.evidence.iloc[0:0]
        self.outlet_names = list(comparison.outlets["outlet"])
        self.outlet_values = comparison.outlets.set_index("outlet")

    def anchor(self, measure: Measure, outlet: str) -> str:
        return f"ev-{measure.column}-o{self.outlet_names.index(outlet)}"

    def sentence_view(self, article_id: str, sentence: int, rows: pd.DataFrame) -> dict[str, Any]:
        article = self.articles[article_id]
        start, end = (int(value) for value in self.sentence_spans[(article_id, sentence)])
        return {
            "article_id": article_id,
            "article_title": article.title,
            "outlet": article.outlet,
            "segments": segments(article.text, start, end, _evidence_spans(rows)),
        }

    def evidence_block(self, measure: Measure, outlet: str) -> dict[str, Any]:
        rows = _rows_for(self.by_outlet_lexicon.get((outlet, measure.lexicon), self.empty), measure)
        terms = self.comparison.top_terms(outlet, measure, limit=TERMS_PER_CELL)
        if measure.category is not None and measure.lexicon == TONE_LEXICON:
            terms = terms[terms["category"] == measure.category]
        strength = rows["value"].abs() if measure.lexicon == TONE_LEXICON else rows["value"]
        ranked = (rows.assign(strength=strength).groupby(["article_id", "sentence"])["strength"].sum()
                  .reset_index().sort_values(["strength", "article_id", "sentence"], ascending=[False, True, True], kind="mergesort"))
        chosen = ranked.head(EVIDENCE_SENTENCES_PER_CELL)
        wanted = set(zip(chosen["article_id"], chosen["sentence"]))
        per_sentence = {key: group for key, group in rows.groupby(["article_id", "sentence"], sort=False) if key in wanted}
        sentences = [
            self.sentence_view(row.article_id, int(row.sentence), per_sentence[(row.article_id, row.sentence)])
            for row in chosen.itertuples(index=False)
        ]
        return {
            "anchor": self.anchor(measure, outlet),
            "label": measure.label,
            "description": measure.description,
            "outlet": outlet,
            "value": format_value(measure.column, float(self.outlet_values.loc[outlet, measure.column])),
            "matches": int(len(rows)),
            "terms": [
                {"term": row.term, "words": row.words, "category": row.category, "matches": int(row.matches),
                 "value": f"{row.value:+.2f}"}
                for row in terms.itertuples(index=False)
            ],
            "sentences": sentences,
            "more": max(0, len(ranked) - len(chosen)),
        }

    def terms_phrase(self, outlet: str, measure: Measure) -> list[str]:
        terms = self.comparison.top_terms(outlet, measure, limit=SUMMARY_TERMS)
        return [str(words) for words in terms["words"]]


HEDGE_KIND_LABELS = {
    "modal": "modal verbs", "epistemic": "epistemic words", "doxastic": "belief verbs",
    "conditional": "conditions", "investigative": "open questions", "approximator": "approximate numbers",
    "attribution": "attribution shields",
}


SUMMARY_MEASURES = ["tone", "negative_share", "boosters_per_1k", "hedges_per_1k", "quote_share"]


def _finding(text: str, terms_label: str, terms: list[str], anchor: str, check: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"text": text, "terms_label": terms_label, "terms": terms, "anchor": anchor, "check": check}


def robustness_text(check: pd.Series, column: str) -> dict[str, Any]:
    """The plain-words verdict on one difference: its bootstrap interval and whether it survives its top words."""
    interval = f"[{format_gap(column, check['ci_low'])}, {format_gap(column, check['ci_high'])}]"
    gap = f"gap to {check['runner_up']}: {format_gap(column, check['difference'])}, 95% interval {interval}"
    dropped = ", ".join(f"“{term}”" for term in str(check["dropped_terms"]).split(" / ") if term)
    if check["survives"]:
        verdict = "Holds up: the interval excludes zero" + (f", and the gap remains without {dropped}." if dropped else ".")
    elif check["holds"]:
        verdict = f"Rests on a few words: without {dropped} the gap disappears."
    else:
        verdict = "Not a reliable difference: the interval includes zero, so resampling the sentences could reverse it."
        if dropped and check["difference_without"] <= 0:
            verdict += f" It also rests on a few words: without {dropped} the gap disappears."
    return {"gap": gap, "verdict": verdict, "holds": bool(check["survives"])}


def format_gap(column: str, value: float) -> str:
    """A difference between two outlets, signed, in the measure's own units."""
    if column.endswith("_share"):
        return f"{value * 100:+.0f} points"
    if column == "tone":
        return f"{value:+.2f}"
    return f"{value:+.1f}"


def _summary(builder: _Builder, comparison: Comparison, checks: pd.DataFrame) -> list[dict[str, Any]]:
    """Plain-language findings: who is most upbeat, negative, boosting, hedging, quoting, and with which words.

    The words named are those that set the outlet apart (its rate minus the others' mean),
    so the story's shared vocabulary does not crowd them out.
    """
    names = builder.outlet_names
    if len(names) < 2:
        return []
    values = builder.outlet_values
    available = {measure.column for measure in comparison.measures}
    findings = []
    statements = [
        ("tone", 1, "is the most upbeat", "words it adds that lift its tone"),
        ("negative_share", -1, "has the largest share of negative sentences", "negative words it adds"),
        ("boosters_per_1k", 1, "boosts its claims most", "its boosters"),
        ("hedges_per_1k", 1, "hedges most", "hedges it adds"),
        ("quote_share", 1, "leans most on direct quotes", ""),
    ]
    for column, direction, verb, terms_label in statements:
        if column not in available or values[column].max() == values[column].min():
            continue
        measure = comparison.measure(column)
        outlet = comparison.leader(column)
        others = ", ".join(f"{name} {format_value(column, float(values.loc[name, column]))}" for name in names if name != outlet)
        terms = []
        if terms_label:
            table = comparison.distinguishing_terms(outlet, measure, limit=SUMMARY_TERMS, direction=direction)
            terms = [str(words) for words in table["words"]]
        matching = checks[checks["measure"] == column]
        check = robustness_text(matching.iloc[0], column) if len(matching) else None
        findings.append(_finding(
            f"{outlet} {verb}: {measure.label.lower()} {format_value(column, float(values.loc[outlet, column]))} (others: {others}).",
            terms_label if terms else "", terms, builder.anchor(measure, outlet), check))
    if "hedges_per_1k" in available:
        findings.extend(_hedge_profiles(builder, comparison))
    if "evaluative_per_1k" in available:
        measure = comparison.measure("evaluative_per_1k")
        for outlet in names:
            table = comparison.distinguishing_terms(outlet, measure, limit=SUMMARY_TERMS)
            if len(table):
                findings.append(_finding(
                    f"{outlet} uses {format_value(measure.column, float(values.loc[outlet, measure.column]))} evaluative framing words per 1,000 words.",
                    "words only or mostly it uses", [str(words) for words in table["words"]], builder.anchor(measure, outlet)))
    return findings


def _hedge_profiles(builder: _Builder, comparison: Comparison) -> list[dict[str, Any]]:
    """What each outlet hedges: its most frequent kind of hedge, with the words."""
    findings = []
    hedge_measures = [m for m in comparison.measures if m.lexicon == "hedges" and m.category is not None]
    for outlet in builder.outlet_names:
        ranked = sorted(hedge_measures, key=lambda m: (-float(builder.outlet_values.loc[outlet, m.column]), m.column))
        if not ranked or float(builder.outlet_values.loc[outlet, ranked[0].column]) == 0:
            continue
        measure = ranked[0]
        kind = HEDGE_KIND_LABELS.get(measure.category or "", (measure.category or "").replace("_", " "))
        findings.append(_finding(
            f"{outlet} hedges mostly with {kind} ({format_value(measure.column, float(builder.outlet_values.loc[outlet, measure.column]))} per 1,000 words).",
            "for example", builder.terms_phrase(outlet, measure), builder.anchor(measure, outlet)))
    return findings


def _table(builder: _Builder, comparison: Comparison) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for measure in comparison.measures:
        group = "Tone and quotes" if measure.lexicon in (TONE_LEXICON, QUOTE_LEXICON) else measure.lexicon.capitalize()
        groups.setdefault(group, []).append({
            "label": measure.label,
            "description": measure.description,
            "is_total": measure.category is None,
            "cells": [
                {"value": format_value(measure.column, float(builder.outlet_values.loc[outlet, measure.column])),
                 "anchor": builder.anchor(measure, outlet)}
                for outlet in builder.outlet_names
            ],
        })
    return {"outlets": builder.outlet_names, "groups": [{"name": name, "rows": rows} for name, rows in groups.items()]}


def _articles(builder: _Builder) -> list[dict[str, Any]]:
    evidence = builder.scored.evidence
    shown: dict[str, int] = {}
    views = []
    for article in builder.scored.corpus.articles:
        shown[article.outlet] = shown.get(article.outlet, 0) + 1
        if shown[article.outlet] > ARTICLES_PER_OUTLET:
            continue
        rows = evidence[evidence["article_id"] == article.id]
        spans = _evidence_spans(rows) + [(e.start, e.end, "excluded", f"excluded from scoring: {e.reason}") for e in article.excluded]
        paragraphs, offset = [], 0
        for line in article.text.split("\n"):
            if line.strip():
                paragraphs.append(segments(article.text, offset, offset + len(line), spans))
            offset += len(line) + 1
        views.append({
            "id": article.id, "outlet": article.outlet, "title": article.title, "date": article.date,
            "source_note": article.source_note, "file": article.file, "paragraphs": paragraphs,
            "excluded": [{"text": article.text[e.start:e.end], "reason": e.reason} for e in article.excluded],
        })
    return views


def _legend(scored: ScoredCorpus) -> list[dict[str, str]]:
    present = scored.evidence[["lexicon", "category"]].drop_duplicates().sort_values(["lexicon", "category"])
    legend = [{"classes": "quote", "label": "inside direct quotation marks"}] if (present["lexicon"] == QUOTE_LEXICON).any() else []
    for row in present.itertuples(index=False):
        if row.lexicon != QUOTE_LEXICON:
            legend.append({"classes": f"hl {css_class(row.lexicon)} {css_class(row.lexicon, row.category)}",
                           "label": f"{row.lexicon}: {row.category.replace('_', ' ')}"})
    legend.append({"classes": "excluded", "label": "excluded from scoring (boilerplate)"})
    return legend


def _methods(scored: ScoredCorpus) -> dict[str, Any]:
    return {
        "lexicons": [
            {"name": lexicon.name, "path": display_path(lexicon.path), "sha256": lexicon.sha256,
             "entries": len(lexicon.entries), "categories": ", ".join(lexicon.categories)}
            for lexicon in scored.lexicons.lexicons
        ],
        "tone_rules": TONE_RULES.as_dict(),
        "sentence_threshold": SENTENCE_TONE_THRESHOLD,
        "excluded": [
            {"article": article.title, "outlet": article.outlet, "text": article.text[e.start:e.end], "reason": e.reason}
            for article in scored.corpus.articles for e in article.excluded
        ][:200],
    }


def display_path(path: str) -> str:
    """A path as the reader should see it: relative to the working folder when inside it.

    Absolute paths would differ between clones and break byte-identical reports.
    """
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def data_uri(png: bytes) -> str:
    """A PNG embedded in the page, so the report opens with no network and no side files."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def build_context(scored: ScoredCorpus, comparison: Comparison, checks: pd.DataFrame, clustering: dict[str, Any],
                  figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Assemble the documented context for the HTML and Markdown templates."""
    builder = _Builder(scored, comparison)
    corpus = scored.corpus
    evidence = [builder.evidence_block(measure, outlet) for measure in comparison.measures for outlet in builder.outlet_names]
    return {
        "title": f"How {len(builder.outlet_names)} outlets framed it: {corpus.name}",
        "corpus": {"name": corpus.name, "path": display_path(corpus.path), "articles": len(corpus.articles), "outlets": builder.outlet_names,
                   "articles_per_outlet": ARTICLES_PER_OUTLET},
        "summary": _summary(builder, comparison, checks),
        "robust_count": int(checks["survives"].sum()) if len(checks) else 0,
        "checked_count": int(len(checks)),
        "table": _table(builder, comparison),
        "evidence": evidence,
        "legend": _legend(scored),
        "articles": _articles(builder),
        "clustering": clustering,
        "figures": figures,
        "methods": _methods(scored),
    }
