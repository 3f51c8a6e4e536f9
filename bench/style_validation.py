"""Outlet style on the AllSides corpus: every figure of docs/validation.md's "Outlet style" section.

    python bench/style_validation.py [PATH] [--labels FILE] [--seed N] [--reference] [--words]

PATH defaults to ../shared/corpora/allsides-11-outlets.jsonl.gz; without it the script says
so and exits 0. It scores the corpus, runs ``framing.style.analyze_style`` (timed: wall and
CPU seconds of the analysis alone) and prints outlet prediction against chance and the bag of
words, the clusters with their silhouettes, their bootstrap stability and their alignment
with the AllSides labels. ``--reference`` also runs the textbook bag of words on the same
folds, ``TfidfVectorizer(min_df=5, sublinear_tf=True, max_features=50_000)`` with lbfgs
logistic regression, to show what the fast baseline stands in for (slow: minutes). ``--words``
prints each outlet's heaviest bag-of-words terms (tf-idf and the same SGD fitted on all articles),
to show what the baseline learns.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "corpora" / "allsides-11-outlets.jsonl.gz"
sys.path.insert(0, str(REPO))


def percent(value: float) -> str:
    return f"{value:.1%}"


def reference_bag_of_words(analysis, texts: list[str], seed: int) -> tuple[float, float, float]:
    """Accuracy, macro F1 and seconds of TfidfVectorizer + lbfgs logistic regression on the analysis's folds."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    from framing.style_prediction import N_SPLITS, one_blas_thread

    truth = analysis.features["outlet"].to_numpy(dtype=object)
    folds = StratifiedKFold(n_splits=N_SPLITS, shuffle=True, random_state=seed).split(np.zeros(len(truth)), truth)
    predicted = np.empty(len(truth), dtype=object)
    started = time.perf_counter()
    with one_blas_thread():
        for train, test in folds:
            vectorizer = TfidfVectorizer(min_df=5, sublinear_tf=True, max_features=50_000)
            matrix = vectorizer.fit_transform([texts[i] for i in train])
            model = LogisticRegression(max_iter=1000).fit(matrix, truth[train])
            predicted[test] = model.predict(vectorizer.transform([texts[i] for i in test]))
    return (accuracy_score(truth, predicted), f1_score(truth, predicted, average="macro"),
            time.perf_counter() - started)


def heaviest_words(analysis, texts: list[str], seed: int, count: int = 10) -> dict[str, list[str]]:
    """Per outlet, the terms with the largest weights of the bag-of-words model fitted on every article."""
    import warnings

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing.style_prediction import bag_of_words_model

    truth = analysis.features["outlet"].to_numpy(dtype=object)
    vectorizer = TfidfVectorizer(min_df=5, sublinear_tf=True, max_features=50_000)
    matrix = vectorizer.fit_transform(texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = bag_of_words_model(seed).fit(matrix, truth)
    names = vectorizer.get_feature_names_out()
    return {str(outlet): [str(names[i]) for i in np.argsort(-weights)[:count]]
            for outlet, weights in zip(model.classes_, model.coef_)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--labels", type=Path, help="outlet,label,source CSV (default: the shipped AllSides labels)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reference", action="store_true", help="also run TfidfVectorizer + lbfgs (slow)")
    parser.add_argument("--words", action="store_true", help="print each outlet's heaviest bag-of-words terms")
    args = parser.parse_args()
    if not args.path.is_file():
        print(f"skipped: no corpus at {args.path} (the AllSides corpus lives in ../shared/corpora/; see its README)")
        return 0

    from framing import load_corpus, score
    from framing.style import analyze_style, article_texts
    from framing.style_prediction import BAG_OF_WORDS_MODEL, MAJORITY_MODEL, STYLE_MODEL, UNIFORM_MODEL

    started = time.perf_counter()
    corpus = load_corpus(args.path)
    scored = score(corpus)
    print(f"{args.path.name}: {len(corpus.articles):,} articles, {len(corpus.outlets)} outlets "
          f"(loaded and scored in {time.perf_counter() - started:.1f} s)")
    wall, cpu = time.perf_counter(), time.process_time()
    analysis = analyze_style(scored, args.labels, random_state=args.seed)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

    prediction = analysis.prediction
    print(f"\nOutlet prediction, {prediction.folds}-fold stratified cross-validation (seed {args.seed}), "
          f"{prediction.articles:,} articles:")
    features = len(analysis.features.columns) - 2
    for model, name in ((STYLE_MODEL, f"style features ({features}, standardized logistic regression)"),
                        (BAG_OF_WORDS_MODEL, "bag of words (hashed sublinear tf-idf, logistic regression by SGD)")):
        row = prediction.scores.set_index("model").loc[model]
        print(f"  {name:<70} accuracy {percent(row['accuracy'])}  macro F1 {row['macro_f1']:.3f}  "
              f"folds {percent(row['fold_accuracy_min'])}-{percent(row['fold_accuracy_max'])}")
    print(f"  {'chance: majority class / uniform guess':<70} accuracy {percent(prediction.score(MAJORITY_MODEL))} / "
          f"{percent(prediction.score(UNIFORM_MODEL))}")
    if args.reference:
        accuracy, macro_f1, seconds = reference_bag_of_words(analysis, article_texts(scored), args.seed)
        print(f"  {'reference: TfidfVectorizer + lbfgs logistic regression':<70} accuracy {percent(accuracy)}  "
              f"macro F1 {macro_f1:.3f}  ({seconds:.0f} s)")
    if args.words:
        for outlet, words in heaviest_words(analysis, article_texts(scored), args.seed).items():
            print(f"  heaviest words, {outlet}: {', '.join(words)}")
    mistakes = prediction.mistakes.sort_values("correct_share")
    print("  hardest to tell apart (style): " + "; ".join(
        f"{row.outlet} {percent(row.correct_share)} right, most often taken for {row.mistaken_for}"
        for row in mistakes.head(3).itertuples(index=False)))

    clusters = analysis.clusters
    model = clusters.model
    print(f"\nClusters: {model.k_criterion_}")
    print("  silhouette: " + ", ".join(f"k={int(row.k)} {row.silhouette:.3f}"
                                       for row in model.silhouette_.itertuples(index=False)))
    for number, members in sorted(model.labels_.groupby(model.labels_).groups.items()):
        print(f"  cluster {number}: {', '.join(sorted(members))}")
    stability = analysis.stability
    print(f"\nStability ({stability.resamples} bootstrap resamples of each outlet's articles, seed {args.seed}): "
          f"ARI mean {stability.ari_mean:.2f}, 5th-95th percentile {stability.ari_low:.2f} to {stability.ari_high:.2f}")

    alignment = analysis.alignment
    if alignment.available:
        print(f"\nAlignment with labels ({', '.join(alignment.labels)}; {len(alignment.outlets)} outlets; "
              f"{alignment.permutations:,} shuffles, seed {args.seed}):")
        for row in alignment.tests.itertuples(index=False):
            print(f"  k = {int(row.k)}: ARI {row.ari:.2f} (shuffled labels: mean {row.null_mean:.2f}, 95th percentile "
                  f"{row.null_p95:.2f}; {percent(row.share_at_least)} of shuffles at least as good)")
    else:
        print(f"\nAlignment with labels: not computed: {alignment.reason}")
    print(f"\nStyle analysis: {wall:.1f} s wall, {cpu:.1f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
