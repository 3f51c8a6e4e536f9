"""The report at scale: evidence sampled per number with the rest counted, sizes bounded, stages reported."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from framing import build_report, compare, load_corpus, load_lexicons, score
from framing.cli import cli
from framing.report.context import ARTICLES_PER_OUTLET, EVIDENCE_SENTENCES_PER_CELL, TERMS_PER_CELL
from framing.report import csvfile
from framing.report.csvfile import csv_bytes
from framing.report.render import DIFFERENCES_MAX_ARTICLES

from .conftest import BUNDLED_CORPUS, SHARED, write_corpus, write_lexicon

HEDGER, PLAIN, QUIET = "Hedger <b>&</b> Co", "Plain", "Quiet"
HEDGES = ["may", "might", "perhaps", "possibly", "could", "likely", "reportedly", "apparently", "seemingly", "arguably"]
ARTICLES_EACH = 70  # three outlets: 210 articles, over DIFFERENCES_MAX_ARTICLES
STRONGEST = "Talks may perhaps possibly resume <i>soon</i> & fast."  # three hedges: the strongest sentence


def block(html: str, anchor: str) -> str:
    """The evidence block with this anchor, up to its end."""
    return html.split(f'id="{anchor}"')[1].split("</section>")[0]


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> dict:
    """210 short articles; the hedger's hedges fill far more sentences than a block shows."""
    folder = tmp_path_factory.mktemp("many")
    write_lexicon(folder / "lex", "hedges", [(term, "modal" if n % 2 else "epistemic", 1) for n, term in enumerate(HEDGES)])
    write_lexicon(folder / "lex", "tone", [("good", "positive", 1.9), ("bad", "negative", -2.5)])
    articles = []
    for n in range(ARTICLES_EACH):
        hedged = f"Talks {HEDGES[n % len(HEDGES)]} resume on day {n}. It {HEDGES[(n + 3) % len(HEDGES)]} rain. Officials met."
        articles.append({"id": f"h{n:03d}", "outlet": HEDGER, "title": f"Day {n}",
                         "text": (STRONGEST + " " if n == 40 else "") + hedged})
        articles.append({"id": f"p{n:03d}", "outlet": PLAIN, "title": f"Plain {n}",
                         "text": f"Officials met on day {n}. A good day." + (" Talks may resume." if n % 15 == 0 else "")})
        articles.append({"id": f"q{n:03d}", "outlet": QUIET, "title": f"Quiet {n}", "text": f"Nothing happened on day {n}. A bad day."})
    scored = score(load_corpus(write_corpus(folder / "corpus", articles)), load_lexicons([folder / "lex"]))
    stages: list[str] = []
    files = build_report(scored, progress=stages.append)
    return {"scored": scored, "files": files, "html": files["report.html"].decode("utf-8"),
            "markdown": files["report.md"].decode("utf-8"), "stages": stages}


def anchor(column: str, outlet: str) -> str:
    """The evidence anchor of a measure and outlet (outlets are numbered in sorted order)."""
    return f"ev-{column}-o{sorted([HEDGER, PLAIN, QUIET]).index(outlet)}"


def test_a_block_shows_at_most_the_cap_and_says_how_many_there_are(many):
    evidence = pd.read_csv(io.BytesIO(many["files"]["evidence.csv"]))
    rows = evidence[(evidence["outlet"] == HEDGER) & (evidence["lexicon"] == "hedges")]
    sentences = rows[["article_id", "sentence"]].drop_duplicates()
    assert len(sentences) > EVIDENCE_SENTENCES_PER_CELL
    shown = block(many["html"], anchor("hedges_per_1k", HEDGER))
    assert shown.count("<blockquote>") == EVIDENCE_SENTENCES_PER_CELL
    assert f"Showing {EVIDENCE_SENTENCES_PER_CELL} of {len(sentences)} sentences with a match" in shown
    assert f"{len(rows)} matching rows in <code>evidence.csv</code> (outlet = Hedger &lt;b&gt;&amp;&lt;/b&gt; Co, lexicon = hedges)" in shown
    assert f"the {TERMS_PER_CELL} strongest of {rows['term'].nunique()} terms are listed" in shown
    assert shown.count("<tr><td>") == TERMS_PER_CELL


