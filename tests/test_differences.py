"""framing.report.differences: the "Where the accounts differ" tables, context and partial templates."""

from __future__ import annotations

import dataclasses
import io
import math

import pandas as pd
import pytest

from framing import score
from framing.corpus import Corpus, make_article
from framing.report.differences import (
    FILES, Differences, difference_files, differences, differences_context, headline_sentences,
)
from framing.report.render import environment
from framing.score import sentence_tone


USA_TODAY, BLOG, REPORT = "USA Today (summary)", "Unattributed blog", "Unattributed report"


@pytest.fixture(scope="module")
def diff(scored) -> Differences:
    return differences(scored)


@pytest.fixture(scope="module")
def context(scored, diff) -> dict:
    return differences_context(diff, scored.corpus)


def render(name: str, context: dict) -> str:
    return environment().get_template(name).render({"differences": context})


def test_differences_is_a_frozen_record_of_tables(diff):
    for name in ("quotes", "claims", "claim_groups", "coverage", "distinctive", "headlines"):
        assert isinstance(getattr(diff, name), pd.DataFrame) and not getattr(diff, name).empty
    with pytest.raises(dataclasses.FrozenInstanceError):
        diff.quotes = pd.DataFrame()  # type: ignore[misc]


def test_facts_lead_and_the_call_length_shows_every_phrasing_with_its_sentence(context):
    assert "call length" in context["findings"][0]["text"]
    fact = context["facts"][0]
    assert (fact["measure"], fact["status"]) == ("call length", "disagree")
    phrases = {(claim["outlet"], claim["phrase"]) for claim in fact["claims"]}
    assert {(USA_TODAY, "over an hour"), (BLOG, "two-hour"), (REPORT, "over 90-minute")} <= phrases
    for claim in fact["claims"]:
        marked = [piece["text"] for piece in claim["segments"] if piece["classes"]]
        assert marked == [claim["phrase"]]
        assert len("".join(piece["text"] for piece in claim["segments"])) > len(claim["phrase"])


def test_sources_table_names_who_quotes_whom(context):
    rows = {row["source"]: row for row in context["sources"]["rows"]}
    outlets = context["sources"]["outlets"]
    quoted = {source: {outlet for outlet, cell in zip(outlets, row["cells"]) if cell["quoted"]} for source, row in rows.items()}
    assert quoted["Kremlin"] == {BLOG, REPORT}
    assert quoted["Zelenskyy"] == {USA_TODAY}
    assert quoted["White House"] == {USA_TODAY, BLOG, REPORT}
    assert all(example["segments"] for row in rows.values() for example in row["examples"])
    findings = " ".join(finding["text"] for finding in context["findings"])
    assert "Only USA Today (summary) gives Zelenskyy a voice" in findings


def test_omissions_list_subtopics_per_outlet(context, diff):
    single = diff.single_outlet
    assert single["outlet"].nunique() == 3 and len(single) >= 3
    for block in context["omissions"]["single"]:
        assert block["subtopics"], block["outlet"]
        for item in block["subtopics"]:
            assert item["subtopic"].lower() in "".join(p["text"] for p in item["segments"] if p["classes"]).lower()


def test_headline_is_the_first_line_scored_from_evidence(scored, diff):
    blog = next(a for a in scored.corpus.articles if a.outlet == BLOG)
    assert headline_sentences(blog, scored.sentences) == [0, 1]  # "Putin Agrees to Ceasefire!" + "Trump’s 2-Hour Call …"
    for article in scored.corpus.articles:
        head = headline_sentences(article, scored.sentences)
        rows = scored.evidence[(scored.evidence["article_id"] == article.id) & (scored.evidence["lexicon"] == "tone")]
        sums = rows[rows["sentence"].isin(head)].groupby("sentence")["value"].sum()
        expected = sum(sentence_tone(value) for value in sums) / len(head)
        table = diff.headlines.set_index(["article_id", "part"])
        assert table.loc[(article.id, "headline"), "tone"] == pytest.approx(expected, abs=1e-6)
        tokens = scored.sentences[scored.sentences["article_id"] == article.id]["tokens"].sum()
        assert table.loc[(article.id, "headline"), "tokens"] + table.loc[(article.id, "body"), "tokens"] == tokens


