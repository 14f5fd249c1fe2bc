"""Salience retrieval across all versions of a story.

Every sentence of every outlet is scored; near-duplicate sentences across outlets are
grouped into facts; facts are chosen by MMR within a token budget and put in reading order.
Cross-outlet corroboration is the main signal: a fact several outlets report is both more
likely to matter and less likely to be one outlet's framing.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from summarizer.config import NeutralConfig, RetrieveConfig
from summarizer.neutral import colour_words, loaded_word_count
from summarizer.registry import Registry
from summarizer.retrieve.features import load_salience_model, sentence_features
from summarizer.retrieve.similarity import blended_similarity
from summarizer.text import content_stems, has_open_quotation, is_question, word_count
from summarizer.types import Headline, SegmentedCluster, SelectedGroup, Selection

TokenCounter = Callable[[list[str]], list[int]]


@dataclass(frozen=True)
class Signals:
    """Per-sentence salience signals, each in [0, 1], aligned with the cluster's sentences."""

    corroboration: np.ndarray
    centrality: np.ndarray
    position: np.ndarray
    title: np.ndarray
    support: np.ndarray  # number of other documents carrying the sentence's fact
    features: np.ndarray  # n × len(features.FEATURE_NAMES), for learned scorers


SCORERS: Registry[np.ndarray] = Registry("salience scorer")


@SCORERS.register("corroboration")
def corroboration_salience(signals: Signals, config: RetrieveConfig) -> np.ndarray:
    """Weighted blend of corroboration, centrality, position and title overlap."""
    weight_title = config.weight_title if signals.title.any() else 0.0
    total = (config.weight_corroboration + config.weight_centrality + config.weight_position
             + weight_title)
    return (config.weight_corroboration * signals.corroboration
            + config.weight_centrality * signals.centrality
            + config.weight_position * signals.position
            + weight_title * signals.title) / total


@SCORERS.register("learned")
def learned_salience(signals: Signals, config: RetrieveConfig) -> np.ndarray:
    """A linear model over ``features.FEATURE_NAMES`` trained on NeuS train (retrieve.salience_model
    names another one). Predicts each sentence's ROUGE-1 + ROUGE-2 precision against a neutral
    reference; scaled to [0, 1] so that MMR's trade-off means the same as for the other scorers."""
    if not len(signals.features):
        return np.zeros(0)
    return _minmax(load_salience_model(config.salience_model).predict(signals.features))


@SCORERS.register("lead")
def lead_salience(signals: Signals, config: RetrieveConfig) -> np.ndarray:
    """Position only: the lead-sentences baseline with the same grouping and budget."""
    return signals.position.copy()


