"""framing.corpus: every corpus format, narrowing to one story, boilerplate rules and their errors."""

from __future__ import annotations

import datetime
import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import framing.corpus
import framing.corpus_parquet
from framing import CorpusError, FramingError, load_corpus
from framing.corpus import SkippedFile, find_boilerplate
from framing.corpus_html import page_outlet
from framing.errors import FilterError

from .conftest import BUNDLED_CORPUS, SHARED, write_corpus, write_saved_page


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
    ('{"id": 1, "outlet": "x", "title": "t"}', "missing or empty field(s) text (found: id, outlet, title); map other column names"),
    ('{"id": 1, "outlet": "", "title": "t", "text": "b"}', "missing or empty field(s) outlet"),
    ("[1, 2]", "expected a JSON object"),
    ('{"id": 1, "outlet": "x", "title": "t", "text": "Ukraine \\ud83d says"}',
     "field 'text' holds a lone surrogate escape (\\ud83d at character 8), which is not valid Unicode"),
])
def test_bad_jsonl_line_is_located(tmp_path: Path, line: str, problem: str):
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"id": 1, "outlet": "x", "title": "t", "text": "b"})
    path.write_text(f"{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_corpus(path)
    assert str(caught.value).startswith(f"{path}:2: {problem}")


def test_escaped_surrogate_pairs_are_characters(tmp_path: Path):
    path = tmp_path / "emoji.jsonl"
    path.write_text('{"id": 1, "outlet": "x", "title": "t", "text": "Peace \\ud83d\\ude00 talks"}\n', encoding="utf-8")
    assert load_corpus(path).articles[0].text.endswith("Peace \U0001f600 talks")


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
    assert str(caught.value) == (f"{path}:2: missing or empty field(s) text (found: id, outlet, title, body); "
                                 "map other column names with columns={'text': 'body', ...}")


# --- Parquet files and partitioned folders -------------------------------------------------------

def write_parquet(path: Path, rows: list[dict]) -> Path:
    """Write rows as a Parquet file (columns in the first row's order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def test_parquet_file_with_renamed_columns_is_read_across_batches(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(framing.corpus_parquet, "BATCH_ROWS", 2)
    rows = [{"story_id": number, "source": f"outlet{number % 2}.com", "headline": f"Headline {number}",
             "published": datetime.date(2020, 1, number), "body": f"Body {number}.", "section": "elections",
             "link": f"https://outlet{number % 2}.com/{number}"} for number in range(1, 6)]
    path = write_parquet(tmp_path / "export.parquet", rows)
    columns = {"id": "story_id", "outlet": "source", "title": "headline", "date": "published", "text": "body",
               "topic": "section", "url": "link"}
    corpus = load_corpus(path, columns=columns)
    assert corpus.name == "export"
    assert [(a.id, a.outlet, a.date, a.topic, a.url, a.text) for a in corpus.articles][:2] == [
        ("1", "outlet1.com", "2020-01-01", "elections", "https://outlet1.com/1", "Headline 1\n\nBody 1."),
        ("2", "outlet0.com", "2020-01-02", "elections", "https://outlet0.com/2", "Headline 2\n\nBody 2.")]
    assert [a.id for a in corpus.articles] == ["1", "2", "3", "4", "5"]


def test_parquet_folder_is_read_in_sorted_file_order(tmp_path: Path):
    folder = tmp_path / "dataset"
    for name, ids in (("part-1.parquet", ["c", "d"]), ("part-0.parquet", ["a", "b"])):  # written out of order
        write_parquet(folder / name, [{"id": i, "outlet": "npr.org", "title": i.upper(), "text": "Body."} for i in ids])
    (folder / "_SUCCESS").write_text("", encoding="utf-8")  # what Spark leaves beside the files
    corpus = load_corpus(folder)
    assert corpus.name == "dataset"
    assert [a.id for a in corpus.articles] == ["a", "b", "c", "d"]


def test_hive_partitioned_parquet_folder_gives_rows_their_folder_values(tmp_path: Path):
    folder = tmp_path / "dataset"
    for topic, ids in (("federal_budget", ["b1"]), ("elections", ["e1", "e2"])):
        write_parquet(folder / f"topic={topic}" / "part-0.parquet",
                      [{"id": i, "outlet": "npr.org", "title": "T", "text": "Body."} for i in ids])
    corpus = load_corpus(folder)
    assert [(a.id, a.topic) for a in corpus.articles] == [
        ("e1", "elections"), ("e2", "elections"), ("b1", "federal_budget")]
    assert [a.id for a in load_corpus(folder, topic="Federal Budget").articles] == ["b1"]


def test_empty_text_in_a_parquet_row_is_located_by_row_number(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(framing.corpus_parquet, "BATCH_ROWS", 2)
    rows = [{"id": n, "outlet": "npr.org", "title": "T", "text": "" if n == 3 else "Body."} for n in range(1, 5)]
    path = write_parquet(tmp_path / "news.parquet", rows)
    with pytest.raises(CorpusError) as caught:
        load_corpus(path)
    assert str(caught.value).startswith(f"{path}:3: missing or empty field(s) text; map other column names")


@pytest.mark.parametrize("content", [b"", b"PAR1 this is not parquet at all", b"id,outlet\n1,npr.org\n"])
def test_unreadable_parquet_file_says_so_in_one_line(tmp_path: Path, content: bytes):
    path = tmp_path / "broken.parquet"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as caught:
        load_corpus(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not a readable Parquet file (")
    assert "write it again with pyarrow or pandas" in message and "\n" not in message


# --- The same missing text column, in every format ------------------------------------------------

BODY_ONLY_ROW = {"id": "1", "outlet": "npr.org", "title": "Rain", "body": "It rained."}


def _jsonl_gz(folder: Path) -> tuple[Path, Path, int]:
    path = folder / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps(BODY_ONLY_ROW) + "\n")
    return path, path, 1


def _csv(folder: Path) -> tuple[Path, Path, int]:
    path = folder / "news.csv"
    path.write_text(",".join(BODY_ONLY_ROW) + "\n" + ",".join(BODY_ONLY_ROW.values()) + "\n", encoding="utf-8")
    return path, path, 2


def _parquet(folder: Path) -> tuple[Path, Path, int]:
    path = write_parquet(folder / "news.parquet", [BODY_ONLY_ROW])
    return path, path, 1


def _parquet_folder(folder: Path) -> tuple[Path, Path, int]:
    path = write_parquet(folder / "dataset" / "part-0.parquet", [BODY_ONLY_ROW])
    return folder / "dataset", path, 1


@pytest.mark.parametrize("write", [_jsonl_gz, _csv, _parquet, _parquet_folder])
def test_missing_text_column_names_file_line_and_columns_found(tmp_path: Path, write):
    corpus_path, bad_file, line = write(tmp_path)
    with pytest.raises(CorpusError) as caught:
        load_corpus(corpus_path)
    assert str(caught.value) == (f"{bad_file}:{line}: missing or empty field(s) text (found: id, outlet, title, body); "
                                 "map other column names with columns={'text': 'body', ...}")
    assert [a.text for a in load_corpus(corpus_path, columns={"text": "body"}).articles] == ["Rain\n\nIt rained."]


# --- Saved web pages -------------------------------------------------------------------------------

PARAGRAPHS = [
    "The two leaders spoke for about ninety minutes on Tuesday and agreed that negotiators may meet again next week.",
    "Officials said the call was constructive, although several analysts cautioned that a lasting deal remains far off.",
    "\u201cWe will keep talking,\u201d one spokesperson told reporters after the call ended.",
]


def test_saved_pages_give_articles_with_page_metadata(tmp_path: Path):
    folder = tmp_path / "saved"
    write_saved_page(folder, "a.html", "Leaders agree to talks", PARAGRAPHS, site_name="Example News",
                     canonical="https://www.example-news.com/world/leaders-agree", published="2025-03-18")
    write_saved_page(folder, "b.htm", "Storm hits the coast", PARAGRAPHS, site_name="Daily Bugle")
    write_saved_page(folder, "c.html", "Markets rally on hopes", PARAGRAPHS)
    corpus = load_corpus(folder)
    assert corpus.name == "saved" and corpus.skipped == ()
    assert [(a.id, a.outlet, a.title, a.date, a.url, a.file) for a in corpus.articles] == [
        ("a", "example-news.com", "Leaders agree to talks", "2025-03-18", "https://www.example-news.com/world/leaders-agree", "a.html"),
        ("b", "Daily Bugle", "Storm hits the coast", "", "", "b.htm"),  # no canonical URL: the site name
        ("c", "saved", "Markets rally on hopes", "", "", "c.html"),  # neither; no date taken from the copyright line
    ]
    first = corpus.articles[0]
    assert first.text == "Leaders agree to talks\n\n" + "\n".join(PARAGRAPHS)  # the <h1> is not repeated
    assert "Home" not in first.text and "Copyright" not in first.text


@pytest.mark.parametrize("url, site_name, expected", [
    ("https://www.foxnews.com/politics/story", "Fox News", "foxnews.com"),
    ("HTTPS://WWW.NPR.ORG/2020/01/01/story", "", "npr.org"),
    ("https://edition.cnn.com/2020/story", "CNN", "edition.cnn.com"),
    ("", "The Daily Bugle", "The Daily Bugle"),
    ("", "", "saved-pages"),
])
def test_page_outlet_is_canonical_host_then_site_name_then_folder(url: str, site_name: str, expected: str):
    assert page_outlet(url, site_name, "saved-pages") == expected


def test_page_without_article_text_is_skipped_and_reported(tmp_path: Path):
    folder = tmp_path / "saved"
    write_saved_page(folder, "good.html", "Leaders agree to talks", PARAGRAPHS)
    empty = write_saved_page(folder, "missing.html", "Page not found", ["Sorry, we could not find that page."])
    corpus = load_corpus(folder)
    assert [a.id for a in corpus.articles] == ["good"]
    assert len(corpus.skipped) == 1 and isinstance(corpus.skipped[0], SkippedFile)
    assert corpus.skipped[0].path == str(empty)
    assert corpus.skipped[0].reason.startswith("skipped: only ")
    assert "(at least 20 words needed)" in str(corpus.skipped[0])


def test_folder_of_pages_with_no_article_text_is_an_error(tmp_path: Path):
    folder = tmp_path / "saved"
    write_saved_page(folder, "a.html", "Page not found", ["Sorry."])
    (folder / "b.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"saved: no article text found in any of its 2 page\(s\); first: .*a\.html"):
        load_corpus(folder)


# --- Optional metadata and narrowing ---------------------------------------------------------------

NEWS = [
    {"id": 1, "outlet": "npr.org", "title": "Senate passes budget", "date": "2020-01-15", "topic": "federal_budget",
     "url": "https://www.npr.org/2020/01/15/budget", "text": "Lawmakers passed the budget."},
    {"id": 2, "outlet": "cnn.com", "title": "Ceasefire talks resume", "date": "2020-03-02", "topic": "Middle East",
     "url": "https://cnn.com/2020/03/02/talks", "text": "Diplomats met again."},
    {"id": 3, "outlet": "foxnews.com", "title": "Budget fight looms", "date": "2019-12-30", "topic": "federal_budget",
     "text": "A ceasefire in Congress seems unlikely."},
    {"id": 4, "outlet": "npr.org", "title": "Election night", "date": "2020-03", "topic": "elections", "text": "Votes were counted."},
    {"id": 5, "outlet": "vox.com", "title": "Primary results", "date": "3/3/20", "topic": "elections", "text": "Turnout rose."},
    {"id": 6, "outlet": "cnn.com", "title": "Weather update", "text": "Rain."},
]


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """Six articles with topics, URLs and dates in several shapes, as gzipped JSON Lines."""
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.writelines(json.dumps(record) + "\n" for record in NEWS)
    return path


def test_topic_and_url_are_kept_on_articles(news: Path):
    corpus = load_corpus(news)
    assert [(a.topic, a.url) for a in corpus.articles[:3]] == [
        ("federal_budget", "https://www.npr.org/2020/01/15/budget"), ("Middle East", "https://cnn.com/2020/03/02/talks"),
        ("federal_budget", "")]
    assert corpus.articles[0].source_note == "https://www.npr.org/2020/01/15/budget"
    assert corpus.narrowed == "" and corpus.name == "news"


@pytest.mark.parametrize("topic, filters, ids", [
    ("federal_budget", (), ["1", "3"]),
    ("Federal Budget", (), ["1", "3"]),  # case, spaces and underscores alike
    ("middle-east", (), ["2"]),
    (None, ("outlet=NPR.org, vox.com",), ["1", "4", "5"]),
    (None, ("id=2,3",), ["2", "3"]),
    (None, ("title~CEASEFIRE",), ["2"]),
    (None, ("text~ceasefire",), ["2", "3"]),  # text~ searches the headline too
    (None, ("url~/2020/",), ["1", "2"]),
    (None, ("date>=2020-01-01",), ["1", "2", "4"]),  # 3/3/20 and no date are left out
    (None, ("date>=2020-03-15",), ["4"]),  # 2020-03 is compared at month precision
    (None, ("date>=2020-01-01", "date<=2020-02-29"), ["1"]),
    ("elections", ("outlet=npr.org",), ["4"]),
])
def test_topic_and_filters_narrow_the_corpus(news: Path, topic, filters, ids):
    corpus = load_corpus(news, topic=topic, filters=filters)
    assert [a.id for a in corpus.articles] == ids
    assert corpus.narrowed.startswith(f"{len(ids)} of 6 articles kept: ")


def test_narrowed_corpus_is_named_for_its_selection(news: Path):
    corpus = load_corpus(news, topic="federal_budget", filters=["date>=2020-01-01"])
    assert corpus.name == "news-federal-budget-date-from-2020-01-01"
    assert corpus.narrowed == "1 of 6 articles kept: topic federal_budget, date>=2020-01-01"


def test_narrowing_happens_while_streaming(news: Path, monkeypatch):
    built = []
    real = framing.corpus.find_boilerplate
    monkeypatch.setattr(framing.corpus, "find_boilerplate", lambda text: built.append(text) or real(text))
    load_corpus(news, topic="elections")
    assert len(built) == 2  # only the kept articles are built


@pytest.mark.parametrize("topic, filters, expected", [
    ("electons", (), "no article has topic 'electons' (6 read); did you mean 'elections'? choose one of the most "
                     "common topics: federal_budget (2), elections (2), Middle East (1)"),
    ("sports", (), "no article has topic 'sports' (6 read); choose one of the most common topics: "),
    ("elections", ("title~zzz",), "no article left after narrowing to topic elections and title~zzz "
                                  "(6 read; topic elections alone keeps 2, title~zzz alone keeps 0)"),
    (None, ("outlet=bbc.co.uk", "date>=2020-01-01"), "no article left after narrowing to outlet=bbc.co.uk and "
     "date>=2020-01-01 (6 read; outlet=bbc.co.uk alone keeps 0, date>=2020-01-01 alone keeps 3)"),
])
def test_nothing_left_is_a_one_line_error_that_helps_choose(news: Path, topic, filters, expected):
    with pytest.raises(CorpusError) as caught:
        load_corpus(news, topic=topic, filters=filters)
    message = str(caught.value)
    assert message.startswith(f"{news}: {expected}")
    assert "\n" not in message


def test_topic_on_a_corpus_without_topics_says_how_to_map_one(tmp_path: Path):
    path = tmp_path / "export.csv"
    path.write_text("id,outlet,title,text,section\n1,npr.org,Rain,It rained.,weather\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"this corpus has no topics .*columns=\{'topic': 'NAME'\}"):
        load_corpus(path, topic="weather")
    assert len(load_corpus(path, {"topic": "section"}, topic="weather").articles) == 1


@pytest.mark.parametrize("expression, problem", [
    ("outlet", "'outlet': not a filter"),
    ("author=Smith", "'author=Smith': unknown field 'author'"),
    ("title>=2020-01-01", "only date takes >="),
    ("outlet=", "no value after '='"),
    ("outlet= , ", "no value after '='"),
    ("text~", "no value after '~'"),
    ("date>=2020", "'2020' is not a day"),
    ("date<=2020-02-30", "'2020-02-30' is not a day"),
])
def test_malformed_filter_lists_forms_and_fields(news: Path, expression: str, problem: str):
    with pytest.raises(FilterError) as caught:
        load_corpus(news, filters=[expression])
    message = str(caught.value)
    assert problem in message
    assert "FIELD=VALUE[,VALUE...]" in message and "date<=YYYY-MM-DD" in message
    assert message.endswith("FIELD one of id, outlet, title, date, topic, url, text")
    assert isinstance(caught.value, FramingError)


@pytest.mark.skipif(not (SHARED / "corpora" / "allsides-11-outlets.jsonl.gz").is_file(),
                    reason="the AllSides corpus is not in ../shared/corpora/ (see ../shared/corpora/README.md)")
def test_allsides_corpus_narrows_to_one_topic():
    corpus = load_corpus(SHARED / "corpora" / "allsides-11-outlets.jsonl.gz", topic="elections")
    assert len(corpus.articles) == 680
    assert {a.topic for a in corpus.articles} == {"elections"}
    assert all(a.url.startswith("http") for a in corpus.articles)
