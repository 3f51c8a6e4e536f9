"""The report's outlet-style figures (issue 7): context, map and CSV files from a ``StyleAnalysis``.

``style_section(analysis)`` returns ``(context, files)``. The templates ``_style.html`` and
``_style.md`` render the context under the key ``style`` and compute nothing. Keys:

* ``findings``: plain sentences stating what the figures show, modest or not
* ``features``: ``{count, simple: [labels], articles, files: {articles, outlets}}``
* ``clusters``: ``{available, reason, n_clusters, criterion, silhouettes: [{k, value, chosen}],
  groups: [{cluster, outlets}], drivers: [{label, difference, higher_on}], left_out, map}``;
  ``map`` is ``{file, alt, data_uri}`` or ``None``
* ``stability``: ``{available, reason, resamples, n_clusters, mean, low, high, verdict,
  outlets, rows: [{outlet, cells: [share]}]}`` (co-clustering shares, as percentages)
* ``prediction``: ``{available, reason, folds, articles, outlets, left_out, rows: [{model,
  accuracy, macro_f1, folds_range}], mistakes: [{outlet, correct, mistaken_for, share}],
  bag_of_words_reason}``
* ``alignment``: ``{available, reason, sources, labelled, unlabelled, rows: [{k, ari, null_mean,
  null_p95, share}], tables: [{k, labels, rows: [{cluster, cells: [{count, names}]}]}], verdict}``

Every number is formatted here; ``files`` holds ``style.csv`` (one row per article),
``style_outlets.csv`` (mean and quartiles per outlet and feature) and the map's PNG.
"""

from __future__ import annotations

import math
from typing import Any

from ..style import SIMPLE_FEATURES, StyleAnalysis, feature_columns
from ..style_prediction import BAG_OF_WORDS_MODEL, MAJORITY_MODEL, STYLE_MODEL, UNIFORM_MODEL, Separability
from . import plots
from .context import data_uri

FILES = {"articles": "style.csv", "outlets": "style_outlets.csv", "map": "style_features_map.png"}
STABLE_LOW_ARI = 0.8  # clusters are "stable" when even the 5th percentile of the resampled ARI reaches this
MOSTLY_STABLE_MEAN_ARI = 0.7
BARELY_LIFT = 1.5  # accuracy under 1.5 times chance: style "barely" separates the outlets
CLEAR_LIFT = 3.0
SIGNIFICANT_SHARE = 0.05
DRIVERS_SHOWN = 5


def _percent(value: float) -> str:
    return f"{value:.1%}" if value < 0.995 else f"{value:.0%}"


def _ari(value: float) -> str:
    return f"{round(value, 2) + 0.0:.2f}".replace("-", "−")  # + 0.0: no '−0.00


