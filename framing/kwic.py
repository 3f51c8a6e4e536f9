"""Keyword in context: every use of a term, or of a lexicon's entries, with the words around it.

Before adding "power" to a lexicon, look at how the corpus uses it: electricity or
influence? ``kwic`` finds a query in each article's scored text (boilerplate excluded, as
for scoring) and returns one row per use with its outlet, article and context.

A query is either

* a **term**, in lexicon syntax (``power``, ``glimmer of hope``, ``escalat*``, ``about #``),
  matched on its own, each use annotated with what the loaded lexicons count at that place
  (``tone:positive``, or ``hedges:ignore`` when an ``ignore`` row blocks it); or
* ``LEXICON:`` or ``LEXICON:CATEGORY`` (``frames:``, ``frames:conflict``, ``hedges:ignore``):
  the matches of that lexicon exactly as the scorer counts them (longest match, ``ignore``
  rows applied), each annotated with the entry that matched. No term can hold a colon, so the
  two forms never clash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

import pandas as pd

from .corpus import Article, Corpus
from .errors import LexiconError
from .lexicon import IGNORE_CATEGORY, Entry, Lexicon, LexiconFile, LexiconSet, Match, parse_term
from .lexicon_check import term_problems
from .tokens import tokenize

KWIC_COLUMNS = ["outlet", "article_id", "start", "end", "left", "match", "right", "counted"]
DEFAULT_WIDTH = 40
QUERY_LEXICON = "query"
_SPACE = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class Query:
    """A parsed query: a term (``entry``) or a lexicon with an optional category."""

    text: str
    entry: Entry | None = None
    lexicon: str | None = None
    category: str | None = None


def parse_query(text: str, lexicons: LexiconSet) -> Query:
    """Read a query; an unknown lexicon or category, or a term that cannot match, raises with the valid choices."""
    text = text.strip()
    if ":" in text:
        name, _, category = (part.strip().lower() for part in text.partition(":"))
        if name not in lexicons.names:
            raise LexiconError(f"query '{text}'", f"no lexicon named '{name}'; loaded lexicons: {', '.join(lexicons.names)} "
                                     "(or give a term without ':')")
        categories = lexicons[name].categories + [IGNORE_CATEGORY]
        if category and category not in categories:
            raise LexiconError(f"query '{text}'", f"no category '{category}' in {name}; its categories: {', '.join(categories)}")
        return Query(text, lexicon=name, category=category or None)
    words = parse_term(text)
    if not words:
        raise LexiconError("query ''", "empty term; give a word or phrase, or LEXICON:CATEGORY")
    problems = term_problems(words)
    if problems:
        raise LexiconError(f"query '{text}'", problems[0])
    return Query(text, entry=Entry(QUERY_LEXICON, text, "match", 1.0, "", words, "(query)", 0))


def _one_line(text: str) -> str:
    """Text on one line: a line break becomes ' / ', any other run of whitespace one space."""
    return _SPACE.sub(" ", _LINE_BREAK.sub(" / ", text))


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """Left context, match and right context, each on one line, the contexts cut to ``width`` characters."""
    left = _one_line(text[max(0, start - 4 * width):start])[-width:] if width else ""
    right = _one_line(text[end:end + 4 * width])[:width] if width else ""
    return left, _one_line(text[start:end]), right


def _label(match: Match) -> str:
    return f"{match.entry.lexicon}:{match.entry.category} ({match.entry.term})"


def kwic(
    corpus: Corpus | Iterable[Article],
    query: str | Query,
    lexicons: LexiconSet,
    width: int = DEFAULT_WIDTH,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Every use of ``query`` in the corpus (``KWIC_COLUMNS``), in corpus order.

    ``counted``: for a term, the lexicon entries matched at that place (``-`` for none);
    for ``LEXICON:CATEGORY``, the category and the entry that matched.
    """
    articles = corpus.articles if isinstance(corpus, Corpus) else tuple(corpus)
    parsed = query if isinstance(query, Query) else parse_query(query, lexicons)
    searcher = None
    if parsed.entry is not None:
        searcher = LexiconSet([Lexicon(QUERY_LEXICON, (LexiconFile("(query)", "", 1),), (parsed.entry,))])
    rows = []
    for article in articles:
        tokens = tokenize(article.text, article.regions)
        counted = lexicons.match(tokens, include_ignored=True)
        if searcher is not None:
            found = searcher.match(tokens)
        else:
            found = [match for match in counted if match.entry.lexicon == parsed.lexicon
                     and (match.entry.category == parsed.category if parsed.category
                          else match.entry.category != IGNORE_CATEGORY)]
        for match in found:
            start, end = tokens.starts[match.first], tokens.ends[match.last]
            if searcher is not None:
                labels = sorted({_label(other) for other in counted if other.first <= match.last and match.first <= other.last})
                note = ", ".join(labels) or "-"
            else:
                note = f"{match.entry.category}: {match.entry.term}"
            rows.append((article.outlet, article.id, start, end, *_context(article.text, start, end, width), note))
        if progress is not None:
            progress(1)
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def format_kwic(table: pd.DataFrame, width: int = DEFAULT_WIDTH, limit: int | None = None) -> list[str]:
    """Aligned lines: outlet, article, left context (right-aligned), [match], right context, what counts there."""
    shown = table if not limit else table.head(limit)
    if shown.empty:
        return []
    outlet_width = max(len(str(value)) for value in shown["outlet"])
    id_width = max(len(str(value)) for value in shown["article_id"])
    match_width = max(len(str(value)) for value in shown["match"]) + 2
    lines = []
    for row in shown.itertuples(index=False):
        lines.append(f"{row.outlet:<{outlet_width}}  {row.article_id:<{id_width}}  {row.left:>{width}} "
                     f"{'[' + row.match + ']':<{match_width}} {row.right:<{width}}  {row.counted}".rstrip())
    return lines


def kwic_summary(table: pd.DataFrame, query: str, limit: int | None = None) -> str:
    """One line: how many uses in how many articles and outlets, and how many are shown."""
    uses, articles, outlets = len(table), table["article_id"].nunique(), table["outlet"].nunique()
    line = (f"{uses} use{'s' if uses != 1 else ''} of '{query}' in {articles} article{'s' if articles != 1 else ''} "
            f"of {outlets} outlet{'s' if outlets != 1 else ''}")
    if limit and uses > limit:
        line += f"; showing the first {limit} (--limit 0 shows all)"
    return line
