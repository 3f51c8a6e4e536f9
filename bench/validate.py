"""Validation: how well do framing's tone and hedging scores agree with human judgment?

    python bench/validate.py [--data DIR] [--quick] [--folds 5] [--seed 0] [--write-params]

Reads the human-labelled files in ``../shared/validation/`` (never copied into the repository)
and prints, side by side on the same files:

* tone: Pearson and Spearman r of ``tone`` with the raters' mean, and three-class macro F1,
  for framing (cross-validated tone-rule parameters), vaderSentiment (compound) and TextBlob
  (polarity), on ``tone-nyt-editorials-dev.tsv`` (Hutto & Gilbert 2014);
* hedging: sentence-level precision, recall and F1 of ``hedged`` against ``uncertain``, with
  recall per cue type, beside a naive cue-word baseline, on ``hedging-news-dev.jsonl`` and
  ``hedging-wikipedia.jsonl`` (Szarvas et al. 2012);
* the 20 worst misses of each kind.

Tone-rule parameters (``framing.score.ToneRules``) are the only numbers chosen from these data.
They are chosen by grid search on the training folds only (folds grouped by editorial, the
article number before ``_`` in the ids) and scored on the held-out fold; the pooled held-out
predictions give the reported figure. ``--write-params`` refits them on the whole file and
writes ``framing/data/tone_rules.json`` (what the package ships). The hedging lexicon has no
fitted parameter. vaderSentiment and TextBlob are benchmark-only extras:
``.venv/bin/pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import pearsonr, spearmanr

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "validation"
sys.path.insert(0, str(REPO))

from framing import load_lexicons, score_texts  # noqa: E402
from framing.corpus import Article  # noqa: E402

score_module = importlib.import_module("framing.score")  # the module, not the score() function

TONE_FILE = "tone-nyt-editorials-dev.tsv"
HEDGE_FILES = {"news": "hedging-news-dev.jsonl", "wikipedia": "hedging-wikipedia.jsonl"}
THRESHOLD = 0.05  # three classes: above +0.05 positive, below -0.05 negative, else neutral
HUMAN_SCALE = 4.0  # the raters' scale is -4..+4; misses compare ours with human_mean / 4

# The grid searched on each training fold (framing.score.ToneRules fields).
TONE_GRID = {
    "negation_window": [3, 4, 5],
    "negation_clause": [False, True],
    "negated_negative": [1.0, 0.5, 0.25, 0.0],
    "quote_factor": [1.0, 0.5],
    "concessive_clause": [False, True],
}
QUICK_GRID = {"negation_window": [3, 4], "negation_clause": [False, True], "negated_negative": [1.0, 0.0]}

# The naive hedging baseline: a sentence is uncertain if it holds any of these words.
NAIVE_CUES = (
    "may might could would should possibly possible probably likely unlikely perhaps maybe "
    "seem seems seemed appear appears apparently suggest suggests suggested believe believes believed "
    "think thinks expect expects expected whether if reportedly allegedly estimated unclear"
).split()


def naive_hedged(texts: list[str], cues: list[str] = NAIVE_CUES) -> np.ndarray:
    pattern = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, cues)), re.IGNORECASE)
    return np.array([bool(pattern.search(text)) for text in texts])


# ---------------------------------------------------------------- metrics

def classes(values: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    return np.where(values > threshold, 1, np.where(values < -threshold, -1, 0))


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    scores = []
    for label in (-1, 0, 1):
        tp = np.sum((truth == label) & (predicted == label))
        fp = np.sum((truth != label) & (predicted == label))
        fn = np.sum((truth == label) & (predicted != label))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def prf(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum(truth & predicted))
    precision = tp / max(1, int(predicted.sum()))
    recall = tp / max(1, int(truth.sum()))
    f1 = 0.0 if tp == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def group_folds(groups: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Fold number per row; every row of a group (document) lands in the same fold."""
    unique = np.unique(groups)
    np.random.RandomState(seed).shuffle(unique)
    fold_of = {group: index % folds for index, group in enumerate(unique)}
    return np.array([fold_of[group] for group in groups])


