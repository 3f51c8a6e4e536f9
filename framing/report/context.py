"""The report context: every value the templates show, computed once, documented here.

Templates render this dictionary and compute nothing. Keys:

* ``title``, ``corpus`` (name, path, articles, outlets, articles_per_outlet, and as printed
  counts ``articles_label`` and ``articles_shown``)
* ``summary``: plain-language findings, each ``{text, terms, anchor}`` linking to evidence
* ``robust_count``, ``checked_count``; ``robustness``: ``{normal, exact_max}``, whether an
  interval was drawn from the bootstrap's normal approximation (see ``compare.bootstrap_gap``)
* ``table``: ``{outlets, groups: [{name, rows: [{label, description, cells: [{value, anchor}]}]}]}``
* ``evidence``: one block per measure and outlet: ``{anchor, label, description, outlet, value,
  matches, terms, sentences, more, counts: {matches, sentences, shown, terms, terms_shown},
  sampled, terms_sampled, filter}``; ``more`` is the number of matching sentences not shown,
  ``filter`` says which rows of ``evidence.csv`` hold them all
* ``evidence_rule``: ``{terms, sentences, sampled}``: the per-number caps, and whether any bit
* ``legend``: highlight classes with their labels
* ``articles``: each article's metadata, ``paragraphs`` (lists of text segments with classes)
  and ``excluded`` lines (the first ``ARTICLES_PER_OUTLET`` of each outlet)
* ``clustering``: ``{available, reason, n_clusters, clusters, drivers, figures}``
* ``style``: outlet style measured article by article, added by ``render.build_report``; its keys are
  documented in ``report/style_section.py``
* ``figures``: ``{name: {file, alt, data_uri}}``; ``distributions`` only when outlets have
  enough articles for a spread to mean something (``render.DISTRIBUTION_MIN_ARTICLES``)
* ``methods``: lexicon files with hashes, rules, exclusions (the first ``EXCLUSIONS_LISTED``,
  with ``excluded_total`` and ``excluded_more``) and limitations

Every block's size is capped, so the page grows with outlets and measures, not articles.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..compare import BOOTSTRAP_EXACT_MAX_SENTENCES, NORMAL_APPROXIMATION, Comparison, Measure
from ..corpus import Article
from ..score import (
    QUOTE_LEXICON, SENTENCE_TONE_THRESHOLD, TONE_LEXICON, TONE_RULES, ScoredCorpus,
)
from .evidence_rows import EvidenceRows

EVIDENCE_SENTENCES_PER_CELL = 6
TERMS_PER_CELL = 8
ARTICLES_PER_OUTLET = 5
SUMMARY_TERMS = 4
EXCLUSIONS_LISTED = 200  # the Methods section lists the first ones, in corpus order, and says how many there are


@lru_cache(maxsize=None)
def css_class(lexicon: str, category: str | None = None) -> str:
    """The highlight class for a lexicon (and category): letters, digits and dashes only (cached: asked per match)."""
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
    """Cut ``text[start:end]`` into pieces, each with the classes of the spans covering it.

    Only the spans that reach into the region are looked at, so cutting a long article
    paragraph by paragraph costs the paragraph's spans, not the article's.
    """
    local = [span for span in spans if span[1] > start and span[0] < end]
    cuts = {start, end}
    for span_start, span_end, _, _ in local:
        cuts.add(max(span_start, start))
        cuts.add(min(span_end, end))
    ordered = sorted(cuts)
    pieces = []
    for left, right in zip(ordered, ordered[1:]):
        covering = tuple((classes, label) for s, e, classes, label in local if s <= left and right <= e)
        pieces.append({"text": text[left:right], **_piece_classes(covering)})
    return pieces


@lru_cache(maxsize=4096)
def _piece_classes(covering: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The classes and hover title of a piece covered by these (classes, label) spans (the same few recur)."""
    return {
        "classes": " ".join(dict.fromkeys(
            name for classes in sorted({classes for classes, _ in covering}) for name in classes.split())),
        "title": "; ".join(sorted({label for _, label in covering if label})),
    }


def evidence_span(start: int, end: int, lexicon: str, category: str, term: str, value: float,
                  rule: str) -> tuple[int, int, str, str]:
    """The highlight span of one evidence row: (start, end, classes, hover label)."""
    if lexicon == QUOTE_LEXICON:
        return (start, end, "quote", "")
    label = f"{lexicon}: {category} ({term}, {value:+g})"
    if rule:
        label += f" [{rule}]"
    return (start, end, f"hl {css_class(lexicon)} {css_class(lexicon, category)}", label)