def _csv(frame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _clusters(analysis: StyleAnalysis) -> tuple[dict[str, Any], dict[str, bytes]]:
    clusters = analysis.clusters
    if not clusters.available or clusters.model is None:
        return {"available": False, "reason": clusters.reason, "left_out": list(clusters.left_out), "map": None}, {}
    model = clusters.model
    groups = model.labels_.groupby(model.labels_).groups
    alt = (f"The {len(clusters.outlets)} outlets on the first two principal components of their standardized "
           f"style-feature means, marked by cluster (k = {model.n_clusters_}).")
    png = plots.to_png(plots.style_map(model.coordinates_, model.labels_, list(model.explained_variance_)))
    drivers = model.drivers_.head(DRIVERS_SHOWN)
    context = {
        "available": True,
        "reason": "",
        "n_clusters": int(model.n_clusters_),
        "criterion": model.k_criterion_,
        "silhouettes": [{"k": int(row.k), "value": f"{row.silhouette:.3f}", "chosen": int(row.k) == model.n_clusters_}
                        for row in model.silhouette_.itertuples(index=False)],
        "groups": [{"cluster": int(number), "outlets": ", ".join(sorted(members))}
                   for number, members in sorted(groups.items())],
        "drivers": [{"label": analysis.labels.get(row.measure, row.measure), "difference": f"{row.difference:+.2f}",
                     "higher_on": row.side_one if row.difference > 0 else row.side_two}
                    for row in drivers.itertuples(index=False)],
        "features": len(model.features_),
        "explained": [f"{value:.0%}" for value in model.explained_variance_],
        "left_out": list(clusters.left_out),
        "map": {"file": FILES["map"], "alt": alt, "data_uri": data_uri(png)},
    }
    return context, {FILES["map"]: png}


def _stability(analysis: StyleAnalysis) -> dict[str, Any]:
    stability = analysis.stability
    if not stability.available:
        return {"available": False, "reason": stability.reason}
    if stability.ari_low >= STABLE_LOW_ARI:
        verdict = "stable: resampling the articles hardly ever regroups the outlets"
    elif stability.ari_mean >= MOSTLY_STABLE_MEAN_ARI:
        verdict = "mostly stable, but some resamples group the outlets differently"
    else:
        verdict = "unstable: resampling the articles often regroups the outlets, so read the clusters as tentative"
    matrix = stability.co_clustering
    return {
        "available": True, "reason": "", "resamples": stability.resamples, "n_clusters": stability.n_clusters,
        "mean": _ari(stability.ari_mean), "low": _ari(stability.ari_low), "high": _ari(stability.ari_high),
        "verdict": verdict, "outlets": list(matrix.columns),
        "rows": [{"outlet": outlet, "cells": [f"{value:.0%}" for value in matrix.loc[outlet]]}
                 for outlet in matrix.index],
    }


def _prediction(prediction: Separability) -> dict[str, Any]:
    if not prediction.available:
        return {"available": False, "reason": prediction.reason}
    names = {STYLE_MODEL: "Style features (standardized logistic regression)",
             BAG_OF_WORDS_MODEL: "Bag of words (tf-idf, logistic regression by SGD)",
             MAJORITY_MODEL: "Chance: always the largest outlet",
             UNIFORM_MODEL: "Chance: a uniform guess (1 / outlets)"}
    rows = []
    for row in prediction.scores.itertuples(index=False):
        spread = "" if math.isnan(row.fold_accuracy_min) else \
            f"{_percent(row.fold_accuracy_min)}–{_percent(row.fold_accuracy_max)}"
        rows.append({"model": names.get(row.model, row.model), "accuracy": _percent(row.accuracy),
                     "macro_f1": f"{row.macro_f1:.2f}", "folds_range": spread})
    return {
        "available": True, "reason": "", "folds": prediction.folds, "articles": f"{prediction.articles:,}",
        "outlets": len(prediction.outlets), "left_out": list(prediction.left_out), "rows": rows,
        "mistakes": [{"outlet": row.outlet, "correct": _percent(row.correct_share), "mistaken_for": row.mistaken_for,
                      "share": _percent(row.mistaken_share) if row.mistaken_for else ""}
                     for row in prediction.mistakes.itertuples(index=False)],
        "bag_of_words_reason": prediction.bag_of_words_reason,
    }


def _alignment(analysis: StyleAnalysis) -> dict[str, Any]:
    alignment = analysis.alignment
    if not alignment.available:
        return {"available": False, "reason": alignment.reason, "unlabelled": list(alignment.unlabelled),
                "sources": list(alignment.sources)}
    rows = [{"k": int(row.k), "ari": _ari(row.ari), "null_mean": _ari(row.null_mean), "null_p95": _ari(row.null_p95),
             "share": _percent(row.share_at_least)} for row in alignment.tests.itertuples(index=False)]
    tables = []
    for k, cells in alignment.contingency.groupby("k", sort=True):
        table_rows = []
        for cluster, row in cells.groupby("cluster", sort=True):
            table_rows.append({"cluster": int(cluster), "cells": [
                {"count": int(cell.outlets), "names": cell.names} for cell in row.itertuples(index=False)]})
        tables.append({"k": int(k), "labels": list(alignment.labels), "rows": table_rows})
    aligned = [row for row in alignment.tests.itertuples(index=False) if row.share_at_least <= SIGNIFICANT_SHARE]
    ks = " and ".join(f"k = {int(row.k)} (ARI {_ari(row.ari)}; {_percent(row.share_at_least)} of shuffles do as well)"
                      for row in alignment.tests.itertuples(index=False))
    if aligned:
        verdict = f"The clusters line up with the labels better than shuffled labels do at {ks}."
    else:
        verdict = f"The clusters line up with the labels no better than shuffled labels: at {ks}."
    return {"available": True, "reason": "", "sources": list(alignment.sources), "labelled": len(alignment.outlets),
            "labels": list(alignment.labels), "unlabelled": list(alignment.unlabelled), "rows": rows,
            "tables": tables, "permutations": f"{alignment.permutations:,}", "verdict": verdict}


def _prediction_finding(prediction: Separability) -> str:
    accuracy = prediction.score(STYLE_MODEL)
    chance = max(prediction.score(MAJORITY_MODEL), prediction.score(UNIFORM_MODEL))
    words = prediction.score(BAG_OF_WORDS_MODEL)
    lift = accuracy / chance if chance > 0 else float("inf")
    if lift < BARELY_LIFT:
        how = "Style barely separates these outlets"
    elif lift < CLEAR_LIFT or (not math.isnan(words) and accuracy < words / 2):
        how = "Style separates these outlets only modestly"
    else:
        how = "Style separates these outlets clearly"
    text = (f"{how}: from their style features alone, {_percent(accuracy)} of articles are assigned to the "
            f"right outlet under {prediction.folds}-fold cross-validation, against {_percent(chance)} by chance")
    if not math.isnan(words):
        text += f" and {_percent(words)} for a bag of words (which also learns names, topics and house phrases)"
    return text + "."


def _findings(analysis: StyleAnalysis, stability: dict[str, Any], alignment: dict[str, Any]) -> list[str]:
    findings = []
    if analysis.prediction.available:
        findings.append(_prediction_finding(analysis.prediction))
    if stability["available"]:
        findings.append(f"The {stability['n_clusters']} style clusters are {stability['verdict']} (mean adjusted Rand "
                        f"index {stability['mean']} over {stability['resamples']} resamples).")
    if alignment["available"]:
        findings.append(alignment["verdict"])
    if not findings:
        findings.append("Too few articles per outlet to measure outlet style; the reasons are given below.")
    return findings


def style_section(analysis: StyleAnalysis) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The documented context of the outlet-style figures, and the files that go with them."""
    clusters, files = _clusters(analysis)
    stability = _stability(analysis)
    alignment = _alignment(analysis)
    context = {
        "findings": _findings(analysis, stability, alignment),
        "features": {
            "count": len(feature_columns(analysis.features)),
            "simple": [analysis.labels.get(column, column) for column in SIMPLE_FEATURES],
            "articles": len(analysis.features),
            "files": {"articles": FILES["articles"], "outlets": FILES["outlets"]},
        },
        "clusters": clusters,
        "stability": stability,
        "prediction": _prediction(analysis.prediction),
        "alignment": alignment,
    }
    files[FILES["articles"]] = _csv(analysis.features)
    files[FILES["outlets"]] = _csv(analysis.summaries)
    return context, files
