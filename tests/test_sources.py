"""framing.sources: quotes in every style, attributions before and after, paraphrases, source aliases."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from framing import load_corpus
from framing.corpus import Corpus, make_article
from framing.sources import (
    ALIASES_PATH, CONTINUES, DIRECT, PARAPHRASE, QUOTE_COLUMNS, UNATTRIBUTED, article_quotes, quotes_table,
    source_summary, verb_summary,
)

from .conftest import BUNDLED_CORPUS

USA_TODAY, BLOG, REPORT = "USA Today (summary)", "Unattributed blog", "Unattributed report"


def quotes_of(body: str) -> pd.DataFrame:
    article = make_article(id="a1", outlet="Outlet A", title="Headline", text=f"Headline\n\n{body}")
    return quotes_table([article])


@pytest.mark.parametrize("body, quote, source, verb", [
    ("“We will not accept this,” the Kremlin said.", "“We will not accept this,”", "Kremlin", "say"),  # curly, after
    ("The Kremlin said: «The talks were useful.»", "«The talks were useful.»", "Kremlin", "say"),  # guillemets, before
    ('"It was a good call," said Zelenskyy.', '"It was a good call,"', "Zelenskyy", "say"),  # straight, inverted
    ("“He told us ‘no deal’ twice,” a US official stated.", "“He told us ‘no deal’ twice,”", "US official", "state"),
    ("«These talks will begin at once,» according to the White House’s briefing.",
     "«These talks will begin at once,»", "White House", "according to"),
    ("Russia will free 23 soldiers «as a gesture of goodwill,» as noted by the Kremlin.",
     "«as a gesture of goodwill,»", "Kremlin", "note"),
    ("«A new era begins,» stated the White House.", "«A new era begins,»", "White House", "state"),
    ("«The talks went well,» as stated in the Kremlin’s account of the call.", "«The talks went well,»", "Kremlin", "state"),
    ("Moscow claimed: “Kyiv broke the truce.”", "“Kyiv broke the truce.”", "Kremlin", "claim"),
    ("The Kremlin insisted that Trump had «endorsed» the plan.", "«endorsed»", "Kremlin", "insist"),
])
def test_direct_quote_styles_and_attribution_positions(body: str, quote: str, source: str, verb: str):
    rows = quotes_of(body)
    direct = rows[rows["kind"] == DIRECT]
    assert direct["text"].tolist() == [quote]
    assert direct["source"].iloc[0] == source
    assert direct["verb"].iloc[0] == verb


def test_quote_spanning_two_sentences_is_one_quote():
    body = "A US official stated, “This is a positive step. Much work remains to be done.”"
    rows = quotes_of(body)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["source"] == "US official" and row["quote_words"] == 11
    text = f"Headline\n\n{body}"
    sentence = text[row["sentence_start"]:row["sentence_end"]]
    assert sentence.startswith("A US official stated") and sentence.endswith("to be done.”")


def test_following_quote_continues_the_previous_speaker():
    rows = quotes_of("«The leaders agreed to talk,» the Kremlin said.\n\n«Expert teams are being formed.»")
    assert rows["source"].tolist() == ["Kremlin", "Kremlin"]
    assert rows["attribution"].tolist() == ["the Kremlin", CONTINUES]


@pytest.mark.parametrize("body, source, verb, clause", [
    ("Zelenskyy emphasized the necessity of a prisoner exchange.", "Zelenskyy", "emphasize",
     "the necessity of a prisoner exchange"),
    ("U.S. officials currently anticipate that Ukraine will concede territory.", "US official", "anticipate",
     "Ukraine will concede territory"),
    ("Putin further indicated that a truce needs guarantees.", "Putin", "indicate", "a truce needs guarantees"),
    ("Each side will release 175 people, according to the Kremlin’s announcement.", "Kremlin", "according to",
     "Each side will release 175 people"),
    ("The call reportedly lasted an hour.", UNATTRIBUTED, "reportedly", "The call reportedly lasted an hour"),
])
def test_paraphrase_without_marks(body: str, source: str, verb: str, clause: str):
    rows = quotes_of(body)
    assert rows["kind"].tolist() == [PARAPHRASE]
    assert (rows["source"].iloc[0], rows["verb"].iloc[0], rows["text"].iloc[0]) == (source, verb, clause)


def test_pronoun_takes_the_named_source_of_its_paragraph():
    rows = quotes_of("President Zelenskyy met envoys on Monday. He said the talks must go on.")
    assert rows["source"].tolist() == ["Zelenskyy"]
    assert rows["attribution"].tolist() == ["He"]


def test_pronoun_without_antecedent_is_unattributed():
    rows = quotes_of("«The Kremlin noted a shared interest,» it mentioned.")
    assert rows["source"].tolist() == [UNATTRIBUTED]
    assert rows["verb"].tolist() == ["mention"]  # the name inside the quote is not the speaker


def test_quote_without_any_attribution_is_unattributed():
    rows = quotes_of("The day began quietly. Then came the words «total halt» on the radio.")
    assert rows["source"].tolist() == [UNATTRIBUTED] and rows["verb"].tolist() == [""]


def test_possessive_speech_noun_names_the_speaker():
    rows = quotes_of("Conflict emerged over Putin’s call for a «total halt to foreign military support.»")
    assert rows[["source", "verb"]].values.tolist() == [["Putin", "call"]]


def test_capitalized_name_is_no_verb():
    rows = quotes_of("The decision raised questions about the United States’ interests.")
    assert rows.empty


def test_alias_table_is_data_with_alias_and_source_columns():
    with open(ALIASES_PATH, encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        assert reader.fieldnames == ["alias", "source"]
        table = {row["alias"]: row["source"] for row in reader}
    assert table["moscow"] == table["the kremlin's account"] == "Kremlin"
    assert table["the white house's briefing"] == "White House"
    assert table["a us official"] == "US official"


@pytest.mark.parametrize("speaker", ["the Kremlin", "The Kremlin’s statement", "Moscow", "the Kremlin’s announcement"])
def test_kremlin_aliases_group_together(speaker: str):
    rows = quotes_of(f"{speaker} said that the talks went well.")
    assert rows["source"].tolist() == ["Kremlin"]


def test_summary_counts_words_and_verbs():
    rows = quotes_of("“We agree,” the Kremlin said. Moscow claimed that the plan works. “It is fine,” Zelenskyy said.")
    summary = source_summary(rows).set_index("source")
    assert summary.loc["Kremlin", "direct"] == 1 and summary.loc["Kremlin", "paraphrase"] == 1
    assert summary.loc["Kremlin", "quote_words"] == 2 + 3
    assert summary.loc["Kremlin", "verbs"] == "claim ×1, say ×1"
    verbs = verb_summary(rows)
    assert verbs[verbs["verb"] == "say"]["uses"].tolist() == [2]


@pytest.fixture(scope="module")
def bundled() -> tuple[Corpus, pd.DataFrame]:
    corpus = load_corpus(BUNDLED_CORPUS)
    return corpus, quotes_table(corpus)


def test_bundled_sources_and_the_outlets_that_quote_them(bundled):
    _, quotes = bundled
    outlets = quotes.groupby("source")["outlet"].agg(lambda values: set(values))
    assert outlets["Kremlin"] == {BLOG, REPORT}
    assert outlets["White House"] == {USA_TODAY, BLOG, REPORT}
    assert outlets["Zelenskyy"] == {USA_TODAY}
    assert outlets["US official"] == {USA_TODAY, BLOG}


def test_bundled_report_quotes_in_guillemets(bundled):
    _, quotes = bundled
    report = quotes[(quotes["outlet"] == REPORT) & (quotes["kind"] == DIRECT)]
    assert set(report["source"]) >= {"Kremlin", "White House", "Putin", UNATTRIBUTED}
    briefing = report[report["text"].str.startswith("«These talks")].iloc[0]
    assert (briefing["source"], briefing["verb"]) == ("White House", "according to")
    blog = quotes[(quotes["outlet"] == BLOG) & (quotes["source"] == "US official")].iloc[0]
    assert blog["kind"] == DIRECT and blog["quote_words"] == 36  # the two-sentence quote, whole


def test_bundled_rows_point_at_their_text_and_are_sorted(bundled):
    corpus, quotes = bundled
    assert list(quotes.columns) == QUOTE_COLUMNS
    texts = {article.id: article.text for article in corpus.articles}
    for row in quotes.itertuples(index=False):
        text = texts[row.article_id]
        assert text[row.start:row.end] == row.text
        assert row.sentence_start <= row.start < row.end <= row.sentence_end
    ordered = quotes.sort_values(["article_id", "start", "end", "kind"], kind="mergesort").reset_index(drop=True)
    pd.testing.assert_frame_equal(quotes, ordered)
    pd.testing.assert_frame_equal(quotes, quotes_table(corpus))


def test_article_quotes_returns_frozen_records():
    article = make_article(id="x", outlet="O", title="T", text="T\n\n“Yes,” Putin said.")
    quote = article_quotes(article)[0]
    with pytest.raises(AttributeError):
        quote.source = "someone else"  # type: ignore[misc]
