"""framing.sentence_arrays: the array sentence splitter gives split_sentences' spans."""

from __future__ import annotations

import random

import pytest

from framing.sentence_arrays import sentence_spans
from framing.tokens import split_sentences


@pytest.mark.parametrize("text", [
    "",
    "   \n\n  ",
    "Putin agreed. Trump said “no.” Mr. Smith left.",
    "Rep. Joe Kennedy (D-Mass.) was there. Sen. Warren (D-Mass.). (Feb. 8) A vote.",
    "George W. Bush spoke at 3 p.m. on Jan. 5. He left at 4 p.m. Then U.S. officials met.",
    "It rose 2.5 percent. In 2003. Prices fell in 1999. but rose later.",
    "Wait... what? Really?! “Objection!” he said. 'No.' Yes.\tTab. ok",
    "Martin O'Malley. Election day. ISIS. .... You",
    "Hello!!! \"Bye.\" (Inc.) etc.), and more. Done.",
    "Line one.\nLine two.  \n  Line three. Next\u00a0word. Mr.\u00a0Smith.",
    "“Mr. Simpson.” A “quote.”Next and 28/52 (!), wow.",
    "Wait..? Next one.. ? And J. .Net at 3. ?Why 4. !No W. ...",
])
def test_fixed_texts(text: str) -> None:
    assert sentence_spans(text) == split_sentences(text)


def test_random_strings() -> None:
    generator = random.Random(5)
    pieces = ["a", "B", "Mr", "U.S", "Inc", ".", "..", "?", "!", " ", " ", "  ", "\t", "\n", "\u201d", "\"", "'",
              "(", ")", "\u201c", "3", "2,000", "\xa0", ",", "-", "i", "etc", ";", "said", "W", "..."]
    for _ in range(4000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 16)))
        assert sentence_spans(text) == split_sentences(text), repr(text)
