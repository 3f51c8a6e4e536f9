"""Coverage and omission: which subtopics each outlet covers, and which it leaves out.

An account's silences do not show in word counts: one report mentions the hockey matches,
another the mineral deals, a third the Zaporizhzhia plant. This module finds *subtopics*
with two methods a student can follow by hand, fully offline:

* **named actors**: runs of capitalized words ("Zaporizhzhia Nuclear Power Plant", "Black
  Sea", "Marco Rubio", "NATO"), joined across "of" ("Secretary of State"), split at hyphens
  ("Trump-Putin" → Trump, Putin), without leading titles and nationality adjectives from
  ``data/name_titles.txt``. A sentence's first word counts only if the corpus also
  capitalizes it mid-sentence (so "Following the call" is no actor, "Russia has" is). A
  longer name whose last word is itself an actor joins it ("Vladimir Putin" → Putin).
* **key phrases**: runs of content words between stop words (``data/stopwords.txt``) and
  punctuation, cut into 2- and 3-word n-grams ("hockey matches", "mineral excavation
  agreements"), none starting with an -ing word or ending in -ing/-ed (likely verbs), and no
  3-word one starting with -ed ("proposed hockey matches"). An n-gram that only ever occurs inside one longer n-gram is dropped in its
  favour ("mineral excavation" → "mineral excavation agreements").

Subtopics are matched across articles by a normalized key (lower case, "U.S." → "us", each
word's simple plural stripped: "prisoner exchanges" = "prisoner exchange"). Headlines and
section headings (short title-case lines, or a title-case label before a colon) are
recorded, but a subtopic counts for an article only when the article also mentions it in
its body: headline-only wording is noise, not coverage.

The ``coverage`` table has one row per mention (``COVERAGE_COLUMNS``) with its span, its
sentence's span and ``in_title`` (the mention sits in a headline or heading); ``coverage_matrix`` pivots it to subtopic × outlet and
``single_outlet_subtopics`` ranks what only one outlet covers by mentions × words (named
actors count one word more: a name left out is a clearer omission than a phrase).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd

from .claims import singular
from .corpus import Article, Corpus
from .lexicon import is_number
from .sources import key, load_titles, sentence_range
from .tokens import Tokens, tokenize

STOPWORDS_PATH = Path(__file__).parent / "data" / "stopwords.txt"
ACTOR, PHRASE = "actor", "phrase"
COVERAGE_COLUMNS = [
    "subtopic", "key", "kind", "outlet", "article_id", "mentions", "start", "end", "text",
    "sentence_start", "sentence_end", "in_title",
]
SINGLE_COLUMNS = ["subtopic", "key", "kind", "outlet", "article_id", "mentions", "weight", "rank_score"]
MAX_PHRASE_WORDS = 3
HEADING_MAX_WORDS = 12
LABEL_MAX_WORDS = 6
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
_TERMINAL = ".?!\"”»'’"
_OPENERS = "“«\"‘„"
_CONTENT = re.compile(r"^[^\W\d_][\w'’-]*$")


@dataclass(frozen=True)
class Mention:
    """One mention of a subtopic: its key, kind, span, and whether it sits in a heading."""

    key: str
    kind: str
    start: int
    end: int
    in_title: bool


@lru_cache(maxsize=1)
def load_stopwords(path: Path = STOPWORDS_PATH) -> frozenset[str]:
    """The chunker's stop words, one per line."""
    lines = (line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def phrase_key(words: Iterable[str]) -> str:
    """Normalized form of a phrase: lower case, initialisms without periods, plurals stripped."""
    return " ".join(singular(key(word)) for word in words)


def _title_spans(text: str) -> list[tuple[int, int]]:
    """Headline, section headings and title-case labels ("Economic Stabilization:") as spans."""
    spans, offset = [], 0
    for number, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            lead = offset + line.index(stripped[0])
            words = stripped.split()
            if number == 0 or (len(words) <= HEADING_MAX_WORDS and stripped[-1] not in _TERMINAL + ":" and _title_case(words)):
                spans.append((lead, lead + len(stripped)))
            else:
                label = re.match(r"^\W*([^:.!?]{1,80}):\s", stripped)
                if label and len(label.group(1).split()) <= LABEL_MAX_WORDS and _title_case(label.group(1).split()):
                    spans.append((lead, lead + label.end(1)))
        offset += len(line) + 1
    return spans


def _title_case(words: list[str]) -> bool:
    long = [word for word in words if len(word) >= 4]
    return bool(long) and sum(word[0].isupper() for word in long) / len(long) >= 0.6


def _pieces(text: str, tokens: Tokens) -> list[tuple[int, int, int]]:
    """Tokens split at hyphens when every part is capitalized: (start, end, sentence) per piece."""
    pieces = []
    for start, end, sentence in zip(tokens.starts, tokens.ends, tokens.sentence_of):
        surface = text[start:end]
        parts = surface.split("-")
        if len(parts) > 1 and all(part[:1].isupper() for part in parts):
            offset = start
            for part in parts:
                pieces.append((offset, offset + len(part), sentence))
                offset += len(part) + 1
        else:
            pieces.append((start, end, sentence))
    return pieces


class _Chunker:
    """Finds actor and phrase mentions in articles; holds the corpus-wide capitalization facts."""

    def __init__(self, articles: list[Article], tokens: dict[str, Tokens]) -> None:
        self.articles, self.tokens = articles, tokens
        self.stopwords, self.titles = load_stopwords(), load_titles()
        self._content: dict[str, bool] = {}
        self.title_spans = {article.id: _title_spans(article.text) for article in articles}
        self.title_starts = {aid: [a for a, _ in spans] for aid, spans in self.title_spans.items()}
        self.pieces = {article.id: _pieces(article.text, tokens[article.id]) for article in articles}
        self.mid_capitalized: set[str] = set()
        for article in articles:
            previous_sentence = -1
            for start, end, sentence in self.pieces[article.id]:
                surface = article.text[start:end]
                if sentence == previous_sentence and surface[:1].isupper() and not self.in_title(article.id, start):
                    self.mid_capitalized.add(key(surface))
                previous_sentence = sentence

    def content(self, surface: str) -> bool:
        """A word that may be part of a key phrase (cached per surface form)."""
        cached = self._content.get(surface)
        if cached is None:
            word = key(surface)
            cached = (_CONTENT.match(surface) is not None and len(surface) >= 3 and word not in self.stopwords
                      and not is_number(word))
            self._content[surface] = cached
        return cached

    def in_title(self, article_id: str, position: int) -> bool:
        spans = self.title_spans[article_id]
        index = bisect.bisect_right(self.title_starts[article_id], position) - 1
        return index >= 0 and position < spans[index][1]

    def _is_name_piece(self, article: Article, index: int, sentence_initial: bool) -> bool:
        pieces = self.pieces[article.id]
        start, end, _ = pieces[index]
        if not article.text[start].isupper():
            return False
        surface = article.text[start:end]
        word = key(surface)
        if not surface[:1].isupper() or word in ("'s",) or len(surface) < 2 or word in _CALENDAR:
            return False
        if surface[1:].islower() and word in self.stopwords:  # "The", "This"; "US" and "U.S." stay
            return False
        if index and article.text[pieces[index - 1][1]:start].strip()[-1:] in _OPENERS:
            sentence_initial = True  # “This is …: a quote opens like a sentence
        if sentence_initial or self.in_title(article.id, start):
            return word in self.mid_capitalized and word not in self.stopwords
        return True

    def actors(self, article: Article) -> list[tuple[int, int, list[str]]]:
        """Name runs as (first piece, last piece, surface words) after title stripping."""
        pieces, text = self.pieces[article.id], article.text
        runs, current = [], []
        previous_sentence = -1
        for index, (start, end, sentence) in enumerate(pieces):
            initial = sentence != previous_sentence
            previous_sentence = sentence
            gap = text[pieces[index - 1][1]:start] if index else ""
            if initial or gap.strip():
                runs.append(current)
                current = []
            if self._is_name_piece(article, index, initial):
                current.append(index)
            elif text[start:end] == "of" and current and index + 1 < len(pieces) and \
                    pieces[index + 1][2] == sentence and self._is_name_piece(article, index + 1, False):
                current.append(index)
            else:
                runs.append(current)
                current = []
        runs.append(current)
        found = []
        for run in runs:
            while run and (key(text[pieces[run[0]][0]:pieces[run[0]][1]]) in self.titles
                           or text[pieces[run[0]][0]:pieces[run[0]][1]] == "of"):
                run = run[1:]
            while run and (key(text[pieces[run[-1]][0]:pieces[run[-1]][1]]) in self.titles
                           or text[pieces[run[-1]][0]:pieces[run[-1]][1]] == "of"):
                run = run[:-1]
            if run:
                found.append((run[0], run[-1], [text[pieces[i][0]:pieces[i][1]] for i in run]))
        return found

    def mentions(self, article: Article) -> list[Mention]:
        """Every actor and phrase mention of one article (phrases not yet filtered for closedness)."""
        text, pieces = article.text, self.pieces[article.id]
        found: list[Mention] = []
        in_long_name: set[int] = set()
        for first, last, words in self.actors(article):
            start, end = pieces[first][0], pieces[last][1]
            found.append(Mention(" ".join(key(word) for word in words), ACTOR, start, end, self.in_title(article.id, start)))
            if last > first:
                in_long_name.update(range(first, last + 1))
        run: list[int] = []
        previous_sentence = -1
        for index, (start, end, sentence) in enumerate(pieces + [(len(text), len(text), -2)]):
            surface = text[start:end]
            gap = text[pieces[index - 1][1]:start] if 0 < index <= len(pieces) else ""
            content = sentence != -2 and index not in in_long_name and self.content(surface)
            name_after_word = bool(run) and surface[:1].isupper() and not text[pieces[run[-1]][0]].isupper()
            if sentence != previous_sentence or gap.strip() or not content or name_after_word:
                found.extend(self._ngrams(article, run))
                run = []
            if content:
                run.append(index)
                if _looks_plural(key(surface)):  # "power plants prevents": a plural ends a noun phrase
                    found.extend(self._ngrams(article, run))
                    run = []
            previous_sentence = sentence
        return found

    def _ngrams(self, article: Article, run: list[int]) -> list[Mention]:
        pieces, text, out = self.pieces[article.id], article.text, []
        for size in range(2, MAX_PHRASE_WORDS + 1):
            for offset in range(len(run) - size + 1):
                chosen = run[offset:offset + size]
                start, end = pieces[chosen[0]][0], pieces[chosen[-1]][1]
                words = [text[pieces[i][0]:pieces[i][1]] for i in chosen]
                lowered = [key(word) for word in words]
                if (lowered[0].endswith("ing") or lowered[-1].endswith(("ing", "ed")) or all(w in self.titles for w in lowered)
                        or (size > 2 and lowered[0].endswith("ed"))):  # "proposed hockey matches" → "hockey matches"
                    continue
                out.append(Mention(phrase_key(words), PHRASE, start, end, self.in_title(article.id, start)))
        return out


def _looks_plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) and "-" not in word


