"""Overlays: a user's spreadsheet files layered over the bundled lexicons, all the way into the report."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from framing import load_corpus, load_lexicons, score
from framing.cli import cli
from framing.lexicon import default_lexicon_dir
from framing.tokens import tokenize

from .conftest import write_corpus

ARTICLES = [
    {"id": "a1", "outlet": "Daily Planet", "title": "Storm",
     "text": "The climate emergency deepened. It was a good day for the resilient town."},
    {"id": "b1", "outlet": "Coast Herald", "title": "Walls",
     "text": "Sea walls held. Adaptation plans moved ahead. A good result."},
    {"id": "c1", "outlet": "Metro Wire", "title": "Quiet", "text": "A calm day. Nothing happened."},
]


def write_overlay(folder: Path, tone: bool = True) -> Path:
    """A new lexicon saved by European Excel (BOM, ';', CRLF, decimal comma) and a tone overlay saved as .xlsx."""
    folder.mkdir()
    (folder / "climate.csv").write_bytes(
        "\ufeffterm;category;weight;note\r\n"
        "climate emergency;alarm;1,5;\"alarm; a phrase\"\r\n"
        "sea walls;adaptation;1;\r\n"
        "adaptation;adaptation;1;\r\n".encode("utf-8"))
    if not tone:
        return folder
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["term", "category", "weight", "note"])
    sheet.append(["good", "remove", None, "too common in this corpus"])
    sheet.append(["resilient", "positive", 2.2, "added in a spreadsheet"])
    sheet.append(["calm", "positive", 0.5, "reweighted"])
    workbook.save(folder / "tone.xlsx")
    return folder


@pytest.fixture(scope="module")
def overlay(tmp_path_factory) -> Path:
    return write_overlay(tmp_path_factory.mktemp("overlay") / "mylex")


@pytest.fixture(scope="module")
def report(tmp_path_factory, overlay: Path) -> Path:
    tmp_path = tmp_path_factory.mktemp("report")
    corpus = write_corpus(tmp_path / "storms", ARTICLES)
    result = CliRunner().invoke(cli, ["report", str(corpus), "--lexicons", str(overlay), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    return tmp_path / "out" / "storms"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_bundled_lexicon_has_the_words_the_overlay_changes(tmp_path: Path):
    tone = {entry.term: entry for entry in load_lexicons()["tone"].entries}
    assert tone["good"].category == "positive" and tone["calm"].weight != 0.5 and "resilient" not in tone
    evidence = score(load_corpus(write_corpus(tmp_path / "storms", ARTICLES))).evidence
    assert "good" in set(evidence["term"]) and "resilient" not in set(evidence["term"])  # without the overlay


def test_overlay_adds_reweights_and_removes_in_the_evidence(report: Path):
    evidence = [(row["article_id"], row["lexicon"], row["category"], row["term"], float(row["weight"]))
                for row in _rows(report / "evidence.csv") if row["lexicon"] in ("climate", "tone")]
    assert ("a1", "climate", "alarm", "climate emergency", 1.5) in evidence
    assert ("b1", "climate", "adaptation", "sea walls", 1.0) in evidence
    assert ("b1", "climate", "adaptation", "adaptation", 1.0) in evidence
    assert ("a1", "tone", "positive", "resilient", 2.2) in evidence  # added in the .xlsx
    assert ("c1", "tone", "positive", "calm", 0.5) in evidence       # reweighted in the .xlsx
    assert not [row for row in evidence if row[3] == "good"]         # removed in the .xlsx


def test_new_lexicon_gets_its_score_columns(report: Path):
    scores = {row["article_id"]: row for row in _rows(report / "scores.csv")}
    tokens = len(tokenize("Storm\n\n" + ARTICLES[0]["text"]).words)
    assert float(scores["a1"]["climate_alarm_per_1k"]) == pytest.approx(1000 * 1.5 / tokens, abs=1e-6)
    assert float(scores["a1"]["climate_per_1k"]) == pytest.approx(1000 * 1.5 / tokens, abs=1e-6)
    assert float(scores["b1"]["climate_adaptation_per_1k"]) > 0 and float(scores["c1"]["climate_per_1k"]) == 0


def test_new_lexicon_shows_in_every_report_section(report: Path, overlay: Path):
    html = (report / "report.html").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<section id="([a-z]+)">(.*?)(?=<section id="[a-z]+">|\Z)', html, re.S))
    assert {"comparison", "articles", "evidence", "methods"} <= set(sections)
    assert "Climate: alarm" in sections["comparison"] and 'href="#ev-climate_alarm_per_1k-o' in sections["comparison"]
    assert "Climate: adaptation" in sections["comparison"]
    block = html.split('id="ev-climate_alarm_per_1k-o1"')[1].split("</section>")[0]  # Daily Planet is o1
    # "emergency" is also an evaluative word, so the highlight may be cut in two spans; the first names the phrase
    highlight = 'class="hl hl-climate hl-climate-alarm" title="climate: alarm (climate emergency, +1.5)"'
    assert highlight in block and highlight in sections["articles"]
    assert "climate: alarm" in sections["articles"] and "climate: adaptation" in sections["articles"]  # legend
    assert 'title="tone: positive (resilient, +2.2)"' in sections["articles"]  # the word added in the .xlsx
    assert "(good, " not in html  # the bundled word the .xlsx removed
    methods = sections["methods"]
    climate_hash = hashlib.sha256((overlay / "climate.csv").read_bytes()).hexdigest()
    overlay_hash = hashlib.sha256((overlay / "tone.xlsx").read_bytes()).hexdigest()
    bundled_hash = hashlib.sha256((default_lexicon_dir() / "tone.csv").read_bytes()).hexdigest()
    for digest in (climate_hash, overlay_hash, bundled_hash):
        assert digest in methods
    assert "climate.csv" in methods and "tone.xlsx" in methods


def test_markdown_report_has_the_new_lexicon(report: Path):
    markdown = (report / "report.md").read_text(encoding="utf-8")
    assert "| Climate: alarm |" in markdown and "(#ev-climate_alarm_per_1k-o1)" in markdown


def test_library_layers_the_overlay_over_the_defaults(overlay: Path):
    lexicons = load_lexicons([overlay], defaults=True)
    assert {"climate", "tone", "hedges"} <= set(lexicons.names)
    assert [Path(item.path).name for item in lexicons["tone"].files] == ["tone.csv", "tone.xlsx"]
    assert lexicons["climate"].categories == ["adaptation", "alarm"]
    assert load_lexicons([overlay / "climate.csv"]).names == ["climate"]  # no defaults: only what is named


def test_no_default_lexicons_uses_only_the_users_folder(tmp_path: Path):
    overlay = write_overlay(tmp_path / "mylex", tone=False)  # remove rows would need the bundled tone underneath
    corpus = write_corpus(tmp_path / "storms", ARTICLES)
    result = CliRunner().invoke(cli, ["report", str(corpus), "--lexicons", str(overlay), "--no-default-lexicons",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    header = (tmp_path / "out" / "storms" / "scores.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "climate_alarm_per_1k" in header and "hedges_per_1k" not in header


def test_no_default_lexicons_needs_a_folder():
    result = CliRunner().invoke(cli, ["report", "--no-default-lexicons"])
    assert result.exit_code == 2
    assert "--no-default-lexicons needs at least one --lexicons DIR" in result.output


def test_later_folders_win(tmp_path: Path):
    first, second = tmp_path / "one", tmp_path / "two"
    for folder, weight in ((first, 1), (second, 3)):
        folder.mkdir()
        (folder / "climate.csv").write_text(f"term,category,weight\nstorm,alarm,{weight}\n", encoding="utf-8")
    lexicons = load_lexicons([first, second])
    assert [(entry.term, entry.weight, Path(entry.path).parent.name) for entry in lexicons["climate"].entries] == \
        [("storm", 3.0, "two")]
