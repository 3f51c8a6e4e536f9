"""Scoring engines: the same tables from one process, a process pool and a Dask cluster.

Local-engine tests come first and the Dask ones last: the module's Dask cluster starts at the
first Dask test, so the process pools above it fork a process with no cluster threads in it.
"""

from __future__ import annotations

import json
import pickle
import random
import re
import socket
import sys
import threading
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from framing import load_corpus, load_lexicons, score
from framing.cli import cli
from framing.corpus import Corpus, iter_jsonl, make_article
from framing.engine import (
    LARGE_CORPUS, LOCAL_CLUSTER_CONFIG, DaskNotInstalledError, EngineError, SchedulerError, UnknownEngineError, _Pickled, _Spilled,
    _spill, _unpickle_once, _unspill,
    cpu_cores, dask_client, default_workers, run_tasks, score_tables,
)
from framing.errors import CorpusError, FramingError
from framing.score import score_articles
from framing.score_files import OutputError, score_parquet_parts
from framing.tables import chunk_bounds, id_order

score_module = sys.modules["framing.score"]  # the module (framing.score is also the name of its function)
engine_module = sys.modules["framing.engine"]

from .conftest import BUNDLED_CORPUS, SHARED

ALLSIDES = SHARED / "corpora" / "allsides-11-outlets.jsonl.gz"
TABLES = ("scores", "evidence", "sentences")
OUTLETS = ("Daily Ledger", "Evening Post", "Morning Wire", "Weekly Review")
QUIET = range(24, 40)  # synthetic articles with no lexicon match: whole chunks with no evidence rows


