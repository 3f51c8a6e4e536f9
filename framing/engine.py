"""Scoring on several cores or a Dask cluster, with the same tables whatever runs it.

A corpus is cut into contiguous chunks of its articles taken in id order (``chunk_ranges``); each
chunk is scored by ``score_chunk`` wherever the engine runs it, into its share of the tables (its
scores, its evidence rows sorted, every column built), and the shares are joined here by
``tables.join_chunks``, as on one process. Scoring is deterministic per article, so the tables are
identical for any engine, number of workers and chunk size (``tests/test_engine.py``).

Engines:

* ``local``: this process when ``workers`` is 1, else a ``ProcessPoolExecutor`` of ``workers``
  processes; the lexicons reach each worker once, through the pool's initializer, and a large
  result comes back through a temporary file that this process maps (``_spill``);
* ``dask``: a ``distributed`` cluster, either a ``LocalCluster`` started here (``scheduler=None``)
  or an existing one (``scheduler="tcp://host:port"``); the lexicons are broadcast once to every
  worker and the chunks are scattered, so neither travels inside the task graph. The lexicons
  travel as pickled bytes, unpickled once per worker thread: a ``LexiconSet`` fills caches as it
  matches, so a live one must never be shared by threads, nor copied by Dask between workers
  (it does that while tasks run, e.g. when its memory manager drops a replica) half-updated.
  Workers must run the same framing code as this process; ``check_workers`` refuses them otherwise.

``run_tasks`` is the general form (any picklable ``task(item, shared)`` over a list of items),
used as well by ``framing.score_files`` to score a partitioned Parquet corpus part by part.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import mmap
import os
import pickle
import re
import shutil
import tempfile
import threading
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from .corpus import Article
from .errors import FramingError, InputError
from .lexicon import LexiconSet
from .evidence import load_scoring_resources
from .score import score_articles, score_chunk
from .tables import ChunkTables, Tables, chunk_bounds, id_order, join_chunks

ENGINES = ("local", "dask")
# A chunk holds an equal share of the text, CHUNKS_PER_WORKER per worker (the last ones of the workers end
# together), within bounds: each chunk costs its own batches and transfer, and a worker holds a chunk's tables.
CHUNKS_PER_WORKER = 4
MIN_CHUNK_CHARACTERS = 20_000  # about three news articles
MAX_CHUNK_CHARACTERS = 8_000_000
LARGE_CORPUS = 200  # more articles than this: worth starting a worker per core
SCHEDULER_TIMEOUT = 10.0  # seconds to reach a Dask scheduler before giving up
DASK_INSTALL = "pip install 'framing-lens[dask]'"
# The workers' statistical profiler (for the dashboard) samples stacks every 10 ms: a quarter more CPU
# on scoring's deep pure-Python calls, measured; off in the clusters started here (see docs/scaling.md).
LOCAL_CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False}
SCORING_MODULES = ("framing.corpus", "framing.tokens", "framing.lexicon", "framing.score", "framing.evidence",
                   "framing.token_arrays", "framing.sentence_arrays", "framing.match_arrays", "framing.tone_rules",
                   "framing.kernels")
_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ucx|ws|wss|inproc)://\S+|[^\s:/]+(?::\d+)?)$")


class EngineError(FramingError):
    """Scoring cannot run as asked (engine, workers or scheduler)."""


class UnknownEngineError(EngineError):
    """An engine name that is not one of ``ENGINES``."""


class DaskNotInstalledError(EngineError):
    """``engine="dask"`` without the dask extra installed."""


class SchedulerError(EngineError):
    """A Dask scheduler address that is malformed or cannot be reached."""


def _code_fingerprint() -> str:
    """A hash of the scoring modules and data files as this process imported them."""
    digest = hashlib.sha256()
    files = [Path(importlib.util.find_spec(name).origin) for name in SCORING_MODULES]  # found, not imported
    files += sorted(path for path in (Path(__file__).parent / "data").iterdir() if path.is_file())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# Dask workers must run this same code, or "identical tables" would not hold; checked per run.
CODE_FINGERPRINT = _code_fingerprint()


def _worker_fingerprint() -> str:
    """This worker's ``CODE_FINGERPRINT`` (run on every Dask worker)."""
    return CODE_FINGERPRINT


