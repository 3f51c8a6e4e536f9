"""Lexicon files as spreadsheets save them: CSV, TSV and .xlsx, read into rows with line numbers.

A teacher edits a lexicon in Excel, LibreOffice or Google Sheets and saves it; this module
reads whatever those programs write, and reports every problem instead of guessing:

* CSV in UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8" adds one), comma or
  semicolon delimited (Excel in much of Europe writes ``;``), CRLF or LF line ends, quoted
  fields (a note with a comma in it, a field spanning lines);
* TSV (``.tsv``), also in UTF-16 with a byte-order mark (Excel's "Unicode Text");
* ``.xlsx``, read directly (openpyxl, read-only): the first sheet, the header in row 1.

The delimiter of a ``.csv`` file is sniffed from its header line: the one of ``,`` ``;``
and tab that splits it into known column names. ``read_table`` never raises on a bad
file: it returns the rows it could read and a ``Problem`` for each thing it could not.
Turning rows into lexicon entries, and checking them, is ``framing.lexicon_check``'s job.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

COLUMNS = ("term", "category", "weight", "note")
REQUIRED_COLUMNS = ("term", "category")
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")
# Files a spreadsheet user may leave in a lexicon folder that are not read (a warning says so).
OTHER_SPREADSHEET_SUFFIXES = (".xls", ".ods", ".numbers", ".txt", ".xlsm")
DELIMITERS = (",", ";", "\t")
SAVE_AS_UTF8 = ("save it as UTF-8: in Excel 'File > Save As > CSV UTF-8 (Comma delimited)', in LibreOffice "
                "tick 'Edit filter settings' and choose 'Unicode (UTF-8)', in Google Sheets 'File > Download > CSV'")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lexicon file, at ``path:line`` (``line`` None: the whole file or folder).

    ``severity`` is ``"error"`` (the file cannot be used as it is) or ``"warning"`` (it can,
    but probably does not do what its author meant).
    """

    path: str
    line: int | None
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {'warning: ' if not self.is_error else ''}{self.message}"


@dataclass(frozen=True)
class Table:
    """The rows of one lexicon file: ``(line, {column: text})`` with blank rows left out.

    ``header`` holds the recognised column names in file order; ``rows`` is empty when the
    header is unusable. ``sha256`` is the hash of the file's bytes, as shown in reports.
    """

    path: str
    sha256: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...] = field(repr=False)
    problems: tuple[Problem, ...] = ()


def write_table(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write a CSV that spreadsheets open as UTF-8 (with a byte-order mark); makes the folder."""
    path = Path(path)
    if path.parent != Path(""):
        path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def is_table_file(path: Path) -> bool:
    """A lexicon file by its name: .csv, .tsv or .xlsx, and not a spreadsheet's lock or hidden file."""
    return path.suffix.lower() in TABLE_SUFFIXES and not path.name.startswith(("~$", ".~lock", "."))


def read_table(path: str | Path) -> Table:
    """Read a lexicon file into rows; problems (encoding, header, row shape) are returned, not raised."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Table(str(path), "", (), (), (Problem(str(path), None, f"cannot be read: {error.strerror}"),))
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".xlsx":
        cells, problems = _xlsx_cells(path, data)
    else:
        cells, problems = _text_cells(path, data)
    if cells is None:
        return Table(str(path), digest, (), (), tuple(problems))
    header, rows, shape_problems = _rows(str(path), cells)
    return Table(str(path), digest, header, rows, tuple(problems + shape_problems))


def _decode(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    """The file's text: UTF-8 (a BOM is dropped) or UTF-16 with a BOM; anything else is a problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [Problem(str(path), 1, f"not valid UTF-16 text; {SAVE_AS_UTF8}")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(str(path), line, f"not UTF-8 text (byte {error.start} cannot be read; the file was probably "
                                               f"saved as 'CSV' in a Windows or Mac encoding); {SAVE_AS_UTF8}")]


