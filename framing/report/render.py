"""Rendering: figures, the context and the templates, written atomically into a report folder.

One Jinja2 Environment, with autoescape on for HTML, renders both editions; nothing is
written until every file has been produced in memory, and each file is then written to a
temporary name and moved into place with ``os.replace``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..cluster import StyleClustering
from ..compare import Comparison, check_differences, compare, sentence_index
from ..score import ScoredCorpus
from ..style import MIN_ARTICLES_PER_OUTLET, analyze_style  # outlet style (issue 7)
from . import plots
from .classroom import check_audience, classroom_context, highlight_toggles  # classroom edition (issue 8)
from .context import SUMMARY_MEASURES, build_context, data_uri
from .csvfile import csv_bytes
from .differences import difference_files, differences, differences_context
from .evidence_rows import EvidenceRows
from .side_task import SideTask, spare_core
from .style_section import style_section  # outlet style (issue 7)

# "Where the accounts differ" compares accounts of one event; a corpus of many stories
# (an archive of thousands of articles) would compare unrelated figures, so it is skipped.
DIFFERENCES_MAX_ARTICLES = 200
# The spread of per-article values is drawn once some outlet has this many articles (fewer make no box).
DISTRIBUTION_MIN_ARTICLES = 5
# Above this many articles, with a spare core, the stages that need only the scored corpus (outlet style,
# the scores and evidence tables: seconds on thousands of articles) run in a forked process beside the
# others; below, forking costs more than it saves.
BESIDE_MIN_ARTICLES = 200

Progress = Callable[[str], None]  # told each stage of a long build ("Comparing outlets…"), for a command line to show

KEY_MEASURES = ["tone", "quote_share", "hedges_per_1k", "boosters_per_1k", "evaluative_per_1k", "frames_per_1k"]

_environment = Environment(
    loader=PackageLoader("framing.report", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def environment() -> Environment:
    """The single template environment (autoescaping HTML)."""
    return _environment


def _figure(name: str, alt: str, png: bytes) -> dict[str, Any]:
    return {"file": f"{name}.png", "alt": alt, "data_uri": data_uri(png), "png": png}


def _clustering(comparison: Comparison) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Fit the style clustering and describe it; a corpus with too few outlets says why there is none."""
    labels = {measure.column: measure.label for measure in comparison.measures}
    try:
        model = StyleClustering(random_state=0).fit(comparison.outlets)
    except ValueError as error:
        return {"available": False, "reason": str(error)}, {}
    figures = {
        "dendrogram": _figure("dendrogram", "Dendrogram of outlets clustered by their standardized measures (Ward linkage).",
                              plots.to_png(plots.dendrogram_figure(model.linkage_, list(model.standardized_.index)))),
        "style_map": _figure("style_map", "Outlets placed on the first two principal components of their standardized measures.",
                             plots.to_png(plots.style_map(model.coordinates_, model.labels_, list(model.explained_variance_)))),
    }
    drivers = model.drivers_.head(5)
    description = {
        "available": True,
        "reason": "",
        "n_clusters": int(model.n_clusters_),
        "clusters": [{"outlet": outlet, "cluster": int(cluster)} for outlet, cluster in model.labels_.items()],
        "split": {"side_one": str(drivers["side_one"].iloc[0]), "side_two": str(drivers["side_two"].iloc[0])},
        "drivers": [
            {"label": labels.get(row.measure, row.measure), "difference": f"{row.difference:+.2f}",
             "higher_on": row.side_one if row.difference > 0 else row.side_two}
            for row in drivers.itertuples(index=False)
        ],
        "features": len(model.features_),
        "explained": [f"{value:.0%}" for value in model.explained_variance_],
        "note": _clustering_note(comparison),
    }
    return description, figures


