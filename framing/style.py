"""Outlet style, measured honestly: per-article features, clusters, their stability, and checks.

The stage after scoring and before the report (it imports neither click nor Jinja2):

* ``style_features``: one row per article: the lexicon scores (tone, positive and negative
  share, quote share, every ``*_per_1k`` rate) plus simple style measures (``SIMPLE_FEATURES``);
* ``outlet_summaries``: mean and quartiles of each feature per outlet;
* ``cluster_outlets``: Ward clusters of the outlets' standardized feature means, k chosen by
  the silhouette over k = 2..min(8, outlets - 1) (``cluster.StyleClustering``);
* ``cluster_stability``: the clusters recomputed on bootstrap resamples of each outlet's
  articles: adjusted Rand index against the full-data clusters and co-clustering shares;
* ``predict_outlets`` (``style_prediction``): cross-validated outlet prediction from the
  style features, against chance and a bag-of-words baseline;
* ``bias_alignment`` (``style_alignment``): how the clusters line up with outlet-level labels
  (AllSides ratings ship in ``framing/data/outlet_bias_allsides.csv``), against label shuffles.

Every part needs enough articles per outlet; when a corpus has too few it says so in
``reason`` instead of printing figures that mean nothing. ``analyze_style`` runs them all.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd

from .cluster import MIN_OUTLETS, StyleClustering, standardize, ward_clusters
from .compare import measures_for
from .score import ScoredCorpus
from .style_alignment import BiasAlignment, adjusted_rand_indices, bias_alignment, load_outlet_labels
from .style_prediction import (
    N_SPLITS, Separability, bag_of_words_counts, cross_validated_prediction, one_blas_thread,
)

if TYPE_CHECKING:
    import scipy.sparse as sp

KEY_COLUMNS = ["article_id", "outlet"]
SCORE_FEATURES = ["tone", "positive_share", "negative_share", "quote_share"]
RATE_SUFFIX = "_per_1k"
MEAN_SENTENCE_TOKENS = "mean_sentence_tokens"
QUESTION_RATE = "question_rate"
EXCLAMATION_RATE = "exclamation_rate"
SENTENCES_PER_PARAGRAPH = "sentences_per_paragraph"
LOG_TOKENS = "log10_tokens"
SIMPLE_FEATURES = [MEAN_SENTENCE_TOKENS, QUESTION_RATE, EXCLAMATION_RATE, SENTENCES_PER_PARAGRAPH, LOG_TOKENS]
FEATURE_LABELS = {
    MEAN_SENTENCE_TOKENS: "Mean sentence length (tokens)",
    QUESTION_RATE: "Questions (share of sentences ending in ?)",
    EXCLAMATION_RATE: "Exclamations (share of sentences ending in !)",
    SENTENCES_PER_PARAGRAPH: "Sentences per paragraph",
    LOG_TOKENS: "Article length (log10 of 1 + tokens)",
}
SUMMARY_COLUMNS = ["outlet", "feature", "articles", "mean", "q25", "median", "q75"]
STABILITY_COLUMNS = ["resample", "ari"]

MIN_ARTICLES_PER_OUTLET = 5  # five folds of cross-validation need five articles per outlet
BOOTSTRAP_RESAMPLES = 200
# Closing marks after a sentence's final punctuation: 'Why?' he asked -> the sentence ends in '?'.
_CLOSING_MARKS = " \t\r\n\"'”’»)]*_"


def feature_labels(scored: ScoredCorpus) -> dict[str, str]:
    """Column → name for readers: the comparison table's measure labels plus ``FEATURE_LABELS``."""
    return {**{measure.column: measure.label for measure in measures_for(scored.lexicons)}, **FEATURE_LABELS}


def feature_columns(features: pd.DataFrame) -> list[str]:
    """The feature columns of a ``style_features`` table (everything but the article key)."""
    return [column for column in features.columns if column not in KEY_COLUMNS]