def _closed(mentions: dict[str, list[Mention]]) -> set[str]:
    """Phrase keys that do not only ever occur inside one longer phrase."""
    counts = {k: len(found) for k, found in mentions.items()}
    dropped = set()
    for longer, found in mentions.items():
        words = longer.split()
        if found[0].kind != PHRASE or len(words) < 3:
            continue
        for size in range(2, len(words)):
            for offset in range(len(words) - size + 1):
                shorter = " ".join(words[offset:offset + size])
                if counts.get(shorter) == counts[longer]:
                    dropped.add(shorter)
    return {k for k in mentions if k not in dropped}


def _merge_names(keys: set[str]) -> dict[str, str]:
    """Map a multi-word actor key to its last word when that word is an actor on its own."""
    return {k: k.split()[-1] if len(k.split()) > 1 and k.split()[-1] in keys else k for k in keys}


def coverage_table(corpus: Corpus | Iterable[Article], tokens: dict[str, Tokens] | None = None) -> pd.DataFrame:
    """The ``coverage`` table: one row per mention of each subtopic, sorted by subtopic, article, position."""
    articles = list(corpus.articles if isinstance(corpus, Corpus) else corpus)
    tokens = dict(tokens or {})
    for article in articles:
        if article.id not in tokens:
            tokens[article.id] = tokenize(article.text, article.regions)
    chunker = _Chunker(articles, tokens)
    per_article = {article.id: chunker.mentions(article) for article in articles}
    actor_keys = {m.key for found in per_article.values() for m in found if m.kind == ACTOR}
    merge = _merge_names(actor_keys)
    grouped: dict[tuple[str, str], list[tuple[Article, Mention]]] = defaultdict(list)
    for article in articles:
        for mention in per_article[article.id]:
            k = merge.get(mention.key, mention.key) if mention.kind == ACTOR else mention.key
            if mention.kind == PHRASE and k in actor_keys:
                continue
            grouped[(mention.kind, k)].append((article, mention))
    phrases = {k: [m for _, m in found] for (kind, k), found in grouped.items() if kind == PHRASE}
    keep_phrases = _closed(phrases)
    rows = []
    for (kind, k), found in grouped.items():
        if kind == PHRASE and k not in keep_phrases:
            continue
        by_article: dict[str, list[Mention]] = defaultdict(list)
        owner: dict[str, Article] = {}
        for article, mention in found:
            by_article[article.id].append(mention)
            owner[article.id] = article
        kept = {aid: ms for aid, ms in by_article.items() if any(not m.in_title for m in ms)}
        if not kept:
            continue
        surfaces = Counter(owner[aid].text[m.start:m.end] for aid, ms in kept.items() for m in ms if not m.in_title)
        label = sorted(surfaces.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))[0][0]
        for article_id, ms in kept.items():
            article = owner[article_id]
            for m in ms:
                sentence_start, sentence_end = sentence_range(tokens[article_id], m.start, m.end)
                rows.append((label, k, kind, article.outlet, article_id, len(ms), m.start, m.end,
                             article.text[m.start:m.end], sentence_start, sentence_end, m.in_title))
    table = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    return table.sort_values(["key", "kind", "article_id", "start"], kind="mergesort").reset_index(drop=True)


