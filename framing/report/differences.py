"""Where the accounts differ: facts, sources, omissions, wording and headlines, side by side.

``differences(scored)`` builds the tables (quotes, claims and their groups, coverage,
distinctive words, headline versus body) once per corpus; ``differences_context`` turns
them into the template context of the "Where the accounts differ" section, strongest
differences first: facts (figures that disagree), then sources (who speaks, with which
verbs), then omissions (subtopics one outlet alone covers), then wording (distinctive
words), then headlines against bodies. Every statement carries the sentence it rests on, as
``{"text", "classes"}`` segments with the evidence span highlighted.

Headline scores come from ``scored.evidence`` and ``scored.sentences`` (sentences on the
article's first line against all others), never from the text again, so they agree with
``evidence.csv`` to the row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..claims import AGREE, DISAGREE, SINGLE, claims_table, group_claims, measure_names
from ..corpus import Article, Corpus
from ..coverage import coverage_matrix, coverage_table, load_stopwords, outlet_vocabulary, single_outlet_subtopics
from ..distinctive import Z_THRESHOLD, distinctive_words
from ..score import TONE_LEXICON, ScoredCorpus, rate_lexicons, sentence_tone
from ..sources import DIRECT, PARAPHRASE, UNATTRIBUTED, quotes_table, source_summary, verb_summary
from ..tokens import Tokens, tokenize
from .context import segments

HEADLINE_COLUMNS = ["article_id", "outlet", "part", "sentences", "tokens", "tone"]
FILES = {"quotes": "quotes.csv", "claims": "claims.csv", "coverage": "coverage.csv"}
SUBTOPICS_PER_OUTLET = 6
MATRIX_ROWS = 20
WORDS_PER_OUTLET = 6
EXAMPLES_PER_SOURCE = 1  # per outlet quoting the source
SOURCE_ROWS = 15
CLAIMS_PER_OUTLET = 3
FACTS_SHOWN = 12
ONLY_VOICE_FINDINGS = 5
HEADLINE_TONE_GAP = 0.2
HEADLINE_RATE_FACTOR = 3.0  # a headline rate this many times the body's is worth a finding
STATUS_LABELS = {DISAGREE: "the accounts disagree", AGREE: "the accounts agree", SINGLE: "one outlet only"}


@dataclass(frozen=True)
class Differences:
    """The tables behind "Where the accounts differ"; each row carries its article and span."""

    quotes: pd.DataFrame = field(repr=False)
    claims: pd.DataFrame = field(repr=False)
    claim_groups: pd.DataFrame = field(repr=False)
    coverage: pd.DataFrame = field(repr=False)
    distinctive: pd.DataFrame = field(repr=False)
    headlines: pd.DataFrame = field(repr=False)
    sources: pd.DataFrame = field(repr=False)
    single_outlet: pd.DataFrame = field(repr=False)


def _line_ends(corpus: Corpus) -> dict[str, int]:
    """Article id → end of its first line (the headline)."""
    ends = {}
    for article in corpus.articles:
        end = article.text.find("\n")
        ends[article.id] = len(article.text) if end < 0 else end
    return ends


def headline_sentences(article: Article, sentences: pd.DataFrame) -> list[int]:
    """Indices of the article's sentences on its first line (the headline)."""
    line_end = article.text.find("\n")
    line_end = len(article.text) if line_end < 0 else line_end
    rows = sentences[(sentences["article_id"] == article.id) & (sentences["start"] < line_end)]
    return sorted(int(index) for index in rows["sentence"])