@pytest.fixture(scope="module")
def lexicons():
    return load_lexicons()


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The bundled articles, then 57 shuffled mixes of their sentences; ids sort against corpus order."""
    bundled = load_corpus(BUNDLED_CORPUS)
    sentences = [sentence for article in bundled.articles
                 for sentence in re.split(r"(?<=[.!?])\s+", article.text.split("\n", 1)[1]) if len(sentence) > 20]
    rng = random.Random(7)
    articles = list(bundled.articles)
    for number in range(57):
        if number in QUIET:
            title, body = f"Lorem {number}", "Lorem ipsum dolor sit amet. Consectetur adipiscing elit."
        else:
            title, body = f"Item {number}", " ".join(rng.sample(sentences, k=rng.randint(2, 9)))
        articles.append(make_article(id=f"syn-{99 - number:03d}", outlet=OUTLETS[number % len(OUTLETS)],
                                     title=title, text=f"{title}\n\n{body}", date="2025-03-19"))
    return Corpus(name="mixed", path="", articles=tuple(articles))


@pytest.fixture(scope="module")
def expected(corpus, lexicons):
    """The corpus scored in this process, the reference every engine must reproduce."""
    return score(corpus, lexicons)


def assert_same_tables(scored, reference) -> None:
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(scored, table), getattr(reference, table), obj=table)


def records(corpus: Corpus) -> list[dict]:
    """The corpus as JSONL/Parquet rows (the loader puts the title line back in front of the text)."""
    return [{"id": article.id, "outlet": article.outlet, "title": article.title, "date": article.date,
             "text": article.text.split("\n\n", 1)[1]} for article in corpus.articles]


def write_jsonl(corpus: Corpus, path: Path) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in records(corpus)), encoding="utf-8")
    return path


def write_parts(corpus: Corpus, folder: Path) -> Path:
    """Four Parquet parts of 15 rows; the last rows in a Hive folder that gives them their outlet (read first)."""
    rows = records(corpus)
    folder.mkdir()
    for index, start in enumerate((0, 15, 30)):
        pd.DataFrame(rows[start:start + 15]).to_parquet(folder / f"part-{index}.parquet", index=False)
    hive = folder / "outlet=Weekly Review"
    hive.mkdir()
    pd.DataFrame(rows[45:]).drop(columns="outlet").to_parquet(hive / "part-9.parquet", index=False)
    return folder


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# --- the lexicons travel to workers by pickle ---------------------------------------------------------------

def test_lexicon_set_pickles_small_and_matches_the_same(lexicons, corpus):
    used = load_lexicons()
    score_articles(corpus.articles[:5], used)  # fills the per-word cache, which travels too
    for original in (lexicons, used):
        data = pickle.dumps(original)
        assert len(data) < 20_000_000, f"the LexiconSet pickle grew to {len(data):,} bytes; workers get it once each"
        copy = pickle.loads(data)
        assert copy.names == original.names
        for table_original, table_copy in zip(score_articles(corpus.articles[:8], original),
                                              score_articles(corpus.articles[:8], copy)):
            pd.testing.assert_frame_equal(table_copy, table_original)


def test_dask_tasks_get_the_lexicons_as_bytes_unpickled_once_per_thread():
    # A LexiconSet fills caches as it matches: Dask may copy a shared object between workers while a
    # task uses it (a half-updated cache then loses matches), and threads must not share one.
    pickled = _Pickled("run-1", pickle.dumps({"cache": [1, 2]}))
    first = _unpickle_once(pickled)
    assert _unpickle_once(pickled) is first
    in_thread: list = []
    thread = threading.Thread(target=lambda: in_thread.append(_unpickle_once(pickled)))
    thread.start()
    thread.join()
    assert in_thread[0] == first and in_thread[0] is not first
    assert _unpickle_once(_Pickled("run-2", pickled.data)) is not first


# --- local engine -----------------------------------------------------------------------------------------

def test_the_synthetic_corpus_has_whole_chunks_without_evidence(corpus, expected):
    assert len(corpus.articles) == 60 and len(expected.evidence) > 500
    ids = [corpus.articles[index].id for index in id_order(corpus.articles)]  # chunks follow the id order
    chunks = [ids[start:end] for start, end in chunk_bounds(ids, [1] * len(ids), 7)]
    silent = [chunk for chunk in chunks if not set(chunk) & set(expected.evidence["article_id"])]
    assert silent, "the test needs a chunk whose articles have no evidence (empty tables must not change dtypes)"


def test_two_local_workers_give_the_same_tables_as_one(corpus, lexicons, expected):
    calls: list[int] = []
    assert_same_tables(score(corpus, lexicons, calls.append, workers=2), expected)
    assert sum(calls) == len(corpus.articles) and len(calls) > 1  # several chunks, from the pool


@pytest.mark.parametrize("chunk_size", [1, 7, 25, 1000])
def test_chunk_size_does_not_change_the_tables(corpus, lexicons, expected, chunk_size):
    scores, evidence, sentences = score_tables(corpus.articles, lexicons, workers=2, chunk_size=chunk_size)
    pd.testing.assert_frame_equal(scores, expected.scores)
    pd.testing.assert_frame_equal(evidence, expected.evidence)
    pd.testing.assert_frame_equal(sentences, expected.sentences)


def test_progress_counts_every_article_once_per_finished_chunk(corpus, lexicons, monkeypatch):
    calls: list[int] = []
    score_tables(corpus.articles, lexicons, calls.append, workers=2, chunk_size=25)
    assert sorted(calls) == [10, 25, 25]
    calls.clear()
    score(corpus, lexicons, calls.append)  # one process: a call per batch of text
    assert sum(calls) == len(corpus.articles) and len(calls) < len(corpus.articles)
    calls.clear()
    monkeypatch.setattr(score_module, "BATCH_CHARACTERS", 1)  # a batch per article
    score(corpus, lexicons, calls.append)
    assert calls == [1] * len(corpus.articles)


def test_tasks_come_back_in_input_order(lexicons, corpus):
    chunks = [corpus.articles[start:start + 6] for start in range(0, len(corpus.articles), 6)]
    finished: list[int] = []
    results = run_tasks(score_articles, chunks, lexicons, workers=2, on_done=lambda index, _: finished.append(index))
    assert sorted(finished) == list(range(len(chunks)))
    assert [tuple(result[0]["article_id"]) for result in results] == [
        tuple(article.id for article in chunk) for chunk in chunks]


def big_result(size: int, _shared=None) -> pd.DataFrame:
    """A task result with text and number columns of ``size`` rows."""
    return pd.DataFrame({"word": [f"w{index % 97}" for index in range(size)], "number": range(size),
                         "value": [index / 7 for index in range(size)]})


def test_a_large_result_travels_through_a_file_and_comes_back_equal(tmp_path):
    result = big_result(100_000)
    spilled = _spill(result, str(tmp_path))
    assert isinstance(spilled, _Spilled) and Path(spilled.path).parent == tmp_path
    back = _unspill(spilled)
    assert not list(tmp_path.iterdir())  # the file is gone; its mapping holds the data
    pd.testing.assert_frame_equal(back, result)
    back.loc[0, "number"] = -1  # the arrays are writable (a private mapping)
    assert result.loc[0, "number"] == 0


@pytest.mark.parametrize("case", ["small", "no folder", "cannot write"])
def test_a_result_comes_back_through_the_pipe_when_a_file_would_not_do(tmp_path, case):
    result = big_result(10 if case == "small" else 100_000)
    folder = {"small": str(tmp_path), "no folder": None, "cannot write": str(tmp_path / "missing")}[case]
    assert _spill(result, folder) is result
    assert not list(tmp_path.iterdir())


def test_pool_results_from_files_leave_no_file_behind(tmp_path, monkeypatch):
    folder = tmp_path / "spill"
    monkeypatch.setattr(engine_module, "_spill_folder", lambda: str(folder.mkdir() or folder))
    read: list[str] = []
    monkeypatch.setattr(engine_module, "_unspill", lambda spilled: read.append(spilled.path) or _unspill(spilled))
    results = run_tasks(big_result, [200_000, 10, 150_000], None, workers=2)
    for size, result in zip([200_000, 10, 150_000], results):
        pd.testing.assert_frame_equal(result, big_result(size))
    assert len(read) == 2 and all(Path(path).parent == folder for path in read)  # the small one came by the pipe
    assert not folder.exists()


def test_default_chunks_share_out_the_text_a_few_per_worker():
    ordered = [make_article(id=f"a{index:03d}", outlet="O", title="t", text="word " * (500 + 3000 * (index % 2)))
               for index in range(400)]
    ranges = engine_module.chunk_ranges(ordered, workers=2)
    assert len(ranges) == 2 * engine_module.CHUNKS_PER_WORKER
    assert ranges[0][0] == 0 and ranges[-1][1] == 400 and all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    shares = [sum(len(article.text) for article in ordered[start:end]) for start, end in ranges]
    assert max(shares) - min(shares) <= 2 * len(ordered[1].text)  # within two of the longest articles
    tiny = [make_article(id=f"t{index}", outlet="O", title="t", text="A short one.") for index in range(30)]
    assert engine_module.chunk_ranges(tiny, workers=2) == [(0, 30)]  # under MIN_CHUNK_CHARACTERS: one chunk
    assert engine_module.chunk_ranges(ordered, workers=2, chunk_size=150) == [(0, 150), (150, 300), (300, 400)]


def test_default_workers_use_every_core_only_for_a_large_corpus():
    assert default_workers(3) == 1
    assert default_workers(LARGE_CORPUS) == 1
    assert default_workers(LARGE_CORPUS + 1) == cpu_cores()


# --- errors -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("options, error, words", [
    ({"engine": "spark"}, UnknownEngineError, ["unknown engine 'spark'", "local, dask"]),
    ({"workers": 0}, EngineError, ["workers must be", "1 or more"]),
    ({"scheduler": "tcp://127.0.0.1:8786"}, SchedulerError, ["needs engine 'dask'"]),
    ({"engine": "dask", "scheduler": "http://:x y"}, SchedulerError, ["not a Dask scheduler address", "tcp://"]),
])
def test_bad_engine_options_are_one_line_errors_that_say_the_fix(corpus, lexicons, options, error, words):
    with pytest.raises(error) as raised:
        score(corpus, lexicons, **options)
    message = str(raised.value)
    assert isinstance(raised.value, FramingError) and "\n" not in message
    for word in words:
        assert word in message


def test_dask_engine_without_dask_names_the_extra(corpus, lexicons, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    with pytest.raises(DaskNotInstalledError, match=r"pip install 'framing-lens\[dask\]'"):
        score(corpus, lexicons, engine="dask")


def test_unreachable_scheduler_is_a_scheduler_error(corpus, lexicons, monkeypatch):
    pytest.importorskip("distributed", reason="the dask extra is not installed: pip install -e '.[test]'")
    monkeypatch.setattr("framing.engine.SCHEDULER_TIMEOUT", 1.0)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(SchedulerError) as raised:
        score(corpus, lexicons, engine="dask", scheduler=address)
    assert f"cannot reach the Dask scheduler at {address}" in str(raised.value)
    assert "dask scheduler" in str(raised.value) and "\n" not in str(raised.value)


def test_a_bad_row_in_a_worker_comes_back_as_the_corpus_error(corpus, lexicons, tmp_path):
    parts = write_parts(corpus, tmp_path / "parts")
    broken = pd.read_parquet(parts / "part-1.parquet")
    broken.loc[3, "outlet"] = ""
    broken.to_parquet(parts / "part-1.parquet", index=False)
    with pytest.raises(CorpusError) as raised:
        score_parquet_parts(parts, tmp_path / "out", lexicons, workers=2)
    assert str(raised.value).startswith(f"{parts / 'part-1.parquet'}:4: missing or empty field(s) outlet")


# --- the command line -------------------------------------------------------------------------------------

def test_help_states_the_default_workers_rule():
    for command in ("report", "score"):
        result = run(command, "--help")
        assert f"more than {LARGE_CORPUS} articles" in " ".join(result.output.split())
        assert "--engine [local|dask]" in result.output and "--scheduler ADDRESS" in result.output


@pytest.mark.parametrize("options, passed", [
    ([], {"workers": 1, "engine": "local", "scheduler": None}),  # 3 articles: one process
    (["--workers", "2"], {"workers": 2, "engine": "local", "scheduler": None}),
    (["--engine", "dask", "--scheduler", "tcp://10.0.0.5:8786"],
     {"workers": 1, "engine": "dask", "scheduler": "tcp://10.0.0.5:8786"}),
])
def test_report_passes_the_engine_options_to_the_library(tmp_path, monkeypatch, options, passed):
    seen = {}

    def recording_score(corpus, lexicons, progress=None, **options):
        seen.update(options)
        return score(corpus, lexicons, progress)

    monkeypatch.setattr("framing.cli.score", recording_score)
    monkeypatch.setattr("framing.cli.render_report", lambda scored, folder, **options: Path(folder) / "report.html")
    result = run("report", str(BUNDLED_CORPUS), "--out", str(tmp_path), *options)
    assert result.exit_code == 0, result.output
    assert seen == passed
    assert result.stdout.startswith(f"Wrote {tmp_path / 'ceasefire-call-2025-03' / 'report.html'} (3 articles")


def test_score_command_writes_parquet_tables_equal_to_the_library(corpus, lexicons, tmp_path):
    source = write_jsonl(corpus, tmp_path / "mixed.jsonl")
    result = run("score", str(source), "--out", str(tmp_path / "tables"), "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "(60 articles," in result.output
    reference = score(load_corpus(source), lexicons)
    for table in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "tables" / f"{table}.parquet"),
                                      getattr(reference, table), obj=table)
    assert not [path for path in (tmp_path / "tables").iterdir() if path.name.startswith(".")]  # no temporaries left


def test_score_command_writes_csv_tables(corpus, lexicons, tmp_path):
    source = write_jsonl(corpus, tmp_path / "mixed.jsonl")
    result = run("score", str(source), "--out", str(tmp_path / "tables"), "--format", "csv")
    assert result.exit_code == 0, result.output
    reference = score(load_corpus(source), lexicons)
    scores = pd.read_csv(tmp_path / "tables" / "scores.csv", dtype={"article_id": str})
    assert list(scores.columns) == list(reference.scores.columns)
    assert list(scores["article_id"]) == list(reference.scores["article_id"])
    pd.testing.assert_series_equal(scores["tone"], reference.scores["tone"])
    evidence = pd.read_csv(tmp_path / "tables" / "evidence.csv", keep_default_na=False)
    assert len(evidence) == len(reference.evidence)
    assert list(evidence["term"]) == list(reference.evidence["term"])


def test_score_command_writes_one_file_per_parquet_part(corpus, lexicons, tmp_path):
    parts = write_parts(corpus, tmp_path / "parts")
    out = tmp_path / "tables"
    result = run("score", str(parts), "--out", str(out), "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "4 parts" in result.output and "(60 articles," in result.output
    assert sorted(path.name for path in (out / "scores").iterdir()) == [f"part-0000{index}.parquet" for index in range(4)]
    manifest = pd.read_csv(out / "parts.csv")
    assert list(manifest["source"]) == ["outlet=Weekly Review/part-9.parquet", "part-0.parquet", "part-1.parquet",
                                        "part-2.parquet"]
    assert list(manifest["articles"]) == [15, 15, 15, 15]
    reference = score(load_corpus(parts), lexicons)
    assert set(pd.read_parquet(out / "scores" / "part-00000.parquet")["outlet"]) == {"Weekly Review"}
    for table in TABLES:
        read = pd.read_parquet(out / table)
        if table == "evidence":
            read = read.sort_values(["article_id", "start", "end", "lexicon", "category", "term"],
                                    kind="mergesort").reset_index(drop=True)
        pd.testing.assert_frame_equal(read, getattr(reference, table), obj=table)


def test_score_command_refuses_a_folder_with_another_corpus_parts(corpus, tmp_path):
    parts = write_parts(corpus, tmp_path / "parts")
    stale = tmp_path / "tables" / "scores" / "part-00007.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"")
    result = CliRunner().invoke(cli, ["score", str(parts), "--out", str(tmp_path / "tables")])
    assert result.exit_code == 1
    assert "holds 1 file(s) this corpus would not write (first: part-00007.parquet)" in result.output
    assert not (tmp_path / "tables" / "evidence").exists()


def test_cli_engine_errors(tmp_path):
    result = CliRunner().invoke(cli, ["report", "--engine", "spark", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "'spark' is not one of 'local', 'dask'" in result.output
    result = CliRunner().invoke(cli, ["report", "--scheduler", "tcp://127.0.0.1:8786", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: a scheduler address (tcp://127.0.0.1:8786) needs engine 'dask'")
    assert not any(tmp_path.iterdir())


def test_score_command_refuses_an_unknown_format(tmp_path):
    result = CliRunner().invoke(cli, ["score", str(BUNDLED_CORPUS), "--out", str(tmp_path), "--format", "xlsx"])
    assert result.exit_code == 2 and "'xlsx' is not one of 'parquet', 'csv'" in result.output
    with pytest.raises(OutputError, match="use one of: parquet, csv"):
        from framing.score_files import check_format
        check_format("xlsx")


# --- Dask (last: the cluster starts at the first of these) --------------------------------------------------

@pytest.fixture(scope="module")
def dask_scheduler():
    """A two-process Dask cluster for this module's Dask tests; yields its scheduler address."""
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: pip install -e '.[test]'")
    import dask

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    with cluster:
        yield cluster.scheduler_address


