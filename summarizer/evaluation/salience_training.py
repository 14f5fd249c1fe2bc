"""Training the learned salience scorer (``retrieve.scorer=learned``); ``scripts/train_salience.py`` runs it.

Each sentence of each training cluster gets the features the pipeline computes (the same
``cluster_signals``) and a label: its ROUGE-1 + ROUGE-2 precision against the cluster's reference
(title and text). Precision, not recall or F1, because the summary has a word budget: a sentence
earns its place by how much of what it says the reference also says. A ridge regression on
standardised features is fitted in closed form (no extra dependency; most of the time is
embedding and ROUGE). Same data and arguments give the same model (no randomness).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from summarizer.config_schema import RunConfig
from summarizer.embed.encoder import embed_clusters, get_encoder
from summarizer.embed.similarity import Similarity
from summarizer.evaluation.rouge import Rouge
from summarizer.ingest import InputError, read_clusters
from summarizer.retrieve.salience_model import FEATURE_NAMES, LinearSalience
from summarizer.retrieve.scoring import cluster_signals
from summarizer.segment import segment_cluster

log = logging.getLogger("train_salience")


@dataclass(frozen=True)
class SentenceTable:
    """Features, labels and cluster number of every training sentence."""

    features: np.ndarray  # sentences × len(FEATURE_NAMES)
    labels: np.ndarray
    groups: np.ndarray  # the cluster each sentence belongs to
    clusters: int
    document_sentences: np.ndarray  # sentences of each training document (the model's domain)


def sentence_table(data: str, config: RunConfig,
                   limit: int | None) -> SentenceTable:
    """Features, labels and cluster numbers of every sentence of every cluster with a reference."""
    clusters = [c for c in read_clusters(data, config.ingest, limit) if c.references]
    if not clusters:
        raise InputError(f"{data}: no clusters with a reference to train on")
    encoder = get_encoder(config.embedding)
    similarity = Similarity(encoder, config.retrieve.lexical_weight)
    rouge = Rouge()
    features, labels, groups, document_sentences = [], [], [], []
    for start in range(0, len(clusters), 64):
        chunk = clusters[start:start + 64]
        embedded = embed_clusters([segment_cluster(c, config.segment) for c in chunk], encoder)
        for offset, (cluster, cluster_vectors) in enumerate(zip(chunk, embedded)):
            if not cluster_vectors.sentences:
                continue
            segmented = cluster_vectors.segmented
            document_sentences += [len(segmented.of_document(d.doc_id)) for d in segmented.cluster.documents]
            features.append(cluster_signals(cluster_vectors, similarity, config.retrieve).features)
            groups += [start + offset] * len(cluster_vectors.sentences)
            for sentence in cluster_vectors.sentences:
                scores = rouge.score_against(sentence.text, cluster.references)
                labels.append(scores["rouge1"].precision + scores["rouge2"].precision)
        log.info("%d / %d clusters", min(start + 64, len(clusters)), len(clusters))
    return SentenceTable(np.concatenate(features), np.asarray(labels), np.asarray(groups), len(clusters),
                         np.asarray(document_sentences))


def domain_document_sentences(document_sentences: np.ndarray) -> int:
    """The longest training document, in sentences, that the model's domain includes: the 99th
    percentile (the longest few are outliers the fit barely saw; NeuS train: 5, of at most 10)."""
    return int(np.quantile(document_sentences, 0.99, method="higher")) if len(document_sentences) else 1


def centred_per_group(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    sums = np.zeros((groups.max() + 1,) + values.shape[1:])
    np.add.at(sums, groups, values)
    counts = np.bincount(groups, minlength=len(sums)).reshape((-1,) + (1,) * (values.ndim - 1))
    return values - (sums / np.maximum(counts, 1))[groups]


def fit_ridge(features: np.ndarray, labels: np.ndarray, l2: float, description: str,
              groups: np.ndarray | None = None, document_sentences: int | None = None) -> LinearSalience:
    """Closed-form ridge regression on standardised features; the bias is not penalised.

    With ``groups`` (the cluster of each sentence) features and labels are centred per cluster
    first: the scorer only ever compares sentences of one cluster, so what it should learn is
    which sentence of a cluster is better, not which clusters have easy references (NeuS val,
    scripted: ROUGE-1 +0.5 over the uncentred fit, eval/README.md).
    """
    mean = features.mean(axis=0)
    fit_features = features if groups is None else centred_per_group(features, groups) + mean
    fit_labels = labels if groups is None else centred_per_group(labels, groups)
    scale = fit_features.std(axis=0)
    scale[scale < 1e-9] = 1.0  # a constant feature gets weight 0 rather than a division by zero
    standard = (fit_features - mean) / scale
    centred = fit_labels - fit_labels.mean()
    weights = np.linalg.solve(standard.T @ standard + l2 * np.eye(standard.shape[1]), standard.T @ centred)
    return LinearSalience(FEATURE_NAMES, tuple(np.round(mean, 8).tolist()), tuple(np.round(scale, 8).tolist()),
                          tuple(np.round(weights, 8).tolist()), round(float(labels.mean()), 8), description,
                          document_sentences)
