"""Corpus loading: articles with the spans that are scored and the boilerplate that is not.

A corpus is one of:

* a folder with an ``articles.csv`` manifest (one row per article file);
* a JSON Lines file (``.jsonl`` or ``.jsonl.gz``) with one article per line;
* a CSV file (``.csv`` or ``.csv.gz``) with a header row;
* a Parquet file (``.parquet``) or a folder of them, a partitioned dataset (``corpus_parquet``);
* a folder of saved web pages (``.html`` / ``.htm``) with no manifest, read by trafilatura
  (``corpus_html``); pages with too little article text are skipped and listed in ``Corpus.skipped``.

JSONL, CSV and Parquet rows have the fields ``id``, ``outlet``, ``title``, ``text`` and
optionally ``date``, ``topic`` and ``url``; ``columns={"text": "body"}`` maps other names.
Every article's ``text`` starts with its headline line, so headlines are scored the same
way whichever format the corpus came in. Rows are streamed, and ``load_corpus(...,
topic=..., filters=...)`` narrows the corpus to one story as they stream (``corpus_selection``),
so memory holds only the articles kept. Dependencies run one way: ``corpus`` uses
``corpus_selection``, ``corpus_parquet`` and ``corpus_html``, which never import it.
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
from itertools import accumulate
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from .corpus_html import HTML_SUFFIXES, extract_page
from .corpus_parquet import PARQUET_SUFFIX, parquet_files, partition_values, read_parquet_rows
from .corpus_selection import Condition, Selection
from .errors import CorpusError

MANIFEST_NAME = "articles.csv"
MANIFEST_COLUMNS = ("id", "outlet", "title", "date", "source_note", "file")
JSONL_FIELDS = ("id", "outlet", "title", "text")  # required in every JSONL, CSV and Parquet row
OPTIONAL_FIELDS = ("date", "topic", "url")
RECORD_FIELDS = (*JSONL_FIELDS, *OPTIONAL_FIELDS)  # the fields ``columns=`` (--column) can map
FIELD_NAMES_SHOWN = 12
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
    topic: str = ""
    url: str = ""

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
class SkippedFile:
    """A file left out of a corpus (a saved page with no article text), with why; shown as a warning."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Corpus:
    """A named collection of articles, in manifest order; ``narrowed`` says what a topic or filter kept."""

    name: str
    path: str
    articles: tuple[Article, ...] = field(repr=False)
    skipped: tuple[SkippedFile, ...] = ()
    narrowed: str = ""

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


@lru_cache(maxsize=1)
def _boilerplate_line() -> re.Pattern[str]:
    """Every boilerplate pattern as one alternation: one ``fullmatch`` per line instead of one per pattern.

    A line fully matches the alternation exactly when it fully matches one of the patterns.
    """
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in _boilerplate_patterns()), re.IGNORECASE)


def find_boilerplate(text: str) -> tuple[Exclusion, ...]:
    """Spans of ``text`` that are page furniture: known boilerplate lines and repeated captions.

    Only the lines that can be either (a pattern matches, or the line occurs more than once)
    get their offsets worked out: on a large corpus nearly every line is neither.
    """
    raws = text.splitlines(keepends=True)
    contents = [raw.strip() for raw in raws]
    counts = Counter(contents)
    boilerplate = _boilerplate_line().fullmatch
    flagged = [index for index, content in enumerate(contents)
               if content and (counts[content] > 1 or boilerplate(content))]
    if not flagged:
        return ()
    offsets = list(accumulate(map(len, raws), initial=0))
    exclusions = []
    for index in flagged:
        raw, content = raws[index], contents[index]
        start = offsets[index] + (len(raw) - len(raw.lstrip()))
        end = start + len(content)
        if boilerplate(content):
            exclusions.append(Exclusion(start, end, "boilerplate line"))
        elif len(content.split()) <= REPEATED_CAPTION_MAX_WORDS and content[-1] not in ".?!\"”»":
            exclusions.append(Exclusion(start, end, "repeated caption"))
    return tuple(exclusions)


def make_article(
    id: str, outlet: str, title: str, text: str, date: str = "", source_note: str = "", file: str = "",
    topic: str = "", url: str = "",
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
        topic=topic,
        url=url,
    )


