"""framing.token_arrays: the array tokenizer finds tokenize's tokens and names equal words alike."""

from __future__ import annotations

import random

import numpy as np
import pytest

from framing.token_arrays import BY_STRING_CHARACTERS, HASHED_LETTERS, token_arrays, token_spans, word_keys
from framing.tokens import tokenize


def reference_spans(text: str) -> list[tuple[int, int]]:
    tokens = tokenize(text)
    return list(zip(tokens.starts, tokens.ends))


def array_spans(text: str) -> list[tuple[int, int]]:
    starts, ends = token_spans(text)
    return list(zip(starts.tolist(), ends.tolist()))


@pytest.mark.parametrize("text", [
    "",
    "Ukraine’s ceasefire",
    "Ukraine's U.S.-backed plan, don't",
    "The U.S.'s 1,000.5 troops at 3 a.m. on the two-hour call",
    "rock'n'roll x's's 's 'sa",
    "ʼs Trumpʼs dogʼs-day",
    "U.S.A. U.S.Army x.y .S. A.B.C",
    "2.5% 1,2,3 ,5 5, 5.",
    "co–op –a a– state‐of‑the‐art",
    "snake_case __init__ _x",
    "ΟΔΟΣ Σοφία İstanbul",
    "\ud800 lone surrogate",
    "Line one.\nLine two's end",
])
def test_spans_equal_tokenize(text: str) -> None:
    assert array_spans(text) == reference_spans(text)


def test_spans_equal_tokenize_on_random_strings() -> None:
    generator = random.Random(7)
    alphabet = "aAsS'\u2019\u02bc.-,19 \u2013\u2014\u2010_\u00e9\u03a3\n\"?x"
    for _ in range(3000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 16)))
        assert array_spans(text) == reference_spans(text), repr(text)


def keys_of(text: str) -> list[tuple]:
    starts, ends = token_spans(text)
    keys = word_keys(text, starts, ends)
    return [("string", text[s:e].lower()) if by_string else (first, second)
            for s, e, first, second, by_string in zip(starts.tolist(), ends.tolist(), keys.first_hash.tolist(),
                                                     keys.second_hash.tolist(), keys.by_string.tolist())]


def test_equal_words_share_keys_whatever_their_case_and_marks() -> None:
    keys = keys_of("Ukraine’s UKRAINE'S ukraine's two‐hour two-hour Two-Hour")
    assert keys[0] == keys[2] == keys[4]  # ukraine
    assert keys[1] == keys[3] == keys[5]  # 's, with either apostrophe
    assert keys[6] == keys[7] == keys[8]  # two-hour, with either hyphen
    assert len({keys[0], keys[1], keys[6]}) == 3


def test_words_with_context_dependent_case_or_many_letters_go_by_string() -> None:
    text = f"ΟΔΟΣ İstanbul plain {'x' * (HASHED_LETTERS + 1)}"
    starts, ends = token_spans(text)
    assert word_keys(text, starts, ends).by_string.tolist() == [True, True, False, True]


def test_keys_do_not_depend_on_where_the_word_is() -> None:
    keys = keys_of("peace talks " * 3 + "peace")
    assert len(set(keys)) == 2 and keys[0] == keys[-1]
    assert np.all(np.array([key[0] for key in keys[::2]]) == keys[0][0])


def test_only_the_by_string_characters_lower_to_something_else_than_one_fixed_character() -> None:
    def lowered_in_context(char: str) -> set[str]:
        return {char.lower(), ("a" + char).lower()[1:], (char + "a").lower()[:-1], ("a" + char + "a").lower()[1:-1]}

    odd = [char for char in map(chr, range(0x110000))
           if (char.isalnum() or char == "_") and (len(char.lower()) != 1 or len(lowered_in_context(char)) > 1)]
    assert "".join(odd) == BY_STRING_CHARACTERS


def test_token_arrays_is_spans_and_keys_together() -> None:
    text = "The U.S.'s İstanbul talks, ΟΔΟΣ."
    starts, ends, keys = token_arrays(text)
    assert (starts.tolist(), ends.tolist()) == tuple(map(np.ndarray.tolist, token_spans(text)))
    assert keys.first_hash.tolist() == word_keys(text, starts, ends).first_hash.tolist()
    assert keys.by_string.tolist() == [False, False, False, True, False, True]
