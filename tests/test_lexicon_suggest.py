"""framing lexicon suggest: uncovered words and phrases that set outlets apart, by weighted log-odds."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from framing import load_lexicons
from framing.cli import cli
from framing.corpus import make_article
from framing.lexicon_suggest import SUGGEST_COLUMNS, suggest_terms

from .conftest import SHARED, write_lexicon

ALLSIDES = SHARED / "corpora" / "allsides-11-outlets.jsonl.gz"


@pytest.fixture
def calm_lexicon(tmp_path: Path):
    write_lexicon(tmp_path / "lex", "tone", [("calmly", "positive", 1.0)])
    return load_lexicons([tmp_path / "lex"])


ARTICLES = [
    make_article(id="h1", outlet="Hawk", title="", text="Crisis crisis crisis. Border."),
    make_article(id="d1", outlet="Dove", title="", text="Border border talks. Calmly."),
]


def z_score(y_i: float, y_j: float, n_i: float, n_j: float, a_w: float, a0: float) -> float:
    delta = math.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - math.log((y_j + a_w) / (n_j + a0 - y_j - a_w))
    return delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))


def test_log_odds_arithmetic_against_a_hand_computation(calm_lexicon):
    # Unigrams, 'calmly' covered by the lexicon: Hawk {crisis: 3, border: 1} (n = 4), Dove {border: 2, talks: 1}
    # (n = 3). With alpha0 = 7 (the corpus's 7 words) the prior is each word's corpus count: crisis 3, border 3, talks 1.
    # Bigrams (within a sentence, both words uncovered): Hawk {crisis crisis: 2}, Dove {border border: 1,
    # border talks: 1}; 4 in all, so the prior of 'crisis crisis' is 7 * 2 / 4 = 3.5.
    table = suggest_terms(ARTICLES, calm_lexicon, min_count=1, z_threshold=0, alpha0=7)
    assert list(table.columns) == SUGGEST_COLUMNS
    z = {(row.outlet, row.term): row.z for row in table.itertuples()}
    assert z == pytest.approx({
        ("Hawk", "crisis"): z_score(3, 0, 4, 3, 3, 7),          # log(6/5) - log(3/7), over sqrt(1/6 + 1/3)
        ("Hawk", "crisis crisis"): z_score(2, 0, 2, 2, 3.5, 7),
        ("Dove", "border"): z_score(2, 1, 3, 4, 3, 7),
        ("Dove", "border border"): z_score(1, 0, 2, 2, 1.75, 7),
        ("Dove", "border talks"): z_score(1, 0, 2, 2, 1.75, 7),
    }, abs=1e-3)
    assert z[("Hawk", "crisis")] == pytest.approx(1.456, abs=1e-3)
    assert ("Dove", "calmly") not in z and ("Hawk", "border") not in z  # covered; used less than the rest
    assert ("Dove", "talks") not in z  # its one use is inside 'border talks', which is suggested
    rows = {(row.outlet, row.term): row for row in table.itertuples()}
    assert rows[("Hawk", "crisis")].examples == "Crisis crisis crisis."
    assert rows[("Dove", "border")].count == 2 and rows[("Dove", "border")].category == ""
    assert list(table["outlet"]) == ["Dove"] * 3 + ["Hawk"] * 2 and table["z"].iloc[0] == table["z"].iloc[:3].max()


def test_min_count_and_z_threshold_filter(calm_lexicon):
    assert suggest_terms(ARTICLES, calm_lexicon, min_count=1, z_threshold=1.96, alpha0=7).empty
    table = suggest_terms(ARTICLES, calm_lexicon, min_count=3, z_threshold=0, alpha0=7)
    assert list(table["term"]) == ["crisis"]
    assert suggest_terms(ARTICLES, calm_lexicon, min_count=10, z_threshold=0).empty


def test_stop_words_are_counted_but_never_suggested(calm_lexicon):
    articles = [make_article(id="a", outlet="A", title="", text="The the the storm storm storm."),
                make_article(id="b", outlet="B", title="", text="A calm sea.")]
    table = suggest_terms(articles, calm_lexicon, min_count=1, z_threshold=0)
    assert "the" not in set(table["term"]) and "the storm" not in set(table["term"]) and "storm" in set(table["term"])


def test_one_outlet_gives_no_suggestions(calm_lexicon):
    assert suggest_terms(ARTICLES[:1], calm_lexicon, min_count=1, z_threshold=0).empty


@pytest.mark.skipif(not ALLSIDES.is_file(), reason=f"the AllSides corpus is not at {ALLSIDES} (see ../shared/corpora/README.md)")
def test_suggest_on_the_allsides_corpus(tmp_path: Path):
    out = tmp_path / "suggestions.csv"
    result = CliRunner().invoke(cli, ["lexicon", "suggest", str(ALLSIDES), "--limit", "12", "--top", "5",
                                      "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    with open(out, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == SUGGEST_COLUMNS
    outlets = {row["outlet"] for row in rows}
    assert len(outlets) >= 10  # 11 outlets; each gets terms unless none clears the bar
    lexicons = load_lexicons()
    from framing.tokens import tokenize

    for row in rows:
        assert float(row["z"]) >= 1.96 and int(row["count"]) >= 3 and row["category"] == "" and row["weight"] == "1"
        examples = row["examples"].split("\n")
        assert 1 <= len(examples) <= 2
        words = tuple(row["term"].split())
        for example in examples:
            tokens = tokenize(example)
            covered = {index for match in lexicons.match(tokens, include_ignored=True)
                       for index in range(match.first, match.last + 1)}
            assert any(tokens.words[i:i + len(words)] == words and not covered & set(range(i, i + len(words)))
                       for i in range(len(tokens.words))), (row["term"], example)
    stdout = result.stdout
    for outlet in outlets:
        assert f"\n{outlet}\n" in f"\n{stdout}"
    assert stdout.endswith(f"Wrote {out} ({len(rows)} suggestions; fill in 'category' before use)\n")
