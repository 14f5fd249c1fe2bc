"""Ranking measures for checkers against human labels: ROC AUC, balanced accuracy, and folds
grouped by article (used by ``frank`` and ``protocol``)."""
from __future__ import annotations

import zlib

import numpy as np


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney; ties count half); NaN with one class only."""
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=int)
    positives, negatives = int(labels.sum()), int((1 - labels).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    start = 0
    while start < len(scores):  # average ranks over ties
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return float((ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def balanced_accuracy(predicted: np.ndarray, labels: np.ndarray) -> float:
    positive, negative = labels == 1, labels == 0
    return float((np.mean(predicted[positive] == 1) + np.mean(predicted[negative] == 0)) / 2)


def _best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    candidates = np.unique(scores)
    cuts = np.concatenate([[candidates[0] - 1e-9], (candidates[:-1] + candidates[1:]) / 2, [candidates[-1] + 1e-9]])
    accuracies = [balanced_accuracy((scores > cut).astype(int), labels) for cut in cuts]
    return float(cuts[int(np.argmax(accuracies))])


def fold_of(article_ids: list[str], folds: int) -> np.ndarray:
    """A stable fold per article, so no article's summaries are on both sides of a split."""
    return np.array([zlib.crc32(a.encode("utf-8")) % folds for a in article_ids])


def cross_validated_balanced_accuracy(scores: np.ndarray, labels: np.ndarray, article_ids: list[str],
                                      folds: int = 5) -> float:
    """Each fold is thresholded at the cut that maximises balanced accuracy on the other folds."""
    fold = fold_of(article_ids, folds)
    predicted = np.zeros(len(scores), dtype=int)
    for k in range(folds):
        train, test = fold != k, fold == k
        if not test.any() or len(set(labels[train])) < 2:
            continue
        predicted[test] = (scores[test] > _best_threshold(scores[train], labels[train])).astype(int)
    return balanced_accuracy(predicted, labels)