# ---------------------------------------------------------------- framing tone, many rule settings

@dataclass
class ToneData:
    ids: list[str]
    texts: list[str]
    human: np.ndarray
    groups: np.ndarray


def load_tone(path: Path, quick: bool, seed: int) -> ToneData:
    table = pd.read_csv(path, sep="\t", dtype={"id": str})
    table["doc"] = table["id"].str.split("_").str[0]
    if quick:
        docs = table["doc"].drop_duplicates().sample(frac=0.3, random_state=seed)
        table = table[table["doc"].isin(set(docs))].reset_index(drop=True)
    return ToneData(table["id"].tolist(), table["text"].tolist(), table["human_mean"].to_numpy(float),
                    table["doc"].to_numpy())


class ToneScorer:
    """framing's tone for fixed texts under any ToneRules.

    It calls the package's own ``score_articles`` (with ``rules``) and ``tone_sums``, the code
    path of ``score_texts``; ``check`` confirms the result equals ``framing.score_texts`` for
    the shipped parameters.
    """

    def __init__(self, texts: list[str]) -> None:
        self.lexicons = load_lexicons()
        self.articles = [Article(id=f"{i:09d}", outlet="", title="", date="", source_note="", text=text)
                         for i, text in enumerate(texts)]

    def tone(self, rules) -> np.ndarray:
        scores, evidence, _ = score_module.score_articles(self.articles, self.lexicons, rules=rules)
        sentences = scores["sentences"].to_numpy(float)  # its tone column is rounded: summed again here, unrounded
        sums = score_module.tone_sums(evidence).reindex(scores["article_id"])["tone_sum"].fillna(0.0)
        return np.where(sentences > 0, sums.to_numpy() / np.maximum(sentences, 1), 0.0)

    def check(self, texts: list[str]) -> float:
        """Largest difference between this scorer (shipped rules) and framing.score_texts."""
        return float(np.max(np.abs(self.tone(score_module.TONE_RULES) - score_texts(texts)["tone"].to_numpy())))


def settings(grid: dict) -> list[dict]:
    return [dict(zip(grid, values)) for values in itertools.product(*grid.values())]


def cross_validate_tone(data: ToneData, scorer: ToneScorer, grid: dict, folds: int, seed: int):
    """Pooled held-out predictions, the setting chosen per fold, and the per-setting predictions."""
    candidates = settings(grid)
    predictions = np.array([scorer.tone(score_module.ToneRules(**setting)) for setting in candidates])
    fold = group_folds(data.groups, folds, seed)
    held_out = np.zeros(len(data.human))
    chosen = []
    for k in range(folds):
        train = fold != k
        train_r = [pearsonr(p[train], data.human[train])[0] if np.std(p[train]) > 0 else -1 for p in predictions]
        best = int(np.argmax(train_r))
        chosen.append(candidates[best])
        held_out[~train] = predictions[best][~train]
    full_r = [pearsonr(p, data.human)[0] for p in predictions]
    return held_out, chosen, candidates[int(np.argmax(full_r))], fold


def tone_row(name: str, predicted: np.ndarray, human: np.ndarray) -> dict:
    return {
        "system": name,
        "pearson_r": pearsonr(predicted, human)[0],
        "spearman_r": spearmanr(predicted, human)[0],
        "macro_f1": macro_f1(classes(human), classes(predicted)),
        "macro_f1_h4": macro_f1(classes(human / HUMAN_SCALE), classes(predicted)),
        "coverage": float(np.mean(predicted != 0)),
    }


def vader_scores(texts: list[str]) -> np.ndarray | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    return np.array([analyzer.polarity_scores(text)["compound"] for text in texts])


def textblob_scores(texts: list[str]) -> np.ndarray | None:
    try:
        from textblob import TextBlob
    except ImportError:
        return None
    return np.array([TextBlob(text).sentiment.polarity for text in texts])


