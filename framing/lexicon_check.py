"""Checking lexicon files, and layering a user's folders over the bundled lexicons.

``check_lexicons`` reads every layer (the bundled ``lexicons/`` first when asked for, then
each user folder or file), merges overlays into the lexicons they change, and returns the
lexicons with every problem it found, each a ``Problem`` at ``file:line`` with the fix:

* **errors**, the file cannot be used as it is: unreadable text, a missing header, an
  unknown column, an empty term or category, a weight that is not a number, a term the
  tokenizer can never produce (each word of a term is run through ``framing.tokens.tokenize``
  and compared), a stem too short, the same term twice with different categories or
  weights, a category a scored lexicon does not know, a ``remove`` row with nothing to
  remove, a bad file name;
* **warnings**, it can be used but probably does not do what was meant: an entry that never
  counts (an earlier entry of the same length matches the same words), an entry that does
  not count inside a longer phrase of another category, a category new to a bundled lexicon
  or spelled almost like another, a row listed twice, a weight of 0, files that are not read.

Overlay rules (documented for users in ``lexicons/README.md``): a file named like a lexicon
already loaded changes it: a row with a term it has replaces that entry, a row in category
``remove`` deletes it, any other row is added; the overlay's entries come first, so on a tie
between two entries of the same length the overlay wins. A file with a new name is a new
lexicon. ``load_lexicons`` (in ``framing.lexicon``) calls ``check_lexicons`` and raises one
``LexiconProblems`` listing every error.

Results are cached by the path and content of every file, so loading the same lexicons
again (every ``score`` call does) costs a hash of the files.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import LexiconError
from .lexicon import (
    IGNORE_CATEGORY, MIN_STEM_LETTERS, NUMBER_MARK, REMOVE_CATEGORY, STEM_MARK, Entry, Lexicon, LexiconFile, LexiconSet,
    default_lexicon_dir, is_number, lexicon_files, parse_term,
)
from .lexicon_files import OTHER_SPREADSHEET_SUFFIXES, Problem, Table, is_table_file, read_table
from .tokens import tokenize

# Lexicons whose categories the scorer interprets: only these categories (and ignore, remove) are valid.
CLOSED_CATEGORIES = {
    "tone": ("positive", "negative"),
    "modifiers": ("negator", "intensifier", "diminisher", "contrast"),
}
RESERVED_NAMES = {"quotes": "evidence rows for direct quotations use the lexicon name 'quotes'"}
_NAME = re.compile(r"[a-z0-9_]+")

class LexiconProblems(LexiconError):
    """Lexicon files that cannot be used: every error, one ``file:line: problem`` per line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        super().__init__(first.path, first.message, first.line)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


@dataclass(frozen=True)
class LexiconCheck:
    """What ``check_lexicons`` found: the lexicons it could build and every problem, in file order."""

    lexicons: tuple[Lexicon, ...] = field(repr=False)
    problems: tuple[Problem, ...]
    files: tuple[str, ...]  # every lexicon file read, in layer order (with or without problems)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    def lexicon_set(self) -> LexiconSet:
        """The lexicons, ready to match; raises ``LexiconProblems`` listing every error if there is one."""
        if self.errors:
            raise LexiconProblems(self.errors)
        return LexiconSet(self.lexicons)

    def problems_in(self, paths: Iterable[str | Path]) -> list[Problem]:
        """Every error, and the warnings located in ``paths`` (files, or folders and the files in them)."""
        inside = _inside(paths)
        return [problem for problem in self.problems if problem.is_error or inside(problem.path)]

    def files_in(self, paths: Iterable[str | Path]) -> list[str]:
        """The lexicon files read from ``paths`` (files, or folders)."""
        inside = _inside(paths)
        return [path for path in self.files if inside(path)]


def _inside(paths: Iterable[str | Path]) -> Callable[[str], bool]:
    wanted = [Path(path).resolve() for path in paths]

    def inside(location: str) -> bool:
        resolved = Path(location).resolve()
        return any(resolved == path or path in resolved.parents for path in wanted)

    return inside