def test_the_strongest_sentence_comes_first_and_the_rule_is_stated(many):
    shown = block(many["html"], anchor("hedges_per_1k", HEDGER))
    first = shown.split("<blockquote>")[1]
    assert re.sub(r"<[^>]+>", "", first).startswith("Talks may perhaps possibly resume &lt;i&gt;soon&lt;/i&gt; &amp; fast.")
    assert f"up to {EVIDENCE_SENTENCES_PER_CELL} sentences, those whose matching words add up to the most" in many["html"]
    assert f"Showing {EVIDENCE_SENTENCES_PER_CELL} of" in many["markdown"]


def test_sampled_evidence_and_names_are_escaped(many):
    html = many["html"]
    assert "<i>soon</i>" not in html and "<b>&</b>" not in html
    assert "&lt;i&gt;soon&lt;/i&gt;" in html and "Hedger &lt;b&gt;&amp;&lt;/b&gt; Co" in html


def test_a_block_under_the_cap_shows_every_sentence_and_no_sampling_note(many):
    evidence = pd.read_csv(io.BytesIO(many["files"]["evidence.csv"]))
    rows = evidence[(evidence["outlet"] == PLAIN) & (evidence["lexicon"] == "hedges")]
    shown = block(many["html"], anchor("hedges_per_1k", PLAIN))
    assert 0 < len(rows) <= EVIDENCE_SENTENCES_PER_CELL
    assert shown.count("<blockquote>") == len(rows[["article_id", "sentence"]].drop_duplicates())
    assert "Showing" not in shown and "strongest of" not in shown


def test_the_article_view_stays_capped_per_outlet(many):
    articles = many["html"].split('<section id="articles">')[1].split('<section id="style">')[0]
    assert articles.count("<article ") == 3 * ARTICLES_PER_OUTLET
    assert f"({3 * ARTICLES_PER_OUTLET} of {3 * ARTICLES_EACH} articles)" in articles


def test_differences_section_says_why_it_is_left_out_and_how_to_get_it(many):
    section = many["html"].split('<section id="differences">')[1].split("</section>")[0]
    assert 3 * ARTICLES_EACH > DIFFERENCES_MAX_ARTICLES
    assert f"Not built: this corpus has {3 * ARTICLES_EACH} articles" in section
    assert "--topic NAME" in section and "--filter" in section
    assert "quotes.csv" not in many["files"]


def test_spread_across_articles_is_drawn_once_outlets_have_enough_articles(many, scored):
    assert "distributions.png" in many["files"] and "Box plots of the key measures per article" in many["html"]
    assert "distributions.png" not in build_report(scored)  # one article per outlet: no boxes to draw