def cpu_cores() -> int:
    """Cores this process may run on (the affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def default_workers(articles: int) -> int:
    """All cores for a corpus of more than ``LARGE_CORPUS`` articles, else 1 (start-up would cost more)."""
    return cpu_cores() if articles > LARGE_CORPUS else 1


def check_engine(engine: str = "local", workers: int = 1, scheduler: str | None = None) -> None:
    """Refuse a bad engine, worker count or scheduler address before any work starts."""
    if engine not in ENGINES:
        raise UnknownEngineError(f"unknown engine '{engine}'; use one of: {', '.join(ENGINES)}")
    if not isinstance(workers, int) or workers < 1:
        raise EngineError(f"workers must be a whole number of 1 or more, not {workers!r}")
    if scheduler is not None and engine != "dask":
        raise SchedulerError(f"a scheduler address ({scheduler}) needs engine 'dask'; "
                             "pass --engine dask, or drop --scheduler to score on this machine")
    if scheduler is not None and not _ADDRESS.match(scheduler):
        raise SchedulerError(f"'{scheduler}' is not a Dask scheduler address; pass the one `dask scheduler` "
                             "prints, e.g. tcp://10.0.0.5:8786")


def chunk_ranges(ordered: Sequence[Article], workers: int, chunk_size: int | None = None) -> list[tuple[int, int]]:
    """Ranges of the id-ordered articles to score as chunks: of ``chunk_size`` articles if given, else of
    an equal share of the text, ``CHUNKS_PER_WORKER`` per worker (between the MIN and MAX characters)."""
    ids = [article.id for article in ordered]
    if chunk_size is not None:
        if chunk_size < 1:
            raise EngineError(f"chunk_size must be 1 or more, not {chunk_size}")
        return chunk_bounds(ids, np.ones(len(ids)), chunk_size)
    lengths = np.array([len(article.text) for article in ordered], float)
    share = lengths.sum() / (CHUNKS_PER_WORKER * workers)
    return chunk_bounds(ids, lengths, min(max(share, MIN_CHUNK_CHARACTERS), MAX_CHUNK_CHARACTERS))


def score_tables(
    articles: Iterable[Article],
    lexicons: LexiconSet,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    chunk_size: int | None = None,
) -> Tables:
    """``score_articles``' (scores, evidence, sentences) for any engine, identical to one process."""
    check_engine(engine, workers, scheduler)
    articles = tuple(articles)
    if engine == "local" and workers == 1:
        return score_articles(articles, lexicons, progress)
    order = id_order(articles)
    ordered = tuple(articles[index] for index in order.tolist())
    ranges = chunk_ranges(ordered, workers, chunk_size)

    def chunk_done(index: int, _result: ChunkTables) -> None:
        if progress is not None:
            progress(ranges[index][1] - ranges[index][0])

    if engine == "local":
        load_scoring_resources(lexicons)  # once here (nltk takes seconds to import): forked workers share them
        # Forked workers inherit the articles with the lexicons, so a task is just a range of them.
        results = run_tasks(_score_range, ranges, (ordered, lexicons), workers=workers, on_done=chunk_done)
    else:
        chunks = [ordered[start:end] for start, end in ranges]
        results = run_tasks(score_chunk, chunks, lexicons, workers=workers, engine=engine, scheduler=scheduler,
                            on_done=chunk_done)
    return join_chunks([order[start:end] for start, end in ranges], results)


def _score_range(span: tuple[int, int], shared: tuple[tuple[Article, ...], LexiconSet]) -> ChunkTables:
    """The share of ``articles[start:end]`` (runs in a local worker, which holds the articles)."""
    articles, lexicons = shared
    return score_chunk(articles[span[0]:span[1]], lexicons)


# --- running tasks -------------------------------------------------------------------------------------------

def run_tasks(
    task: Callable[[Any, Any], Any],
    items: Sequence[Any],
    shared: Any,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    on_done: Callable[[int, Any], None] | None = None,
) -> list[Any]:
    """``[task(item, shared) for item in items]`` on the engine; ``shared`` is sent to each worker once.

    ``task`` must be a module-level function (workers import it). ``on_done(index, result)`` is
    called in this process as each item finishes, in completion order; the list is in input order.
    """
    check_engine(engine, workers, scheduler)
    on_done = on_done or (lambda index, result: None)
    if engine == "dask":
        return _run_on_dask(task, items, shared, workers, scheduler, on_done)
    if workers == 1 or len(items) <= 1:
        results = []
        for index, item in enumerate(items):
            results.append(task(item, shared))
            on_done(index, results[-1])
        return results
    return _run_in_pool(task, items, shared, min(workers, len(items)), on_done)


