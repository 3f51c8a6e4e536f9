"""Do outlet-style clusters line up with outlet-level labels (such as AllSides bias ratings)?

Labels describe outlets, never articles: they are compared with clusters found without
them, and never used to train anything. The adjusted Rand index (ARI) between clusters and
labels is given at k = 3 (as many clusters as the AllSides classes) and at the chosen k,
beside a permutation baseline: the same ARI after shuffling the labels among the outlets,
``PERMUTATIONS`` times with a fixed seed. ``share_at_least`` is the share of shuffles that
match the clusters at least as well as the real labels (a permutation p-value).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .cluster import StyleClustering
from .errors import InputError

DEFAULT_LABELS = Path(__file__).parent / "data" / "outlet_bias_allsides.csv"
LABEL_COLUMNS = ["outlet", "label", "source"]
ALIGNMENT_COLUMNS = ["k", "ari", "null_mean", "null_p95", "share_at_least", "permutations"]
CONTINGENCY_COLUMNS = ["k", "cluster", "label", "outlets", "names"]
ALIGNMENT_K = 3
PERMUTATIONS = 10_000
MIN_LABELLED_OUTLETS = 3


def load_outlet_labels(path: str | Path | None = None) -> pd.DataFrame:
    """Outlet → label table (``LABEL_COLUMNS``) from a CSV with columns outlet,label[,source]; default: AllSides.

    Errors name the file and line: a missing column, an empty outlet or label, or an outlet
    given two different labels.
    """
    path = Path(path) if path is not None else DEFAULT_LABELS
    if not path.is_file():
        raise InputError(path, "no such file; give a CSV file with the columns outlet,label (and optionally source)")
    with open(path, newline="", encoding="utf-8-sig") as stream:
        reader = csv.DictReader(stream)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in ("outlet", "label") if name not in header]
        if missing:
            raise InputError(path, f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                                   "the first line must name the columns outlet,label (and optionally source)", 1)
        rows, seen = [], {}
        for line, row in enumerate(reader, start=2):
            row = {str(key).strip(): (value or "").strip() for key, value in row.items() if key is not None}
            if not any(row.values()):
                continue
            outlet, label = row.get("outlet", ""), row.get("label", "")
            if not outlet or not label:
                raise InputError(path, f"an outlet and a label are both needed "
                                       f"(got outlet '{outlet}', label '{label}')", line)
            key = outlet.casefold()
            if key in seen and seen[key][1] != label:
                raise InputError(path, f"'{outlet}' is labelled '{label}' here and '{seen[key][1]}' on line "
                                       f"{seen[key][0]}; keep one", line)
            if key not in seen:
                seen[key] = (line, label)
                rows.append((outlet, label, row.get("source", "") or path.name))
    return pd.DataFrame(rows, columns=LABEL_COLUMNS)


def adjusted_rand_indices(reference: np.ndarray, partitions: np.ndarray) -> np.ndarray:
    """Adjusted Rand index of ``reference`` against each row of ``partitions`` (integer codes), vectorized.

    The same figure as ``sklearn.metrics.adjusted_rand_score``, for thousands of rows at once.
    """
    partitions = np.atleast_2d(partitions)
    reference = np.unique(reference, return_inverse=True)[1].ravel()
    rows, count = partitions.shape
    width = int(partitions.max()) + 1
    n_reference = int(reference.max()) + 1

    def pairs(codes: np.ndarray, size: int) -> np.ndarray:
        cells = codes + (np.arange(len(codes)) * size)[:, None]
        table = np.bincount(cells.ravel(), minlength=len(codes) * size).reshape(len(codes), size)
        return (table * (table - 1) / 2).sum(axis=1)

    index = pairs(reference[None, :] * width + partitions, n_reference * width)
    reference_pairs = pairs(reference[None, :], n_reference)[0]
    partition_pairs = pairs(partitions, width)
    expected = reference_pairs * partition_pairs / (count * (count - 1) / 2)
    maximum = (reference_pairs + partition_pairs) / 2
    trivial = maximum == expected  # both partitions trivial: scikit-learn calls that a perfect match
    return np.where(trivial, 1.0, (index - expected) / np.where(trivial, 1.0, maximum - expected))


@dataclass(frozen=True)
class BiasAlignment:
    """Clusters against outlet labels: ARI at k = 3 and the chosen k, with a permutation baseline."""

    available: bool
    reason: str = ""
    outlets: tuple[str, ...] = ()
    unlabelled: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # in the order of the labels file
    sources: tuple[str, ...] = ()
    permutations: int = 0
    random_state: int = 0
    tests: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ALIGNMENT_COLUMNS), repr=False)
    contingency: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CONTINGENCY_COLUMNS), repr=False)

    def ari(self, k: int) -> float:
        """The observed ARI at ``k`` clusters (NaN when not computed)."""
        rows = self.tests[self.tests["k"] == k]
        return float(rows["ari"].iloc[0]) if len(rows) else math.nan


def bias_alignment(model: StyleClustering | None, labels: pd.DataFrame, permutations: int = PERMUTATIONS,
                   random_state: int = 0, unavailable_reason: str = "") -> BiasAlignment:
    """Compare a fitted outlet clustering with outlet labels; outlets are matched ignoring case.

    Clusters come from all clustered outlets; the comparison uses those with a label, and
    the others are listed in ``unlabelled``.
    """
    from scipy.cluster.hierarchy import fcluster  # imported here: SciPy is slow to import

    if model is None:
        return BiasAlignment(False, unavailable_reason or "there are no clusters to compare")
    by_name = {str(outlet).casefold(): str(label) for outlet, label in zip(labels["outlet"], labels["label"])}
    outlets = list(model.labels_.index)
    labelled = [outlet for outlet in outlets if outlet.casefold() in by_name]
    unlabelled = tuple(outlet for outlet in outlets if outlet.casefold() not in by_name)
    sources = tuple(sorted(set(labels.loc[labels["outlet"].str.casefold().isin(
        [outlet.casefold() for outlet in labelled]), "source"].astype(str))))
    if len(labelled) < MIN_LABELLED_OUTLETS:
        return BiasAlignment(False, f"needs at least {MIN_LABELLED_OUTLETS} clustered outlets with a label; "
                                    f"{len(labelled)} of the {len(outlets)} clustered outlets have one",
                             tuple(labelled), unlabelled, sources=sources)
    names = [by_name[outlet.casefold()] for outlet in labelled]
    if len(set(names)) < 2:
        return BiasAlignment(False, f"every labelled outlet has the same label ('{names[0]}'), so there is nothing "
                                    "to line up", tuple(labelled), unlabelled, sources=sources)
    label_names = list(dict.fromkeys(label for label in labels["label"] if label in set(names)))  # file order
    codes = np.array([label_names.index(name) for name in names])
    rng = np.random.default_rng(random_state)
    shuffled = rng.permuted(np.tile(codes, (permutations, 1)), axis=1)
    positions = [outlets.index(outlet) for outlet in labelled]
    tests, contingency = [], []
    for k in sorted({ALIGNMENT_K, int(model.n_clusters_)}):
        if k >= len(outlets):
            continue
        cut = fcluster(model.linkage_, t=k, criterion="maxclust")[positions]
        clusters = np.unique(cut, return_inverse=True)[1]
        observed = float(adjusted_rand_indices(clusters, codes)[0])
        null = adjusted_rand_indices(clusters, shuffled)
        tests.append((k, observed, float(null.mean()), float(np.percentile(null, 95)),
                      float(np.mean(null >= observed - 1e-9)), permutations))
        for cluster in sorted(set(cut)):
            for label in label_names:
                members = [outlet for outlet, number, name in zip(labelled, cut, names)
                           if number == cluster and name == label]
                contingency.append((k, int(cluster), label, len(members), ", ".join(members)))
    table = pd.DataFrame(tests, columns=ALIGNMENT_COLUMNS)
    table[ALIGNMENT_COLUMNS[1:5]] = table[ALIGNMENT_COLUMNS[1:5]].astype(float).round(6)
    return BiasAlignment(True, "", tuple(labelled), unlabelled, tuple(label_names), sources, permutations,
                         random_state, table, pd.DataFrame(contingency, columns=CONTINGENCY_COLUMNS))
