"""framing.match_arrays: matching over word ids finds exactly LexiconSet.match_sentences' matches."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from framing import load_corpus, load_lexicons
from framing.lexicon import LexiconSet
from framing.match_arrays import ArrayMatcher, array_matcher, sentence_end_of_tokens
from framing.token_arrays import token_spans, word_keys
from framing.tokens import tokenize

from .conftest import BUNDLED_CORPUS, write_lexicon


def reference(lexicons: LexiconSet, text: str) -> list[tuple[int, int, str, str]]:
    tokens = tokenize(text)
    return [(first, last, entry.lexicon, entry.term)
            for found in lexicons.match_sentences(tokens.words, tokens.sentence_ends)
            for first, last, entry in found]


def by_arrays(matcher: ArrayMatcher, text: str) -> list[tuple[int, int, str, str]]:
    starts, ends = token_spans(text)
    word_ids = matcher.word_ids(text, starts, ends, word_keys(text, starts, ends))
    matches = matcher.match(word_ids, sentence_end_of_tokens(len(starts), tokenize(text).sentence_ends))
    return [(first, last, matcher.entries[entry].lexicon, matcher.entries[entry].term)
            for first, last, entry in zip(matches.first.tolist(), matches.last.tolist(), matches.entry.tolist())]


@pytest.fixture
def phrase_lexicons(tmp_path: Path) -> LexiconSet:
    folder = tmp_path / "lex"
    write_lexicon(folder, "hedges", [
        ("may", "modal", 1), ("may #", "ignore", 0), ("in may", "ignore", 0), ("about #", "approximator", 1),
        ("according to", "attribution", 1), ("it is said", "attribution", 1), ("it is", "modal", 0.5),
    ])
    write_lexicon(folder, "frames", [
        ("peace", "peace", 1), ("peace talks", "peace", 1), ("peace talk*", "peace", 2), ("talks", "talk", 1),
        ("skeptic*", "doubt", 1), ("public opinion*", "opinion", 1), ("the deal of the century", "deal", 1),
        ("deal", "deal", 1), ("of the", "ignore", 0),
    ])
    write_lexicon(folder, "tone", [("peace", "positive", 1.5), ("talks", "positive", 0.5), ("peace talks", "negative", -1)])
    return load_lexicons([folder])


@pytest.mark.parametrize("text", [
    "Peace talks began in May 2025; it is said that peace talks may fail.",
    "About 90 skeptics; about ninety-two; about them. The deal of the century, the deal of the week.",
    "according to according to. it is. It is said. peace talk talkers peace. talks",
    "public opinions of the public opinion. may may may 5",
])
def test_fixed_texts_match_as_match_sentences(phrase_lexicons: LexiconSet, text: str) -> None:
    expected = reference(phrase_lexicons, text)
    assert expected  # the texts exercise the lexicons
    assert by_arrays(ArrayMatcher(phrase_lexicons), text) == expected


def test_random_word_sequences_match_as_match_sentences(phrase_lexicons: LexiconSet) -> None:
    words = "peace talks talkers the deal of century it is said may in 5 ninety about public opinion according to".split()
    marks = [" ", " ", " ", ", ", ". ", "\n"]
    generator = random.Random(3)
    matcher = ArrayMatcher(phrase_lexicons)  # one matcher: its word ids grow across texts, as in a corpus
    for _ in range(400):
        text = "".join(generator.choice(words) + generator.choice(marks) for _ in range(generator.randint(1, 25)))
        assert by_arrays(matcher, text) == reference(phrase_lexicons, text), text


def test_bundled_lexicons_on_the_bundled_corpus() -> None:
    lexicons = load_lexicons()
    matcher = array_matcher(lexicons)
    assert array_matcher(lexicons) is matcher  # built once per LexiconSet
    for article in load_corpus(BUNDLED_CORPUS).articles:
        assert by_arrays(matcher, article.text) == reference(lexicons, article.text)


def test_sentence_end_of_tokens() -> None:
    assert sentence_end_of_tokens(6, [2, 2, 5, 6]).tolist() == [2, 2, 5, 5, 5, 6]
    assert np.array_equal(sentence_end_of_tokens(0, []), np.zeros(0))


def test_openings_are_no_longer_than_any_number_word() -> None:
    # The matcher tells from a word's first OPENING_LETTERS characters whether it may begin a number word.
    from framing.lexicon import NUMBER_WORDS
    from framing.token_arrays import OPENING_LETTERS

    assert OPENING_LETTERS <= min(map(len, NUMBER_WORDS))


@pytest.mark.parametrize("text", ["SKEPTICS and skeptical skeptic skepti skeptik", "Peace talkative talk talks talk-show"])
def test_words_beginning_with_a_stem_get_their_own_id(phrase_lexicons: LexiconSet, text: str) -> None:
    # Stems are found from hashes of a word's first letters, one length per stem; words one letter short must not match.
    expected = reference(phrase_lexicons, text)
    assert by_arrays(ArrayMatcher(phrase_lexicons), text) == expected
    assert any(term.endswith("*") for *_, term in expected)


def test_words_told_apart_by_hash_alone_still_match(phrase_lexicons: LexiconSet) -> None:
    matcher = ArrayMatcher(phrase_lexicons)
    text = "Skeptical skeptics said zzz peace talks about 90 publicly, and public opinion shifted."
    assert by_arrays(matcher, text) == reference(phrase_lexicons, text)
    assert len(matcher._words) < 40  # "said", "zzz", "shifted" ... share the plain id


@pytest.mark.parametrize("text", ["x" * 70, "x" * 70 + " peace talks", "İstanbul peace talks " + "y" * 65])
def test_words_named_by_their_string_on_a_fresh_matcher(phrase_lexicons: LexiconSet, text: str) -> None:
    # Words over 64 letters (or holding İ) skip the hash table: even a matcher that has met no hash yet copes.
    assert by_arrays(ArrayMatcher(phrase_lexicons), text) == reference(phrase_lexicons, text)
