"""Lexicons as data: loading spreadsheet files, layering overlays, checking them, and matching.

Matching rules (after quanteda's ``tokens_lookup``), documented for users in
``lexicons/README.md``:

* a term is one token, a phrase of tokens separated by spaces, and any of its
  words may end in ``*`` (a prefix stem); ``#`` as a word matches any number;
* within one lexicon the longest entry starting at a token wins, left to right,
  and matches never overlap or cross a sentence boundary;
* an entry in category ``ignore`` matches like any other but yields nothing:
  it is how a lexicon blocks a false hit ("may #" keeps "May 5" from being a hedge);
* different lexicons match independently.

Loading (``load_lexicons``) layers folders: the bundled ``lexicons/`` first (when asked
for), then each user folder over it. A user file named like a lexicon already loaded is an
*overlay*: a row with the same term replaces that entry (a new weight, category or note),
a row in category ``remove`` deletes it, any other row is added. A file with a new name is
a new lexicon. Every file is checked (``framing.lexicon_check``) and every problem is reported
with its ``file:line``; ``load_lexicons`` refuses lexicons with errors, all listed in one
``LexiconProblems`` error, so a bad file never gives a half-right report.

Reading the file formats (CSV, TSV, .xlsx) is ``framing.lexicon_files``' job; layering and
checking them is ``framing.lexicon_check``'s.

Lookup is kept apart from counting: ``LexiconSet.match`` returns ``Match``
records and ``framing.score`` turns them into evidence rows and scores.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import chain, compress, islice
from pathlib import Path
from typing import Iterable, Sequence

from .lexicon_files import COLUMNS, REQUIRED_COLUMNS, TABLE_SUFFIXES, is_table_file
from .tokens import Tokens, normalize

__all__ = [
    "COLUMNS", "REQUIRED_COLUMNS", "Entry", "Lexicon", "LexiconFile", "LexiconSet", "Match", "default_lexicon_dir",
    "is_number", "lexicon_files", "load_lexicons", "parse_term", "read_lexicon",
]

IGNORE_CATEGORY = "ignore"
REMOVE_CATEGORY = "remove"
STEM_MARK = "*"
NUMBER_MARK = "#"
MIN_STEM_LETTERS = 3
LEXICON_SUFFIXES = TABLE_SUFFIXES

NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion trillion dozen half".split()
)
# Units that make a number-word compound a number ("two-hour", "thirty-day"); "one-sided" is not one.
NUMBER_UNITS = frozenset(
    "second minute hour day night week month year decade century percent point mile kilometer "
    "meter foot inch pound ton dollar member person man woman seat vote game match round term".split()
)
_DIGITS = re.compile(r"\d[\d,.]*(?:-[\w-]+)?")


def is_number(word: str) -> bool:
    """True for a number token: digits, a number word, or a compound such as '90-minute' or 'two-hour'."""
    if _DIGITS.fullmatch(word):
        return True
    parts = word.split("-")
    if parts[0] not in NUMBER_WORDS:
        return False
    return all(part in NUMBER_WORDS or part.rstrip("s") in NUMBER_UNITS for part in parts[1:])


@dataclass(frozen=True)
class Entry:
    """One lexicon row: a term to match and what a match means."""

    lexicon: str
    term: str
    category: str
    weight: float
    note: str
    words: tuple[str, ...]
    path: str
    line: int
    order: int = field(default=0, compare=False)  # position in its lexicon: on a tie the earlier entry wins


@dataclass(frozen=True)
class LexiconFile:
    """One file that went into a lexicon: the bundled file or an overlay, with its content hash."""

    path: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class Lexicon:
    """The entries of one lexicon; its name is the file's stem (lower-cased).

    ``files`` lists the bundled file and every overlay layered on it, in order. ``path`` and
    ``sha256`` name all of them (joined by ' + '), so a report that prints them lists every file.
    """

    name: str
    files: tuple[LexiconFile, ...]
    entries: tuple[Entry, ...] = field(repr=False)

    @property
    def path(self) -> str:
        return " + ".join(item.path for item in self.files)

    @property
    def sha256(self) -> str:
        return " + ".join(item.sha256 for item in self.files)

    @property
    def categories(self) -> list[str]:
        """Categories that produce matches, sorted."""
        return sorted({entry.category for entry in self.entries if entry.category != IGNORE_CATEGORY})


@dataclass(frozen=True)
class Match:
    """A lexicon entry found at tokens ``first`` .. ``last`` (inclusive)."""

    entry: Entry
    first: int
    last: int


def _entry_order(entry: Entry) -> int:
    return entry.order


class _Node:
    """One step of a lexicon trie: the entries' next words, exact, stem or number."""

    __slots__ = ("exact", "stems", "number", "entry")

    def __init__(self) -> None:
        self.exact: dict[str, _Node] = {}
        self.stems: dict[str, _Node] = {}
        self.number: _Node | None = None
        self.entry: Entry | None = None

    def child(self, pattern: str) -> "_Node":
        """The node for ``pattern`` below this one, created when missing."""
        if pattern == NUMBER_MARK:
            if self.number is None:
                self.number = _Node()
            return self.number
        table = self.stems if pattern.endswith(STEM_MARK) else self.exact
        key = pattern[:-1] if pattern.endswith(STEM_MARK) else pattern
        if key not in table:
            table[key] = _Node()
        return table[key]

    def next_nodes(self, word: str) -> list["_Node"]:
        """Nodes reached from here by ``word`` (beyond the first word, stems are few)."""
        exact = self.exact.get(word)
        found = [exact] if exact is not None else []
        if self.stems:
            found += [node for prefix, node in self.stems.items() if word.startswith(prefix)]
        if self.number is not None and is_number(word):
            found.append(self.number)
        return found


