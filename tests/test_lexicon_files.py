"""framing.lexicon_files: lexicon files exactly as Excel, LibreOffice and Google Sheets save them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from framing.lexicon import read_lexicon
from framing.lexicon_files import read_table, sniff_delimiter

ROWS = [
    ("climate emergency", "alarm", "1.5", "a phrase, with a comma in the note"),
    ("catastroph*", "alarm", "-2", 'a stem; "quoted" words'),
    ("sea walls", "adaptation", "", ""),
]
EXPECTED = [
    ("climate emergency", "alarm", 1.5, "a phrase, with a comma in the note", ("climate", "emergency"), 2),
    ("catastroph*", "alarm", -2.0, 'a stem; "quoted" words', ("catastroph*",), 3),
    ("sea walls", "adaptation", 1.0, "", ("sea", "walls"), 4),
]


def _quoted(value: str, delimiter: str) -> str:
    if any(mark in value for mark in (delimiter, '"', "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _text(delimiter: str, line_end: str, decimal: str = ".") -> str:
    lines = [delimiter.join(("term", "category", "weight", "note"))]
    for term, category, weight, note in ROWS:
        lines.append(delimiter.join(_quoted(value, delimiter) for value in (term, category, weight.replace(".", decimal), note)))
    return line_end.join(lines) + line_end


def write_excel_csv_utf8(path: Path) -> Path:  # Excel, "CSV UTF-8 (Comma delimited)"
    path.write_bytes(b"\xef\xbb\xbf" + _text(",", "\r\n").encode("utf-8"))
    return path


def write_european_excel_csv(path: Path) -> Path:  # Excel with a European locale: ';' and a decimal comma
    path.write_bytes(b"\xef\xbb\xbf" + _text(";", "\r\n", decimal=",").encode("utf-8"))
    return path


def write_libreoffice_csv(path: Path) -> Path:  # LibreOffice / Google Sheets: no BOM, LF
    path.write_text(_text(",", "\n"), encoding="utf-8")
    return path


def write_tsv(path: Path) -> Path:
    path.write_text(_text("\t", "\r\n"), encoding="utf-8")
    return path


def write_unicode_text(path: Path) -> Path:  # Excel, "Unicode Text": UTF-16 with a BOM, tabs
    path.write_bytes(_text("\t", "\r\n").encode("utf-16"))
    return path


def write_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Term", "Category", "Weight", "Note"])  # a header typed with capitals
    for term, category, weight, note in ROWS:
        sheet.append([term, category, float(weight) if weight else None, note or None])
    workbook.save(path)
    return path


@pytest.mark.parametrize("name, writer", [
    ("climate.csv", write_excel_csv_utf8),
    ("climate.csv", write_european_excel_csv),
    ("climate.csv", write_libreoffice_csv),
    ("climate.tsv", write_tsv),
    ("climate.tsv", write_unicode_text),
    ("climate.xlsx", write_xlsx),
])
def test_every_spreadsheet_format_gives_the_same_entries(tmp_path: Path, name: str, writer):
    lexicon = read_lexicon(writer(tmp_path / name))
    assert lexicon.name == "climate"
    assert [(e.term, e.category, e.weight, e.note, e.words, e.line) for e in lexicon.entries] == EXPECTED
    assert lexicon.categories == ["adaptation", "alarm"]


@pytest.mark.parametrize("header, delimiter", [
    ("term,category,weight,note", ","),
    ("term;category;weight;note", ";"),
    ("term\tcategory\tweight\tnote", "\t"),
    ('"term";"category"', ";"),
    ("term;category;weight,note", ";"),  # a comma inside the last name: still semicolon-delimited
])
def test_delimiter_is_sniffed_from_the_header(header: str, delimiter: str):
    assert sniff_delimiter(header, ".csv") == delimiter


def test_a_quoted_note_may_span_lines_and_rows_keep_their_first_line(tmp_path: Path):
    path = tmp_path / "notes.csv"
    path.write_text('term,category,weight,note\nfirst,a,1,"two\nlines"\nsecond,a,1,\n', encoding="utf-8")
    table = read_table(path)
    assert [(line, row["term"], row["note"]) for line, row in table.rows] == [(2, "first", "two\nlines"), (4, "second", "")]


def test_blank_rows_and_empty_cells_right_of_the_header_are_ignored(tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["term", "category", None, None])
    sheet.append(["storm", "alarm"])
    sheet.append([None, None])
    sheet.append(["flood", "alarm", None, None])
    workbook.save(tmp_path / "weather.xlsx")
    table = read_table(tmp_path / "weather.xlsx")
    assert table.problems == ()
    assert [(line, row) for line, row in table.rows] == [(2, {"term": "storm", "category": "alarm"}),
                                                         (4, {"term": "flood", "category": "alarm"})]


def test_lock_and_hidden_files_are_not_lexicons(tmp_path: Path):
    from framing.lexicon import lexicon_files

    for name in ("tone.csv", "~$tone.xlsx", ".~lock.tone.csv#", ".hidden.csv", "README.md", "b.xlsx", "c.tsv"):
        (tmp_path / name).write_text("term,category\n", encoding="utf-8")
    assert [path.name for path in lexicon_files(tmp_path)] == ["b.xlsx", "c.tsv", "tone.csv"]
