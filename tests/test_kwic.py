"""framing kwic: every use of a term or of a lexicon's entries, in aligned context."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from framing import load_corpus, load_lexicons
from framing.cli import cli
from framing.kwic import KWIC_COLUMNS, kwic

from .conftest import write_corpus, write_lexicon


@pytest.fixture
def news(tmp_path: Path, monkeypatch) -> Path:
    """'power' as electricity (Grid News) and as influence (Capitol Daily), with a small lexicon folder 'lex'."""
    monkeypatch.chdir(tmp_path)
    write_lexicon(Path("lex"), "frames", [("power over", "conflict", 1), ("power plant", "ignore", 0)])
    write_lexicon(Path("lex"), "tone", [("corrupt*", "negative", -2.0), ("real", "positive", 1)])
    return write_corpus(Path("news"), [
        {"id": "a1", "outlet": "Grid News", "title": "Storm night",
         "text": "Storms cut power to 40,000 homes.\nCrews restored power overnight. The power plant held."},
        {"id": "b1", "outlet": "Capitol Daily", "title": "Budget fight",
         "text": "The senator has real power over the budget. Power corrupts, critics said."},
    ])


def run(*args: str):
    result = CliRunner().invoke(cli, [*args, "--lexicons", "lex", "--no-default-lexicons"], catch_exceptions=False)
    return result


def test_term_in_context_with_what_the_lexicons_count_there(news: Path):
    result = run("kwic", "power", str(news), "--width", "20")
    assert result.exit_code == 0
    assert result.stdout == (
        "Grid News      a1   night / Storms cut  [power]  to 40,000 homes. /   -\n"
        "Grid News      a1  s. / Crews restored  [power]  overnight. The powe  -\n"
        "Grid News      a1  ower overnight. The  [power]  plant held.          frames:ignore (power plant)\n"
        "Capitol Daily  b1  he senator has real  [power]  over the budget. Po  frames:conflict (power over)\n"
        "Capitol Daily  b1  er over the budget.  [Power]  corrupts, critics s  -\n"
        "5 uses of 'power' in 2 articles of 2 outlets\n")


def test_lexicon_category_shows_matches_as_scored(news: Path):
    result = run("kwic", "tone:negative", str(news), "--width", "12")
    assert result.stdout == ("Capitol Daily  b1  dget. Power  [corrupts] , critics sa  negative: corrupt*\n"
                             "1 use of 'tone:negative' in 1 article of 1 outlet\n")
    blocked = run("kwic", "frames:ignore", str(news), "--width", "8")
    assert blocked.stdout == ("Grid News  a1  ht. The  [power plant]  held.    ignore: power plant\n"
                              "1 use of 'frames:ignore' in 1 article of 1 outlet\n")


@pytest.mark.parametrize("query, lines", [
    ("power*", 5), ("power over", 1), ("restored #", 0), ("cut power to #", 1), ("Power", 5), ("frames:", 1),
])
def test_term_syntax_is_the_lexicon_syntax(news: Path, query: str, lines: int):
    table = kwic(load_corpus(news), query, load_lexicons([Path("lex")]))
    assert list(table.columns) == KWIC_COLUMNS and len(table) == lines


def test_limit_and_width(news: Path):
    result = run("kwic", "power", str(news), "--limit", "1", "--width", "5")
    assert result.stdout == ("Grid News  a1   cut  [power]  to 4  -\n"
                             "5 uses of 'power' in 2 articles of 2 outlets; showing the first 1 (--limit 0 shows all)\n")
    assert len(run("kwic", "power", str(news), "--limit", "0").stdout.splitlines()) == 6


@pytest.mark.parametrize("query, message", [
    ("power!", "Error: query 'power!': 'power!' can never match: the tokenizer reads it as 'power'; write 'power'\n"),
    ("fr:", "Error: query 'fr:': no lexicon named 'fr'; loaded lexicons: frames, tone (or give a term without ':')\n"),
    ("frames:x", "Error: query 'frames:x': no category 'x' in frames; its categories: conflict, ignore\n"),
])
def test_bad_queries_name_the_valid_choices(news: Path, query: str, message: str):
    result = CliRunner().invoke(cli, ["kwic", query, str(news), "--lexicons", "lex", "--no-default-lexicons"])
    assert result.exit_code == 1 and result.output == message