def headline_table(scored: ScoredCorpus) -> pd.DataFrame:
    """Tone and per-1,000-word rates of each article's headline and body, from evidence rows.

    Tone is the mean sentence tone (as in ``scores``) over the part's sentences; rates pool
    the part's tokens. Columns: ``HEADLINE_COLUMNS`` plus ``<lexicon>_per_1k`` per rate lexicon,
    two rows per article (headline, then body) in corpus order.
    """
    lexicons = rate_lexicons(scored.lexicons)
    line_ends = _line_ends(scored.corpus)
    sentences = scored.sentences[["article_id", "sentence", "start", "tokens"]].copy()
    sentences["part"] = (sentences["start"] < sentences["article_id"].map(line_ends)).map({True: "headline", False: "body"})
    parts = sentences.set_index(["article_id", "sentence"])["part"]
    evidence = scored.evidence.join(parts, on=["article_id", "sentence"])
    tone = (evidence[evidence["lexicon"] == TONE_LEXICON].groupby(["article_id", "part", "sentence"])["value"].sum()
            .map(sentence_tone).groupby(["article_id", "part"]).sum())
    counts = sentences.groupby(["article_id", "part"]).agg(sentences=("sentence", "size"), tokens=("tokens", "sum"))
    sums = evidence.groupby(["article_id", "part", "lexicon"])["value"].sum()
    rows = []
    for article in scored.corpus.articles:
        for part in ("headline", "body"):
            count, tokens = counts.loc[(article.id, part)] if (article.id, part) in counts.index else (0, 0)
            tone_value = float(tone.get((article.id, part), 0.0)) / count if count else 0.0
            rates = [1000.0 * float(sums.get((article.id, part, name), 0.0)) / tokens if tokens else 0.0 for name in lexicons]
            rows.append((article.id, article.outlet, part, int(count), int(tokens), round(tone_value, 6),
                         *(round(rate, 6) for rate in rates)))
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS + [f"{name}_per_1k" for name in lexicons])


def differences(scored: ScoredCorpus) -> Differences:
    """Every table of the "Where the accounts differ" section, for a scored corpus."""
    corpus = scored.corpus
    tokens: dict[str, Tokens] = {article.id: tokenize(article.text, article.regions) for article in corpus.articles}
    quotes = quotes_table(corpus, tokens)
    claims = claims_table(corpus, tokens)
    coverage = coverage_table(corpus, tokens)
    return Differences(
        quotes=quotes,
        claims=claims,
        claim_groups=group_claims(claims),
        coverage=coverage,
        distinctive=distinctive_words(corpus, tokens, exclude=load_stopwords()),
        headlines=headline_table(scored),
        sources=source_summary(quotes),
        single_outlet=single_outlet_subtopics(coverage, outlet_vocabulary(corpus, tokens)),
    )


def difference_files(diff: Differences) -> dict[str, bytes]:
    """The section's CSV files by name (``quotes.csv``, ``claims.csv``, ``coverage.csv``)."""
    tables = {"quotes": diff.quotes, "claims": diff.claims, "coverage": diff.coverage}
    return {FILES[name]: table.to_csv(index=False, lineterminator="\n").encode("utf-8") for name, table in tables.items()}


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-6 else f"{value:,.1f}"


def _reading(row: Any) -> str:
    """How a claim reads, in its canonical unit: "120 minutes", "more than 60 minutes (60–90 implied)"."""
    unit = "" if row.unit == "count" else f" {row.unit}" if row.unit != "%" else "%"
    if math.isinf(row.high):
        return f"more than {_number(row.low)}{unit} (read as up to {_number(row.implied_high)})"
    if abs(row.high - row.low) < 1e-9:
        return f"{_number(row.value)}{unit}"
    return f"{_number(row.low)}–{_number(row.high)}{unit}"


