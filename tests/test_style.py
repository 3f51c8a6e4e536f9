"""framing.style: per-article style features, outlet clusters, their stability, prediction and label alignment.

Synthetic feature tables where the right answer is known (two groups of outlets far apart,
outlets that differ only by noise), tiny corpora for the simple measures and the reasons a
small corpus gets, and one check on the AllSides corpus when it is present.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

from framing import load_corpus, score
from framing.cli import cli
from framing.errors import InputError
from framing.report.render import build_report
from framing.report.style_section import style_section
from framing.style import (
    EXCLAMATION_RATE, MEAN_SENTENCE_TOKENS, QUESTION_RATE, SENTENCES_PER_PARAGRAPH, SIMPLE_FEATURES, SUMMARY_COLUMNS,
    Stability, StyleAnalysis, StyleClusters, analyze_style, cluster_outlets, cluster_stability, outlet_summaries,
    predict_outlets, style_features,
)
from framing.style_alignment import (
    DEFAULT_LABELS, BiasAlignment, adjusted_rand_indices, bias_alignment, load_outlet_labels,
)
from framing.style_prediction import (
    BAG_OF_WORDS_MODEL, MAJORITY_MODEL, PREDICTION_COLUMNS, STYLE_MODEL, UNIFORM_MODEL, Separability,
)
from framing.word_counts import hashed_word_counts, tfidf_split

from .conftest import SHARED, write_corpus

ALLSIDES = SHARED / "corpora" / "allsides-11-outlets.jsonl.gz"


def feature_table(means: dict[str, float], articles: int = 40, seed: int = 1, noise: int = 2) -> pd.DataFrame:
    """Articles of outlets whose feature ``signal`` is drawn around the given mean (sd 1), plus pure-noise features."""
    rng = np.random.default_rng(seed)
    rows = []
    for outlet, mean in means.items():
        for index in range(articles):
            row = {"article_id": f"{outlet}-{index}", "outlet": outlet, "signal": rng.normal(mean, 1.0),
                   "echo": rng.normal(mean / 2, 1.0)}
            row.update({f"noise{n}": rng.normal(0.0, 1.0) for n in range(noise)})
            rows.append(row)
    return pd.DataFrame(rows)


TWO_GROUPS = {"A1": 0.0, "A2": 0.1, "A3": -0.1, "A4": 0.05, "B1": 6.0, "B2": 6.1, "B3": 5.9, "B4": 6.05}
SEPARATE = {"P": 0.0, "Q": 4.0, "R": 8.0, "S": 12.0}
ALIKE = {"X": 0.0, "Y": 0.0, "Z": 0.0}


# --- features ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, column, expected", [
    ("Is it over? Yes.", QUESTION_RATE, 1 / 3),  # the headline is a sentence too
    ("“Why?” he asked. Nobody knew.", QUESTION_RATE, 1 / 4),  # closing quotes do not hide the mark
    ("Stop! Now!", EXCLAMATION_RATE, 2 / 3),
    ("No marks here", QUESTION_RATE, 0.0),
    ("One. Two.\n\nThree.", SENTENCES_PER_PARAGRAPH, 4 / 3),  # headline, two paragraphs
    ("Is it over? Yes.", MEAN_SENTENCE_TOKENS, 5 / 3),  # 1 + 3 + 1 tokens
])
def test_simple_measures_of_one_article(tmp_path: Path, text: str, column: str, expected: float):
    corpus = write_corpus(tmp_path / "c", [{"id": "a1", "outlet": "X", "title": "Headline", "text": text}])
    features = style_features(score(load_corpus(corpus)))
    assert features.loc[0, column] == pytest.approx(expected, abs=1e-6)


def test_features_hold_the_scores_and_the_simple_measures(scored):
    features = style_features(scored)
    assert list(features["article_id"]) == list(scored.scores["article_id"])
    for column in ["tone", "quote_share", "hedges_per_1k", "frames_conflict_per_1k", *SIMPLE_FEATURES]:
        assert column in features.columns
    assert "tokens" not in features.columns and "title" not in features.columns
    pd.testing.assert_series_equal(features["hedges_per_1k"], scored.scores["hedges_per_1k"].round(6), check_names=False)


def test_outlet_summaries_are_mean_and_quartiles():
    features = feature_table({"A": 0.0, "B": 3.0}, articles=9, noise=0)
    table = outlet_summaries(features)
    assert list(table.columns) == SUMMARY_COLUMNS
    row = table[(table["outlet"] == "B") & (table["feature"] == "signal")].iloc[0]
    values = features.loc[features["outlet"] == "B", "signal"]
    assert row["articles"] == 9
    assert row["mean"] == pytest.approx(values.mean(), abs=1e-6)
    assert row["median"] == pytest.approx(values.median(), abs=1e-6)
    assert row["q25"] <= row["median"] <= row["q75"]


# --- clusters and stability ---------------------------------------------------------------------

def test_two_groups_give_k_2_by_silhouette_and_stable_clusters():
    features = feature_table(TWO_GROUPS)
    clusters = cluster_outlets(features)
    assert clusters.available and clusters.n_clusters == 2
    labels = clusters.labels
    assert len({labels[name] for name in ("A1", "A2", "A3", "A4")}) == 1
    assert labels["A1"] != labels["B1"] == labels["B2"] == labels["B3"] == labels["B4"]
    silhouettes = clusters.model.silhouette_
    assert list(silhouettes["k"]) == [2, 3, 4, 5, 6, 7]  # 2..min(8, outlets - 1)
    assert silhouettes.loc[silhouettes["silhouette"].idxmax(), "k"] == 2
    assert "highest silhouette over k = 2..7" in clusters.model.k_criterion_
    stability = cluster_stability(features, clusters, resamples=50)
    assert stability.ari_mean > 0.95 and stability.ari_low > 0.9
    together = stability.co_clustering
    assert together.loc["A1", "A2"] > 0.95 and together.loc["A1", "B1"] < 0.05


def test_outlets_alike_give_unstable_clusters():
    features = feature_table({f"O{n}": 0.0 for n in range(8)}, articles=30)
    stability = cluster_stability(features, cluster_outlets(features), resamples=50)
    assert stability.available and stability.ari_mean < 0.5


def test_clusters_and_resamples_are_deterministic():
    features = feature_table(TWO_GROUPS, seed=3)
    first = cluster_stability(features, cluster_outlets(features), resamples=30, random_state=7)
    second = cluster_stability(features, cluster_outlets(features), resamples=30, random_state=7)
    pd.testing.assert_frame_equal(first.ari, second.ari)
    pd.testing.assert_frame_equal(first.co_clustering, second.co_clustering)
    other = cluster_stability(feature_table({f"O{n}": 0.0 for n in range(8)}), cluster_outlets(
        feature_table({f"O{n}": 0.0 for n in range(8)})), resamples=30, random_state=8)
    assert not other.ari.equals(first.ari)


# --- prediction -----------------------------------------------------------------------------------

def test_distinct_outlets_are_predicted_well_above_chance():
    prediction = predict_outlets(feature_table(SEPARATE, articles=30))
    assert prediction.available and prediction.folds == 5 and prediction.articles == 120
    assert prediction.score(STYLE_MODEL) > 0.8
    assert prediction.score(UNIFORM_MODEL) == pytest.approx(0.25)
    assert prediction.score(MAJORITY_MODEL) == pytest.approx(0.25)
    assert prediction.score(STYLE_MODEL, "macro_f1") > 0.8
    assert np.isnan(prediction.score(BAG_OF_WORDS_MODEL))
    assert prediction.bag_of_words_reason == "no article texts were given"
    mistakes = prediction.mistakes.set_index("outlet")
    assert mistakes.loc["P", "mistaken_for"] in ("", "Q")  # P sits next to Q only
    assert mistakes.loc["R", "correct_share"] > 0.6


def test_outlets_alike_are_predicted_near_chance():
    prediction = predict_outlets(feature_table(ALIKE, articles=60))
    assert prediction.score(STYLE_MODEL) < 0.5  # chance is 1/3


def test_bag_of_words_learns_each_outlets_words():
    features = feature_table(ALIKE, articles=10)
    words = {"X": "alpha apple", "Y": "beta banana", "Z": "gamma grape"}
    texts = [f"The {words[outlet]} report number {index}." for index, outlet in enumerate(features["outlet"])]
    prediction = predict_outlets(features, texts)
    assert prediction.score(BAG_OF_WORDS_MODEL) == pytest.approx(1.0)
    assert prediction.score(STYLE_MODEL) < prediction.score(BAG_OF_WORDS_MODEL)


def test_bag_of_words_without_common_words_says_why():
    features = feature_table({"A": 0.0, "B": 3.0}, articles=5)
    prediction = predict_outlets(features, [f"word{index} other{index}" for index in range(10)])
    assert prediction.available and np.isnan(prediction.score(BAG_OF_WORDS_MODEL))
    assert prediction.bag_of_words_reason == "in some fold no word occurs in 5 or more of the training articles"


def test_outlets_with_too_few_articles_are_left_out_of_prediction():
    features = pd.concat([feature_table(SEPARATE, articles=10), feature_table({"T": 3.0}, articles=3)])
    prediction = predict_outlets(features)
    assert prediction.outlets == ("P", "Q", "R", "S") and prediction.left_out == ("T (3 articles)",)


@pytest.mark.parametrize("means, articles, reason", [
    ({"A": 0.0, "B": 1.0, "C": 2.0}, 1, "needs at least 5 articles per outlet for cross-validation; this corpus has 1"),
    ({"A": 0.0}, 20, "needs at least 2 outlets to tell apart; this corpus has 1"),
])
def test_prediction_says_why_it_cannot_run(means: dict, articles: int, reason: str):
    prediction = predict_outlets(feature_table(means, articles=articles))
    assert not prediction.available and prediction.reason == reason and prediction.scores.empty


def test_mixed_article_counts_are_described():
    features = pd.concat([feature_table({"A": 0.0}, articles=6), feature_table({"B": 1.0, "C": 2.0}, articles=2)])
    clusters = cluster_outlets(features)
    assert clusters.reason == ("clustering needs at least 5 articles per outlet, in at least 3 outlets; "
                               "only 1 of its 3 outlets has that many (the fewest: 2)")


# --- word counts behind the bag of words -----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The cat sat, on the MAT.", "", "a b c", "x_y 42 don't", "Repeat repeat REPEAT!", "one\ntwo\tthree--four",
])
def test_hashed_counts_match_countvectorizer_on_ascii_text(text: str):
    documents = [text, "filler words here"]
    hashed = hashed_word_counts(documents).toarray()
    reference = CountVectorizer(token_pattern=r"(?u)\b\w\w+\b").fit(documents + ["zz"]).transform(documents).toarray()
    for row, expected in zip(hashed, reference):
        assert sorted(row[row > 0]) == sorted(expected[expected > 0])


def test_tfidf_split_matches_tfidfvectorizer_fitted_on_train_rows():
    rng = np.random.default_rng(0)
    vocabulary = [f"word{n}" for n in range(40)]
    documents = [" ".join(rng.choice(vocabulary, size=30)) for _ in range(60)]
    train, test = np.arange(45), np.arange(45, 60)
    ours = tfidf_split(hashed_word_counts(documents), train, test, min_df=5)[1].toarray()
    vectorizer = TfidfVectorizer(min_df=5, sublinear_tf=True).fit([documents[i] for i in train])
    theirs = vectorizer.transform([documents[i] for i in test]).toarray()
    for row, expected in zip(ours, theirs):
        np.testing.assert_allclose(sorted(row[row > 0]), sorted(expected[expected > 0]), atol=1e-9)


# --- alignment with outlet labels ------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_vectorized_adjusted_rand_index_equals_scikit_learn(seed: int):
    rng = np.random.default_rng(seed)
    reference = rng.integers(0, 3, size=12)
    partitions = rng.integers(0, 4, size=(6, 12))
    expected = [adjusted_rand_score(reference, row) for row in partitions]
    np.testing.assert_allclose(adjusted_rand_indices(reference, partitions), expected, atol=1e-12)


def labels_table(mapping: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"outlet": list(mapping), "label": list(mapping.values()), "source": "test"})


def test_labels_matching_the_groups_align_and_shuffled_labels_do_not():
    clusters = cluster_outlets(feature_table(TWO_GROUPS))
    matching = labels_table({name: "left" if name.startswith("A") else "right" for name in TWO_GROUPS})
    aligned = bias_alignment(clusters.model, matching, permutations=2000)
    assert aligned.ari(2) == pytest.approx(1.0)
    assert aligned.tests.set_index("k").loc[2, "share_at_least"] < 0.05  # 2 of 70 labellings are as good
    crossing = labels_table({name: "left" if name[1] in "12" else "right" for name in TWO_GROUPS})
    shuffled = bias_alignment(clusters.model, crossing, permutations=2000)
    assert abs(shuffled.ari(2)) < 0.2 and shuffled.tests.set_index("k").loc[2, "share_at_least"] > 0.3
    assert set(shuffled.tests["k"]) == {2, 3}
    assert shuffled.ari(2) == pytest.approx(adjusted_rand_score(
        [clusters.labels[name] for name in TWO_GROUPS], [crossing.set_index("outlet").loc[name, "label"] for name in TWO_GROUPS]), abs=1e-6)


def test_outlets_without_a_label_are_listed_and_left_out():
    clusters = cluster_outlets(feature_table(TWO_GROUPS))
    partial = labels_table({"a1": "left", "A2": "left", "B1": "right", "B2": "right", "elsewhere.com": "right"})
    alignment = bias_alignment(clusters.model, partial, permutations=200)
    assert alignment.outlets == ("A1", "A2", "B1", "B2")  # matched ignoring case
    assert alignment.unlabelled == ("A3", "A4", "B3", "B4")
    cells = alignment.contingency[alignment.contingency["k"] == 2]
    assert cells["outlets"].sum() == 4


@pytest.mark.parametrize("mapping, reason", [
    ({"A1": "left", "B1": "right"}, "needs at least 3 clustered outlets with a label; 2 of the 8 clustered outlets have one"),
    ({"A1": "left", "A2": "left", "B1": "left"}, "every labelled outlet has the same label ('left'), so there is nothing to line up"),
])
def test_alignment_says_why_it_cannot_run(mapping: dict, reason: str):
    alignment = bias_alignment(cluster_outlets(feature_table(TWO_GROUPS)).model, labels_table(mapping))
    assert not alignment.available and alignment.reason == reason


def test_the_shipped_allsides_labels():
    labels = load_outlet_labels()
    assert DEFAULT_LABELS.name == "outlet_bias_allsides.csv"
    assert len(labels) == 11 and labels["label"].value_counts().to_dict() == {"right": 4, "center": 4, "left": 3}
    assert labels.set_index("outlet").loc["npr.org", "label"] == "center"
    assert labels["source"].str.contains("AllSides").all()


@pytest.mark.parametrize("content, message", [
    ("name,label\ncnn.com,left\n", "labels.csv:1: missing column outlet"),
    ("outlet,label\ncnn.com,\n", "labels.csv:2: an outlet and a label are both needed (got outlet 'cnn.com', label '')"),
    ("outlet,label\ncnn.com,left\nCNN.com,right\n", "labels.csv:3: 'CNN.com' is labelled 'right' here and 'left' on line 2"),
])
def test_bad_label_files_name_the_line(tmp_path: Path, content: str, message: str):
    path = tmp_path / "labels.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_outlet_labels(path)


def test_a_label_file_without_source_names_itself(tmp_path: Path):
    path = tmp_path / "mine.csv"
    path.write_text("outlet,label\nA,x\n\nB,y\n", encoding="utf-8")
    assert load_outlet_labels(path).to_dict("list") == {"outlet": ["A", "B"], "label": ["x", "y"],
                                                        "source": ["mine.csv", "mine.csv"]}


# --- the whole analysis, the report and the command ------------------------------------------------

def write_outlets_corpus(folder: Path, outlets: dict[str, str], articles: int = 6) -> Path:
    """A corpus of ``articles`` short articles per outlet, each outlet with its own habit (text template)."""
    rows = []
    for outlet, template in outlets.items():
        for index in range(articles):
            rows.append({"id": f"{len(rows):03d}", "outlet": outlet, "title": f"Story {index}",
                         "text": template.format(index=index)})
    return write_corpus(folder, rows)


HABITS = {
    "calm.example": "Officials may meet on day {index}. Talks could resume, reportedly.",
    "loud.example": "A historic day {index}! Clearly a great success! Amazing!",
    "asks.example": "Will talks resume on day {index}? Who knows? Perhaps.",
    "<b>bold</b>": "The crisis deepened on day {index}. Critics warned of a disaster.",
}


def test_analysis_of_a_small_corpus_is_deterministic(tmp_path: Path):
    scored = score(load_corpus(write_outlets_corpus(tmp_path / "c", HABITS)))
    first, second = analyze_style(scored), analyze_style(scored)
    pd.testing.assert_frame_equal(first.features, second.features)
    pd.testing.assert_frame_equal(first.prediction.scores, second.prediction.scores)
    pd.testing.assert_frame_equal(first.stability.ari, second.stability.ari)
    pd.testing.assert_frame_equal(first.alignment.contingency, second.alignment.contingency)
    assert first.clusters.available and first.stability.available and first.prediction.available
    assert first.prediction.score(STYLE_MODEL) > 0.5  # four very different habits
    assert not first.alignment.available and "0 of the 4 clustered outlets have one" in first.alignment.reason


def test_bundled_corpus_gets_plain_reasons_not_figures(scored):
    analysis = analyze_style(scored)
    reason = "clustering needs at least 5 articles per outlet, in at least 3 outlets; this corpus has 1"
    assert analysis.clusters.reason == analysis.stability.reason == analysis.alignment.reason == reason
    assert analysis.prediction.reason == "needs at least 5 articles per outlet for cross-validation; this corpus has 1"
    assert len(analysis.features) == 3 and set(analysis.summaries["articles"]) == {1}


def test_report_has_the_style_section_files_and_escapes_outlet_names(tmp_path: Path, scored):
    files = build_report(score(load_corpus(write_outlets_corpus(tmp_path / "c", HABITS))))
    html = files["report.html"].decode("utf-8")
    assert "Style measured article by article" in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert "Can style tell the outlets apart?" in html and "Silhouette" in html
    assert "style_features_map.png" in files
    assert list(pd.read_csv(pd.io.common.BytesIO(files["style_outlets.csv"])).columns) == SUMMARY_COLUMNS
    assert len(pd.read_csv(pd.io.common.BytesIO(files["style.csv"]))) == 24
    small = build_report(scored)
    small_html = small["report.html"].decode("utf-8")
    assert "No prediction: needs at least 5 articles per outlet for cross-validation; this corpus has 1." in small_html
    assert "style.csv" in small and "style_features_map.png" not in small
    assert "No clusters: clustering needs at least 5 articles" in small["report.md"].decode("utf-8")


@pytest.mark.parametrize("style_accuracy, words_accuracy, phrase", [
    (0.12, 0.9, "Style barely separates these outlets"),
    (0.40, 0.9, "Style separates these outlets only modestly"),  # four times chance, but under half the words
    (0.25, math.nan, "Style separates these outlets only modestly"),
    (0.80, 0.9, "Style separates these outlets clearly"),
])
def test_the_finding_is_stated_even_when_modest(style_accuracy: float, words_accuracy: float, phrase: str):
    rows = [(STYLE_MODEL, style_accuracy, 0.1, 0.1, 0.1), (MAJORITY_MODEL, 0.1, 0.02, math.nan, math.nan),
            (UNIFORM_MODEL, 0.1, 0.1, math.nan, math.nan)]
    if not math.isnan(words_accuracy):
        rows.insert(1, (BAG_OF_WORDS_MODEL, words_accuracy, 0.9, 0.9, 0.9))
    prediction = Separability(True, scores=pd.DataFrame(rows, columns=PREDICTION_COLUMNS), folds=5)
    missing = "clustering needs at least 3 outlets; this corpus has 2"
    analysis = StyleAnalysis(features=feature_table({"A": 0.0}, articles=2), summaries=pd.DataFrame(), labels={},
                             clusters=StyleClusters(False, missing), stability=Stability(False, missing),
                             prediction=prediction, alignment=BiasAlignment(False, missing))
    context, files = style_section(analysis)
    assert context["findings"][0].startswith(phrase + ": from their style features alone")
    assert "against 10.0% by chance" in context["findings"][0]
    assert context["clusters"] == {"available": False, "reason": missing, "left_out": [], "map": None}
    assert set(files) == {"style.csv", "style_outlets.csv"}


def test_outlet_labels_option(tmp_path: Path):
    corpus = write_outlets_corpus(tmp_path / "c", {name: text for name, text in HABITS.items() if "<" not in name})
    labels = tmp_path / "labels.csv"
    labels.write_text("outlet,label,source\ncalm.example,quiet,my notes\nloud.example,noisy,my notes\n"
                      "asks.example,quiet,my notes\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(corpus), "--out", str(tmp_path / "out"), "--outlet-labels", str(labels)])
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "out" / "c" / "report.md").read_text(encoding="utf-8")
    assert "Labels: my notes (3 outlets)" in markdown
    labels.write_text("outlet\ncalm.example\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(corpus), "--out", str(tmp_path / "bad"), "--outlet-labels", str(labels)])
    assert result.exit_code == 1 and f"Error: {labels}:1: missing column label" in result.output
    assert not (tmp_path / "bad").exists()


@pytest.mark.skipif(not ALLSIDES.is_file(), reason=f"the AllSides corpus is not at {ALLSIDES} (see ../shared/corpora/README.md)")
def test_allsides_style_is_measured_against_chance_words_and_labels():
    from framing.lexicon_suggest import limit_per_outlet

    corpus = load_corpus(ALLSIDES)
    corpus = dataclasses.replace(corpus, articles=tuple(limit_per_outlet(corpus.articles, 60)))
    analysis = analyze_style(score(corpus), resamples=50)
    prediction = analysis.prediction
    assert analysis.clusters.available and len(analysis.clusters.outlets) == 11
    assert 2 <= analysis.clusters.n_clusters <= 8
    assert prediction.articles == 660 and prediction.score(UNIFORM_MODEL) == pytest.approx(1 / 11)
    assert prediction.score(STYLE_MODEL) > 2 / 11  # style tells these outlets apart, if modestly
    assert prediction.score(BAG_OF_WORDS_MODEL) > prediction.score(STYLE_MODEL)  # words do far better
    assert analysis.alignment.available and analysis.alignment.unlabelled == ()
    assert analysis.alignment.labels == ("left", "center", "right")
    assert set(analysis.alignment.tests["k"]) >= {3}
    assert -1.0 <= analysis.stability.ari_low <= analysis.stability.ari_mean <= analysis.stability.ari_high <= 1.0
