"""Dropping repeated facts: two summary sentences that say the same thing keep the first.

Retrieval already keeps redundant facts apart, but a fused or repaired sentence can come out close
to another group's sentence; the later one of such a pair is dropped.
"""
from __future__ import annotations
from summarizer.embed.similarity import Similarity
from summarizer.stats import StageStats
from summarizer.types import SummarySentence



def drop_repeated(sentences: list[SummarySentence], similarity: Similarity, threshold: float,
                  stats: StageStats | None = None) -> list[SummarySentence]:
    """``sentences`` without those that repeat an earlier kept one (embedding cosine ≥ ``threshold``,
    ``guard.duplicate_similarity``); counts "dedupe.dropped" in ``stats``."""
    if not sentences:
        return []
    vectors = similarity.encode([s.text for s in sentences])
    kept: list[int] = []
    for i, vector in enumerate(vectors):
        if not any(float(vector @ vectors[j]) >= threshold for j in kept):
            kept.append(i)
    if stats is not None:
        stats.count("dedupe.dropped", len(sentences) - len(kept))
    return [sentences[i] for i in kept]