def _minmax(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    return np.zeros_like(values) if high - low < 1e-9 else (values - low) / (high - low)


def compute_signals(segmented: SegmentedCluster, similarity: np.ndarray, vectors: np.ndarray,
                    title_similarity: np.ndarray, group_threshold: float) -> Signals:
    doc_of = np.array([s.doc_id for s in segmented.sentences])
    doc_ids = [d.doc_id for d in segmented.cluster.documents]
    n = len(segmented.sentences)
    # Best match of each sentence in each document.
    best_in_doc = np.stack([np.where(doc_of == d, similarity, -1.0).max(axis=1) for d in doc_ids],
                           axis=1) if n else np.zeros((0, len(doc_ids)))
    own = np.array([doc_ids.index(d) for d in doc_of], dtype=int)
    if n:
        best_in_doc[np.arange(n), own] = np.nan
    others = max(1, len(doc_ids) - 1)
    # Soft count of other outlets carrying the fact: a sigmoid around the grouping threshold.
    soft = 1.0 / (1.0 + np.exp(-(best_in_doc - group_threshold) / 0.05))
    corroboration = np.nan_to_num(soft, nan=0.0).sum(axis=1) / others
    support = np.nan_to_num(best_in_doc >= group_threshold, nan=0).sum(axis=1)
    centroid = vectors.mean(axis=0) if n else np.zeros(vectors.shape[1])
    centrality = _minmax(vectors @ centroid) if n else np.zeros(0)
    position = np.array([1.0 / np.sqrt(1.0 + s.index) for s in segmented.sentences])
    title = _minmax(title_similarity) if title_similarity.any() else title_similarity
    features = sentence_features(segmented, vectors, title_similarity, corroboration, centrality, position,
                                 title, support)
    return Signals(corroboration=corroboration, centrality=centrality, position=position, title=title,
                   support=support.astype(int), features=features)


_ATTRIBUTION = ("said", "says", "told", "according", "stated", "added", "declared", "noted",
                "announced", "hailed", "called", "described", "wrote", "warned", "claimed",
                "insisted", "argued", "emphasized", "emphasised", "stressed", "urged")


_LEANS_ON_PREVIOUS = re.compile(
    r"^[\"“']?(?:He|She|They|His|Her|Their|Its|These|Those|Such|Both|"
    r"The (?:first|second|third|former|latter|other|same)|Another|Also|Meanwhile)\b")


def leans_on_previous(text: str) -> bool:
    """A sentence whose opening points back at the one before it in its article ("He said",
    "The first had been presented"): out of that context the reader cannot tell who or what."""
    return bool(_LEANS_ON_PREVIOUS.match(text.lstrip()))


def unattributed_quote(text: str) -> bool:
    """A quotation with no speaker: the reader cannot tell whose claim it is."""
    if text.count('"') < 2:
        return False
    lowered = text.lower()
    return not any(word in lowered for word in _ATTRIBUTION)


def _group(segmented: SegmentedCluster, similarity: np.ndarray, salience: np.ndarray,
           candidate: np.ndarray, threshold: float) -> list[list[int]]:
    """Greedy grouping: each candidate, by salience, takes its best match from every other doc."""
    doc_of = [s.doc_id for s in segmented.sentences]
    assigned = np.zeros(len(doc_of), dtype=bool)
    groups: list[list[int]] = []
    for seed in sorted(np.flatnonzero(candidate), key=lambda i: (-salience[i], i)):
        if assigned[seed]:
            continue
        members = [int(seed)]
        assigned[seed] = True
        for doc in dict.fromkeys(doc_of):
            if doc == doc_of[seed]:
                continue
            pool = [j for j, d in enumerate(doc_of) if d == doc and not assigned[j]]
            if not pool:
                continue
            best = max(pool, key=lambda j: similarity[seed, j])
            if similarity[seed, best] >= threshold:
                members.append(best)
                assigned[best] = True
        groups.append(members)
    return groups


def _representative(members: list[int], segmented: SegmentedCluster, similarity: np.ndarray,
                    candidate: np.ndarray, colour: frozenset[str]) -> int:
    """The member worded most like the others, without loaded words or unattributed quotes."""

    def quality(i: int) -> float:
        sentence = segmented.sentences[i]
        others = [j for j in members if j != i]
        shared = float(np.mean([similarity[i, j] for j in others])) if others else 0.0
        return (shared - 0.15 * loaded_word_count(sentence.text, colour)
                - 0.3 * unattributed_quote(sentence.text) - (0.0 if candidate[i] else 1.0))

    return max(members, key=lambda i: (quality(i), -i))


def cluster_signals(segmented: SegmentedCluster, vectors: np.ndarray, title_vectors: np.ndarray,
                    config: RetrieveConfig) -> tuple[Signals, np.ndarray]:
    """Salience signals and the sentence-by-sentence similarity they rest on (also what
    scripts/train_salience.py trains on, so training and use see the same features)."""
    texts = [s.text for s in segmented.sentences]
    similarity = blended_similarity(vectors, vectors, texts, texts, config.lexical_weight)
    title_similarity = (vectors @ title_vectors.T).max(axis=1) if len(title_vectors) and len(texts) \
        else np.zeros(len(texts))
    return compute_signals(segmented, similarity, vectors, title_similarity, config.group_threshold), similarity


def retrieve(segmented: SegmentedCluster, vectors: np.ndarray, title_vectors: np.ndarray,
             config: RetrieveConfig, neutral: NeutralConfig, count_tokens: TokenCounter) -> Selection:
    """Score, group, select and order the cluster's facts within the budgets of ``config``.

    ``vectors`` holds one unit-norm embedding per sentence; ``title_vectors`` one per document
    title (may be empty). ``count_tokens`` is the fusion model's tokenizer.
    """
    sentences = segmented.sentences
    texts = [s.text for s in sentences]
    signals, similarity = cluster_signals(segmented, vectors, title_vectors, config)
    salience = SCORERS.get(config.scorer)(signals, config)
    word_counts = np.array([word_count(t) for t in texts], dtype=int)
    candidate = ((word_counts >= config.min_sentence_words) & (word_counts <= config.max_sentence_words)
                 & np.array([not is_question(t) for t in texts], dtype=bool)
                 & np.array([s.index == 0 or not leans_on_previous(s.text) for s in sentences], dtype=bool)
                 # an odd number of quotation marks: one piece of a longer quotation, or an
                 # excerpt cut off mid-quote ('published a story titled "U.S.')
                 & np.array([not has_open_quotation(t) for t in texts], dtype=bool))
    if not candidate.any():  # very short documents: let every sentence compete
        candidate = np.ones(len(texts), dtype=bool)
    colour = colour_words((d.text for d in segmented.cluster.documents), neutral)

    groups = _group(segmented, similarity, salience, candidate, config.group_threshold)
    representatives = [_representative(g, segmented, similarity, candidate, colour) for g in groups]
    group_salience = np.array([salience[g[0]] for g in groups])
    several_documents = len(segmented.cluster.documents) > 1
    single_outlet = [several_documents and len({sentences[i].doc_id for i in g}) == 1 for g in groups]
    member_tokens = count_tokens(texts) if texts else []

    def ordered_members(k: int) -> list[int]:
        """The representative first, then the other outlets' sentences, closest first."""
        rep = representatives[k]
        return [rep] + sorted((i for i in groups[k] if i != rep), key=lambda i: (-similarity[rep, i], i))

    def fusion_members(k: int) -> list[int]:
        return ordered_members(k)[:config.fusion_members]

    headline = choose_headline(segmented, title_vectors, vectors, colour) if config.headline else None
    target_words, most_words = summary_length(segmented, config)
    chosen: list[int] = []
    used_tokens = 0
    used_words = word_count(headline.text) if headline else 0
    remaining = list(range(len(groups)))
    while remaining:
        def mmr(k: int) -> float:
            redundancy = max((similarity[representatives[k], representatives[c]] for c in chosen),
                             default=0.0)
            return config.mmr_lambda * group_salience[k] - (1 - config.mmr_lambda) * redundancy

        best = max(remaining, key=lambda k: (mmr(k), -k))
        remaining.remove(best)
        rep = representatives[best]
        if any(similarity[rep, representatives[c]] >= config.redundancy_threshold for c in chosen):
            continue
        if single_outlet[best] and loaded_word_count(texts[rep], colour):
            continue  # one outlet's framing, carried by no other outlet: not a neutral fact
        tokens = sum(member_tokens[i] for i in fusion_members(best))
        words_needed = word_counts[rep]
        if used_tokens + tokens > config.budget_tokens or (chosen and used_words + words_needed > most_words):
            continue  # a shorter fact further down may still fit
        chosen.append(best)
        used_tokens += tokens
        used_words += int(words_needed)
        if used_words >= target_words:
            break

    sizes = {d.doc_id: max(1, len(segmented.of_document(d.doc_id))) for d in segmented.cluster.documents}

    def reading_position(k: int) -> tuple[float, float]:
        earliest = min(sentences[i].index / sizes[sentences[i].doc_id] for i in groups[k])
        return (earliest, -group_salience[k])

    if config.order == "position":
        chosen.sort(key=reading_position)
    doc_order = [d.doc_id for d in segmented.cluster.documents]

    def as_group(k: int) -> SelectedGroup:
        members = ordered_members(k)
        return SelectedGroup(
            representative=sentences[members[0]],
            members=tuple(sentences[i] for i in members),
            salience=round(float(group_salience[k]), 6),
            support_docs=tuple(d for d in doc_order if d in {sentences[i].doc_id for i in members}),
        )

    facts = {k: as_group(k) for k in sorted(range(len(groups)), key=lambda k: (-group_salience[k], k))}
    return Selection(segmented=segmented, groups=tuple(facts[k] for k in chosen),
                     budget_tokens=config.budget_tokens, used_tokens=int(used_tokens),
                     facts=tuple(facts.values()), headline=headline)


def summary_length(segmented: SegmentedCluster, config: RetrieveConfig) -> tuple[int, int]:
    """(target, most) words of the summary, headline included.

    The target follows the sources: ``length_ratio`` of the median document's length, within
    [min_summary_words, summary_words], so that three 60-word wire excerpts get a 50-word
    summary and five full articles get ``summary_words``. Selection stops once the target is
    reached and never passes ``most`` (a quarter above the target, at most summary_words);
    the first fact is always taken, whatever its length.
    """
    if config.length_ratio <= 0:
        return config.summary_words, config.summary_words
    lengths = [sum(word_count(s.text) for s in segmented.of_document(d.doc_id)) for d in segmented.cluster.documents]
    median = float(np.median(lengths)) if lengths else 0.0
    target = int(round(min(config.summary_words, max(config.min_summary_words, config.length_ratio * median))))
    return target, min(config.summary_words, int(round(target * 1.25)))


def choose_headline(segmented: SegmentedCluster, title_vectors: np.ndarray, vectors: np.ndarray,
                    colour: frozenset[str]) -> Headline | None:
    """The outlets' headline that the others' headlines and stories agree with most.

    Score: mean closeness to the other headlines + closeness to the cluster's mean sentence
    + 0.3 × the share of its content words that at least two documents use (NeuS val: titles
    chosen this way put ROUGE-1 up by 2.5 points and one-outlet wording down by 6, eval/README.md).
    Questions, headlines of fewer than three words and headlines carrying one outlet's loaded
    words are used only when no other headline is left. ``title_vectors`` has one row per
    document with a title, in document order.
    """
    documents = [d for d in segmented.cluster.documents if d.title.strip()]
    if not documents or len(title_vectors) != len(documents):
        return None
    centroid = vectors.mean(axis=0) if len(vectors) else np.zeros(title_vectors.shape[1])
    vocabularies = [content_stems(f"{d.title} {d.text}") for d in segmented.cluster.documents]

    def score(i: int) -> tuple[bool, float]:
        title = documents[i].title.strip()
        others = [j for j in range(len(documents)) if j != i]
        agreement = float(np.mean([title_vectors[i] @ title_vectors[j] for j in others])) if others else 0.0
        stems = content_stems(title)
        shared = float(np.mean([sum(s in v for v in vocabularies) >= 2 for s in stems])) if stems else 0.0
        usable = (word_count(title) >= 3 and not is_question(title)
                  and not loaded_word_count(title, colour))
        return usable, agreement + float(title_vectors[i] @ centroid) + 0.3 * shared

    best = max(range(len(documents)), key=lambda i: (score(i), -i))
    title = documents[best].title.strip()
    while title.endswith(".."):  # NeuS titles carry a period appended to their own ("Memo..")
        title = title[:-1]
    return Headline(text=title, doc_id=documents[best].doc_id)