def evidence_filter(measure: Measure, outlet: str) -> str:
    """Which rows of ``evidence.csv`` are behind a number, as a reader would filter them in a spreadsheet."""
    parts = [f"outlet = {outlet}", f"lexicon = {measure.lexicon}"]
    if measure.category is not None and measure.lexicon == TONE_LEXICON:
        parts.append("value > 0" if measure.category == "positive" else "value < 0")
    elif measure.category is not None:
        parts.append(f"category = {measure.category}")
    return ", ".join(parts)


def count_label(count: int) -> str:
    """A count as the report prints it: 3,412."""
    return f"{count:,}"


class _Builder:
    """Holds lookups shared by the sections while the context is assembled.

    Evidence rows are handled as integer positions into ``scored.evidence``, its labels as
    factorized codes (per outlet and lexicon, per article, each row's sentence from the
    ``SentenceIndex``): a corpus of thousands of articles costs a few passes over the
    evidence, not a filter of it per number or a DataFrame per sentence.
    """

    def __init__(self, scored: ScoredCorpus, comparison: Comparison, rows: EvidenceRows | None = None) -> None:
        self.scored = scored
        self.comparison = comparison
        self.articles: dict[str, Article] = {article.id: article for article in scored.corpus.articles}
        self.rows = rows if rows is not None else EvidenceRows(scored)
        sentences = self.rows.index.sentences
        self.sentence_start = sentences["start"].to_numpy()
        self.sentence_end = sentences["end"].to_numpy()
        self.sentence_article = sentences["article_id"].tolist()
        # Rank of each sentence in (article id, sentence) order: the tie-break between equally strong sentences.
        order = sentences.sort_values(["article_id", "sentence"], kind="mergesort").index.to_numpy()
        self.sentence_rank = np.empty(len(order), dtype=np.int64)
        self.sentence_rank[order] = np.arange(len(order))
        self.outlet_names = list(comparison.outlets["outlet"])
        self.outlet_values = comparison.outlets.set_index("outlet")

    def anchor(self, measure: Measure, outlet: str) -> str:
        return f"ev-{measure.column}-o{self.outlet_names.index(outlet)}"

    def rows_behind(self, measure: Measure, outlet: str) -> np.ndarray:
        """Positions (in ``scored.evidence``, in table order) of the rows behind ``measure`` for ``outlet``.

        Tone shares count sentences by their tone, so their rows are the tone words that
        pushed the tone up (``positive_share``) or down (``negative_share``).
        """
        positions = self.rows.of_outlet_lexicon(outlet, measure.lexicon)
        if measure.category is not None and measure.lexicon != TONE_LEXICON:
            return self.rows.where("category", measure.category, positions)
        if measure.category is not None:
            values = self.rows.value[positions]
            return positions[values > 0] if measure.category == "positive" else positions[values < 0]
        return positions

    def spans(self, positions: np.ndarray) -> list[tuple[int, int, str, str]]:
        """Highlight spans of the evidence rows at ``positions``, in that order."""
        columns = [self.rows.codes(column) for column in ("lexicon", "category", "term", "rule")]
        start, end, value = self.rows.start, self.rows.end, self.rows.value
        return [
            evidence_span(int(start[row]), int(end[row]), *(str(labels[codes[row]]) for codes, labels in columns[:3]),
                          float(value[row]), str(columns[3][1][columns[3][0][row]]))
            for row in positions.tolist()
        ]

    def sentence_view(self, sentence: int, positions: np.ndarray) -> dict[str, Any]:
        """One sentence (a row of the sentence index) with the evidence rows at ``positions`` highlighted."""
        article = self.articles[self.sentence_article[sentence]]
        start, end = int(self.sentence_start[sentence]), int(self.sentence_end[sentence])
        return {
            "article_id": article.id,
            "article_title": article.title,
            "outlet": article.outlet,
            "segments": segments(article.text, start, end, self.spans(positions)),
        }

    def evidence_block(self, measure: Measure, outlet: str) -> dict[str, Any]:
        """One number's evidence: its top terms and its strongest sentences, with how many there are in all.

        Sentences rank by the summed value of their matching words (tone: by its size), ties
        by article id and sentence order; at most ``EVIDENCE_SENTENCES_PER_CELL`` are shown
        and ``TERMS_PER_CELL`` terms, so a block's size does not grow with the corpus.
        """
        positions = self.rows_behind(measure, outlet)
        terms_total = self.comparison.term_count(outlet, measure)
        terms = self.comparison.top_term_rows(outlet, measure, limit=TERMS_PER_CELL)
        located = positions[self.rows.sentence_of[positions] >= 0]  # every row has its sentence; this is a guard
        values = self.rows.value[located]
        candidates, row_candidate = np.unique(self.rows.sentence_of[located], return_inverse=True)
        strength = np.bincount(row_candidate.ravel(), weights=np.abs(values) if measure.lexicon == TONE_LEXICON else values,
                               minlength=len(candidates))
        # Rounded, so sentences whose words add up to the same value tie whatever the order of the additions.
        ranked = candidates[np.lexsort((self.sentence_rank[candidates], -strength.round(9)))]
        chosen = ranked[:EVIDENCE_SENTENCES_PER_CELL]
        sentences = [self.sentence_view(sentence, np.intersect1d(self.rows.of_sentence(sentence), located,
                                                                 assume_unique=True))
                     for sentence in chosen.tolist()]
        return {
            "anchor": self.anchor(measure, outlet),
            "label": measure.label,
            "description": measure.description,
            "outlet": outlet,
            "value": format_value(measure.column, float(self.outlet_values.loc[outlet, measure.column])),
            "matches": int(len(positions)),
            "terms": [
                {"term": row.term, "words": row.words, "category": row.category, "matches": int(row.matches),
                 "value": f"{row.value:+.2f}"}
                for row in terms
            ],
            "sentences": sentences,
            "more": int(len(ranked) - len(chosen)),
            "counts": {"matches": count_label(len(positions)), "sentences": count_label(len(ranked)),
                       "shown": count_label(len(chosen)), "terms": count_label(terms_total),
                       "terms_shown": count_label(len(terms))},
            "sampled": bool(len(ranked) > len(chosen)),
            "terms_sampled": bool(terms_total > len(terms)),
            "filter": evidence_filter(measure, outlet),
        }

    def article_spans(self, article_id: str) -> list[tuple[int, int, str, str]]:
        """The highlight spans of one article's evidence rows, in table order."""
        return self.spans(self.rows.of_article(article_id))

    def terms_phrase(self, outlet: str, measure: Measure) -> list[str]:
        return [str(row.words) for row in self.comparison.top_term_rows(outlet, measure, limit=SUMMARY_TERMS)]


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


