"""The classroom edition: plain words, a glossary, discussion questions and a worksheet, all drawn
from the corpus's own evidence.

``classroom_context(scored, comparison, context, diff)`` returns the context of
``student.html`` and ``worksheet.html``. As with the analyst context, the templates compute
nothing. Every sentence shown is a sentence of the corpus (a row of ``scored.sentences``) and is
given as a *citation*::

    {article_id, article_index, outlet, article_title, sentence, start, end, text, words, href,
     label, segments: [{text, classes, title}]}

where ``text == article.text[start:end]``, ``words`` are the highlighted words, ``href`` points to
the sentence inside the student edition's copy of the article (``#s-<article>-<sentence>``, empty
when the article is not shown) and ``label`` is the excerpt label on the worksheet ("A2"), if any.

Keys of the context:

* ``title``, ``lede``, ``corpus`` {name, articles, outlets}
* ``toggles``: highlight categories a reader can switch off: [{id, css_class, label}]
  (``highlight_toggles``, shared with the analyst edition)
* ``findings``: [{text, value_label, value, anchor}]: plain results, each number linking to evidence
* ``table``: {outlets, rows: [{label, explanation, cells: [{value, anchor}]}]} (key measures only)
* ``evidence``: the analyst's evidence blocks of the key measures, with ``plain_label``
* ``glossary``: [{key, term, anchor, definition, example: citation or None, example_note}]
* ``questions``: [{number, kind, anchor, text, follow_up, terms: [{term, anchor}], sentences:
  [citation], notes: [str], labels: [str]}] (see ``discussion_questions``)
* ``articles``: [{index, anchor, outlet, title, date, source_note, paragraphs: [[{id, segments}]],
  excluded}]
* ``worksheet``: {excerpts: [{letter, outlet, title, sentences: [citation]}], hunt: [{term, anchor,
  prompt, answers: [str]}]}
* ``figures``: the analyst figures (with alt text); ``limits``: plain sentences
* ``files``: the names of the other files of the report folder

A question is asked only when its evidence exists, and its text is a template filled from the
data, so a different corpus gives different questions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..claims import DISAGREE
from ..compare import DIFFERENCE_COLUMNS, Comparison, compare
from ..corpus import Article
from ..score import (
    BOOSTER_LEXICON, HEDGE_LEXICON, QUOTE_LEXICON, SENTENCE_TONE_THRESHOLD, TONE_LEXICON, UNCERTAINTY_CATEGORIES,
    ScoredCorpus,
)
from ..sources import DIRECT, PARAPHRASE, UNATTRIBUTED
from .context import ARTICLES_PER_OUTLET, build_context, css_class, format_value, segments
from .differences import Differences, differences
from .evidence_rows import EvidenceRows

AUDIENCES = ("analyst", "students")

EVALUATIVE_LEXICON = "evaluative"
FRAME_LEXICON = "frames"
QUESTIONS_MAX = 8
SENTENCES_PER_QUESTION = 3
EXCERPT_SENTENCES = 5
EXCERPT_ARTICLES = 6
STUDENT_EVIDENCE_SENTENCES = 3  # per number in the classroom edition (the analyst edition shows more)
READABLE_SENTENCE = (40, 220)  # characters: examples outside this range are chosen last
CANDIDATES_MAX = 400

# Attribution verbs that only report the act of speaking (lemmas), in order of plainness.
PLAIN_VERBS = ("say", "state", "tell", "report", "note", "announce", "add", "write")
# Attribution verbs that judge the speaker, not only report the act (lemmas, as in quotes.csv).
LOADED_VERBS = frozenset({
    "admit", "allege", "boast", "claim", "complain", "concede", "confess", "demand", "deny", "insist",
    "threaten", "vow", "warn",
})

TOGGLE_LABELS = {
    ("tone", "positive"): "Positive tone words", ("tone", "negative"): "Negative tone words",
    (HEDGE_LEXICON, None): "Hedges", (BOOSTER_LEXICON, None): "Boosters",
    (EVALUATIVE_LEXICON, None): "Evaluative words", (FRAME_LEXICON, None): "Frame words",
    (QUOTE_LEXICON, None): "Direct quotes",
}
TOGGLE_ORDER = [TONE_LEXICON, HEDGE_LEXICON, BOOSTER_LEXICON, EVALUATIVE_LEXICON, FRAME_LEXICON]

WORD_NAMES = {
    TONE_LEXICON: "tone word", HEDGE_LEXICON: "hedge", BOOSTER_LEXICON: "booster",
    EVALUATIVE_LEXICON: "evaluative word", FRAME_LEXICON: "frame word",
}
CATEGORY_NAMES = {
    "modal": "a modal verb", "epistemic": "a word of doubt", "doxastic": "a belief verb",
    "conditional": "a condition", "investigative": "an open question", "approximator": "a rough number",
    "attribution": "a word that passes the claim to someone else", "certainty": "sounds certain",
    "emphasis": "makes it sound bigger", "significance": "makes it sound important", "hope": "sounds hopeful",
    "fragility": "makes it sound shaky", "alarm": "sounds alarming", "minimizing": "makes it sound small",
    "conflict": "a fight", "economic": "money and trade", "human_interest": "people's lives",
    "morality": "right and wrong", "responsibility": "who must act",
}
# What a loaded word in a headline does, said plainly: by lexicon (and category).
HEADLINE_EFFECT = {
    BOOSTER_LEXICON: "a word that makes it sound big and certain",
    HEDGE_LEXICON: "a word that makes it sound less sure",
    (EVALUATIVE_LEXICON, "significance"): "a word that makes it sound important",
    (EVALUATIVE_LEXICON, "hope"): "a word that makes it sound hopeful",
    (EVALUATIVE_LEXICON, "fragility"): "a word that makes it sound shaky",
    (EVALUATIVE_LEXICON, "alarm"): "a word that makes it sound alarming",
    (EVALUATIVE_LEXICON, "minimizing"): "a word that makes it sound small",
}
HEADLINE_LEXICONS = (BOOSTER_LEXICON, EVALUATIVE_LEXICON, HEDGE_LEXICON)

# The key measures, in plain words: (column, label, what it means, value label in findings).
PLAIN_MEASURES = [
    ("tone", "Tone", "How positive or negative the words are, from −1 to +1."),
    ("quote_share", "Direct quotes", "How much of the text is other people's exact words."),
    ("hedges_per_1k", "Hedges", "Words that make a claim less sure, per 1,000 words."),
    ("boosters_per_1k", "Boosters", "Words that make a claim sound sure or big, per 1,000 words."),
    ("evaluative_per_1k", "Evaluative words", "Words that judge the event, per 1,000 words."),
    ("frames_per_1k", "Frame words", "Words that give the story an angle, per 1,000 words."),
]
FINDINGS = [
    ("tone", "sounds the most positive.", "Tone"),
    ("hedges_per_1k", "uses the most hedges.", "Hedges per 1,000 words:"),
    ("boosters_per_1k", "uses the most boosters.", "Boosters per 1,000 words:"),
    ("evaluative_per_1k", "uses the most words that judge the event.", "Evaluative words per 1,000 words:"),
    ("quote_share", "gives the most space to exact quotes.", "Share of words in quotes:"),
]

LIMITS = [
    "The tool counts words. It does not understand them, so it misses jokes, irony and hints.",
    "A word can have more than one meaning. The tool may count it in the wrong one, so check the sentences.",
    "A word inside a quote counts for the article, even though someone else said it.",
    "The tool cannot see what an article leaves out. You find that by comparing the articles.",
    "A few articles say little about an outlet in general. They only show how these articles tell this story.",
]

FILES = {"analyst": "report.html", "student": "student.html", "worksheet": "worksheet.html", "evidence": "evidence.csv"}


@dataclass(frozen=True)
class Term:
    """A glossary entry: ``definition`` may hold ``{words}`` (the corpus's own words for the term)."""

    key: str
    term: str
    definition: str
    fallback_words: str = ""


GLOSSARY = [
    Term("tone", "Tone",
         "Tone is the feeling that words give a story: good news or bad news. Each tone word has a score. "
         "Positive words add to it and negative words take away. Tone words in these articles include {words}.",
         "“hope” and “attack”"),
    Term("hedge", "Hedge",
         "A hedge makes a claim less sure, such as {words}. A hedge can be honest, when the facts are not known yet. "
         "It can also let a writer avoid saying something outright.", "“may”, “could” and “reportedly”"),
    Term("booster", "Booster",
         "A booster makes a claim sound sure or big, such as {words}. Boosters push you to believe, "
         "but they add no facts.", "“clearly” and “everything”"),
    Term("evaluative", "Evaluative word",
         "An evaluative word judges the event. It does not just say what happened. It tells you how to feel: "
         "that it is important, hopeful, shaky, scary or small. Here: {words}.", "“landmark” and “fragile”"),
    Term("frame", "Frame",
         "A frame is the angle of a story. The same event can be told as a fight, as money and trade, "
         "as people's lives, as right and wrong, or as who must act. Frame words show the angle. Here: {words}.",
         "“war” and “trade”"),
    Term("source", "Source",
         "A source is the person or group that a story gets its facts from. Look at who is named, and at the verb: "
         "“said” is plain, but “insisted” or “claimed” adds a judgment.", ""),
    Term("quote", "Direct quote",
         "A direct quote gives a person's exact words inside quotation marks, such as “ ” or « ». "
         "The writer picks which words to quote.", ""),
    Term("paraphrase", "Paraphrase",
         "A paraphrase tells what someone said in the writer's own words, with no quotation marks. "
         "So the writer chooses the words.", ""),
    Term("omission", "Omission",
         "An omission is something an article leaves out. You can only see it when you compare articles. {words}",
         ""),
    Term("figure", "Figure",
         "A figure is a number with a unit, such as a time or a count. Two articles can give different figures "
         "for the same thing. {words}", ""),
    Term("headline", "Headline",
         "The headline is the title on top of an article. Many people read only the headline, "
         "so each word in it matters.", ""),
]
GLOSSARY_ANCHORS = {term.key: f"term-{term.key}" for term in GLOSSARY}


def check_audience(audience: str) -> str:
    """``audience`` if it is one of ``AUDIENCES``; else a ``ValueError`` naming the valid ones."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience '{audience}'; valid audiences: {', '.join(AUDIENCES)}")
    return audience


def highlight_toggles(scored: ScoredCorpus) -> list[dict[str, str]]:
    """The highlight categories present in the evidence, each as a checkbox a reader can switch off.

    ``id`` is the checkbox id, ``css_class`` the class of the highlighted spans it controls
    (as ``context.css_class`` names them; direct quotes are ``quote``), ``label`` the plain name.
    """
    present = scored.evidence[["lexicon", "category"]].drop_duplicates()
    lexicons = set(present["lexicon"])
    ordered = [name for name in TOGGLE_ORDER if name in lexicons]
    ordered += sorted(lexicons - set(TOGGLE_ORDER) - {QUOTE_LEXICON})
    toggles = []
    for lexicon in ordered:
        if lexicon == TONE_LEXICON:
            categories = set(present.loc[present["lexicon"] == TONE_LEXICON, "category"])
            for category in ("positive", "negative"):
                if category in categories:
                    toggles.append({"id": f"show-{css_class(lexicon, category)}", "css_class": css_class(lexicon, category),
                                    "label": TOGGLE_LABELS[(lexicon, category)]})
            continue
        toggles.append({"id": f"show-{css_class(lexicon)}", "css_class": css_class(lexicon),
                        "label": TOGGLE_LABELS.get((lexicon, None), lexicon.replace("_", " ").capitalize())})
    if QUOTE_LEXICON in lexicons:
        toggles.append({"id": "show-quote", "css_class": "quote", "label": TOGGLE_LABELS[(QUOTE_LEXICON, None)]})
    return toggles


def evidence_label(lexicon: str, category: str, value: float) -> str:
    """A highlighted word's label in plain words: "hedge (a modal verb)", "negative tone word"."""
    if lexicon == QUOTE_LEXICON:
        return "direct quote"
    if lexicon == TONE_LEXICON:
        return "positive tone word" if value > 0 else "negative tone word"
    name = WORD_NAMES.get(lexicon, f"{lexicon.replace('_', ' ')} word")
    kind = CATEGORY_NAMES.get(category, category.replace("_", " "))
    return f"{name} ({kind})"


def row_span(row: Any) -> tuple[int, int, str, str]:
    """The highlight span (start, end, classes, plain label) of one evidence row, in the analyst's classes."""
    if row.lexicon == QUOTE_LEXICON:
        return (int(row.start), int(row.end), "quote", "direct quote")
    return (int(row.start), int(row.end), f"hl {css_class(row.lexicon)} {css_class(row.lexicon, row.category)}",
            evidence_label(row.lexicon, row.category, float(row.value)))


def evidence_spans(rows: pd.DataFrame | list[Any]) -> list[tuple[int, int, str, str]]:
    """Highlight spans for evidence rows, a table or a list of row tuples (see ``row_span``)."""
    return [row_span(row) for row in (rows.itertuples(index=False) if isinstance(rows, pd.DataFrame) else rows)]


def _quoted(words: list[str]) -> str:
    """“a”, “b” and “c”."""
    quoted = [f"“{word}”" for word in words]
    if len(quoted) < 2:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _a(noun: str) -> str:
    """"a hedge", "an evaluative word"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _series(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


class _Classroom:
    """Lookups shared while the classroom context is assembled."""

    def __init__(self, scored: ScoredCorpus, comparison: Comparison, context: dict[str, Any], diff: Any,
                 rows: EvidenceRows | None = None) -> None:
        self.scored, self.comparison, self.context, self.diff = scored, comparison, context, diff
        self.rows = rows if rows is not None else EvidenceRows(scored)
        self.corpus = scored.corpus
        self.articles: dict[str, Article] = {article.id: article for article in self.corpus.articles}
        self.order = {article.id: number for number, article in enumerate(self.corpus.articles)}
        self.outlets = list(comparison.outlets["outlet"])
        self.values = comparison.outlets.set_index("outlet")
        shown: Counter[str] = Counter()
        self.shown: dict[str, int] = {}
        for number, article in enumerate(self.corpus.articles, start=1):
            shown[article.outlet] += 1
            if shown[article.outlet] <= ARTICLES_PER_OUTLET:
                self.shown[article.id] = number
        self.evidence = scored.evidence
        self.by_sentence: dict[tuple[str, int], list[Any]] = {}  # filled as sentences are asked for
        self.headline_end = {}
        for article in self.corpus.articles:
            end = article.text.find("\n")
            self.headline_end[article.id] = len(article.text) if end < 0 else end
        self.labels: dict[tuple[str, int], str] = {}
        self.used: Counter[str] = Counter()
        self.names: dict[str, str] = {}

    # -- sentences ---------------------------------------------------------------------------
    def sentence_at(self, article_id: str, position: int) -> tuple[int, int, int] | None:
        """(start, end, index) of the sentence holding ``position``, or None."""
        return self.rows.sentence_at(article_id, position)

    def sentence_spans(self, article_id: str) -> list[tuple[int, int, int]]:
        """(start, end, index) of each sentence of an article, in reading order."""
        return self.rows.article_sentences(article_id)[0]

    def cite(self, article_id: str, spans: list[tuple[int, int, str, str]], at: int | None = None) -> dict[str, Any] | None:
        """The citation of the sentence holding ``at`` (default: the first span's start), with ``spans`` highlighted."""
        if at is None and not spans:
            return None
        found = self.sentence_at(article_id, spans[0][0] if at is None else at)
        if found is None:
            return None
        start, end, sentence = found
        article = self.articles[article_id]
        inside = [span for span in spans if span[1] > start and span[0] < end]
        number = self.shown.get(article_id)
        return {
            "article_id": article_id, "article_index": number or 0, "outlet": article.outlet,
            "article_title": article.title, "sentence": sentence, "start": start, "end": end,
            "text": article.text[start:end],
            "words": " … ".join(article.text[max(s, start):min(e, end)] for s, e, _, _ in inside),
            "href": f"#s-{number}-{sentence}" if number else "",
            "label": "",
            "note": "",
            "segments": segments(article.text, start, end, inside),
        }

    def sentence_evidence(self, article_id: str, sentence: int, lexicons: tuple[str, ...] | None = None) -> list[Any]:
        """The evidence rows (as tuples) of one sentence, optionally of some lexicons only."""
        key = (article_id, sentence)
        if key not in self.by_sentence:
            position = self.rows.sentence_row(article_id, sentence)
            self.by_sentence[key] = [] if position is None else self.rows.rows(self.rows.of_sentence(position))
        rows = self.by_sentence[key]
        return rows if lexicons is None else [row for row in rows if row.lexicon in lexicons]

    def source_name(self, source: str) -> str:
        """"the Kremlin" or "Putin": "the" when the articles mostly write it so (or the name is lower case)."""
        if source in self.names:
            return self.names[source]
        if not source[:1].isupper():
            return self.names.setdefault(source, f"the {source}")
        pattern = re.compile(rf"(\bthe\s+)?\b{re.escape(source)}\b", re.IGNORECASE)
        with_the = total = 0
        for article in self.corpus.articles:
            for found in pattern.finditer(article.text):
                total += 1
                with_the += found.group(1) is not None
        return self.names.setdefault(source, f"the {source}" if total and with_the * 2 > total else source)

    # -- choosing examples ---------------------------------------------------------------------
    def pick(self, candidates: list[tuple[float, str, list[tuple[int, int, str, str]], str]],
             spread: bool = True) -> dict[str, Any] | None:
        """The best example among (strength, article_id, spans, note): an outlet used least so far (when
        ``spread``), a readable sentence, the strongest match, then corpus order. The note is kept as the
        citation's ``note``."""
        best, best_key = None, None
        ranked = sorted(candidates, key=lambda c: (-c[0], self.order[c[1]], c[2][0][0] if c[2] else 0))
        for strength, article_id, spans, note in ranked[:CANDIDATES_MAX]:
            found = self.sentence_at(article_id, spans[0][0]) if spans else None  # the sentence ``cite`` would quote
            if found is None:
                continue
            start, end, _ = found
            outlet = self.articles[article_id].outlet
            readable = READABLE_SENTENCE[0] <= end - start <= READABLE_SENTENCE[1]
            key = (self.used[outlet] if spread else 0, not readable, -strength, self.order[article_id], start)
            if best_key is None or key < best_key:
                best, best_key = (article_id, spans, note), key
        if best is None:
            return None
        citation = self.cite(best[0], best[1])  # only the winner is cut into highlighted segments
        citation["note"] = best[2]
        self.used[citation["outlet"]] += 1
        return citation

    def lexicon_rows(self, lexicon: str) -> np.ndarray:
        """Positions (in ``scored.evidence``) of a lexicon's rows, in table order."""
        return self.rows.where("lexicon", lexicon)

    def top_words(self, positions: np.ndarray, limit: int = 3) -> list[str]:
        """The most frequent matched words (lower case), most frequent first, then alphabetical."""
        codes, texts = self.rows.codes("text")
        counts: Counter[str] = Counter()
        for code, count in zip(*np.unique(codes[positions], return_counts=True)):
            counts[str(texts[code]).lower()] += int(count)
        return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]]

    @cached_property
    def row_order(self) -> np.ndarray:
        """Per evidence row: its article's place in the corpus (``order``), for ranking examples."""
        codes, articles = self.rows.codes("article_id")
        return np.array([self.order.get(str(article), len(self.order)) for article in articles], dtype=np.int64)[codes]

    def strongest(self, positions: np.ndarray, strength: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The first ``CANDIDATES_MAX`` rows in ``pick``'s order (strongest, corpus order, start), with their strengths.

        ``pick`` looks at no more than these, so building candidates for the rest is wasted.
        """
        order = np.lexsort((self.rows.start[positions], self.row_order[positions], -strength))[:CANDIDATES_MAX]
        return positions[order], strength[order]

    def row_candidates(self, positions: np.ndarray, strength: np.ndarray) -> list:
        """Example candidates, one per evidence row (the strongest ``CANDIDATES_MAX``), each noting what its
        highlighted words are."""
        chosen, strengths = self.strongest(positions, strength)
        candidates = []
        for row, value in zip(self.rows.rows(chosen), strengths.tolist()):
            span = row_span(row)
            candidates.append((value, row.article_id, [span], f"“{row.text}” is {_a(span[3])}."))
        return candidates


def _plain_measures(room: _Classroom) -> list[tuple[str, str, str]]:
    return [item for item in PLAIN_MEASURES if item[0] in room.values.columns]


def _blocks(room: _Classroom) -> dict[tuple[str, str], dict[str, Any]]:
    """The analyst's evidence blocks by (measure column, outlet); anchors are ``ev-<column>-o<n>``."""
    blocks = {}
    for block in room.context["evidence"]:
        column = block["anchor"][len("ev-"):].rsplit("-o", 1)[0]
        blocks[(column, block["outlet"])] = block
    return blocks


def _findings(room: _Classroom, blocks: dict[tuple[str, str], dict[str, Any]]) -> list[dict[str, str]]:
    if len(room.outlets) < 2:
        return []
    findings = []
    for column, verb, value_label in FINDINGS:
        if column not in room.values.columns or room.values[column].max() == room.values[column].min():
            continue
        outlet = room.comparison.leader(column)
        block = blocks.get((column, outlet))
        if block is None:
            continue
        findings.append({"text": f"{outlet} {verb}", "value_label": value_label, "value": block["value"],
                         "anchor": block["anchor"]})
        if column == "tone":
            lowest = room.comparison.leader(column, highest=False)
            low_block = blocks.get((column, lowest))
            negative = float(room.values.loc[lowest, column]) < -SENTENCE_TONE_THRESHOLD
            if low_block is not None:
                findings.append({"text": f"{lowest} sounds the {'most negative' if negative else 'least positive'}.",
                                 "value_label": value_label, "value": low_block["value"], "anchor": low_block["anchor"]})
    return findings


def _table(room: _Classroom, blocks: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for column, label, explanation in _plain_measures(room):
        cells = [{"value": blocks[(column, outlet)]["value"], "anchor": blocks[(column, outlet)]["anchor"]}
                 for outlet in room.outlets if (column, outlet) in blocks]
        if len(cells) == len(room.outlets):
            rows.append({"label": label, "explanation": explanation, "cells": cells})
    return {"outlets": room.outlets, "rows": rows}


def _evidence(room: _Classroom, blocks: dict[tuple[str, str], dict[str, Any]]) -> list[dict[str, Any]]:
    chosen = []
    for column, label, explanation in _plain_measures(room):
        for outlet in room.outlets:
            block = blocks.get((column, outlet))
            if block is not None:
                shown = block["sentences"][:STUDENT_EVIDENCE_SENTENCES]
                chosen.append(dict(block, plain_label=label, explanation=explanation, sentences=shown,
                                   more=block["more"] + len(block["sentences"]) - len(shown)))
    return chosen


# -- glossary -----------------------------------------------------------------------------------

def _glossary(room: _Classroom) -> list[dict[str, Any]]:
    """Each term with its definition and an example sentence of this corpus (None when it has none)."""
    entries = []
    for term in GLOSSARY:
        example, words = _EXAMPLES[term.key](room)
        definition = term.definition.format(words=words or term.fallback_words).strip()
        entries.append({"key": term.key, "term": term.term, "anchor": GLOSSARY_ANCHORS[term.key], "definition": definition,
                        "example": example, "example_note": example["note"] if example else ""})
    return entries


Example = tuple[dict[str, Any] | None, str]


Strength = Callable[[EvidenceRows, np.ndarray], np.ndarray]  # how strong an example each row (by position) makes


def _lexicon_example(lexicon: str, strength: Strength) -> Callable[[_Classroom], Example]:
    """An example from a lexicon's evidence rows: outside quotes when possible (the outlet's own words)."""
    def example(room: _Classroom) -> Example:
        positions = room.lexicon_rows(lexicon)
        outside = positions[~room.rows.in_quote[positions]]
        if len(outside):
            positions = outside
        return (room.pick(room.row_candidates(positions, strength(room.rows, positions))),
                _quoted(room.top_words(positions)))
    return example


def _hedge_strength(rows: EvidenceRows, positions: np.ndarray) -> np.ndarray:
    codes, categories = rows.codes("category")
    uncertain = np.array([category in UNCERTAINTY_CATEGORIES for category in categories], dtype=bool)
    return np.where(uncertain[codes[positions]], 2.0, 1.0)


def _frame_example(room: _Classroom) -> Example:
    positions = room.lexicon_rows(FRAME_LEXICON)
    if not len(positions):
        return None, ""
    codes, categories = room.rows.codes("category")
    found, frequency = np.unique(codes[positions], return_counts=True)
    top = sorted(zip(found.tolist(), frequency.tolist()), key=lambda item: (-item[1], str(categories[item[0]])))[0][0]
    positions = positions[codes[positions] == top]
    top_name = str(categories[top])
    kind = CATEGORY_NAMES.get(top_name, top_name.replace("_", " "))
    return (room.pick(room.row_candidates(positions, np.ones(len(positions)))),
            f"{_quoted(room.top_words(positions))}, which tell the story as {kind}")


def _source_example(room: _Classroom) -> Example:
    """A sentence naming a source: the name highlighted, with what it said."""
    if room.diff is None:
        return None, ""
    quotes = room.diff.quotes
    named = quotes[quotes["source"] != UNATTRIBUTED]
    candidates = []
    for row in named.itertuples(index=False):
        sentence = room.sentence_at(row.article_id, int(row.start))
        if sentence is None:
            continue
        text = room.articles[row.article_id].text[sentence[0]:sentence[1]]
        found = re.search(rf"\b{re.escape(str(row.attribution))}\b", text) if row.attribution else None
        said = (max(int(row.start), sentence[0]), min(int(row.end), sentence[1]),
                "quote" if row.kind == DIRECT else "hl hl-paraphrase", str(row.kind))
        spans = ([(sentence[0] + found.start(), sentence[0] + found.end(), "hl hl-source", "source"), said] if found
                 else [said])
        note = f"The source is {room.source_name(str(row.source))}. The verb is “{row.verb}”." if row.verb else \
            f"The source is {room.source_name(str(row.source))}."
        candidates.append((1.0 if found else 0.0, row.article_id, spans, note))
    return room.pick(candidates), ""


def _quote_example(kind: str) -> Callable[[_Classroom], Example]:
    def example(room: _Classroom) -> Example:
        candidates = []
        if kind == DIRECT:
            positions = room.lexicon_rows(QUOTE_LEXICON)
            inside = room.rows.contains(room.evidence["article_id"].iloc[positions], room.rows.start[positions],
                                        room.rows.end[positions])
            chosen, strengths = room.strongest(positions, inside.astype(float))
            for row, value in zip(room.rows.rows(chosen), strengths.tolist()):
                candidates.append((value, row.article_id, [(int(row.start), int(row.end), "quote", "direct quote")], ""))
        elif room.diff is not None:
            for row in room.diff.quotes[room.diff.quotes["kind"] == kind].itertuples(index=False):
                who = f"It reports what {room.source_name(str(row.source))} said." if row.source != UNATTRIBUTED else ""
                candidates.append((1.0, row.article_id, [(int(row.start), int(row.end), "hl hl-paraphrase", "paraphrase")], who))
        return room.pick(candidates), ""
    return example


def _omission_example(room: _Classroom) -> Example:
    mention = _single_outlet_mention(room)
    if mention is None:
        return None, ""
    subtopic, outlet, citation = mention
    room.used[outlet] += 1
    return citation, f"In these articles, only {outlet} mentions “{subtopic}”."


def _single_outlet_mention(room: _Classroom, skip: frozenset[str] = frozenset()) -> tuple[str, str, dict[str, Any]] | None:
    """The strongest subtopic only one outlet mentions (not in a headline), with its first mention."""
    if room.diff is None or len(room.outlets) < 2:
        return None
    single, coverage = room.diff.single_outlet, room.diff.coverage
    for row in single.itertuples(index=False):
        if str(row.key).lower() in skip or str(row.subtopic).lower() in skip:
            continue
        mentions = coverage[(coverage["key"] == row.key) & (coverage["outlet"] == row.outlet) & ~coverage["in_title"].astype(bool)]
        if mentions.empty:
            continue
        mention = mentions.sort_values(["article_id", "start"], kind="mergesort").iloc[0]
        citation = room.cite(mention["article_id"], [(int(mention["start"]), int(mention["end"]), "hl hl-subtopic",
                                                      f"only {row.outlet} mentions this")])
        if citation is not None:
            citation["note"] = f"No other outlet mentions “{row.subtopic}”."
            return str(row.subtopic), str(row.outlet), citation
    return None


def _figure_example(room: _Classroom) -> Example:
    if room.diff is None or room.diff.claims.empty:
        return None, ""
    groups = room.diff.claim_groups
    disputed = set(groups.loc[groups["status"] == DISAGREE, "measure"]) if not groups.empty else set()
    candidates = [(2.0 if row.measure in disputed else 1.0, row.article_id,
                   [(int(row.start), int(row.end), "hl hl-figure", f"figure: {row.measure}")],
                   f"“{row.phrase}” is a figure for the {row.measure}.")
                  for row in room.diff.claims.itertuples(index=False)]
    words = f"These articles give different figures for the {sorted(disputed)[0]}." if disputed else ""
    return room.pick(candidates), words


def _headline_example(room: _Classroom) -> Example:
    """A headline, with its loaded words (boosters, evaluative words, hedges) highlighted when it has any."""
    candidates = []
    for outlet, article, rows in _headline_words(room):
        if not rows.empty:
            candidates.append((float(len(rows)), article.id, evidence_spans(rows),
                               f"The headline of {outlet} uses {_quoted([str(t) for t in rows['text']])}."))
        else:
            sentence = room.sentence_at(article.id, 0)
            if sentence is not None:
                candidates.append((0.0, article.id, [(sentence[0], sentence[1], "hl hl-headline", "headline")], ""))
    return room.pick(candidates, spread=False), ""


_EXAMPLES: dict[str, Callable[[_Classroom], Example]] = {
    "tone": _lexicon_example(TONE_LEXICON, lambda rows, positions: np.abs(rows.value[positions])),
    "hedge": _lexicon_example(HEDGE_LEXICON, _hedge_strength),
    "booster": _lexicon_example(BOOSTER_LEXICON, lambda rows, positions: rows.value[positions]),
    "evaluative": _lexicon_example(EVALUATIVE_LEXICON, lambda rows, positions: rows.value[positions]),
    "frame": _frame_example,
    "source": _source_example,
    "quote": _quote_example(DIRECT),
    "paraphrase": _quote_example(PARAPHRASE),
    "omission": _omission_example,
    "figure": _figure_example,
    "headline": _headline_example,
}


# -- discussion questions -----------------------------------------------------------------------

def _question(kind: str, text: str, follow_up: str, terms: list[str], sentences: list[dict[str, Any] | None],
              notes: list[str]) -> dict[str, Any] | None:
    cited = []
    for citation in sentences:
        if citation is not None and all((c["article_id"], c["sentence"]) != (citation["article_id"], citation["sentence"])
                                        for c in cited):
            cited.append(citation)
    if not cited:
        return None
    return {"kind": kind, "anchor": f"q-{kind}", "text": text, "follow_up": follow_up,
            "terms": [{"term": next(t.term for t in GLOSSARY if t.key == key), "anchor": GLOSSARY_ANCHORS[key]} for key in terms],
            "sentences": cited, "notes": notes}


def _words_of(count: int) -> str:
    return "no words" if count == 0 else "1 word" if count == 1 else f"{count} words"


def _source_citations(room: _Classroom, rows: pd.DataFrame, limit: int) -> list[dict[str, Any] | None]:
    ordered = rows.sort_values(["kind", "quote_words", "article_id", "start"], ascending=[True, False, True, True], kind="mergesort")
    return [room.cite(row.article_id, [(int(row.start), int(row.end),
                                        "quote" if row.kind == DIRECT else "hl hl-paraphrase",
                                        f"{row.kind} ({row.source})")])
            for row in ordered.head(limit).itertuples(index=False)]


def _q_sources(room: _Classroom, asked: dict[str, Any]) -> dict[str, Any] | None:
    """Which outlet gives one named source the most words, and what that does to the story."""
    if room.diff is None or len(room.outlets) < 2:
        return None
    summary = room.diff.sources
    summary = summary[summary["source"] != UNATTRIBUTED]
    if summary.empty:
        return None
    totals = summary.groupby("source")["quote_words"].max()
    outlets_per_source = summary.groupby("source")["outlet"].nunique()
    ranked = sorted(totals.index, key=lambda source: (-int(outlets_per_source[source] > 1), -int(totals[source]), source))
    source = ranked[0]
    if int(totals[source]) < 5:
        return None
    rows = summary[summary["source"] == source].set_index("outlet")
    words = {outlet: int(rows.loc[outlet, "quote_words"]) if outlet in rows.index else 0 for outlet in room.outlets}
    leader = sorted(room.outlets, key=lambda outlet: (-words[outlet], room.outlets.index(outlet)))[0]
    others = [outlet for outlet in room.outlets if outlet != leader]
    if words[leader] == max((words[o] for o in others), default=0):
        return None
    name = room.source_name(source)
    counts = rows.loc[leader]
    parts = [f"{int(counts['direct'])} direct quote{'s' if int(counts['direct']) != 1 else ''}" if int(counts["direct"]) else "",
             f"{int(counts['paraphrase'])} paraphrase{'s' if int(counts['paraphrase']) != 1 else ''}" if int(counts["paraphrase"]) else ""]
    others_text = "; ".join(f"{outlet}, {_words_of(words[outlet])}" for outlet in others)
    text = (f"{leader} lets {name} speak the most: {_words_of(words[leader])} in {_series([p for p in parts if p])}. "
            f"Compare: {others_text}. How does the story change when {name} gets to tell so much of it?")
    follow_up = f"Find a sentence where {name} speaks. Would the story feel different without it?"
    quotes = room.diff.quotes
    mine = quotes[(quotes["source"] == source) & (quotes["outlet"] == leader)]
    theirs = quotes[(quotes["source"] == source) & (quotes["outlet"] != leader)]
    sentences = _source_citations(room, mine, SENTENCES_PER_QUESTION - (1 if len(theirs) else 0)) + _source_citations(room, theirs, 1)
    verbs = str(counts["verbs"])
    notes = [f"Words given to {name}: " + "; ".join(f"{outlet} {words[outlet]}" for outlet in room.outlets) + ".",
             f"Verbs {leader} uses for {name}: {verbs}." if verbs else "",
             "Quoting a side lets it frame the event in its own words; the writer still chose which words to quote."]
    asked["source"] = source
    return _question("sources", text, follow_up, ["source", "quote", "paraphrase"], sentences, [n for n in notes if n])


def _headline_words(room: _Classroom) -> list[tuple[str, Article, pd.DataFrame]]:
    """Each outlet's first headline with its loaded words (boosters, evaluative words, hedges)."""
    seen, items = set(), []
    for article in room.corpus.articles:
        if article.outlet in seen:
            continue
        seen.add(article.outlet)
        positions = room.rows.of_article(article.id)
        rows = room.evidence.iloc[positions[room.rows.start[positions] < room.headline_end[article.id]]]
        rows = rows[rows["lexicon"].isin(HEADLINE_LEXICONS)].drop_duplicates(["start", "end"])
        items.append((article.outlet, article, rows))
    return items


def _q_headlines(room: _Classroom, asked: dict[str, Any]) -> dict[str, Any] | None:
    """Loaded words in the headlines: "Limited" against "Changes Everything"."""
    items = _headline_words(room)
    if len(items) < 2:
        return None
    loaded = [(outlet, article, rows) for outlet, article, rows in items if not rows.empty]
    kinds = {tuple(sorted(set(zip(rows["lexicon"], rows["category"])))) for _, _, rows in items}
    if not loaded or len(kinds) < 2:
        return None
    parts, sentences = [], []
    for outlet, article, rows in loaded[:3]:
        row = rows.iloc[0]
        effect = HEADLINE_EFFECT.get((row.lexicon, row.category)) or HEADLINE_EFFECT.get(row.lexicon, "a loaded word")
        parts.append(f"{outlet}'s headline says “{row.text}” ({effect})")
        sentences.append(room.cite(article.id, evidence_spans(rows)))
    plain = [outlet for outlet, _, rows in items if rows.empty]
    text = ". ".join(parts) + "."
    if plain:
        text += f" {_series(plain)} {'uses' if len(plain) == 1 else 'use'} no such word."
        for outlet, article, _ in items:
            if outlet in plain[:1]:
                first = room.sentence_at(article.id, 0)
                if first is not None:
                    sentences.append(room.cite(article.id, [(first[0], first[1], "hl hl-headline", "headline")]))
    text += " Which headline fits its own article best?"
    follow_up = "Find a sentence in the article that backs up your answer."
    notes = []
    if room.diff is not None:
        table = room.diff.headlines
        for outlet, article, rows in items:
            mine = table[table["article_id"] == article.id].set_index("part")
            if {"headline", "body"} <= set(mine.index):
                notes.append(f"{outlet}: headline tone {mine.loc['headline', 'tone']:+.2f}, body tone {mine.loc['body', 'tone']:+.2f}.")
    notes.append("A headline can promise more (or less) than its article says; compare the loaded words with the body.")
    return _question("headlines", text, follow_up, ["headline", "booster", "evaluative"], sentences, notes)


def _q_figures(room: _Classroom, asked: dict[str, Any]) -> dict[str, Any] | None:
    """A figure the accounts disagree on, such as the length of a call."""
    if room.diff is None or room.diff.claim_groups.empty:
        return None
    groups = room.diff.claim_groups
    disputed = groups[groups["status"] == DISAGREE]
    if disputed.empty:
        return None
    group = disputed.iloc[0]
    claims = room.diff.claims[(room.diff.claims["measure"] == group["measure"]) & (room.diff.claims["unit"] == group["unit"])]
    said: dict[str, list[str]] = {}
    sentences = []
    for row in claims.itertuples(index=False):
        phrases = said.setdefault(row.outlet, [])
        if row.phrase.lower() not in (p.lower() for p in phrases):
            phrases.append(row.phrase)
            sentences.append(room.cite(row.article_id, [(int(row.start), int(row.end), "hl hl-figure", f"figure: {row.measure}")]))
    parts = [f"{outlet} says {_quoted(phrases).replace(' and ', ' or ')}" for outlet, phrases in said.items()]
    text = (f"The articles give different figures for the {group['measure']}. " + ". ".join(parts)
            + ". Can they all be right? Which one would you trust?")
    follow_up = "How could you check the figure yourself?"
    notes = [str(group["note"])] if str(group["note"]) else []
    notes.append("Words like “over” or “about” make a figure vague; a headline figure is often rounded up.")
    return _question("figures", text, follow_up, ["figure", "hedge"], sentences[:SENTENCES_PER_QUESTION + 1], notes)


def _q_only_voice(room: _Classroom, asked: dict[str, Any]) -> dict[str, Any] | None:
    """A named source that only one outlet lets speak."""
    if room.diff is None or len(room.outlets) < 2:
        return None
    summary = room.diff.sources
    summary = summary[(summary["source"] != UNATTRIBUTED) & (summary["source"] != asked.get("source"))]
    per_source = summary.groupby("source").agg(outlets=("outlet", "nunique"), words=("quote_words", "sum"))
    alone = per_source[per_source["outlets"] == 1]
    if alone.empty:
        return None
    source = sorted(alone.index, key=lambda s: (-int(alone.loc[s, "words"]), s))[0]
    outlet = str(summary.loc[summary["source"] == source, "outlet"].iloc[0])
    name = room.source_name(source)
    words = int(alone.loc[source, "words"])
    others = [o for o in room.outlets if o != outlet]
    text = (f"Only {outlet} lets {name} speak ({_words_of(words)}). {_series(others)} never "
            f"{'quotes' if len(others) == 1 else 'quote'} {name}. What does a reader of the other "
            f"{'article' if len(others) == 1 else 'articles'} miss?")
    follow_up = f"Is {name} important to this story? Why might a writer leave {name} out?"
    rows = room.diff.quotes[(room.diff.quotes["source"] == source) & (room.diff.quotes["outlet"] == outlet)]
    notes = [f"{name} speaks in {len(rows)} passage{'s' if len(rows) != 1 else ''} of {outlet}, and in no other article."]
    asked["only_voice"] = source
    return _question("only-voice", text, follow_up, ["source", "omission"], _source_citations(room, rows, 2), notes)


def _q_omission(room: _Classroom, asked: dict[str, Any]) -> dict[str, Any] | None:
    """A subtopic only one outlet mentions."""
    skip = frozenset(str(s).lower() for s in (asked.get("source"), asked.get("only_voice")) if s)
    mention = _single_outlet_mention(room, skip)
    if mention is None:
        return None
    subtopic, outlet, citation = mention
    others = [o for o in room.outlets if o != outlet]
    text = (f"Only {outlet} mentions “{subtopic}”. {_series(others)} leave{'s' if len(others) == 1 else ''} it out. "
            f"Is it an important part of the story?")
    follow_up = "Why might a writer leave it out? Does it change what a reader thinks?"
    notes = [f"“{subtopic}” appears only in {outlet}; the tool finds omissions by comparing which names and phrases "
             f"each article uses, so a missing topic said in other words would not count."]
    return _question("omission", text, follow_up, ["omission"], [citation], notes)


def _leader_question(column: str, kind: str, lexicon: str, text_template: str, follow_up: str, terms: list[str]):
    """A question about the outlet highest on ``column``, citing its sentences with the words that set it apart."""
    def question(room: _Classroom, asked: dict[str, Any]) -> dict[str, Any] | None:
        if len(room.outlets) < 2 or column not in room.values.columns:
            return None
        values = room.values[column]
        if values.max() == values.min():
            return None
        outlet = room.comparison.leader(column)
        measure = room.comparison.measure(column)
        table = room.comparison.distinguishing_terms(outlet, measure, limit=3)
        forms = [str(word).split(" / ") for word in table["words"]] if len(table) else []
        words = [variants[0] for variants in forms]
        rows = room.evidence[["article_id", "sentence", "value", "text"]].iloc[room.rows.of_outlet_lexicon(outlet, lexicon)]
        if lexicon == TONE_LEXICON:
            rows = rows[rows["value"] > 0]
        if len(rows) < 2:
            return None
        lowered = {form for variants in forms for form in variants}
        wanted = rows[rows["text"].str.lower().isin(lowered)] if lowered else rows
        if wanted.empty:
            wanted = rows
        per_sentence = (wanted.assign(value=wanted["value"].abs()).groupby(["article_id", "sentence"])["value"].sum()
                        .reset_index().sort_values(["value", "article_id", "sentence"], ascending=[False, True, True], kind="mergesort"))
        sentences = []
        for row in per_sentence.head(SENTENCES_PER_QUESTION).itertuples(index=False):
            highlight = [item for item in room.sentence_evidence(row.article_id, int(row.sentence), (lexicon,))
                         if lexicon != TONE_LEXICON or item.value > 0]
            sentences.append(room.cite(row.article_id, evidence_spans(highlight)))
        lowest = room.comparison.leader(column, highest=False)
        value = format_value(column, float(values[outlet]))
        low_value = format_value(column, float(values[lowest]))
        text = text_template.format(outlet=outlet, value=value, lowest=lowest, low_value=low_value,
                                    words=_quoted(words) if words else "the words below")
        notes = ["Values: " + "; ".join(f"{name} {format_value(column, float(values[name]))}" for name in room.outlets) + ".",
                 (f"Words that set {outlet} apart: {_quoted(words)}." if words else "")]
        return _question(kind, text, follow_up, terms, sentences, [note for note in notes if note])
    return question


_q_hedges = _leader_question(
    "hedges_per_1k", "hedges", HEDGE_LEXICON,
    "{outlet} uses the most hedges: {value} per 1,000 words ({lowest}: {low_value}). It often uses {words}. "
    "Is the writer being careful, or just guessing?",
    "Find two hedges in the sentences. What would the sentence say without them?", ["hedge"])
_q_tone = _leader_question(
    "tone", "tone", TONE_LEXICON,
    "{outlet} sounds the most positive (tone {value}; {lowest}: {low_value}). Words like {words} lift its tone. "
    "Do the facts back up that mood?",
    "Rewrite one sentence in plain, neutral words. What changes?", ["tone", "evaluative"])
_q_boosters = _leader_question(
    "boosters_per_1k", "boosters", BOOSTER_LEXICON,
    "{outlet} uses the most boosters: {value} per 1,000 words ({lowest}: {low_value}), such as {words}. "
    "Do these words make a claim more true, or only sound more sure?",
    "Cross out the booster in one sentence. Is the sentence still true?", ["booster"])


def _q_verbs(room: _Classroom, asked: dict[str, Any]) -> dict[str, Any] | None:
    """An attribution verb that judges the speaker ("insisted", "claimed") where others say "stated"."""
    if room.diff is None:
        return None
    quotes = room.diff.quotes
    loaded = quotes[quotes["verb"].isin(LOADED_VERBS)]
    if loaded.empty:
        return None
    used = set(quotes["verb"])
    plain = [verb for verb in PLAIN_VERBS if verb in used]
    row = loaded.iloc[0]
    sentence = room.sentence_at(row.article_id, int(row.start))
    if sentence is None:
        return None
    text_of = room.articles[row.article_id].text
    found = re.search(rf"\b{re.escape(str(row.verb)[:-1] if str(row.verb).endswith('e') else str(row.verb))}\w*",
                      text_of[sentence[0]:sentence[1]], re.IGNORECASE)
    spans = ([(sentence[0] + found.start(), sentence[0] + found.end(), "hl hl-verb", "attribution verb")] if found else
             [(int(row.start), int(row.end), "hl hl-paraphrase", str(row.kind))])
    surface = found.group(0) if found else str(row.verb)
    name = room.source_name(str(row.source)) if row.source != UNATTRIBUTED else "someone"
    text = (f"{row.outlet} writes that {name} “{surface}”. "
            + (f"Other verbs in these articles are plainer, like {_quoted(plain[:3])}. " if plain else "")
            + f"What does “{surface}” suggest about {name}?")
    follow_up = "Swap it for “said”. Does the sentence feel different?"
    notes = [f"“{row.verb}” reports speech and judges it too; the verbs each outlet uses are in the analyst report "
             f"(Who speaks)."]
    return _question("verbs", text, follow_up, ["source"], [room.cite(row.article_id, spans)], notes)


QUESTION_BUILDERS: list[Callable[[_Classroom, dict[str, Any]], dict[str, Any] | None]] = [
    _q_sources, _q_headlines, _q_figures, _q_only_voice, _q_omission, _q_hedges, _q_tone, _q_verbs, _q_boosters,
]


def discussion_questions(room: _Classroom) -> list[dict[str, Any]]:
    """The questions this corpus's evidence supports, in a fixed order of kinds, at most ``QUESTIONS_MAX``."""
    asked: dict[str, Any] = {}
    questions = []
    for builder in QUESTION_BUILDERS:
        question = builder(room, asked)
        if question is not None:
            questions.append(question)
        if len(questions) == QUESTIONS_MAX:
            break
    for number, question in enumerate(questions, start=1):
        question["number"] = number
    return questions


# -- articles and worksheet ----------------------------------------------------------------------

def _articles(room: _Classroom) -> list[dict[str, Any]]:
    """The shown articles, cut into paragraphs of sentences (``id`` ``s-<article>-<sentence>``) with highlights."""
    views = []
    for article in room.corpus.articles:
        number = room.shown.get(article.id)
        if number is None:
            continue
        spans = evidence_spans(room.rows.rows(room.rows.of_article(article.id))) + [
            (e.start, e.end, "excluded", f"left out of the counts: {e.reason}") for e in article.excluded]
        sentences = room.sentence_spans(article.id)
        paragraphs, offset = [], 0
        for line in article.text.split("\n"):
            end = offset + len(line)
            if line.strip():
                chunks, position = [], offset
                for s_start, s_end, index in sentences:
                    if s_end <= offset or s_start >= end:
                        continue
                    if s_start > position:
                        chunks.append({"id": "", "segments": segments(article.text, position, s_start, spans)})
                    chunks.append({"id": f"s-{number}-{index}", "segments": segments(article.text, max(s_start, offset), min(s_end, end), spans)})
                    position = min(s_end, end)
                if position < end:
                    chunks.append({"id": "", "segments": segments(article.text, position, end, spans)})
                paragraphs.append(chunks)
            offset = end + 1
        views.append({"index": number, "anchor": f"article-{number}", "id": article.id, "outlet": article.outlet,
                      "title": article.title, "date": article.date, "source_note": article.source_note,
                      "paragraphs": paragraphs,
                      "excluded": [{"text": article.text[e.start:e.end], "reason": e.reason} for e in article.excluded]})
    return views


def _sentence_weights(room: _Classroom, article_ids: list[str]) -> pd.Series:
    """How loaded each sentence of these articles is: its tone words by size, its other matches 1 each (quotes aside)."""
    positions = np.concatenate([room.rows.of_article(article_id) for article_id in article_ids] or [np.empty(0, dtype=np.int64)])
    loaded = room.evidence[["article_id", "sentence", "lexicon", "value"]].iloc[np.sort(positions)]
    loaded = loaded[loaded["lexicon"] != QUOTE_LEXICON]
    weight = loaded.assign(weight=loaded["value"].abs().where(loaded["lexicon"] == TONE_LEXICON, 1.0))
    return weight.groupby(["article_id", "sentence"])["weight"].sum()


def _excerpts(room: _Classroom, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per article (up to ``EXCERPT_ARTICLES``): its headline, the sentences the questions cite and its most
    loaded sentences, up to ``EXCERPT_SENTENCES``, in reading order, each fully highlighted and labelled A1, A2…"""
    cited: dict[str, set[int]] = {}
    for question in questions:
        for citation in question["sentences"]:
            cited.setdefault(citation["article_id"], set()).add(citation["sentence"])
    chosen_articles = [a for a in room.corpus.articles if a.id in cited][:EXCERPT_ARTICLES]
    for article in room.corpus.articles:
        if len(chosen_articles) >= min(EXCERPT_ARTICLES, len(room.corpus.articles)):
            break
        if article not in chosen_articles:
            chosen_articles.append(article)
    chosen_articles.sort(key=lambda a: room.order[a.id])
    strength = _sentence_weights(room, [article.id for article in chosen_articles])
    excerpts = []
    for number, article in enumerate(chosen_articles):
        letter = chr(ord("A") + number)
        spans = room.sentence_spans(article.id)
        headline = sorted(index for start, _, index in spans if start < room.headline_end[article.id])[:2]
        picked = headline + sorted(cited.get(article.id, set()) - set(headline))
        ranked = sorted(((float(strength.get((article.id, index), 0.0)), index) for _, _, index in spans if index not in picked),
                        key=lambda item: (-item[0], item[1]))
        for value, index in ranked:
            if len(picked) >= len(headline) + EXCERPT_SENTENCES or value <= 0:
                break
            picked.append(index)
        picked = sorted(set(picked))
        by_index = {index: (start, end) for start, end, index in spans}
        sentences = []
        for index in picked:
            rows = room.sentence_evidence(article.id, index)
            start, end = by_index[index]
            citation = room.cite(article.id, evidence_spans(rows), at=start)
            if citation is None:
                continue
            citation["label"] = f"{letter}{len(sentences) + 1}"
            room.labels[(article.id, index)] = citation["label"]
            sentences.append(citation)
        excerpts.append({"letter": letter, "outlet": article.outlet, "title": article.title, "sentences": sentences})
    return excerpts


HUNT = [
    ("hedge", HEDGE_LEXICON, "Find a hedge: a word that makes a claim less sure."),
    ("booster", BOOSTER_LEXICON, "Find a booster: a word that makes a claim sound sure or big."),
    ("evaluative", EVALUATIVE_LEXICON, "Find a word that judges the event."),
    ("tone", TONE_LEXICON, "Find a negative tone word."),
    ("quote", QUOTE_LEXICON, "Find a direct quote. Who is speaking?"),
    ("frame", FRAME_LEXICON, "Find a frame word. What angle does it give?"),
]


def _hunt(room: _Classroom, excerpts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The word hunt: for each term, the answers the excerpts hold (label: words)."""
    hunt = []
    for key, lexicon, prompt in HUNT:
        answers = []
        for excerpt in excerpts:
            for citation in excerpt["sentences"]:
                rows = [row for row in room.sentence_evidence(citation["article_id"], citation["sentence"], (lexicon,))
                        if lexicon != TONE_LEXICON or row.value < 0]
                if lexicon == QUOTE_LEXICON:
                    words = list(dict.fromkeys(_shorten(str(row.text)) for row in rows))
                else:
                    words = list(dict.fromkeys(f"“{row.text}”" for row in rows))
                if words:
                    answers.append(f"{citation['label']}: " + ", ".join(words[:3]))
        if answers:
            hunt.append({"term": next(t.term for t in GLOSSARY if t.key == key), "anchor": GLOSSARY_ANCHORS[key],
                         "prompt": prompt, "answers": answers[:6]})
    return hunt


def _shorten(text: str, words: int = 8) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


def classroom_context(scored: ScoredCorpus, comparison: Comparison | None = None, context: dict[str, Any] | None = None,
                      diff: Differences | None = None, rows: EvidenceRows | None = None) -> dict[str, Any]:
    """The context of ``student.html`` and ``worksheet.html`` (keys in the module docstring).

    ``context`` is the analyst context (``build_context``; ``build_report`` passes it with its
    ``comparison`` and ``diff``): its evidence blocks and figures are reused, so the classroom
    edition shows the same numbers under the same anchors. There ``diff=None`` means "Where the
    accounts differ" was not built, and the questions on sources, figures and omissions are left out.

    Called with the scored corpus alone, it computes what it needs: the comparison, the evidence
    blocks of the key measures and ``differences(scored)`` (no figures). ``rows``: the corpus's
    ``EvidenceRows`` when the caller has built them (``build_report`` shares the analyst's).
    """
    comparison = comparison if comparison is not None else compare(scored)
    if context is None:
        key = tuple(m for m in comparison.measures if m.column in {column for column, _, _ in PLAIN_MEASURES})
        context = build_context(scored, replace(comparison, measures=key), pd.DataFrame(columns=DIFFERENCE_COLUMNS),
                                {"available": False, "reason": ""}, {}, rows)
        diff = diff if diff is not None else differences(scored)
    room = _Classroom(scored, comparison, context, diff, rows)
    blocks = _blocks(room)
    glossary = _glossary(room)
    questions = discussion_questions(room)
    excerpts = _excerpts(room, questions)
    for question in questions:
        for citation in question["sentences"]:
            citation["label"] = room.labels.get((citation["article_id"], citation["sentence"]), "")
        question["labels"] = [c["label"] for c in question["sentences"] if c["label"]]
    outlets = room.outlets
    return {
        "title": f"Same event, different stories: how {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} reported it",
        "corpus": {"name": room.corpus.name, "articles": len(room.corpus.articles), "outlets": outlets},
        "toggles": highlight_toggles(scored),
        "findings": _findings(room, blocks),
        "table": _table(room, blocks),
        "evidence": _evidence(room, blocks),
        "glossary": glossary,
        "questions": questions,
        "articles": _articles(room),
        "worksheet": {"excerpts": excerpts, "hunt": _hunt(room, excerpts)},
        "figures": context["figures"],
        "limits": list(LIMITS),
        "files": dict(FILES),
    }