def test_the_library_reports_each_stage_and_the_cli_prints_them(many, tmp_path):
    assert many["stages"][0] == "Comparing outlets…"
    assert "Collecting the evidence behind each number…" in many["stages"]
    assert "Comparing the accounts (quotes, figures, omissions)…" not in many["stages"]  # left out at this size
    result = CliRunner().invoke(cli, ["report", str(BUNDLED_CORPUS), "--out", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Comparing outlets…" in result.stderr and "Writing the report pages…" in result.stderr
    assert "Comparing outlets…" not in result.stdout


def test_tables_are_written_as_pandas_writes_them(scored):
    tricky = pd.DataFrame({
        "text": ["a,b", 'say "hi"', "two\nlines", None, "", "plain"],
        "value": [1.5, np.nan, 0.1 + 0.2, -0.0, 1e-7, 3.0],
        "flag": [True, False, True, False, True, False],
        "count": [1, 2, 3, 4, 5, 6],
    })
    for table in (tricky, scored.scores, scored.evidence, scored.sentences):
        assert csv_bytes(table) == table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    carriage = pd.DataFrame({"text": ["one\rtwo"], "n": [1]})
    assert pd.read_csv(io.BytesIO(csv_bytes(carriage)))["text"].tolist() == ["one\rtwo"]


@pytest.mark.parametrize("rows_per_piece", [1, 7, 100])
def test_a_big_table_written_in_pieces_gives_the_same_bytes(scored, monkeypatch, rows_per_piece):
    monkeypatch.setattr(csvfile, "ROWS_PER_PIECE", rows_per_piece)
    evidence = scored.evidence
    assert len(evidence) > rows_per_piece
    assert csv_bytes(evidence) == evidence.to_csv(index=False, lineterminator="\n").encode("utf-8")


ALLSIDES = SHARED / "corpora" / "allsides-11-outlets.jsonl.gz"
ALLSIDES_PER_OUTLET = 40  # 440 articles: enough for every cap to bite, scored in seconds


@pytest.mark.skipif(not ALLSIDES.is_file(), reason=f"the AllSides corpus is not at {ALLSIDES} (see ../shared/corpora/README.md)")
def test_allsides_report_stays_small_and_every_number_keeps_its_evidence():
    corpus = load_corpus(ALLSIDES)
    kept, seen = [], {}
    for article in corpus.articles:
        seen[article.outlet] = seen.get(article.outlet, 0) + 1
        if seen[article.outlet] <= ALLSIDES_PER_OUTLET:
            kept.append(article)
    sample = type(corpus)(corpus.name, corpus.path, tuple(kept))
    scored = score(sample)
    files = build_report(scored)
    html = files["report.html"].decode("utf-8")
    assert len(files["report.html"]) < 10_000_000 and len(files["report.md"]) < 2_000_000
    blocks = re.findall(r'<section class="evidence" id="(ev-[^"]+)">(.*?)</section>', html, re.S)
    assert len(blocks) == len(compare(scored).measures) * 11
    assert max(body.count("<blockquote>") for _, body in blocks) == EVIDENCE_SENTENCES_PER_CELL
    assert sum("Showing 6 of" in body for _, body in blocks) > len(blocks) // 2
    linked = set(re.findall(r'href="#(ev-[^"]+)"', html))
    assert linked and linked <= {anchor for anchor, _ in blocks}
    assert html.count("<article ") == 11 * ARTICLES_PER_OUTLET
    assert "Not built: this corpus has 440 articles" in html
    assert files["evidence.csv"].count(b"\n") == len(scored.evidence) + 1


def test_evidence_rows_read_by_position_match_the_table(scored):
    from framing.report.evidence_rows import EvidenceRows

    rows = EvidenceRows(scored)
    positions = np.arange(0, len(scored.evidence), 7)
    assert rows.rows(positions) == list(scored.evidence.iloc[positions].itertuples(index=False))
    quotes = rows.where("lexicon", "quotes")
    assert len(quotes)
    expected = []
    for row in rows.rows(quotes):
        sentence = rows.sentence_at(row.article_id, row.start)
        expected.append(sentence is not None and row.end <= sentence[1])
    found = rows.contains(scored.evidence["article_id"].iloc[quotes], rows.start[quotes], rows.end[quotes])
    assert found.tolist() == expected and any(expected)
    first = scored.evidence.iloc[0]
    sentence_rows = rows.rows(rows.of_sentence(rows.sentence_row(first["article_id"], int(first["sentence"]))))
    table = scored.evidence[(scored.evidence["article_id"] == first["article_id"])
                            & (scored.evidence["sentence"] == first["sentence"])]
    assert sentence_rows == list(table.itertuples(index=False))


def test_the_clustering_note_fits_how_many_articles_stand_behind_each_outlet(many, scored):
    few = build_report(scored)["report.md"].decode("utf-8")
    assert "1 article cannot show an outlet's habitual style" in few
    assert "cannot show an outlet's habitual style" not in many["markdown"]
    assert "chooses the number of clusters by a stated criterion" in many["html"]
