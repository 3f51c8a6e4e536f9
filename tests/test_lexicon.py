"""framing.lexicon: term syntax, matching rules and file errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from framing import LexiconError, load_lexicons
from framing.lexicon import is_number, read_lexicon
from framing.lexicon_check import check_lexicons
from framing.lexicon_files import Problem
from framing.tokens import tokenize

from .conftest import write_lexicon


def matched(lexicon_dir: Path, text: str) -> list[tuple[str, str, str]]:
    """(lexicon, category, matched text) for every match in ``text``."""
    lexicons = load_lexicons([lexicon_dir])
    tokens = tokenize(text)
    return [(m.entry.lexicon, m.entry.category, text[tokens.starts[m.first]:tokens.ends[m.last]])
            for m in lexicons.match(tokens)]


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lex"
    write_lexicon(folder, "hedges", [
        ("may", "modal", 1), ("may #", "ignore", 0), ("in may", "ignore", 0),
        ("about #", "approximator", 1), ("over #", "approximator", 1), ("according to", "attribution", 1),
    ])
    write_lexicon(folder, "evaluative", [
        ("hope", "hope", 1), ("glimmer of hope", "hope", 1), ("skeptic*", "fragility", 1), ("landmark", "significance", 2),
    ])
    write_lexicon(folder, "tone", [("hope", "positive", 1.9)])
    return folder


@pytest.mark.parametrize("text, expected", [
    ("Talks may resume.", [("hedges", "modal", "may")]),
    ("Talks resume on May 5.", []),
    ("Talks resumed in May and may go on.", [("hedges", "modal", "may")]),
    ("They freed about 175 prisoners.", [("hedges", "approximator", "about 175")]),
    ("They talked about the prisoners.", []),
    ("Their over 90-minute conversation.", [("hedges", "approximator", "over 90-minute")]),
    ("According to the Kremlin, it worked.", [("hedges", "attribution", "According to")]),
    ("A glimmer of hope appeared.", [("evaluative", "hope", "glimmer of hope"), ("tone", "positive", "hope")]),
    ("Zelenskyy voiced skepticism; skeptics agreed.", [("evaluative", "fragility", "skepticism"), ("evaluative", "fragility", "skeptics")]),
    ("A Landmark deal.", [("evaluative", "significance", "Landmark")]),
    ("There is glimmer. Of hope.", [("evaluative", "hope", "hope"), ("tone", "positive", "hope")]),
])
def test_matching_rules(rules_dir: Path, text: str, expected: list):
    assert matched(rules_dir, text) == expected


@pytest.mark.parametrize("word, expected", [
    ("175", True), ("2.5", True), ("1,000", True), ("90-minute", True), ("two-hour", True),
    ("thirty", True), ("dozen", True), ("may", False), ("the", False), ("one-sided", False), ("twenty-five", True), ("thirty-day", True),
])
def test_is_number(word: str, expected: bool):
    assert is_number(word) is expected


@pytest.mark.parametrize("content, line, problem", [
    ("term,category,weight,note\n,modal,1,\n", 2, "empty term"),
    ("term,category,weight,note\nmay,,1,\n", 2, "empty category for term 'may'"),
    ("term,category,weight,note\nmay,modal,1,\nmight,modal,high,\n", 3, "weight 'high' is not a number"),
    ("term,category,colour\nmay,modal,red\n", 1, "unknown column(s) colour"),
    ("word,category\nmay,modal\n", 1, "missing column(s) term"),
    ("term,category,weight,note\nab*,modal,1,\n", 2, "stem 'ab*' needs at least 3 letters"),
])
def test_bad_lexicon_rows_name_file_and_line(tmp_path: Path, content: str, line: int, problem: str):
    path = tmp_path / "hedges.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        read_lexicon(path)
    assert str(caught.value).startswith(f"{path}:{line}: {problem}")


def test_lexicon_keeps_hash_and_categories(rules_dir: Path):
    lexicons = load_lexicons([rules_dir])
    assert lexicons.names == ["evaluative", "hedges", "tone"]
    hedges = lexicons["hedges"]
    assert hedges.categories == ["approximator", "attribution", "modal"]
    assert len(hedges.sha256) == 64


def test_missing_lexicon_folder_is_an_error(tmp_path: Path):
    with pytest.raises(LexiconError, match="no such lexicon folder"):
        load_lexicons([tmp_path / "absent"])
    with pytest.raises(LexiconError, match="no lexicon files"):
        load_lexicons([tmp_path])


@pytest.mark.parametrize("text, lexicon, category, surface", [
    ("Talks may resume next week.", "hedges", "modal", "may"),
    ("They freed about 175 prisoners.", "hedges", "approximator", "about 175"),
    ("The call reportedly lasted over an hour.", "hedges", "attribution", "reportedly"),
    ("A landmark diplomatic move.", "evaluative", None, "landmark"),
    ("Zelenskyy emphasizes skepticism about Russia.", "evaluative", None, "skepticism"),
    ("Trump’s 2-Hour Call Changes Everything", "boosters", None, "Changes Everything"),
])
def test_default_lexicons_cover_the_seed_words(text: str, lexicon: str, category: str | None, surface: str):
    lexicons = load_lexicons()
    tokens = tokenize(text)
    found = [(m.entry.lexicon, m.entry.category, text[tokens.starts[m.first]:tokens.ends[m.last]]) for m in lexicons.match(tokens)]
    assert any(lex == lexicon and (category is None or cat == category) and seen == surface for lex, cat, seen in found), found


@pytest.mark.parametrize("text", [
    "The talks resume on May 5.",
    "They talked about the prisoners.",
    "Theresa May met the president in May.",
])
def test_default_lexicons_avoid_known_false_hedges(text: str):
    lexicons = load_lexicons()
    tokens = tokenize(text)
    assert [m.entry.term for m in lexicons.match(tokens) if m.entry.lexicon == "hedges"] == []


def test_readme_example_rows_pass_the_checks(tmp_path: Path):
    readme = (Path(__file__).resolve().parent.parent / "lexicons" / "README.md").read_text(encoding="utf-8")
    table = readme.split("One example row per feature:")[1].split("\n\n")[1]
    rows = [(line.split("|")[1], re.search(r"`([^`]+)`", line.split("|", 2)[2]).group(1))
            for line in table.splitlines()[2:]]
    assert len(rows) >= 10
    folder = tmp_path / "lex"
    folder.mkdir()
    overlay = [row for feature, row in rows if "overlay" in feature]
    new = [row for feature, row in rows if "overlay" not in feature]
    (folder / "tone.csv").write_text("term,category,weight,note\n" + "\n".join(overlay) + "\n", encoding="utf-8")
    (folder / "examples.csv").write_text("term,category,weight,note\n" + "\n".join(new) + "\n", encoding="utf-8")
    checked = check_lexicons([folder], defaults=True)
    assert checked.errors == []
    lexicons = checked.lexicon_set()
    assert len(lexicons["examples"].entries) == len(new) and len(overlay) == 2
    assert "flooding" not in {entry.term for entry in lexicons["tone"].entries}


@pytest.mark.parametrize("defaults, names", [
    (None, ["evaluative", "hedges", "tone"]),          # folders given: only them
    (False, ["evaluative", "hedges", "tone"]),
    (True, ["boosters", "evaluative", "frames", "hedges", "modifiers", "tone"]),  # over the bundled ones
])
def test_defaults_underneath_only_when_asked(rules_dir: Path, defaults, names):
    lexicons = load_lexicons([rules_dir], defaults=defaults)
    assert [name for name in lexicons.names if name in names] == names
    assert len(lexicons["hedges"].files) == (2 if defaults else 1)


def test_problems_are_file_line_problem():
    assert str(Problem("lex/a.csv", 3, "empty term")) == "lex/a.csv:3: empty term"
    assert str(Problem("lex/a.csv", None, "bad name")) == "lex/a.csv: bad name"
    assert str(Problem("lex/a.csv", 4, "listed twice", "warning")) == "lex/a.csv:4: warning: listed twice"
