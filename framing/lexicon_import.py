"""Importing other tools' dictionaries into a lexicon CSV.

Three formats are read:

* **LIWC** ``.dic``: a header block between two ``%`` lines maps category numbers to names
  (``1<TAB>posemo``); then one word per line with its category numbers
  (``happ*<TAB>1 3``). A word may hold spaces when the fields are tab-separated.
* **quanteda YAML** (``.yml`` / ``.yaml``): nested keys are categories (joined with ``_``:
  ``security: {military: [...]}`` gives ``security_military``), their lists are terms; a
  ``*`` glob at the end of a word becomes a stem, a phrase stays a phrase.
* **VADER**'s lexicon (``vader_lexicon.txt``): ``word<TAB>mean<TAB>sd<TAB>ratings``; the
  mean valence becomes the weight, its sign the category (``positive`` / ``negative``).

A lexicon counts a term in one category, so a word the source puts in several categories
is kept in the first (``categories`` picks which categories to import, and their order
decides). Rows that could never match (emoticons and other punctuation, which the tokenizer
drops; globs other than a final ``*``) are skipped. Every such decision is returned as a
``Problem`` at the source's ``file:line``, summed up per kind with the first line.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .errors import LexiconError
from .lexicon import parse_term
from .lexicon_check import term_problems
from .lexicon_files import COLUMNS, Problem, write_table

FORMATS = ("liwc", "yaml", "vader")
_SUFFIX_FORMATS = {".dic": "liwc", ".yml": "yaml", ".yaml": "yaml"}
_CATEGORY = re.compile(r"[^a-z0-9_]+")
_LIWC_CODE = re.compile(r"\([^)]*\)\S*|\S+")  # a code, or a conditional one such as "(02 134)125/464"


@dataclass(frozen=True)
class ImportedRow:
    """One row of the lexicon CSV, with the source line it came from."""

    term: str
    category: str
    weight: float
    note: str
    line: int


@dataclass(frozen=True)
class Imported:
    """A converted dictionary: its rows, the categories found, and what was skipped or decided."""

    source: str
    format: str
    rows: tuple[ImportedRow, ...]
    categories: tuple[str, ...]
    problems: tuple[Problem, ...]


def category_name(text: str) -> str:
    """A source category as a lexicon category: lower case, letters, digits and '_'."""
    return _CATEGORY.sub("_", text.strip().lower()).strip("_")


def detect_format(path: Path) -> str:
    """The format by file name (.dic, .yml, .yaml) or, for a .txt / .tsv file, VADER's tab-separated layout."""
    found = _SUFFIX_FORMATS.get(path.suffix.lower())
    if found:
        return found
    if path.suffix.lower() in (".txt", ".tsv"):
        with open(path, encoding="utf-8", errors="replace") as stream:
            for line in stream:
                if line.strip():
                    fields = line.rstrip("\n").split("\t")
                    if len(fields) >= 2 and re.fullmatch(r"[-+]?\d+(\.\d+)?", fields[1].strip()):
                        return "vader"
                    break
    raise LexiconError(path, f"cannot tell the format from the file name; pass --format with one of: {', '.join(FORMATS)}")