def coverage_matrix(coverage: pd.DataFrame, outlets: list[str] | None = None) -> pd.DataFrame:
    """Subtopic × outlet mention counts (0 = not covered), with ``kind`` and ``outlets`` columns first."""
    outlets = outlets or sorted(coverage["outlet"].unique())
    counts = coverage.groupby(["key", "outlet"]).size().unstack(fill_value=0).reindex(columns=outlets, fill_value=0)
    meta = coverage.groupby("key")[["subtopic", "kind"]].first()
    table = meta.join(counts)
    table.insert(2, "outlets", (counts > 0).sum(axis=1))
    return table.reset_index().sort_values(["outlets", "key"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def outlet_vocabulary(corpus: Corpus | Iterable[Article], tokens: dict[str, Tokens] | None = None) -> dict[str, set[str]]:
    """Outlet → every word key (``phrase_key`` form) its scored text uses."""
    vocabulary: dict[str, set[str]] = defaultdict(set)
    for article in (corpus.articles if isinstance(corpus, Corpus) else corpus):
        found = (tokens or {}).get(article.id) or tokenize(article.text, article.regions)
        vocabulary[article.outlet].update(phrase_key([word]) for word in set(found.words))
    return dict(vocabulary)


def single_outlet_subtopics(coverage: pd.DataFrame, vocabulary: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """Subtopics exactly one outlet covers, most telling first.

    ``rank_score`` = mentions × weight. Each word of the subtopic weighs 2 when no other
    outlet uses that word anywhere ("hockey", "excavation"), else 1; a named actor weighs one
    more, since a name left out is a clearer omission than a phrase. ``vocabulary``
    (``outlet_vocabulary``) says which outlet uses which word; without it, the words of the
    outlets' subtopics stand in.
    """
    per_key = coverage.groupby("key")["outlet"].nunique()
    single = coverage[coverage["key"].map(per_key) == 1]
    if single.empty:
        return pd.DataFrame(columns=SINGLE_COLUMNS)
    outlets_of_word: dict[str, set[str]] = defaultdict(set)
    if vocabulary is not None:
        for outlet, words in vocabulary.items():
            for word in words:
                outlets_of_word[word].add(outlet)
    for k, outlet in coverage[["key", "outlet"]].drop_duplicates().itertuples(index=False):
        for word in k.split():
            outlets_of_word[word].add(outlet)
    mentions = single.groupby("key").size()
    firsts = single.drop_duplicates("key").set_index("key").sort_index()
    rows = []
    for k, first in zip(firsts.index, firsts.itertuples(index=False)):
        weight = sum(2 if outlets_of_word[word] == {first.outlet} else 1 for word in k.split())
        weight += 1 if first.kind == ACTOR else 0
        count = int(mentions[k])
        rows.append((first.subtopic, k, first.kind, first.outlet, first.article_id, count, weight, count * weight))
    table = pd.DataFrame(rows, columns=SINGLE_COLUMNS)
    return table.sort_values(["rank_score", "mentions", "key"], ascending=[False, False, True],
                             kind="mergesort").reset_index(drop=True)
