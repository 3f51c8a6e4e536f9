"""Outlet style: standardize outlet-level measures, cluster them (Ward) and map them (PCA).

``StyleClustering`` follows scikit-learn's estimator rules: parameters are stored in
``__init__``, ``fit`` returns ``self``, learned state ends in ``_``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

MIN_OUTLETS = 3


class StyleClustering:
    """Hierarchical (Ward) clustering of outlets on standardized style measures.

    With ``n_clusters=None`` the number of clusters is 2 for three or four outlets and
    otherwise the k in 2..8 with the best silhouette score.
    """

    def __init__(self, features: list[str] | None = None, n_clusters: int | None = None, random_state: int = 0) -> None:
        self.features = features
        self.n_clusters = n_clusters
        self.random_state = random_state

    def fit(self, outlets: pd.DataFrame) -> "StyleClustering":
        """Fit on an outlet table (one row per outlet, an ``outlet`` column and measure columns)."""
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
        self.n_clusters_ = self.n_clusters or self._choose_k(matrix)
        labels = fcluster(self.linkage_, t=self.n_clusters_, criterion="maxclust")
        self.labels_ = pd.Series(labels, index=self.standardized_.index, name="cluster")
        pca = PCA(n_components=2, random_state=self.random_state)
        coords = pca.fit_transform(matrix)
        self.coordinates_ = pd.DataFrame(coords, index=self.standardized_.index, columns=["pc1", "pc2"]).round(6)
        self.explained_variance_ = pca.explained_variance_ratio_.round(6)
        self.loadings_ = pd.DataFrame(pca.components_.T, index=self.features_, columns=["pc1", "pc2"]).round(6)
        self.drivers_ = self._top_split_drivers()
        return self

    def _choose_k(self, matrix: np.ndarray) -> int:
        count = len(matrix)
        if count <= 4:
            return 2
        best_k, best_score = 2, -1.0
        for k in range(2, min(8, count - 1) + 1):
            labels = fcluster(self.linkage_, t=k, criterion="maxclust")
            if len(set(labels)) < 2:
                continue
            score = silhouette_score(matrix, labels)
            if score > best_score + 1e-12:
                best_k, best_score = k, score
        return best_k

    def _top_split_drivers(self) -> pd.DataFrame:
        """Measures whose standardized means differ most between the two sides of the top split."""
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