class _ContextBuilder:
    """Shared lookups (articles, anchors) while the section's context is assembled."""

    def __init__(self, diff: Differences, corpus: Corpus) -> None:
        self.diff, self.corpus = diff, corpus
        self.articles = {article.id: article for article in corpus.articles}
        self.outlets = corpus.outlets

    def sentence(self, article_id: str, sentence_start: int, sentence_end: int, start: int, end: int,
                 classes: str) -> dict[str, Any]:
        article = self.articles[article_id]
        return {
            "article_id": article_id,
            "article_title": article.title,
            "outlet": article.outlet,
            "segments": segments(article.text, int(sentence_start), int(sentence_end), [(int(start), int(end), classes, "")]),
        }

    def facts(self) -> list[dict[str, Any]]:
        groups, claims, known = self.diff.claim_groups, self.diff.claims, measure_names()
        blocks = []
        for number, group in enumerate(groups.itertuples(index=False)):
            if group.status == SINGLE and group.measure not in known:
                continue
            if len(blocks) == FACTS_SHOWN:
                break
            rows = claims[(claims["measure"] == group.measure) & (claims["unit"] == group.unit)]
            shown = rows.groupby("outlet", sort=False).head(CLAIMS_PER_OUTLET)
            blocks.append({
                "anchor": f"diff-fact-{number}",
                "measure": group.measure,
                "status": group.status,
                "status_label": STATUS_LABELS[group.status],
                "basis": group.basis,
                "note": group.note,
                "outlets": group.outlet_names.split("; "),
                "claims": [dict(self.sentence(row.article_id, row.sentence_start, row.sentence_end, row.start, row.end,
                                              "hl diff-claim"),
                                phrase=row.phrase, reading=_reading(row), approximator=row.approximator)
                           for row in shown.itertuples(index=False)],
                "more": len(rows) - len(shown),
            })
        return blocks

    def sources(self) -> dict[str, Any]:
        summary, quotes = self.diff.sources, self.diff.quotes
        by_source: dict[str, dict[str, Any]] = {}
        for row in summary.itertuples(index=False):
            by_source.setdefault(row.source, {})[row.outlet] = row
        order = sorted(by_source, key=lambda s: (s == UNATTRIBUTED, -len(by_source[s]),
                                                 -sum(r.quote_words for r in by_source[s].values()), s))
        order = [s for s in order if s != UNATTRIBUTED][:SOURCE_ROWS] + [s for s in order if s == UNATTRIBUTED]
        rows = []
        for number, source in enumerate(order):
            cells = []
            for outlet in self.outlets:
                row = by_source[source].get(outlet)
                cells.append({"quoted": row is not None, "words": int(row.quote_words) if row else 0,
                              "direct": int(row.direct) if row else 0, "paraphrase": int(row.paraphrase) if row else 0,
                              "verbs": row.verbs if row else ""})
            chosen = (quotes[quotes["source"] == source]
                      .sort_values(["outlet", "kind", "quote_words", "article_id", "start"], ascending=[True, True, False, True, True],
                                   kind="mergesort")
                      .groupby("outlet", sort=True).head(EXAMPLES_PER_SOURCE))
            examples = [dict(self.sentence(q.article_id, q.sentence_start, q.sentence_end, q.start, q.end,
                                           "quote hl diff-quote" if q.kind == DIRECT else "hl diff-paraphrase"),
                             kind=q.kind, verb=q.verb, attribution=q.attribution)
                        for q in chosen.itertuples(index=False)]
            rows.append({"anchor": f"diff-source-{number}", "source": source, "outlets": len(by_source[source]),
                         "outlet_names": sorted(by_source[source]), "cells": cells, "examples": examples})
        verbs = verb_summary(quotes)
        return {
            "outlets": self.outlets,
            "rows": rows,
            "more": len(by_source) - len(order),
            "verbs": [{"outlet": outlet,
                       "verbs": [{"verb": r.verb, "uses": int(r.uses)} for r in verbs[verbs["outlet"] == outlet].itertuples(index=False)]}
                      for outlet in self.outlets],
        }

    def omissions(self) -> dict[str, Any]:
        single, coverage = self.diff.single_outlet, self.diff.coverage
        per_outlet = []
        for outlet in self.outlets:
            items: list[dict[str, Any]] = []
            shown: list[str] = []
            for row in single[single["outlet"] == outlet].itertuples(index=False):
                if len(items) == SUBTOPICS_PER_OUTLET:
                    break
                if any(f" {row.key} " in f" {other} " or f" {other} " in f" {row.key} " for other in shown):
                    continue  # "limited ceasefire" after "limited ceasefire agreement" says nothing new
                shown.append(row.key)
                number = len(items)
                mentions = coverage[coverage["key"] == row.key]
                mention = mentions.sort_values(["in_title", "article_id", "start"], kind="mergesort").iloc[0]
                items.append(dict(self.sentence(mention["article_id"], mention["sentence_start"], mention["sentence_end"],
                                                mention["start"], mention["end"], "hl diff-subtopic"),
                                  anchor=f"diff-omit-{self.outlets.index(outlet)}-{number}", subtopic=row.subtopic,
                                  kind=row.kind, mentions=int(row.mentions)))
            per_outlet.append({"outlet": outlet, "subtopics": items,
                               "more": int((single["outlet"] == outlet).sum()) - len(items)})
        matrix = coverage_matrix(coverage, self.outlets) if not coverage.empty else pd.DataFrame()
        shared = matrix[(matrix["outlets"] > 1) & (matrix["outlets"] < len(self.outlets))] if not matrix.empty else matrix
        ranked = shared.assign(total=shared[self.outlets].sum(axis=1)).sort_values(
            ["total", "key"], ascending=[False, True], kind="mergesort").head(MATRIX_ROWS) if not shared.empty else shared
        return {
            "single": per_outlet,
            "matrix": {"outlets": self.outlets,
                       "rows": [{"subtopic": row["subtopic"], "kind": row["kind"],
                                 "cells": [int(row[outlet]) for outlet in self.outlets]}
                                for _, row in ranked.iterrows()]},
        }

    def wording(self) -> list[dict[str, Any]]:
        table = self.diff.distinctive
        blocks = []
        for outlet in self.outlets:
            rows = table[table["outlet"] == outlet].head(WORDS_PER_OUTLET)
            blocks.append({"outlet": outlet, "words": [
                dict(self.sentence(r.article_id, r.sentence_start, r.sentence_end, r.start, r.end, "hl diff-word"),
                     word=r.word, count=int(r.count), count_rest=int(r.count_rest), z=f"{r.z:+.2f}",
                     strong=bool(r.z > Z_THRESHOLD))
                for r in rows.itertuples(index=False)]})
        return blocks

    def headlines(self, scored_lexicons: list[str]) -> dict[str, Any]:
        """Per outlet: headline against body, tone averaged over its articles, rates pooled over tokens."""
        table = self.diff.headlines
        measures = [("tone", "Tone")] + [(f"{name}_per_1k", f"{name.capitalize()} per 1,000 words") for name in scored_lexicons]
        measures = [(column, label) for column, label in measures if column in table.columns]
        first_headline = {}
        for article in self.corpus.articles:
            line_end = article.text.find("\n")
            first_headline.setdefault(article.outlet, article.text[:line_end if line_end >= 0 else len(article.text)].strip())
        rows = []
        for outlet in self.outlets:
            mine = table[table["outlet"] == outlet]
            if mine.empty:
                continue
            values: dict[str, dict[str, float]] = {}
            for part in ("headline", "body"):
                rows_part = mine[mine["part"] == part]
                tokens = rows_part["tokens"].sum()
                values[part] = {"tone": float(rows_part["tone"].mean())}
                for column, _ in measures[1:]:
                    values[part][column] = float((rows_part[column] * rows_part["tokens"]).sum() / tokens) if tokens else 0.0
            cells = [{"headline": ("{:+.2f}" if column == "tone" else "{:.1f}").format(values["headline"][column]),
                      "body": ("{:+.2f}" if column == "tone" else "{:.1f}").format(values["body"][column])}
                     for column, _ in measures]
            loud = [(values["headline"][column] / max(values["body"][column], 1e-9), label, column)
                    for column, label in measures[1:]
                    if values["headline"][column] > HEADLINE_RATE_FACTOR * values["body"][column]]
            _, label, column = max(loud) if loud else (0.0, "", "")
            louder = ({"lexicon": label.split(" per ")[0].lower(), "headline": f"{values['headline'][column]:.1f}",
                       "body": f"{values['body'][column]:.1f}"} if loud else None)
            rows.append({"outlet": outlet, "headline": first_headline.get(outlet, ""), "articles": int(mine["article_id"].nunique()),
                         "tone_gap": values["headline"]["tone"] - values["body"]["tone"], "cells": cells, "louder": louder})
        return {"measures": [label for _, label in measures], "rows": rows}


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _findings(facts: list[dict[str, Any]], sources: dict[str, Any], omissions: dict[str, Any],
              wording: list[dict[str, Any]], headlines: dict[str, Any], outlets: list[str]) -> list[dict[str, str]]:
    """Plain-language statements, strongest first: facts, sources, omissions, wording, headlines."""
    findings = []
    for fact in facts:
        phrases: dict[str, list[str]] = {}
        for claim in fact["claims"]:
            said = phrases.setdefault(claim["outlet"], [])
            if claim["phrase"].lower() not in (p.lower() for p in said):
                said.append(claim["phrase"])
        phrasing = "; ".join(f"{outlet}: " + ", ".join(f"“{p}”" for p in said) for outlet, said in phrases.items())
        if fact["status"] == DISAGREE:
            findings.append({"text": f"Figures for the {fact['measure']} differ between accounts ({phrasing}). {fact['note']}",
                             "anchor": fact["anchor"]})
        elif fact["status"] == AGREE and len(set(c["phrase"].lower() for c in fact["claims"])) > 1:
            findings.append({"text": f"The accounts agree on the {fact['measure']} in different words ({phrasing}).",
                             "anchor": fact["anchor"]})
    voices = 0
    for row in sources["rows"]:
        if row["source"] != UNATTRIBUTED and row["outlets"] == 1 and len(outlets) > 1 and voices < ONLY_VOICE_FINDINGS:
            voices += 1
            cell = next(c for c in row["cells"] if c["quoted"])
            counts = [_plural(cell["direct"], "direct quote"), _plural(cell["paraphrase"], "paraphrase")]
            counts = [text for text in counts if not text.startswith("0 ")] + [_plural(cell["words"], "word")]
            findings.append({"text": f"Only {row['outlet_names'][0]} gives {row['source']} a voice ({', '.join(counts)}).",
                             "anchor": row["anchor"]})
    for block in omissions["single"]:
        if block["subtopics"]:
            names = ", ".join(f"“{item['subtopic']}”" for item in block["subtopics"][:3])
            findings.append({"text": f"Only {block['outlet']} mentions {names}.", "anchor": block["subtopics"][0]["anchor"]})
    for block in wording:
        strong = [w["word"] for w in block["words"] if w["strong"]][:4]
        if strong:
            findings.append({"text": f"{block['outlet']} uses these words far more than the others: "
                                     + ", ".join(f"“{w}”" for w in strong) + ".", "anchor": "diff-wording"})
    for row in headlines["rows"]:
        if abs(row["tone_gap"]) >= HEADLINE_TONE_GAP:
            direction = "more upbeat" if row["tone_gap"] > 0 else "more negative"
            whose = f"{row['outlet']}'s headline is" if row["articles"] == 1 else f"{row['outlet']}'s headlines are"
            findings.append({"text": f"{whose} {direction} than the body (tone {row['cells'][0]['headline']} "
                                     f"against {row['cells'][0]['body']}).",
                             "anchor": "diff-headlines"})
        if row["louder"]:
            louder = row["louder"]
            whose = f"{row['outlet']}'s headline" if row["articles"] == 1 else f"{row['outlet']}'s headlines"
            findings.append({"text": f"{whose} {'scores' if row['articles'] == 1 else 'score'} {louder['headline']} {louder['lexicon']} matches per 1,000 words, "
                                     f"against {louder['body']} in the body.",
                             "anchor": "diff-headlines"})
    return findings