def test_dask_gives_the_same_tables_as_one_process(corpus, lexicons, expected, dask_scheduler):
    calls: list[int] = []
    assert_same_tables(score(corpus, lexicons, calls.append, engine="dask", scheduler=dask_scheduler), expected)
    assert sum(calls) == len(corpus.articles) and len(calls) > 1


def test_allsides_sample_is_identical_on_every_engine(lexicons, dask_scheduler):
    if not ALLSIDES.is_file():
        pytest.skip(f"the AllSides corpus is not at {ALLSIDES} (see ../shared/corpora/README.md)")
    sample = Corpus(name="allsides-60", path=str(ALLSIDES), articles=tuple(islice(iter_jsonl(ALLSIDES), 60)))
    reference = score(sample, lexicons)
    assert len(reference.evidence) > 5000
    assert_same_tables(score(sample, lexicons, workers=2), reference)
    assert_same_tables(score(sample, lexicons, engine="dask", scheduler=dask_scheduler), reference)


def test_workers_running_other_framing_code_are_refused(corpus, lexicons, dask_scheduler, monkeypatch):
    monkeypatch.setattr("framing.engine.CODE_FINGERPRINT", "not-the-workers-code")
    with pytest.raises(EngineError, match=r"2 of 2 workers of the Dask scheduler at .* run other framing code"):
        score(corpus, lexicons, engine="dask", scheduler=dask_scheduler)


