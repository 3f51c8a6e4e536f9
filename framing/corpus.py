"""Corpus loading: articles with the spans that are scored and the boilerplate that is not.

A corpus is a folder with an ``articles.csv`` manifest (one row per article file)
or a JSON Lines file (``.jsonl`` or ``.jsonl.gz``) with one article per line.
Every article's ``text`` starts with its headline line, so headlines are scored
the same way whichever format the corpus came in.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator

from .errors import CorpusError

MANIFEST_NAME = "articles.csv"
MANIFEST_COLUMNS = ("id", "outlet", "title", "date", "source_note", "file")
JSONL_FIELDS = ("id", "outlet", "title", "text")
REPEATED_CAPTION_MAX_WORDS = 12


@dataclass(frozen=True)
class Exclusion:
    """A span of an article left out of scoring, with the rule that removed it."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Article:
    """One article: its text verbatim, its metadata and what is excluded from scoring."""

    id: str
    outlet: str
    title: str
    date: str
    source_note: str
    text: str
    file: str = ""
    excluded: tuple[Exclusion, ...] = ()

    @property
    def regions(self) -> tuple[tuple[int, int], ...]:
        """The spans of ``text`` that are scored: everything not excluded."""
        spans, cursor = [], 0
        for exclusion in self.excluded:
            if exclusion.start > cursor:
                spans.append((cursor, exclusion.start))
            cursor = max(cursor, exclusion.end)
        if cursor < len(self.text):
            spans.append((cursor, len(self.text)))
        return tuple(spans)


@dataclass(frozen=True)
class Corpus:
    """A named collection of articles, in manifest order."""

    name: str
    path: str
    articles: tuple[Article, ...] = field(repr=False)

    @property
    def outlets(self) -> list[str]:
        """Outlet labels, sorted, each once."""
        return sorted({article.outlet for article in self.articles})


