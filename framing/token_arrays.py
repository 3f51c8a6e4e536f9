"""Word tokens of many texts at once, as numpy arrays: the scoring path's tokenizer.

``framing.tokens.tokenize`` is the readable definition (one regular expression, ``_WORD``) and
gives word strings; scoring 30 MB of news with it spends most of its time making 5 million
small Python strings. This module finds the same tokens from character classes with numpy
and names each word by two 64-bit hashes of its normalized characters, so no string is made
per token: only one per distinct word, when a batch first meets it. ``tests/test_token_arrays.py``
checks the spans against ``tokenize`` on tricky texts and random strings.

The hashes are polynomial sums modulo 2**64 with two odd bases, computed per token by a
compiled loop (``kernels.word_hashes``). Words longer than
``HASHED_LETTERS`` characters, or holding a character whose lowercase form is not one
character (İ) or depends on its neighbours (Σ), are named by their string instead, so two
words share an identity only if they are equal or collide in both hashes (odds about 2**-128
per pair of words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
import pyarrow as pa

from .tokens import normalize

# Character classes, one bit each: re's \w, \d and letters ([^\W\d_]); the joiners of _WORD.
WORD, DIGIT, LETTER, HYPHEN, APOSTROPHE, DECIMAL_MARK, PERIOD, ESS = 1, 2, 4, 8, 16, 32, 64, 128
OPENING_LETTERS = 3  # a word's opening, hashed apart: a lexicon stem or number word begins with one
HASHED_LETTERS = 64  # longer words are named by their string (polynomial hashes mod 2**64 collide on long words)
_BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)  # odd: no power of either is 0 modulo 2**64
_UNICODE = 0x110000


@lru_cache(maxsize=1)
def every_character() -> str:
    """All code points in order, as one string (surrogates included), to classify them with ``re``."""
    return np.arange(_UNICODE, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


@lru_cache(maxsize=1)
def char_classes() -> np.ndarray:
    """Class bits per code point, built once from ``re`` itself so \\w and \\d agree with ``tokens._WORD``."""
    everything = every_character()
    table = np.zeros(_UNICODE, np.uint8)
    for pattern, bit in ((r"\w+", WORD), (r"\d+", DIGIT), (r"[^\W\d_]+", LETTER)):
        for run in re.finditer(pattern, everything):
            table[run.start():run.end()] |= bit
    table[0x2BC] = APOSTROPHE  # ʼ is a letter to re, but tokenize reads it as an apostrophe
    for chars, bit in (("-\u2010\u2011\u2013", HYPHEN), ("'\u2019", APOSTROPHE), (".,", DECIMAL_MARK),
                       (".", PERIOD), ("sS", ESS)):
        for char in chars:
            table[ord(char)] |= bit
    return table


# Word characters whose lowercase is not one fixed character: İ lowers to two, Σ to σ or ς
# depending on what follows (tests/test_token_arrays.py checks no other word character does).
BY_STRING_CHARACTERS = "\u0130\u03a3"


@lru_cache(maxsize=1)
def _lower_codes() -> np.ndarray:
    """Per code point, its code after ``normalize`` (BY_STRING_CHARACTERS keep theirs)."""
    lowered = np.arange(_UNICODE, dtype=np.uint32)
    for code in np.flatnonzero(char_classes() & WORD).tolist():
        low = chr(code).lower()
        if len(low) == 1 and chr(code) not in BY_STRING_CHARACTERS:
            lowered[code] = ord(low)
    for char in "\u2019\u2018\u02bc\u2010\u2011\u2013\u2014":
        lowered[ord(char)] = ord(normalize(char))
    return lowered


def load_tables() -> None:
    """Build the per-code-point tables now (a quarter of a second) rather than on first use."""
    char_classes()
    _lower_codes()


def code_points(text: str) -> np.ndarray:
    """The text's code points (uint32; a lone surrogate kept as its code), the array every scan reads."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def token_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of ``tokenize``'s word tokens in ``text``, found from character classes.

    A run of word characters is a token, joined across a hyphen, an apostrophe not starting
    a final 's, a decimal mark between digits and an initialism's periods; an initialism keeps
    its last period; 's after a word character or period is a token of its own.
    """
    return _spans(code_points(text))


def _spans(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from .kernels import token_spans as spans_of  # numba: imported on first use

    return spans_of(codes, char_classes(), WORD, DIGIT, LETTER, HYPHEN, APOSTROPHE, DECIMAL_MARK, PERIOD, ESS)


@dataclass(frozen=True)
class WordKeys:
    """How each token of a text is named: two hashes, or (for ``by_string`` tokens) its normalized string."""

    first_hash: np.ndarray  # uint64 per token
    second_hash: np.ndarray
    by_string: np.ndarray  # bool per token: named by normalize(text[start:end]) instead of the hashes
    opening_hash: np.ndarray  # first hash of the word's first OPENING_LETTERS characters (all of a shorter word)
    starts_with_digit: np.ndarray  # bool per token
    codes: np.ndarray  # the text's code points, the hashes' source (to hash other spans of it alike)


def word_keys(text: str, starts: np.ndarray, ends: np.ndarray) -> WordKeys:
    """The hashes of each token's normalized characters (see the module docstring)."""
    return _keys(text, code_points(text), starts, ends)


