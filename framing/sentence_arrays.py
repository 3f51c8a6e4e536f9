"""Sentence ends of many texts at once, as numpy arrays: the scoring path's sentence splitter.

``framing.tokens.split_sentences`` is the readable definition: each line is cut at the
candidate ends (a period, question or exclamation mark before a closing mark or a space)
whose verdict ``tokens._common_end_breaks`` knows, and a stretch with a candidate it does
not know goes to nltk's Punkt. This module computes the same verdicts for all candidates of
a batch at once, from character classes, and only the word-dependent questions (is it a
listed abbreviation, a number, an initial; is the next word quiet) look at strings, for the
candidates that ask them. Unknown stretches still go to Punkt, through ``tokens``.
``tests/test_sentence_arrays.py`` checks the spans against ``split_sentences``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .token_arrays import WORD, char_classes, code_points, every_character, word_hashes, word_hashes_of_spans
from .tokens import _CLOSING, _GLUED, _NO_REALIGN, _PUNKT_NUMBER, _QUIET_NEXT, _abbreviations, _punkt

# Character classes, one bit each (the names say which characters; see _classes).
SPACE, ASCII_SPACE, WHITESPACE, NEWLINE, END, PERIOD, CLOSER, OPENER, ALNUM, JOINER, PAREN, CANDIDATE_NEXT, CLOSING = (
    1 << bit for bit in range(13))
_UNICODE = 0x110000
_CLASS_CHARS = {
    SPACE: " ", ASCII_SPACE: " \t\r\f\v", NEWLINE: "\n", END: ".?!", PERIOD: ".", CLOSER: "\u201d\"\u2019'\xbb)",
    OPENER: "(\"\u201c\u2018\xab'", JOINER: "-.,/", PAREN: ")", CANDIDATE_NEXT: ")\";}]*:@'({[\u2018\u2019\u201c\u201d\xab\xbb?!",
    CLOSING: _CLOSING.replace("\\", ""),
}


_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]")


@lru_cache(maxsize=1)
def _classes() -> np.ndarray:
    """Class bits per code point; \\s and [^\\W_] come from ``re`` so they agree with ``tokens``' patterns."""
    table = np.zeros(_UNICODE, np.uint16)
    table[(char_classes() & WORD) != 0] |= ALNUM  # [^\W_] is \w without the underscore
    table[ord("_")] &= ~np.uint16(ALNUM)
    table[0x2BC] |= ALNUM  # ʼ: a letter to re (token_arrays reads it as an apostrophe)
    for run in re.finditer(r"\s+", every_character()):
        table[run.start():run.end()] |= WHITESPACE
    for bit, chars in _CLASS_CHARS.items():
        for char in chars:
            table[ord(char)] |= bit
    return table


def load_tables() -> None:
    """Build the class table and load Punkt (importing nltk takes seconds) now rather than on first use."""
    _classes()
    _punkt()


class _Flag:
    """A character test read only where asked: its class has one of ``bits`` (``without``: none of them).
    Cheaper than a flag array over the whole batch when only a few positions are read."""

    def __init__(self, classes: np.ndarray, bits: int, without: bool = False) -> None:
        self.classes, self.bits, self.without = classes, bits, without

    def __len__(self) -> int:
        return len(self.classes)

    def __getitem__(self, positions: np.ndarray) -> np.ndarray:
        return ((self.classes[positions] & self.bits) != 0) != self.without


def _run_end(flags: _Flag, starts: np.ndarray) -> np.ndarray:
    """For each start, the first position at or after it where ``flags`` is not set (runs here are short)."""
    ends = starts.copy()
    running = np.flatnonzero(ends < len(flags))
    running = running[flags[ends[running]]]
    while len(running):
        ends[running] += 1
        running = running[ends[running] < len(flags)]
        running = running[flags[ends[running]]]
    return ends


def _run_start(flags: _Flag, ends: np.ndarray, limits: np.ndarray) -> np.ndarray:
    """For each end, how far back (not before its limit) the characters just before it all have ``flags``."""
    starts = ends.copy()
    running = np.flatnonzero(starts > limits)
    running = running[flags[starts[running] - 1]]
    while len(running):
        starts[running] -= 1
        running = running[starts[running] > limits[running]]
        running = running[flags[starts[running] - 1]]
    return starts


