"""Numbers and facts: numeric claims, what they measure, and where accounts agree or not.

Outlets give different figures for the same thing ("over an hour", "two-hour", "over
90-minute" for one phone call). This module extracts every number with a unit or a counted
noun, normalizes it to a canonical quantity, decides what it measures, and compares the
claims about each measure across outlets.

**Numbers**: digits ("175", "1,000", "2.5"), number words ("two", "twenty-five", "two
hundred"), "a"/"an" before a unit ("an hour", "a month"), "half an hour", hyphenated forms
("two-hour", "2-Hour", "90-minute", "30-day", "month-long"), percentages ("20%", "20
percent") and money ("$5 billion"). Years (1900-2100 with no unit) are not claims.

**Units** become canonical quantities: durations in ``minutes`` (seconds, minutes, hours) or
``days`` (days, weeks, months = 30 days, years = 365 days); counts of a noun in ``count``;
``%``; money in ``USD``/``EUR``/``GBP``. A month spans 28-31 days and a year 365-366, so
"a month" is the range [28, 31] around the value 30.

**What is measured** comes from ``data/claim_measures.csv`` (keyword, measure, quantity):
the noun a hyphenated number modifies ("two-hour phone conversation" → call length), the
counted noun ("175 individuals" → prisoners exchanged), "of" after a percentage ("20% of
Ukrainian territory" → territory held), else the nearest keyword of the same quantity in the
sentence ("halt attacks … for the next 30 days" → ceasefire period). A count with no keyword
is measured as "number of <noun>"; other quantities as "duration", "percentage", "amount".

**Ranges and the agreement rule.** An approximator before the number turns the value v into
a range. The *literal* range is what the words allow; the *implied* range is what a reader
takes away, because writers round to the nearest figure they can vouch for (Grice's maxim of
quantity: a two-hour call is not reported as "over an hour"):

=====================================  =================  ==================
approximator                           literal range      implied range
=====================================  =================  ==================
none                                   [v, v]             [v, v]
about, approximately, around, some     [0.9v, 1.1v]       [0.9v, 1.1v]
nearly, almost, just under             [0.9v, v)          [0.9v, v)
over, more than, above, just over      (v, ∞)             (v, 1.5v]
at least                               [v, ∞)             [v, 1.5v]
under, less than, fewer than, below    [0, v)             [v/1.5, v)
up to, at most, as many as             [0, v]             [0, v]
=====================================  =================  ==================

Claims about the same measure (and unit) form a group; only measures the keyword table
names are grouped (two unrelated durations are no disagreement), the others stay in the
claims table. A group with one outlet is a
``single source``. Otherwise it ``disagree``s when the literal ranges share no value (basis
``values``: they cannot all be true) or when only the implied ranges share none (basis
``phrasing``: each can be literally true, but readers are told different figures); else the
outlets ``agree``.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd

from .corpus import Article, Corpus
from .lexicon import NUMBER_WORDS
from .sources import sentence_range
from .tokens import Tokens, tokenize

MEASURES_PATH = Path(__file__).parent / "data" / "claim_measures.csv"

CLAIM_COLUMNS = [
    "article_id", "outlet", "measure", "value", "unit", "low", "high", "approximator", "phrase",
    "start", "end", "sentence_start", "sentence_end", "implied_low", "implied_high",
]
GROUP_COLUMNS = ["measure", "unit", "status", "basis", "outlets", "claims", "outlet_names", "phrasings", "low", "high", "note"]
AGREE, DISAGREE, SINGLE = "agree", "disagree", "single source"
STATUS_ORDER = {DISAGREE: 0, AGREE: 1, SINGLE: 2}

ABOUT_SPREAD = 0.1
IMPLIED_FACTOR = 1.5

# unit word → (quantity, canonical unit, factor, spread low, spread high)
UNITS: dict[str, tuple[str, str, float, float, float]] = {
    "second": ("duration", "minutes", 1 / 60, 1, 1), "minute": ("duration", "minutes", 1, 1, 1),
    "hour": ("duration", "minutes", 60, 1, 1), "day": ("duration", "days", 1, 1, 1),
    "week": ("duration", "days", 7, 1, 1), "month": ("duration", "days", 30, 28 / 30, 31 / 30),
    "year": ("duration", "days", 365, 1, 366 / 365), "percent": ("percent", "%", 1, 1, 1),
    "dollar": ("money", "USD", 1, 1, 1), "euro": ("money", "EUR", 1, 1, 1), "pound": ("money", "GBP", 1, 1, 1),
}
_CURRENCY_SIGNS = {"$": "dollar", "€": "euro", "£": "pound"}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10 ** 12}
_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
# approximator words → kind; the kinds' ranges are in the module docstring and ``_ranges``.
APPROXIMATORS: dict[tuple[str, ...], str] = {
    ("about",): "about", ("approximately",): "about", ("around",): "about", ("roughly",): "about",
    ("some",): "about", ("an", "estimated"): "about", ("circa",): "about", ("nearly",): "nearly",
    ("almost",): "nearly", ("just", "under"): "nearly", ("over",): "over", ("more", "than"): "over",
    ("above",): "over", ("just", "over"): "over", ("well", "over"): "over", ("upwards", "of"): "over",
    ("at", "least"): "at least", ("under",): "under", ("less", "than"): "under", ("fewer", "than"): "under",
    ("below",): "under", ("up", "to"): "up to", ("at", "most"): "up to", ("as", "many", "as"): "up to",
}
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_GLUE_STOP = frozenset("a an the at of in on to for by with and or but is are was were be been that this who which per".split())
_MONTHS = frozenset("january february march april may june july august september october november december".split())


@dataclass(frozen=True)
class Claim:
    """One numeric claim; fields follow ``CLAIM_COLUMNS`` (``phrase`` is ``text[start:end]``)."""

    article_id: str
    outlet: str
    measure: str
    value: float
    unit: str
    low: float
    high: float
    approximator: str
    phrase: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    implied_low: float
    implied_high: float


@lru_cache(maxsize=1)
def load_measures(path: Path = MEASURES_PATH) -> dict[tuple[str, str], str]:
    """(keyword, quantity) → measure, from the shipped keyword table."""
    with open(path, encoding="utf-8", newline="") as stream:
        return {(row["keyword"].strip().lower(), row["quantity"].strip()): row["measure"].strip()
                for row in csv.DictReader(stream) if row["keyword"].strip()}


def measure_names() -> frozenset[str]:
    """Measures named in the keyword table (the ones a reader cares about)."""
    return frozenset(load_measures().values())


@lru_cache(maxsize=1 << 16)
def singular(word: str) -> str:
    """Simple plural stripping: "talks" → "talk", "matches" → "match", "territories" → "territory"."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _unit(word: str) -> str | None:
    word = singular(word) if word not in UNITS else word
    return word if word in UNITS else None


