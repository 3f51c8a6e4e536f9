"""framing.corpus: manifests, JSON Lines, boilerplate rules and their errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from framing import CorpusError, load_corpus
from framing.corpus import find_boilerplate

from .conftest import BUNDLED_CORPUS, write_corpus


def test_bundled_corpus_has_three_honestly_labelled_articles():
    corpus = load_corpus(BUNDLED_CORPUS)
    assert corpus.name == "ceasefire-call-2025-03"
    assert [article.outlet for article in corpus.articles] == [
        "USA Today (summary)", "Unattributed blog", "Unattributed report"]
    for article in corpus.articles:
        assert article.text == (BUNDLED_CORPUS / article.file).read_text(encoding="utf-8")
        assert article.text.startswith(article.title)


def test_bundled_boilerplate_is_excluded_and_named():
    corpus = load_corpus(BUNDLED_CORPUS)
    excluded = {article.outlet: [(article.text[e.start:e.end], e.reason) for e in article.excluded]
                for article in corpus.articles}
    assert excluded["USA Today (summary)"] == [("Original Source: www.usatoday.com", "boilerplate line")]
    assert excluded["Unattributed blog"] == [
        ("Vladimir Putin and Donald Trump", "repeated caption"),
        ("Vladimir Putin and Donald Trump", "repeated caption"),
        ("LEAVE A REPLY", "boilerplate line"),
        ("Please enter your comment!", "boilerplate line"),
        ("Please enter your name here", "boilerplate line"),
    ]
    assert excluded["Unattributed report"] == []


def test_regions_are_the_complement_of_exclusions():
    text = "Headline\n\nCaption line\nBody sentence one.\nCaption line\nOriginal Source: www.example.com"
    exclusions = find_boilerplate(text)
    assert [text[e.start:e.end] for e in exclusions] == ["Caption line", "Caption line", "Original Source: www.example.com"]
    corpus_text = "".join(text[a:b] for a, b in load_article_regions(text))
    assert "Caption" not in corpus_text and "Body sentence one." in corpus_text


def load_article_regions(text: str):
    from framing.corpus import make_article
    return make_article(id="x", outlet="o", title="t", text=text).regions


def test_repeated_full_sentences_are_kept():
    text = "Title\n\nThe talks resumed.\nThe talks resumed."
    assert find_boilerplate(text) == ()


@pytest.mark.parametrize("manifest, line, problem", [
    ("id,outlet,title,date,file\na,A,T,2025,a.txt\n", 1, "missing column(s) source_note"),
    ("id,outlet,title,date,source_note,file\na,A,T,2025,,a.txt\na,B,T,2025,,a.txt\n", 3, "duplicate id 'a' (first on line 2)"),
    ("id,outlet,title,date,source_note,file\na,A,T,2025,,missing.txt\n", 2, "article file 'missing.txt' not found"),
    ("id,outlet,title,date,source_note,file\na,,T,2025,,a.txt\n", 2, "empty 'outlet'"),
    ("id,outlet,title,date,source_note,file\na,A,T,2025,,a.txt,extra\n", 2, "expected 6 fields"),
    ("id,outlet,title,date,source_note,file\n", 1, "no articles listed"),
])
def test_broken_manifest_names_file_and_line(tmp_path: Path, manifest: str, line: int, problem: str):
    (tmp_path / "a.txt").write_text("Title\n\nBody.", encoding="utf-8")
    (tmp_path / "articles.csv").write_text(manifest, encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'articles.csv'}:{line}: ")
    assert problem in message
    assert "\n" not in message


def test_article_that_is_not_utf8_is_located(tmp_path: Path):
    write_corpus(tmp_path, [{"id": "a", "outlet": "A", "title": "T", "text": "fine"}])
    (tmp_path / "a.txt").write_bytes(b"Title\n\nline two\ncaf\xe9\n")
    with pytest.raises(CorpusError, match=r"a\.txt:4: not valid UTF-8"):
        load_corpus(tmp_path)


def test_missing_path_and_wrong_kind_of_file(tmp_path: Path):
    with pytest.raises(CorpusError, match="no such file or folder"):
        load_corpus(tmp_path / "nowhere")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a corpus"):
        load_corpus(tmp_path / "notes.txt")
    with pytest.raises(CorpusError, match="no articles.csv manifest"):
        load_corpus(tmp_path)


def test_gzipped_jsonl_is_streamed_with_headline_first(tmp_path: Path):
    path = tmp_path / "news.jsonl.gz"
    records = [
        {"id": 1, "outlet": "npr.org", "title": "Rain falls", "date": "2020-01-01", "text": "It rained."},
        {"id": 2, "outlet": "cnn.com", "title": "Sun shines", "date": "2020-01-02", "text": "It was sunny."},
    ]
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record) + "\n")
    corpus = load_corpus(path)
    assert corpus.name == "news"
    assert [(a.id, a.outlet, a.text) for a in corpus.articles] == [
        ("1", "npr.org", "Rain falls\n\nIt rained."), ("2", "cnn.com", "Sun shines\n\nIt was sunny.")]


@pytest.mark.parametrize("line, problem", [
    ("{not json", "invalid JSON"),
    ('{"id": 1, "outlet": "x", "title": "t"}', "missing or empty field(s) text; map other column names"),
    ('{"id": 1, "outlet": "", "title": "t", "text": "b"}', "missing or empty field(s) outlet"),
    ("[1, 2]", "expected a JSON object"),
])
def test_bad_jsonl_line_is_located(tmp_path: Path, line: str, problem: str):
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"id": 1, "outlet": "x", "title": "t", "text": "b"})
    path.write_text(f"{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_corpus(path)
    assert str(caught.value).startswith(f"{path}:2: {problem}")


def test_csv_with_renamed_columns_gzipped(tmp_path: Path):
    path = tmp_path / "export.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as stream:
        stream.write('story_id,source,headline,published,body\n'
                     '7,npr.org,Rain falls,2020-01-01,"It rained, a lot."\n'
                     '8,cnn.com,,2020-01-02,It was sunny.\n')
    columns = {"id": "story_id", "outlet": "source", "title": "headline", "date": "published", "text": "body"}
    corpus = load_corpus(path, columns=columns)
    assert corpus.name == "export"
    assert [(a.id, a.outlet, a.date, a.text) for a in corpus.articles] == [
        ("7", "npr.org", "2020-01-01", "Rain falls\n\nIt rained, a lot."), ("8", "cnn.com", "2020-01-02", "\n\nIt was sunny.")]


def test_csv_missing_its_text_column_says_so(tmp_path: Path):
    path = tmp_path / "export.csv"
    path.write_text("id,outlet,title,body\n1,npr.org,Rain,It rained.\n", encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_corpus(path)
    assert str(caught.value) == (f"{path}:2: missing or empty field(s) text; "
                                 "map other column names with columns={'text': 'body', ...}")
