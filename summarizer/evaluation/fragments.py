"""How much a summary copies its sources: extractive fragments, novel n-grams, fused sentences.

Coverage, density and compression are Grusky et al.'s (2018, Newsroom): the greedy shared
fragments between summary and sources; coverage is the share of summary words inside a copied
fragment, density the mean squared fragment length per summary word (long copied runs score high),
compression the sources' words per summary word. With several documents the sources are their
concatenation, with a boundary no fragment crosses.

Whether a sentence is fused is ``summarizer.fuse.novelty``'s (re-exported here for the evaluation's users).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from summarizer.fuse.novelty import (  # noqa: F401  (re-exported)
    FUSED_NEW_BIGRAMS,
    bigram_sets,
    is_fused,
    new_bigram_share,
    new_bigram_share_of,
    ngrams,
    tokens,
)


@dataclass(frozen=True)
class Fragments:
    coverage: float
    density: float
    compression: float


def extractive_fragments(summary: str, documents: list[str]) -> Fragments:
    """Greedy extractive fragments of ``summary`` in ``documents`` (Grusky et al., 2018, Alg. 1)."""
    words = tokens(summary)
    source: list[str | None] = []
    for document in documents:
        source += tokens(document) + [None]  # None matches nothing: no fragment spans two documents
    if not words:
        return Fragments(0.0, 0.0, 0.0)
    positions: dict[str, list[int]] = defaultdict(list)
    for j, token in enumerate(source):
        if token is not None:
            positions[token].append(j)
    lengths = []
    i = 0
    while i < len(words):
        longest = 0
        for j in positions.get(words[i], ()):
            length = 0
            while i + length < len(words) and j + length < len(source) and words[i + length] == source[j + length]:
                length += 1
            longest = max(longest, length)
        if longest:
            lengths.append(longest)
        i += max(longest, 1)
    source_words = len(source) - len(documents)
    return Fragments(coverage=sum(lengths) / len(words), density=sum(n * n for n in lengths) / len(words),
                     compression=source_words / len(words))


def novel_ngram_share(summary: str, documents: list[str], n: int) -> float | None:
    """Share of the summary's word n-grams found in no document (None for a summary without any)."""
    grams = ngrams(tokens(summary), n)
    if not grams:
        return None
    known = {g for document in documents for g in ngrams(tokens(document), n)}
    return sum(g not in known for g in grams) / len(grams)
