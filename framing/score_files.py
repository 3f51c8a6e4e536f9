"""The score tables as files (``framing score``): Parquet or CSV, written atomically, whole or per part.

Two layouts, chosen by the corpus:

* any corpus but a folder of Parquet files is scored by one ``framing.score`` call (on any
  engine) and written by this process as ``DIR/scores.parquet``, ``DIR/evidence.parquet`` and
  ``DIR/sentences.parquet`` (``.csv`` with ``fmt="csv"``): the whole corpus and its tables are
  in this process' memory;
* a partitioned Parquet corpus (a folder of ``.parquet`` files, e.g. from ``DataFrame.to_parquet``
  or ``dask.dataframe.to_parquet``) is scored part by part where the engine runs: each task reads
  one part, scores it and writes ``DIR/scores/part-00000.parquet`` (and ``evidence/``,
  ``sentences/``; numbered in the corpus's part order), so no process ever holds more than one
  part. ``DIR/parts.csv`` says which input file each number was. ``pandas.read_parquet("DIR/scores")``
  reads the parts back as one table, in corpus order. With a Dask cluster, ``DIR`` must be a
  path every worker can write (a shared file system).

Each file is written under a hidden temporary name and renamed into place (``os.replace``), so a
reader never sees half a file. Per part, the rows are exactly ``framing.score``'s for that part;
article ids must be unique across parts (a score is per article id).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from .corpus import Corpus, make_article
from .corpus_parquet import parquet_files, partition_values
from .corpus_selection import Condition, Selection
from .engine import default_workers, run_tasks
from .errors import CorpusError, FramingError
from .lexicon import LexiconSet
from .score import EVIDENCE_COLUMNS, SENTENCE_COLUMNS, ScoredCorpus, score

TABLES = ("scores", "evidence", "sentences")
TABLE_FORMATS = ("parquet", "csv")
# Column types for a table with no rows, so every part's file has the same schema.
_NUMBER_TYPES = {"sentence": "int64", "start": "int64", "end": "int64", "tokens": "int64",
                 "weight": "float64", "value": "float64", "in_quote": "bool"}
_EMPTY_TYPES = {
    "evidence": {column: _NUMBER_TYPES.get(column, "str") for column in EVIDENCE_COLUMNS},
    "sentences": {column: _NUMBER_TYPES.get(column, "str") for column in SENTENCE_COLUMNS},
}


class OutputError(FramingError):
    """Score tables that cannot be written as asked."""


@dataclass(frozen=True)
class WrittenTables:
    """What was written: the files, the articles scored and their evidence rows (``parts``: 0 if whole)."""

    paths: tuple[Path, ...]
    articles: int
    evidence_rows: int
    parts: int = 0


def check_format(fmt: str) -> None:
    """Refuse an unknown format, or Parquet without pyarrow, before any scoring starts."""
    if fmt not in TABLE_FORMATS:
        raise OutputError(f"unknown table format '{fmt}'; use one of: {', '.join(TABLE_FORMATS)}")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise OutputError("Parquet tables need pyarrow: pip install pyarrow, or use format 'csv'") from None


def write_table(frame: pd.DataFrame, path: Path, fmt: str, empty_types: dict[str, str] | None = None) -> Path:
    """Write one table atomically (a hidden temporary file, then ``os.replace``); returns ``path``."""
    if not len(frame) and empty_types:
        frame = frame.astype(empty_types)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if fmt == "parquet":
            frame.to_parquet(temporary, index=False)
        else:
            frame.to_csv(temporary, index=False)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def write_tables(scored: ScoredCorpus, out_dir: str | Path, fmt: str = "parquet",
                 name: str | None = None) -> list[Path]:
    """Write scores, evidence and sentences as ``out_dir/<table>.<fmt>`` (or ``out_dir/<table>/<name>.<fmt>``)."""
    check_format(fmt)
    out_dir = Path(out_dir)
    paths = []
    for table in TABLES:
        path = out_dir / table / f"{name}.{fmt}" if name else out_dir / f"{table}.{fmt}"
        paths.append(write_table(getattr(scored, table), path, fmt, _EMPTY_TYPES.get(table)))
    return paths


def is_partitioned(path: str | Path) -> bool:
    """True for a folder of Parquet files (no ``articles.csv`` manifest): scored and written part by part."""
    path = Path(path)
    return path.is_dir() and not (path / "articles.csv").is_file() and bool(parquet_files(path))


def parquet_rows(root: str | Path) -> int:
    """Rows in a folder's Parquet parts, from their footers (nothing else is read)."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(path).metadata.num_rows for path in parquet_files(Path(root)))


