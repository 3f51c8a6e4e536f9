"""framing.score: tone rules, rates, and scores that are a function of the evidence rows."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from framing import load_corpus, load_lexicons, score, score_texts
from framing.score import EVIDENCE_COLUMNS

from .conftest import BUNDLED_CORPUS, write_lexicon


@pytest.fixture
def tone_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lex"
    write_lexicon(folder, "tone", [("positive", "positive", 2.6), ("good", "positive", 1.9), ("crisis", "negative", -3.1)])
    write_lexicon(folder, "modifiers", [("not", "negator", -0.74), ("very", "intensifier", 1.3), ("but", "contrast", 1.5)])
    write_lexicon(folder, "hedges", [("may", "modal", 1), ("may #", "ignore", 0), ("about #", "approximator", 1),
                                     ("reportedly", "attribution", 1)])
    write_lexicon(folder, "boosters", [("clearly", "certainty", 1)])
    return folder


def tone_of(folder: Path, text: str) -> float:
    return float(score_texts([text], load_lexicons([folder]))["tone"].iloc[0])


def test_negation_flips_tone(tone_dir: Path):
    assert tone_of(tone_dir, "This is a positive step.") > 0
    assert tone_of(tone_dir, "This is not a positive step.") < 0


def test_intensifier_strengthens_tone(tone_dir: Path):
    assert tone_of(tone_dir, "A very good step.") > tone_of(tone_dir, "A good step.") > 0


def test_contrast_weights_what_follows(tone_dir: Path):
    # "good" before "but" is weakened (x0.5), "crisis" after it strengthened (x1.5): clearly negative.
    text = "The plan is good but the crisis deepens."
    evidence = score(_single(text), load_lexicons([tone_dir])).evidence
    values = dict(zip(evidence["term"], evidence["value"]))
    assert values == {"good": pytest.approx(1.9 * 0.5), "crisis": pytest.approx(-3.1 * 1.5)}
    assert tone_of(tone_dir, text) < tone_of(tone_dir, "The plan is good and the crisis deepens.") < 0


def test_sentence_tone_is_normalized_sum(tone_dir: Path):
    expected = 2.6 / math.sqrt(2.6 ** 2 + 15)
    assert tone_of(tone_dir, "A positive step.") == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("text, hedges, hedged", [
    ("Talks may resume.", 1, True),
    ("Talks resume on May 5.", 0, False),
    ("They freed about 175 prisoners.", 1, False),
    ("They talked about the prisoners.", 0, False),
    ("The call reportedly lasted long.", 1, False),
])
def test_score_texts_hedges(tone_dir: Path, text: str, hedges: int, hedged: bool):
    row = score_texts([text], load_lexicons([tone_dir])).iloc[0]
    tokens = len(text.split())
    assert row["hedges_per_1k"] == pytest.approx(1000 * hedges / tokens, rel=1e-4)
    assert bool(row["hedged"]) is hedged


def test_score_texts_keeps_input_order(tone_dir: Path):
    table = score_texts(["A crisis.", "A good day.", ""], load_lexicons([tone_dir]))
    assert list(table.columns[:3]) == ["tokens", "sentences", "tone"]
    assert table["tone"].iloc[0] < 0 < table["tone"].iloc[1]
    assert table["tokens"].tolist() == [2, 3, 0] and table["tone"].iloc[2] == 0


def _single(text: str):
    from framing.corpus import Corpus, make_article
    return Corpus(name="one", path="", articles=(make_article(id="x", outlet="O", title="", text=text),))


@pytest.fixture(scope="module")
def bundled():
    return score(load_corpus(BUNDLED_CORPUS))


def test_evidence_rows_point_at_their_words(bundled):
    texts = {article.id: article.text for article in bundled.corpus.articles}
    evidence = bundled.evidence
    assert list(evidence.columns) == EVIDENCE_COLUMNS
    assert len(evidence) > 100
    for row in evidence.itertuples(index=False):
        assert texts[row.article_id][row.start:row.end] == row.text


def test_boilerplate_yields_no_evidence(bundled):
    blog = next(a for a in bundled.corpus.articles if a.outlet == "Unattributed blog")
    rows = bundled.evidence[bundled.evidence["article_id"] == blog.id]
    for exclusion in blog.excluded:
        assert not ((rows["start"] < exclusion.end) & (rows["end"] > exclusion.start)).any()


def test_scores_recomputed_from_evidence_equal_the_table(bundled):
    """An independent recomputation from the evidence rows and token counts."""
    evidence, scores = bundled.evidence, bundled.scores.set_index("article_id")
    for article_id, row in scores.iterrows():
        rows = evidence[evidence["article_id"] == article_id]
        tone_rows = rows[rows["lexicon"] == "tone"]
        sentence_sums = tone_rows.groupby("sentence")["value"].sum()
        sentence_tones = [s / math.sqrt(s * s + 15) for s in sentence_sums]
        assert row["tone"] == pytest.approx(sum(sentence_tones) / row["sentences"], abs=1e-5)
        assert row["positive_share"] == pytest.approx(sum(t > 0.05 for t in sentence_tones) / row["sentences"], abs=1e-5)
        assert row["negative_share"] == pytest.approx(sum(t < -0.05 for t in sentence_tones) / row["sentences"], abs=1e-5)
        quoted = rows.loc[rows["lexicon"] == "quotes", "value"].sum()
        assert row["quote_share"] == pytest.approx(quoted / row["tokens"], abs=1e-5)
        for lexicon in ("hedges", "boosters", "frames", "evaluative"):
            hits = rows.loc[rows["lexicon"] == lexicon, "value"].sum()
            assert row[f"{lexicon}_per_1k"] == pytest.approx(1000 * hits / row["tokens"], abs=1e-4)
        conflict = rows.loc[(rows["lexicon"] == "frames") & (rows["category"] == "conflict"), "value"].sum()
        assert row["frames_conflict_per_1k"] == pytest.approx(1000 * conflict / row["tokens"], abs=1e-4)


def test_quotes_are_found_in_every_style(tone_dir: Path):
    text = 'He said “yes”. She said «no». They said "maybe".'
    evidence = score(_single(text), load_lexicons([tone_dir])).evidence
    quotes = evidence[evidence["lexicon"] == "quotes"]
    assert quotes["text"].tolist() == ["“yes”", "«no»", '"maybe"']
    assert quotes["value"].tolist() == [1.0, 1.0, 1.0]


def test_scoring_is_deterministic():
    first = score(load_corpus(BUNDLED_CORPUS))
    second = score(load_corpus(BUNDLED_CORPUS))
    pd.testing.assert_frame_equal(first.evidence, second.evidence)
    pd.testing.assert_frame_equal(first.scores, second.scores)
