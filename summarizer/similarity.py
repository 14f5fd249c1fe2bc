"""Sentence similarity: MiniLM cosine blended with lexical overlap of content stems.

One ``Similarity`` (the encoder and the lexical weight) is built by the pipeline and handed to
retrieval, the guard and the comparison, so that "two sentences say the same thing" means the
same in each of them.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np

from summarizer.text import content_stems


class Encoder(Protocol):
    """What similarity needs of a sentence encoder (``embeddings.SentenceEncoder``)."""

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...


def lexical_similarity(stem_sets: list[frozenset[str]],
                       other_sets: list[frozenset[str]] | None = None) -> np.ndarray:
    """Set cosine |A∩B| / sqrt(|A||B|) between every pair of stem sets."""
    other_sets = stem_sets if other_sets is None else other_sets
    vocabulary: dict[str, int] = {}
    for stems in (*stem_sets, *other_sets):
        for s in stems:
            vocabulary.setdefault(s, len(vocabulary))

    def indicator(sets: list[frozenset[str]]) -> np.ndarray:
        matrix = np.zeros((len(sets), max(1, len(vocabulary))), dtype=np.float32)
        for row, stems in enumerate(sets):
            matrix[row, [vocabulary[s] for s in stems]] = 1.0
        return matrix

    left, right = indicator(stem_sets), indicator(other_sets)
    overlap = left @ right.T
    norms = np.sqrt(np.outer(left.sum(1), right.sum(1)))
    return np.divide(overlap, norms, out=np.zeros_like(overlap), where=norms > 0)


def blended_similarity(left_vectors: np.ndarray, right_vectors: np.ndarray,
                       left_texts: list[str], right_texts: list[str], lexical_weight: float) -> np.ndarray:
    """(1 - w) · embedding cosine + w · lexical overlap, for every left × right pair."""
    cosine = left_vectors @ right_vectors.T
    if lexical_weight == 0:
        return cosine
    lexical = lexical_similarity([content_stems(t) for t in left_texts],
                                 [content_stems(t) for t in right_texts])
    return (1 - lexical_weight) * cosine + lexical_weight * lexical


class Similarity:
    """The encoder and the lexical weight (``retrieve.lexical_weight``) as one measure."""

    def __init__(self, encoder: Encoder, lexical_weight: float) -> None:
        self.encoder = encoder
        self.lexical_weight = lexical_weight

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-norm embeddings of ``texts``, one row each."""
        return self.encoder.encode(texts)

    def between(self, left_vectors: np.ndarray, right_vectors: np.ndarray,
                left_texts: list[str], right_texts: list[str]) -> np.ndarray:
        """Blended similarity of every left × right pair (vectors and texts aligned)."""
        return blended_similarity(left_vectors, right_vectors, left_texts, right_texts, self.lexical_weight)
