"""Lexicons as data: loading CSV files and finding their entries in token streams.

Matching rules (after quanteda's ``tokens_lookup``), documented for users in
``lexicons/README.md``:

* a term is one token, a phrase of tokens separated by spaces, and any of its
  words may end in ``*`` (a prefix stem); ``#`` as a word matches any number;
* within one lexicon the longest entry starting at a token wins, left to right,
  and matches never overlap or cross a sentence boundary;
* an entry in category ``ignore`` matches like any other but yields nothing:
  it is how a lexicon blocks a false hit ("may #" keeps "May 5" from being a hedge);
* different lexicons match independently.

Lookup is kept apart from counting: ``LexiconSet.match`` returns ``Match``
records and ``framing.score`` turns them into evidence rows and scores.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .errors import LexiconError
from .tokens import Tokens, normalize

COLUMNS = ("term", "category", "weight", "note")
REQUIRED_COLUMNS = ("term", "category")
IGNORE_CATEGORY = "ignore"
STEM_MARK = "*"
NUMBER_MARK = "#"
MIN_STEM_LETTERS = 3
LEXICON_SUFFIXES = (".csv", ".tsv")

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


@dataclass(frozen=True)
class Lexicon:
    """The entries of one file; its name is the file's stem."""

    name: str
    path: str
    sha256: str
    entries: tuple[Entry, ...] = field(repr=False)

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
        found = []
        exact = self.exact.get(word)
        if exact is not None:
            found.append(exact)
        found.extend(node for prefix, node in self.stems.items() if word.startswith(prefix))
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
        self._candidates: dict[str, tuple[tuple[int, tuple[_Node, ...]], ...]] = {}
        self._known: set[str] = set()

    def __getitem__(self, name: str) -> Lexicon:
        for lexicon in self.lexicons:
            if lexicon.name == name:
                return lexicon
        raise KeyError(f"no lexicon named '{name}'; loaded lexicons: {', '.join(self.names)}")

    @property
    def names(self) -> list[str]:
        return [lexicon.name for lexicon in self.lexicons]

    def _resolve(self, word: str) -> None:
        """Cache the first trie nodes ``word`` reaches in each lexicon."""
        self._known.add(word)
        number = is_number(word)
        found = []
        for index, root in enumerate(self._roots):
            nodes = []
            exact = root.exact.get(word)
            if exact is not None:
                nodes.append(exact)
            if root.stems:
                for length in self._stem_lengths:
                    if length > len(word):
                        break
                    stem = root.stems.get(word[:length])
                    if stem is not None:
                        nodes.append(stem)
            if number and root.number is not None:
                nodes.append(root.number)
            if nodes:
                found.append((index, tuple(nodes)))
        if found:
            self._candidates[word] = tuple(found)

    @staticmethod
    def _longest(first_nodes: tuple[_Node, ...], position: int, next_word: str | None,
                 words: Sequence[str], sentence_of: Sequence[int], sentence: int) -> tuple[Entry | None, int]:
        """The longest entry (first in its file on a tie) starting at ``position``, and its last token."""
        best: Entry | None = None
        best_last = -1
        stack: list[tuple[_Node, int]] = []
        for node in first_nodes:
            entry = node.entry
            if entry is not None and (best is None or entry.line < best.line):
                best, best_last = entry, position
            if next_word is None:
                continue
            if node.stems or node.number is not None:
                stack.extend((child, position + 1) for child in node.next_nodes(next_word))
            else:
                child = node.exact.get(next_word)
                if child is not None:
                    stack.append((child, position + 1))
        count = len(words)
        while stack:
            node, last = stack.pop()
            entry = node.entry
            if entry is not None and (last > best_last or (last == best_last and entry.line < best.line)):
                best, best_last = entry, last
            following = last + 1
            if following < count and sentence_of[following] == sentence and (node.exact or node.stems or node.number):
                stack.extend((child, following) for child in node.next_nodes(words[following]))
        return best, best_last

    def match(self, tokens: Tokens) -> list[Match]:
        """Every non-ignored match in ``tokens``, ordered by position then lexicon name."""
        words, sentence_of = tokens.words, tokens.sentence_of
        for word in set(words).difference(self._known):
            self._resolve(word)
        candidates_of = self._candidates
        count = len(words)
        next_free = [0] * len(self.lexicons)
        matches: list[Match] = []
        for position in [index for index, word in enumerate(words) if word in candidates_of]:
            sentence = sentence_of[position]
            following = position + 1
            next_word = words[following] if following < count and sentence_of[following] == sentence else None
            for index, first_nodes in candidates_of[words[position]]:
                if next_free[index] > position:
                    continue
                best, best_last = self._longest(first_nodes, position, next_word, words, sentence_of, sentence)
                if best is not None:
                    next_free[index] = best_last + 1
                    if best.category != IGNORE_CATEGORY:
                        matches.append(Match(best, position, best_last))
        return matches