def _number_word(word: str) -> float | None:
    if word in _SMALL:
        return float(_SMALL[word])
    parts = word.split("-")
    if len(parts) == 2 and parts[0] in _SMALL and parts[1] in _SMALL and _SMALL[parts[0]] >= 20:
        return float(_SMALL[parts[0]] + _SMALL[parts[1]])
    return None


def _parse_value(word: str) -> float | None:
    if _DIGITS.fullmatch(word):
        return float(word.replace(",", ""))
    return _number_word(word)


@dataclass(frozen=True)
class _Number:
    first: int  # first token of the number (or of "a"/"an")
    last: int  # last token of the number and its unit (or counted noun)
    value: float
    unit: str | None
    compound: bool  # "two-hour": the unit is glued on, so the next noun is what it measures


def _read_number(tokens: Tokens, i: int) -> _Number | None:
    """The number starting at token ``i`` with any unit glued to or following it, or None."""
    words, count = tokens.words, len(tokens.words)
    word = words[i]
    nxt = words[i + 1] if i + 1 < count and tokens.sentence_of[i + 1] == tokens.sentence_of[i] else ""
    parts = word.split("-")
    if len(parts) >= 2:  # "two-hour", "90-minute", "30-day", "month-long", "twenty-five"
        if parts[0] in UNITS and parts[1:] == ["long"] and i > 0 and words[i - 1] in ("a", "an"):
            return _Number(i - 1, i, 1.0, parts[0], True)
        head = _parse_value(parts[0])
        unit = _unit(parts[-1]) if len(parts) == 2 else (_unit(parts[-2]) if parts[-1] == "long" else None)
        if head is not None and unit is not None:
            return _Number(i, i, head, unit, True)
        value = _number_word(word)
        if value is None:
            return None
    elif word in ("a", "an", "half"):
        if word == "half" and nxt in ("a", "an") and i + 2 < count and _unit(words[i + 2]):
            return _Number(i, i + 2, 0.5, _unit(words[i + 2]), False)
        if word != "half" and _unit(nxt) and not nxt.endswith("s"):
            return _Number(i, i + 1, 1.0, _unit(nxt), False)
        if word != "half" and nxt in _SCALES:
            return _Number(i, i + 1, float(_SCALES[nxt]), None, False)
        return None
    else:
        value = _parse_value(word)
        if value is None:
            return None
    last = i
    while last + 1 < count and words[last + 1] in _SCALES and tokens.sentence_of[last + 1] == tokens.sentence_of[i]:
        value *= _SCALES[words[last + 1]]
        last += 1
    if last + 1 < count and tokens.sentence_of[last + 1] == tokens.sentence_of[i]:
        unit = _unit(words[last + 1])
        if unit is None and words[last + 1] == "per" and last + 2 < count and words[last + 2] == "cent":
            return _Number(i, last + 2, value, "percent", False)
        if unit is not None:
            return _Number(i, last + 1, value, unit, False)
    return _Number(i, last, value, None, False)


