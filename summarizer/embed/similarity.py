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


class StemIndicator:
    """Stem sets as sparse indicator rows (scipy.sparse) over their own vocabulary, with their sizes."""

    def __init__(self, stem_sets: list[frozenset[str]]) -> None:
        from scipy.sparse import csr_matrix

        vocabulary: dict[str, int] = {}
        used = [vocabulary.setdefault(s, len(vocabulary)) for stems in stem_sets for s in sorted(stems)]
        pointers = np.cumsum([0] + [len(stems) for stems in stem_sets])
        self.rows = csr_matrix((np.ones(len(used), dtype=np.float32), used, pointers),
                               shape=(len(stem_sets), max(1, len(vocabulary))))
        self.sizes = np.array([len(s) for s in stem_sets], dtype=np.float32)


def overlap_cosine(overlap: np.ndarray, left_sizes: np.ndarray, right_sizes: np.ndarray) -> np.ndarray:
    """|A∩B| / sqrt(|A||B|) from the overlap counts and the set sizes (0 where a set is empty)."""
    norms = np.sqrt(np.outer(left_sizes, right_sizes))  # float32 throughout: the same numbers bit for bit
    return np.divide(overlap, norms, out=np.zeros_like(overlap), where=norms > 0)


def set_cosine(stems: StemIndicator, left_rows=slice(None), right_rows=slice(None)) -> np.ndarray:
    """Set cosine between ``stems``' rows ``left_rows`` and its rows ``right_rows``."""
    overlap = (stems.rows[left_rows] @ stems.rows[right_rows].T).toarray()
    return overlap_cosine(overlap, stems.sizes[left_rows], stems.sizes[right_rows])


def lexical_similarity(stem_sets: list[frozenset[str]],
                       other_sets: list[frozenset[str]] | None = None) -> np.ndarray:
    """Set cosine |A∩B| / sqrt(|A||B|) between every pair of stem sets.

    The sets are sparse indicator rows over the stems they use (scipy.sparse), so the work grows
    with the pairs that share a stem, not with sentences × vocabulary: a dense n × vocabulary
    product was most of retrieval's time on clusters of 50 articles and more.
    """
    if other_sets is None:
        return set_cosine(StemIndicator(stem_sets))
    both = StemIndicator(stem_sets + other_sets)  # one vocabulary for both sides
    return set_cosine(both, slice(0, len(stem_sets)), slice(len(stem_sets), None))


def blended_similarity(left_vectors: np.ndarray, right_vectors: np.ndarray,
                       left_texts: list[str], right_texts: list[str], lexical_weight: float) -> np.ndarray:
    """(1 - w) · embedding cosine + w · lexical overlap, for every left × right pair."""
    cosine = left_vectors @ right_vectors.T
    if lexical_weight == 0:
        return cosine
    lexical = lexical_similarity([content_stems(t) for t in left_texts],
                                 [content_stems(t) for t in right_texts])
    return blend(cosine, lexical, lexical_weight)


def blend(cosine: np.ndarray, lexical: np.ndarray, lexical_weight: float) -> np.ndarray:
    """(1 - w) · cosine + w · lexical: the one formula of "how similar" everywhere."""
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