def _sentence_measures(scored: ScoredCorpus) -> pd.DataFrame:
    """Per article: mean sentence tokens, question and exclamation rates, sentences per paragraph."""
    texts = {article.id: article.text for article in scored.corpus.articles}
    sentences = scored.sentences[scored.sentences["tokens"] > 0]
    article_ids = sentences["article_id"].tolist()  # plain lists: iterating Arrow-backed columns is slow
    endings, new_paragraph = [], []
    previous_article, previous_end, text = None, 0, ""
    for article_id, start, end in zip(article_ids, sentences["start"].tolist(), sentences["end"].tolist()):
        if article_id != previous_article:
            text, previous_end = texts[article_id], -1
        endings.append(text[end - 12 if end - 12 > start else start:end].rstrip(_CLOSING_MARKS)[-1:])
        new_paragraph.append(previous_end < 0 or "\n" in text[previous_end:start])
        previous_article, previous_end = article_id, end
    frame = pd.DataFrame({
        "article_id": article_ids,
        "tokens": sentences["tokens"].to_numpy(),
        "question": np.array(endings, dtype=object) == "?",
        "exclamation": np.array(endings, dtype=object) == "!",
        "paragraph": np.array(new_paragraph, dtype=bool),
    })
    grouped = frame.groupby("article_id", sort=False)
    return pd.DataFrame({
        MEAN_SENTENCE_TOKENS: grouped["tokens"].mean(),
        QUESTION_RATE: grouped["question"].mean(),
        EXCLAMATION_RATE: grouped["exclamation"].mean(),
        SENTENCES_PER_PARAGRAPH: grouped.size() / grouped["paragraph"].sum(),
    })


def style_features(scored: ScoredCorpus) -> pd.DataFrame:
    """One row per article (score order): lexicon scores and simple style measures, to compare outlets by."""
    scores = scored.scores
    rates = [column for column in scores.columns if column.endswith(RATE_SUFFIX)]
    table = scores[KEY_COLUMNS + [column for column in SCORE_FEATURES if column in scores.columns] + rates].copy()
    measures = _sentence_measures(scored).reindex(table["article_id"])
    for column in SIMPLE_FEATURES[:-1]:
        table[column] = measures[column].fillna(0.0).to_numpy(dtype=float)
    table[LOG_TOKENS] = np.log10(1.0 + scores["tokens"].to_numpy(dtype=float))
    columns = feature_columns(table)
    table[columns] = table[columns].astype(float).round(6)
    return table.reset_index(drop=True)


def outlet_summaries(features: pd.DataFrame) -> pd.DataFrame:
    """Per outlet and feature: articles, mean and quartiles (``SUMMARY_COLUMNS``), to see spread as well as level."""
    columns = feature_columns(features)
    grouped = features.groupby("outlet", sort=True)[columns]
    parts = {"mean": grouped.mean(), "q25": grouped.quantile(0.25), "median": grouped.median(),
             "q75": grouped.quantile(0.75)}
    table = pd.concat({name: frame.stack() for name, frame in parts.items()}, axis=1)
    table = table.rename_axis(["outlet", "feature"]).reset_index()
    table["articles"] = table["outlet"].map(features["outlet"].value_counts()).astype(int)
    return table[SUMMARY_COLUMNS].round(6)