def run_tone(path: Path, args) -> dict:
    data = load_tone(path, args.quick, args.seed)
    grid = QUICK_GRID if args.quick else TONE_GRID
    scorer = ToneScorer(data.texts)
    mismatch = scorer.check(data.texts)
    held_out, chosen, full_best, _ = cross_validate_tone(data, scorer, grid, args.folds, args.seed)
    shipped = scorer.tone(score_module.TONE_RULES)
    vader = vader_scores(data.texts)
    blob = textblob_scores(data.texts)
    rows = [tone_row(f"framing, cross-validated ({args.folds} folds)", held_out, data.human),
            tone_row("framing, shipped parameters (in-sample)", shipped, data.human),
            tone_row("framing, VADER's rule settings", scorer.tone(score_module.ToneRules()), data.human)]
    for name, values in (("vaderSentiment 3.3.2 (compound)", vader), ("TextBlob (polarity)", blob)):
        if values is not None:
            rows.append(tone_row(name, values, data.human))
    print(f"\n## Tone: {path.name} ({len(data.human)} snippets, {len(set(data.groups))} editorials)")
    if vader is None or blob is None:
        print("(vaderSentiment or TextBlob not installed: .venv/bin/pip install -e '.[bench]')")
    print("Classes: positive above +0.05, negative below -0.05; humans on their -4..+4 mean as is "
          "('F1') and divided by 4 ('F1 h/4').")
    print(f"{'system':44} {'Pearson r':>9} {'Spearman':>9} {'F1':>6} {'F1 h/4':>7} {'covered':>8}")
    for row in rows:
        print(f"{row['system']:44} {row['pearson_r']:9.3f} {row['spearman_r']:9.3f} {row['macro_f1']:6.3f} "
              f"{row['macro_f1_h4']:7.3f} {row['coverage']:8.1%}")
    print("Published on all 5,190 snippets (Hutto & Gilbert 2014): individual raters 0.745, VADER 0.492, "
          "Hu-Liu04 0.487, General Inquirer 0.362.")
    print(f"Chosen per fold: {chosen}")
    print(f"Best on the whole file: {full_best}; shipped: {score_module.TONE_RULES.as_dict()}")
    print(f"Scorer vs framing.score_texts, largest difference: {mismatch:.2g}")
    order = np.argsort(-np.abs(held_out - data.human / HUMAN_SCALE))[:20]
    print("\n20 worst tone misses (|framing cross-validated - human/4|):")
    for index in order:
        print(f"  ours {held_out[index]:+.2f}  human/4 {data.human[index] / HUMAN_SCALE:+.2f}  "
              f"[{data.ids[index]}] {data.texts[index][:150]}")
    return {"rows": rows, "chosen": chosen, "full_best": full_best, "mismatch": mismatch}


# ---------------------------------------------------------------- hedging

