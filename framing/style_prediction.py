"""How well style tells outlets apart: cross-validated outlet prediction against chance and a bag of words.

Both models see the same stratified, seeded folds:

* **style features**: standardized features (scaler fitted on the training folds), multinomial
  logistic regression (lbfgs);
* **bag of words**: sublinear tf-idf of hashed word counts (``word_counts``; columns with a
  document frequency of at least 5 in the training folds, at most 50,000), logistic regression
  trained by averaged stochastic gradient descent (``SGDClassifier(loss="log_loss", average=True)``,
  one-vs-rest, ``BAG_OF_WORDS_EPOCHS`` pass, classes in parallel threads). On the 4,400-article
  AllSides corpus this takes under a second for five folds and scores above lbfgs on the
  ``TfidfVectorizer`` matrix, which takes a minute (docs/validation.md); the text is tokenized
  once, with numpy (``word_counts``).

Chance is given twice: the majority-class rate and 1 / number of outlets.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .word_counts import drop_rare_columns, hashed_word_counts, tfidf_split

if TYPE_CHECKING:  # scikit-learn and SciPy are imported where used: importing them takes seconds
    import scipy.sparse as sp
    from sklearn.linear_model import SGDClassifier

STYLE_MODEL = "style features"
BAG_OF_WORDS_MODEL = "bag of words"
MAJORITY_MODEL = "majority class"
UNIFORM_MODEL = "uniform guess"
PREDICTION_COLUMNS = ["model", "accuracy", "macro_f1", "fold_accuracy_min", "fold_accuracy_max"]
CONFUSION_COLUMNS = ["outlet", "predicted", "articles", "share"]
MISTAKE_COLUMNS = ["outlet", "articles", "correct_share", "mistaken_for", "mistaken_share"]
N_SPLITS = 5
BAG_OF_WORDS_MIN_DF = 5
BAG_OF_WORDS_MAX_FEATURES = 50_000
BAG_OF_WORDS_EPOCHS = 1  # one averaged pass (ASGD); docs/validation.md compares two passes and lbfgs
BAG_OF_WORDS_ALPHA = 1e-5
THREADS = 2


@dataclass(frozen=True)
class Separability:
    """Cross-validated outlet prediction: scores per model, chance rows, and who is mistaken for whom."""

    available: bool
    reason: str = ""
    outlets: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    articles: int = 0
    folds: int = 0
    random_state: int = 0
    bag_of_words_reason: str = ""
    scores: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PREDICTION_COLUMNS), repr=False)
    confusion: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CONFUSION_COLUMNS), repr=False)
    mistakes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MISTAKE_COLUMNS), repr=False)

    def score(self, model: str, column: str = "accuracy") -> float:
        """One figure of ``scores`` (NaN when the model was not run)."""
        rows = self.scores[self.scores["model"] == model]
        return float(rows[column].iloc[0]) if len(rows) else math.nan


def one_blas_thread() -> threadpool_limits:
    """BLAS on one thread: on small matrices its threads spin, and on a busy 2-core machine they turned
    a 0.1 s logistic regression into 2 s (measured); the work here is parallel where it pays (SGD classes)."""
    return threadpool_limits(limits=1, user_api="blas")


def chance_rows(outlets: np.ndarray) -> list[tuple]:
    """Accuracy and expected macro F1 of always guessing the largest outlet, and of guessing uniformly."""
    shares = pd.Series(outlets).value_counts(normalize=True).sort_index()
    count = len(shares)
    majority = float(shares.max())
    uniform = 1.0 / count
    uniform_f1 = float(np.mean(2 * shares * uniform / (shares + uniform)))
    return [(MAJORITY_MODEL, majority, (2 * majority / (1 + majority)) / count, math.nan, math.nan),
            (UNIFORM_MODEL, uniform, uniform_f1, math.nan, math.nan)]


def _style_model(random_state: int):
    """Standardize on the training folds, then multinomial logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=random_state))


def bag_of_words_model(random_state: int) -> SGDClassifier:
    """The baseline's classifier: logistic regression by one averaged SGD pass (cheap; see the module docstring)."""
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(loss="log_loss", alpha=BAG_OF_WORDS_ALPHA, max_iter=BAG_OF_WORDS_EPOCHS, tol=None,
                         average=True, random_state=random_state, n_jobs=THREADS)


def _model_row(name: str, truth: np.ndarray, predicted: np.ndarray, fold_scores: list[float]) -> tuple:
    from sklearn.metrics import accuracy_score, f1_score

    return (name, accuracy_score(truth, predicted), f1_score(truth, predicted, average="macro", zero_division=0),
            min(fold_scores), max(fold_scores))


def confusion_table(truth: np.ndarray, predicted: np.ndarray) -> pd.DataFrame:
    """Per true outlet and predicted outlet: articles and share of the true outlet's articles."""
    frame = pd.DataFrame({"outlet": truth, "predicted": predicted})
    table = frame.groupby(["outlet", "predicted"], sort=True).size().rename("articles").reset_index()
    table["share"] = (table["articles"] / table.groupby("outlet")["articles"].transform("sum")).round(6)
    return table[CONFUSION_COLUMNS]


