"""Scored pairs: which sentence pairs of a cluster are looked at, and their P(same fact).

Every pair of sentences from two documents whose embedding cosine reaches ``align.min_similarity``
is a candidate (the closest few per other document). Within a story (both sentences have other
outlets' sentences besides their partner) a pair is read in context (``pairs.CONTEXT_FEATURES``):
every sentence of one story is close to every other in embedding space, so the cosine is corrected
for how close each sentence is to everything (CSLS, Conneau et al. 2018: a generic sentence, near
every fact, loses its edge), and shared words count by their rarity in the cluster ("Putin" and
"pact" are in every sentence; "Aurus" is one fact's). Where no story gives that context (two
one-sentence documents) the pair is read alone (``pairs.PAIR_FEATURES``, what MSRP's annotators
judged, the cross-encoder's reading among them). The pair part added nothing in context (held out
on the dev set: log loss 0.142 without it, 0.144 with the 11 views' log-odds, 0.147 with the
cross-encoder's), so the cross-encoder runs only on pairs out of context: on a story, never. A pair
whose quantities conflict is 0 whatever its words share.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from summarizer.align.pair_model import PairModel
from summarizer.align.pairs import CONTEXT_FEATURES, PAIR_FEATURES, SentenceView, pair_features, quantity_conflict

#: rows of the cosine matrix computed at once (memory grows with this × sentences, not sentences²)
BLOCK_ROWS = 1024
#: candidate pairs kept per sentence and other document (the closest by cosine), and in all: the
#: pair features cost about 0.1 ms a pair: on 200 articles, 6,000 sentences × 30 pairs take about 20 s
PER_DOCUMENT = 3
MOST_PER_SENTENCE = 30
#: neighbours whose mean cosine measures how generic a sentence is (hubness, CSLS's k)
HUB_NEIGHBOURS = 10


@dataclass(frozen=True)
class PairTable:
    """The candidate pairs of one cluster: ``keys[k]`` = (i, j), i < j, with their views."""

    keys: list[tuple[int, int]]
    context_features: np.ndarray  # rows × CONTEXT_FEATURES, one per key
    in_context: np.ndarray  # per key: both sentences have a sentence of another outlet besides their partner
    pair_features: np.ndarray  # rows × PAIR_FEATURES, one per key out of context, in key order
    conflict: np.ndarray  # their quantities conflict
    crowded: np.ndarray  # per sentence: more near sentences than MOST_PER_SENTENCE (its pairs were cut)
    copies: list[tuple[int, int]]  # pairs (i < j) of sentences with the same words: the same fact, unscored


def candidate_pairs(vectors: np.ndarray, documents: np.ndarray, min_similarity: float,
                    copy_of: np.ndarray | None = None) -> tuple[dict[tuple[int, int], float], list[np.ndarray], np.ndarray]:
    """Pairs (i < j) of sentences with cosine ≥ ``min_similarity`` (per sentence and document at most
    ``PER_DOCUMENT``, the closest; at most ``MOST_PER_SENTENCE`` in all) with their
    cosine, and each sentence's ``HUB_NEIGHBOURS + 1`` highest cosines to sentences of other documents
    (descending: what its hubness is read from); which sentences had more near sentences than were
    kept. Sentences with the same ``copy_of`` (the same words) are left out of each other's candidates
    and neighbours: their pairs need no scoring, and wire copy reprinted by hundreds of outlets
    would fill every list. Computed in row blocks."""
    copy_of = np.arange(len(vectors)) if copy_of is None else copy_of
    found: dict[tuple[int, int], float] = {}
    nearest: list[np.ndarray] = []
    crowded = np.zeros(len(vectors), dtype=bool)
    for start in range(0, len(vectors), BLOCK_ROWS):
        cosine = vectors[start:start + BLOCK_ROWS] @ vectors.T
        for offset, row in enumerate(cosine):
            i = start + offset
            other_text = copy_of != copy_of[i]
            elsewhere = (documents != documents[i]) & other_text
            values = row[elsewhere]
            k = min(HUB_NEIGHBOURS + 1, values.size)
            nearest.append(-np.sort(-np.partition(values, values.size - k)[values.size - k:]) if k else values)
            # Sentences of its own document too: a document may state one fact twice (alignment
            # then lets both join it), and only a scored pair can show that.
            close = np.flatnonzero(other_text & (row >= min_similarity))
            taken: Counter[int] = Counter()
            kept = 0
            for j in close[np.argsort(-row[close], kind="stable")]:
                if taken[documents[j]] >= PER_DOCUMENT:
                    continue
                if kept == MOST_PER_SENTENCE:
                    crowded[i] = True
                    break
                taken[documents[j]] += 1
                kept += 1
                found[(i, int(j)) if i < j else (int(j), i)] = float(row[j])
    return found, nearest, crowded


def hubness(nearest: np.ndarray, partner_cosine: float) -> float | None:
    """Mean cosine of a sentence to its ``HUB_NEIGHBOURS`` nearest sentences of other outlets, its
    partner left out (in a small cluster the partner would be most of the mean); None when it has
    no other. ``nearest``: its highest cosines, descending, one more than HUB_NEIGHBOURS."""
    partner = np.flatnonzero(nearest == partner_cosine)
    values = np.delete(nearest, partner[0]) if partner.size else nearest
    return float(values[:HUB_NEIGHBOURS].mean()) if values.size else None


#: scores sentence pairs: their cross-encoder logits (``cross.CrossReader.logits``)
CrossScores = Callable[[Sequence[tuple[str, str]]], np.ndarray]


def pair_table(texts: Sequence[str], vectors: np.ndarray, documents: np.ndarray, min_similarity: float,
               cross: CrossScores) -> PairTable:
    """Every candidate pair's views, alone (the last, ``cross``, read by the cross-encoder) and in context."""
    text_ids: dict[str, int] = {}
    copy_of = np.array([text_ids.setdefault(" ".join(t.lower().split()), len(text_ids)) for t in texts], dtype=int)
    candidates, nearest, crowded = candidate_pairs(vectors, documents, min_similarity, copy_of)
    same_words: dict[int, list[int]] = {}
    for i, key in enumerate(copy_of):
        same_words.setdefault(int(key), []).append(i)
    copies = [(a, b) for group in same_words.values() for k, a in enumerate(group) for b in group[k + 1:]]
    keys = sorted(candidates)
    views = {i: SentenceView.of(texts[i]) for i in sorted({x for key in keys for x in key})}
    # A stem's rarity in the cluster (squared idf over its sentences).
    frequency = Counter(stem for v in views.values() for stem in v.stems)
    rarity = {stem: float(np.log((len(texts) + 1) / count)) ** 2 for stem, count in frequency.items()}

    def rare_overlap(a: SentenceView, b: SentenceView) -> float:
        norm = np.sqrt(sum(rarity[x] for x in a.stems) * sum(rarity[x] for x in b.stems))
        return sum(rarity[x] for x in a.stems & b.stems) / norm if norm else 0.0

    context, in_context = [], []
    for i, j in keys:
        cosine = candidates[(i, j)]
        hubs = hubness(nearest[i], cosine), hubness(nearest[j], cosine)
        in_context.append(None not in hubs)
        context.append([2 * cosine - sum(h or 0.0 for h in hubs), rare_overlap(views[i], views[j])])
    context = np.array(context).reshape(len(keys), len(CONTEXT_FEATURES))
    in_context = np.array(in_context, dtype=bool)
    alone = [k for k, within in zip(keys, in_context) if not within]
    logits = cross([(texts[i], texts[j]) for i, j in alone]) if alone else np.zeros(0)
    pair = np.array([(*pair_features(candidates[k], views[k[0]], views[k[1]]), z) for k, z in zip(alone, logits)]
                    ).reshape(len(alone), len(PAIR_FEATURES))
    conflict = np.array([quantity_conflict(views[i], views[j]) for i, j in keys], dtype=bool)
    return PairTable(keys, context, in_context, pair, conflict, crowded, copies)


def probabilities(table: PairTable, model: PairModel) -> dict[tuple[int, int], float]:
    """P(same fact) of every candidate pair: the context part where the story gives context, the pair
    part elsewhere (two one-sentence documents); 0 where quantities conflict; 1 for copies."""
    found = dict.fromkeys(table.copies, 1.0)
    if not table.keys:
        return found
    chosen = model.context.probability(table.context_features)
    chosen[~table.in_context] = model.pair.probability(table.pair_features)
    found.update((k, 0.0 if c else float(p)) for k, p, c in zip(table.keys, chosen, table.conflict))
    return found
