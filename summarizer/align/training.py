"""Fitting and measuring the pair model on human-judged sentence pairs (MSRP's JSON Lines).

``scripts/train_pair_model.py`` is the launcher; the evaluation of alignment (``eval/alignment.py``)
reuses ``read_pairs`` and ``pair_matrix``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from summarizer.align.devset import LabelledCluster
from summarizer.align.pair_model import Logistic, fit_logistic
from summarizer.align.pairs import CONTEXT_FEATURES, PAIR_FEATURES, SentenceView, pair_features, quantity_conflict
from summarizer.align.scoring import CrossScores, pair_table
from summarizer.embed.similarity import Encoder

# MSRP is tokenised as in the corpus ("Dominick 's", "$ 2.5 billion .", '"" the witness ""');
# the encoder and our tokenizer read news text as it is printed.
_DETOKENIZE = ((re.compile(r'""'), '"'), (re.compile(r" (['’]s|n't|'re|'ve|'ll|'d|'m)\b"), r"\1"),
               (re.compile(r" ([,.;:!?%)])"), r"\1"), (re.compile(r"([($]) "), r"\1"))


def detokenize(text: str) -> str:
    """MSRP's tokenised sentence as printed text."""
    for pattern, replacement in _DETOKENIZE:
        text = pattern.sub(replacement, text)
    return text.strip()


@dataclass(frozen=True)
class LabelledPair:
    pair_id: str
    left: str
    right: str
    label: int  # 1: the same meaning


def read_pairs(path: str | Path) -> list[LabelledPair]:
    """``{"id", "label", "sentence1", "sentence2"}`` lines; a line without them is an error naming it."""
    pairs = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                label = int(record["label"])
                if label not in (0, 1):
                    raise ValueError(f"label {label} is not 0 or 1")
                pairs.append(LabelledPair(str(record.get("id", number)), detokenize(record["sentence1"]),
                                          detokenize(record["sentence2"]), label))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: {type(error).__name__}: {error}; each line needs "
                                 '"label" (0 or 1), "sentence1" and "sentence2"') from None
    return pairs


def pair_matrix(pairs: list[LabelledPair], encoder: Encoder, cross: CrossScores) -> tuple[np.ndarray, np.ndarray]:
    """``PAIR_FEATURES`` of every pair (rows) and whether its quantities conflict; ``cross`` gives the
    last column (the fitted cross-encoder, or each pair's out-of-fold logit when fitting on them)."""
    left = encoder.encode([p.left for p in pairs])
    right = encoder.encode([p.right for p in pairs])
    cosines = np.einsum("ij,ij->i", left, right)
    views = [(SentenceView.of(p.left), SentenceView.of(p.right)) for p in pairs]
    logits = cross([(p.left, p.right) for p in pairs])
    features = np.array([(*pair_features(float(c), a, b), z) for c, (a, b), z in zip(cosines, views, logits)])
    conflicts = np.array([quantity_conflict(a, b) for a, b in views])
    return features, conflicts


def folds(count: int, k: int, seed: int) -> list[np.ndarray]:
    """``k`` disjoint test folds of ``range(count)``, shuffled with ``seed``."""
    order = np.random.default_rng(seed).permutation(count)
    return [order[i::k] for i in range(k)]


def scores(predicted: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of the positive class."""
    predicted, labels = predicted.astype(bool), labels.astype(bool)
    true_positive = int((predicted & labels).sum())
    precision = true_positive / max(1, int(predicted.sum()))
    recall = true_positive / max(1, int(labels.sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": float((predicted == labels).mean()), "precision": precision, "recall": recall, "f1": f1}


def cross_validated(features: np.ndarray, conflicts: np.ndarray, labels: np.ndarray, k: int = 10, seed: int = 0,
                    l2: float = 1.0) -> np.ndarray:
    """Each pair's out-of-fold probability (its fold left out of the fit), a quantity conflict as 0."""
    probability = np.zeros(len(labels))
    for test in folds(len(labels), k, seed):
        train = np.setdiff1d(np.arange(len(labels)), test)
        model = fit_logistic(features[train], labels[train], PAIR_FEATURES, l2)
        probability[test] = model.probability(features[test])
    return np.where(conflicts, 0.0, probability)


@dataclass(frozen=True)
class ContextRows:
    """The in-context candidate pairs of labelled clusters: features, labels, and their cluster."""

    features: np.ndarray  # rows × CONTEXT_FEATURES
    labels: np.ndarray
    cluster: np.ndarray  # the labelled cluster's name, per row


def context_rows(clusters: list[LabelledCluster], encoder: Encoder, min_similarity: float,
                 cross: CrossScores) -> ContextRows:
    """Every decided in-context candidate pair of two documents of ``clusters`` (undecided pairs left
    out), as the alignment stage would score it. Pairs within one document are left out too: the
    model learns what outlets share; that one document says a thing twice is the rarer question."""
    features, labels, names = [], [], []
    for labelled in clusters:
        sentences = labelled.segmented.sentences
        position = {d.doc_id: k for k, d in enumerate(labelled.segmented.cluster.documents)}
        documents = np.array([position[s.doc_id] for s in sentences], dtype=int)
        vectors = encoder.encode([s.text for s in sentences])
        table = pair_table([s.text for s in sentences], vectors, documents, min_similarity, cross)
        for row, (i, j), within in zip(table.context_features, table.keys, table.in_context):
            label = labelled.pair_label(i, j)
            if within and label is not None and documents[i] != documents[j]:
                features.append(row)
                labels.append(label)
                names.append(labelled.name)
    return ContextRows(np.array(features).reshape(len(labels), len(CONTEXT_FEATURES)), np.array(labels),
                       np.array(names))


def fit_context(rows: ContextRows, l2: float = 1.0) -> Logistic:
    return fit_logistic(rows.features, rows.labels, CONTEXT_FEATURES, l2)