class _Notes:
    """Skipped rows and decisions, summed up per kind: one problem each, at the first line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.kinds: OrderedDict[str, list] = OrderedDict()
        self.problems: list[Problem] = []

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def note(self, kind: str, line: int, example: str) -> None:
        entry = self.kinds.setdefault(kind, [line, example, 0])
        entry[2] += 1

    def all(self) -> tuple[Problem, ...]:
        notes = [Problem(self.path, line, kind.format(example=example, count=count), "warning")
                 for kind, (line, example, count) in self.kinds.items()]
        return tuple(sorted(self.problems + notes, key=lambda problem: problem.line or 0))


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # old LIWC dictionaries are Latin-1; every byte decodes


def _liwc(path: Path, notes: _Notes) -> Iterator[tuple[int, str, list[str], float, str]]:
    lines = _read_text(path).splitlines()
    marks = [index for index, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        notes.error(1, "not a LIWC dictionary: the category header must sit between two lines holding only '%'")
        return
    names: dict[str, str] = {}
    for index in range(marks[0] + 1, marks[1]):
        fields = lines[index].split()
        if not fields:
            continue
        if len(fields) < 2:
            notes.error(index + 1, f"header line '{lines[index].strip()}' needs a number and a category name")
            continue
        names[fields[0]] = category_name(" ".join(fields[1:]))
    for index in range(marks[1] + 1, len(lines)):
        raw = lines[index]
        if not raw.strip():
            continue
        if "\t" in raw:
            word, _, rest = raw.strip().partition("\t")
            codes = _LIWC_CODE.findall(rest)
        else:
            fields = raw.split()
            split = len(fields)
            while split > 1 and fields[split - 1].isdigit():
                split -= 1
            word, codes = " ".join(fields[:split]), fields[split:]
        categories = []
        for code in codes:
            if code in names:
                categories.append(names[code])
            elif code.isdigit():
                notes.note("category number {example} is not in the header ({count} skipped)", index + 1, code)
            else:
                notes.note("LIWC's conditional categories (such as '{example}') are not supported ({count} skipped)",
                           index + 1, code)
        yield index + 1, word.strip(), categories, 1.0, f"imported from {path.name}"


def _yaml(path: Path, notes: _Notes) -> Iterator[tuple[int, str, list[str], float, str]]:
    import yaml  # a dependency of framing-lens; imported here as only YAML imports need it

    try:
        root = yaml.compose(_read_text(path))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        notes.error(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(error, 'problem', None) or error}")
        return
    if not isinstance(root, yaml.MappingNode):
        notes.error(1, "not a quanteda dictionary: the top level must map category names to lists of terms")
        return

    def walk(node, keys: list[str]) -> Iterator[tuple[int, str, list[str], float, str]]:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                yield from walk(value, keys + [str(key.value)])
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from walk(item, keys)
        elif isinstance(node, yaml.ScalarNode) and str(node.value).strip():
            category = category_name("_".join(keys))
            yield node.start_mark.line + 1, str(node.value).strip().lower(), [category], 1.0, f"imported from {path.name}"

    yield from walk(root, [])


def _vader(path: Path, notes: _Notes) -> Iterator[tuple[int, str, list[str], float, str]]:
    for number, raw in enumerate(_read_text(path).splitlines(), start=1):
        if not raw.strip():
            continue
        fields = raw.split("\t")
        try:
            mean = float(fields[1])
        except (IndexError, ValueError):
            notes.error(number, "not a VADER lexicon line: expected word<TAB>mean<TAB>sd<TAB>ratings")
            continue
        if mean == 0:
            notes.note("a mean valence of 0 has no tone (first '{example}'; {count} skipped)", number, fields[0])
            continue
        sd = f", sd {fields[2].strip()}" if len(fields) > 2 and fields[2].strip() else ""
        yield number, fields[0].strip(), ["positive" if mean > 0 else "negative"], mean, f"VADER mean valence {mean:g}{sd}"


_READERS = {"liwc": _liwc, "yaml": _yaml, "vader": _vader}


def import_dictionary(path: str | Path, fmt: str | None = None, categories: Sequence[str] = ()) -> Imported:
    """Convert a LIWC ``.dic``, a quanteda YAML dictionary or VADER's lexicon into lexicon rows.

    ``categories``: import only these (source names, compared after lower-casing); when a
    word is in several of them, the first one listed wins. Unknown names raise, listing the
    source's categories.
    """
    path = Path(path)
    if not path.is_file():
        raise LexiconError(path, "no such file")
    fmt = fmt or detect_format(path)
    if fmt not in _READERS:
        raise LexiconError(path, f"unknown format '{fmt}'; valid formats: {', '.join(FORMATS)}")
    notes = _Notes(str(path))
    wanted = [category_name(name) for name in categories]
    read = list(_READERS[fmt](path, notes))
    found = list(OrderedDict.fromkeys(category for _, _, cats, _, _ in read for category in cats))
    unknown = [name for name in wanted if name not in found]
    if unknown:
        raise LexiconError(path, f"no category {', '.join(repr(name) for name in unknown)} in this dictionary; "
                                 f"its categories: {', '.join(sorted(found))}")
    rows: list[ImportedRow] = []
    seen: dict[tuple[str, ...], ImportedRow] = {}
    for line, term, cats, weight, note in read:
        if wanted:
            cats = sorted((category for category in cats if category in wanted), key=wanted.index)
        if not cats:
            continue
        if "?" in term or any("*" in word[:-1] for word in term.split()):
            notes.note("globs other than a final '*' (such as '{example}') are not supported ({count} skipped)",
                       line, term)
            continue
        words = parse_term(term)
        if not words or term_problems(words):
            notes.note("terms that can never match the tokenizer's output (punctuation, emoticons, stems under 3 "
                       "letters; first '{example}') are left out ({count} skipped)", line, term)
            continue
        if words in seen:
            notes.note("terms listed twice (first '{example}') keep their first row ({count} skipped)", line, term)
            continue
        for dropped in cats[1:]:
            notes.note(f"words also in an earlier category stay there, not in '{dropped}' (first '{{example}}'; "
                       "{count} words); choose and order the categories with --category", line, term)
        row = ImportedRow(term, cats[0], weight, note, line)
        seen[words] = row
        rows.append(row)
    kept = tuple(name for name in (wanted or found) if any(row.category == name for row in rows))
    return Imported(source=str(path), format=fmt, rows=tuple(rows), categories=kept, problems=notes.all())


def write_lexicon_csv(rows: Sequence[ImportedRow], path: str | Path) -> Path:
    """Write rows as a lexicon CSV sorted by category and term (UTF-8 with a byte-order mark for Excel)."""
    ordered = sorted(rows, key=lambda item: (item.category, item.term))
    return write_table(path, COLUMNS, ([row.term, row.category, f"{row.weight:g}", row.note] for row in ordered))
