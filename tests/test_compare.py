"""framing.compare: outlet aggregation, distinguishing terms and the robustness checks."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing import compare, load_corpus, load_lexicons, score
from framing.compare import check_difference, sentence_contributions

from .conftest import write_corpus, write_lexicon


@pytest.fixture
def hedge_lexicons(tmp_path: Path):
    folder = tmp_path / "lex"
    write_lexicon(folder, "hedges", [("may", "modal", 1), ("perhaps", "epistemic", 1), ("might", "modal", 1),
                                     ("possibly", "epistemic", 1), ("likely", "epistemic", 1)])
    write_lexicon(folder, "tone", [("good", "positive", 1.9)])
    return load_lexicons([folder])


def corpus_with(tmp_path: Path, hedged_text: str, plain_text: str):
    return load_corpus(write_corpus(tmp_path / "c", [
        {"id": "h1", "outlet": "Hedger", "title": "One", "text": hedged_text},
        {"id": "p1", "outlet": "Plain", "title": "Two", "text": plain_text},
    ]))


PLAIN = " ".join(f"Officials met on day {n}." for n in range(1, 31))


def test_outlet_rates_pool_tokens(tmp_path: Path, hedge_lexicons):
    scored = score(corpus_with(tmp_path, "Talks may resume. Perhaps soon.", "Talks resume."), hedge_lexicons)
    outlets = compare(scored).outlets.set_index("outlet")
    assert outlets.loc["Hedger", "tokens"] == 6 and outlets.loc["Hedger", "hedges_per_1k"] == pytest.approx(2000 / 6)
    assert outlets.loc["Plain", "hedges_per_1k"] == 0


def test_sentence_contributions_add_up_to_the_outlet_value(tmp_path: Path, hedge_lexicons):
    scored = score(corpus_with(tmp_path, "Talks may resume. Perhaps soon. A good day.", PLAIN), hedge_lexicons)
    comparison = compare(scored)
    for column in ("hedges_per_1k", "tone", "positive_share"):
        table = sentence_contributions(scored, comparison.measure(column))
        for outlet, rows in table.groupby("outlet"):
            expected = comparison.outlets.set_index("outlet").loc[outlet, column]
            assert rows["numerator"].sum() / rows["denominator"].sum() == pytest.approx(expected, abs=1e-6)


def test_broad_difference_holds_and_survives(tmp_path: Path, hedge_lexicons):
    words = ["may", "perhaps", "might", "possibly", "likely"]
    hedged = " ".join(f"Talks {words[n % 5]} resume on day {n}." for n in range(1, 31))
    scored = score(corpus_with(tmp_path, hedged, PLAIN), hedge_lexicons)
    check = check_difference(scored, compare(scored), "hedges_per_1k")
    assert (check["leader"], check["runner_up"]) == ("Hedger", "Plain")
    assert check["ci_low"] > 0 and check["holds"] and check["survives"]
    assert check["difference_without"] > 0 and len(check["dropped_terms"].split(" / ")) == 3


def test_difference_resting_on_one_word_does_not_survive(tmp_path: Path, hedge_lexicons):
    hedged = " ".join(f"Talks may resume on day {n}." for n in range(1, 31))
    scored = score(corpus_with(tmp_path, hedged, PLAIN), hedge_lexicons)
    check = check_difference(scored, compare(scored), "hedges_per_1k")
    assert check["holds"] and not check["survives"]
    assert check["dropped_terms"] == "may" and check["difference_without"] == 0


def test_bootstrap_is_seeded(tmp_path: Path, hedge_lexicons):
    hedged = "Talks may resume. It is a good day. Perhaps not. Officials met. " * 3
    scored = score(corpus_with(tmp_path, hedged, PLAIN), hedge_lexicons)
    comparison = compare(scored)
    first = check_difference(scored, comparison, "hedges_per_1k", n_boot=200, random_state=7)
    second = check_difference(scored, comparison, "hedges_per_1k", n_boot=200, random_state=7)
    assert first == second


def test_outlet_table_matches_scoring_the_raw_evidence(scored):
    from framing.score import COUNT_COLUMNS, scores_from_evidence

    expected = scores_from_evidence(scored.scores[COUNT_COLUMNS], scored.evidence, scored.lexicons, key="outlet")
    outlets = compare(scored).outlets
    assert outlets.drop(columns="articles").equals(expected.sort_values("outlet").reset_index(drop=True))


def test_sentence_index_points_each_evidence_row_at_its_sentence(scored):
    from framing.compare import sentence_index

    index = sentence_index(scored)
    rows = index.sentences.iloc[index.evidence_sentence]
    assert (index.evidence_sentence >= 0).all()
    assert rows["article_id"].tolist() == scored.evidence["article_id"].tolist()
    assert rows["sentence"].tolist() == scored.evidence["sentence"].tolist()
    assert (rows["start"].to_numpy() <= scored.evidence["start"].to_numpy()).all()


def synthetic_contributions(articles: int, sentences: int) -> pd.DataFrame:
    """Two outlets' sentences with random hit counts and lengths, the second a little more hedged."""
    rng = np.random.default_rng(3)
    frames = []
    for outlet, rate in (("Leader", 0.30), ("Other", 0.25)):
        for article in range(articles):
            tokens = rng.integers(5, 40, sentences).astype(float)
            hits = rng.binomial(tokens.astype(int), rate / 10) * 1000.0
            frames.append(pd.DataFrame({"article_id": f"{outlet}-{article:03d}", "sentence": range(sentences),
                                        "outlet": outlet, "numerator": hits, "denominator": tokens}))
    return pd.concat(frames, ignore_index=True)


def test_normal_approximation_of_the_bootstrap_agrees_with_resampling(monkeypatch):
    module = sys.modules["framing.compare"]  # the module: the name framing.compare is the function
    table = synthetic_contributions(articles=60, sentences=30)  # 3,600 sentences
    assert module.interval_method(len(table)) == module.RESAMPLED
    exact = module.bootstrap_gap(table, "Leader", "Other", n_boot=2000, random_state=0)
    monkeypatch.setattr(module, "BOOTSTRAP_EXACT_MAX_SENTENCES", 100)
    assert module.interval_method(len(table)) == module.NORMAL_APPROXIMATION
    approximate = module.bootstrap_gap(table, "Leader", "Other", n_boot=2000, random_state=0)
    width = exact[1] - exact[0]
    assert width > 0 and abs(approximate[0] - exact[0]) < 0.1 * width and abs(approximate[1] - exact[1]) < 0.1 * width
    assert approximate == module.bootstrap_gap(table, "Leader", "Other", n_boot=2000, random_state=0)
