"""Benchmark: score the AllSides corpus and print throughput and peak memory.

    python bench/score_corpus.py [PATH] [--limit N]

PATH defaults to ../shared/corpora/allsides-11-outlets.jsonl.gz. Beside full scoring it
times, on the same texts in the same run, a tokenize-only floor
(``re.findall(r"\\w+", text.lower())``) and, when the benchmark extra is installed
(``pip install -e '.[bench]'``), vaderSentiment's ``polarity_scores``: the ratios say how
framing compares with the tool users would otherwise reach for.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "corpora" / "allsides-11-outlets.jsonl.gz"
sys.path.insert(0, str(REPO))

from framing import load_corpus, load_lexicons, score  # noqa: E402


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"{args.path}: corpus not found (the AllSides corpus lives in ../shared/corpora/)")

    started = time.perf_counter()
    corpus = load_corpus(args.path)
    if args.limit:
        corpus = type(corpus)(name=corpus.name, path=corpus.path, articles=corpus.articles[: args.limit])
    load_seconds = time.perf_counter() - started
    megabytes = sum(len(article.text.encode("utf-8")) for article in corpus.articles) / 1e6
    articles = len(corpus.articles)
    lexicons = load_lexicons()

    started = time.perf_counter()
    for article in corpus.articles:
        re.findall(r"\w+", article.text.lower())
    floor_seconds = time.perf_counter() - started

    started = time.perf_counter()
    scored = score(corpus, lexicons)
    score_seconds = time.perf_counter() - started

    rows = [("tokenize-only floor", floor_seconds), ("framing score (1 core)", score_seconds)]
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        print("vaderSentiment not installed: pip install -e '.[bench]' to compare with it", file=sys.stderr)
    else:
        # VADER is meant for sentences (its cost grows faster than linearly with text length),
        # so it gets the text sentence by sentence, split by a plain regex, as its README advises.
        analyzer = SentimentIntensityAnalyzer()
        sentence_end = re.compile(r"(?<=[.!?])\s+|\n+")
        started = time.perf_counter()
        for article in corpus.articles:
            for sentence in sentence_end.split(article.text):
                analyzer.polarity_scores(sentence)
        rows.append(("vaderSentiment 3.3.2", time.perf_counter() - started))

    print(f"corpus: {args.path} ({articles} articles, {megabytes:.1f} MB of text; loaded in {load_seconds:.1f} s)")
    print(f"{'engine':<28}{'seconds':>9}{'articles/s':>12}{'MB/s':>8}")
    for name, seconds in rows:
        print(f"{name:<28}{seconds:>9.2f}{articles / seconds:>12.0f}{megabytes / seconds:>8.2f}")
    for name, seconds in rows:
        if name != "framing score (1 core)":
            print(f"framing speed / {name} speed: {seconds / score_seconds:.3f}")
    print(f"evidence rows: {len(scored.evidence)}; peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
