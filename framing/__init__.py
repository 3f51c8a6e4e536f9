"""framing: how different news outlets frame the same event.

The pipeline flows one way, one module per stage:
corpus → tokens → lexicon matches (evidence rows) → scores → comparisons and clusters → report.

    >>> import framing
    >>> corpus = framing.load_corpus("corpus/ceasefire-call-2025-03")
    >>> scored = framing.score(corpus)                 # scored.scores, scored.evidence
    >>> comparison = framing.compare(scored)           # comparison.outlets
    >>> style = framing.analyze_style(scored)          # outlet style: clusters, stability, prediction
    >>> framing.render_report(scored, "reports/ceasefire-call-2025-03")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .compare import Comparison, compare
from .corpus import Article, Corpus, load_corpus
from .errors import CorpusError, FilterError, FramingError, InputError, LexiconError
from .lexicon import LexiconSet, load_lexicons
from .score import ScoredCorpus, score, score_texts

if TYPE_CHECKING:
    from .report.render import build_report, render_report
    from .style import StyleAnalysis, analyze_style

# Imported on first use: the report and the style analysis bring in matplotlib, scikit-learn and
# Jinja2, which scoring (and ``import framing``) should not wait for.
_LAZY = {
    "build_report": ".report.render", "render_report": ".report.render",
    "StyleAnalysis": ".style", "analyze_style": ".style",
}

__version__ = "0.1.0"

__all__ = [
    "Article", "Comparison", "Corpus", "CorpusError", "FilterError", "FramingError", "InputError", "LexiconError",
    "LexiconSet", "ScoredCorpus", "StyleAnalysis", "analyze_style", "build_report", "compare", "load_corpus",
    "load_lexicons", "render_report", "score", "score_texts",
]


def __getattr__(name: str) -> Any:
    """The report and style names, imported when first asked for (PEP 562)."""
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
