"""Which sentences may stand alone, and how near-duplicate sentences across outlets form facts."""
from __future__ import annotations

import numpy as np

from summarizer.config_schema import RetrieveConfig
from summarizer.lexicon import Lexicon
from summarizer.retrieve.pairwise import PairwiseSimilarity
from summarizer.text import has_open_quotation, is_question, leans_on_previous, word_count
from summarizer.types import SegmentedCluster

_ATTRIBUTION = ("said", "says", "told", "according", "stated", "added", "declared", "noted",
                "announced", "hailed", "called", "described", "wrote", "warned", "claimed",
                "insisted", "argued", "emphasized", "emphasised", "stressed", "urged")


def unattributed_quote(text: str) -> bool:
    """A quotation with no speaker: the reader cannot tell whose claim it is."""
    if text.count('"') < 2:
        return False
    lowered = text.lower()
    return not any(word in lowered for word in _ATTRIBUTION)


def candidate_mask(segmented: SegmentedCluster, word_counts: np.ndarray, config: RetrieveConfig) -> np.ndarray:
    """Sentences that may be chosen as a fact: a usable length, no question, no lean on the
    previous sentence, no quotation cut open. Very short documents: every sentence."""
    sentences = segmented.sentences
    texts = [s.text for s in sentences]
    candidate = ((word_counts >= config.min_sentence_words) & (word_counts <= config.max_sentence_words)
                 & np.array([not is_question(t) for t in texts], dtype=bool)
                 & np.array([s.index == 0 or not leans_on_previous(s.text) for s in sentences], dtype=bool)
                 # an odd number of quotation marks: one piece of a longer quotation, or an
                 # excerpt cut off mid-quote ('published a story titled "U.S.')
                 & np.array([not has_open_quotation(t) for t in texts], dtype=bool))
    if not candidate.any():
        candidate = np.ones(len(texts), dtype=bool)
    return candidate


def sentence_word_counts(segmented: SegmentedCluster) -> np.ndarray:
    return np.array([word_count(s.text) for s in segmented.sentences], dtype=int)


def group_facts(segmented: SegmentedCluster, pairwise: PairwiseSimilarity, salience: np.ndarray,
                candidate: np.ndarray) -> list[list[int]]:
    """Greedy grouping: each candidate, by salience, takes its best match from every other doc.

    A seed's best unassigned match in a document joins it when it reaches the grouping threshold
    (``pairwise.threshold``), so only the sentences at or above it are looked at (``close_to``),
    then the best of those per document (the first of equal maxima, as a scan in document order
    would give). Work per seed does not grow with the number of documents.
    """
    doc_of = [s.doc_id for s in segmented.sentences]
    doc_index = {doc: k for k, doc in enumerate(dict.fromkeys(doc_of))}
    doc_number = np.array([doc_index[d] for d in doc_of], dtype=int)
    assigned = np.zeros(len(doc_of), dtype=bool)
    groups: list[list[int]] = []
    for seed in sorted(np.flatnonzero(candidate), key=lambda i: (-salience[i], i)):
        if assigned[seed]:
            continue
        members = [int(seed)]
        assigned[seed] = True
        close, values = pairwise.close_to(int(seed))
        keep = ~assigned[close] & (doc_number[close] != doc_number[seed])
        close, values = close[keep], values[keep]
        if close.size:
            # per document (in document order) the closest, then the lowest index among equals
            order = np.lexsort((close, -values, doc_number[close]))
            ranked = close[order]
            _, first_of_document = np.unique(doc_number[ranked], return_index=True)
            best = ranked[first_of_document]
            members.extend(int(b) for b in best)
            assigned[best] = True
        groups.append(members)
    return groups


def representative(members: list[int], segmented: SegmentedCluster, pairwise: PairwiseSimilarity,
                   candidate: np.ndarray, colour: frozenset[str], lexicon: Lexicon) -> int:
    """The member worded most like the others, without loaded words or unattributed quotes."""
    among = pairwise.block(members, members) if len(members) > 1 else None
    place = {m: k for k, m in enumerate(members)}

    def quality(i: int) -> float:
        sentence = segmented.sentences[i]
        others = [j for j in members if j != i]
        shared = float(np.mean([among[place[i], place[j]] for j in others])) if others else 0.0
        return (shared - 0.15 * lexicon.loaded_count(sentence.text, colour)
                - 0.3 * unattributed_quote(sentence.text) - (0.0 if candidate[i] else 1.0))

    return max(members, key=lambda i: (quality(i), -i))
