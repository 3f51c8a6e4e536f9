"""Outlet style: standardize outlet-level measures, cluster them (Ward) and map them (PCA).

``StyleClustering`` follows scikit-learn's estimator rules: parameters are stored in
``__init__``, ``fit`` returns ``self``, learned state ends in ``_``. SciPy and scikit-learn are
imported where they are used: importing them takes longer than clustering a few outlets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_OUTLETS = 3
MAX_CLUSTERS = 8
SILHOUETTE_COLUMNS = ["k", "silhouette"]


def standardize(values: np.ndarray) -> np.ndarray:
    """Columns centred and scaled to unit variance (ddof 0); a constant column becomes zeros."""
    spread = values.std(axis=0)
    return (values - values.mean(axis=0)) / np.where(spread > 1e-12, spread, 1.0)


def ward_clusters(standardized: np.ndarray, n_clusters: int) -> np.ndarray:
    """Cluster labels (1..k) of rows cut from a Ward tree: the one clustering rule, shared with resampling."""
    from scipy.cluster.hierarchy import fcluster, linkage

    return fcluster(linkage(standardized, method="ward"), t=n_clusters, criterion="maxclust")


class StyleClustering:
    """Hierarchical (Ward) clustering of outlets on standardized style measures.

    With ``n_clusters=None`` the number of clusters is the k in 2..min(``max_clusters``,
    outlets - 1) with the best silhouette score (ties go to the smaller k); three outlets
    allow only k = 2. ``silhouette_`` holds the silhouette of every k that can be scored,
    whichever k is used, and ``k_criterion_`` says in words how k was chosen.
    """

    def __init__(self, features: list[str] | None = None, n_clusters: int | None = None, random_state: int = 0,
                 max_clusters: int = MAX_CLUSTERS) -> None:
        self.features = features
        self.n_clusters = n_clusters
        self.random_state = random_state
        self.max_clusters = max_clusters

    def fit(self, outlets: pd.DataFrame) -> "StyleClustering":
        """Fit on an outlet table (one row per outlet, an ``outlet`` column and measure columns)."""
        from scipy.cluster.hierarchy import fcluster, linkage
        from sklearn.decomposition import PCA

        if len(outlets) < MIN_OUTLETS:
            raise ValueError(f"style clustering needs at least {MIN_OUTLETS} outlets, got {len(outlets)}")
        table = outlets.set_index("outlet").sort_index()
        candidates = self.features or [column for column in table.columns if column not in ("tokens", "sentences", "articles", "title")]
        values = table[candidates].astype(float)
        spread = values.std(ddof=0)
        self.features_ = [column for column in candidates if spread[column] > 1e-12]
        if len(self.features_) < 2:
            raise ValueError("style clustering needs at least two measures that differ between outlets")
        values = values[self.features_]
        self.standardized_ = (values - values.mean()) / values.std(ddof=0)
        matrix = self.standardized_.to_numpy()
        self.linkage_ = linkage(matrix, method="ward")
        self.silhouette_ = self._silhouettes(matrix)
        self.n_clusters_ = self.n_clusters or self._choose_k(matrix)
        self.k_criterion_ = self._criterion(len(matrix))
        labels = fcluster(self.linkage_, t=self.n_clusters_, criterion="maxclust")
        self.labels_ = pd.Series(labels, index=self.standardized_.index, name="cluster")
        pca = PCA(n_components=2, random_state=self.random_state)
        coords = pca.fit_transform(matrix)
        self.coordinates_ = pd.DataFrame(coords, index=self.standardized_.index, columns=["pc1", "pc2"]).round(6)
        self.explained_variance_ = pca.explained_variance_ratio_.round(6)
        self.loadings_ = pd.DataFrame(pca.components_.T, index=self.features_, columns=["pc1", "pc2"]).round(6)
        self.drivers_ = self._top_split_drivers()
        return self

    def _silhouettes(self, matrix: np.ndarray) -> pd.DataFrame:
        """Silhouette of the Ward cut at each k in 2..min(max_clusters, outlets - 1)."""
        from scipy.cluster.hierarchy import fcluster
        from sklearn.metrics import silhouette_score

        rows = []
        for k in range(2, min(self.max_clusters, len(matrix) - 1) + 1):
            labels = fcluster(self.linkage_, t=k, criterion="maxclust")
            if len(set(labels)) == k:
                rows.append((k, round(float(silhouette_score(matrix, labels)), 6)))
        return pd.DataFrame(rows, columns=SILHOUETTE_COLUMNS)

    def _choose_k(self, matrix: np.ndarray) -> int:
        if self.silhouette_.empty:
            return 2
        best_k, best_score = 2, -1.0
        for k, score in self.silhouette_.itertuples(index=False):
            if score > best_score + 1e-12:
                best_k, best_score = int(k), score
        return best_k

    def _criterion(self, count: int) -> str:
        """How ``n_clusters_`` was chosen, in words."""
        if self.n_clusters:
            return f"k = {self.n_clusters}, fixed by the caller"
        top = min(self.max_clusters, count - 1)
        if top <= 2:
            return f"k = 2: the only number of clusters {count} outlets allow"
        return f"k = {self.n_clusters_}: the highest silhouette over k = 2..{top} (ties go to the smaller k)"

    def _top_split_drivers(self) -> pd.DataFrame:
        """Measures whose standardized means differ most between the two sides of the top split."""
        from scipy.cluster.hierarchy import fcluster

        sides = fcluster(self.linkage_, t=2, criterion="maxclust")
        first = self.standardized_[sides == 1].mean()
        second = self.standardized_[sides == 2].mean()
        gap = (first - second).rename("difference")
        frame = gap.to_frame()
        frame["abs_difference"] = gap.abs()
        frame["side_one"] = ", ".join(self.standardized_.index[sides == 1])
        frame["side_two"] = ", ".join(self.standardized_.index[sides == 2])
        frame = frame.rename_axis("measure").reset_index()
        return frame.sort_values(["abs_difference", "measure"], ascending=[False, True], kind="mergesort").reset_index(drop=True).round(6)
