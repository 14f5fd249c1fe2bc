"""Every choice of the offline checker made on held-out folds: nested cross-validation on FRANK (issue #21).

The shipped summary score makes two choices: which per-sentence agreements it averages
(``consistency.COMPONENTS``: the guard's, stem precision, single-source trigram precision; all
three) and how it aggregates sentences (w × mean + (1 − w) × min; w = 0.5). Choosing them by
looking at FRANK valid and then reporting FRANK valid overstates how well they carry to other
rows. Here, for each of five outer folds (grouped by article, ``ranking.fold_of``), the
configuration with the best training AUC (the mean of the cnndm and bbc AUCs on the other four
folds: one checker serves both kinds of summary) is chosen among every non-empty subset of
components × w in {0, 0.25, 0.5, 0.75, 1}, and the held-out fold is scored with it. The reported
AUCs are of the out-of-fold scores, per dataset (the same way ``frank.cross_validated_blend``
reports its row), beside the shipped configuration's on the same rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from summarizer.evaluation.consistency import COMPONENTS, ConsistencyResult
from summarizer.evaluation.ranking import fold_of, roc_auc

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
SHIPPED = (tuple(range(len(COMPONENTS))), 0.5)


@dataclass(frozen=True)
class NestedResult:
    scores: np.ndarray  # out-of-fold summary scores, one per example
    chosen: tuple[str, ...]  # the configuration chosen on each outer fold, described
    fold_auc: dict[str, list[float]]  # per dataset: the AUC of each outer fold


def configurations() -> list[tuple[tuple[int, ...], float]]:
    """Every (component subset, mean weight) the protocol chooses among."""
    subsets = [c for size in range(1, len(COMPONENTS) + 1) for c in combinations(range(len(COMPONENTS)), size)]
    return [(subset, weight) for subset in subsets for weight in WEIGHTS]


def describe(configuration: tuple[tuple[int, ...], float]) -> str:
    subset, weight = configuration
    return f"{' + '.join(COMPONENTS[i] for i in subset)}, w={weight:g}"


def summary_scores(results: list[ConsistencyResult], configuration: tuple[tuple[int, ...], float]) -> np.ndarray:
    """Each summary's score under ``configuration`` (NaN for a summary without sentences)."""
    subset, weight = configuration
    scores = np.full(len(results), np.nan)
    for row, result in enumerate(results):
        sentence_scores = [float(np.mean([s.components[i] for i in subset])) for s in result.sentences if s.components]
        if sentence_scores:
            scores[row] = weight * np.mean(sentence_scores) + (1 - weight) * min(sentence_scores)
    return scores


def _mean_auc(scores: np.ndarray, labels: np.ndarray, datasets: np.ndarray, mask: np.ndarray) -> float:
    aucs = [roc_auc(scores[mask & (datasets == d)], labels[mask & (datasets == d)]) for d in np.unique(datasets)]
    return float(np.nanmean(aucs))


def nested_cross_validation(results: list[ConsistencyResult], labels: list[int], datasets: list[str],
                            article_ids: list[str], folds: int = 5) -> NestedResult:
    """Out-of-fold scores with the configuration chosen on the other folds (see the module docstring):
    ``results`` of the offline checker, each summary's human label, dataset and article."""
    options = configurations()
    table = np.stack([summary_scores(results, c) for c in options], axis=1)
    labels, datasets = np.asarray(labels), np.asarray(datasets)
    fold = fold_of(list(article_ids), folds)
    valid = ~np.isnan(table).any(axis=1)
    scores = np.full(len(results), np.nan)
    chosen, fold_auc = [], {str(d): [] for d in np.unique(datasets)}
    for k in range(folds):
        train, test = valid & (fold != k), valid & (fold == k)
        if not test.any():
            continue
        # ties go to the shipped configuration, then to the earlier (simpler) one
        best = max(range(len(options)), key=lambda c: (_mean_auc(table[:, c], labels, datasets, train),
                                                       options[c] == SHIPPED, -c))
        chosen.append(describe(options[best]))
        scores[test] = table[test, best]
        for dataset in fold_auc:
            mask = test & (datasets == dataset)
            fold_auc[dataset].append(round(roc_auc(table[mask, best], labels[mask]), 4))
    return NestedResult(scores, tuple(chosen), fold_auc)
