"""Tone rules for all of a batch's tone words at once: ``tone_rules.tone_multiplier``, compiled.

``tone_rules.tone_multiplier`` is the readable definition, for one tone word and the rule words
(negators, intensifiers, diminishers, contrast words) of its sentence. ``ruled_tone`` applies it
to every tone word of a batch that a rule word may change, in one compiled pass
(``kernels.tone_rule_factors``) that returns each factor it applied; values are rounded, and
explanations written, once per distinct value and explanation, with ``tone_rules.REASONS``.
``tests/test_tone_arrays.py`` compares the two on random sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .token_arrays import every_character, text_slices
from .tone_rules import CLAUSE_MARKS, REASONS, ToneRules

# The kernel's numbers for a rule word's category (kernels.NEGATOR ...: written here too, so that importing this
# module does not import numba; tests/test_tone_arrays.py keeps them equal) and for a reason (REASONS' order).
RULE_KINDS = {"negator": 0, "intensifier": 1, "diminisher": 2, "contrast": 3}
_REASON_NAMES = tuple(REASONS)


@dataclass(frozen=True)
class RuleWords:
    """A batch's rule-word matches, in order of their first token: positions and their entries' kind and weight."""

    first: np.ndarray  # first token
    last: np.ndarray  # last token (inclusive)
    start: np.ndarray  # offsets in the batch's text
    end: np.ndarray
    sentence: np.ndarray  # sentence number in the batch
    kind: np.ndarray  # RULE_KINDS of the entry's category, -1 for another category
    weight: np.ndarray


@lru_cache(maxsize=1)
def clause_classes() -> np.ndarray:
    """Per code point: 1 for a ``CLAUSE_MARKS`` character, 2 for whitespace (``re``'s \\s), as the kernel reads them."""
    from .kernels import CLAUSE_MARK, CLAUSE_SPACE

    everything = every_character()
    table = np.zeros(len(everything), np.uint8)
    for pattern, bit in ((CLAUSE_MARKS, CLAUSE_MARK), (r"\s", CLAUSE_SPACE)):
        for found in re.finditer(pattern + "+", everything):
            table[found.start():found.end()] |= bit
    return table


def ruled_tone(text: str, codes: np.ndarray, first: np.ndarray, start: np.ndarray, sentence: np.ndarray,
               weight: np.ndarray, quoted: np.ndarray, rule_words: RuleWords,
               rules: ToneRules) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Tone words' values under the rules, ``round(weight * multiplier, 6)``, and their explanations.

    Per tone word: its first token, offset in ``text``, sentence, entry weight and whether it is
    inside a quotation. Returns (values, the distinct explanations, each word's explanation index).
    """
    from .kernels import tone_rule_factors  # numba: imported on first use

    low, high = np.searchsorted(rule_words.sentence, np.stack((sentence, sentence + 1)))
    multiplier, reason_word, reason_kind, reason_rule, reason_factor = tone_rule_factors(
        first.astype(np.int64), start.astype(np.int64), weight < 0, quoted, low, high, rule_words.first,
        rule_words.last, rule_words.end, rule_words.kind, rule_words.weight, codes, clause_classes(),
        rules.negation_window, rules.negation_clause, rules.negated_negative, rules.concessive_clause,
        rules.quote_factor)
    products = weight * multiplier
    distinct, which = np.unique(products, return_inverse=True)  # Python's round, once per distinct product
    values = np.array([round(product, 6) for product in distinct.tolist()], float)[which] if len(products) else products
    explanations, explanation = _explanations(text, codes, len(first), reason_word, reason_kind, reason_rule,
                                              reason_factor, rule_words)
    return values, explanations, explanation


def _explanations(text: str, codes: np.ndarray, words: int, reason_word: np.ndarray, reason_kind: np.ndarray,
                  reason_rule: np.ndarray, reason_factor: np.ndarray, rule_words: RuleWords) -> tuple[list[str], np.ndarray]:
    """The distinct explanations ("; " between a word's reasons, in order) and each word's, as an index
    into them; a reason is written once per distinct (reason, rule word as written, factor)."""
    rows = np.where(reason_rule >= 0, reason_rule, len(rule_words.start))  # a quotation's reason has no rule word
    encoded = text_slices(text, codes, np.append(rule_words.start, 0)[rows],
                          np.append(rule_words.end, 0)[rows]).dictionary_encode()
    surface, surfaces = encoded.indices.to_numpy().astype(np.int64), encoded.dictionary.to_pylist()
    factor_values, factor = np.unique(reason_factor, return_inverse=True)
    factors = factor_values.tolist()
    distinct, piece = np.unique((reason_kind * len(surfaces) + surface) * len(factors) + factor.reshape(-1),
                                return_inverse=True)
    kind, rest = np.divmod(distinct, len(surfaces) * len(factors))
    written = [REASONS[_REASON_NAMES[reason]].format(surface=surfaces[which // len(factors)],
                                                     factor=factors[which % len(factors)])
               for reason, which in zip(kind.tolist(), rest.tolist())]
    # Each word's pieces in order, a row padded with -1 (row keys: equal rows, equal explanations).
    order_in_word = np.arange(len(reason_word)) - np.searchsorted(reason_word, reason_word)
    table = np.full((words, int(order_in_word.max()) + 1 if len(order_in_word) else 1), -1, np.int64)
    table[reason_word, order_in_word] = piece.reshape(-1)
    rows_distinct, explanation = _distinct_rows(table, len(written))
    explanations = ["; ".join(written[item] for item in row if item >= 0) for row in rows_distinct.tolist()]
    return explanations, explanation


def _distinct_rows(table: np.ndarray, largest: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(table, axis=0, return_inverse=True)`` for rows of values from -1 to ``largest``, each row
    packed into one integer when they fit (ten times faster than comparing rows)."""
    base = largest + 2
    if base ** table.shape[1] >= 2 ** 63:
        distinct, inverse = np.unique(table, axis=0, return_inverse=True)
        return distinct, inverse.reshape(-1)
    keys = np.zeros(len(table), np.int64)
    for column in range(table.shape[1]):
        keys = keys * base + (table[:, column] + 1)
    distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return table[first], inverse.reshape(-1)
