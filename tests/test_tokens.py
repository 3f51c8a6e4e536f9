"""Sentences and word tokens with offsets (framing.tokens), on real seed sentences."""

from __future__ import annotations

import dataclasses

import pytest

from framing.tokens import Tokens, normalize, split_sentences, tokenize

SEED_US = (
    "Following the call, the U.S. restored its intelligence-sharing efforts with Ukraine and resumed "
    "military assistance, providing a framework for ongoing negotiations."
)
SEED_OFFICIALS = (
    "U.S. officials currently anticipate that Ukraine will have to concede territory as part of any agreement."
)
SEED_GUILLEMETS = (
    "«These talks will commence immediately in the Middle East,» according to the White House’s briefing."
)
SEED_SUMMARY = (
    "Here’s a summary of the agreements made and points of divergence during their over 90-minute conversation."
)
SEED_HEADLINE = "Putin Agrees to Ceasefire! Trump’s 2-Hour Call Changes Everything"
SEED_FIRST_STEP = (
    "The White House has described this as the “first step toward peace”, with hopes that it could "
    "eventually lead to a comprehensive ceasefire."
)


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        SEED_US,
        SEED_OFFICIALS,
        SEED_GUILLEMETS,
        SEED_FIRST_STEP,
        "The U.S. restored its intelligence-sharing efforts.",
        "Gen. Smith met Rep. Jones at 9 a.m. in Washington, D.C. and left.",
        "George W. Bush and John F. Kennedy never met.",
        "Sen. Rand Paul (R-Ky.) and Sen. Elizabeth Warren (D-Mass.), both opposed it.",
    ],
)
def test_one_sentence(text: str) -> None:
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "text, expected",
    [
        (SEED_HEADLINE, ["Putin Agrees to Ceasefire!", "Trump’s 2-Hour Call Changes Everything"]),
        ("Mr. Trump spoke. Mrs. Clinton did not.", ["Mr. Trump spoke.", "Mrs. Clinton did not."]),
        (
            "Will Ukraine accept the terms? Officials declined to comment.",
            ["Will Ukraine accept the terms?", "Officials declined to comment."],
        ),
        (
            "He called it “the first step toward peace.” Talks resume Monday.",
            ["He called it “the first step toward peace.”", "Talks resume Monday."],
        ),
        ("«Nous acceptons.» The Kremlin agreed.", ["«Nous acceptons.»", "The Kremlin agreed."]),
        # contractions before the quote are decided by Punkt itself, not by the fast path
        ("Officials said “we can’t.” Then talks resumed.", ["Officials said “we can’t.”", "Then talks resumed."]),
        ("Russia said: «We won’t.» The talks ended.", ["Russia said: «We won’t.»", "The talks ended."]),
        ('He said "we are ready." Then he left.', ['He said "we are ready."', "Then he left."]),
        ("Sen. Rand Paul (R-Ky.) objected. The vote failed.", ["Sen. Rand Paul (R-Ky.) objected.", "The vote failed."]),
        ("The deal passed in 2003. In 2004 it lapsed.", ["The deal passed in 2003.", "In 2004 it lapsed."]),
        ("Prices rose 2.5 percent. Wages did not.", ["Prices rose 2.5 percent.", "Wages did not."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_each_line_is_its_own_sentence_and_blank_lines_give_nothing() -> None:
    text = (
        "Putin Agrees to Ceasefire\n"
        "\n"
        "   \n"
        "The Kremlin said talks would start soon. Kyiv agreed.\n"
        "  • Reduced Energy Crisis: both sides pause strikes on power plants.\r\n"
    )
    assert sentences(text) == [
        "Putin Agrees to Ceasefire",
        "The Kremlin said talks would start soon.",
        "Kyiv agreed.",
        "• Reduced Energy Crisis: both sides pause strikes on power plants.",
    ]


@pytest.mark.parametrize(
    "text, expected_run",
    [
        (SEED_US, ["the", "u.s.", "restored", "its", "intelligence-sharing", "efforts"]),
        (SEED_OFFICIALS, ["u.s.", "officials", "currently"]),
        (SEED_GUILLEMETS, ["the", "white", "house", "'s", "briefing"]),
        (SEED_GUILLEMETS, ["these", "talks"]),
        (SEED_SUMMARY, ["here", "'s", "a", "summary"]),
        (SEED_SUMMARY, ["their", "over", "90-minute", "conversation"]),
        (SEED_HEADLINE, ["ceasefire", "trump", "'s", "2-hour", "call"]),
        (SEED_FIRST_STEP, ["the", "first", "step", "toward", "peace", "with"]),
        (
            "It lasted two-hour talks, a 30-day truce in war-torn areas.",
            ["two-hour", "talks", "a", "30-day", "truce", "in", "war-torn"],
        ),
        ("We don't know and it isn’t clear.", ["we", "don't", "know", "and", "it", "isn't", "clear"]),
        (
            "About 1,000 troops, 175 tanks, 2.5 billion and 20% more.",
            ["about", "1,000", "troops", "175", "tanks", "2.5", "billion", "and", "20", "more"],
        ),
        (
            "It's over, said the U.N. at 9 p.m. on Jan. 5.",
            ["it", "'s", "over", "said", "the", "u.n.", "at", "9", "p.m.", "on", "jan", "5"],
        ),
        (
            "The Russia–Ukraine war — not peace — continues.",
            ["the", "russia-ukraine", "war", "not", "peace", "continues"],
        ),
    ],
)
def test_token_words_contain_run(text: str, expected_run: list[str]) -> None:
    words = list(tokenize(text).words)
    n = len(expected_run)
    assert any(words[i : i + n] == expected_run for i in range(len(words) - n + 1)), words


def test_full_token_list_of_a_seed_sentence() -> None:
    assert tokenize(SEED_SUMMARY).words == (
        "here", "'s", "a", "summary", "of", "the", "agreements", "made", "and", "points", "of",
        "divergence", "during", "their", "over", "90-minute", "conversation",
    )  # fmt: skip


@pytest.mark.parametrize(
    "text", [SEED_GUILLEMETS, SEED_FIRST_STEP, SEED_HEADLINE, '«Oui» “yes” ‘no’ "maybe" \'so\'']
)
def test_quote_marks_and_punctuation_are_never_in_a_token(text: str) -> None:
    words = tokenize(text).words
    assert words
    for word in words:
        assert not set(word) & set("«»“”‘\"!?,;:()%•—"), word
        assert not word.startswith("'") or word == "'s", word
        assert not word.endswith("'"), word


MULTILINE = (
    "Putin Agrees to Ceasefire! Trump’s 2-Hour Call Changes Everything\n"
    "\n"
    + SEED_GUILLEMETS
    + " "
    + SEED_SUMMARY
    + "\n  • Reduced Energy Crisis: both sides pause strikes.\n"
    + SEED_FIRST_STEP
    + "\n"
)


@pytest.mark.parametrize("text", [MULTILINE, SEED_US, "", "  \n\n ", "Word"])
def test_offsets_and_sentences_are_consistent(text: str) -> None:
    tokens = tokenize(text)
    assert isinstance(tokens, Tokens)
    assert tokens.text is text
    n = len(tokens.words)
    assert len(tokens.starts) == len(tokens.ends) == len(tokens.sentence_of) == n
    assert list(tokens.starts) == sorted(tokens.starts)
    assert tokens.sentence_spans == tuple(split_sentences(text))
    for word, start, end, sentence in zip(tokens.words, tokens.starts, tokens.ends, tokens.sentence_of):
        assert normalize(text[start:end]) == word
        sentence_start, sentence_end = tokens.sentence_spans[sentence]
        assert sentence_start <= start < end <= sentence_end
    for start, end in tokens.sentence_spans:
        assert text[start:end] == text[start:end].strip() != ""
        assert "\n" not in text[start:end]


def test_multiline_headline_and_bullet_are_sentences() -> None:
    tokens = tokenize(MULTILINE)
    spans = [MULTILINE[start:end] for start, end in tokens.sentence_spans]
    assert spans[:2] == ["Putin Agrees to Ceasefire!", "Trump’s 2-Hour Call Changes Everything"]
    assert spans[2:4] == [SEED_GUILLEMETS, SEED_SUMMARY]
    assert spans[4].startswith("• Reduced")
    bullet_sentence = spans.index(spans[4])
    first_bullet_token = tokens.sentence_of.index(bullet_sentence)
    assert tokens.words[first_bullet_token] == "reduced"
    assert MULTILINE[tokens.starts[first_bullet_token] : tokens.ends[first_bullet_token]] == "Reduced"


@pytest.mark.parametrize(
    "text, region_text",
    [
        ("Share this article. Subscribe now!\n" + SEED_US + "\nRead more at our site.", SEED_US),
        ("Advertisement " + SEED_SUMMARY + " Click here.", SEED_SUMMARY),
        (MULTILINE, "Trump’s 2-Hour Call"),
    ],
)
def test_regions_limit_tokens_and_sentences(text: str, region_text: str) -> None:
    a = text.index(region_text)
    b = a + len(region_text)
    tokens = tokenize(text, regions=[(a, b)])
    assert tokens.words == tokenize(region_text).words
    assert tokens.starts and all(a <= start and end <= b for start, end in zip(tokens.starts, tokens.ends))
    assert [text[s:e] for s, e in tokens.sentence_spans] == sentences(region_text)
    assert all(a <= s and e <= b for s, e in split_sentences(text, regions=[(a, b)]))
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends):  # offsets stay absolute
        assert normalize(text[start:end]) == word


def test_several_regions_and_overlap() -> None:
    text = "Alpha beta. Menu Login. Gamma delta."
    first, second = (0, 11), (24, len(text))
    assert tokenize(text, regions=[second, first]).words == ("alpha", "beta", "gamma", "delta")
    assert split_sentences(text, regions=[first, second]) == [first, second]
    with pytest.raises(ValueError):
        tokenize(text, regions=[(0, 15), (10, 20)])


def test_tokens_are_immutable() -> None:
    tokens = tokenize(SEED_US)
    with pytest.raises(dataclasses.FrozenInstanceError):
        tokens.words = ()  # type: ignore[misc]


@pytest.mark.parametrize(
    "word, expected",
    [
        ("Ukraine’s", "ukraine's"),
        ("Ukraine‘s", "ukraine's"),
        ("Ukraineʼs", "ukraine's"),
        ("Don’t", "don't"),
        ("Russia–Ukraine", "russia-ukraine"),
        ("Long—dash", "long-dash"),
        ("U.S.", "u.s."),
        ("90-Minute", "90-minute"),
        ("ΟΔΟΣ", "οδος"),
        ("already plain", "already plain"),
    ],
)
def test_normalize(word: str, expected: str) -> None:
    assert normalize(word) == expected
    assert normalize(normalize(word)) == normalize(word)


def test_modifier_letter_apostrophe_splits_possessive() -> None:
    assert tokenize("Kharkivʼs mayor spoke.").words == ("kharkiv", "'s", "mayor", "spoke")
