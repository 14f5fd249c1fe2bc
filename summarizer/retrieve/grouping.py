"""Which sentences may stand alone as a fact, and which member of a fact words it best."""
from __future__ import annotations

import numpy as np

from summarizer.config_schema import RetrieveConfig
from summarizer.neutral.hedges import speculative
from summarizer.neutral.lexicon import Lexicon
from summarizer.neutral.wording import strip_speculative_clause
from summarizer.retrieve.pairwise import PairwiseSimilarity
from summarizer.segment.quotes import has_open_quotation, has_quotation
from summarizer.text import is_question, leans_on_previous, word_count
from summarizer.types import SegmentedCluster

_ATTRIBUTION = ("said", "says", "told", "according", "stated", "added", "declared", "noted",
                "announced", "hailed", "called", "described", "wrote", "warned", "claimed",
                "insisted", "argued", "emphasized", "emphasised", "stressed", "urged")


def unattributed_quote(text: str) -> bool:
    """A quotation with no speaker: the reader cannot tell whose claim it is."""
    if not has_quotation(text):
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


def representative(members: list[int], segmented: SegmentedCluster, pairwise: PairwiseSimilarity,
                   candidate: np.ndarray, colour: frozenset[str], lexicon: Lexicon, neutral_edits: bool = True) -> int:
    """The member worded most like the others, without loaded words, unattributed quotes or
    unattributed speculation (where the neutral stage edits, ``neutral_edits``, after its cut of a
    closing guess: "X was accused of Y, and Z is believed to …" reports an accusation)."""
    among = pairwise.block(members, members) if len(members) > 1 else None
    place = {m: k for k, m in enumerate(members)}

    def quality(i: int) -> float:
        sentence = segmented.sentences[i]
        others = [j for j in members if j != i]
        shared = float(np.mean([among[place[i], place[j]] for j in others])) if others else 0.0
        worded = strip_speculative_clause(sentence.text).text if neutral_edits else sentence.text
        return (shared - 0.15 * lexicon.loaded_count(sentence.text, colour)
                - 0.3 * unattributed_quote(sentence.text) - 0.3 * speculative(worded)
                - (0.0 if candidate[i] else 1.0))

    return max(members, key=lambda i: (quality(i), -i))
