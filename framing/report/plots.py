"""Figures as pure functions: a DataFrame in, a matplotlib Figure out.

Colours come from seaborn's colour-blind-safe palette; every figure has a title and
labelled axes so it reads without the surrounding text.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy.cluster.hierarchy import dendrogram  # noqa: E402

PALETTE = "colorblind"


def measure_bars(outlets: pd.DataFrame, columns: list[str], labels: dict[str, str]) -> Figure:
    """One small bar chart per measure, outlets side by side."""
    long = outlets.melt(id_vars="outlet", value_vars=columns, var_name="measure", value_name="value")
    long["measure"] = long["measure"].map(labels)
    grid = sns.catplot(
        data=long, x="outlet", y="value", hue="outlet", col="measure", kind="bar",
        col_wrap=min(3, len(columns)), sharey=False, palette=PALETTE, height=2.8, aspect=1.2, legend=False,
    )
    grid.set_titles("{col_name}")
    grid.set_axis_labels("", "")
    for axis in grid.axes.flat:
        axis.tick_params(axis="x", labelrotation=20, labelsize=8)
    grid.figure.suptitle("Key measures by outlet", y=1.02)
    return grid.figure


def dendrogram_figure(linkage_matrix, outlet_names: list[str]) -> Figure:
    """Ward dendrogram of outlets: outlets joined low down write alike."""
    figure, axis = plt.subplots(figsize=(6, 3.2))
    dendrogram(linkage_matrix, labels=outlet_names, ax=axis, color_threshold=0, above_threshold_color="#0072B2")
    axis.set_title("Outlet style: hierarchical clustering (Ward)")
    axis.set_ylabel("distance (standardized measures)")
    axis.tick_params(axis="x", labelrotation=15, labelsize=8)
    figure.tight_layout()
    return figure


def style_map(coordinates: pd.DataFrame, clusters: pd.Series, explained: list[float]) -> Figure:
    """Outlets on the first two principal components of their standardized measures."""
    frame = coordinates.assign(cluster=clusters.astype(str)).rename_axis("outlet").reset_index()
    figure, axis = plt.subplots(figsize=(6, 4))
    sns.scatterplot(data=frame, x="pc1", y="pc2", hue="cluster", style="cluster", s=120, palette=PALETTE, ax=axis)
    for row in frame.itertuples():
        axis.annotate(row.outlet, (row.pc1, row.pc2), textcoords="offset points", xytext=(6, 6), fontsize=8)
    axis.set_title("Outlet style map (PCA)")
    axis.set_xlabel(f"PC1 ({explained[0]:.0%} of variance)")
    axis.set_ylabel(f"PC2 ({explained[1]:.0%} of variance)")
    axis.margins(0.25)
    figure.tight_layout()
    return figure


def to_png(figure: Figure) -> bytes:
    """PNG bytes of a figure, without metadata that would change between runs."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