def _approximator(tokens: Tokens, first: int) -> tuple[int, str, str]:
    """(first token, surface words, kind) of an approximator right before token ``first``; kind "" if none."""
    for size in (3, 2, 1):
        start = first - size
        if start < 0 or tokens.sentence_of[start] != tokens.sentence_of[first]:
            continue
        words = tuple(tokens.words[start:first])
        if words in APPROXIMATORS:
            if words == ("some",) and not _DIGITS.match(tokens.words[first]):
                continue
            return start, " ".join(words), APPROXIMATORS[words]
    return first, "", ""


def _ranges(value: float, kind: str, spread: tuple[float, float]) -> tuple[float, float, float, float]:
    """(low, high, implied_low, implied_high) for a value, its approximator kind and unit spread."""
    low, high = value * spread[0], value * spread[1]
    if kind == "about":
        low, high = low * (1 - ABOUT_SPREAD), high * (1 + ABOUT_SPREAD)
        return low, high, low, high
    if kind == "nearly":
        return low * (1 - ABOUT_SPREAD), high, low * (1 - ABOUT_SPREAD), high
    if kind in ("over", "at least"):
        return low, math.inf, low, high * IMPLIED_FACTOR
    if kind == "under":
        return 0.0, high, low / IMPLIED_FACTOR, high
    if kind == "up to":
        return 0.0, high, 0.0, high
    return low, high, low, high


def open_bounds(approximator: str) -> tuple[bool, bool]:
    """Whether (low, high) are exclusive for an approximator's words ("over" excludes its value)."""
    kind = APPROXIMATORS.get(tuple(approximator.split()), "")
    return kind == "over", kind in ("under", "nearly")