def mistake_summary(confusion: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: share predicted correctly and the outlet it is most often mistaken for (ties: by name)."""
    matrix = confusion.pivot_table(index="outlet", columns="predicted", values="articles", aggfunc="sum", fill_value=0)
    matrix = matrix.reindex(columns=sorted(set(matrix.columns) | set(matrix.index)), fill_value=0)
    rows = []
    for outlet, counts in matrix.iterrows():
        total = int(counts.sum())
        wrong = counts.drop(outlet)
        wrong = wrong[wrong > 0]
        top = str(wrong.idxmax()) if len(wrong) else ""  # idxmax: the first (alphabetical) of equal counts
        rows.append((outlet, total, float(counts.get(outlet, 0)) / total, top,
                     float(wrong.max()) / total if len(wrong) else 0.0))
    return pd.DataFrame(rows, columns=MISTAKE_COLUMNS)


def bag_of_words_counts(texts: Sequence[str]) -> sp.csr_matrix:
    """The bag of words' hashed word counts, one row per text, without columns too rare to ever be kept."""
    return drop_rare_columns(hashed_word_counts(texts, threads=THREADS), BAG_OF_WORDS_MIN_DF)


def cross_validated_prediction(features: pd.DataFrame, columns: list[str], word_counts: sp.csr_matrix | None = None,
                               n_splits: int = N_SPLITS, random_state: int = 0,
                               left_out: Sequence[str] = ()) -> Separability:
    """Out-of-fold outlet predictions from ``columns`` (and from ``word_counts`` when given), scored and summarized.

    ``features`` holds an ``outlet`` column and the feature columns; ``word_counts``
    (``bag_of_words_counts``) has one row per row of ``features``.
    """
    with one_blas_thread():
        return _cross_validated_prediction(features, columns, word_counts, n_splits, random_state, left_out)


def _cross_validated_prediction(features: pd.DataFrame, columns: list[str], counts: sp.csr_matrix | None,
                                n_splits: int, random_state: int, left_out: Sequence[str]) -> Separability:
    from sklearn.model_selection import StratifiedKFold

    truth = features["outlet"].to_numpy(dtype=object)
    values = features[columns].to_numpy(dtype=float)
    folds = list(StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state).split(values, truth))
    style_predicted, style_folds = _out_of_fold(folds, truth, lambda train, test: _style_model(random_state).fit(
        values[train], truth[train]).predict(values[test]))
    rows = [_model_row(STYLE_MODEL, truth, style_predicted, style_folds)]
    bag_of_words_reason = "no article texts were given" if counts is None else ""
    if counts is not None and any(
            (np.bincount(counts[train].indices, minlength=counts.shape[1]) >= BAG_OF_WORDS_MIN_DF).sum() == 0
            for train, _ in folds):
        bag_of_words_reason = f"in some fold no word occurs in {BAG_OF_WORDS_MIN_DF} or more of the training articles"
        counts = None
    if counts is not None:
        rows.append(_model_row(BAG_OF_WORDS_MODEL, truth, *_out_of_fold(
            folds, truth, lambda train, test: _bag_of_words_predictions(counts, truth, train, test, random_state))))
    rows += chance_rows(truth)
    scores = pd.DataFrame(rows, columns=PREDICTION_COLUMNS)
    scores[PREDICTION_COLUMNS[1:]] = scores[PREDICTION_COLUMNS[1:]].astype(float).round(6)
    confusion = confusion_table(truth, style_predicted)
    return Separability(
        available=True, outlets=tuple(sorted(set(truth))), left_out=tuple(left_out), articles=len(truth),
        folds=n_splits, random_state=random_state,
        bag_of_words_reason=bag_of_words_reason,
        scores=scores, confusion=confusion, mistakes=mistake_summary(confusion).round(6),
    )


def _out_of_fold(folds: list, truth: np.ndarray, fit_predict: Callable) -> tuple[np.ndarray, list[float]]:
    """Predictions for every row from the model of the fold that held it out, and each fold's accuracy."""
    from sklearn.metrics import accuracy_score

    predicted = np.empty(len(truth), dtype=object)
    accuracies = []
    for train, test in folds:
        predicted[test] = fit_predict(train, test)
        accuracies.append(accuracy_score(truth[test], predicted[test]))
    return predicted, accuracies


def _bag_of_words_predictions(counts, truth: np.ndarray, train: np.ndarray, test: np.ndarray,
                              random_state: int) -> np.ndarray:
    from sklearn.exceptions import ConvergenceWarning

    train_matrix, test_matrix = tfidf_split(counts, train, test, BAG_OF_WORDS_MIN_DF, BAG_OF_WORDS_MAX_FEATURES)
    with warnings.catch_warnings():  # a fixed, small number of passes is the point: no convergence test
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = bag_of_words_model(random_state).fit(train_matrix, truth[train])
    return model.predict(test_matrix)
