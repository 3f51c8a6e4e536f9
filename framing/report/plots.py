"""Figures as pure functions: a DataFrame in, a matplotlib Figure out.

Colours come from seaborn's colour-blind-safe palette; every figure has a title and
labelled axes so it reads without the surrounding text. matplotlib, seaborn and SciPy are
imported by the functions that draw (``_pyplot``), not with this module: they take seconds.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PALETTE = "colorblind"


LABEL_INCH_PER_CHARACTER = 0.065  # an 8-point outlet name is at most this wide per character (a generous estimate)


def _pyplot():
    """matplotlib's pyplot on the Agg backend (files only, no window), imported on first use."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _palette(count: int) -> list:
    """``count`` colours of seaborn's colour-blind-safe palette."""
    import seaborn as sns

    return sns.color_palette(PALETTE, count)


def _panel_grid(count: int, names: list[str]) -> tuple[Figure, list]:
    """A grid of up to three panels a row sharing the outlet axis, each tall enough for one row per outlet.

    Margins are set from the longest outlet name rather than measured (``tight_layout`` or a
    tight bounding box lay out every label again, which is most of the cost of a figure),
    so ``to_png(figure, tight=False)`` keeps every label.
    """
    wrap = max(1, min(3, count))
    rows = max(1, math.ceil(count / wrap))
    height = max(2.2, 0.26 * len(names) + 0.9)
    label_width = LABEL_INCH_PER_CHARACTER * max((len(name) for name in names), default=1) + 0.25
    width = 3.3 * wrap + label_width + 0.3
    figure, axes = _pyplot().subplots(rows, wrap, figsize=(width, height * rows), squeeze=False, sharey=True)
    figure.subplots_adjust(left=label_width / width, right=1 - 0.25 / width, bottom=0.4 / (height * rows),
                           wspace=0.08, hspace=1.1 / height, top=1 - 0.75 / (height * rows))
    for axis in axes.flat[count:]:
        axis.remove()
    panels = list(axes.flat[:count])
    # One shared y axis: outlets top to bottom in table order, names on the left-hand panels only.
    panels[0].set_yticks(range(len(names)))
    panels[0].set_yticklabels(names)
    panels[0].set_ylim(len(names) - 0.5, -0.5)
    for axis in panels:
        axis.tick_params(labelsize=8)
    return figure, panels


def _title(figure: Figure, text: str) -> None:
    """The figure's title, in the space ``_panel_grid`` leaves above the panels."""
    figure.suptitle(text, y=1 - 0.2 / figure.get_figheight())


def measure_bars(outlets: pd.DataFrame, columns: list[str], labels: dict[str, str]) -> Figure:
    """One small bar chart per measure, one bar per outlet (drawn directly: seaborn's catplot takes seconds)."""
    names = [str(name) for name in outlets["outlet"]]
    colours = _palette(len(names))
    figure, axes = _panel_grid(len(columns), names)
    for axis, column in zip(axes, columns):
        axis.barh(range(len(names)), outlets[column].to_numpy(dtype=float), color=colours, height=0.7)
        axis.axvline(0, color="#333", linewidth=0.8)
        axis.set_title(labels.get(column, column), fontsize=10)
    _title(figure, "Key measures by outlet")
    return figure


def box_statistics(values: np.ndarray) -> dict[str, Any]:
    """Quartiles, whisker ends (the furthest values within 1.5 box lengths, as matplotlib draws them) and the values beyond."""
    if not len(values):
        return {"q1": np.nan, "median": np.nan, "q3": np.nan, "low": np.nan, "high": np.nan, "outliers": values}
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    reach = 1.5 * (q3 - q1)
    inside = values[(values >= q1 - reach) & (values <= q3 + reach)]
    return {"q1": q1, "median": median, "q3": q3, "low": inside.min(), "high": inside.max(),
            "outliers": values[(values < q1 - reach) | (values > q3 + reach)]}