def _clustering_note(comparison: Comparison) -> str:
    """What the pooled clustering can say, given how many articles stand behind each outlet."""
    fewest = int(comparison.outlets["articles"].min()) if "articles" in comparison.outlets else 0
    if fewest < MIN_ARTICLES_PER_OUTLET:
        count = f"{fewest} article{'s' if fewest != 1 else ''}"
        return (f"With so few articles, clusters describe these articles, not the outlets in general: {count} "
                "cannot show an outlet's habitual style.")
    return ("These clusters pool each outlet's articles into one profile; the analysis below works article by article, "
            "chooses the number of clusters by a stated criterion and tests how stable the grouping is.")


def differences_left_out(articles: int) -> str:
    """Why "Where the accounts differ" is not built for a large corpus, and how to get it."""
    return (f"this corpus has {articles:,} articles. The section sets the accounts of one event side by side, sentence "
            f"by sentence, so it is built for corpora of up to {DIFFERENCES_MAX_ARTICLES} articles on one story. To get "
            f"it, narrow the corpus to one story, for example framing report CORPUS --topic NAME, or --filter \"title~WORDS\"")


def _distributions(scored: ScoredCorpus, comparison: Comparison, key: list[str],
                   labels: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The per-article spread of the key measures, when outlets have enough articles for a box to mean something."""
    if scored.scores.empty or int(scored.scores.groupby("outlet").size().max()) < DISTRIBUTION_MIN_ARTICLES:
        return {}
    alt = ("Box plots of the key measures per article, one box per outlet: the box spans the middle half of the "
           "outlet's articles, the line inside it is the median, the whiskers reach the furthest article within 1.5 "
           "box lengths and dots are articles beyond.")
    figure = plots.distribution_boxes(scored.scores, list(comparison.outlets["outlet"]), key, labels)
    return {"distributions": _figure("distributions", alt, plots.to_png(figure, tight=False))}


def _scored_parts(scored: ScoredCorpus, outlet_labels: str | Path | None) -> tuple[dict[str, Any], dict[str, bytes]]:
    """What needs the scored corpus alone (see ``side_task``): the outlet-style section's context, and the
    scores and evidence tables with the style files."""
    context, style_files = style_section(analyze_style(scored, outlet_labels))  # outlet style (issue 7)
    tables = {"scores.csv": csv_bytes(scored.scores), "evidence.csv": csv_bytes(scored.evidence)}
    return context, {**tables, **style_files}


def build_report(scored: ScoredCorpus, compare_accounts: bool | None = None, audience: str = "analyst",
                 outlet_labels: str | Path | None = None, progress: Progress | None = None,
                 beside: bool | None = None) -> dict[str, bytes]:
    """Every file of a report, by name, as bytes (nothing is written).

    ``compare_accounts``: build "Where the accounts differ" (quotes, figures, omissions);
    ``None`` means yes for corpora of up to ``DIFFERENCES_MAX_ARTICLES`` articles.
    ``audience``: ``"analyst"`` (the default) gives today's files; ``"students"`` adds the
    classroom edition ``student.html`` and the printable ``worksheet.html``.
    ``outlet_labels``: a CSV (outlet,label,source) to compare the style clusters with; default AllSides.
    ``progress``: called with a short message as each long stage starts (the library prints nothing).
    ``beside``: compute what needs only the scored corpus (outlet style, the scores and evidence
    tables) in a forked process while the other stages run: the same files, sooner on two cores.
    ``None`` means yes above ``BESIDE_MIN_ARTICLES`` articles with a spare core.
    """
    check_audience(audience)  # classroom edition (issue 8)
    if beside is None:
        beside = len(scored.corpus.articles) > BESIDE_MIN_ARTICLES and spare_core()
    with SideTask(_scored_parts, scored, outlet_labels, beside=beside) as scored_parts:
        return _build_report(scored, compare_accounts, audience, progress, scored_parts, beside)


def _clustering_and_figures(scored: ScoredCorpus, comparison: Comparison) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The outlet clustering and every figure: matplotlib's seconds, which need the comparison alone."""
    clustering, figures = _clustering(comparison)
    key = [column for column in KEY_MEASURES if column in comparison.outlets.columns]
    labels = {measure.column: measure.label for measure in comparison.measures}
    figures["measures"] = _figure("measures", "Bar charts of the key measures for each outlet.",
                                  plots.to_png(plots.measure_bars(comparison.outlets, key, labels), tight=False))
    figures.update(_distributions(scored, comparison, key, labels))
    return clustering, figures


def _build_report(scored: ScoredCorpus, compare_accounts: bool | None, audience: str, progress: Progress | None,
                  scored_parts: SideTask, beside: bool) -> dict[str, bytes]:
    """``build_report``'s stages in order; the style section and the scored tables come from ``scored_parts``,
    and with ``beside`` the clustering and figures are drawn in a second forked process while the
    differences are checked and the evidence collected."""
    tell = progress or (lambda message: None)
    too_many = compare_accounts is None and len(scored.corpus.articles) > DIFFERENCES_MAX_ARTICLES
    if compare_accounts is None:
        compare_accounts = not too_many
    tell("Comparing outlets…")
    comparison = compare(scored)
    with SideTask(_clustering_and_figures, scored, comparison, beside=beside) as drawn:
        index = sentence_index(scored)
        rows = EvidenceRows(scored, index)
        tell("Checking each difference (bootstrap intervals, dropping top words)…")
        checks = check_differences(scored, comparison, [c for c in SUMMARY_MEASURES if c in comparison.outlets.columns],
                                   index=index)
        tell("Clustering outlets and drawing figures…")
        if not beside:
            drawn.result()  # (drawn here, in the order the messages say)
        tell("Collecting the evidence behind each number…")
        context = build_context(scored, comparison, checks, {}, {}, rows)  # (which only holds these two:)
        context["clustering"], context["figures"] = drawn.result()
    if compare_accounts:
        tell("Comparing the accounts (quotes, figures, omissions)…")
    diff = differences(scored) if compare_accounts else None
    context["differences"] = (
        differences_context(diff, scored.corpus) if diff is not None else
        {"available": False, "reason": differences_left_out(len(scored.corpus.articles)) if too_many
         else "it was not asked for (compare_accounts=False)"}
    )
    context["toggles"] = highlight_toggles(scored)  # classroom edition (issue 8): the highlight switches
    tell("Describing outlet style…")
    context["style"], scored_files = scored_parts.result()
    tell("Writing the report pages…")
    files = {
        "report.html": environment().get_template("report.html").render(context).encode("utf-8"),
        "report.md": environment().get_template("report.md").render(context).encode("utf-8"),
    }
    tell("Writing the tables…")
    files.update({
        "scores.csv": scored_files.pop("scores.csv"),
        "evidence.csv": scored_files.pop("evidence.csv"),
        "outlets.csv": csv_bytes(comparison.outlets),
        "robustness.csv": csv_bytes(checks),
    })
    files.update(scored_files)  # outlet style (issue 7): style.csv, style_outlets.csv, the map
    if diff is not None:
        files.update(difference_files(diff))
    if audience == "students":  # classroom edition (issue 8)
        tell("Writing the classroom edition…")
        classroom = classroom_context(scored, comparison, context, diff, rows)
        for name in ("student.html", "worksheet.html"):
            files[name] = environment().get_template(name).render(classroom).encode("utf-8")
    for figure in context["figures"].values():
        files[figure["file"]] = figure["png"]
    return files


def write_files(files: dict[str, bytes], folder: str | Path) -> Path:
    """Write each file to a temporary name in ``folder`` and move it into place."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    for name in sorted(files):
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(files[name])
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, folder / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return folder


def render_report(scored: ScoredCorpus, folder: str | Path, compare_accounts: bool | None = None,
                  audience: str = "analyst", outlet_labels: str | Path | None = None,
                  progress: Progress | None = None) -> Path:
    """Build the report of a scored corpus and write it into ``folder``; returns the HTML path.

    ``audience="students"`` also writes ``student.html`` and ``worksheet.html`` beside ``report.html``.
    ``progress`` is told each stage as it starts (see ``build_report``).
    """
    files = build_report(scored, compare_accounts, audience, outlet_labels, progress)
    if progress is not None:
        progress(f"Writing {len(files)} files to {folder}…")
    folder = write_files(files, folder)
    return folder / "report.html"
