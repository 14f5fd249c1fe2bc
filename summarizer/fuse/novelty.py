"""Whether a sentence is fusion or a copy: its word bigrams against its sources'.

A summary sentence is *fused* (the fusion issue, #14) when it is no copy of one source sentence,
at least ``FUSED_NEW_BIGRAMS`` of its word bigrams being absent from the single source sentence it
shares most bigrams with, and it rests on at least two documents. Fusion's choices (``choose.py``),
the outputs' labels and the evaluation's fused share all ask this one module.
"""
from __future__ import annotations

from summarizer.text import words

#: share of a sentence's bigrams that its closest single source sentence must lack for "fused"
FUSED_NEW_BIGRAMS = 0.2


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (punctuation dropped), as the fragment measures count them."""
    return [t.lower() for t in words(text)]


def ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]


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