def sniff_delimiter(header_line: str, suffix: str) -> str:
    """The delimiter that splits the header line into known column names (tab for .tsv)."""
    if suffix == ".tsv":
        return "\t"

    def known(delimiter: str) -> int:
        fields = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(field.strip().lower() in COLUMNS for field in fields)

    return max(DELIMITERS, key=lambda delimiter: (known(delimiter), header_line.count(delimiter), delimiter == ","))


def _text_cells(path: Path, data: bytes) -> tuple[list[tuple[int, list[str]]] | None, list[Problem]]:
    text, problems = _decode(path, data)
    if text is None:
        return None, problems
    first_line = text.lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    delimiter = sniff_delimiter(first_line, path.suffix.lower())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            cells.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(str(path), start, f"cannot be read as {'TSV' if delimiter == chr(9) else 'CSV'}: {error}; "
                                                  "check the quotation marks on this line"))
    return cells, problems


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a user typed: 1.0 → '1', a date → '2025-03-18', empty → ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def _xlsx_cells(path: Path, data: bytes) -> tuple[list[tuple[int, list[str]]] | None, list[Problem]]:
    from openpyxl import load_workbook  # imported here: only .xlsx files need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        reason = str(error) or type(error).__name__
        return None, [Problem(str(path), None, f"not a readable .xlsx workbook ({reason}); open it in the spreadsheet "
                                               "and save it again as 'Excel Workbook (.xlsx)', or as 'CSV UTF-8'")]
    try:
        problems = []
        sheets = workbook.sheetnames
        if len(sheets) > 1:
            others = ", ".join(f"'{name}'" for name in sheets[1:])
            problems.append(Problem(str(path), None, f"only the first sheet '{sheets[0]}' is read; the other sheets "
                                                     f"({others}) are ignored", "warning"))
        cells = [(number, [_cell_text(value) for value in row])
                 for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()
    return cells, problems


def _rows(path: str, cells: list[tuple[int, list[str]]]) -> tuple[tuple[str, ...], tuple, list[Problem]]:
    """Header and rows from the cells of a file; an unusable header gives no rows."""
    filled = [(line, values) for line, values in cells if any(value.strip() for value in values)]
    if not filled:
        return (), (), [Problem(path, 1, f"empty file; the first row must be the header {','.join(COLUMNS)}")]
    header_line, raw_header = filled[0]
    names = [value.strip().lower() for value in raw_header]
    while names and not names[-1]:
        names.pop()  # spreadsheets may carry empty cells to the right of the header
    expected = ",".join(COLUMNS)
    if not any(name in COLUMNS for name in names):
        found = ",".join(value.strip() for value in raw_header if value.strip())
        return (), (), [Problem(path, header_line, f"no header row: the first row must be {expected} (found '{found}'); "
                                                   "insert a header row above the entries")]
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        problems.append(Problem(path, header_line, f"missing column(s) {', '.join(missing)}; the header must be {expected}"))
    unknown = [name or "(empty)" for name in names if name not in COLUMNS]
    if unknown:
        problems.append(Problem(path, header_line, f"unknown column(s) {', '.join(unknown)}; valid columns are "
                                                   f"{', '.join(COLUMNS)} (put remarks in 'note')"))
    repeated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if repeated:
        problems.append(Problem(path, header_line, f"column(s) {', '.join(repeated)} appear more than once in the header; "
                                                   "keep one of each"))
    if problems:
        return tuple(name for name in names if name in COLUMNS), (), problems
    rows = []
    for line, values in filled[1:]:
        extra = [value for value in values[len(names):] if value.strip()]
        if extra:
            problems.append(Problem(path, line, f"{len(names) + len(extra)} cells in a row of {len(names)} columns "
                                                f"(extra: '{extra[0]}'); a comma inside a term or note needs the whole "
                                                "field in double quotes"))
            continue
        rows.append((line, {name: (values[index].strip() if index < len(values) else "")
                            for index, name in enumerate(names)}))
    return tuple(names), tuple(rows), problems
