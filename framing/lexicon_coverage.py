"""Lexicon coverage: which entries fire on a corpus, how often, and which never do.

A lexicon written for one kind of news may miss another corpus's vocabulary, or carry
entries that never occur in it. ``lexicon_coverage`` matches every article (the scored
text, as ``framing.score`` does, ``ignore`` rows included since they decide what counts)
and tallies per lexicon and category: how many entries there are, how many fire, their
matches, and the share of the corpus's tokens they cover. Entries that never fire are
candidates for a closer look (a spelling the tokenizer never produces, a stem too narrow)
or for removal.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from .corpus import Article, Corpus
from .lexicon import LexiconSet
from .tokens import tokenize

ALL_CATEGORIES = "(all)"
CATEGORY_COLUMNS = ["lexicon", "category", "entries", "firing", "matches", "tokens", "share"]
ENTRY_COLUMNS = ["lexicon", "category", "term", "weight", "note", "file", "line", "matches"]


@dataclass(frozen=True)
class LexiconCoverage:
    """Coverage tables: ``categories`` (``CATEGORY_COLUMNS``, a lexicon's total row has category
    ``(all)``) and ``entries`` (``ENTRY_COLUMNS``, every entry with its matches)."""

    articles: int
    tokens: int
    categories: pd.DataFrame = field(repr=False)
    entries: pd.DataFrame = field(repr=False)

    @property
    def never_fire(self) -> pd.DataFrame:
        """Entries with no match in the corpus, by lexicon, category and term."""
        return self.entries[self.entries["matches"] == 0].reset_index(drop=True)


def lexicon_coverage(
    corpus: Corpus | Iterable[Article],
    lexicons: LexiconSet,
    progress: Callable[[int], None] | None = None,
) -> LexiconCoverage:
    """Match every article and tally entries and covered tokens per lexicon and category."""
    articles = corpus.articles if isinstance(corpus, Corpus) else tuple(corpus)
    matches: Counter[tuple[str, tuple[str, ...]]] = Counter()
    covered: Counter[tuple[str, str]] = Counter()
    total_tokens = 0
    for article in articles:
        tokens = tokenize(article.text, article.regions)
        total_tokens += len(tokens.words)
        for match in lexicons.match(tokens, include_ignored=True):
            entry = match.entry
            matches[(entry.lexicon, entry.words)] += 1
            size = match.last - match.first + 1
            covered[(entry.lexicon, entry.category)] += size
            covered[(entry.lexicon, ALL_CATEGORIES)] += size
        if progress is not None:
            progress(1)
    entry_rows = [
        (entry.lexicon, entry.category, entry.term, entry.weight, entry.note, entry.path, entry.line,
         matches[(entry.lexicon, entry.words)])
        for lexicon in lexicons.lexicons for entry in lexicon.entries
    ]
    entries = pd.DataFrame(entry_rows, columns=ENTRY_COLUMNS).sort_values(
        ["lexicon", "category", "matches", "term"], ascending=[True, True, False, True], kind="mergesort"
    ).reset_index(drop=True)
    category_rows = []
    for lexicon in lexicons.lexicons:
        rows = entries[entries["lexicon"] == lexicon.name]
        groups = [(ALL_CATEGORIES, rows)] + [(category, group) for category, group in rows.groupby("category", sort=True)]
        for category, group in groups:
            tokens = covered[(lexicon.name, category)]
            category_rows.append((lexicon.name, category, len(group), int((group["matches"] > 0).sum()),
                                  int(group["matches"].sum()), tokens,
                                  round(tokens / total_tokens, 6) if total_tokens else 0.0))
    categories = pd.DataFrame(category_rows, columns=CATEGORY_COLUMNS)
    return LexiconCoverage(articles=len(articles), tokens=total_tokens, categories=categories, entries=entries)


def format_coverage(coverage: LexiconCoverage) -> list[str]:
    """The category table as aligned lines, a lexicon's total first, then its categories indented."""
    header = ("lexicon / category", "entries", "firing", "matches", "tokens covered")
    rows = []
    for row in coverage.categories.itertuples(index=False):
        label = row.lexicon if row.category == ALL_CATEGORIES else f"  {row.category}"
        rows.append((label, str(row.entries), str(row.firing), str(row.matches), f"{row.share:.2%}"))
    widths = [max(len(line[index]) for line in [header, *rows]) for index in range(len(header))]
    lines = []
    for line in [header, *rows]:
        cells = [line[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(line[1:], widths[1:])]
        lines.append("  ".join(cells))
    return lines


def write_never_fire(coverage: LexiconCoverage, path: str | Path) -> Path:
    """Write the entries that never fire as CSV (UTF-8 with a byte-order mark, so Excel opens it as UTF-8)."""
    path = Path(path)
    if path.parent != Path(""):
        path.parent.mkdir(parents=True, exist_ok=True)
    table = coverage.never_fire
    with open(path, "w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(ENTRY_COLUMNS)
        for row in table.itertuples(index=False):
            writer.writerow([row.lexicon, row.category, row.term, f"{row.weight:g}", row.note, row.file, row.line, row.matches])
    return path