def test_headline_findings_compare_headline_and_body(context):
    findings = [finding["text"] for finding in context["findings"] if finding["anchor"] == "diff-headlines"]
    assert any(text.startswith("Unattributed blog's headline scores") and "boosters" in text for text in findings)
    rows = {row["outlet"]: row for row in context["headlines"]["rows"]}
    assert rows[BLOG]["headline"] == "Putin Agrees to Ceasefire! Trump’s 2-Hour Call Changes Everything"
    assert context["headlines"]["measures"][0] == "Tone" and len(rows[BLOG]["cells"]) == len(context["headlines"]["measures"])


def test_every_table_row_points_at_its_text(scored, diff):
    texts = {a.id: a.text for a in scored.corpus.articles}
    for table, column in ((diff.quotes, "text"), (diff.claims, "phrase"), (diff.coverage, "text")):
        for row in table.itertuples(index=False):
            assert texts[row.article_id][row.start:row.end] == getattr(row, column)
    for row in diff.distinctive.itertuples(index=False):
        assert texts[row.article_id][row.start:row.end].lower() == row.word


def test_tables_are_deterministic(scored, diff):
    again = differences(scored)
    for field in dataclasses.fields(Differences):
        pd.testing.assert_frame_equal(getattr(diff, field.name), getattr(again, field.name))


def test_csv_files_round_trip(diff):
    files = difference_files(diff)
    assert sorted(files) == sorted(FILES.values()) == ["claims.csv", "coverage.csv", "quotes.csv"]
    claims = pd.read_csv(io.BytesIO(files["claims.csv"]))
    assert len(claims) == len(diff.claims) and math.isinf(claims["high"].max())


def test_html_partial_renders_the_section(context):
    html = render("_differences.html", context)
    assert html.lstrip().startswith("<section id=\"differences\">") and html.rstrip().endswith("</section>")
    assert '<mark class="hl diff-claim">over 90-minute</mark>' in html
    for anchor in {finding["anchor"] for finding in context["findings"]}:
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    for heading in ("Facts and figures", "Who speaks", "What only one outlet mentions", "Distinctive words",
                    "Headline versus body"):
        assert heading in html
    assert html.index("Facts and figures") < html.index("Who speaks") < html.index("What only one outlet")


def test_markdown_partial_renders_the_section(context):
    markdown = render("_differences.md", context)
    assert markdown.startswith("## Where the accounts differ")
    assert "**over an hour**" in markdown and "| Source |" in markdown


def _tiny(articles: list[tuple[str, str, str]]) -> Corpus:
    return Corpus(name="tiny", path="", articles=tuple(
        make_article(id=id, outlet=outlet, title="Headline", text=f"Headline\n\n{body}") for id, outlet, body in articles))


def test_html_is_escaped():
    corpus = _tiny([("a1", "A <b>", "“Stop <script>,” the Kremlin said. The call lasted two hours."),
                    ("b1", "B", "The call lasted 40 minutes, Moscow said.")])
    html = render("_differences.html", differences_context(differences(score(corpus)), corpus))
    assert "<script>" not in html and "&lt;script&gt;" in html and "A &lt;b&gt;" in html


def test_a_single_outlet_renders_without_comparison():
    corpus = _tiny([("a1", "Solo", "“We agree,” the Kremlin said. The call lasted two hours.")])
    context = differences_context(differences(score(corpus)), corpus)
    assert context["available"] is False
    assert "no accounts to set side by side" in render("_differences.html", context)
    assert "no accounts to compare" in render("_differences.md", context)
