"""Who speaks in each account: direct quotes and paraphrases, attached to their sources.

Framing is also whom an outlet lets speak, in whose words, and with which verb: "the
Kremlin said" and "the Kremlin claimed" report the same act with a different stance. This
module finds, per article:

* **direct quotes**: text between “curly”, "straight" or «guillemet» marks (an inner ‘…’
  stays part of the outer quote), within one paragraph, possibly over several sentences;
* **attributions**: a speech verb from ``data/attribution_verbs.csv`` with its speaker,
  before or after the quote ("“…,” the minister said", "the Kremlin said: «…»",
  "stated the White House", "according to the White House’s briefing", "as noted by the
  Kremlin", "«…» the statement read"), or a possessive speech noun ("Putin’s call for a «…»");
* **paraphrases**: the same cues with no quotation marks ("Zelenskyy emphasized the
  necessity of …", "U.S. officials anticipate that …"), and attribution shields with no
  speaker at all ("the call reportedly lasted …"), which count as ``unattributed``.

Rules, in the order they apply to a direct quote: a cue in the quote's own sentence(s)
(the nearest one wins); else a possessive speech noun before it in the sentence; else, for
a quote that fills its sentence, the speaker of a quote in the sentence just before (a
continuing statement); else ``unattributed``. A cue yields a paraphrase row when no quote
uses it, or when it introduces a *that*-clause (which may hold short quotes of its own).

Speakers are normalized with the alias table ``data/source_aliases.csv`` (alias,source;
the longest alias inside the speaker's words wins), so "the Kremlin’s account" and
"Moscow" group as ``Kremlin``. Pronouns and anaphoric phrases ("he", "it", "the
statement") take the previous named speaker in the same paragraph (an earlier attribution,
else the named subject that opens an earlier sentence), else ``unattributed``. Speakers not
in the table keep their capitalized name ("Marco Rubio") or their noun phrase ("envoy").
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from .corpus import Article, Corpus
from .tokens import ABBREVIATIONS_PATH, Tokens, normalize, tokenize

DATA = Path(__file__).parent / "data"
ALIASES_PATH = DATA / "source_aliases.csv"
VERBS_PATH = DATA / "attribution_verbs.csv"
TITLES_PATH = DATA / "name_titles.txt"

DIRECT, PARAPHRASE = "direct", "paraphrase"
UNATTRIBUTED = "unattributed"
CONTINUES = "continues previous quote"
QUOTE_COLUMNS = [
    "article_id", "outlet", "kind", "source", "verb", "quote_words", "start", "end", "text",
    "sentence_start", "sentence_end", "attribution",
]
SUMMARY_COLUMNS = ["outlet", "source", "direct", "paraphrase", "quote_words", "verbs"]
VERB_COLUMNS = ["outlet", "verb", "uses"]

# Quotation marks: a quote never crosses a line break (paragraph).
_QUOTE = re.compile(r"“[^”\n]*”|«[^»\n]*»|\"[^\"\n]*\"|„[^“”\n]*[“”]")
_CLOSERS = "”»\"“"
# Words between a speaker and its verb: "Putin has also reiterated", "officials currently anticipate".
_SKIP = frozenset(
    "has have had also further currently previously initially already later again then repeatedly publicly "
    "officially categorically firmly is was were are will would could not never once today yesterday recently "
    "reportedly reiterated".split()
)
# Words that end a speaker's noun phrase.
_NP_STOP = frozenset(
    "that which who whom whose while when because but however although though after before since if as despite "
    "amid following meanwhile furthermore additionally where so than to".split()
)
_NP_STOP_AFTER = _NP_STOP | frozenset("on about in with for at during".split())
_PRONOUNS = frozenset({"he", "she", "it", "they"})
# the writer or the reader, and days ("said Tuesday"), are no sources
_NOT_SOURCES = frozenset("i we you monday tuesday wednesday thursday friday saturday sunday today yesterday".split())
_ANAPHORIC_HEADS = frozenset({"statement", "readout", "briefing", "announcement", "report", "official", "spokesman",
                              "spokesperson", "spokeswoman", "source", "document", "communique"})
# Heads that make a noun phrase a speaker even without a name: "his envoy", "Ukrainian officials".
_SOURCE_NOUNS = frozenset(
    "official officials spokesman spokesperson spokeswoman minister ministry diplomat diplomats aide aides envoy "
    "source sources analyst analysts expert experts observer observers government administration office leader "
    "leaders statement report reports media agency president".split()
)
# Nouns after a possessive that keep the possessor as the speaker: "the Kremlin’s account".
_DOCUMENT_NOUNS = frozenset(
    "account announcement briefing statement readout words remarks message call demand demands proposal "
    "proposition claim warning pledge promise insistence press website spokesman spokesperson office".split()
)
_DETERMINERS = frozenset("the a an some multiple several many his her their its this that these those".split())
_INITIALISM = re.compile(r"^(?:[a-z]\.)+$")


@dataclass(frozen=True)
class Quote:
    """One direct quote or paraphrase with its speaker; fields follow ``QUOTE_COLUMNS``.

    ``start``/``end`` span ``text`` in the article; ``sentence_start``/``sentence_end`` span
    the sentence(s) it sits in; ``attribution`` is the speaker as the article wrote it.
    """

    article_id: str
    outlet: str
    kind: str
    source: str
    verb: str
    quote_words: int
    start: int
    end: int
    text: str
    sentence_start: int
    sentence_end: int
    attribution: str


@dataclass(frozen=True)
class _Cue:
    """An attribution found in a sentence: verb tokens, speaker tokens and the resolved source."""

    sentence: int
    first: int  # first token of the whole cue (speaker or verb)
    last: int
    verb_first: int
    verb_last: int
    verb: str
    use: str
    np: tuple[int, int] | None  # speaker tokens (inclusive), None for shields
    np_after: bool
    that_clause: bool
    source: str
    resolved: str  # "named", "pronoun" or "shield"


@lru_cache(maxsize=1 << 16)
def key(word: str) -> str:
    """A token as the alias table sees it: normalized, initialisms without periods ("u.s." → "us")."""
    word = normalize(word)
    return word.replace(".", "") if _INITIALISM.match(word) else word


@lru_cache(maxsize=1)
def load_aliases(path: Path = ALIASES_PATH) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The alias table as (token keys, source) pairs, longest alias first."""
    with open(path, encoding="utf-8", newline="") as stream:
        rows = [(tuple(key(word) for word in _split_words(row["alias"])), row["source"].strip())
                for row in csv.DictReader(stream) if row["alias"].strip()]
    return tuple(sorted(rows, key=lambda row: (-len(row[0]), row[0])))


