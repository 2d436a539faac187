"""The scoring methods of For you, over tf-idf rows (see matrix.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .features import WIDTH, term_column, text_terms
from .matrix import Weighted

# categories count twice: in tests/benchmarks/bench_foryou.py this lifted
# recall in the top 20 % with 5 stars from 0.84 to 0.97 for readers of a
# subject and from 0.76 to 0.80 for readers of an author's circle
PART_WEIGHTS = {"text": 1.0, "authors": 1.0, "categories": 2.0}


def centroid_weights(weighted: Weighted, rows: Sequence[int]) -> np.ndarray:
    """The mean of the given rows, as a dense column-weight vector."""
    weights = np.zeros(WIDTH, dtype=np.float32)
    if len(rows):
        dense, columns = weighted.dense(np.asarray(rows))
        weights[columns] = dense.mean(axis=0)
    return weights


def knn_scores(target: Weighted, weighted: Weighted, stars: Sequence[int], k: int) -> np.ndarray:
    """Each row of ``target``: the mean of its ``k`` highest cosine
    similarities to the starred rows of ``weighted``."""
    dense, columns = weighted.dense(np.asarray(stars))
    similarities = target.dot_many(dense, columns)
    k = min(k, similarities.shape[1])
    if k == similarities.shape[1]:
        return similarities.mean(axis=1)
    return np.partition(similarities, -k, axis=1)[:, -k:].mean(axis=1)


@dataclass(slots=True)
class Linear:
    weights: np.ndarray  # dense over WIDTH
    bias: float


def logistic_weights(
    weighted: Weighted,
    positives: Sequence[int],
    negatives: Sequence[int],
    lam: float = 1.0,
    iterations: int = 12,
    negative_weights: np.ndarray | None = None,
) -> Linear:
    """L2-regularised logistic regression, positives weighed to count as
    much as the negatives together, fitted by Newton's method in its dual
    (kernel) form: with a few hundred labelled papers and thousands of
    columns, the n x n system is the small one. ``negative_weights`` (one
    per negative, default 1) makes some negatives count more."""
    rows = np.concatenate([np.asarray(positives, dtype=np.int64), np.asarray(negatives, dtype=np.int64)])
    labels = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
    weights_of_negatives = np.ones(len(negatives)) if negative_weights is None else negative_weights
    sample = np.concatenate([
        np.full(len(positives), max(float(weights_of_negatives.sum()), 1.0) / max(len(positives), 1)),
        weights_of_negatives,
    ])
    dense, columns = weighted.dense(rows)
    x = dense.astype(np.float64)
    kernel = x @ x.T + 1.0  # the 1 is the bias
    alpha = np.zeros(len(rows))
    for _ in range(iterations):
        f = kernel @ alpha
        p = 1.0 / (1.0 + np.exp(-f))
        w = np.maximum(sample * p * (1.0 - p), 1e-9)
        z = f + sample * (labels - p) / w
        new_alpha = np.linalg.solve(kernel + lam * np.diag(1.0 / w), z)
        if np.max(np.abs(new_alpha - alpha)) < 1e-6:
            alpha = new_alpha
            break
        alpha = new_alpha
    weights = np.zeros(WIDTH, dtype=np.float32)
    weights[columns] = (alpha @ x).astype(np.float32)
    return Linear(weights, float(alpha.sum()))


def top_words(papers: Sequence, rows: Sequence[int], weighted: Weighted, count: int) -> list[str]:
    """The single words with the highest summed tf-idf over the given rows
    (the watch list a reader might write from their stars)."""
    totals: dict[str, float] = {}
    idf = weighted.idf
    for row in rows:
        paper = papers[row]
        for word in text_terms(f"{paper.title} {paper.abstract}", bigrams=False):
            totals[word] = totals.get(word, 0.0) + float(idf[term_column(word)])
    return sorted(totals, key=totals.__getitem__, reverse=True)[:count]
