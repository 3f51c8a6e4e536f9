"""framing lexicon check: every mistake in a lexicon folder, each with its file and line; reports refuse them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from framing import LexiconError, load_lexicons
from framing.cli import cli
from framing.lexicon import default_lexicon_dir
from framing.lexicon_check import LexiconProblems, check_lexicons, parse_weight, term_problems

from .conftest import write_corpus


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


CLIMATE = (
    "term,category,weight,note\n"
    ",alarm,1,no term\n"            # 2 empty term
    "drought,alarm,high,\n"         # 3 weight not a number
    "heatwave,alarm,1,\n"
    "heatwave,adaptation,1,\n"      # 5 listed twice, conflicting categories
    "power!,alarm,1,\n"             # 6 punctuation: can never match
    "ab*,alarm,1,\n"                # 7 stem too short
    "cl*mate,alarm,1,\n"            # 8 '*' inside a word
    "#th,alarm,1,\n"                # 9 '#' glued to letters
    "sea wall,human interest,1,\n"  # 10 category with a space
    "climate,alarm,1,\n"            # 11 shadowed by the longer phrase on 12 (warning)
    "climate change,adaptation,1,\n"
    "flood*,alarm,1,\n"
    "flooding,adaptation,1,\n"      # 14 never counts: the stem above takes it (warning)
    "resilience,adaptation,1,\n"
    "resilience,adaptation,1,\n"    # 16 listed twice, same row (warning)
    "levee,adaptation,0,\n"         # 17 weight 0 (warning)
    "storm,alarm,1,note,extra\n"    # 18 one cell too many
    "ukraine's,alarm,1,\n"          # 19 two tokens to the tokenizer
)


@pytest.fixture
def bad_folder(tmp_path: Path, monkeypatch) -> Path:
    """A lexicon folder with more than fifteen kinds of mistakes, in the working directory as 'lex'."""
    monkeypatch.chdir(tmp_path)
    lex = Path("lex")
    lex.mkdir()
    (lex / "climate.csv").write_text(CLIMATE, encoding="utf-8")
    (lex / "tone.csv").write_text(
        "term,category,weight,note\n"
        "zzzz,remove,,\n"                  # unknown remove target
        f"{_stem_probe()},remove,,\n"      # unknown remove target that a bundled stem matches
        "sunny,happy,2,\n"                 # tone's categories are a closed set
        "gloomy,positive,-1.5,\n",         # positive tone with a negative weight
        encoding="utf-8")
    (lex / "frames.csv").write_text("term,category,weight,note\nsea level,conflcit,1,\n", encoding="utf-8")
    (lex / "quotes.csv").write_text("term,category\nsaid,said\n", encoding="utf-8")          # reserved name
    (lex / "climate change.csv").write_text("term,category\nwarming,alarm\n", encoding="utf-8")  # bad file name
    (lex / "notes.xls").write_bytes(b"\xd0\xcf\x11\xe0")                                      # old Excel format
    (lex / "latin.csv").write_bytes("term,category\ncaf\xe9,place\n".encode("cp1252"))       # not UTF-8
    (lex / "empty.csv").write_text("", encoding="utf-8")                                     # empty file
    (lex / "noheader.csv").write_text("storm,alarm,1,\n", encoding="utf-8")                  # no header
    (lex / "columns.csv").write_text("term,category,wieght\nstorm,alarm,1\n", encoding="utf-8")  # unknown column
    (lex / "new.csv").write_text("term,category\nstorm,remove\n", encoding="utf-8")          # remove with no base
    workbook = openpyxl.Workbook()
    workbook.active.title = "entries"
    workbook.active.append(["term", "category", "weight", "note"])
    workbook.active.append(["hurricane", "alarm", 2, "from a workbook"])
    workbook.create_sheet("scratch")
    workbook.save(lex / "weather.xlsx")                                                      # a second sheet
    (lex / "Weather.tsv").write_text("term\tcategory\nrain\talarm\n", encoding="utf-8")      # two files, one lexicon
    return lex


def _bundled_stem():
    return next(e for e in load_lexicons()["tone"].entries if e.term.endswith("*") and " " not in e.term)


def _stem_probe() -> str:
    return _bundled_stem().term[:-1] + "zzq"


def expected_problems() -> list[str]:
    stem = _bundled_stem()
    probe = _stem_probe()
    frames = ", ".join(category for category in load_lexicons()["frames"].categories)
    bundled_tone = default_lexicon_dir() / "tone.csv"
    return [
        "lex/notes.xls: warning: not read: lexicon files end in .csv, .tsv or .xlsx; save it as 'notes.xlsx' or as CSV UTF-8",
        "lex/climate change.csv: the file name gives the lexicon's name and its score columns, so it may hold only "
        "letters, digits and '_'; rename it 'climate_change.csv'",
        "lex/climate.csv:2: empty term; type the word or phrase in the 'term' column, or delete the row",
        "lex/climate.csv:3: weight 'high' is not a number; write a number such as 1, 0.5 or -2",
        "lex/climate.csv:5: 'heatwave' is listed twice with different categories: 'adaptation' here, 'alarm' on line 4; "
        "a term counts in one category per lexicon, so keep one row (to count it in two, put the other row in another "
        "lexicon file)",
        "lex/climate.csv:6: 'power!' can never match: the tokenizer reads it as 'power'; write 'power'",
        "lex/climate.csv:7: stem 'ab*' needs at least 3 letters before '*' (it would match too many words)",
        "lex/climate.csv:8: '*' may only end a word ('cl*mate'): a stem matches the words that begin with the letters "
        "before it",
        "lex/climate.csv:9: '#' must be a word of its own (it matches any number token): '#th' can never match",
        "lex/climate.csv:10: category 'human interest' may hold only lowercase letters, digits and '_' (it becomes a "
        "column name); write 'human_interest'",
        "lex/climate.csv:11: warning: 'climate' (alarm) does not count inside 'climate change' (adaptation, "
        "lex/climate.csv:12): the longer entry takes those words",
        "lex/climate.csv:14: warning: 'flooding' never counts: 'flood*' (lex/climate.csv:13) matches the same words and "
        "comes first; move this row above it, or delete it",
        "lex/climate.csv:16: warning: 'resilience' is listed twice (also on line 15); delete one row",
        "lex/climate.csv:17: warning: weight 0 counts nothing; to block a false hit use category 'ignore', to delete an "
        "entry loaded before this file use 'remove'",
        "lex/climate.csv:18: 5 cells in a row of 4 columns (extra: 'extra'); a comma inside a term or note needs the "
        "whole field in double quotes",
        "lex/climate.csv:19: 'ukraine's' can never match: the tokenizer reads it as 'ukraine' + \"'s\"; write 'ukraine 's'",
        "lex/columns.csv:1: unknown column(s) wieght; valid columns are term, category, weight, note (put remarks in 'note')",
        "lex/empty.csv:1: empty file; the first row must be the header term,category,weight,note",
        f"lex/frames.csv:2: warning: category 'conflcit' is new to frames (its categories: {frames}); it adds the column "
        "frames_conflcit_per_1k; check the spelling if you meant one of those",
        "lex/latin.csv:2: not UTF-8 text (byte 17 cannot be read; the file was probably saved as 'CSV' in a Windows or Mac "
        "encoding); save it as UTF-8: in Excel 'File > Save As > CSV UTF-8 (Comma delimited)', in LibreOffice tick 'Edit "
        "filter settings' and choose 'Unicode (UTF-8)', in Google Sheets 'File > Download > CSV'",
        "lex/new.csv:2: unknown remove target 'storm': no lexicon 'new' is loaded before this file; 'remove' rows go in a "
        "file named like the lexicon they change (loaded lexicons: boosters, climate, evaluative, frames, hedges, "
        "modifiers, tone, weather)",
        "lex/noheader.csv:1: no header row: the first row must be term,category,weight,note (found 'storm,alarm,1'); "
        "insert a header row above the entries",
        "lex/quotes.csv: 'quotes' is a reserved name (evidence rows for direct quotations use the lexicon name 'quotes'); "
        "rename the file",
        "lex/tone.csv:2: unknown remove target 'zzzz': tone has no entry 'zzzz'; check the spelling (a 'remove' row names "
        "the term exactly as the lexicon lists it)",
        f"lex/tone.csv:3: unknown remove target '{probe}': tone has no entry '{probe}', but '{stem.term}' "
        f"({bundled_tone}:{stem.line}) matches it; to stop counting '{probe}' alone, give it category 'ignore' instead",
        "lex/tone.csv:4: unknown category 'happy' for tone; valid categories: positive, negative, ignore, remove",
        "lex/tone.csv:5: positive tone needs a weight above 0 (VADER's -4 … +4 scale); found -1.5",
        "lex/weather.xlsx: a second file for lexicon 'weather' in one folder (also Weather.tsv); keep one of them",
    ]


def test_check_reports_every_mistake_with_file_and_line(bad_folder: Path):
    result = run("lexicon", "check", str(bad_folder))
    problems = expected_problems()
    errors = [line for line in problems if ": warning: " not in line]
    assert len(errors) == 22 and len(problems) - len(errors) == 6
    assert result.output == "\n".join(problems) + "\n22 errors, 6 warnings in 11 lexicon files\n"
    assert result.exit_code == 1


def test_report_refuses_the_folder_with_the_same_errors_and_writes_nothing(bad_folder: Path, tmp_path: Path):
    corpus = write_corpus(tmp_path / "corpus", [
        {"id": "a1", "outlet": "A", "title": "T", "text": "A storm came."},
        {"id": "b1", "outlet": "B", "title": "T", "text": "A flood came."},
    ])
    result = CliRunner().invoke(cli, ["report", str(corpus), "--lexicons", str(bad_folder), "--out", "out"])
    errors = [line for line in expected_problems() if ": warning: " not in line]
    assert result.exit_code == 1
    assert result.output == "".join(f"Error: {line}\n" for line in errors)
    assert not Path("out").exists()


def test_load_lexicons_raises_one_error_listing_every_problem(bad_folder: Path):
    with pytest.raises(LexiconProblems) as caught:
        load_lexicons([bad_folder], defaults=True)
    assert isinstance(caught.value, LexiconError)
    assert len(caught.value.problems) == 22
    assert str(caught.value).splitlines() == [line for line in expected_problems() if ": warning: " not in line]


def test_bundled_lexicons_have_no_errors():
    result = run("lexicon", "check")
    assert result.exit_code == 0, result.output
    checked = check_lexicons()
    warnings, files = len(checked.warnings), len(checked.files)
    assert result.output.endswith(f"0 errors, {warnings} warning{'s' if warnings != 1 else ''} in {files} lexicon files\n")
    assert ": error" not in result.output


def test_warnings_alone_exit_zero(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("lex").mkdir()
    Path("lex/climate.csv").write_text("term,category\nclimate,alarm\nclimate change,adaptation\n", encoding="utf-8")
    result = run("lexicon", "check", "lex")
    assert result.exit_code == 0
    assert result.output == (
        "lex/climate.csv:2: warning: 'climate' (alarm) does not count inside 'climate change' (adaptation, "
        "lex/climate.csv:3): the longer entry takes those words\n"
        "0 errors, 1 warning in 1 lexicon file\n")


def test_a_clean_folder_checks_clean(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("lex").mkdir()
    Path("lex/climate.csv").write_text("term,category\nclimate emergency,alarm\nsea walls,adaptation\n", encoding="utf-8")
    assert run("lexicon", "check", "lex").output == "0 errors, 0 warnings in 1 lexicon file\n"
    assert run("lexicon", "check", "lex", "--no-default-lexicons").output == "0 errors, 0 warnings in 1 lexicon file\n"


def test_an_overlay_word_that_a_bundled_stem_would_take_still_counts(tmp_path: Path):
    # An overlay row wins a tie with a bundled entry, so reweighting one word of a stem works.
    stem = _bundled_stem()
    word = stem.term[:-1] + "zzq"
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "tone.csv").write_text(f"term,category,weight\n{word},negative,-3.9\n", encoding="utf-8")
    lexicons = load_lexicons([folder], defaults=True)
    from framing.tokens import tokenize

    found = [(m.entry.term, m.entry.weight) for m in lexicons.match(tokenize(f"A {word} day.")) if m.entry.lexicon == "tone"]
    assert found == [(word, -3.9)]


def test_overlay_stem_that_takes_a_bundled_word_is_a_warning_at_the_overlay_row(tmp_path: Path):
    word = next(e for e in load_lexicons()["tone"].entries
                if " " not in e.term and not e.term.endswith("*") and e.category != "ignore" and len(e.term) > 6)
    folder = tmp_path / "lex"
    folder.mkdir()
    stem = word.term[:-1] + "*"
    (folder / "tone.csv").write_text(f"term,category,weight\n{stem},{word.category},{word.weight * 2:g}\n", encoding="utf-8")
    warnings = [str(problem) for problem in check_lexicons([folder], defaults=True).problems_in([folder])]
    assert f"{folder / 'tone.csv'}:2: warning: '{stem}' also matches '{word.term}' ({word.path}:{word.line}), so that entry " \
           f"({word.category}, {word.weight:g}) no longer counts; add '{word.term}' to this file too if it should keep " \
           "its own category or weight" in warnings


@pytest.mark.parametrize("text, weight", [
    ("1", 1.0), ("-0.74", -0.74), ("+2", 2.0), ("1,5", 1.5), ("-0,5", -0.5), ("\u22121", -1.0), (" 2 ", 2.0),
    ("high", None), ("1.000,5", None), ("", None),
])
def test_weights_as_spreadsheets_write_them(text: str, weight: float | None):
    assert parse_weight(text) == weight


@pytest.mark.parametrize("term, problems", [
    ("climate change", []),
    ("u.s.", []),
    ("u.s.-led", ["'u.s.-led' can never match: the tokenizer reads it as 'u.s.' + 'led'; write 'u.s. led'"]),
    ("don't", []),
    ("ukraine 's", []),
    ("de-escalat*", []),
    ("about #", []),
    ("hello!", ["'hello!' can never match: the tokenizer reads it as 'hello'; write 'hello'"]),
    ("--", ["'--' can never match: it has no letters or digits, and the tokenizer drops punctuation"]),
    ("ab*", ["stem 'ab*' needs at least 3 letters before '*' (it would match too many words)"]),
])
def test_terms_are_checked_against_the_tokenizer(term: str, problems: list[str]):
    assert term_problems(tuple(term.split())) == problems