def load_hedging(path: Path, quick: bool, seed: int) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if quick:
        docs = sorted({row["doc"] for row in rows})
        keep = set(np.random.RandomState(seed).permutation(docs)[: max(1, len(docs) // 5)])
        rows = [row for row in rows if row["doc"] in keep]
    return rows


def framing_hedges(texts: list[str]) -> tuple[np.ndarray, list[list[tuple[int, int, str]]]]:
    """``hedged`` from score_texts, and the uncertainty cues found (span, term) per text."""
    table = score_texts(texts)
    lexicons = load_lexicons()
    articles = [Article(id=f"{i:09d}", outlet="", title="", date="", source_note="", text=text)
                for i, text in enumerate(texts)]
    _, evidence, _ = score_module.score_articles(articles, lexicons)
    cues = evidence[(evidence["lexicon"] == score_module.HEDGE_LEXICON)
                    & evidence["category"].isin(score_module.UNCERTAINTY_CATEGORIES)]
    found: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for article_id, start, end, term in zip(cues["article_id"], cues["start"], cues["end"], cues["term"]):
        found[int(article_id)].append((int(start), int(end), term))
    hedged = table["hedged"].to_numpy(bool)
    assert np.array_equal(hedged, np.array([bool(spans) for spans in found])), "hedged disagrees with its evidence"
    return hedged, found


def type_recall(rows: list[dict], predicted: np.ndarray) -> dict[str, tuple[int, float]]:
    """Per cue type: how many gold cues, and the share whose sentence is flagged."""
    totals: dict[str, list[int]] = {}
    for row, flagged in zip(rows, predicted):
        for cue in row["cues"]:
            name = cue["type"].replace("speculation_", "")
            totals.setdefault(name, [0, 0])
            totals[name][0] += 1
            totals[name][1] += int(flagged)
    return {name: (n, hit / n) for name, (n, hit) in sorted(totals.items())}


def run_hedging(name: str, path: Path, args) -> dict:
    rows = load_hedging(path, args.quick, args.seed)
    texts = [row["text"] for row in rows]
    truth = np.array([bool(row["uncertain"]) for row in rows])
    ours, found = framing_hedges(texts)
    naive = naive_hedged(texts)
    strict = naive_hedged(texts, [cue for cue in NAIVE_CUES if cue not in ("would", "should")])
    systems = [("framing hedged", ours), (f"naive baseline ({len(NAIVE_CUES)} cue words)", naive),
               ("naive baseline without would/should", strict)]
    print(f"\n## Hedging: {path.name} ({len(rows)} sentences, {int(truth.sum())} uncertain)")
    print(f"{'system':40} {'P':>6} {'R':>6} {'F1':>6}   recall by cue type (cues: recall)")
    results = {}
    for label, predicted in systems:
        precision, recall, f1 = prf(truth, predicted)
        by_type = type_recall(rows, predicted)
        results[label] = {"precision": precision, "recall": recall, "f1": f1, "by_type": by_type}
        types = "  ".join(f"{t} {n}: {r:.2f}" for t, (n, r) in by_type.items())
        print(f"{label:40} {precision:6.3f} {recall:6.3f} {f1:6.3f}   {types}")
    print("\n20 false negatives (uncertain, not flagged) with the gold cues:")
    misses = [i for i in range(len(rows)) if truth[i] and not ours[i]]
    for i in misses[:20]:
        gold = ", ".join(f"'{c['cue']}' {c['type'].replace('speculation_', '')}" for c in rows[i]["cues"])
        print(f"  [{gold}] {texts[i][:160]}")
    print("\n20 false positives (flagged, labelled certain) with our cue:")
    wrong = [i for i in range(len(rows)) if ours[i] and not truth[i]]
    for i in wrong[:20]:
        cue = ", ".join(f"'{texts[i][s:e]}' ({term})" for s, e, term in found[i])
        print(f"  [{cue}] {texts[i][:160]}")
    return results


# ---------------------------------------------------------------- main

def write_params(full_best: dict, cv: dict, args) -> Path:
    path = score_module.TONE_RULES_PATH
    payload = {
        "parameters": full_best,
        "fitted_by": "python bench/validate.py --write-params",
        "data": f"{TONE_FILE} (Hutto & Gilbert 2014 NYT editorial snippets), all folds",
        "criterion": "Pearson r of tone with human_mean, grid search over bench/validate.py TONE_GRID",
        "cross_validated_pearson_r": round(cv["pearson_r"], 4),
        "folds": args.folds,
        "seed": args.seed,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the validation files")
    parser.add_argument("--quick", action="store_true", help="a subsample of documents and a small grid")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write-params", action="store_true",
                        help="refit the tone-rule parameters on the whole file into framing/data/tone_rules.json")
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"{args.data}: validation data not found (it lives in ../shared/validation/ beside the repository)")
    if args.write_params and args.quick:
        sys.exit("--write-params needs the full run (no --quick)")
    started = time.perf_counter()
    tone = run_tone(args.data / TONE_FILE, args)
    for name, file in HEDGE_FILES.items():
        run_hedging(name, args.data / file, args)
    if args.write_params:
        print(f"\nwrote {write_params(tone['full_best'], tone['rows'][0], args)}")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