def load_corpus(path: str | Path, columns: dict[str, str] | None = None, *, topic: str | None = None,
                filters: Iterable[str | Condition] = ()) -> Corpus:
    """Load any corpus format, narrowed while it streams; errors name the file and line.

    ``columns`` maps our field names (id, outlet, title, text, date, topic, url) to the file's
    own column names, e.g. ``{"text": "body", "outlet": "source"}``, for JSONL, CSV and Parquet.
    ``topic`` keeps the articles with that topic (ignoring case; ``_``, ``-`` and spaces alike);
    ``filters`` are expressions that must all hold (``outlet=cnn.com,npr.org``, ``title~ceasefire``,
    ``date>=2020-01-01``; see ``corpus_selection``). A narrowed corpus's name gets the selection
    as a suffix (``allsides-elections``), so its report does not overwrite the whole corpus's.
    Raises ``FilterError`` for a malformed filter and ``CorpusError`` when nothing is kept.
    """
    path = Path(path)
    selection = Selection.from_options(topic, filters)
    skipped: list[SkippedFile] = []
    name, records = _corpus_records(path, columns, skipped)
    articles = tuple(make_article(**fields) for fields in records if selection.keeps(fields))
    if not articles and skipped:
        raise CorpusError(path, f"no article text found in any of its {len(skipped)} page(s); "
                                f"first: {skipped[0].path}: {skipped[0].reason}")
    if selection.active and not articles:
        raise CorpusError(path, selection.nothing_kept())
    return Corpus(
        name=f"{name}-{selection.slug}" if selection.active else name,
        path=str(path),
        articles=articles,
        skipped=tuple(skipped),
        narrowed=selection.summary(),
    )


JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
NONEMPTY_FIELDS = ("id", "outlet", "text")  # a title may be empty
CSV_SUFFIXES = (".csv", ".csv.gz")
KNOWN_CORPORA = ("a folder with an articles.csv manifest, a .jsonl(.gz), .csv(.gz) or .parquet file, "
                 "a folder of .parquet files or a folder of saved .html pages")


def _corpus_records(path: Path, columns: dict[str, str] | None,
                    skipped: list[SkippedFile]) -> tuple[str, Iterator[dict[str, str]]]:
    """The corpus's name and a stream of its articles' fields (``make_article`` keywords), by format."""
    if path.is_dir():
        if (path / MANIFEST_NAME).is_file():
            return path.name, _manifest_records(path)
        parquet = parquet_files(path)
        if parquet:
            return path.name, _parquet_dataset_records(path, parquet, columns)
        pages = sorted(page for page in path.iterdir() if page.is_file() and page.suffix.lower() in HTML_SUFFIXES)
        if pages:
            return path.name, _page_records(path, pages, skipped)
        raise CorpusError(path, f"no {MANIFEST_NAME} manifest, .parquet files or .html pages; a manifest needs "
                                f"the columns {', '.join(MANIFEST_COLUMNS)}")
    if path.is_file():
        if path.name.endswith(JSONL_SUFFIXES):
            return _stem(path), _jsonl_records(path, columns)
        if path.name.endswith(CSV_SUFFIXES):
            return _stem(path), _csv_records(path, columns)
        if path.name.endswith(PARQUET_SUFFIX):
            return _stem(path), parquet_records(path, columns)
    if not path.exists():
        raise CorpusError(path, f"no such file or folder; pass {KNOWN_CORPORA}")
    raise CorpusError(path, f"not a corpus: expected {KNOWN_CORPORA}")


def _stem(path: Path) -> str:
    name = path.name.removesuffix(".gz")
    for suffix in (".jsonl", ".csv", PARQUET_SUFFIX):
        name = name.removesuffix(suffix)
    return name


