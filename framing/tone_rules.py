"""Tone rules: how negators, intensifiers, contrast words and quotation marks change a tone word's value.

The modifier words and their weights are rows of ``lexicons/modifiers.csv``; the few numbers
that are not per word are ``ToneRules``, fitted by ``bench/validate.py`` on the training folds
of the human-rated validation set (docs/validation.md) and shipped in ``framing/data/tone_rules.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Sequence

from .lexicon import Entry

TONE_RULES_PATH = Path(__file__).parent / "data" / "tone_rules.json"


@dataclass(frozen=True)
class ToneRules:
    """How negators, intensifiers, contrast words and quotation marks change a tone word's value.

    The modifier words and their weights are rows of ``modifiers.csv``; these are the few
    numbers that are not per word. Defaults are VADER's behaviour; the shipped values live in
    ``framing/data/tone_rules.json`` (fitted on the training folds, see docs/validation.md).
    """

    negation_window: int = 3  # a negator ending at most this many tokens before the tone word negates it
    negation_clause: bool = False  # True: a comma, colon, semicolon, dash or bracket in between ends the negation
    negated_negative: float = 1.0  # scales the negator's weight for a negative tone word ('not bad' is milder)
    quote_factor: float = 1.0  # multiplier for tone words inside direct quotation marks (someone else's words)
    # True: a concessive clause ('Despite X,') ends at a clause break; the main clause after it gets 2 - weight
    concessive_clause: bool = False

    @classmethod
    def load(cls, path: Path = TONE_RULES_PATH) -> "ToneRules":
        """The shipped parameters (``tone_rules.json``), or the defaults where the file is absent."""
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {item.name for item in fields(cls)}
        return cls(**{key: value for key, value in data.get("parameters", {}).items() if key in names})

    def as_dict(self) -> dict:
        return asdict(self)


TONE_RULES = ToneRules.load()
# A clause break between a rule word and its tone word: a mark of CLAUSE_MARKS, a spaced hyphen, or two hyphens.
CLAUSE_MARKS = r"[,;:()\[\]\u2013\u2014]"
_CLAUSE_BREAK = re.compile(CLAUSE_MARKS + r"|\s-\s|--")
# How each factor is explained in an evidence row's ``rule`` ({surface}: the rule word as written).
REASONS = {
    "negated": "negated by '{surface}' ×{factor:g}",
    "intensifier": "intensifier '{surface}' ×{factor:g}",
    "diminisher": "diminisher '{surface}' ×{factor:g}",
    "after": "after contrast '{surface}' ×{factor:g}",
    "before": "before contrast '{surface}' ×{factor:g}",
    "main clause after concessive": "main clause after concessive contrast '{surface}' ×{factor:g}",
    "quotation": "inside a quotation ×{factor:g}",
}


def tone_multiplier(first: int, first_start: int, entry: Entry, rules: Sequence[tuple[int, int, Entry, str, int]],
                    text: str, in_quote: bool, params: ToneRules) -> tuple[float, str]:
    """Multiplier and explanation from negators, intensifiers, contrast words and quotation marks.

    ``first`` is the tone word's first token and ``first_start`` its offset in ``text``; ``rules``
    are the modifier matches of its sentence: (first token, last token, entry, surface text, end
    offset). Every factor applied is named in the explanation (the evidence row's ``rule``), so
    a reader sees why a word's ``value`` differs from its ``weight``.
    """
    multiplier, reasons = 1.0, []
    negative = entry.weight < 0
    for rule_first, rule_last, rule, surface, rule_end in rules:
        category, weight = rule.category, rule.weight
        if category == "negator" and first - params.negation_window <= rule_last < first:
            if params.negation_clause and _CLAUSE_BREAK.search(text, rule_end, first_start):
                continue
            factor = (weight * params.negated_negative if negative else weight) + 0.0  # no '-0'
            multiplier *= factor
            reasons.append(REASONS["negated"].format(surface=surface, factor=factor))
        elif category in ("intensifier", "diminisher") and rule_last == first - 1:
            multiplier *= weight
            reasons.append(REASONS[category].format(surface=surface, factor=weight))
        elif category == "contrast":
            after = rule_last < first
            factor = weight if after else 2.0 - weight
            side = "after" if after else "before"
            if after and weight < 1.0 and params.concessive_clause and _CLAUSE_BREAK.search(text, rule_end, first_start):
                factor, side = 2.0 - weight, "main clause after concessive"
            if rule_first > first or after:
                multiplier *= factor
                reasons.append(REASONS[side].format(surface=surface, factor=factor))
    if in_quote and params.quote_factor != 1.0:
        multiplier *= params.quote_factor
        reasons.append(REASONS["quotation"].format(factor=params.quote_factor))
    return multiplier, "; ".join(reasons)
