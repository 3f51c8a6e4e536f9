"""Benchmark: score the AllSides corpus on each engine; print speed, speed-up, memory and table identity.

    python bench/engines.py [PATH] [--limit N] [--configs local-1,local-2,dask-2]

PATH defaults to ../shared/corpora/allsides-11-outlets.jsonl.gz. Each configuration runs in a
fresh Python process (so one's memory and warm caches do not flatter the next):

* ``local-1``: ``framing.score(corpus)``, one process;
* ``local-2``: ``framing.score(corpus, workers=2)``, a process pool of two;
* ``dask-2``: the ``LocalCluster`` of two single-threaded workers that ``engine="dask"`` starts
  (``framing.engine.dask_client``), then ``framing.score(corpus, engine="dask", scheduler=...)``;
  its start-up (scheduler, two worker processes, each importing framing and loading its
  character tables and Punkt) is timed apart and included in ``seconds``. The local
  configurations load the same once, before any worker forks: that is their start-up.

Seconds cover scoring only, not reading the corpus. CPU seconds add up this process and all its
children (pool or Dask workers, once reaped: their start-up included), so ``MB/CPU-s`` is the
throughput of one busy core, the figure to size a cluster with; unlike wall-clock speed-up it holds
on a machine shared with other work (the load average is printed beside each run). Peak RSS is given for the scoring process
(``RUSAGE_SELF``), its largest child (``RUSAGE_CHILDREN``: the biggest worker, once reaped) and
the whole process tree sampled every 0.1 s (psutil, installed with distributed). Every run's three
tables are hashed; a configuration is ``identical`` when all three equal local-1's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import threading
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "corpora" / "allsides-11-outlets.jsonl.gz"
CONFIGS = ("local-1", "local-2", "dask-2")
sys.path.insert(0, str(REPO))


def table_digest(frame) -> str:
    """A hash of a table's columns, dtypes and every value, in order."""
    import pandas as pd

    digest = hashlib.sha256(repr((list(frame.columns), [str(dtype) for dtype in frame.dtypes])).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).values.tobytes())
    return digest.hexdigest()[:16]


class TreeMemory(threading.Thread):
    """Samples the summed RSS of this process and all its descendants; keeps the peak."""

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.interval, self.peak, self.stopped = interval, 0, threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        me = psutil.Process()
        while not self.stopped.wait(self.interval):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)


def cpu_seconds() -> float:
    """User plus system CPU time of this process and its reaped children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _load_scoring() -> None:
    from framing.evidence import load_scoring_resources

    load_scoring_resources()


def run_config(config: str, path: Path, limit: int | None) -> dict:
    """Score the corpus on one configuration, in this process; the figures as a dict."""
    from framing import load_lexicons, score
    from framing.corpus import Corpus, iter_jsonl, load_corpus

    if limit:
        corpus = Corpus(name=path.name, path=str(path), articles=tuple(islice(iter_jsonl(path), limit)))
    else:
        corpus = load_corpus(path)
    lexicons = load_lexicons()
    memory = TreeMemory()
    memory.start()
    startup = 0.0
    load = os.getloadavg()[0]
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    if not config.startswith("dask-"):
        _load_scoring()  # character tables and nltk (Punkt): start-up, before local workers fork
        startup = time.perf_counter() - started
    if config.startswith("dask-"):
        from framing.engine import dask_client

        with dask_client(None, workers=int(config.split("-")[1])) as client:  # the LocalCluster framing starts
            client.run(_load_scoring)  # the workers' one-time import and tables, timed as start-up
            startup = time.perf_counter() - started
            scored = score(corpus, lexicons, engine="dask", scheduler=client.scheduler.address)
    else:
        scored = score(corpus, lexicons, workers=int(config.split("-")[1]))
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    memory.stopped.set()
    memory.join()
    return {
        "config": config,
        "articles": len(corpus.articles),
        "megabytes": sum(len(article.text.encode("utf-8")) for article in corpus.articles) / 1e6,
        "seconds": seconds,
        "startup": startup,
        "cpu_seconds": cpu,
        "load": load,
        "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "rss_tree_mb": memory.peak / 1e6,
        "digests": {table: table_digest(getattr(scored, table)) for table in ("scores", "evidence", "sentences")},
        "evidence_rows": len(scored.evidence),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument("--configs", default=",".join(CONFIGS), help=f"comma-separated, from {', '.join(CONFIGS)}")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # run one configuration and print it as JSON
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"{args.path}: corpus not found (the AllSides corpus lives in ../shared/corpora/)")
    if args.child:
        print(json.dumps(run_config(args.child, args.path, args.limit)))
        return

    results = []
    for config in args.configs.split(","):
        command = [sys.executable, __file__, str(args.path), "--child", config]
        command += ["--limit", str(args.limit)] if args.limit else []
        finished = subprocess.run(command, capture_output=True, text=True)
        if finished.returncode:
            sys.exit(f"{config} failed:\n{finished.stderr[-3000:]}")
        results.append(json.loads(finished.stdout.strip().splitlines()[-1]))

    first = results[0]
    print(f"corpus: {args.path} ({first['articles']} articles, {first['megabytes']:.1f} MB of text); "
          f"{first['evidence_rows']} evidence rows; {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'config':<9}{'seconds':>8}{'start-up':>9}{'articles/s':>11}{'MB/s':>6}{'speed-up':>9}"
          f"{'CPU s':>7}{'MB/CPU-s':>9}{'load':>6}{'RSS self':>9}{'child':>7}{'tree':>7}  tables")
    for result in results:
        same = result["digests"] == first["digests"]
        print(f"{result['config']:<9}{result['seconds']:>8.1f}{result['startup']:>9.1f}"
              f"{result['articles'] / result['seconds']:>11.0f}{result['megabytes'] / result['seconds']:>6.2f}"
              f"{first['seconds'] / result['seconds']:>8.2f}x{result['cpu_seconds']:>7.1f}"
              f"{result['megabytes'] / result['cpu_seconds']:>9.2f}{result['load']:>6.1f}"
              f"{result['rss_self_mb']:>7.0f}MB{result['rss_child_mb']:>5.0f}MB{result['rss_tree_mb']:>5.0f}MB  "
              f"{'identical' if same else 'DIFFERENT: ' + str(result['digests'])}")
    if any(result["digests"] != first["digests"] for result in results):
        sys.exit("the tables differ between engines")


if __name__ == "__main__":
    main()