def _measure(tokens: Tokens, number: _Number, quantity: str, is_year: bool) -> tuple[str, int] | None:
    """(measure, last token of the phrase) for a number, or None when it is no claim."""
    measures, words = load_measures(), tokens.words
    sentence = tokens.sentence_of[number.first]
    low = number.first
    while low > 0 and tokens.sentence_of[low - 1] == sentence:
        low -= 1
    high = number.last
    while high + 1 < len(words) and tokens.sentence_of[high + 1] == sentence:
        high += 1

    def keyword(j: int) -> str | None:
        return measures.get((words[j], quantity)) or measures.get((singular(words[j]), quantity))

    if quantity == "count":
        if number.value == 1 and not _DIGITS.match(words[number.first]):
            return None  # "one looks at …", "a dozen" aside: a single thing is no figure
        for j in range(number.last + 1, min(high, number.last + 4) + 1):
            gap = tokens.text[tokens.ends[j - 1]:tokens.starts[j]]
            if gap.strip() or (j > number.last + 1 and words[j - 1] in _GLUE_STOP):
                break  # "23 injured Ukrainian soldiers" yes; "one end, individual" or "one looks at individual" no
            if (found := keyword(j)) is not None:
                return found, j
        if is_year or number.last + 1 > high:
            return None
        noun = words[number.last + 1]
        if not noun.isalpha() or noun in _MONTHS or len(noun) < 3 or noun in NUMBER_WORDS:
            return None
        return f"number of {noun}", number.last + 1
    if number.compound:
        for j in range(number.last + 1, min(high, number.last + 3) + 1):
            if (found := keyword(j)) is not None:
                return found, number.last
    if quantity == "percent" and number.last + 1 <= high and words[number.last + 1] == "of":
        for j in range(number.last + 2, min(high, number.last + 5) + 1):
            if (found := keyword(j)) is not None:
                return found, number.last
    candidates = [(abs(j - number.first) if j < number.first else j - number.last, j > number.last, j)
                  for j in range(low, high + 1) if not number.first <= j <= number.last and keyword(j)]
    if candidates:
        _, _, j = min(candidates)
        return keyword(j) or "", number.last
    generic = {"duration": "duration", "percent": "percentage", "money": "amount"}
    return generic[quantity], number.last


def article_claims(article: Article, tokens: Tokens | None = None) -> list[Claim]:
    """The numeric claims of one article, in text order."""
    tokens = tokens if tokens is not None else tokenize(article.text, article.regions)
    text, claims, i = article.text, [], 0
    while i < len(tokens.words):
        number = _read_number(tokens, i)
        if number is None:
            i += 1
            continue
        start, end = tokens.starts[number.first], tokens.ends[number.last]
        unit_word = number.unit
        after = text[tokens.ends[number.last]:tokens.ends[number.last] + 2].lstrip()
        before = text[max(0, start - 1):start]
        if unit_word is None and after.startswith("%"):
            unit_word, end = "percent", text.index("%", tokens.ends[number.last]) + 1
        elif unit_word is None and before in _CURRENCY_SIGNS:
            unit_word, start = _CURRENCY_SIGNS[before], start - 1
        word = tokens.words[number.first]
        is_year = (unit_word is None and _DIGITS.fullmatch(word) is not None and "," not in word
                   and len(word) == 4 and 1900 <= number.value <= 2100)
        month_before = number.first > 0 and tokens.words[number.first - 1] in _MONTHS
        if is_year or month_before:
            i = number.last + 1
            continue
        quantity, unit, factor, spread_low, spread_high = UNITS.get(unit_word or "", ("count", "count", 1, 1, 1))
        found = _measure(tokens, number, quantity, is_year)
        if found is None:
            i = number.last + 1
            continue
        measure, last = found
        if quantity == "count":
            end = tokens.ends[last]
        first, approximator, kind = _approximator(tokens, number.first)
        start = min(start, tokens.starts[first])
        value = number.value * factor
        low, high, implied_low, implied_high = _ranges(value, kind, (spread_low, spread_high))
        sentence_start, sentence_end = sentence_range(tokens, start, end)
        claims.append(Claim(article.id, article.outlet, measure, round(value, 6), unit, round(low, 6), round(high, 6),
                            approximator, text[start:end], start, end, sentence_start, sentence_end,
                            round(implied_low, 6), round(implied_high, 6)))
        i = max(number.last, last if quantity == "count" else number.last) + 1
    return claims