def distribution_boxes(scores: pd.DataFrame, outlets: list[str], columns: list[str], labels: dict[str, str]) -> Figure:
    """Per measure, one box per outlet of its articles' values: the spread behind each pooled figure.

    Whiskers, medians and outliers are drawn as one collection each per panel (matplotlib's
    ``boxplot`` makes a dozen artists per box, which takes seconds for 11 outlets × 6 measures).
    """
    from matplotlib.collections import LineCollection

    figure, axes = _panel_grid(len(columns), outlets)
    groups = {outlet: rows for outlet, rows in scores.groupby("outlet", sort=False)}
    colours = _palette(len(outlets))
    rows = np.arange(len(outlets))
    for axis, column in zip(axes, columns):
        stats = [box_statistics(groups[outlet][column].to_numpy(dtype=float) if outlet in groups else np.empty(0))
                 for outlet in outlets]
        q1 = np.array([item["q1"] for item in stats])
        axis.barh(rows, np.array([item["q3"] for item in stats]) - q1, left=q1, height=0.6, color=colours,
                  edgecolor="#000", linewidth=0.8)
        whiskers = [[(item["low"], row), (item["q1"], row)] for row, item in zip(rows, stats)]
        whiskers += [[(item["q3"], row), (item["high"], row)] for row, item in zip(rows, stats)]
        whiskers += [[(item[end], row - 0.15), (item[end], row + 0.15)] for row, item in zip(rows, stats)
                     for end in ("low", "high")]
        axis.add_collection(LineCollection(whiskers, colors="#000", linewidths=0.8))
        axis.add_collection(LineCollection([[(item["median"], row - 0.3), (item["median"], row + 0.3)]
                                            for row, item in zip(rows, stats)], colors="#000", linewidths=1.6))
        outliers = [(value, row) for row, item in zip(rows, stats) for value in item["outliers"].tolist()]
        if outliers:
            axis.scatter([x for x, _ in outliers], [y for _, y in outliers], s=4, color="#555", alpha=0.5, linewidths=0)
        axis.autoscale_view(scaley=False)
        axis.set_title(labels.get(column, column), fontsize=10)
    _title(figure, "Spread across articles, per outlet")
    return figure


def dendrogram_figure(linkage_matrix, outlet_names: list[str]) -> Figure:
    """Ward dendrogram of outlets: outlets joined low down write alike."""
    from scipy.cluster.hierarchy import dendrogram

    figure, axis = _pyplot().subplots(figsize=(6, 3.2))
    dendrogram(linkage_matrix, labels=outlet_names, ax=axis, color_threshold=0, above_threshold_color="#0072B2")
    axis.set_title("Outlet style: hierarchical clustering (Ward)")
    axis.set_ylabel("distance (standardized measures)")
    axis.tick_params(axis="x", labelrotation=15, labelsize=8)
    figure.tight_layout()
    return figure


def style_map(coordinates: pd.DataFrame, clusters: pd.Series, explained: list[float]) -> Figure:
    """Outlets on the first two principal components of their standardized measures."""
    frame = coordinates.assign(cluster=clusters.astype(str)).rename_axis("outlet").reset_index()
    import seaborn as sns

    figure, axis = _pyplot().subplots(figsize=(6, 4))
    sns.scatterplot(data=frame, x="pc1", y="pc2", hue="cluster", style="cluster", s=120, palette=PALETTE, ax=axis)
    for row in frame.itertuples():
        axis.annotate(row.outlet, (row.pc1, row.pc2), textcoords="offset points", xytext=(6, 6), fontsize=8)
    axis.set_title("Outlet style map (PCA)")
    axis.set_xlabel(f"PC1 ({explained[0]:.0%} of variance)")
    axis.set_ylabel(f"PC2 ({explained[1]:.0%} of variance)")
    axis.margins(0.25)
    figure.tight_layout()
    return figure


def to_png(figure: Figure, tight: bool = True) -> bytes:
    """PNG bytes of a figure, without metadata that would change between runs.

    ``tight``: crop to the drawn artists (one more layout pass); figures that set their own
    margins (``_panel_grid``) pass False.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight" if tight else None, metadata={"Software": None})
    _pyplot().close(figure)
    return buffer.getvalue()
