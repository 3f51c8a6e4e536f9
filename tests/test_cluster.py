"""framing.cluster: Ward clustering of outlets on standardized measures."""

from __future__ import annotations

import pandas as pd
import pytest

import numpy as np

from framing.cluster import StyleClustering, standardize, ward_clusters


def outlets_table() -> pd.DataFrame:
    return pd.DataFrame({
        "outlet": ["A", "B", "C", "D", "E", "F"],
        "tone": [0.30, 0.28, 0.31, -0.20, -0.22, -0.19],
        "hedges_per_1k": [2.0, 2.2, 1.9, 9.0, 8.8, 9.3],
        "quote_share": [0.10, 0.11, 0.09, 0.12, 0.10, 0.11],
    })


def test_two_obvious_groups_are_found():
    model = StyleClustering().fit(outlets_table())
    assert model is not None and model.n_clusters_ == 2
    labels = model.labels_
    assert labels["A"] == labels["B"] == labels["C"] != labels["D"] == labels["E"] == labels["F"]
    top = set(model.drivers_["measure"].head(2))
    assert top == {"tone", "hedges_per_1k"}


def test_fit_is_deterministic_and_stores_learned_state():
    first = StyleClustering(random_state=0).fit(outlets_table())
    second = StyleClustering(random_state=0).fit(outlets_table())
    pd.testing.assert_frame_equal(first.coordinates_, second.coordinates_)
    assert first.features_ == ["tone", "hedges_per_1k", "quote_share"]
    assert first.linkage_.shape == (5, 4)


def test_too_few_outlets_is_explained():
    with pytest.raises(ValueError, match="at least 3 outlets"):
        StyleClustering().fit(outlets_table().head(2))


def test_constant_measures_are_dropped():
    table = outlets_table().assign(constant=1.0)
    assert "constant" not in StyleClustering().fit(table).features_


def test_silhouette_of_every_k_is_kept_and_the_criterion_stated():
    model = StyleClustering().fit(outlets_table())
    assert list(model.silhouette_["k"]) == [2, 3, 4, 5]  # 2..min(8, 6 outlets - 1)
    assert model.silhouette_["silhouette"].iloc[0] == model.silhouette_["silhouette"].max()
    assert model.k_criterion_ == "k = 2: the highest silhouette over k = 2..5 (ties go to the smaller k)"


@pytest.mark.parametrize("kwargs, criterion", [
    ({"n_clusters": 3}, "k = 3, fixed by the caller"),
    ({"max_clusters": 3}, "k = 2: the highest silhouette over k = 2..3 (ties go to the smaller k)"),
])
def test_k_criterion_follows_the_parameters(kwargs: dict, criterion: str):
    model = StyleClustering(**kwargs).fit(outlets_table())
    assert model.k_criterion_ == criterion and model.n_clusters_ == int(criterion[4])


@pytest.mark.parametrize("outlets, k_range", [(3, [2]), (4, [2, 3]), (6, [2, 3, 4, 5])])
def test_k_is_chosen_by_silhouette_over_two_to_outlets_minus_one(outlets: int, k_range: list[int]):
    model = StyleClustering().fit(outlets_table().head(outlets))
    assert list(model.silhouette_["k"]) == k_range and model.n_clusters_ == 2
    if outlets == 3:
        assert model.k_criterion_ == "k = 2: the only number of clusters 3 outlets allow"
    else:
        assert model.k_criterion_.endswith(f"over k = 2..{outlets - 1} (ties go to the smaller k)")


def test_ward_clusters_reproduce_the_fitted_labels():
    model = StyleClustering().fit(outlets_table())
    values = outlets_table().set_index("outlet")[model.features_].to_numpy()
    np.testing.assert_array_equal(ward_clusters(standardize(values), model.n_clusters_), model.labels_.to_numpy())
    assert np.allclose(standardize(np.array([[1.0, 5.0], [3.0, 5.0]])), [[-1.0, 0.0], [1.0, 0.0]])