def _keys(text: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> WordKeys:
    first, second, opening = _hashed_spans(codes, starts, ends)
    by_string = (ends - starts) > HASHED_LETTERS
    if any(char in text for char in BY_STRING_CHARACTERS):
        found = np.flatnonzero(np.isin(codes, [ord(char) for char in BY_STRING_CHARACTERS]))
        token = np.searchsorted(starts, found, side="right") - 1
        inside = (token >= 0) & (found < ends[np.maximum(token, 0)])
        by_string[token[inside]] = True
    digit = (char_classes()[codes[starts]] & DIGIT) != 0 if len(starts) else np.zeros(0, bool)
    return WordKeys(first, second, by_string, opening, digit, codes)


def word_hashes(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(first hash, opening hash) of normalized words, as ``word_keys`` names tokens with them."""
    text = "\n".join(words)
    lengths = np.array([len(word) for word in words], np.int64)
    starts = np.cumsum(np.concatenate(([0], lengths[:-1] + 1))) if len(words) else lengths
    keys = _keys(text, code_points(text), starts, starts + lengths)
    return keys.first_hash, keys.opening_hash


def _hashed_spans(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, ...]:
    """(first hash, second hash, opening hash) of each span ``codes[start:end]``, lowered (a compiled loop)."""
    from .kernels import word_hashes as hash_words  # numba: imported on first use

    return hash_words(codes, _lower_codes(), starts.astype(np.int64), ends.astype(np.int64),
                      np.uint64(_BASES[0]), np.uint64(_BASES[1]), OPENING_LETTERS)


def word_hashes_of_spans(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The first hash of each span ``codes[start:end]``, as ``word_keys`` names a token of those characters."""
    return _hashed_spans(codes, starts, ends)[0]


def token_arrays(text: str, codes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, WordKeys]:
    """``token_spans`` and ``word_keys`` of a text in one pass over its characters (``codes``: its code points)."""
    codes = code_points(text) if codes is None else codes
    starts, ends = _spans(codes)
    return starts, ends, _keys(text, codes, starts, ends)


def text_slices(text: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """``text[start:end]`` for each row, as an Arrow string array built from ``codes`` (the text's code
    points) without a Python string each."""
    from .kernels import utf8_slices  # numba: imported on first use

    offsets, data, ok = utf8_slices(codes, starts, ends)
    if not ok:  # a lone surrogate: Python raises the error it always has
        return pa.array(list(map(text.__getitem__, map(slice, starts.tolist(), ends.tolist()))), pa.large_string())
    return pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets), pa.py_buffer(data))