@lru_cache(maxsize=1)
def load_verbs(path: Path = VERBS_PATH) -> dict[tuple[str, ...], tuple[str, str]]:
    """Attribution verb forms (as token tuples) → (base verb, use: speech, after_quote or shield)."""
    with open(path, encoding="utf-8", newline="") as stream:
        return {tuple(normalize(row["form"]).split()): (row["verb"].strip(), row["use"].strip())
                for row in csv.DictReader(stream) if row["form"].strip()}


@lru_cache(maxsize=1)
def load_titles(path: Path = TITLES_PATH) -> frozenset[str]:
    """Titles and nationality adjectives that are not part of a speaker's name."""
    lines = (line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """The tokenizer's abbreviation list ("mr", "sen", "gen"), whose periods end no phrase."""
    lines = (line.strip().lower() for line in ABBREVIATIONS_PATH.read_text(encoding="utf-8").splitlines())
    return frozenset(line.rstrip(".") for line in lines if line and not line.startswith("#"))


def _split_words(text: str) -> list[str]:
    """Words of a short phrase the way the tokenizer cuts them ("Kremlin’s" → "Kremlin", "’s")."""
    tokens = tokenize(text)
    return [text[a:b] for a, b in zip(tokens.starts, tokens.ends)]


def find_direct_quotes(text: str, regions: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Spans of quotations (marks included) that lie inside one scored region."""
    regions = regions if regions is not None else [(0, len(text))]
    return [found.span() for found in _QUOTE.finditer(text)
            if any(a <= found.start() and found.end() <= b for a, b in regions)]


def sentence_range(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    """(sentence_start, sentence_end) character span of the sentences whose words ``start:end`` covers."""
    spans = tokens.sentence_spans
    first_token = bisect.bisect_left(tokens.starts, start)
    last_token = bisect.bisect_left(tokens.starts, end) - 1
    if first_token <= last_token:
        first, last = tokens.sentence_of[first_token], tokens.sentence_of[last_token]
    else:  # no word inside the span: the sentence around its start
        starts = [a for a, _ in spans]
        first = last = max(0, bisect.bisect_right(starts, start) - 1)
    return spans[first][0], spans[last][1]


class _Article:
    """One article's tokens with the lookups attribution needs: quotes, boundaries, paragraphs."""

    def __init__(self, article: Article, tokens: Tokens) -> None:
        self.article, self.tokens, self.text = article, tokens, article.text
        self.words = [key(word) for word in tokens.words]
        self.quotes = find_direct_quotes(article.text, article.regions)
        quote_starts = [a for a, _ in self.quotes]
        self.quoted = []
        for position in tokens.starts:
            index = bisect.bisect_right(quote_starts, position) - 1
            self.quoted.append(index >= 0 and position < self.quotes[index][1])
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", article.text)]
        self.sentence_tokens: list[tuple[int, int]] = [(0, 0)] * len(tokens.sentence_spans)
        for sentence in range(len(tokens.sentence_spans)):
            first = bisect.bisect_left(tokens.sentence_of, sentence)
            self.sentence_tokens[sentence] = (first, bisect.bisect_right(tokens.sentence_of, sentence))

    def paragraph(self, position: int) -> int:
        return bisect.bisect_right(self.line_starts, position) - 1

    def boundary(self, index: int) -> bool:
        """True when punctuation (or a sentence end) separates token ``index`` from the one before.

        The period of an abbreviation ("Mr. Trump", "Sen. Cruz") is no boundary.
        """
        if index <= 0 or self.tokens.sentence_of[index] != self.tokens.sentence_of[index - 1]:
            return True
        gap = self.text[self.tokens.ends[index - 1]:self.tokens.starts[index]].strip()
        return bool(gap) and not (gap == "." and self.words[index - 1] in _abbreviations())

    def surface(self, first: int, last: int) -> str:
        return self.text[self.tokens.starts[first]:self.tokens.ends[last]]

    def tokens_in(self, start: int, end: int) -> range:
        return range(bisect.bisect_left(self.tokens.starts, start), bisect.bisect_left(self.tokens.starts, end))


def _alias_match(words: Sequence[str]) -> tuple[int, int, str] | None:
    """The longest alias inside ``words``: (first, last, source), or None."""
    for alias, source in load_aliases():
        size = len(alias)
        for offset in range(len(words) - size + 1):
            if tuple(words[offset:offset + size]) == alias:
                return offset, offset + size - 1, source
    return None


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _resolve(view: _Article, first: int, last: int) -> tuple[str, str] | None:
    """A speaker's tokens → (source, how) with how "named" or "pronoun"; None if not a speaker."""
    words = view.words[first:last + 1]
    match = _alias_match(words)
    if match is not None:
        _, end, source = match
        possessed = end + 2 <= len(words) - 1 and words[end + 1] == "'s"
        if not possessed or words[end + 2] in _DOCUMENT_NOUNS:
            return source, "named"
    if len(words) == 1 and words[0] in _PRONOUNS:
        return "", "pronoun"
    if words[-1] in _NOT_SOURCES or words[0] in _NOT_SOURCES:
        return None
    if words[0] == "the" and len(words) <= 3 and _singular(words[-1]) in _ANAPHORIC_HEADS:
        return "", "pronoun"
    titles = load_titles()
    sentence_first = view.sentence_tokens[view.tokens.sentence_of[first]][0]
    name: list[int] = []
    for index in range(first, last + 1):
        surface = view.surface(index, index)
        capital = surface[:1].isupper() and index != sentence_first and view.words[index] not in titles
        if capital and view.words[index] != "'s":
            name = name + [index] if name and name[-1] == index - 1 else [index]
    if name:
        return " ".join(view.surface(i, i) for i in name), "named"
    if _singular(words[-1]) in _SOURCE_NOUNS or words[-1] in _SOURCE_NOUNS:
        start = first
        while start < last and view.words[start] in _DETERMINERS:
            start += 1
        return view.surface(start, last), "named"
    return None


class _CueFinder:
    """Finds attribution cues in a sentence; one instance per article."""

    def __init__(self, view: _Article) -> None:
        self.view = view
        self.verbs = load_verbs()

    def np_before(self, verb: int, low: int) -> tuple[int, int] | None:
        view, j = self.view, verb - 1
        if view.boundary(verb):
            return None
        while j >= low and not view.quoted[j] and view.words[j] in _SKIP and not view.boundary(j + 1):
            j -= 1
        if j < low or view.quoted[j] or view.boundary(j + 1) and j != verb - 1:
            return None
        end = j
        while j >= low and not view.quoted[j] and view.words[j] not in _NP_STOP and end - j < 6:
            if view.boundary(j):
                return j, end
            j -= 1
        return (j + 1, end) if j + 1 <= end else None

    def np_after(self, index: int, high: int) -> tuple[int, int] | None:
        view = self.view
        while index < high and view.words[index] in ("by", "in", "to", "from") and not view.quoted[index]:
            index += 1
        if index >= high or view.quoted[index] or view.words[index] in _NP_STOP_AFTER:
            return None
        end = index
        while end + 1 < high and end - index < 7 and not view.quoted[end + 1] and not view.boundary(end + 1) \
                and view.words[end + 1] not in _NP_STOP_AFTER:
            end += 1
        return index, end

    def cues(self, sentence: int) -> list[_Cue]:
        view = self.view
        low, high = view.sentence_tokens[sentence]
        found = []
        k = low
        while k < high:
            if view.quoted[k]:
                k += 1
                continue
            if view.text[view.tokens.starts[k]].isupper() and k != low:  # "United States" is no verb
                k += 1
                continue
            pair = tuple(view.words[k:k + 2])
            if len(pair) == 2 and pair in self.verbs and not view.quoted[k + 1] and k + 1 < high and not view.boundary(k + 1):
                form, span = pair, 2
            elif (view.words[k],) in self.verbs:
                form, span = (view.words[k],), 1
            else:
                k += 1
                continue
            verb, use = self.verbs[form]
            cue = self._cue(sentence, k, k + span - 1, verb, use, low, high)
            if cue is not None:
                found.append(cue)
            k += span
        return found

    def _cue(self, sentence: int, first: int, last: int, verb: str, use: str, low: int, high: int) -> _Cue | None:
        view = self.view
        if use == "shield":
            return _Cue(sentence, first, last, first, last, verb, use, None, False, False, UNATTRIBUTED, "shield")
        np_after, start = False, first
        if verb == "according to":
            np, np_after = self.np_after(last + 1, high), True
        elif first > low and view.words[first - 1] == "as" and not view.boundary(first):
            np, np_after, start = self.np_after(last + 1, high), True, first - 1
        elif last + 1 < high and view.words[last + 1] == "by" and not view.boundary(last + 1):
            np, np_after = self.np_after(last + 1, high), True
        else:
            np = self.np_before(first, low)
            if np is None and (first == low or view.boundary(first)):
                np, np_after = self.np_after(last + 1, high), True
        if np is None:
            return None
        if use == "after_quote" and (np_after or np[0] == low or not view.quoted[np[0] - 1]):
            return None
        resolved = _resolve(view, *np)
        if resolved is None:
            return None
        source, how = resolved
        that = not np_after and last + 1 < high and view.words[last + 1] == "that"
        that = that or (not np_after and any(view.words[i] == "that" for i in range(last + 1, min(high, last + 5))))
        cue_first = min(start, np[0])
        cue_last = max(last, np[1])
        return _Cue(sentence, cue_first, cue_last, first, last, verb, use, np, np_after, that, source, how)


def _subject(view: _Article, sentence: int) -> str:
    """The named speaker that opens a sentence (its likely subject), or ''."""
    low, high = view.sentence_tokens[sentence]
    window = [i for i in range(low, min(high, low + 5)) if not view.quoted[i]]
    if not window:
        return ""
    match = _alias_match(view.words[window[0]:window[-1] + 1])
    return match[2] if match else ""


def _resolve_pronouns(view: _Article, cues: list[_Cue]) -> list[_Cue]:
    """Give pronoun speakers the previous named speaker of their paragraph, else ``unattributed``."""
    resolved: list[_Cue] = []
    for cue in cues:
        if cue.resolved != "pronoun":
            resolved.append(cue)
            continue
        position = view.tokens.starts[cue.first]
        paragraph = view.paragraph(position)
        source = ""
        for earlier in reversed(resolved):
            if earlier.resolved == "named" and view.paragraph(view.tokens.starts[earlier.first]) == paragraph \
                    and earlier.source != UNATTRIBUTED:
                source = earlier.source
                break
        sentence = cue.sentence - 1
        while not source and sentence >= 0 and view.paragraph(view.tokens.sentence_spans[sentence][0]) == paragraph:
            source = _subject(view, sentence)
            sentence -= 1
        resolved.append(_replace(cue, source=source or UNATTRIBUTED))
    return resolved


def _replace(cue: _Cue, **changes: object) -> _Cue:
    values = dict(zip(_Cue.__dataclass_fields__, astuple(cue)))
    values.update(changes)
    return _Cue(**values)  # type: ignore[arg-type]


def _possessive_speaker(view: _Article, sentence: int, before: int) -> tuple[str, str, str] | None:
    """A "Putin’s call for «…»" speaker before token ``before``: (source, noun, surface), or None."""
    low, _ = view.sentence_tokens[sentence]
    for m in range(before - 1, low, -1):
        if view.words[m] == "'s" and m + 1 < before and view.words[m + 1] in _DOCUMENT_NOUNS and not view.quoted[m]:
            first = m - 1
            while first - 1 >= low and not view.boundary(first) and m - first < 4 \
                    and view.words[first - 1] not in _NP_STOP and not view.quoted[first - 1]:
                first -= 1
            while first < m - 1 and not view.text[view.tokens.starts[first]].isupper() and view.words[first] != "the":
                first += 1
            resolved = _resolve(view, first, m - 1)
            if resolved and resolved[1] == "named":
                return resolved[0], view.words[m + 1], view.surface(first, m - 1)
    return None


def article_quotes(article: Article, tokens: Tokens | None = None) -> list[Quote]:
    """Direct quotes and paraphrases of one article, in text order."""
    tokens = tokens if tokens is not None else tokenize(article.text, article.regions)
    view = _Article(article, tokens)
    finder = _CueFinder(view)
    cues = _resolve_pronouns(view, [cue for s in range(len(tokens.sentence_spans)) for cue in finder.cues(s)])
    rows: list[Quote] = []
    used: set[int] = set()
    previous: tuple[int, str, str, str] | None = None  # (last sentence, source, verb, attribution) of the last quote
    for start, end in view.quotes:
        inside = view.tokens_in(start, end)
        if not inside:
            continue
        first_sentence, last_sentence = tokens.sentence_of[inside[0]], tokens.sentence_of[inside[-1]]
        near = [(i, cue) for i, cue in enumerate(cues) if first_sentence <= cue.sentence <= last_sentence]
        if near:
            def distance(item: tuple[int, _Cue]) -> int:
                cue = item[1]
                a, b = tokens.starts[cue.first], tokens.ends[cue.last]
                return max(0, start - b, a - end)
            index, cue = min(near, key=distance)
            used.add(index)
            source, verb, attribution = cue.source, cue.verb, _attribution(view, cue)
        elif (possessive := _possessive_speaker(view, first_sentence, inside[0])) is not None:
            source, verb, attribution = possessive
        elif previous is not None and previous[0] == first_sentence - 1 and _fills(view, first_sentence, last_sentence):
            source, verb, attribution = previous[1], "", CONTINUES
        else:
            source, verb, attribution = UNATTRIBUTED, "", ""
        sentence_start, sentence_end = sentence_range(tokens, start, end)
        rows.append(Quote(article.id, article.outlet, DIRECT, source, verb, len(inside), start, end,
                          article.text[start:end], sentence_start, sentence_end, attribution))
        previous = (last_sentence, source, verb, attribution)
    for index, cue in enumerate(cues):
        if index in used and not cue.that_clause:
            continue
        row = _paraphrase(view, cue)
        if row is not None:
            rows.append(row)
    return sorted(rows, key=lambda row: (row.start, row.end, row.kind))


def _fills(view: _Article, first: int, last: int) -> bool:
    """True when quotes take up all but a few words of sentences ``first``..``last``."""
    low, high = view.sentence_tokens[first][0], view.sentence_tokens[last][1]
    return sum(not view.quoted[i] for i in range(low, high)) <= 3


def _attribution(view: _Article, cue: _Cue) -> str:
    return view.surface(*cue.np) if cue.np else view.surface(cue.verb_first, cue.verb_last)


def _paraphrase(view: _Article, cue: _Cue) -> Quote | None:
    """The clause a cue reports, as a paraphrase row (None when nothing is left)."""
    low, high = view.sentence_tokens[cue.sentence]
    if cue.use == "shield":
        first, last = low, high - 1
    elif cue.np_after and cue.first > low:
        first, last = low, cue.first - 1
    elif cue.np_after:
        first, last = cue.last + 1, high - 1
    else:
        first, last = cue.verb_last + 1, high - 1
        if first < high and view.words[first] == "that":
            first += 1
    if first > last:
        return None
    tokens, article = view.tokens, view.article
    start, end = tokens.starts[first], tokens.ends[last]
    if view.quoted[last]:  # keep a closing quotation mark with the clause
        for quote_start, quote_end in view.quotes:
            if quote_start <= tokens.starts[last] < quote_end:
                end = quote_end
    words = sum(not view.quoted[i] for i in range(first, last + 1))
    sentence_start, sentence_end = tokens.sentence_spans[cue.sentence]
    return Quote(article.id, article.outlet, PARAPHRASE, cue.source, cue.verb, words, start, end,
                 article.text[start:end], sentence_start, sentence_end, _attribution(view, cue))


def _articles(corpus: Corpus | Iterable[Article]) -> Iterable[Article]:
    return corpus.articles if isinstance(corpus, Corpus) else corpus


def quotes_table(corpus: Corpus | Iterable[Article], tokens: dict[str, Tokens] | None = None) -> pd.DataFrame:
    """The ``quotes`` table (``QUOTE_COLUMNS``) of every article, sorted by article, then position.

    ``tokens`` maps article ids to their ``tokenize`` output, to reuse work already done.
    """
    rows = []
    for article in _articles(corpus):
        rows.extend(astuple(quote) for quote in article_quotes(article, (tokens or {}).get(article.id)))
    table = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    return table.sort_values(["article_id", "start", "end", "kind"], kind="mergesort").reset_index(drop=True)


def source_summary(quotes: pd.DataFrame) -> pd.DataFrame:
    """Per outlet and source: direct quotes, paraphrases, words given, and the verbs used.

    Sorted by outlet, then by words given (most first): who gets to speak, and at what length.
    """
    if quotes.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    keys = ["outlet", "source"]
    table = quotes.assign(direct=quotes["kind"] == DIRECT, paraphrase=quotes["kind"] == PARAPHRASE).groupby(keys).agg(
        direct=("direct", "sum"), paraphrase=("paraphrase", "sum"), quote_words=("quote_words", "sum"))
    uses = quotes[quotes["verb"] != ""].groupby(keys + ["verb"]).size().rename("uses").reset_index()
    uses = uses.sort_values(keys + ["uses", "verb"], ascending=[True, True, False, True], kind="mergesort")
    verbs: dict[tuple[str, str], list[str]] = {}
    for outlet, source, verb, count in uses.itertuples(index=False):
        verbs.setdefault((outlet, source), []).append(f"{verb} ×{count}")
    table["verbs"] = [", ".join(verbs.get(index, [])) for index in table.index]
    table = table.reset_index().astype({"direct": int, "paraphrase": int, "quote_words": int})[SUMMARY_COLUMNS]
    return table.sort_values(["outlet", "quote_words", "source"], ascending=[True, False, True],
                             kind="mergesort").reset_index(drop=True)


def verb_summary(quotes: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: how often each attribution verb is used (the verb itself is a framing choice)."""
    rows = quotes[quotes["verb"] != ""]
    table = rows.groupby(["outlet", "verb"]).size().rename("uses").reset_index()
    return table.sort_values(["outlet", "uses", "verb"], ascending=[True, False, True], kind="mergesort").reset_index(drop=True)[VERB_COLUMNS]