def check_lexicons(paths: Iterable[str | Path] | None = None, *, defaults: bool | None = None) -> LexiconCheck:
    """Read lexicon folders (or files), layer them and check everything; never raises on a bad file.

    Layers and ``defaults`` as in ``load_lexicons``. Errors: the file cannot be used as it is
    (a report would be wrong); warnings: it can, but probably does not do what was meant.
    """
    layers = [Path(path) for path in (paths or [])]
    if defaults is None:
        defaults = not layers
    if defaults:
        layers.insert(0, default_lexicon_dir())
    key = _fingerprint(layers)
    cached = _CHECKED.get(key)
    if cached is not None:
        return cached
    checker = _Checker()
    if not layers:
        checker.problem("(no lexicons)", None, "no lexicon folders given; name a folder, or use the bundled lexicons")
    for layer in layers:
        checker.add_layer(layer)
    result = checker.finish()
    if len(_CHECKED) >= _CHECKED_MAX:
        _CHECKED.pop(next(iter(_CHECKED)))
    _CHECKED[key] = result
    return result


# Checked layers, by the path and content of every file in them: a file edited, added or removed changes the key.
_CHECKED: dict[tuple, LexiconCheck] = {}
_CHECKED_MAX = 8


def _fingerprint(layers: Sequence[Path]) -> tuple:
    def content(path: Path) -> tuple:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else path.is_dir()
        except OSError:
            digest = None
        return (str(path), str(path.resolve()), digest)

    key = []
    for layer in layers:
        key.append(content(layer))
        if layer.is_dir():
            key.extend(content(path) for path in sorted(layer.iterdir()))
    return tuple(key)


# --- rows and terms ---------------------------------------------------------------------------