def test_a_scheduler_without_workers_is_refused(corpus, lexicons):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty:
        with pytest.raises(SchedulerError, match=r"has no workers; start some with `dask worker inproc://"):
            score(corpus, lexicons, engine="dask", scheduler=empty.scheduler_address)


def test_score_command_on_dask_writes_parts_from_the_workers(corpus, lexicons, tmp_path, dask_scheduler):
    parts = write_parts(corpus, tmp_path / "parts")
    result = run("score", str(parts), "--out", str(tmp_path / "tables"), "--engine", "dask",
                 "--scheduler", dask_scheduler)
    assert result.exit_code == 0, result.output
    reference = score(load_corpus(parts), lexicons)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "tables" / "scores"), reference.scores)
    assert len(pd.read_parquet(tmp_path / "tables" / "evidence")) == len(reference.evidence)


def test_dask_without_a_scheduler_starts_and_stops_a_local_cluster():
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: pip install -e '.[test]'")
    with dask_client(None, workers=2) as client:
        cluster = client.cluster
        assert len(client.scheduler_info()["workers"]) == 2
        assert {worker["nthreads"] for worker in client.scheduler_info()["workers"].values()} == {1}
    assert cluster.status.name == "closed"
    with pytest.raises(ValueError):
        distributed.get_client()  # no client is left behind


def test_dask_engine_without_a_scheduler_asks_for_a_local_cluster(corpus, lexicons, expected, dask_scheduler,
                                                                  monkeypatch):
    distributed = pytest.importorskip("distributed")
    asked = []

    @contextmanager
    def fixture_cluster(scheduler, workers):  # stands in for the LocalCluster (started above, at a cost)
        asked.append((scheduler, workers))
        with distributed.Client(dask_scheduler) as client:
            yield client

    monkeypatch.setattr("framing.engine.dask_client", fixture_cluster)
    assert_same_tables(score(corpus, lexicons, engine="dask", workers=2), expected)
    assert asked == [(None, 2)]
