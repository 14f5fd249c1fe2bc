"""Per-sentence salience features: what the learned scorer (``salience_model``) reads.

The features extend the unsupervised signals with what NeuS training data showed to matter:
how much of a sentence's vocabulary the other outlets share, the raw closeness to the
headlines, length and form.
"""
from __future__ import annotations

import re

import numpy as np

from summarizer.retrieve.salience_model import FEATURE_NAMES
from summarizer.text import content_stems, document_frequency, is_question, word_count
from summarizer.types import SegmentedCluster

_QUOTE = re.compile(r"[\"“”]")
_DIGIT = re.compile(r"\d")


def sentence_features(segmented: SegmentedCluster, vectors: np.ndarray, title_similarity: np.ndarray,
                      corroboration: np.ndarray, centrality: np.ndarray, position: np.ndarray,
                      title: np.ndarray, support: np.ndarray) -> np.ndarray:
    """One row of ``FEATURE_NAMES`` per sentence of ``segmented`` (shape n × len(FEATURE_NAMES))."""
    sentences = segmented.sentences
    if not sentences:
        return np.zeros((0, len(FEATURE_NAMES)))
    doc_ids = [d.doc_id for d in segmented.cluster.documents]
    per_document = {d: [s for s in sentences if s.doc_id == d] for d in doc_ids}
    document_stems = {d: frozenset().union(*(content_stems(s.text) for s in members))
                      for d, members in per_document.items()}
    outlets = document_frequency(document_stems.values())
    centroid = vectors.mean(axis=0)
    others = max(1, len(doc_ids) - 1)
    rows = []
    for i, sentence in enumerate(sentences):
        stems = content_stems(sentence.text)
        own = document_stems[sentence.doc_id]
        users = [outlets[stem] for stem in stems]
        elsewhere = [outlets[stem] - (stem in own) > 0 for stem in stems]
        text = sentence.text.rstrip()
        rows.append((
            corroboration[i], centrality[i], position[i], title[i], support[i] / others,
            title_similarity[i], float(vectors[i] @ centroid), float(sentence.index == 0),
            sentence.index / max(1, len(per_document[sentence.doc_id])),
            min(word_count(text), 60) / 30,
            float(np.mean(users)) / len(doc_ids) if users else 0.0,
            float(np.mean(elsewhere)) if elsewhere else 0.0,
            float(bool(_QUOTE.search(text))), float(bool(_DIGIT.search(text))),
            float(is_question(text)),
        ))
    return np.asarray(rows, dtype=np.float64)