@dataclass(frozen=True)
class _Failure:
    """A library error raised in a worker, carried back as a value (a subclass with its own constructor may not unpickle)."""

    kind: type
    message: str
    path: str | None = None
    problem: str | None = None
    line: int | None = None

    def error(self) -> FramingError:
        """The worker's error, rebuilt in this process (as a plain ``FramingError`` if it cannot be)."""
        try:
            if self.path is not None:
                return self.kind(self.path, self.problem, self.line)
            return self.kind(self.message)
        except TypeError:  # a subclass with another constructor
            return FramingError(self.message)


def _guarded(task: Callable[[Any, Any], Any], item: Any, shared: Any) -> Any:
    """``task(item, shared)``, with a library error returned as a ``_Failure``."""
    try:
        return task(item, shared)
    except InputError as error:
        return _Failure(type(error), str(error), error.path, error.problem, error.line)
    except FramingError as error:
        return _Failure(type(error), str(error))


def _unwrap(result: Any) -> Any:
    if isinstance(result, _Failure):
        raise result.error()
    return result


_worker_shared: Any = None
_worker_spill_folder: str | None = None


def _remember_shared(shared: Any, spill_folder: str | None) -> None:
    """Pool initializer: keep what every task needs (the lexicons) and where results go, for the worker's lifetime."""
    global _worker_shared, _worker_spill_folder
    _worker_shared, _worker_spill_folder = shared, spill_folder


def _pool_task(task: Callable[[Any, Any], Any], item: Any) -> Any:
    return _spill(_guarded(task, item, _worker_shared), _worker_spill_folder)


# --- large results come back through a file ------------------------------------------------------------------
# A pool sends a result through a pipe: the worker blocks while the parent reads it, and it is copied four
# times on the way. A large one is written to a temporary file instead (pickled, its arrays out of band; it
# stays in the page cache) and the parent maps that file: each worker goes on to its next task at once, and
# the arrays are not copied again. (The temporary folder, not /dev/shm: the tables may live long, and a
# container's /dev/shm is often small and needed by others.)
SPILL_BYTES = 1 << 20  # arrays in a result from this size up travel through a file


def _spill_folder() -> str | None:
    """A new folder for results in the temporary folder (``TMPDIR``); None if none can be made."""
    try:
        return tempfile.mkdtemp(prefix="framing-")
    except OSError:
        return None


@dataclass(frozen=True)
class _Spilled:
    """A task result in a file: its pickle, then each of its buffers, ``sizes`` long."""

    path: str
    sizes: tuple[int, ...]


def _spill(result: Any, folder: str | None) -> Any:
    """``result``, or a ``_Spilled`` file of it when its arrays are large (and the file can be written)."""
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(result, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]
    if folder is None or sum(raw.nbytes for raw in raws) < SPILL_BYTES:
        return result
    path = os.path.join(folder, uuid.uuid4().hex)
    try:
        with open(path, "wb") as stream:
            for part in (head, *raws):
                stream.write(part)
    except OSError:  # e.g. a full disk: the pipe takes it
        Path(path).unlink(missing_ok=True)
        return result
    return _Spilled(path, (len(head), *(raw.nbytes for raw in raws)))


def _unspill(spilled: _Spilled) -> Any:
    """The result a ``_Spilled`` file holds, its arrays in a private mapping of the file (writable, not copied)."""
    with open(spilled.path, "rb") as stream:
        mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_COPY)
    try:
        os.unlink(spilled.path)  # the mapping keeps the data for as long as an array uses it
    except OSError:
        pass  # (Windows keeps a mapped file) the folder is removed at the end of the run
    view = memoryview(mapped)
    ends = list(itertools.accumulate(spilled.sizes))
    return pickle.loads(view[:ends[0]], buffers=[view[start:end] for start, end in zip(ends, ends[1:])])


