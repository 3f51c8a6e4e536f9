"""framing.cluster: Ward clustering of outlets on standardized measures."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.cluster import StyleClustering


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