@lru_cache(maxsize=1)
def _boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    source = resources.files("framing").joinpath("data/boilerplate.txt").read_text("utf-8")
    return tuple(
        re.compile(line.strip(), re.IGNORECASE)
        for line in source.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def find_boilerplate(text: str) -> tuple[Exclusion, ...]:
    """Spans of ``text`` that are page furniture: known boilerplate lines and repeated captions."""
    lines = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        content = raw.strip()
        start = offset + (len(raw) - len(raw.lstrip()))
        lines.append((start, start + len(content), content))
        offset += len(raw)
    counts = Counter(content for _, _, content in lines if content)
    exclusions = []
    for start, end, content in lines:
        if not content:
            continue
        if any(pattern.fullmatch(content) for pattern in _boilerplate_patterns()):
            exclusions.append(Exclusion(start, end, "boilerplate line"))
        elif (
            counts[content] > 1
            and len(content.split()) <= REPEATED_CAPTION_MAX_WORDS
            and content[-1] not in ".?!\"”»"
        ):
            exclusions.append(Exclusion(start, end, "repeated caption"))
    return tuple(exclusions)


def make_article(
    id: str, outlet: str, title: str, text: str, date: str = "", source_note: str = "", file: str = ""
) -> Article:
    """Build an article and find its boilerplate; the one way articles are made."""
    return Article(
        id=id,
        outlet=outlet,
        title=title,
        date=date,
        source_note=source_note,
        text=text,
        file=file,
        excluded=find_boilerplate(text),
    )


def load_corpus(path: str | Path, columns: dict[str, str] | None = None) -> Corpus:
    """Load a manifest folder, a JSON Lines file or a CSV file; errors name the file and line.

    ``columns`` maps our field names (id, outlet, title, text, date) to the file's own
    column names, e.g. ``{"text": "body", "outlet": "source"}``, for JSONL and CSV files.
    """
    path = Path(path)
    if path.is_dir():
        return Corpus(name=path.name, path=str(path), articles=tuple(_read_manifest_folder(path)))
    if path.is_file() and path.name.endswith(JSONL_SUFFIXES):
        return Corpus(name=_stem(path), path=str(path), articles=tuple(iter_jsonl(path, columns)))
    if path.is_file() and path.name.endswith(CSV_SUFFIXES):
        return Corpus(name=_stem(path), path=str(path), articles=tuple(iter_csv(path, columns)))
    if not path.exists():
        raise CorpusError(path, f"no such file or folder; pass {KNOWN_CORPORA}")
    raise CorpusError(path, f"not a corpus: expected {KNOWN_CORPORA}")


JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
NONEMPTY_FIELDS = ("id", "outlet", "text")  # a title may be empty
CSV_SUFFIXES = (".csv", ".csv.gz")
KNOWN_CORPORA = "a folder with an articles.csv manifest, a .jsonl(.gz) file or a .csv(.gz) file"


def _stem(path: Path) -> str:
    name = path.name.removesuffix(".gz")
    for suffix in (".jsonl", ".csv"):
        name = name.removesuffix(suffix)
    return name


def _read_manifest_folder(folder: Path) -> Iterator[Article]:
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        raise CorpusError(folder, f"no {MANIFEST_NAME} manifest; it needs the columns {', '.join(MANIFEST_COLUMNS)}")
    raw = _read_utf8(manifest)
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    header = reader.fieldnames or []
    missing = [column for column in MANIFEST_COLUMNS if column not in header]
    if missing:
        raise CorpusError(manifest, f"missing column(s) {', '.join(missing)}; the header must name {', '.join(MANIFEST_COLUMNS)}", line=1)
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row or any(value is None for value in row.values()):
            raise CorpusError(manifest, f"expected {len(header)} fields, found a different number", line=line)
        values = {key: value.strip() for key, value in row.items()}
        for required in ("id", "outlet", "file"):
            if not values[required]:
                raise CorpusError(manifest, f"empty '{required}'", line=line)
        if values["id"] in seen:
            raise CorpusError(manifest, f"duplicate id '{values['id']}' (first on line {seen[values['id']]})", line=line)
        seen[values["id"]] = line
        article_path = folder / values["file"]
        if not article_path.is_file():
            raise CorpusError(manifest, f"article file '{values['file']}' not found in {folder}", line=line)
        yield make_article(
            id=values["id"],
            outlet=values["outlet"],
            title=values["title"],
            date=values["date"],
            source_note=values["source_note"],
            text=_read_utf8(article_path),
            file=values["file"],
        )
    if not seen:
        raise CorpusError(manifest, "no articles listed", line=1)


def _read_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CorpusError(path, f"not valid UTF-8 at byte {error.start}; save the file as UTF-8", line=line) from None
    return text.replace("\r\n", "\n")


def _open_text(path: Path):
    opener = gzip.open if path.name.endswith(".gz") else open
    return opener(path, "rt", encoding="utf-8", newline="")


def _article_from_record(record: dict, path: Path, line: int, columns: dict[str, str] | None) -> Article:
    """One article from a JSONL object or CSV row; ``columns`` renames the file's fields."""
    names = {field: (columns or {}).get(field, field) for field in (*JSONL_FIELDS, "date")}
    missing = [names[field] for field in JSONL_FIELDS
               if not isinstance(record.get(names[field]), (str, int))
               or (field in NONEMPTY_FIELDS and str(record[names[field]]).strip() == "")]
    if missing:
        hint = "; map other column names with columns={'text': 'body', ...}" if columns is None else ""
        raise CorpusError(path, f"missing or empty field(s) {', '.join(missing)}{hint}", line=line)
    title = str(record[names["title"]]).strip()
    return make_article(
        id=str(record[names["id"]]),
        outlet=str(record[names["outlet"]]),
        title=title,
        date=str(record.get(names["date"]) or ""),
        source_note=str(record.get("url") or record.get("source_name") or ""),
        text=f"{title}\n\n{record[names['text']]}",
    )


def iter_jsonl(path: str | Path, columns: dict[str, str] | None = None) -> Iterator[Article]:
    """Stream articles from JSON Lines (gzipped or not), one JSON object per line."""
    path = Path(path)
    with _open_text(path) as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise CorpusError(path, f"invalid JSON: {error.msg}", line=number) from None
            if not isinstance(record, dict):
                raise CorpusError(path, "expected a JSON object", line=number)
            yield _article_from_record(record, path, number, columns)


def iter_csv(path: str | Path, columns: dict[str, str] | None = None) -> Iterator[Article]:
    """Stream articles from a CSV file (gzipped or not) with a header row."""
    path = Path(path)
    with _open_text(path) as stream:
        reader = csv.DictReader(stream)
        if not reader.fieldnames:
            raise CorpusError(path, "empty file: expected a header row with id, outlet, title and text columns", line=1)
        for row in reader:
            yield _article_from_record(row, path, reader.line_num, columns)
