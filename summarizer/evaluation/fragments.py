"""How much a summary copies its sources: extractive fragments, novel n-grams, fused sentences.

Coverage, density and compression are Grusky et al.'s (2018, Newsroom): the greedy shared
fragments between summary and sources; coverage is the share of summary words inside a copied
fragment, density the mean squared fragment length per summary word (long copied runs score high),
compression the sources' words per summary word. With several documents the sources are their
concatenation, with a boundary no fragment crosses.

A summary sentence is *fused* (the fusion issue, #14) when it is no copy of one source sentence,
at least ``FUSED_NEW_BIGRAMS`` of its word bigrams being absent from the single source sentence it
shares most bigrams with, and it rests on at least two documents.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
#: share of a sentence's bigrams that its closest single source sentence must lack for "fused"
FUSED_NEW_BIGRAMS = 0.2


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (punctuation dropped), as the fragment measures count them."""
    return [t.lower() for t in _TOKEN.findall(text)]


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


def ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]


def novel_ngram_share(summary: str, documents: list[str], n: int) -> float | None:
    """Share of the summary's word n-grams found in no document (None for a summary without any)."""
    grams = ngrams(tokens(summary), n)
    if not grams:
        return None
    known = {g for document in documents for g in ngrams(tokens(document), n)}
    return sum(g not in known for g in grams) / len(grams)


def bigram_sets(source_sentences: list[str]) -> list[frozenset[tuple[str, ...]]]:
    """Each source sentence's word bigrams (computed once per cluster for ``is_fused``)."""
    return [frozenset(ngrams(tokens(s), 2)) for s in source_sentences]


def is_fused(sentence: str, sources: list[frozenset[tuple[str, ...]]], documents: tuple[str, ...]) -> bool:
    """Whether ``sentence`` is fusion, not a copy: at least ``FUSED_NEW_BIGRAMS`` of its bigrams are
    absent from the source sentence (``sources``: ``bigram_sets``) it shares most bigrams with, and
    ``documents`` (those it rests on: its citations) number two or more."""
    return len(set(documents)) >= 2 and _new_share(ngrams(tokens(sentence), 2), sources) >= FUSED_NEW_BIGRAMS


def new_bigram_share(sentence: str, source_sentences: list[str]) -> float:
    """Share of ``sentence``'s bigrams absent from the one of ``source_sentences`` it shares most with."""
    return new_bigram_share_of(sentence, bigram_sets(source_sentences))


def new_bigram_share_of(sentence: str, sources: list[frozenset[tuple[str, ...]]]) -> float:
    """``new_bigram_share`` against sources' ``bigram_sets``, computed once for many sentences."""
    return _new_share(ngrams(tokens(sentence), 2), sources)


def _new_share(own: list[tuple[str, ...]], sources: list[frozenset[tuple[str, ...]]]) -> float:
    if not own:
        return 0.0
    best = max((sum(g in shared for g in own) for shared in sources), default=0)
    return (len(own) - best) / len(own)