def load_parquet_part(root: Path, part: Path, columns: dict[str, str] | None = None, topic: str | None = None,
                      filters: Iterable[str | Condition] = (), name: str | None = None) -> tuple[Corpus, int]:
    """One part of a Parquet dataset as a corpus (with its ``KEY=VALUE`` folder fields), and the rows read."""
    from .corpus import parquet_records  # the corpus loader's own reader, so rows mean the same

    selection = Selection.from_options(topic, filters)
    rows, articles = 0, []
    for fields in parquet_records(part, columns, partition_values(root, part)):
        rows += 1
        if selection.keeps(fields):
            articles.append(make_article(**fields))
    name = name or part.relative_to(root).with_suffix("").as_posix()
    return Corpus(name=name, path=str(part), articles=tuple(articles)), rows


@dataclass(frozen=True)
class PartJob:
    """What every part's task needs; sent to each worker once."""

    lexicons: LexiconSet
    root: str
    out_dir: str
    fmt: str
    columns: dict[str, str] | None = None
    topic: str | None = None
    filters: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class PartResult:
    """One part's outcome: rows read, articles kept and scored, evidence rows, files written."""

    name: str
    part: str
    rows: int
    articles: int
    evidence_rows: int
    paths: tuple[str, ...]


def score_part(item: tuple[str, str], job: PartJob) -> PartResult:
    """Read, score and write one part, ``(output name, input file)`` (runs in a worker); an empty part writes nothing."""
    name, part = item
    corpus, rows = load_parquet_part(Path(job.root), Path(part), job.columns, job.topic, job.filters, name)
    if not corpus.articles:
        return PartResult(name, part, rows, 0, 0, ())
    scored = score(corpus, job.lexicons)
    paths = write_tables(scored, job.out_dir, job.fmt, name=name)
    return PartResult(name, part, rows, len(corpus.articles), len(scored.evidence), tuple(str(path) for path in paths))


def part_names(count: int) -> list[str]:
    """``part-00000``, ``part-00001``, ...: output names that sort in the corpus's part order."""
    width = max(5, len(str(count - 1)))
    return [f"part-{index:0{width}d}" for index in range(count)]


def _check_no_stale_files(out_dir: Path, names: set[str]) -> None:
    """Refuse an output folder holding parts this run would not write: read back, they would mix with ours."""
    for table in TABLES:
        folder = out_dir / table
        if not folder.is_dir():
            continue
        stale = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                       if path.is_file() and not path.name.startswith(".") and path.name not in names)
        if stale:
            raise OutputError(f"{folder} holds {len(stale)} file(s) this corpus would not write (first: {stale[0]}); "
                              "choose an empty --out folder, or delete them so tables of two corpora are not mixed")


def score_parquet_parts(
    root: str | Path,
    out_dir: str | Path,
    lexicons: LexiconSet,
    *,
    fmt: str = "parquet",
    columns: dict[str, str] | None = None,
    topic: str | None = None,
    filters: Iterable[str | Condition] = (),
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> WrittenTables:
    """Score a partitioned Parquet corpus one part per task and write each part's tables where it is scored.

    ``workers`` defaults to ``default_workers`` of the row count; ``progress`` gets each part's
    rows as it finishes.
    """
    check_format(fmt)
    root, out_dir = Path(root).resolve(), Path(out_dir).resolve()  # workers may run in another folder
    parts = parquet_files(root) if root.is_dir() else []
    if not parts:
        raise CorpusError(root, "no .parquet files in this folder; pass a folder of Parquet parts")
    names = part_names(len(parts))
    _check_no_stale_files(out_dir, {f"{name}.{fmt}" for name in names})
    filters = tuple(filters)
    selection = Selection.from_options(topic, filters)  # a malformed filter stops here, not in a worker
    job = PartJob(lexicons, str(root), str(out_dir), fmt, columns, topic, selection.conditions)
    if workers is None:
        workers = default_workers(parquet_rows(root))

    def part_done(_index: int, result: PartResult) -> None:
        if progress is not None:
            progress(result.rows)

    items = [(name, str(part)) for name, part in zip(names, parts)]
    results = run_tasks(score_part, items, job, workers=workers, engine=engine, scheduler=scheduler,
                        on_done=part_done)
    articles = sum(result.articles for result in results)
    if not articles:
        kept = "matched --topic/--filter" if selection.active else "was found"
        raise CorpusError(root, f"no article {kept} in any of its {len(parts)} part(s); nothing written")
    manifest = pd.DataFrame(
        [(result.name, Path(result.part).relative_to(root).as_posix(), result.rows, result.articles,
          result.evidence_rows) for result in results],
        columns=["part", "source", "rows", "articles", "evidence_rows"])
    manifest_path = write_table(manifest, out_dir / "parts.csv", "csv")
    return WrittenTables(
        paths=tuple(Path(path) for result in results for path in result.paths) + (manifest_path,),
        articles=articles,
        evidence_rows=sum(result.evidence_rows for result in results),
        parts=sum(1 for result in results if result.articles),
    )
