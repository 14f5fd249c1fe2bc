"""Salience signals of every sentence, and the scorers (``retrieve.scorer``) that weigh them.

Cross-outlet corroboration is the main signal: a fact several outlets report is both more
likely to matter and less likely to be one outlet's framing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from summarizer.config_schema import RetrieveConfig
from summarizer.embed.similarity import Similarity
from summarizer.retrieve.features import sentence_features
from summarizer.retrieve.pairwise import PairwiseSimilarity
from summarizer.retrieve.salience_model import load_salience_model
from summarizer.types import EmbeddedCluster, SegmentedCluster


@dataclass(frozen=True)
class Signals:
    """Per-sentence salience signals, each in [0, 1], aligned with the cluster's sentences."""

    corroboration: np.ndarray
    centrality: np.ndarray
    position: np.ndarray
    title: np.ndarray
    support: np.ndarray  # number of other documents carrying the sentence's fact
    features: np.ndarray  # n × len(FEATURE_NAMES), for learned scorers
    pairwise: PairwiseSimilarity  # blended similarity of the sentences, which grouping reads too
    document_sentences: float  # sentences of the cluster's median document (which scorer fits, ``auto``)


def corroboration_salience(signals: Signals, config: RetrieveConfig) -> np.ndarray:
    """Weighted blend of corroboration, centrality, position and title overlap."""
    weight_title = config.weight_title if signals.title.any() else 0.0
    total = (config.weight_corroboration + config.weight_centrality + config.weight_position
             + weight_title)
    return (config.weight_corroboration * signals.corroboration
            + config.weight_centrality * signals.centrality
            + config.weight_position * signals.position
            + weight_title * signals.title) / total


def learned_salience(signals: Signals, config: RetrieveConfig) -> np.ndarray:
    """A linear model over ``FEATURE_NAMES`` trained on NeuS train (retrieve.salience_model
    names another one). Predicts each sentence's ROUGE-1 + ROUGE-2 precision against a neutral
    reference; scaled to [0, 1] so that MMR's trade-off means the same as for the other scorers."""
    if not len(signals.features):
        return np.zeros(0)
    return minmax(load_salience_model(config.salience_model).predict(signals.features))


def auto_salience(signals: Signals, config: RetrieveConfig) -> np.ndarray:
    """The learned scorer on clusters like those it was trained on, the corroboration blend on longer ones.

    The learned model read its position features on NeuS excerpts (documents of up to 5
    sentences, ``LinearSalience.document_sentences``); on full articles those features take values
    it never saw and it ranks worse than the unsupervised blend, by more the longer the articles
    (FRANK's CNN/DM articles cut to their first 4, 6, 10 and 15 sentences and whole, eval/README.md).
    So a cluster whose median document is longer than the model's domain is scored by the blend.
    """
    limit = load_salience_model(config.salience_model).document_sentences
    if limit is not None and signals.document_sentences > limit:
        return corroboration_salience(signals, config)
    return learned_salience(signals, config)


def lead_salience(signals: Signals, config: RetrieveConfig) -> np.ndarray:
    """Position only: the lead-sentences baseline with the same grouping and budget."""
    return signals.position.copy()


def minmax(values: np.ndarray) -> np.ndarray:
    """``values`` scaled to [0, 1] (all zeros when they are all equal)."""
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    return np.zeros_like(values) if high - low < 1e-9 else (values - low) / (high - low)


def compute_signals(segmented: SegmentedCluster, pairwise: PairwiseSimilarity, vectors: np.ndarray,
                    title_similarity: np.ndarray, group_threshold: float) -> Signals:
    doc_ids = [d.doc_id for d in segmented.cluster.documents]
    n = len(segmented.sentences)
    # Best match of each sentence in each document (NaN in its own), in the cluster's document order.
    column = {d: k for k, d in enumerate(pairwise.doc_ids)}
    best_in_doc = np.full((n, len(doc_ids)), -1.0)
    present = [k for k, d in enumerate(doc_ids) if d in column]
    best_in_doc[:, present] = pairwise.best_in_document[:, [column[doc_ids[k]] for k in present]]
    others = max(1, len(doc_ids) - 1)
    # Soft count of other outlets carrying the fact: a sigmoid around the grouping threshold.
    soft = 1.0 / (1.0 + np.exp(-(best_in_doc - group_threshold) / 0.05))
    corroboration = np.nan_to_num(soft, nan=0.0).sum(axis=1) / others
    support = np.nan_to_num(best_in_doc >= group_threshold, nan=0).sum(axis=1)
    centroid = vectors.mean(axis=0) if n else np.zeros(vectors.shape[1])
    centrality = minmax(vectors @ centroid) if n else np.zeros(0)
    position = np.array([1.0 / np.sqrt(1.0 + s.index) for s in segmented.sentences])
    title = minmax(title_similarity) if title_similarity.any() else title_similarity
    features = sentence_features(segmented, vectors, title_similarity, corroboration, centrality, position,
                                 title, support)
    document_sentences = float(np.median([len(segmented.of_document(d)) for d in doc_ids])) if doc_ids else 0.0
    return Signals(corroboration=corroboration, centrality=centrality, position=position, title=title,
                   support=support.astype(int), features=features, pairwise=pairwise,
                   document_sentences=document_sentences)


def cluster_signals(embedded: EmbeddedCluster, similarity: Similarity, config: RetrieveConfig) -> Signals:
    """Salience signals of every sentence (also what scripts/train_salience.py trains on, so
    training and use see the same features)."""
    texts, vectors, title_vectors = embedded.texts, embedded.vectors, embedded.title_vectors
    pairwise = PairwiseSimilarity(embedded.sentences, vectors, texts, similarity, config.group_threshold)
    title_similarity = (vectors @ title_vectors.T).max(axis=1) if len(title_vectors) and len(texts) \
        else np.zeros(len(texts))
    return compute_signals(embedded.segmented, pairwise, vectors, title_similarity, config.group_threshold)
