"""Sentences and word tokens with absolute character offsets, fully offline.

Every number framing reports points back to evidence, so offsets index the original text.
Sentence ends are nltk Punkt's, built from the shipped abbreviation list (no data download).
Punkt runs at about 3 MB/s, so the common candidate ends ("said. The", "Mr. Smith") are
decided here by rules that give Punkt's own answer, and only stretches holding an unusual
one ("etc.),", "don't.") go to Punkt: same sentences as Punkt on every line of a 28 MB corpus.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate, chain, repeat
from operator import itemgetter, sub
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

ABBREVIATIONS_PATH = Path(__file__).parent / "data" / "abbreviations.txt"


@dataclass(frozen=True)
class Tokens:
    """Word tokens of one text as parallel tuples (fast to build, cheap to keep)."""

    text: str  # the original text, unchanged
    words: tuple[str, ...]  # normalize() of each token's surface text[start:end]
    starts: tuple[int, ...]  # char offset of each token in text
    ends: tuple[int, ...]
    sentence_spans: tuple[tuple[int, int], ...]  # (start, end) of every sentence, in order
    sentence_ends: tuple[int, ...]  # sentence i holds tokens sentence_ends[i - 1] (or 0) up to sentence_ends[i]

    @cached_property
    def sentence_of(self) -> tuple[int, ...]:
        """Index into sentence_spans for each token (built on first use: scoring needs only sentence_ends)."""
        sizes = map(sub, self.sentence_ends, [0, *self.sentence_ends[:-1]])
        return tuple(chain.from_iterable(map(repeat, range(len(self.sentence_ends)), sizes)))


_PLAIN_FORMS = (("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u2010", "-"), ("\u2011", "-"),
                ("\u2013", "-"), ("\u2014", "-"))  # fmt: skip


def normalize(word: str) -> str:
    """Lowercase and straighten apostrophes (’ ‘ ʼ to ') and dashes (‐ ‑ – — to -).

    Tokens and lexicon terms both go through it, so "Ukraine’s" matches "ukraine's".
    Idempotent, and only C-level string methods: cheap on one term and on a whole text.
    """
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    for variant, plain in _PLAIN_FORMS:
        lowered = lowered.replace(variant, plain)
    return lowered


# A token is a word or number joined across hyphens, the en dash, apostrophes ("don't") and
# decimal marks ("2.5", "1,000"); an initialism keeps its periods ("U.S.", "a.m."); 's is a
# token of its own ("Ukraine’s" -> ukraine, 's). The em dash, quotes and other punctuation are
# never in a token. ʼ counts as a letter in \w, so it is replaced by ' before matching.
_WORD = re.compile(
    r"""(
        \w+(?:(?:[-\u2010\u2011\u2013] | ['\u2019](?![sS]\b) | [.,](?<=\d.)(?=\d) | \.(?=[^\W\d_]\.))\w+)*
        (?:(?<=\.[^\W\d_])\.)?
      | ['\u2019](?<=[\w.].)[sS]\b
    )""",
    re.VERBOSE,
)

_QUOTES = "\u2018\u2019\u201c\u201d\xab\xbb"  # ‘ ’ “ ” « »
_CLOSING = rf"\"')\]}}{_QUOTES}"  # what Punkt pulls back into a sentence when it follows the end


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """The shipped abbreviation list, read once."""
    lines = (line.strip().lower() for line in ABBREVIATIONS_PATH.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    """Punkt with our abbreviations and nothing learned from training text, built once (nltk is
    imported here, on first use: importing it takes seconds, and most texts never need Punkt)."""
    from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

    class NewsLanguageVars(PunktLanguageVars):
        """Punkt settings that treat curly quotes and guillemets like ASCII quotes, so a sentence can
        end in .” or .» and keep its quote. Recent nltk does this too; pinned for every nltk >= 3.8."""

        _re_non_word_chars = rf"(?:[)\";}}\]\*:@\'\({{\[{_QUOTES}?!])"
        re_boundary_realignment = re.compile(rf"[{_CLOSING}]+?(?:\s+|(?=--)|$)", re.MULTILINE)

    params = PunktParameters()
    params.abbrev_types = set(_abbreviations())
    return PunktSentenceTokenizer(params, lang_vars=NewsLanguageVars())


_LINE = re.compile(r"[^\S\n]*([^\n]*\S)")  # a line, without surrounding whitespace
_PUNKT_CANDIDATE = re.compile(rf"""[.?!](?=[)";}}\]*:@'({{\[{_QUOTES}?!]|\s+\S)""")  # its period_context_re
# A candidate with the whitespace-delimited word before it (what Punkt inspects), in a common shape.
_COMMON_END = re.compile(
    r"""
    (?<![^ \t\r\f\v])                      # after ASCII whitespace, as far as Punkt looks back
    (?P<pre>[("\u201c\u2018\xab']?)
    (?:(?P<dots>[^\W_]*\.\.) | (?P<chunk>[^\W_]+(?:[-.,/][^\W_]+)*)(?P<post>\)?))?
    (?P<end>[.?!])
    (?:(?P<closer>[\u201d"\u2019'\xbb)]+)(?P<gap>[ \t\r\f\v]*)
      | [ \t\r\f\v]+(?=(?P<next>\S[^ \t\n\r\f\v]*)))  # next: at least as long as Punkt's
    """,
    re.VERBOSE,
)
_GLUED = ("\u201c", "\u2018", "\xab", "'")  # opening quotes Punkt keeps on the word ("“Mr." is no title)
_PUNKT_NUMBER = re.compile(r"\d[\d,.-]*")  # words Punkt types as ##number##
_NO_REALIGN = re.compile(rf"[^{_CLOSING}\s]|[{_CLOSING}]+(?!--)[^{_CLOSING}\s]")  # next word stays put
_QUIET_NEXT = re.compile(r"[^.?!]*|[^\W_]+(?:[-.,/][^\W_]+)*[.?!]")  # next word holds no break


def _common_end_breaks(m: re.Match[str]) -> bool | None:
    """Punkt's verdict on a common candidate: True ends a sentence, False does not, None: ask Punkt.

    Punkt with only abbrev_types set (no collocations, starters or orthographic counts): a
    listed abbreviation or an ellipsis never ends a sentence; an initial or a number does not
    before a lowercase word (an initial not before a capital either); any other word does.
    """
    pre, dots, chunk, post, end, closer, gap, nxt = m.groups()
    raw = pre + chunk if chunk and pre in _GLUED else chunk or ""
    word = raw.lower()
    if dots:
        if end != ".":
            return None
        breaks = False
    elif not word or post or end != ".":
        breaks = True
    elif word in _abbreviations() or word.rsplit("-", 1)[-1] in _abbreviations():
        breaks = False
    elif (initial := len(raw) == 1 and not raw.isdecimal()) or _PUNKT_NUMBER.fullmatch(word):
        first = nxt[0] if nxt else '"'  # a closing quote is neither upper nor lower case
        if first in ".?!":
            return None
        breaks = not (first in ";:," or first.islower() or (initial and first.isupper()))
    else:
        breaks = True
    if not breaks:
        return False if nxt is None or _QUIET_NEXT.fullmatch(nxt) else None
    if closer:  # Punkt needs ASCII whitespace after the quote to look back past this end
        after = m.end()
        return True if after == len(m.string) or (gap and not m.string[after].isspace()) else None
    return True if _NO_REALIGN.match(nxt) else None


def _add_stretch(
    spans: list[tuple[int, int]], line: str, offset: int, start: int, stop: int, known: bool
) -> None:
    """Add line[start:stop] as one sentence if no candidate in it can end one, else Punkt's sentences."""
    if known:
        spans.append((offset + start, offset + stop))
        return
    piece = line[start:stop]
    for a, b in _punkt().span_tokenize(piece):
        sentence = piece[a:b]
        if sentence.strip():
            a += offset + start + len(sentence) - len(sentence.lstrip())
            spans.append((a, a + len(sentence.strip())))


def _add_line(spans: list[tuple[int, int]], line: str, offset: int) -> None:
    """Add the sentences of a trimmed line found at offset in the text.

    Cut at each candidate known to end a sentence; a stretch with an unknown one goes to Punkt,
    which decides from neighbouring words only, so the result equals Punkt on the whole line.
    """
    start, known = 0, True
    for candidate in _PUNKT_CANDIDATE.finditer(line):
        end = candidate.start()
        m = _COMMON_END.match(line, line.rfind(" ", 0, end) + 1)  # after a tab: no match, so unknown
        breaks = _common_end_breaks(m) if m and m.start("end") == end else None
        if breaks is None:
            known = False
        elif breaks:
            _add_stretch(spans, line, offset, start, m.end("closer") if m.group("closer") else end + 1, known)
            start, known = m.end(), True
    if start < len(line):
        _add_stretch(spans, line, offset, start, len(line), known)


def checked_regions(text: str, regions: Sequence[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """Regions (default: the whole text) clipped to the text and sorted; overlapping regions are a caller bug."""
    if regions is None:
        return [(0, len(text))]
    clipped = sorted((max(0, a), min(len(text), b)) for a, b in regions if min(len(text), b) > max(0, a))
    if any(start < end for (_, end), (start, _) in zip(clipped, clipped[1:])):
        raise ValueError(f"regions overlap: {clipped}")
    return clipped


def split_sentences(text: str, regions: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence in the regions of text (default: all of it), trimmed, in order.

    Line breaks always end a sentence, so headlines and bullet lines stand alone.
    """
    spans: list[tuple[int, int]] = []
    for region_start, region_end in checked_regions(text, regions):
        for line in _LINE.finditer(text, region_start, region_end):
            start, end = line.span(1)
            if _PUNKT_CANDIDATE.search(text, start, end):
                _add_line(spans, text[start:end], start)
            else:  # nothing Punkt could split at
                spans.append((start, end))
    return spans


def tokenize(text: str, regions: Sequence[tuple[int, int]] | None = None) -> Tokens:
    """Word tokens of the regions of text, with offsets and sentences; punctuation is dropped.

    Built from C-level steps (regex split, accumulate, join), not a Python loop per token.
    """
    checked = checked_regions(text, regions)
    sentence_spans = split_sentences(text, checked)
    matchable = text.replace("\u02bc", "'") if "\u02bc" in text else text
    surfaces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for region_start, region_end in checked:
        parts = _WORD.split(matchable[region_start:region_end])  # gap, token, gap, ..., token, gap
        bounds = list(accumulate(map(len, parts), initial=region_start))
        surfaces += parts[1::2]
        starts += bounds[1:-1:2]
        ends += bounds[2::2]
    words = normalize("\n".join(surfaces)).split("\n") if surfaces else []  # tokens hold no newline
    # Every token lies inside a sentence, so sentence i holds the tokens before its end.
    sentence_ends = map(bisect_left, repeat(starts), map(itemgetter(1), sentence_spans))
    return Tokens(text, tuple(words), tuple(starts), tuple(ends), tuple(sentence_spans), tuple(sentence_ends))
