"""The evidence table as arrays, for the report: rows found by integer position and read without pandas.

A report shows a few thousand of a large corpus's half-million evidence rows. Finding them
with a pandas filter per number, per article or per sentence, and reading them with
``itertuples``, took minutes at 4,400 articles; here the table is split once (by outlet and
lexicon, by article, by sentence), labels are factorized once per column when first asked
for, and a row is built only when it is shown.
"""

from __future__ import annotations

import bisect
from collections import namedtuple
from functools import cached_property

import numpy as np
import pandas as pd

from ..compare import SentenceIndex, sentence_index
from ..score import EVIDENCE_COLUMNS, ScoredCorpus

EvidenceRow = namedtuple("EvidenceRow", EVIDENCE_COLUMNS)  # one row of ``scored.evidence``, as itertuples gives it
_NONE = np.empty(0, dtype=np.int64)


class EvidenceRows:
    """``scored.evidence`` and ``scored.sentences`` by position; built once and shared by the analyst and classroom views."""

    def __init__(self, scored: ScoredCorpus, index: SentenceIndex | None = None) -> None:
        self.scored = scored
        self.table = scored.evidence
        self.index = index if index is not None else sentence_index(scored)
        self.sentence_of = self.index.evidence_sentence  # per row: its sentence's row in ``index.sentences``
        self.start = self.table["start"].to_numpy()
        self.end = self.table["end"].to_numpy()
        self.value = self.table["value"].to_numpy(dtype=float)
        self.in_quote = self.table["in_quote"].to_numpy(dtype=bool)
        self._codes: dict[str, tuple[np.ndarray, list]] = {}

    def codes(self, column: str) -> tuple[np.ndarray, list]:
        """Per row, a code into the column's distinct values (factorized on first use)."""
        if column not in self._codes:
            codes, uniques = pd.factorize(self.table[column], use_na_sentinel=False)
            self._codes[column] = (codes, uniques.tolist())
        return self._codes[column]

    def where(self, column: str, value: object, positions: np.ndarray | None = None) -> np.ndarray:
        """The positions (of ``positions``, default all rows, in order) whose ``column`` equals ``value``."""
        codes, labels = self.codes(column)
        code = labels.index(value) if value in labels else -2
        if positions is None:
            return np.flatnonzero(codes == code)
        return positions[codes[positions] == code]

    @cached_property
    def by_outlet_lexicon(self) -> dict[tuple[str, str], np.ndarray]:
        """Row positions per (outlet, lexicon), in table order."""
        groups = self.table.groupby(["outlet", "lexicon"], sort=True).indices
        return {(str(outlet), str(lexicon)): positions for (outlet, lexicon), positions in groups.items()}

    @cached_property
    def by_article(self) -> dict[str, np.ndarray]:
        """Row positions per article, in table order."""
        return {str(article): positions for article, positions in self.table.groupby("article_id").indices.items()}

    def of_outlet_lexicon(self, outlet: str, lexicon: str) -> np.ndarray:
        return self.by_outlet_lexicon.get((outlet, lexicon), _NONE)

    def of_article(self, article_id: str) -> np.ndarray:
        return self.by_article.get(article_id, _NONE)

    @cached_property
    def _by_sentence(self) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(self.sentence_of, kind="stable")
        bounds = np.searchsorted(self.sentence_of[order], np.arange(len(self.index.sentences) + 1))
        return order, bounds

    def of_sentence(self, sentence: int) -> np.ndarray:
        """Row positions of one sentence (a row of ``index.sentences``), in table order."""
        order, bounds = self._by_sentence
        return order[bounds[sentence]:bounds[sentence + 1]]

    @cached_property
    def _columns(self) -> list[tuple[np.ndarray, list | None]]:
        """Per evidence column: its values (numbers) or its codes and distinct values (text)."""
        columns = []
        for column in EVIDENCE_COLUMNS:
            values = self.table[column]
            if values.dtype.kind in "biuf":
                columns.append((values.to_numpy(), None))
            else:
                columns.append(self.codes(column))
        return columns

    def rows(self, positions: np.ndarray) -> list[EvidenceRow]:
        """The rows at ``positions``, as named tuples with the evidence columns (as ``itertuples`` gives them)."""
        if not len(positions):
            return []
        values = [array[positions].tolist() if labels is None else [labels[code] for code in array[positions].tolist()]
                  for array, labels in self._columns]
        return [EvidenceRow(*row) for row in zip(*values)]

    # -- sentences ----------------------------------------------------------------------------
    @cached_property
    def _sentences_by_article(self) -> dict[str, np.ndarray]:
        sentences = self.index.sentences
        return {str(article): positions for article, positions in sentences.groupby("article_id").indices.items()}

    @cached_property
    def _article_sentences(self) -> dict[str, tuple[list[tuple[int, int, int]], list[int], dict[int, int]]]:
        return {}

    @cached_property
    def _sentence_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        sentences = self.index.sentences
        return sentences["start"].to_numpy(), sentences["end"].to_numpy(), sentences["sentence"].to_numpy()

    def article_sentences(self, article_id: str) -> tuple[list[tuple[int, int, int]], list[int], dict[int, int]]:
        """One article's sentences as (start, end, number) by start, their starts, and number → sentence row."""
        if article_id not in self._article_sentences:
            positions = self._sentences_by_article.get(article_id, _NONE)
            starts, ends, numbers = (column[positions] for column in self._sentence_columns)
            order = np.argsort(starts, kind="stable")
            spans = [(int(starts[i]), int(ends[i]), int(numbers[i])) for i in order.tolist()]
            rows = {int(numbers[i]): int(positions[i]) for i in range(len(positions))}
            self._article_sentences[article_id] = (spans, [start for start, _, _ in spans], rows)
        return self._article_sentences[article_id]

    def sentence_at(self, article_id: str, position: int) -> tuple[int, int, int] | None:
        """(start, end, number) of the sentence of ``article_id`` holding character ``position``, or None."""
        spans, starts, _ = self.article_sentences(article_id)
        number = bisect.bisect_right(starts, position) - 1
        if number >= 0 and position < spans[number][1]:
            return spans[number]
        return None

    def sentence_row(self, article_id: str, sentence: int) -> int | None:
        """The row in ``index.sentences`` of sentence number ``sentence`` of ``article_id``."""
        return self.article_sentences(article_id)[2].get(sentence)

    @cached_property
    def _sentence_order(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index]:
        """The sentences sorted by (article, start): article codes, starts, ends, and the articles."""
        sentences = self.index.sentences
        articles = pd.Index(pd.unique(sentences["article_id"]))
        codes = articles.get_indexer(sentences["article_id"]).astype(np.int64)
        starts, ends = sentences["start"].to_numpy(np.int64), sentences["end"].to_numpy(np.int64)
        order = np.lexsort((starts, codes))
        return codes[order], starts[order], ends[order], articles

    def contains(self, article_ids: pd.Series, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """For many spans at once: does the sentence holding each span's start (``sentence_at``) hold its end too?"""
        codes, sentence_starts, sentence_ends, articles = self._sentence_order
        starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
        queries = articles.get_indexer(article_ids).astype(np.int64)
        width = int(max(sentence_starts.max(initial=0), starts.max(initial=0))) + 1
        found = np.searchsorted(codes * width + sentence_starts, queries * width + starts, side="right") - 1
        valid = (queries >= 0) & (found >= 0)
        found = np.where(valid, found, 0)
        if not len(codes):
            return np.zeros(len(starts), dtype=bool)
        return valid & (codes[found] == queries) & (starts < sentence_ends[found]) & (ends <= sentence_ends[found])
