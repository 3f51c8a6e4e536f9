"""Benchmark: score the AllSides corpus side by side with its peers; print throughput, memory and ratios.

    python bench/score_corpus.py [PATH] [--limit N] [--rows floor,vader,framing-1,framing-2] [--repeat N]

PATH defaults to ../shared/corpora/allsides-11-outlets.jsonl.gz. Every row runs in a fresh
Python process on the same texts, so each gets its own peak RSS and no warm cache:

* ``floor``: a tokenize-only floor, ``re.findall(r"\\w+", text.lower())``;
* ``vader``: vaderSentiment's ``polarity_scores``, sentence by sentence (its cost grows faster
  than linearly with text length, so it gets sentences, as its README advises); install it with
  ``pip install -e '.[bench]'``;
* ``framing-1``: full framing scoring on one core (tokens, sentences, every lexicon, tone
  rules, quotes, evidence rows, the sorted tables and the scores);
* ``framing-2``: the same on two worker processes (``framing.score(corpus, workers=2)``).

Seconds cover the work only, not reading the corpus nor each tool's set-up (VADER reading its
lexicon; framing building its character tables and importing nltk for Punkt), which is shown
in its own column. ``--repeat N`` runs every row N times, in turn, and keeps each row's fastest
run: on a shared machine a single run can be a third slower. Each ratio is printed twice: from the
fastest runs, and as the median of the rounds' own ratios (rows measured back to back, so a slow
spell of the machine weighs on both sides). Peak RSS is the process's own, plus
its largest worker for ``framing-2``.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "corpora" / "allsides-11-outlets.jsonl.gz"
ROWS = ("floor", "vader", "framing-1", "framing-2")
LABELS = {
    "floor": "tokenize-only floor",
    "vader": "vaderSentiment 3.3.2",
    "framing-1": "framing, 1 core",
    "framing-2": "framing, 2 cores",
}
sys.path.insert(0, str(REPO))


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def measure(row: str, path: Path, limit: int | None) -> dict:
    """Run one row in this process and return its figures."""
    from framing import load_corpus, load_lexicons, score
    from framing.corpus import Corpus

    corpus = load_corpus(path)
    if limit:
        corpus = Corpus(name=corpus.name, path=corpus.path, articles=corpus.articles[:limit])
    texts = [article.text for article in corpus.articles]
    figures = {"articles": len(texts), "megabytes": sum(len(text.encode("utf-8")) for text in texts) / 1e6}
    started = time.perf_counter()
    figures["setup_seconds"] = 0.0
    if row == "floor":
        for text in texts:
            re.findall(r"\w+", text.lower())
    elif row == "vader":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = SentimentIntensityAnalyzer()
        sentence_end = re.compile(r"(?<=[.!?])\s+|\n+")
        figures["setup_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        for text in texts:
            for sentence in sentence_end.split(text):
                analyzer.polarity_scores(sentence)
    else:
        from framing.evidence import load_scoring_resources

        lexicons = load_lexicons()
        load_scoring_resources(lexicons)  # tables, compiled loops, Punkt, the matcher: set-up, like VADER's lexicon
        figures["setup_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        scored = score(corpus, lexicons, workers=2 if row == "framing-2" else 1)
        figures["evidence_rows"] = len(scored.evidence)
    figures["seconds"] = time.perf_counter() - started
    figures["peak_rss_mb"] = peak_rss_mb() + (peak_rss_mb(resource.RUSAGE_CHILDREN) if row == "framing-2" else 0.0)
    return figures


def run_row(row: str, path: Path, limit: int | None) -> dict | None:
    """Measure one row in a fresh process; None (with the reason on stderr) when it cannot run."""
    command = [sys.executable, __file__, str(path), "--measure", row] + (["--limit", str(limit)] if limit else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        hint = " (pip install -e '.[bench]')" if row == "vader" else ""
        print(f"{LABELS[row]}: skipped: {reason}{hint}", file=sys.stderr)
        return None
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--rows", default=",".join(ROWS), help=f"comma-separated, from {', '.join(ROWS)}")
    parser.add_argument("--repeat", type=int, default=1, help="runs per row; the fastest counts")
    parser.add_argument("--measure", choices=ROWS, help=argparse.SUPPRESS)  # internal: one row, JSON out
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"{args.path}: corpus not found (the AllSides corpus lives in ../shared/corpora/)")
    if args.measure:
        print(json.dumps(measure(args.measure, args.path, args.limit)))
        return
    rows = [row.strip() for row in args.rows.split(",") if row.strip()]
    unknown = sorted(set(rows) - set(ROWS))
    if unknown:
        sys.exit(f"unknown rows {', '.join(unknown)}; choose from {', '.join(ROWS)}")

    results: dict[str, dict] = {}
    rounds: list[dict[str, float]] = []  # each round's seconds per row, measured back to back
    for _ in range(max(1, args.repeat)):
        rounds.append({})
        for row in rows:
            figures = run_row(row, args.path, args.limit)
            if figures is None:
                continue
            rounds[-1][row] = figures["seconds"]
            if row not in results or figures["seconds"] < results[row]["seconds"]:
                results[row] = figures
    if not results:
        sys.exit("no row could run")
    first = next(iter(results.values()))
    print(f"corpus: {args.path} ({first['articles']} articles, {first['megabytes']:.1f} MB of text)")
    print(f"{'engine':<24}{'seconds':>9}{'articles/s':>12}{'MB/s':>8}{'peak RSS MB':>13}{'set-up s':>10}")
    for row, figures in results.items():
        seconds = figures["seconds"]
        print(f"{LABELS[row]:<24}{seconds:>9.2f}{figures['articles'] / seconds:>12.0f}"
              f"{figures['megabytes'] / seconds:>8.2f}{figures['peak_rss_mb']:>13.0f}{figures['setup_seconds']:>10.2f}")
    for mine in ("framing-1", "framing-2"):
        if mine not in results:
            continue
        for peer in ("vader", "floor", "framing-1"):
            if peer in results and peer != mine:
                ratio = results[peer]["seconds"] / results[mine]["seconds"]
                paired = [seconds[peer] / seconds[mine] for seconds in rounds if peer in seconds and mine in seconds]
                spread = (f"; back to back, median {statistics.median(paired):.2f} (from {min(paired):.2f} to "
                          f"{max(paired):.2f}) of {len(paired)} rounds" if len(paired) > 1 else "")
                print(f"{LABELS[mine]} speed / {LABELS[peer]} speed: {ratio:.2f}{spread}")
    if "framing-1" in results:
        print(f"evidence rows: {results['framing-1']['evidence_rows']}")
    print(f"fastest of {max(1, args.repeat)} run(s) per row; {time.strftime('%Y-%m-%d %H:%M')}")


if __name__ == "__main__":
    main()
