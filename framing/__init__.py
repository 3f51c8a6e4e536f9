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

from .compare import Comparison, compare
from .corpus import Article, Corpus, load_corpus
from .errors import CorpusError, FilterError, FramingError, InputError, LexiconError
from .lexicon import LexiconSet, load_lexicons
from .report.render import build_report, render_report
from .score import ScoredCorpus, score, score_texts
from .style import StyleAnalysis, analyze_style

__version__ = "0.1.0"

__all__ = [
    "Article", "Comparison", "Corpus", "CorpusError", "FilterError", "FramingError", "InputError", "LexiconError",
    "LexiconSet", "ScoredCorpus", "StyleAnalysis", "analyze_style", "build_report", "compare", "load_corpus",
    "load_lexicons", "render_report", "score", "score_texts",
]
