"""framing lexicon coverage: which entries fire on a corpus, how often, and which never do."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from framing import load_corpus, load_lexicons
from framing.cli import cli
from framing.lexicon_coverage import CATEGORY_COLUMNS, lexicon_coverage

from .conftest import write_corpus, write_lexicon


@pytest.fixture
def news(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_lexicon(Path("lex"), "frames", [("power over", "conflict", 1), ("power plant", "ignore", 0)])
    write_lexicon(Path("lex"), "tone", [("corrupt*", "negative", -2.0), ("real", "positive", 1), ("calm", "positive", 1.3)])
    # 12 + 14 tokens: "Storm night Storms cut power to 40,000 homes Crews restored power overnight", and
    # "Budget fight The senator has real power over the budget Power corrupts critics said"
    return write_corpus(Path("news"), [
        {"id": "a1", "outlet": "Grid News", "title": "Storm night",
         "text": "Storms cut power to 40,000 homes.\nCrews restored power overnight."},
        {"id": "b1", "outlet": "Capitol Daily", "title": "Budget fight",
         "text": "The senator has real power over the budget. Power corrupts, critics said."},
    ])


def test_coverage_table_and_never_firing_entries(news: Path):
    result = CliRunner().invoke(cli, ["lexicon", "coverage", str(news), "--out", "never.csv",
                                      "--lexicons", "lex", "--no-default-lexicons"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == (
        "lexicon / category  entries  firing  matches  tokens covered\n"
        "frames                    2       1        1           7.69%\n"
        "  conflict                1       1        1           7.69%\n"
        "  ignore                  1       0        0           0.00%\n"
        "tone                      3       2        2           7.69%\n"
        "  negative                1       1        1           3.85%\n"
        "  positive                2       1        1           3.85%\n"
        "2 articles, 26 tokens; 2 entries never fire (listed in never.csv)\n")
    with open("never.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows == [
        ["lexicon", "category", "term", "weight", "note", "file", "line", "matches"],
        ["frames", "ignore", "power plant", "0", "", str(Path("lex") / "frames.csv"), "3", "0"],
        ["tone", "positive", "calm", "1.3", "", str(Path("lex") / "tone.csv"), "4", "0"],
    ]


def test_coverage_counts_per_entry(news: Path):
    coverage = lexicon_coverage(load_corpus(news), load_lexicons([Path("lex")]))
    assert list(coverage.categories.columns) == CATEGORY_COLUMNS
    assert coverage.tokens == 26 and coverage.articles == 2
    counts = dict(zip(coverage.entries["term"], coverage.entries["matches"]))
    assert counts == {"power over": 1, "power plant": 0, "corrupt*": 1, "real": 1, "calm": 0}
    totals = coverage.categories.set_index(["lexicon", "category"])
    assert totals.loc[("frames", "conflict"), "tokens"] == 2  # a phrase covers both its tokens
    assert totals.loc[("tone", "(all)"), "share"] == pytest.approx(2 / 26, abs=1e-6)


def test_bundled_lexicons_on_the_bundled_corpus():
    result = CliRunner().invoke(cli, ["lexicon", "coverage"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["lexicon", "/", "category", "entries", "firing", "matches", "tokens", "covered"]
    assert any(line.startswith("tone ") for line in lines) and lines[-1].startswith("3 articles, ")
