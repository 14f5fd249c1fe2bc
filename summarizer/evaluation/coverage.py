"""Source coverage: how many documents a summary draws on, and how evenly."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Coverage:
    documents_used: int
    documents_total: int
    evenness: float  # normalised entropy of sentence attributions over all documents: 1 = even


def source_coverage(attributions: list[tuple[str, ...]], document_ids: list[str]) -> Coverage:
    """``attributions[i]`` are the documents summary sentence ``i`` rests on (cited or aligned).

    A sentence resting on k documents gives each 1/k, so a summary of corroborated facts is
    even, and one that copies a single outlet is not.
    """
    weights: Counter[str] = Counter()
    for docs in attributions:
        for doc in docs:
            weights[doc] += 1 / len(docs)
    total = sum(weights.values())
    n = len(document_ids)
    if not total or n < 2:
        return Coverage(len(weights), n, float("nan") if n < 2 else 0.0)
    entropy = -sum((w / total) * math.log(w / total) for w in weights.values() if w > 0)
    return Coverage(len(weights), n, round(entropy / math.log(n), 6))
