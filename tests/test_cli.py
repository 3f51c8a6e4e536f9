"""The framing command, through click's CliRunner."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from framing.cli import cli

from .conftest import BUNDLED_CORPUS, write_corpus

REPORT_FILES = {"report.html", "report.md", "scores.csv", "evidence.csv", "outlets.csv", "robustness.csv",
                "quotes.csv", "claims.csv", "coverage.csv",
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