def _build_trie(entries: Iterable[Entry]) -> _Node:
    root = _Node()
    for entry in entries:
        node = root
        for pattern in entry.words:
            node = node.child(pattern)
        if node.entry is None:  # the same term twice: the first row counts
            node.entry = entry
    return root


class LexiconSet:
    """Several lexicons matched in one pass over the tokens.

    Each lexicon is a trie of its terms. The nodes a word can start are looked up once per
    word type and cached, so the per-token work is a set lookup; only tokens that can start
    an entry walk the trie, and a walk costs one dictionary lookup per word.
    """

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        self.lexicons = tuple(sorted(lexicons, key=lambda lexicon: lexicon.name))
        self._roots = [_build_trie(lexicon.entries) for lexicon in self.lexicons]
        self._stem_lengths = sorted({len(prefix) for root in self._roots for prefix in root.stems})
        # Every stem has at least MIN_STEM_LETTERS letters: a word whose opening letters begin no stem skips the stems.
        self._stem_openings = {prefix[:MIN_STEM_LETTERS] for root in self._roots for prefix in root.stems}
        # First words of every lexicon in one place: a word type is resolved with one lookup per stem length.
        self._first_exact: dict[str, list[tuple[int, _Node]]] = {}
        self._first_stems: dict[str, list[tuple[int, _Node]]] = {}
        self._first_numbers = [(index, root.number) for index, root in enumerate(self._roots) if root.number]
        for index, root in enumerate(self._roots):
            for word, node in root.exact.items():
                self._first_exact.setdefault(word, []).append((index, node))
            for prefix, node in root.stems.items():
                self._first_stems.setdefault(prefix, []).append((index, node))
        self._candidates: dict[str, tuple[tuple[int, tuple[_Node, ...], Entry | None, frozenset[str] | None], ...]] = {}
        self._known: set[str] = set()
        # Where a match can start: a word in _starters always; a word that only begins phrases, just
        # before a word that continues one of them (the pair is in _openers). Checked at C speed.
        self._starters: set[str] = set()
        self._openers: set[tuple[str, str]] = set()

    def __getitem__(self, name: str) -> Lexicon:
        for lexicon in self.lexicons:
            if lexicon.name == name:
                return lexicon
        raise KeyError(f"no lexicon named '{name}'; loaded lexicons: {', '.join(self.names)}")

    @property
    def names(self) -> list[str]:
        return [lexicon.name for lexicon in self.lexicons]

    def _resolve(self, word: str) -> None:
        """Cache, per lexicon, the first trie nodes ``word`` reaches, the best entry ending there,
        and the exact next words that could extend it (None: stems or numbers follow, always walk).

        The word joins ``_known`` last, so a copy taken half-way (a pickled LexiconSet) only resolves it again.
        """
        hits = list(self._first_exact.get(word, ()))
        if word[:MIN_STEM_LETTERS] in self._stem_openings:
            for length in self._stem_lengths:
                if length > len(word):
                    break
                hits.extend(self._first_stems.get(word[:length], ()))
        if self._first_numbers and is_number(word):
            hits.extend(self._first_numbers)
        if not hits:
            self._known.add(word)
            return
        nodes_of: dict[int, list[_Node]] = {}
        for index, node in hits:
            nodes_of.setdefault(index, []).append(node)
        found = []
        for index in sorted(nodes_of):
            nodes = nodes_of[index]
            endings = [node.entry for node in nodes if node.entry is not None]
            ending = endings[0] if len(endings) == 1 else min(endings, key=_entry_order, default=None)
            if any(node.stems or node.number is not None for node in nodes):
                following = None
            else:
                following = frozenset(key for node in nodes for key in node.exact)
            found.append((index, tuple(nodes), ending, following))
        if found:
            self._candidates[word] = tuple(found)
            if any(ending is not None or following is None for _, _, ending, following in found):
                self._starters.add(word)
            else:
                self._openers.update((word, after) for _, _, _, following in found for after in following)
        self._known.add(word)

    @staticmethod
    def _longest(first_nodes: tuple[_Node, ...], position: int, words: Sequence[str], end: int) -> tuple[Entry | None, int]:
        """The longest entry (first in its lexicon on a tie) starting at ``position`` and ending before ``end``
        (its sentence's end), and its last token."""
        best: Entry | None = None
        best_last = -1
        stack = [(node, position) for node in first_nodes]
        while stack:
            node, last = stack.pop()
            entry = node.entry
            if entry is not None and (last > best_last or (last == best_last and entry.order < best.order)):
                best, best_last = entry, last
            following = last + 1
            if following < end:
                if node.stems or node.number is not None:
                    stack += [(child, following) for child in node.next_nodes(words[following])]
                elif node.exact:
                    child = node.exact.get(words[following])
                    if child is not None:
                        stack.append((child, following))
        return best, best_last

    def first_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """The exact words entries start with, and the stems (the letters before ``*``) they start with."""
        return frozenset(self._first_exact), frozenset(self._first_stems)

    def starts_with_numbers(self) -> bool:
        """Whether some entry starts with a number (#)."""
        return bool(self._first_numbers)

    def may_start(self, word: str) -> bool:
        """A quick test: False means no entry starts with this normalized word (``candidates`` is empty)."""
        return (word in self._first_exact or word[:MIN_STEM_LETTERS] in self._stem_openings
                or (bool(self._first_numbers) and is_number(word)))

    def candidates(self, word: str) -> tuple[tuple[int, tuple[_Node, ...], Entry | None, frozenset[str] | None], ...]:
        """Per lexicon, the trie nodes a normalized word reaches first, the entry ending there and the
        next words that can follow (see ``_resolve``); looked up once per word."""
        if word not in self._known:
            self._resolve(word)
        return self._candidates.get(word, ())

    def prepare(self, words: Iterable[str]) -> None:
        """Look up the word types not seen before (``match_sentences`` does it for its words)."""
        if not self._known.issuperset(words):  # after the first articles, nearly always known
            for word in set(words).difference(self._known):
                self._resolve(word)

    def match_sentences(self, words: Sequence[str], sentence_ends: Sequence[int]) -> list[list[tuple[int, int, Entry]]]:
        """Each sentence's matches as (first, last, entry) token indices, by position then lexicon, ``ignore`` included.

        ``sentence_ends[i]`` is the index after sentence i's last word; matches never cross it.
        Where a match can start is found at C speed: a word in ``_starters``, or a word that only
        opens phrases followed by a word that continues one (a pair in ``_openers``), so common
        words that merely begin an ``ignore`` phrase ("the", "in") cost one set lookup.
        """
        self.prepare(words)
        candidates_of = self._candidates
        count = len(words)
        positions = sorted(chain(
            compress(range(count), map(self._starters.__contains__, words)),
            compress(range(count), map(self._openers.__contains__, zip(words, islice(words, 1, None)))),
        ))
        per_sentence: list[list[tuple[int, int, Entry]]] = [[] for _ in sentence_ends]
        next_free = [0] * len(self._roots)
        end = -1
        for position in positions:
            if position >= end:
                sentence = bisect_right(sentence_ends, position)
                end = sentence_ends[sentence]
                found = per_sentence[sentence]
            following = position + 1
            next_word = words[following] if following < end else None
            for index, first_nodes, ending, continuations in candidates_of[words[position]]:
                if next_free[index] > position:
                    continue
                if continuations is not None and next_word not in continuations:
                    if ending is None:
                        continue
                    best, last = ending, position
                else:
                    best, last = self._longest(first_nodes, position, words, end)
                    if best is None:
                        continue
                next_free[index] = last + 1
                found.append((position, last, best))
        return per_sentence

    def match(self, tokens: Tokens, include_ignored: bool = False) -> list[Match]:
        """Every match in ``tokens`` (not ``ignore`` ones unless asked), ordered by position then lexicon name."""
        return [Match(entry, first, last)
                for found in self.match_sentences(tokens.words, tokens.sentence_ends)
                for first, last, entry in found
                if include_ignored or entry.category != IGNORE_CATEGORY]