def outlet_means(features: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet: the mean of each feature over its articles (what the clustering sees)."""
    return features.groupby("outlet", sort=True)[feature_columns(features)].mean().reset_index()


def too_few_articles(features: pd.DataFrame, minimum: int = MIN_ARTICLES_PER_OUTLET) -> tuple[list[str], list[str]]:
    """(outlets with at least ``minimum`` articles, the others as 'name (n articles)'), both sorted."""
    counts = features["outlet"].value_counts().sort_index()
    kept = [str(outlet) for outlet, count in counts.items() if count >= minimum]
    left_out = [f"{outlet} ({_plural(int(count), 'article')})" for outlet, count in counts.items() if count < minimum]
    return kept, left_out


def articles_phrase(features: pd.DataFrame, minimum: int = MIN_ARTICLES_PER_OUTLET) -> str:
    """How many articles the outlets have, in words: 'this corpus has 1' or 'only 2 of its 3 outlets have that many'."""
    counts = features["outlet"].value_counts()
    if counts.empty:
        return "this corpus has no articles"
    if counts.nunique() == 1:
        return f"this corpus has {int(counts.iloc[0])}"
    enough = int((counts >= minimum).sum())
    verb = "has" if enough == 1 else "have"
    return f"only {enough} of its {len(counts)} outlets {verb} that many (the fewest: {int(counts.min())})"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class StyleClusters:
    """Outlets clustered on their standardized feature means, or the reason there are no clusters."""

    available: bool
    reason: str = ""
    outlets: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    model: StyleClustering | None = field(default=None, repr=False)

    @property
    def n_clusters(self) -> int:
        """The chosen k (0 without clusters)."""
        return int(self.model.n_clusters_) if self.model is not None else 0

    @property
    def labels(self) -> pd.Series:
        """Outlet → cluster number (1..k), sorted by outlet."""
        return self.model.labels_ if self.model is not None else pd.Series(dtype=int, name="cluster")


def cluster_outlets(features: pd.DataFrame, random_state: int = 0,
                    min_articles: int = MIN_ARTICLES_PER_OUTLET) -> StyleClusters:
    """Ward clusters of outlets with at least ``min_articles`` articles; k by silhouette (``k_criterion_``)."""
    kept, left_out = too_few_articles(features, min_articles)
    outlets = features["outlet"].nunique()
    if outlets < MIN_OUTLETS:
        return StyleClusters(False, f"clustering needs at least {MIN_OUTLETS} outlets; this corpus has {outlets}")
    if len(kept) < MIN_OUTLETS:
        return StyleClusters(False, f"clustering needs at least {_plural(min_articles, 'article')} per outlet, in at "
                                    f"least {MIN_OUTLETS} outlets; {articles_phrase(features, min_articles)}")
    means = outlet_means(features[features["outlet"].isin(kept)])
    try:
        model = StyleClustering(random_state=random_state).fit(means)
    except ValueError as error:
        return StyleClusters(False, str(error), tuple(kept), tuple(left_out))
    return StyleClusters(True, "", tuple(kept), tuple(left_out), model)


@dataclass(frozen=True)
class Stability:
    """How often bootstrap resamples of the articles give the same clusters (adjusted Rand index)."""

    available: bool
    reason: str = ""
    resamples: int = 0
    n_clusters: int = 0
    random_state: int = 0
    ari: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=STABILITY_COLUMNS), repr=False)
    co_clustering: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def ari_mean(self) -> float:
        return float(self.ari["ari"].mean()) if len(self.ari) else math.nan

    @property
    def ari_low(self) -> float:
        """5th percentile of the resampled ARI."""
        return float(np.percentile(self.ari["ari"], 5)) if len(self.ari) else math.nan

    @property
    def ari_high(self) -> float:
        """95th percentile of the resampled ARI."""
        return float(np.percentile(self.ari["ari"], 95)) if len(self.ari) else math.nan


def cluster_stability(features: pd.DataFrame, clusters: StyleClusters, resamples: int = BOOTSTRAP_RESAMPLES,
                      random_state: int = 0) -> Stability:
    """Resample articles with replacement within each outlet, recompute outlet means and clusters (same k).

    Reports the adjusted Rand index of each resample's clusters against the full-data clusters
    and, per pair of outlets, the share of resamples that put them in the same cluster.
    """
    if not clusters.available or clusters.model is None:
        return Stability(False, clusters.reason)
    model = clusters.model
    outlets = list(model.labels_.index)
    reference = model.labels_.to_numpy()
    rng = np.random.default_rng(random_state)
    resampled_means = []
    for outlet in outlets:
        values = features.loc[features["outlet"] == outlet, model.features_].to_numpy(dtype=float)
        weights = rng.multinomial(len(values), np.full(len(values), 1.0 / len(values)), size=resamples)
        with one_blas_thread():
            resampled_means.append(weights @ values / len(values))
    means = np.stack(resampled_means, axis=1)  # resample × outlet × feature
    labels = np.stack([ward_clusters(standardize(matrix), model.n_clusters_) for matrix in means])
    scores = adjusted_rand_indices(reference, labels).round(6)
    together = (labels[:, :, None] == labels[:, None, :]).mean(axis=0)
    co_clustering = pd.DataFrame(together.round(6), index=pd.Index(outlets, name="outlet"), columns=outlets)
    return Stability(True, "", resamples, int(model.n_clusters_), random_state,
                     pd.DataFrame({"resample": range(1, resamples + 1), "ari": scores}), co_clustering)


def predict_outlets(features: pd.DataFrame, texts: Sequence[str] | None = None, n_splits: int = N_SPLITS,
                    random_state: int = 0, word_counts: sp.csr_matrix | None = None) -> Separability:
    """Cross-validated outlet prediction from the style features (and a bag of words over ``texts``).

    Uses outlets with at least ``n_splits`` articles (stratified folds need one per fold);
    ``texts`` are aligned with the rows of ``features``. ``word_counts``: the texts already
    counted by ``bag_of_words_counts`` (then ``texts`` is not needed).
    """
    kept, left_out = too_few_articles(features, n_splits)
    outlets = features["outlet"].nunique()
    if outlets < 2:
        return Separability(False, f"needs at least 2 outlets to tell apart; this corpus has {outlets}")
    if len(kept) < 2:
        return Separability(False, f"needs at least {n_splits} articles per outlet for cross-validation; "
                                   f"{articles_phrase(features, n_splits)}")
    if word_counts is None and texts is not None:
        word_counts = bag_of_words_counts(texts)
    rows = features["outlet"].isin(kept).to_numpy()
    return cross_validated_prediction(features[rows].reset_index(drop=True), feature_columns(features),
                                      word_counts[rows] if word_counts is not None else None,
                                      n_splits, random_state, left_out)


@dataclass(frozen=True)
class StyleAnalysis:
    """Everything the style section reports: features, summaries, clusters, stability, prediction, alignment."""

    features: pd.DataFrame = field(repr=False)
    summaries: pd.DataFrame = field(repr=False)
    labels: dict[str, str] = field(repr=False)
    clusters: StyleClusters
    stability: Stability
    prediction: Separability
    alignment: BiasAlignment


def article_texts(scored: ScoredCorpus) -> list[str]:
    """Each article's scored text (boilerplate left out), in ``scored.scores`` order, for the bag of words."""
    by_id = {article.id: article for article in scored.corpus.articles}
    texts = []
    for article_id in scored.scores["article_id"]:
        article = by_id[article_id]
        texts.append("\n".join(article.text[start:end] for start, end in article.regions))
    return texts


def analyze_style(scored: ScoredCorpus, outlet_labels: str | Path | pd.DataFrame | None = None,
                  random_state: int = 0, resamples: int = BOOTSTRAP_RESAMPLES,
                  bag_of_words: bool = True) -> StyleAnalysis:
    """Run every part of the outlet-style analysis on a scored corpus (deterministic for a given seed).

    ``outlet_labels``: a CSV file (``outlet,label[,source]``) or table of outlet-level labels;
    ``None`` uses the shipped AllSides ratings. ``bag_of_words=False`` skips the baseline.
    """
    labels = outlet_labels if isinstance(outlet_labels, pd.DataFrame) else load_outlet_labels(outlet_labels)
    # Count the bag of words in a thread (numpy, GIL released) while the features are computed.
    with ThreadPoolExecutor(max_workers=1) as pool:
        counting = pool.submit(bag_of_words_counts, article_texts(scored)) if bag_of_words else None
        features = style_features(scored)
        clusters = cluster_outlets(features, random_state)
        stability = cluster_stability(features, clusters, resamples, random_state)
        word_counts = counting.result() if counting is not None else None
    return StyleAnalysis(
        features=features,
        summaries=outlet_summaries(features),
        labels=feature_labels(scored),
        clusters=clusters,
        stability=stability,
        prediction=predict_outlets(features, random_state=random_state, word_counts=word_counts),
        alignment=bias_alignment(clusters.model, labels, random_state=random_state,
                                 unavailable_reason=clusters.reason),
    )