def _manifest_records(folder: Path) -> Iterator[dict[str, str]]:
    manifest = folder / MANIFEST_NAME
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
        yield dict(
            id=values["id"],
            outlet=values["outlet"],
            title=values["title"],
            date=values["date"],
            source_note=values["source_note"],
            text=_read_utf8(article_path),
            file=values["file"],
            topic=values.get("topic", ""),  # optional manifest columns
            url=values.get("url", ""),
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


def _column_names(columns: dict[str, str] | None) -> dict[str, str]:
    return {field: (columns or {}).get(field, field) for field in RECORD_FIELDS}


def _record_fields(record: dict[str, Any], path: Path, line: int | None, columns: dict[str, str] | None,
                   found: Iterable[str] | None = None) -> dict[str, str]:
    """An article's fields from a JSONL object, CSV or Parquet row or saved page; ``columns`` renames them.

    ``found`` lists the file's column names for the error message (default: the record's keys).
    """
    names = _column_names(columns)
    missing = [names[field] for field in JSONL_FIELDS
               if not isinstance(record.get(names[field]), (str, int))
               or (field in NONEMPTY_FIELDS and str(record[names[field]]).strip() == "")]
    if missing:
        found = list(found if found is not None else record)
        shown = ", ".join(found[:FIELD_NAMES_SHOWN]) + (", ..." if len(found) > FIELD_NAMES_SHOWN else "")
        found_note = f" (found: {shown or 'none'})" if any(name not in found for name in missing) else ""
        hint = "; map other column names with columns={'text': 'body', ...}" if columns is None else ""
        raise CorpusError(path, f"missing or empty field(s) {', '.join(missing)}{found_note}{hint}", line=line)
    title = str(record[names["title"]]).strip()
    url = str(record.get(names["url"]) or "")
    return dict(
        id=str(record[names["id"]]),
        outlet=str(record[names["outlet"]]),
        title=title,
        date=str(record.get(names["date"]) or ""),
        source_note=url or str(record.get("source_name") or ""),
        text=f"{title}\n\n{record[names['text']]}",
        topic=str(record.get(names["topic"]) or ""),
        url=url,
    )


def _jsonl_records(path: Path, columns: dict[str, str] | None) -> Iterator[dict[str, str]]:
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
            if "\\ud" in line or "\\uD" in line:  # only a \uXXXX escape can put a lone surrogate in a str
                _refuse_lone_surrogates(record, path, number)
            yield _record_fields(record, path, number, columns)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(record: dict, path: Path, number: int) -> None:
    """A JSON escape of half a surrogate pair (\\ud800 alone) is not a character: no table can hold it."""
    for name, value in record.items():
        found = _LONE_SURROGATE.search(value) if isinstance(value, str) else None
        if found:
            raise CorpusError(path, f"field '{name}' holds a lone surrogate escape (\\u{ord(found.group()):04x} at "
                                    f"character {found.start()}), which is not valid Unicode; replace it with "
                                    "\\ufffd or fix the escape", line=number)


def _csv_records(path: Path, columns: dict[str, str] | None) -> Iterator[dict[str, str]]:
    with _open_text(path) as stream:
        reader = csv.DictReader(stream)
        if not reader.fieldnames:
            raise CorpusError(path, "empty file: expected a header row with id, outlet, title and text columns", line=1)
        for row in reader:
            yield _record_fields(row, path, reader.line_num, columns, found=reader.fieldnames)


def parquet_records(path: Path, columns: dict[str, str] | None,
                    partition: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    """One Parquet file's articles as the corpus loader reads them (``columns`` maps field names;
    ``partition``: the fields its Hive folders give), streamed in batches."""
    wanted = [*_column_names(columns).values(), "source_name"]
    names, rows = read_parquet_rows(path, wanted, partition)
    for number, row in rows:
        yield _record_fields(row, path, number, columns, found=names)


def _parquet_dataset_records(folder: Path, files: list[Path], columns: dict[str, str] | None) -> Iterator[dict[str, str]]:
    for path in files:
        yield from parquet_records(path, columns, partition_values(folder, path))


def _page_records(folder: Path, pages: list[Path], skipped: list[SkippedFile]) -> Iterator[dict[str, str]]:
    """Saved pages' articles (id: the file name without .html); pages without article text go to ``skipped``."""
    seen: dict[str, Path] = {}
    for path in pages:
        if path.stem in seen:
            raise CorpusError(path, f"duplicate id '{path.stem}': {seen[path.stem].name} has the same name; rename one")
        seen[path.stem] = path
        try:
            page = extract_page(_read_page(path), default_outlet=folder.name)
        except ImportError as error:
            raise CorpusError(folder, f"reading saved web pages needs trafilatura ({error}); "
                                      "pip install trafilatura lxml_html_clean") from None
        if page.skip_reason:
            skipped.append(SkippedFile(str(path), page.skip_reason))
            continue
        record = {"id": path.stem, "outlet": page.outlet, "title": page.title, "text": page.body,
                  "date": page.date, "url": page.url}
        fields = _record_fields(record, path, None, None)
        yield {**fields, "source_note": page.url or path.name, "file": path.name}


def _read_page(path: Path) -> str | bytes:
    """A page's HTML as text when it is UTF-8, else its bytes for trafilatura to decode by its charset."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data


def iter_jsonl(path: str | Path, columns: dict[str, str] | None = None) -> Iterator[Article]:
    """Stream articles from JSON Lines (gzipped or not), one JSON object per line."""
    for fields in _jsonl_records(Path(path), columns):
        yield make_article(**fields)


def iter_csv(path: str | Path, columns: dict[str, str] | None = None) -> Iterator[Article]:
    """Stream articles from a CSV file (gzipped or not) with a header row."""
    for fields in _csv_records(Path(path), columns):
        yield make_article(**fields)


def iter_parquet(path: str | Path, columns: dict[str, str] | None = None) -> Iterator[Article]:
    """Stream articles from a Parquet file in batches, reading only the columns a corpus needs."""
    for fields in parquet_records(Path(path), columns):
        yield make_article(**fields)
