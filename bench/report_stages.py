"""Benchmark: how long each stage of a report takes after scoring, and how big the files come out.

    python bench/report_stages.py [PATH] [--limit N] [--audience analyst|students] [--cache FILE] [--repeat N]

PATH defaults to ../shared/corpora/allsides-11-outlets.jsonl.gz; ``--limit N`` keeps the first N
articles of each outlet. The corpus is scored once (``--cache FILE`` keeps the scored corpus as
a pickle and reuses it on the next run, so only the report is timed), then
``framing.build_report`` runs ``--repeat`` times. Each stage is timed from its progress message
to the next (wall clock and this process's CPU time, both threads); the table shows each
stage's fastest run. Sizes are those of the files the report writes.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "corpora" / "allsides-11-outlets.jsonl.gz"
sys.path.insert(0, str(REPO))


def scored_corpus(path: Path, limit: int | None, cache: Path | None):
    """The scored corpus: from the cache when it is there, else scored now (and cached when asked)."""
    if cache is not None and cache.is_file():
        with open(cache, "rb") as stream:
            return pickle.load(stream)
    from framing import load_corpus, score
    from framing.corpus import Corpus
    from framing.lexicon_suggest import limit_per_outlet

    corpus = load_corpus(path)
    if limit:
        corpus = Corpus(corpus.name, corpus.path, tuple(limit_per_outlet(corpus.articles, limit)))
    started = time.perf_counter()
    scored = score(corpus)
    print(f"scored {len(corpus.articles):,} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if cache is not None:
        with open(cache, "wb") as stream:
            pickle.dump(scored, stream)
    return scored


def timed_build(scored, audience: str) -> tuple[list[tuple[str, float, float]], dict[str, bytes]]:
    """One ``build_report``: (stage, wall seconds, CPU seconds) per stage, and the files."""
    from framing import build_report

    marks = [("(start)", time.perf_counter(), time.process_time())]
    files = build_report(scored, audience=audience,
                         progress=lambda stage: marks.append((stage, time.perf_counter(), time.process_time())))
    marks.append(("(end)", time.perf_counter(), time.process_time()))
    stages = [(stage, after[1] - wall, after[2] - cpu) for (stage, wall, cpu), after in zip(marks, marks[1:])]
    return stages, files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, help="first N articles of each outlet")
    parser.add_argument("--audience", choices=("analyst", "students"), default="analyst")
    parser.add_argument("--cache", type=Path, help="pickle of the scored corpus, reused when present")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    scored = scored_corpus(arguments.path, arguments.limit, arguments.cache)
    best: dict[str, tuple[float, float]] = {}
    order: list[str] = []
    totals = []
    for _ in range(arguments.repeat):
        stages, files = timed_build(scored, arguments.audience)
        totals.append((sum(wall for _, wall, _ in stages), sum(cpu for _, _, cpu in stages)))
        for stage, wall, cpu in stages:
            if stage not in best:
                order.append(stage)
            best[stage] = min(best.get(stage, (wall, cpu)), (wall, cpu))
    print(f"{len(scored.corpus.articles):,} articles, {len(scored.evidence):,} evidence rows; "
          f"fastest of {arguments.repeat} runs per stage")
    print("| stage | wall s | CPU s |\n|---|---:|---:|")
    for stage in order:
        print(f"| {stage} | {best[stage][0]:.2f} | {best[stage][1]:.2f} |")
    wall, cpu = min(totals)
    print(f"| **build_report, fastest whole run** | **{wall:.2f}** | **{cpu:.2f}** |")
    print("\n| file | bytes |\n|---|---:|")
    for name in sorted(files):
        print(f"| {name} | {len(files[name]):,} |")


if __name__ == "__main__":
    main()