_WEIGHT_FIXES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u00a0": "", " ": ""})
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def parse_weight(text: str) -> float | None:
    """A weight cell as a number: '1', '-0.74', '+2', '1,5' (decimal comma), '−1' (minus sign); None if it is none."""
    cleaned = text.translate(_WEIGHT_FIXES)
    if _DECIMAL_COMMA.fullmatch(cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _name_fix(text: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]+", "_", text.lower())).strip("_") or "name"


@lru_cache(maxsize=1 << 16)
def _tokenized(text: str) -> tuple[str, ...]:
    return tokenize(text).words


def term_problems(words: Sequence[str]) -> list[str]:
    """Why the words of a term can never match the tokenizer's output (empty list: they can)."""
    problems = []
    for word in words:
        if word == NUMBER_MARK or word == "'s":  # '#' is any number; "'s" is the token split off "Ukraine's"
            continue
        if NUMBER_MARK in word:
            problems.append(f"'#' must be a word of its own (it matches any number token): '{word}' can never match")
            continue
        if STEM_MARK in word[:-1]:
            problems.append(f"'*' may only end a word ('{word}'): a stem matches the words that begin with the letters before it")
            continue
        stem = word.endswith(STEM_MARK)
        core = word[:-1] if stem else word
        if stem and len(core) < MIN_STEM_LETTERS:
            problems.append(f"stem '{word}' needs at least {MIN_STEM_LETTERS} letters before '*' (it would match too many words)")
            continue
        probe = core + "x" if stem else core
        produced = _tokenized(probe)
        if produced == (probe,):
            continue
        if not produced:
            problems.append(f"'{word}' can never match: it has no letters or digits, and the tokenizer drops punctuation")
        elif stem:
            problems.append(f"stem '{word}' can never match: the tokenizer splits '{core}…' into {' + '.join(produced)}")
        else:
            problems.append(f"'{word}' can never match: the tokenizer reads it as {' + '.join(repr(t) for t in produced)}; "
                            f"write '{' '.join(produced)}'")
    return problems


# --- entries that keep others from counting ---------------------------------------------------


def _subsumes(pattern: str, other: str) -> bool:
    """True when every token ``other`` matches is also matched by ``pattern``."""
    if pattern == other:
        return True
    if other == NUMBER_MARK:
        return False
    if pattern == NUMBER_MARK:
        return not other.endswith(STEM_MARK) and is_number(other)
    if pattern.endswith(STEM_MARK):
        return (other[:-1] if other.endswith(STEM_MARK) else other).startswith(pattern[:-1])
    return False


class _FirstWords:
    """Entries by their first word, to find those whose first word covers a given pattern."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.exact: dict[str, list[Entry]] = {}
        self.stems: dict[str, list[Entry]] = {}
        self.numbers: list[Entry] = []
        for entry in entries:
            first = entry.words[0]
            if first == NUMBER_MARK:
                self.numbers.append(entry)
            elif first.endswith(STEM_MARK):
                self.stems.setdefault(first[:-1], []).append(entry)
            else:
                self.exact.setdefault(first, []).append(entry)
        self.lengths = sorted({len(prefix) for prefix in self.stems})
        self.cache: dict[str, list[Entry]] = {}

    def covering(self, pattern: str) -> list[Entry]:
        """Entries whose first word matches every token that ``pattern`` matches."""
        cached = self.cache.get(pattern)
        if cached is None:
            cached = self.cache[pattern] = self._covering(pattern)
        return cached

    def _covering(self, pattern: str) -> list[Entry]:
        found = list(self.exact.get(pattern, ()))
        if pattern != NUMBER_MARK:
            core = pattern[:-1] if pattern.endswith(STEM_MARK) else pattern
            for length in self.lengths:
                if length > len(core):
                    break
                found.extend(self.stems.get(core[:length], ()))
        if pattern == NUMBER_MARK or (not pattern.endswith(STEM_MARK) and is_number(pattern)):
            found.extend(self.numbers)
        return found


def _covers(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    return all(_subsumes(pattern, other) for pattern, other in zip(shorter, longer))


def _where(entry: Entry) -> str:
    return f"{entry.path}:{entry.line}"


# --- layering and checking ---------------------------------------------------------------------


class _Checker:
    """Reads layers of lexicon files, merges overlays and collects every problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.rank: dict[str, int] = {}
        self.layers: dict[str, list[list[Entry]]] = {}  # lexicon name -> entries of each file layered on it
        self.layer_of: dict[int, int] = {}  # id(entry) -> layer number
        self.files: dict[str, list[LexiconFile]] = {}
        self.present: dict[str, dict[tuple[str, ...], Entry]] = {}
        self.bundled = default_lexicon_dir().resolve()
        self.bundled_paths: dict[str, bool] = {}
        self.layer_number = 0
        self.read: list[str] = []
        self.new_categories: set[tuple[str, str]] = set()  # (lexicon, category) already warned about

    def problem(self, path: str | Path, line: int | None, message: str, severity: str = "error") -> None:
        self.rank.setdefault(str(path), len(self.rank))
        self.problems.append(Problem(str(path), line, message, severity))

    def add_layer(self, layer: Path) -> None:
        self.layer_number += 1
        self.rank.setdefault(str(layer), len(self.rank))
        if layer.is_file():
            if not is_table_file(layer):
                self.problem(layer, None, "not a lexicon file; lexicon files end in .csv, .tsv or .xlsx")
                return
            files = [layer]
        elif layer.is_dir():
            files = lexicon_files(layer)
            for other in sorted(layer.iterdir()):
                if other.is_file() and other.suffix.lower() in OTHER_SPREADSHEET_SUFFIXES and not other.name.startswith("."):
                    self.problem(other, None, f"not read: lexicon files end in .csv, .tsv or .xlsx; save it as "
                                              f"'{other.stem}.xlsx' or as CSV UTF-8", "warning")
            if not files:
                self.problem(layer, None, "no lexicon files (*.csv, *.tsv, *.xlsx) in this folder")
        else:
            self.problem(layer, None, "no such lexicon folder or file")
            return
        seen: dict[str, Path] = {}
        for path in files:
            self.rank.setdefault(str(path), len(self.rank))
            name = path.stem.lower()
            if name in seen:
                self.problem(path, None, f"a second file for lexicon '{name}' in one folder (also {seen[name].name}); "
                                         "keep one of them")
                continue
            seen[name] = path
            self.read.append(str(path))
            if not _NAME.fullmatch(name):
                self.problem(path, None, f"the file name gives the lexicon's name and its score columns, so it may hold only "
                                         f"letters, digits and '_'; rename it '{_name_fix(name)}{path.suffix}'")
                continue
            if name in RESERVED_NAMES:
                self.problem(path, None, f"'{name}' is a reserved name ({RESERVED_NAMES[name]}); rename the file")
                continue
            self.add_file(name, read_table(path))

    def add_file(self, name: str, table: Table) -> None:
        for problem in table.problems:
            self.problem(problem.path, problem.line, problem.message, problem.severity)
        if not table.header or (not table.rows and any(problem.is_error for problem in table.problems)):
            return
        base = self.present.get(name)
        entries = self.parse_rows(name, table, set() if base is None else {e.category for e in base.values()})
        if not table.rows and not any(problem.is_error for problem in table.problems):
            self.problem(table.path, None, "no entries: the file has a header but no rows", "warning")
        self.files.setdefault(name, []).append(LexiconFile(table.path, table.sha256, len(table.rows)))
        self.layers.setdefault(name, []).append(entries)
        present = self.present.setdefault(name, {})
        for entry in entries:
            self.layer_of[id(entry)] = self.layer_number
            if entry.category == REMOVE_CATEGORY:
                if entry.words in present:
                    del present[entry.words]
                else:
                    self.problem(entry.path, entry.line, self.unknown_target(name, entry, base))
            else:
                present[entry.words] = entry

    def unknown_target(self, name: str, entry: Entry, base: dict[tuple[str, ...], Entry] | None) -> str:
        if base is None:
            known = ", ".join(sorted(other for other in self.present if other != name)) or "none"
            return (f"unknown remove target '{entry.term}': no lexicon '{name}' is loaded before this file; 'remove' rows go in "
                    f"a file named like the lexicon they change (loaded lexicons: {known})")
        covering = [other for other in _FirstWords(list(base.values())).covering(entry.words[0])
                    if len(other.words) == len(entry.words) and _covers(entry.words, other.words)]
        if covering:
            other = min(covering, key=lambda item: item.line)
            return (f"unknown remove target '{entry.term}': {name} has no entry '{entry.term}', but '{other.term}' "
                    f"({_where(other)}) matches it; to stop counting '{entry.term}' alone, give it category 'ignore' instead")
        return (f"unknown remove target '{entry.term}': {name} has no entry '{entry.term}'; check the spelling "
                "(a 'remove' row names the term exactly as the lexicon lists it)")

    def parse_rows(self, name: str, table: Table, base_categories: set[str]) -> list[Entry]:
        closed = CLOSED_CATEGORIES.get(name)
        valid = (closed or ()) + (IGNORE_CATEGORY, REMOVE_CATEGORY)
        seen: dict[tuple[str, ...], Entry] = {}
        entries = []
        for line, row in table.rows:
            found: list[str] = []
            term = row.get("term", "")
            category = row.get("category", "").lower()
            raw_weight = row.get("weight", "")
            if not term:
                self.problem(table.path, line, "empty term; type the word or phrase in the 'term' column, or delete the row")
                continue
            if not category:
                hint = f"valid categories of {name}: {', '.join(valid)}" if closed else (
                    "name the count it belongs to, or use 'ignore' (block a false hit) or 'remove' (delete an entry "
                    "loaded before this file)")
                found.append(f"empty category for term '{term}'; {hint}")
            elif not _NAME.fullmatch(category):
                found.append(f"category '{category}' may hold only lowercase letters, digits and '_' (it becomes a "
                             f"column name); write '{_name_fix(category)}'")
            elif closed and category not in valid:
                found.append(f"unknown category '{category}' for {name}; valid categories: {', '.join(valid)}")
            weight = 1.0 if not raw_weight else parse_weight(raw_weight)
            if weight is None:
                found.append(f"weight '{raw_weight}' is not a number; write a number such as 1, 0.5 or -2")
            elif not math.isfinite(weight):
                found.append(f"weight '{raw_weight}' is not a finite number; write a number such as 1, 0.5 or -2")
            words = parse_term(term)
            found.extend(term_problems(words))
            if name == "tone" and weight is not None and category in ("positive", "negative"):
                if (category == "positive") != (weight > 0):
                    side = "above" if category == "positive" else "below"
                    given = f"{weight:g}" + (" (an empty weight means 1)" if not raw_weight else "")
                    found.append(f"{category} tone needs a weight {side} 0 (VADER's -4 … +4 scale); found {given}")
            for message in found:
                self.problem(table.path, line, message)
            if found:
                continue
            entry = Entry(name, term, category, float(weight), row.get("note", ""), words, table.path, line, len(entries))
            earlier = seen.get(words)
            if earlier is not None:
                self.duplicate(entry, earlier)
                continue
            seen[words] = entry
            if weight == 0 and category not in (IGNORE_CATEGORY, REMOVE_CATEGORY):
                self.problem(table.path, line, "weight 0 counts nothing; to block a false hit use category 'ignore', to "
                                               "delete an entry loaded before this file use 'remove'", "warning")
            if base_categories and category not in base_categories | {IGNORE_CATEGORY, REMOVE_CATEGORY} and not closed:
                self.problem(table.path, line, f"category '{category}' is new to {name} (its categories: "
                                               f"{', '.join(sorted(base_categories - {IGNORE_CATEGORY}))}); it adds the "
                                               f"column {name}_{category}_per_1k; check the spelling if you meant one of "
                                               "those", "warning")
                base_categories = base_categories | {category}
                self.new_categories.add((name, category))
            entries.append(entry)
        return entries

    def duplicate(self, entry: Entry, earlier: Entry) -> None:
        also = f"line {earlier.line}"
        if entry.category != earlier.category:
            self.problem(entry.path, entry.line, f"'{entry.term}' is listed twice with different categories: "
                                                 f"'{entry.category}' here, '{earlier.category}' on {also}; a term counts "
                                                 "in one category per lexicon, so keep one row (to count it in two, put "
                                                 "the other row in another lexicon file)")
        elif entry.weight != earlier.weight:
            self.problem(entry.path, entry.line, f"'{entry.term}' is listed twice with different weights: "
                                                 f"{entry.weight:g} here, {earlier.weight:g} on {also}; keep one row")
        else:
            self.problem(entry.path, entry.line, f"'{entry.term}' is listed twice (also on {also}); delete one row",
                         "warning")

    def merged(self, name: str) -> list[Entry]:
        """The entries of a lexicon: the latest layer's first (so on a tie an overlay wins), then older ones."""
        taken: set[tuple[str, ...]] = set()
        entries = []
        for layer in reversed(self.layers[name]):
            for entry in layer:
                if entry.words in taken:
                    continue
                taken.add(entry.words)
                if entry.category != REMOVE_CATEGORY:
                    entries.append(entry)
        return entries

    def is_bundled(self, entry: Entry) -> bool:
        known = self.bundled_paths.get(entry.path)
        if known is None:
            known = self.bundled_paths[entry.path] = Path(entry.path).resolve().parent == self.bundled
        return known

    def check_shadows(self, entries: list[Entry]) -> None:
        """Warnings for entries that a longer phrase, or an earlier entry of the same length, keeps from counting."""
        index = _FirstWords(entries)
        for entry in entries:
            for other in index.covering(entry.words[0]):
                if (other.order < entry.order and len(other.words) == len(entry.words) and other.words != entry.words
                        and _covers(entry.words, other.words)):
                    self.never_counts(entry, other)
                    break
        shadowed: dict[int, tuple[Entry, list[Entry]]] = {}
        for phrase in entries:
            if len(phrase.words) < 2 or phrase.category == IGNORE_CATEGORY:
                continue
            for start, pattern in enumerate(phrase.words):
                for short in index.covering(pattern):
                    size = len(short.words)
                    if (size >= len(phrase.words) or start + size > len(phrase.words)
                            or short.category in (phrase.category, IGNORE_CATEGORY)
                            or (self.is_bundled(short) and self.is_bundled(phrase))
                            or not _covers(phrase.words[start:start + size], short.words)):
                        continue
                    shadowed.setdefault(id(short), (short, []))[1].append(phrase)
        for short, phrases in shadowed.values():
            self.shadowed_by_phrases(short, phrases)

    def check_category_spelling(self, entries: list[Entry]) -> None:
        """A warning for a category spelled almost like a bigger one ('adaption' beside 'adaptation')."""
        sizes: dict[str, int] = {}
        first: dict[str, Entry] = {}
        for entry in entries:
            if entry.category != IGNORE_CATEGORY:
                sizes[entry.category] = sizes.get(entry.category, 0) + 1
                if entry.category not in first or (entry.path, entry.line) < (first[entry.category].path, first[entry.category].line):
                    first[entry.category] = entry
        for category, size in sorted(sizes.items()):
            bigger = [other for other in sizes if other != category and sizes[other] >= size]
            close = difflib.get_close_matches(category, bigger, n=1, cutoff=0.8)
            if close and (entries[0].lexicon, category) not in self.new_categories:
                entry = first[category]
                self.problem(entry.path, entry.line, f"category '{category}' ({size} entr{'ies' if size != 1 else 'y'}) "
                                                     f"looks like '{close[0]}' ({sizes[close[0]]} entries); check the "
                                                     "spelling: each spelling is a column of its own", "warning")

    def never_counts(self, entry: Entry, earlier: Entry) -> None:
        if self.layer_of[id(earlier)] > self.layer_of[id(entry)]:
            self.problem(earlier.path, earlier.line, f"'{earlier.term}' also matches '{entry.term}' ({_where(entry)}), "
                                                     f"so that entry ({entry.category}, {entry.weight:g}) no longer "
                                                     f"counts; add '{entry.term}' to this file too if it should keep "
                                                     "its own category or weight", "warning")
        else:
            self.problem(entry.path, entry.line, f"'{entry.term}' never counts: '{earlier.term}' "
                                                 f"({_where(earlier)}) matches the same words and comes first; move "
                                                 "this row above it, or delete it", "warning")

    def shadowed_by_phrases(self, short: Entry, phrases: list[Entry]) -> None:
        """Warn at the later file's row: the phrase's if it came later, else the shorter entry's."""
        later = [phrase for phrase in phrases if self.layer_of[id(phrase)] > self.layer_of[id(short)]]
        for phrase in later:
            self.problem(phrase.path, phrase.line, f"'{phrase.term}' ({phrase.category}) takes the words of "
                                                   f"'{short.term}' ({short.category}, {_where(short)}), so "
                                                   f"'{short.term}' does not count inside it", "warning")
        rest = [phrase for phrase in phrases if phrase not in later]
        if rest:
            listed = ", ".join(f"'{phrase.term}' ({phrase.category}, {_where(phrase)})" for phrase in rest[:3])
            more = f" and {len(rest) - 3} more" if len(rest) > 3 else ""
            self.problem(short.path, short.line, f"'{short.term}' ({short.category}) does not count inside {listed}{more}: "
                                                 "the longer entry takes those words", "warning")

    def finish(self) -> LexiconCheck:
        lexicons = []
        for name in sorted(self.layers):
            entries = self.merged(name)
            for order, entry in enumerate(entries):
                if entry.order != order:
                    entries[order] = replace_order(entry, order)
                    self.layer_of[id(entries[order])] = self.layer_of[id(entry)]
            self.check_shadows(entries)
            self.check_category_spelling(entries)
            lexicons.append(Lexicon(name=name, files=tuple(self.files[name]), entries=tuple(entries)))
        order = sorted(range(len(self.problems)),
                       key=lambda i: (self.rank[self.problems[i].path], self.problems[i].line or 0, i))
        return LexiconCheck(lexicons=tuple(lexicons), problems=tuple(self.problems[i] for i in order),
                            files=tuple(self.read))


def replace_order(entry: Entry, order: int) -> Entry:
    """The entry at position ``order`` of its lexicon."""
    return Entry(entry.lexicon, entry.term, entry.category, entry.weight, entry.note, entry.words, entry.path,
                 entry.line, order)