def default_lexicon_dir() -> Path:
    """The ``lexicons/`` folder of the source tree (the package is installed editable from it)."""
    return Path(__file__).resolve().parent.parent / "lexicons"


def lexicon_files(folder: str | Path) -> list[Path]:
    """Lexicon files in a folder (.csv, .tsv, .xlsx; not a spreadsheet's lock or hidden files), sorted by name."""
    return sorted(path for path in Path(folder).iterdir() if path.is_file() and is_table_file(path))


def parse_term(term: str) -> tuple[str, ...]:
    """The normalized words of a term, as the tokenizer would produce them."""
    return tuple(normalize(word) for word in term.split())


def load_lexicons(folders: Iterable[str | Path] | None = None, *, defaults: bool | None = None) -> LexiconSet:
    """Load and check lexicons; raises ``lexicon_check.LexiconProblems`` (every error, one per line) if a file is bad.

    ``folders`` are lexicon folders (or single files) layered in order, each over the ones
    before it. ``defaults``: put the bundled ``lexicons/`` underneath; by default only when
    no folders are given, so ``load_lexicons([mine])`` uses ``mine`` alone and
    ``load_lexicons([mine], defaults=True)`` layers it over the bundled lexicons.
    """
    from .lexicon_check import check_lexicons  # imported here: the checks build on this module's types

    return check_lexicons(folders, defaults=defaults).lexicon_set()


def read_lexicon(path: str | Path) -> Lexicon:
    """Read and check one lexicon file on its own; raises ``lexicon_check.LexiconProblems`` listing every error."""
    from .lexicon_check import check_lexicons  # imported here: the checks build on this module's types

    path = Path(path)
    lexicons = check_lexicons([path], defaults=False).lexicon_set()
    return lexicons[path.stem.lower()]
