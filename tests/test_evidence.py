"""framing.evidence: a batch's arrays give the same tokens, sentences and quotes as the per-text definitions."""

from __future__ import annotations

import random
import sys

import pytest

from framing import load_lexicons
from framing.corpus import Article, Exclusion
from framing.evidence import QUOTATION, find_quotes
from framing.score import score_articles
from framing.tokens import tokenize



def test_quotes_equal_the_readable_rule_on_random_strings() -> None:
    generator = random.Random(11)
    alphabet = "“”«»\"'` ab\n"
    for _ in range(3000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, generator.choice((20, 80)))))
        expected = [found.span() for found in QUOTATION.finditer(text)]
        assert find_quotes(text, [(0, len(text))]) == expected, repr(text)


def test_quotes_must_lie_inside_one_region() -> None:
    text = '"one" and "two" and "three"'
    assert find_quotes(text, [(0, 9), (10, 16)]) == [(0, 5), (10, 15)]


def article(index: int, text: str, excluded: tuple = ()) -> Article:
    return Article(id=f"a{index}", outlet="x", title="", date="", source_note="", text=text, excluded=excluded)


@pytest.mark.parametrize("batch_characters", [1, 40, 10_000])
def test_batches_give_each_article_its_own_tokens_and_sentences(monkeypatch, batch_characters: int) -> None:
    monkeypatch.setattr(sys.modules["framing.score"], "BATCH_CHARACTERS", batch_characters)
    texts = ["Peace talks began. Mr. Smith said “no.”", "", "U.S.-backed plan's end.\nA second line",
             "Boilerplate to skip. Kept words here.", "…"]
    articles = [article(index, text) for index, text in enumerate(texts)]
    articles[3] = article(3, texts[3], excluded=(Exclusion(start=0, end=20, reason="boilerplate"),))
    scores, _, sentences = score_articles(articles, load_lexicons())
    for item, (_, count) in zip(articles, scores.iterrows()):
        tokens = tokenize(item.text, item.regions)
        assert count["tokens"] == len(tokens.words)
        assert count["sentences"] == len(tokens.sentence_spans)
        mine = sentences[sentences["article_id"] == item.id]
        assert list(zip(mine["start"], mine["end"])) == list(tokens.sentence_spans)
        assert mine["tokens"].tolist() == [end - start for start, end in
                                           zip((0, *tokens.sentence_ends[:-1]), tokens.sentence_ends)]


def test_evidence_text_is_the_articles_own_characters() -> None:
    # One, two, three and four UTF-8 bytes per character, in matched words and quotations.
    text = "Café talks: “naïve — crisis 😀 ahead,” she said. Ελλάδα praised the «landmark» deal 😀."
    _, evidence, _ = score_articles([article(0, text)], load_lexicons())
    assert len(evidence) > 3 and evidence["text"].str.contains("😀").any()
    assert evidence["text"].tolist() == [text[start:end] for start, end in zip(evidence["start"], evidence["end"])]


def test_a_lone_surrogate_in_evidence_raises_as_python_does() -> None:
    with pytest.raises(UnicodeEncodeError):
        score_articles([article(0, "He said “bad \ud83d news” today.")], load_lexicons())


def test_quotation_rows_follow_find_quotes_with_excluded_spans() -> None:
    # Articles with excluded spans keep find_quotes' rule (found in the whole text, kept inside a region),
    # batched with articles scored whole.
    generator = random.Random(17)
    alphabet = ["“", "”", "\"", "«", "»", "''", "``", " said ", "peace", " ", "\n", "."]
    articles = []
    for index in range(120):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 30)))
        cuts = sorted(generator.sample(range(len(text) + 1), 2)) if text and index % 3 else None
        excluded = (Exclusion(start=cuts[0], end=cuts[1], reason="test"),) if cuts and cuts[1] > cuts[0] else ()
        articles.append(article(index, text, excluded))
    _, evidence, _ = score_articles(articles, load_lexicons())
    quotes = evidence[evidence["lexicon"] == "quotes"]
    for item in articles:
        tokens = tokenize(item.text, item.regions)
        expected = [(start, end) for start, end in find_quotes(item.text, item.regions)
                    if any(start <= token < end for token in tokens.starts)]
        mine = quotes[quotes["article_id"] == item.id]
        assert list(zip(mine["start"], mine["end"])) == expected, repr(item.text)
    assert len(quotes) > 20
