"""framing.score: tone rules, rates, and scores that are a function of the evidence rows."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from framing import load_corpus, load_lexicons, score, score_texts
from framing.compare import scoring_evidence
from framing.score import COUNT_COLUMNS, EVIDENCE_COLUMNS, QUOTE_LEXICON, measure_column, rate_lexicons, scores_from_evidence

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


def test_evidence_rows_point_at_their_words(scored):
    texts = {article.id: article.text for article in scored.corpus.articles}
    evidence = scored.evidence
    assert list(evidence.columns) == EVIDENCE_COLUMNS
    assert len(evidence) > 100
    for row in evidence.itertuples(index=False):
        assert texts[row.article_id][row.start:row.end] == row.text


def test_boilerplate_yields_no_evidence(scored):
    blog = next(a for a in scored.corpus.articles if a.outlet == "Unattributed blog")
    rows = scored.evidence[scored.evidence["article_id"] == blog.id]
    for exclusion in blog.excluded:
        assert not ((rows["start"] < exclusion.end) & (rows["end"] > exclusion.start)).any()


def test_scores_recomputed_from_evidence_equal_the_table(scored):
    """An independent recomputation from the evidence rows and token counts."""
    evidence, scores = scored.evidence, scored.scores.set_index("article_id")
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


def pandas_scores(counts: pd.DataFrame, evidence: pd.DataFrame, lexicons, key: str) -> pd.DataFrame:
    """The score formulas written with pandas groupbys, independently of ``scores_from_evidence``."""
    grouped = counts.groupby(key, sort=True)[["tokens", "sentences"]].sum()
    tokens = grouped["tokens"].where(grouped["tokens"] > 0)
    sentences = grouped["sentences"].where(grouped["sentences"] > 0)
    keys = ["article_id", "sentence"] if key == "article_id" else [key, "article_id", "sentence"]
    sums = evidence[evidence["lexicon"] == "tone"].groupby(keys, observed=True)["value"].sum()
    tones = (sums / (sums * sums + 15) ** 0.5).rename("tone").reset_index()
    table = pd.DataFrame(index=grouped.index)
    if key == "article_id":
        table = counts.set_index("article_id")[["outlet", "title"]].copy()
    table["tokens"], table["sentences"] = grouped["tokens"], grouped["sentences"]
    for column, rows in [("tone", tones), ("positive_share", tones[tones["tone"] > 0.05]),
                         ("negative_share", tones[tones["tone"] < -0.05])]:
        per_key = rows.groupby(key, observed=True)["tone"].sum() if column == "tone" else rows.groupby(key).size()
        table[column] = (per_key.reindex(grouped.index).fillna(0.0) / sentences).fillna(0.0)
    quoted = evidence[evidence["lexicon"] == QUOTE_LEXICON].groupby(key, observed=True)["value"].sum()
    table["quote_share"] = (quoted.reindex(grouped.index).fillna(0.0) / tokens).fillna(0.0)
    for name in rate_lexicons(lexicons):
        rows = evidence[evidence["lexicon"] == name]
        columns = [(measure_column(name), rows)] + [(measure_column(name, category), rows[rows["category"] == category])
                                                   for category in lexicons[name].categories]
        for column, selected in columns:
            hits = selected.groupby(key, observed=True)["value"].sum().reindex(grouped.index).fillna(0.0)
            table[column] = (1000.0 * hits / tokens).fillna(0.0)
    return table.reset_index().round(6)


def test_scores_equal_the_formulas_written_with_pandas(scored):
    counts = scored.scores[COUNT_COLUMNS]
    for key in ("article_id", "outlet"):
        expected = pandas_scores(counts, scored.evidence, scored.lexicons, key)
        pd.testing.assert_frame_equal(scores_from_evidence(counts, scored.evidence, scored.lexicons, key), expected,
                                      check_exact=False, rtol=0, atol=1e-6)


def test_scores_do_not_depend_on_row_order_column_types_or_unknown_keys(scored):
    counts = scored.scores[COUNT_COLUMNS].copy()
    counts.loc[0, "tokens"] = counts.loc[0, "sentences"] = 0  # an article with no words: its rates are 0
    stranger = scored.evidence.head(20).assign(article_id="not-in-counts", outlet="Nowhere")
    evidence = pd.concat([scored.evidence, stranger]).sample(frac=1.0, random_state=4).reset_index(drop=True)
    for key in ("article_id", "outlet"):
        expected = pandas_scores(counts, evidence, scored.lexicons, key)
        for rows in (evidence, scoring_evidence(evidence)):  # strings, or lexicon and category as categoricals
            table = scores_from_evidence(counts, rows, scored.lexicons, key)
            pd.testing.assert_frame_equal(table, expected, check_exact=False, rtol=0, atol=1e-6)
    first = scores_from_evidence(counts, evidence, scored.lexicons).iloc[0]
    assert first["tokens"] == 0 and first["tone"] == 0.0 and first["hedges_per_1k"] == 0.0


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


# ---------------------------------------------------------------------------------------------
# Tone rules and hedging cues of the shipped lexicons (issue 4: scores that hold up).
# Each row is a sentence that shows one rule; the bundled lexicons and tone_rules.json are used.

@pytest.fixture(scope="module")
def shipped():
    return load_lexicons()


def _tone_evidence(text: str, lexicons) -> pd.DataFrame:
    evidence = score(_single(text), lexicons).evidence
    return evidence[evidence["lexicon"] == "tone"].set_index("term")


def test_shipped_tone_rules_come_from_the_data_file():
    import json
    from framing.score import TONE_RULES, TONE_RULES_PATH, ToneRules
    parameters = json.loads(TONE_RULES_PATH.read_text(encoding="utf-8"))["parameters"]
    assert TONE_RULES == ToneRules(**parameters)
    assert TONE_RULES != ToneRules()  # the fitted values differ from VADER's defaults


@pytest.mark.parametrize("text, sign", [
    ("The talks were a success.", 1),
    ("The talks were not a success.", -1),                      # negation flips a positive word
    ("They did not find the plan good.", -1),                   # negator four tokens before the word
    ("No, the plan is good.", 1),                               # a comma ends the negation's scope
    ("The talks were a failure.", -1),
    ("This is not a crisis.", 0),                               # a negated negative word is cancelled
    ("Officials denounced the corruption.", -1),                # news additions: 'denounced', 'corruption'
    ("It was a sensible and reasonable compromise.", 1),        # news additions: 'sensible', 'reasonable'
])
def test_tone_sign_of_rule_sentences(shipped, text: str, sign: int):
    tone = float(score_texts([text], shipped)["tone"].iloc[0])
    assert (tone > 0.05) - (tone < -0.05) == sign, tone


@pytest.mark.parametrize("text, term, factor, reason", [
    ("The talks were not a success.", "success", -0.74, "negated by 'not'"),
    ("This is not a crisis.", "crisis", 0.0, "negated by 'not'"),
    ("The plan is good but the crisis deepens.", "crisis", 1.5, "after contrast 'but'"),
    ("The plan is good but the crisis deepens.", "good", 0.5, "before contrast 'but'"),
    ("Despite the crisis, the talks were a success.", "crisis", 0.5, "after contrast 'Despite'"),
    ("Despite the crisis, the talks were a success.", "success", 1.5, "main clause after concessive contrast 'Despite'"),
    ("The talks were a success, despite the crisis.", "success", 1.5, "before contrast 'despite'"),
    ("It was a very good day.", "good", 1.3, "intensifier 'very'"),
    ('He called it "a disaster" on Monday.', "disaster", 0.5, "inside a quotation"),
    ("He called it ''a disaster'' on Monday.", "disaster", 0.5, "inside a quotation"),  # archive-style quotes
])
def test_every_tone_rule_leaves_its_factor_in_the_evidence(shipped, text, term, factor, reason):
    row = _tone_evidence(text, shipped).loc[term]
    assert row["value"] == pytest.approx(row["weight"] * factor, abs=1e-6)
    assert reason in row["rule"]


def test_negation_scope_is_four_tokens_and_stops_at_a_comma(shipped):
    assert _tone_evidence("They did not find the plan good.", shipped).loc["good", "rule"].startswith("negated")
    assert _tone_evidence("The plan is not good.", shipped).loc["good", "rule"].startswith("negated")
    assert _tone_evidence("The plan is not, he said, good.", shipped).loc["good", "rule"] == ""
    assert _tone_evidence("Not one of the many people here was happy.", shipped).loc["happy", "rule"] == ""


def test_a_rule_explains_every_changed_value(scored):
    tone = scored.evidence[scored.evidence["lexicon"] == "tone"]
    changed = tone[(tone["value"] - tone["weight"]).abs() > 1e-9]
    assert len(changed) > 10
    assert (changed["rule"] != "").all()
    assert ((tone["rule"] == "") == ((tone["value"] - tone["weight"]).abs() <= 1e-9)).all()


@pytest.mark.parametrize("text, hedged, category", [
    ("Talks may resume next week.", True, "modal"),
    ("Talks resume in May.", False, None),                        # the month
    ("The deal was signed on May 5.", False, None),
    ("Theresa May spoke to reporters.", False, None),             # the name
    ("They talked about the ceasefire.", False, None),            # 'about' the topic
    ("About 200 people were freed.", False, "approximator"),      # 'about' before a number
    ("The talks reportedly collapsed.", False, "attribution"),    # an attribution shield, not uncertainty
    ("According to officials, the truce held.", False, "attribution"),
    ("The leader is believed to be ill.", True, "doxastic"),      # belief passive
    ("He is widely seen as a moderate.", True, "doxastic"),       # belief construction
    ("The bill is being considered by the committee.", False, None),  # deliberation, not belief
    ("The truce could collapse.", True, "modal"),
    ("They could no longer afford the rent.", False, None),       # past inability
    ("He appeared on television on Sunday.", False, None),        # a physical appearance
    ("He appeared to be tired.", True, "epistemic"),
    ("An estimated 500 people attended.", False, "approximator"),
    ("Officials estimate that 500 people died.", True, "doxastic"),
    ("Life expectancy rose last year.", False, None),
    ("The vote is expected next week.", True, "doxastic"),
    ("If the truce holds, talks will resume.", True, "conditional"),
    ("He acted as if nothing had happened.", False, None),
    ("Prices vary depending on the region.", False, None),       # variation, not a condition
    ("Voters tend to favor incumbents.", False, "approximator"),
    ("It remains unclear whether the truce will hold.", True, "epistemic"),
    ("Negotiators will explore the possibility of a truce.", True, "investigative"),
    ("Tourists explore the old city.", False, None),
    ("It is possible to reach the city by train.", False, None),  # feasibility, not doubt
    ("Officials fear that the truce could collapse.", True, "doxastic"),
])
def test_hedging_cues_in_context(shipped, text: str, hedged: bool, category: str | None):
    row = score_texts([text], shipped).iloc[0]
    assert bool(row["hedged"]) is hedged
    if category is None:
        assert row["hedges_per_1k"] == 0
    else:
        assert row[f"hedges_{category}_per_1k"] > 0