def claims_table(corpus: Corpus | Iterable[Article], tokens: dict[str, Tokens] | None = None) -> pd.DataFrame:
    """The ``claims`` table (``CLAIM_COLUMNS``) of every article, sorted by article and position."""
    articles = corpus.articles if isinstance(corpus, Corpus) else corpus
    rows = [astuple(claim) for article in articles for claim in article_claims(article, (tokens or {}).get(article.id))]
    table = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    return table.sort_values(["article_id", "start", "end"], kind="mergesort").reset_index(drop=True)


def _intersection(rows: pd.DataFrame, low: str, high: str) -> tuple[float, float] | None:
    """The common part of the rows' ranges (columns ``low``/``high``), or None when empty."""
    bounds = list(zip(rows[low], rows[high], (open_bounds(a) for a in rows["approximator"])))
    top_low = max(bound[0] for bound in bounds)
    low_open = any(bound[2][0] for bound in bounds if bound[0] == top_low)
    bottom_high = min(bound[1] for bound in bounds)
    high_open = any(bound[2][1] for bound in bounds if bound[1] == bottom_high)
    if top_low < bottom_high or (top_low == bottom_high and not low_open and not high_open):
        return top_low, bottom_high
    return None


def _format_range(low: float, high: float, unit: str) -> str:
    def number(value: float) -> str:
        return f"{value:,.0f}" if abs(value - round(value)) < 1e-6 else f"{value:,.1f}"
    if math.isinf(high):
        return f"more than {number(low)} {unit}"
    if abs(high - low) < 1e-9:
        return f"{number(low)} {unit}"
    return f"{number(low)}–{number(high)} {unit}"


def _note(rows: pd.DataFrame, basis: str) -> str:
    """Which two claims conflict, and how each reads."""
    low, high = ("low", "high") if basis == "values" else ("implied_low", "implied_high")
    smallest = rows.sort_values([high, "start"], kind="mergesort").iloc[0]
    largest = rows.sort_values([low, "start"], ascending=[False, True], kind="mergesort").iloc[0]
    reads = "allows" if basis == "values" else "reads as"
    text = (f"“{smallest['phrase']}” ({smallest['outlet']}) {reads} {_format_range(smallest[low], smallest[high], smallest['unit'])}; "
            f"“{largest['phrase']}” ({largest['outlet']}) {reads} {_format_range(largest[low], largest[high], largest['unit'])}.")
    if basis == "phrasing":
        text += " Taken literally the figures can all be true, but they tell readers different things."
    return text


def group_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per keyword-table measure and unit with its status (agree / disagree / single source).

    See the module docstring for the rule. Sorted with disagreements first, then agreements,
    then single-source facts; within a status, measures covered by more outlets come first.
    """
    rows = []
    claims = claims[claims["measure"].isin(measure_names())]
    for (measure, unit), group in claims.groupby(["measure", "unit"], sort=True):
        outlets = list(dict.fromkeys(group.sort_values(["article_id", "start"])["outlet"]))
        phrasings = list(dict.fromkeys(group.sort_values(["article_id", "start"])["phrase"]))
        literal = _intersection(group, "low", "high")
        implied = _intersection(group, "implied_low", "implied_high")
        if len(set(outlets)) == 1:
            status, basis, note = SINGLE, "", ""
        elif literal is None:
            status, basis = DISAGREE, "values"
            note = _note(group, basis)
        elif implied is None:
            status, basis = DISAGREE, "phrasing"
            note = _note(group, basis)
        else:
            status, basis, note = AGREE, "", f"All read as {_format_range(*implied, unit)}."
        low, high = literal if literal is not None else (math.nan, math.nan)
        rows.append((measure, unit, status, basis, len(outlets), len(group), "; ".join(outlets), "; ".join(phrasings),
                     low, high, note))
    table = pd.DataFrame(rows, columns=GROUP_COLUMNS)
    if table.empty:
        return table
    order = table["status"].map(STATUS_ORDER)
    return (table.assign(_order=order).sort_values(["_order", "outlets", "claims", "measure"], ascending=[True, False, False, True],
                                                   kind="mergesort").drop(columns="_order").reset_index(drop=True))
