"""Parquet corpora: one ``.parquet`` file, or a folder of them (a partitioned dataset), read in batches.

Rows are streamed with ``pyarrow.parquet.ParquetFile.iter_batches``, reading only the columns
the corpus needs, so memory holds one batch (and one row group) at a time, not the file.
A folder's files are read in sorted order of their paths inside the folder; in a Hive-style
dataset (``topic=elections/part-0.parquet``) each ``KEY=VALUE`` folder name gives its rows
that field unless the file has the column itself. Row numbers in errors count from 1 in each file.

This module depends only on ``errors``; ``corpus`` turns its rows into articles.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import unquote

from .errors import CorpusError

PARQUET_SUFFIX = ".parquet"
BATCH_ROWS = 512


def parquet_files(folder: Path) -> list[Path]:
    """The ``.parquet`` files under ``folder`` (in subfolders too), sorted by their path inside it."""
    found = [path for path in folder.rglob(f"*{PARQUET_SUFFIX}") if path.is_file() and not path.name.startswith(".")]
    return sorted(found, key=lambda path: path.relative_to(folder).as_posix())


def partition_values(folder: Path, path: Path) -> dict[str, str]:
    """``{"topic": "elections"}`` for ``folder/topic=elections/part-0.parquet``: Hive-style folder names."""
    values = {}
    for part in path.relative_to(folder).parts[:-1]:
        key, equals, value = part.partition("=")
        if equals and key:
            values[unquote(key)] = unquote(value)
    return values


def _plain(value: Any) -> Any:
    """Dates as ISO text (a midnight timestamp as its day), everything else as read."""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _unreadable(path: Path, error: Exception) -> CorpusError:
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return CorpusError(path, f"not a readable Parquet file ({reason}); write it again with pyarrow or pandas "
                             "(DataFrame.to_parquet), or pass a .jsonl(.gz) or .csv(.gz) file instead")


def read_parquet_rows(path: Path, wanted: Iterable[str],
                      partition: dict[str, str] | None = None) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """The file's column names and a stream of ``(row number, {column: value})`` for the ``wanted`` columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path, pre_buffer=False)  # pre-buffering would read every row group at once
    except (pa.ArrowException, OSError) as error:
        raise _unreadable(path, error) from None
    names = list(parquet.schema_arrow.names)
    columns = [name for name in dict.fromkeys(wanted) if name in names]
    extra = {key: value for key, value in (partition or {}).items() if key not in names}

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        number = 0
        try:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns):
                records = batch.to_pylist() if columns else [{} for _ in range(batch.num_rows)]
                for record in records:
                    number += 1
                    yield number, {**extra, **{key: _plain(value) for key, value in record.items()}}
        except (pa.ArrowException, OSError) as error:
            raise _unreadable(path, error) from None
        finally:
            parquet.close()

    return names + list(extra), rows()