def _chunk_shaped(classes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether each [start, end) is letters and digits joined by single - . , / (tokens._COMMON_END's chunk)."""
    shaped = (ends > starts) & ((classes[starts] & ALNUM) != 0) & ((classes[np.maximum(ends - 1, 0)] & ALNUM) != 0)
    running = np.flatnonzero(shaped & (ends - starts > 1))
    offset = 1
    while len(running):
        here = classes[starts[running] + offset]
        joiner = (here & JOINER) != 0
        ok = ((here & ALNUM) != 0) | (joiner & ((classes[starts[running] + offset - 1] & JOINER) == 0))
        shaped[running[~ok]] = False
        running = running[ok]
        offset += 1
        running = running[starts[running] + offset < ends[running]]
    return shaped


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``tokens.split_sentences(text)``: (start, end) of each sentence, every newline ending one."""
    return list(map(tuple, sentence_array(text).tolist()))


def sentence_array(text: str, codes: np.ndarray | None = None) -> np.ndarray:
    """``sentence_spans`` as an (n, 2) array; ``codes``: the text's code points, when the caller has them."""
    if not text:
        return np.zeros((0, 2), np.int64)
    if codes is None:
        codes = code_points(text)
    from .kernels import classes_and_marks  # numba: imported on first use

    # A newline after the end closes the last line; newlines and end marks found in the same pass.
    classes, newline, end_at = classes_and_marks(codes, _classes(), np.uint16(NEWLINE), NEWLINE, END)
    size = len(text)

    # Lines, trimmed: from the first to the last non-space character between newlines.
    line_begin = np.concatenate(([0], newline[:-1] + 1))
    spacing = _Flag(classes, WHITESPACE)  # (the added newline is not whitespace: it stops the runs)
    line_start = _run_end(spacing, line_begin)
    line_end = _run_start(spacing, newline, line_begin)
    has_text = line_start < newline
    line_start, line_end = line_start[has_text], line_end[has_text]

    # Candidates (tokens._PUNKT_CANDIDATE): an end mark before a closing mark, or before spaces and more text.
    line = np.searchsorted(line_start, end_at, side="right") - 1
    inside = (line >= 0) & (end_at + 1 < line_end[line])  # with more of its line after it
    end_at, line = end_at[inside], line[inside]
    candidate = (classes[end_at + 1] & (CANDIDATE_NEXT | WHITESPACE)) != 0
    end_at, line = end_at[candidate], line[candidate]

    state, stop, next_start = _verdicts(text, codes, classes[:size + 1], end_at, line, line_start, line_end)
    return _stretches(text, end_at, line, line_start, line_end, state, stop, next_start)


_GLUED_CODES = np.array([ord(char) for char in _GLUED], np.uint32)


@lru_cache(maxsize=1)
def _abbreviation_hashes() -> np.ndarray:
    return np.unique(word_hashes(sorted(_abbreviations()))[0])


def _may_ask(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, plain: np.ndarray) -> np.ndarray:
    """Of the plain candidates, those whose word before the period (``codes[start:end]``) may be a listed
    abbreviation, an initial or a number; the others break, whatever follows. Told apart without strings
    when the word is ASCII with no hyphen: two letters or more, no digit first, and a hash no
    abbreviation has (ASCII lowers the same in ``str.lower`` and ``token_arrays``' table)."""
    from .kernels import plain_ascii_words  # numba: imported on first use

    starts, ends = starts[plain].astype(np.int64), ends[plain].astype(np.int64)
    return ~plain_ascii_words(codes, starts, ends) | np.isin(word_hashes_of_spans(codes, starts, ends),
                                                             _abbreviation_hashes())


def _verdicts(text: str, codes: np.ndarray, classes: np.ndarray, end_at: np.ndarray, line: np.ndarray, line_start: np.ndarray,
              line_end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate: its verdict (1 breaks, 0 does not, -1 unknown: ask Punkt), where its sentence
    stops and where the next one starts (``tokens._common_end_breaks`` on ``tokens._COMMON_END``'s groups)."""
    count = len(end_at)
    size = len(classes)
    known = np.ones(count, bool)
    # The word before: from the last space (or the line start) to the end mark; an opening mark, then
    # letters and digits joined by - . , / (a chunk) and a closing bracket, or letters and two periods.
    word_start = _run_start(_Flag(classes, SPACE, without=True), end_at, line_start[line])
    opener = (word_start < end_at) & ((classes[word_start] & OPENER) != 0)
    rest_start = word_start + opener
    rest_length = end_at - rest_start
    post = (rest_length > 0) & ((classes[end_at - 1] & PAREN) != 0)
    chunk_end = end_at - post
    chunk = _chunk_shaped(classes, rest_start, chunk_end)
    dots = ((rest_length >= 2) & ((classes[end_at - 1] & PERIOD) != 0) & ((classes[end_at - 2] & PERIOD) != 0))
    dots &= _run_start(_Flag(classes, ALNUM), end_at - 2, rest_start) == rest_start
    empty = rest_length == 0
    # After the end mark: closing marks and spaces (a gap), or spaces and the next word.
    closer = (classes[end_at + 1] & CLOSER) != 0
    closer_end = _run_end(_Flag(classes, CLOSER), end_at + 1)
    gap_start = np.where(closer, closer_end, end_at + 1)
    next_start = np.minimum(_run_end(_Flag(classes, ASCII_SPACE), gap_start), line_end[line])
    spaced = ~closer & (next_start > gap_start) & (next_start < line_end[line])
    spaced &= (classes[np.minimum(next_start, size - 1)] & WHITESPACE) == 0
    known &= (empty | dots | chunk) & (closer | spaced)

    period = (classes[end_at] & PERIOD) != 0
    breaks = np.ones(count, bool)
    dots &= known
    breaks[dots] = False
    known[dots & ~period] = False
    plain = known & chunk & ~dots & ~post & period  # a word then a period: the cases that ask about the word
    plain[plain] = _may_ask(codes, np.where(opener & np.isin(codes[word_start], _GLUED_CODES), word_start, rest_start),
                            chunk_end, plain)
    abbreviations = _abbreviations()
    for index, start, rest, end, glued, after, nothing_after in zip(
            np.flatnonzero(plain).tolist(), word_start[plain].tolist(), rest_start[plain].tolist(),
            chunk_end[plain].tolist(), opener[plain].tolist(), next_start[plain].tolist(), closer[plain].tolist()):
        raw = text[start if glued and text[start] in _GLUED else rest:end]
        word = raw.lower()
        if word in abbreviations or ("-" in word and word.rsplit("-", 1)[-1] in abbreviations):
            breaks[index] = False
        elif (initial := len(raw) == 1 and not raw.isdecimal()) or _PUNKT_NUMBER.fullmatch(word):
            first = '"' if nothing_after else text[after]
            known[index] = first not in ".?!"
            breaks[index] = not (first in ";:," or first.islower() or (initial and first.isupper()))
    for index in np.flatnonzero(known & ~breaks & ~closer).tolist():  # no break: known only before a quiet word
        known[index] = bool(_QUIET_NEXT.fullmatch(_next_word(text, int(next_start[index]), int(line_end[line[index]]))))
    true = known & breaks
    closer_true = true & closer  # known only at the line's end, or with a gap and then a word
    known[closer_true] = (next_start[closer_true] == line_end[line[closer_true]]) | (
        (next_start[closer_true] > closer_end[closer_true])
        & ((classes[np.minimum(next_start[closer_true], size - 1)] & WHITESPACE) == 0))
    for index in np.flatnonzero(true & ~closer & ((classes[np.minimum(next_start, size - 1)] & CLOSING) != 0)).tolist():
        known[index] = bool(_NO_REALIGN.match(_next_word(text, int(next_start[index]), int(line_end[line[index]]))))
    stop = np.where(closer, closer_end, end_at + 1)
    return np.where(known, breaks.astype(np.int8), np.int8(-1)), stop, next_start


def _next_word(text: str, start: int, limit: int) -> str:
    """The next word (tokens._COMMON_END's ``next``: up to ASCII whitespace), within its line."""
    found = _ASCII_SPACE.search(text, start, limit)
    return text[start:found.start() if found else limit]


def _stretches(text: str, end_at: np.ndarray, line: np.ndarray, line_start: np.ndarray, line_end: np.ndarray,
               state: np.ndarray, stop: np.ndarray, next_start: np.ndarray) -> np.ndarray:
    """Cut each line at its breaking candidates; a stretch holding an unknown candidate goes to Punkt."""
    cuts = np.flatnonzero(state == 1)
    cut_line = line[cuts]
    follows_cut = np.concatenate(([False], cut_line[1:] == cut_line[:-1]))  # an earlier cut in the same line
    first_candidate = np.searchsorted(line, np.arange(len(line_start)))  # each line's first candidate
    previous = np.concatenate(([0], cuts[:-1]))[:len(cuts)]
    starts = np.where(follows_cut, next_start[previous] if len(cuts) else cuts, line_start[cut_line])
    from_candidate = np.where(follows_cut, previous + 1, first_candidate[cut_line])
    unknown = np.concatenate(([0], np.cumsum(state == -1)))
    cut_known = unknown[cuts + 1] == unknown[from_candidate]
    # Each line's last stretch: after its last cut (or all of it) to its end.
    last_cut = np.full(len(line_start), -1)
    last_cut[cut_line] = cuts
    tail_start = np.where(last_cut >= 0, next_start[np.maximum(last_cut, 0)] if len(cuts) else line_start, line_start)
    tail_from = np.where(last_cut >= 0, last_cut + 1, first_candidate)
    tail_to = np.append(first_candidate[1:], len(line))
    tail_known = unknown[tail_to] == unknown[tail_from]
    tail = tail_start < line_end
    all_starts = np.concatenate((starts, tail_start[tail]))
    order = np.argsort(all_starts, kind="stable")
    spans = np.stack((all_starts[order], np.concatenate((stop[cuts], line_end[tail]))[order]), axis=1)
    pieces, done = [], 0
    for index in np.flatnonzero(~np.concatenate((cut_known, tail_known[tail]))[order]).tolist():
        pieces += [spans[done:index], np.array(_punkt_spans(text, *spans[index].tolist()), np.int64).reshape(-1, 2)]
        done = index + 1
    return np.concatenate(pieces + [spans[done:]]) if pieces else spans


def _punkt_spans(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Punkt's sentences of text[start:stop], trimmed (as ``tokens._add_stretch`` makes them)."""
    spans = []
    piece = text[start:stop]
    for a, b in _punkt().span_tokenize(piece):
        sentence = piece[a:b]
        if sentence.strip():
            a += start + len(sentence) - len(sentence.lstrip())
            spans.append((a, a + len(sentence.strip())))
    return spans