def differences_context(diff: Differences, corpus: Corpus, lexicons: list[str] | None = None) -> dict[str, Any]:
    """The template context of the section (include ``_differences.html`` / ``_differences.md``).

    Keys: ``available`` (two or more outlets), ``outlets``, ``findings`` [{text, anchor}],
    ``facts`` [{anchor, measure, status, status_label, basis, note, outlets, claims: [{outlet,
    article_title, phrase, reading, approximator, segments}], more}], ``sources`` {outlets, rows:
    [{anchor, source, outlets, cells: [{quoted, words, direct, paraphrase, verbs}], examples}],
    verbs, more}, ``omissions`` {single: [{outlet, subtopics, more}], matrix: {outlets, rows}},
    ``wording`` [{outlet, words: [{word, count, count_rest, z, strong, segments}]}],
    ``headlines`` {measures, rows: [{outlet, headline (its first article's), articles, cells:
    [{headline, body}]}]} (tone averaged over the outlet's articles, rates pooled),
    ``files``, ``z_threshold``. ``lexicons`` names the rate lexicons shown for headlines
    (default: those in the headline table).
    """
    builder = _ContextBuilder(diff, corpus)
    if lexicons is None:
        lexicons = [column[:-len("_per_1k")] for column in diff.headlines.columns if column.endswith("_per_1k")]
    facts = builder.facts()
    sources = builder.sources()
    omissions = builder.omissions()
    wording = builder.wording()
    headlines = builder.headlines(lexicons)
    return {
        "available": len(builder.outlets) > 1,
        "outlets": builder.outlets,
        "findings": _findings(facts, sources, omissions, wording, headlines, builder.outlets),
        "facts": facts,
        "sources": sources,
        "omissions": omissions,
        "wording": wording,
        "headlines": headlines,
        "files": dict(FILES),
        "z_threshold": f"{Z_THRESHOLD:.2f}",
        "counts": {"quotes": int((diff.quotes["kind"] == DIRECT).sum()), "paraphrases": int((diff.quotes["kind"] == PARAPHRASE).sum()),
                   "claims": len(diff.claims), "subtopics": int(diff.coverage["key"].nunique()) if not diff.coverage.empty else 0},
    }