def default_lexicon_dir() -> Path:
    """The ``lexicons/`` folder of the source tree (the package is installed editable from it)."""
    return Path(__file__).resolve().parent.parent / "lexicons"


def lexicon_files(folder: Path) -> list[Path]:
    """Lexicon files in a folder, sorted by name."""
    return sorted(path for path in folder.iterdir() if path.is_file() and path.name.endswith(LEXICON_SUFFIXES))


def load_lexicons(folders: Iterable[str | Path] | None = None) -> LexiconSet:
    """Load every lexicon file in ``folders`` (default: the bundled ``lexicons/``)."""
    folders = [Path(folder) for folder in (folders or [default_lexicon_dir()])]
    lexicons = []
    for folder in folders:
        if not folder.is_dir():
            raise LexiconError(folder, "no such lexicon folder")
        files = lexicon_files(folder)
        if not files:
            raise LexiconError(folder, "no lexicon files (*.csv, *.tsv) in this folder")
        lexicons.extend(read_lexicon(path) for path in files)
    names = [lexicon.name for lexicon in lexicons]
    for lexicon in lexicons:
        if names.count(lexicon.name) > 1:
            raise LexiconError(lexicon.path, f"a second lexicon named '{lexicon.name}'; rename one of the files")
    return LexiconSet(lexicons)


def parse_term(term: str) -> tuple[str, ...]:
    """The normalized words of a term, as the tokenizer would produce them."""
    return tuple(normalize(word) for word in term.split())


def read_lexicon(path: str | Path) -> Lexicon:
    """Read one lexicon file; the first bad row raises with its file and line."""
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LexiconError(path, f"not valid UTF-8 at byte {error.start}; save the file as CSV UTF-8", line=line) from None
    delimiter = "\t" if path.suffix == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise LexiconError(path, f"missing column(s) {', '.join(missing)}; the header must be {','.join(COLUMNS)}", line=1)
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise LexiconError(path, f"unknown column(s) {', '.join(unknown)}; valid columns are {', '.join(COLUMNS)}", line=1)
    entries = []
    for row in reader:
        line = reader.line_num
        term = (row.get("term") or "").strip()
        category = (row.get("category") or "").strip().lower()
        if not term and not category and not (row.get("weight") or "").strip():
            continue
        if not term:
            raise LexiconError(path, "empty term", line=line)
        if not category:
            raise LexiconError(path, f"empty category for term '{term}'", line=line)
        raw_weight = (row.get("weight") or "").strip()
        try:
            weight = float(raw_weight) if raw_weight else 1.0
        except ValueError:
            raise LexiconError(path, f"weight '{raw_weight}' is not a number", line=line) from None
        words = parse_term(term)
        for word in words:
            if word.endswith(STEM_MARK) and len(word) - 1 < MIN_STEM_LETTERS:
                raise LexiconError(path, f"stem '{word}' needs at least {MIN_STEM_LETTERS} letters before '*'", line=line)
        entries.append(Entry(path.stem, term, category, weight, (row.get("note") or "").strip(), words, str(path), line))
    return Lexicon(name=path.stem, path=str(path), sha256=hashlib.sha256(data).hexdigest(), entries=tuple(entries))
