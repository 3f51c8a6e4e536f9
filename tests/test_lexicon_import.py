"""framing lexicon import: LIWC .dic, quanteda YAML and VADER's lexicon into a checked lexicon CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from framing import load_lexicons
from framing.cli import cli
from framing.lexicon_import import detect_format, import_dictionary

LIWC = (
    "%\n1\tPosEmo\n2\tNegEmo\n3\tAffect\n%\n"
    "happ*\t1 3\n"                 # 6: two categories: stays in the first
    "sad\t2 3\n"
    "kind of\t1\n"                 # a phrase
    ":)\t1\n"                      # 9: an emoticon: the tokenizer drops it
    "hurt*\t2 3 9\n"               # 10: category 9 is not in the header
    "like\t(02 134)125/464\n"      # 11: a conditional category
    "ab*\t2\n"                     # a stem too short to use
)
YAML = """\
economy:
  - tax*
  - jobs
  - "budget deficit"
security:
  military: [army, troops, "*war"]
  police:
    - police
    - cop?
"""
VADER = (
    "hope\t1.9\t0.53852\t[2, 2, 1, 2, 2, 2, 3, 1, 2, 2]\n"
    ":)\t2.0\t1.18322\t[2, 2, 1, 1, 1, 1, 4, 3, 4, 1]\n"
    "meh\t0.0\t0.5\t[0, 0]\n"
    "awful\t-2.0\t0.7746\t[-2, -1]\n"
)


@pytest.fixture
def sources(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("emo.dic").write_text(LIWC, encoding="utf-8")
    Path("dictionary.yml").write_text(YAML, encoding="utf-8")
    Path("vader_lexicon.txt").write_text(VADER, encoding="utf-8")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, ["lexicon", "import", *args], catch_exceptions=False)


def rows(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_liwc_dic(sources: Path):
    result = run("emo.dic", "--out", "emo.csv")
    assert result.exit_code == 0
    assert result.output == (
        "emo.dic:6: warning: words also in an earlier category stay there, not in 'affect' (first 'happ*'; 3 words); "
        "choose and order the categories with --category\n"
        "emo.dic:9: warning: terms that can never match the tokenizer's output (punctuation, emoticons, stems under 3 "
        "letters; first ':)') are left out (2 skipped)\n"
        "emo.dic:10: warning: category number 9 is not in the header (1 skipped)\n"
        "emo.dic:11: warning: LIWC's conditional categories (such as '(02 134)125/464') are not supported (1 skipped)\n"
        "Wrote emo.csv: 4 entries in 2 categories (posemo, negemo) from liwc file emo.dic\n")
    assert rows("emo.csv") == [
        ["term", "category", "weight", "note"],
        ["hurt*", "negemo", "1", "imported from emo.dic"],
        ["sad", "negemo", "1", "imported from emo.dic"],
        ["happ*", "posemo", "1", "imported from emo.dic"],
        ["kind of", "posemo", "1", "imported from emo.dic"],
    ]
    assert load_lexicons([Path("emo.csv")])["emo"].categories == ["negemo", "posemo"]


def test_liwc_categories_chosen_and_ordered(sources: Path):
    result = run("emo.dic", "--out", "affect.csv", "--category", "Affect", "--category", "posemo")
    assert result.exit_code == 0
    assert [(term, category) for term, category, _, _ in rows("affect.csv")[1:]] == [
        ("happ*", "affect"), ("hurt*", "affect"), ("sad", "affect"), ("kind of", "posemo")]


def test_unknown_category_lists_the_dictionarys(sources: Path):
    result = CliRunner().invoke(cli, ["lexicon", "import", "emo.dic", "--out", "x.csv", "--category", "joy"])
    assert result.exit_code == 1
    assert result.output == "Error: emo.dic: no category 'joy' in this dictionary; its categories: affect, negemo, posemo\n"
    assert not Path("x.csv").exists()


def test_quanteda_yaml(sources: Path):
    result = run("dictionary.yml", "--out", "policy.csv")
    assert result.exit_code == 0
    assert result.output == (
        "dictionary.yml:6: warning: globs other than a final '*' (such as '*war') are not supported (2 skipped)\n"
        "Wrote policy.csv: 6 entries in 3 categories (economy, security_military, security_police) from yaml file "
        "dictionary.yml\n")
    assert [(term, category) for term, category, _, _ in rows("policy.csv")[1:]] == [
        ("budget deficit", "economy"), ("jobs", "economy"), ("tax*", "economy"),
        ("army", "security_military"), ("troops", "security_military"), ("police", "security_police")]


def test_vader_lexicon_as_a_tone_overlay(sources: Path):
    result = run("vader_lexicon.txt", "--out", "tone.csv")  # named tone.csv: checked as an overlay of the bundled tone
    assert result.exit_code == 0
    assert result.output == (
        "vader_lexicon.txt:2: warning: terms that can never match the tokenizer's output (punctuation, emoticons, stems "
        "under 3 letters; first ':)') are left out (1 skipped)\n"
        "vader_lexicon.txt:3: warning: a mean valence of 0 has no tone (first 'meh'; 1 skipped)\n"
        "Wrote tone.csv: 2 entries in 2 categories (positive, negative) from vader file vader_lexicon.txt\n")
    assert rows("tone.csv")[1:] == [["awful", "negative", "-2", "VADER mean valence -2, sd 0.7746"],
                                    ["hope", "positive", "1.9", "VADER mean valence 1.9, sd 0.53852"]]
    assert CliRunner().invoke(cli, ["lexicon", "check", "tone.csv"]).exit_code == 0


def test_the_result_is_checked(sources: Path):
    result = CliRunner().invoke(cli, ["lexicon", "import", "emo.dic", "--out", "my emotions.csv"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-2:] == [
        "my emotions.csv: the file name gives the lexicon's name and its score columns, so it may hold only letters, "
        "digits and '_'; rename it 'my_emotions.csv'",
        "Wrote my emotions.csv: 4 entries in 2 categories (posemo, negemo) from liwc file emo.dic",
    ]


def test_an_existing_file_is_kept_unless_forced(sources: Path):
    Path("emo.csv").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["lexicon", "import", "emo.dic", "--out", "emo.csv"])
    assert result.exit_code == 2 and "emo.csv exists; choose another --out, or pass --force" in result.output
    assert Path("emo.csv").read_text(encoding="utf-8") == "mine"
    assert run("emo.dic", "--out", "emo.csv", "--force").exit_code == 0


@pytest.mark.parametrize("name, content, fmt", [
    ("x.dic", LIWC, "liwc"), ("x.yml", YAML, "yaml"), ("x.yaml", YAML, "yaml"), ("vader_lexicon.txt", VADER, "vader"),
])
def test_format_from_the_file(tmp_path: Path, name: str, content: str, fmt: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == fmt
    assert import_dictionary(path).format == fmt


def test_unknown_format_lists_the_formats(tmp_path: Path):
    path = tmp_path / "words.txt"
    path.write_text("just words\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["lexicon", "import", str(path), "--out", str(tmp_path / "w.csv")])
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: cannot tell the format from the file name; pass --format with one of: liwc, yaml, vader\n"


@pytest.mark.parametrize("content, message", [
    ("happy\t1\n", "emo.dic:1: not a LIWC dictionary: the category header must sit between two lines holding only '%'"),
])
def test_broken_liwc_file(tmp_path: Path, monkeypatch, content: str, message: str):
    monkeypatch.chdir(tmp_path)
    Path("emo.dic").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["lexicon", "import", "emo.dic", "--out", "emo.csv"])
    assert result.exit_code == 1 and result.output == f"Error: {message}\n"
