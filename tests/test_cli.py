"""The framing command, through click's CliRunner."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from framing.cli import cli

from .conftest import BUNDLED_CORPUS, write_corpus, write_saved_page

REPORT_FILES = {"report.html", "report.md", "scores.csv", "evidence.csv", "outlets.csv", "robustness.csv",
                "quotes.csv", "claims.csv", "coverage.csv", "style.csv", "style_outlets.csv",
                "measures.png", "dendrogram.png", "style_map.png"}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_report_on_bundled_corpus_by_default(tmp_path: Path):
    result = run("report", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "ceasefire-call-2025-03"
    assert result.stdout.startswith(f"Wrote {folder / 'report.html'} (3 articles, 3 outlets, ")
    assert {path.name for path in folder.iterdir()} == REPORT_FILES
    html = (folder / "report.html").read_text(encoding="utf-8")
    for outlet in ("USA Today (summary)", "Unattributed blog", "Unattributed report"):
        assert outlet in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "<script" not in html
    assert html.count("data:image/png;base64,") == 3


def test_two_runs_give_byte_identical_outputs(tmp_path: Path):
    run("report", str(BUNDLED_CORPUS), "--out", str(tmp_path / "one"))
    run("report", str(BUNDLED_CORPUS), "--out", str(tmp_path / "two"))
    for name in sorted(REPORT_FILES):
        first = (tmp_path / "one" / "ceasefire-call-2025-03" / name).read_bytes()
        second = (tmp_path / "two" / "ceasefire-call-2025-03" / name).read_bytes()
        assert first == second, name


def test_broken_manifest_gives_one_line_error_and_no_report(tmp_path: Path):
    corpus = tmp_path / "broken"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    manifest = corpus / "articles.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("002_3ff889e48d87c8b7.txt", "no-such-file.txt")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == f"Error: {manifest}:3: article file 'no-such-file.txt' not found in {corpus}\n"
    assert not (tmp_path / "out").exists()


def test_bad_lexicon_folder_writes_nothing(tmp_path: Path):
    lexicons = tmp_path / "lex"
    lexicons.mkdir()
    (lexicons / "tone.csv").write_text("term,category,weight,note\ngood,positive,lots,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "--lexicons", str(lexicons), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == f"Error: {lexicons / 'tone.csv'}:2: weight 'lots' is not a number; write a number such as 1, 0.5 or -2\n"
    assert not (tmp_path / "out").exists()


def test_everything_in_the_html_is_escaped(tmp_path: Path):
    corpus = write_corpus(tmp_path / "evil", [
        {"id": "x1", "outlet": "<b>Bold</b> News", "title": "<script>alert(1)</script>", "text": "A good & <i>great</i> day."},
        {"id": "y1", "outlet": "Plain", "title": "Quiet", "text": "A calm day."},
        {"id": "z1", "outlet": "Third", "title": "Other", "text": "A bad day."},
    ])
    result = run("report", str(corpus), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "evil" / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<b>Bold</b>" not in html and "<i>great</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; News" in html


def test_help_lists_report():
    result = run("--help")
    assert result.exit_code == 0
    assert "report" in result.output


def test_report_on_csv_with_mapped_columns(tmp_path: Path):
    path = tmp_path / "export.csv"
    rows = ["story,source,headline,body"]
    for number, (outlet, sentence) in enumerate([("npr.org", "Talks may resume."), ("cnn.com", "A historic deal."),
                                                  ("fox.com", "The crisis deepens.")]):
        rows.append(f"{number},{outlet},Headline {number},{sentence}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("report", str(path), "--column", "id=story", "--column", "outlet=source", "--column", "title=headline",
                 "--column", "text=body", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {tmp_path / 'out' / 'export' / 'report.html'} (3 articles, 3 outlets, ")


def test_bad_column_mapping_is_a_usage_error(tmp_path: Path):
    result = CliRunner().invoke(cli, ["report", "x.csv", "--column", "body"])
    assert result.exit_code == 2
    assert "'body': expected FIELD=NAME with FIELD one of id, outlet, title, text, date" in result.output


STORY = ["Leaders clearly agreed to a historic deal on Tuesday after a call that lasted about ninety minutes.",
         "Talks may resume in May, officials reportedly said, although critics warned the crisis could deepen."]


def test_report_on_saved_pages_warns_about_a_page_without_text(tmp_path: Path):
    pages = tmp_path / "saved"
    for name, host in (("a.html", "npr.org"), ("b.html", "www.cnn.com"), ("c.html", "foxnews.com")):
        write_saved_page(pages, name, f"Deal reached ({name})", STORY, canonical=f"https://{host}/2025/03/story")
    error_page = write_saved_page(pages, "d.html", "Page not found", ["Sorry, that page is gone."])
    result = run("report", str(pages), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {tmp_path / 'out' / 'saved' / 'report.html'} (3 articles, 3 outlets, ")
    assert f"Warning: {error_page}: skipped: only " in result.stderr
    scores = pd.read_csv(tmp_path / "out" / "saved" / "scores.csv")
    assert sorted(set(scores["outlet"])) == ["cnn.com", "foxnews.com", "npr.org"]  # canonical hosts without www.


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """Five articles from three outlets; three on elections."""
    path = tmp_path / "news.jsonl.gz"
    rows = [("npr.org", "elections", "Talks may resume."), ("cnn.com", "elections", "A historic deal."),
            ("fox.com", "elections", "The crisis deepens."), ("npr.org", "healthcare", "Costs may rise."),
            ("cnn.com", "healthcare", "A landmark bill.")]
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for number, (outlet, topic, text) in enumerate(rows):
            stream.write(json.dumps({"id": number, "outlet": outlet, "title": f"Headline {number}", "topic": topic,
                                     "date": f"2020-0{number + 1}-01", "text": text}) + "\n")
    return path


def test_report_on_one_topic_is_written_under_its_own_name(news: Path, tmp_path: Path):
    result = run("report", str(news), "--topic", "Elections", "--filter", "date<=2020-03-01", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "news-elections-date-to-2020-03-01"
    assert result.stdout.startswith(f"Wrote {folder / 'report.html'} (3 articles, 3 outlets, ")
    assert f"{news}: 3 of 5 articles kept: topic Elections, date<=2020-03-01" in result.stderr


def test_unknown_topic_lists_the_common_ones_and_writes_nothing(news: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["report", str(news), "--topic", "election", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == (f"Error: {news}: no article has topic 'election' (5 read); did you mean 'elections'? "
                             "choose one of the most common topics: elections (3), healthcare (2)\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["report"], ["kwic", "deal"], ["lexicon", "coverage"], ["lexicon", "suggest"]])
def test_malformed_filter_is_a_usage_error_on_every_corpus_command(news: Path, command: list[str]):
    result = CliRunner().invoke(cli, [*command, str(news), "--filter", "outlet"])
    assert result.exit_code == 2
    assert "Invalid value for '--filter': 'outlet': not a filter; write FIELD=VALUE[,VALUE...]" in result.output
    assert "FIELD one of id, outlet, title, date, topic, url, text" in result.output


def test_kwic_on_a_partitioned_parquet_folder_with_mapped_columns_and_a_filter(tmp_path: Path):
    folder = tmp_path / "dataset"
    for part, rows in enumerate([[("1", "npr.org", "Talks may resume.")], [("2", "cnn.com", "Talks may stall.")]]):
        table = pa.Table.from_pylist([{"id": i, "source": o, "headline": "Talks", "body": t} for i, o, t in rows])
        (folder).mkdir(exist_ok=True)
        pq.write_table(table, folder / f"part-{part}.parquet")
    result = run("kwic", "may", str(folder), "--column", "outlet=source", "--column", "title=headline",
                 "--column", "text=body", "--filter", "outlet=cnn.com")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("cnn.com  2  ")
    assert result.stdout.endswith("1 use of 'may' in 1 article of 1 outlet\n")