def _run_in_pool(task, items, shared, workers: int, on_done) -> list[Any]:
    results: list[Any] = [None] * len(items)
    folder = _spill_folder()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_remember_shared, initargs=(shared, folder))
    try:
        futures = {pool.submit(_pool_task, task, item): index for index, item in enumerate(items)}
        for future in as_completed(futures):
            index = futures[future]
            result = future.result()
            results[index] = _unwrap(_unspill(result) if isinstance(result, _Spilled) else result)
            on_done(index, results[index])
    except BrokenProcessPool:
        raise EngineError(f"a worker process died (out of memory?); try fewer workers than {workers}") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return results


def _import_distributed():
    """The ``distributed`` module, or an error saying how to install it."""
    try:
        import dask  # noqa: F401
        import distributed
    except ImportError:
        raise DaskNotInstalledError(f"engine 'dask' needs Dask: {DASK_INSTALL}, or use engine 'local'") from None
    return distributed


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 1) -> Iterator[Any]:
    """A ``distributed.Client``: joined to ``scheduler``, or to a ``LocalCluster`` started (and closed) here.

    The local cluster has ``workers`` single-threaded worker processes, or one per core when
    ``workers`` is 1 (a one-worker cluster would only add overhead to local scoring).
    """
    check_engine("dask", workers, scheduler)
    distributed = _import_distributed()
    if scheduler is None:
        import dask

        processes = workers if workers > 1 else cpu_cores()
        with dask.config.set(LOCAL_CLUSTER_CONFIG):  # read when the workers start
            cluster = distributed.LocalCluster(n_workers=processes, threads_per_worker=1, processes=True,
                                               dashboard_address=":0")
        with cluster, distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT}s")
    except (OSError, TimeoutError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler} ({reason}); start one with "
                             "`dask scheduler` and pass the address it prints, or drop --scheduler to start "
                             "a local cluster") from None
    with client:
        yield client


def check_workers(client: Any, scheduler: str | None = None) -> None:
    """Refuse a cluster with no workers, or whose workers cannot import or run other versions of framing."""
    where = f"the Dask scheduler at {scheduler}" if scheduler else "the local Dask cluster"
    try:
        fingerprints = client.run(_worker_fingerprint)
    except Exception as error:  # noqa: BLE001 - a worker without framing, or with an older one, fails to unpickle
        reason = (str(error).splitlines() or [type(error).__name__])[0]
        raise EngineError(f"workers of {where} cannot run this framing ({reason}); install the same framing-lens "
                          f"version on every worker machine ({DASK_INSTALL}) and restart the workers") from None
    if not fingerprints:
        raise SchedulerError(f"{where} has no workers; start some with `dask worker {scheduler or 'ADDRESS'}`")
    other = sorted(address for address, fingerprint in fingerprints.items() if fingerprint != CODE_FINGERPRINT)
    if other:
        raise EngineError(f"{len(other)} of {len(fingerprints)} workers of {where} run other framing code than "
                          f"this process (first: {other[0]}); install the same framing-lens version everywhere and "
                          "restart the workers (`dask worker` imports it once)")


@dataclass(frozen=True)
class _Pickled:
    """An object as immutable pickled bytes, named by a token unique to one run."""

    token: str
    data: bytes


_unpickled = threading.local()


def _unpickle_once(shared: _Pickled) -> Any:
    """``shared``'s object, unpickled once per thread and run (a LexiconSet's caches are not thread-safe)."""
    if getattr(_unpickled, "token", None) != shared.token:
        _unpickled.token, _unpickled.value = shared.token, pickle.loads(shared.data)
    return _unpickled.value


def _dask_task(task: Callable[[Any, Any], Any], item: Any, shared: _Pickled) -> Any:
    return _guarded(task, item, _unpickle_once(shared))


def _run_on_dask(task, items, shared, workers: int, scheduler: str | None, on_done) -> list[Any]:
    distributed = _import_distributed()
    with dask_client(scheduler, workers) as client:
        check_workers(client, scheduler)
        pickled = _Pickled(uuid.uuid4().hex, pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL))
        shared_future = client.scatter(pickled, broadcast=True, hash=False)
        item_futures = client.scatter(list(items), hash=False)
        futures = [client.submit(_dask_task, task, item, shared_future, pure=False) for item in item_futures]
        index_of = {future.key: index for index, future in enumerate(futures)}
        results: list[Any] = [None] * len(items)
        try:
            for future in distributed.as_completed(futures):
                index = index_of[future.key]
                results[index] = _unwrap(future.result())
                on_done(index, results[index])
        finally:
            client.cancel(futures + item_futures + [shared_future])
        return results