def _robustness_method(checks: pd.DataFrame) -> dict[str, Any]:
    """Whether any interval was drawn from the bootstrap's normal approximation (large outlets), for the text."""
    normal = bool(len(checks)) and bool((checks["interval_method"] == NORMAL_APPROXIMATION).any()) \
        if "interval_method" in checks.columns else False
    return {"normal": normal, "exact_max": count_label(BOOTSTRAP_EXACT_MAX_SENTENCES)}


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
    """The first ``ARTICLES_PER_OUTLET`` articles of each outlet (corpus order), highlighted paragraph by paragraph."""
    shown: dict[str, int] = {}
    views = []
    for article in builder.scored.corpus.articles:
        shown[article.outlet] = shown.get(article.outlet, 0) + 1
        if shown[article.outlet] > ARTICLES_PER_OUTLET:
            continue
        spans = builder.article_spans(article.id) + [
            (e.start, e.end, "excluded", f"excluded from scoring: {e.reason}") for e in article.excluded]
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
    excluded = sum(len(article.excluded) for article in scored.corpus.articles)
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
        ][:EXCLUSIONS_LISTED],
        "excluded_total": count_label(excluded),
        "excluded_more": excluded > EXCLUSIONS_LISTED,
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
                  figures: dict[str, dict[str, Any]], rows: EvidenceRows | None = None) -> dict[str, Any]:
    """Assemble the documented context for the HTML and Markdown templates.

    ``rows``: the corpus's ``EvidenceRows``, when the caller has built them (to share them).
    """
    builder = _Builder(scored, comparison, rows)
    corpus = scored.corpus
    evidence = [builder.evidence_block(measure, outlet) for measure in comparison.measures for outlet in builder.outlet_names]
    articles = _articles(builder)
    return {
        "title": f"How {len(builder.outlet_names)} outlets framed it: {corpus.name}",
        "corpus": {"name": corpus.name, "path": display_path(corpus.path), "articles": len(corpus.articles), "outlets": builder.outlet_names,
                   "articles_per_outlet": ARTICLES_PER_OUTLET, "articles_label": count_label(len(corpus.articles)),
                   "articles_shown": count_label(len(articles))},
        "summary": _summary(builder, comparison, checks),
        "robust_count": int(checks["survives"].sum()) if len(checks) else 0,
        "checked_count": int(len(checks)),
        "robustness": _robustness_method(checks),
        "table": _table(builder, comparison),
        "evidence": evidence,
        "evidence_rule": {"terms": TERMS_PER_CELL, "sentences": EVIDENCE_SENTENCES_PER_CELL,
                          "sampled": any(block["sampled"] or block["terms_sampled"] for block in evidence)},
        "legend": _legend(scored),
        "articles": articles,
        "clustering": clustering,
        "figures": figures,
        "methods": _methods(scored),
    }
