"""framing.tone_arrays: the compiled tone rules give tone_rules.tone_multiplier's values and explanations."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from framing import kernels
from framing.kernels import _clause_break
from framing.lexicon import Entry
from framing.token_arrays import code_points
from framing.tone_arrays import RULE_KINDS, RuleWords, clause_classes, ruled_tone
from framing.tone_rules import _CLAUSE_BREAK, REASONS, ToneRules, tone_multiplier

RULE_ENTRIES = [("not", "negator", -0.74), ("never", "negator", -0.6), ("very", "intensifier", 1.3),
                ("slightly", "diminisher", 0.7), ("but", "contrast", 1.5), ("although", "contrast", 0.5),
                ("maybe", "hedge", 1.0)]  # the last: a rule-lexicon category with no rule
TONE_WORDS = [("good", 1.9), ("crisis", -3.1), ("fine", 0.8)]
FILLERS = ["the", "deal", "Not", "talks", ",", "-", "--", "–", ";", "(", "x", "\u00a0-\u00a0", "  "]


def entry(term: str, category: str, weight: float) -> Entry:
    return Entry(lexicon="modifiers", term=term, category=category, weight=weight, note="", words=(term,), path="", line=0)


def random_batch(generator: random.Random, sentences: int):
    """Sentences of tone words, rule words and fillers, as one text with each word's token number and offsets."""
    text, words = "", []  # words: (token, start, end, sentence, item) with item a rule or tone tuple, or None
    token = 0
    for sentence in range(sentences):
        for _ in range(generator.randint(1, 9)):
            kind = generator.random()
            item = (generator.choice(RULE_ENTRIES) if kind < 0.4 else generator.choice(TONE_WORDS) if kind < 0.7 else None)
            written = item[0] if item else generator.choice(FILLERS)
            if item and generator.random() < 0.2:
                written = written.capitalize()
            text += " " * generator.randint(0, 1)
            words.append((token, len(text), len(text) + len(written), sentence, item))
            text += written
            token += 1
        text += ".\n"
    return text, words


@pytest.mark.parametrize("rules", [
    ToneRules(),
    ToneRules(negation_window=4, negation_clause=True, negated_negative=0.0, quote_factor=0.5, concessive_clause=True),
    ToneRules(negation_window=1, negation_clause=True, negated_negative=0.5, quote_factor=1.0, concessive_clause=False),
])
def test_values_and_explanations_equal_tone_multiplier(rules: ToneRules) -> None:
    generator = random.Random(13)
    for _ in range(40):
        text, words = random_batch(generator, generator.randint(1, 6))
        rules_rows = [word for word in words if word[4] and len(word[4]) == 3]
        tone_rows = [word for word in words if word[4] and len(word[4]) == 2]
        quoted = np.array([generator.random() < 0.3 for _ in tone_rows], bool)
        rule_words = RuleWords(
            first=np.array([row[0] for row in rules_rows], np.int64), last=np.array([row[0] for row in rules_rows], np.int64),
            start=np.array([row[1] for row in rules_rows], np.int64), end=np.array([row[2] for row in rules_rows], np.int64),
            sentence=np.array([row[3] for row in rules_rows], np.int64),
            kind=np.array([RULE_KINDS.get(row[4][1], -1) for row in rules_rows], np.int64),
            weight=np.array([row[4][2] for row in rules_rows], float))
        values, explanations, explanation = ruled_tone(
            text, code_points(text), np.array([row[0] for row in tone_rows], np.int64),
            np.array([row[1] for row in tone_rows], np.int64), np.array([row[3] for row in tone_rows], np.int64),
            np.array([row[4][1] for row in tone_rows], float), quoted, rule_words, rules)
        for index, (token, start, _, sentence, (term, weight)) in enumerate(tone_rows):
            same_sentence = [(row[0], row[0], entry(*row[4]), text[row[1]:row[2]], row[2])
                             for row in rules_rows if row[3] == sentence]
            tone_entry = Entry(lexicon="tone", term=term, category="x", weight=weight, note="", words=(term,), path="", line=0)
            multiplier, reason = tone_multiplier(token, start, tone_entry, same_sentence, text, bool(quoted[index]), rules)
            assert values[index] == round(weight * multiplier, 6), (text, term)
            assert explanations[explanation[index]] == reason, (text, term)


def test_no_tone_word_gives_no_values() -> None:
    empty = np.zeros(0, np.int64)
    rule_words = RuleWords(empty, empty, empty, empty, empty, empty, np.zeros(0))
    values, explanations, explanation = ruled_tone("", code_points(""), empty, empty, empty, np.zeros(0),
                                                   np.zeros(0, bool), rule_words, ToneRules())
    assert (len(values), len(explanation)) == (0, 0)


def test_clause_breaks_equal_the_regular_expression() -> None:
    generator = random.Random(3)
    alphabet = ["-", "-", " ", "\u00a0", "\t", ",", "a", "–", "(", "x", "\u2003"]
    classes = clause_classes()
    for _ in range(3000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 8)))
        codes = code_points(text)
        for start, end in itertools.combinations(range(len(text) + 1), 2):
            expected = _CLAUSE_BREAK.search(text, start, end) is not None
            assert _clause_break(codes, classes, start, end) == expected, (text, start, end)


def test_the_kernels_numbers_are_tone_arrays_numbers() -> None:
    # Written twice (importing numba to read them would cost every command that does not score): kept equal here.
    assert RULE_KINDS == {"negator": kernels.NEGATOR, "intensifier": kernels.INTENSIFIER,
                          "diminisher": kernels.DIMINISHER, "contrast": kernels.CONTRAST}
    assert [kernels.NEGATED, kernels.INTENSIFIED, kernels.DIMINISHED, kernels.AFTER_CONTRAST, kernels.BEFORE_CONTRAST,
            kernels.AFTER_CONCESSIVE, kernels.QUOTATION] == [list(REASONS).index(name) for name in (
                "negated", "intensifier", "diminisher", "after", "before", "main clause after concessive", "quotation")]
