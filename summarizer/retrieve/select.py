"""Retrieval as one step: score, group, select and order a cluster's facts within its budgets."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from summarizer.config_schema import RetrieveConfig
from summarizer.lexicon import Lexicon
from summarizer.registries import SCORERS
from summarizer.retrieve.concepts import choose_by_concepts
from summarizer.retrieve.grouping import candidate_mask, group_facts, representative, sentence_word_counts
from summarizer.retrieve.headline import choose_headline
from summarizer.retrieve.scoring import cluster_signals
from summarizer.retrieve.timeline import first_reported, keep_latest_figures
from summarizer.similarity import Similarity
from summarizer.text import word_count
from summarizer.types import EmbeddedCluster, SegmentedCluster, SelectedGroup, Selection

#: token counts of texts under the fusion model's tokenizer (``Generator.count_tokens``)
TokenCounter = Callable[[list[str]], list[int]]


def retrieve(embedded: EmbeddedCluster, config: RetrieveConfig, similarity: Similarity, lexicon: Lexicon,
             count_tokens: TokenCounter) -> Selection:
    """Score, group, select and order the cluster's facts within the budgets of ``config``.

    Facts are chosen by MMR within the fusion-token budget (counted with ``count_tokens``) and
    the word target, then put in reading order.
    """
    segmented = embedded.segmented
    sentences = segmented.sentences
    texts = embedded.texts
    signals = cluster_signals(embedded, similarity, config)
    pairwise = signals.pairwise
    salience = SCORERS.get(config.scorer)(signals, config)
    word_counts = sentence_word_counts(segmented)
    candidate = candidate_mask(segmented, word_counts, config)
    colour = lexicon.colour_words(d.text for d in segmented.cluster.documents)

    groups = group_facts(segmented, pairwise, salience, candidate, config.group_threshold)
    representatives = [representative(g, segmented, pairwise, candidate, colour, lexicon) for g in groups]
    group_salience = np.array([salience[g[0]] for g in groups])
    several_documents = len(segmented.cluster.documents) > 1
    single_outlet = [several_documents and len({sentences[i].doc_id for i in g}) == 1 for g in groups]
    member_tokens = count_tokens(texts) if texts else []

    def ordered_members(k: int) -> list[int]:
        """The representative first, then the other outlets' sentences, closest first."""
        rep = representatives[k]
        return [rep] + sorted((i for i in groups[k] if i != rep), key=lambda i: (-pairwise[rep, i], i))

    headline = choose_headline(embedded, colour, lexicon) if config.headline else None
    length = summary_length(segmented, config)
    chosen: list[int] = []
    used_tokens = 0
    used_words = word_count(headline.text) if headline else 0
    # MMR over arrays: each group's redundancy (its representative's closest similarity to a
    # chosen one) is updated once per chosen fact, so each step is one vectorised argmax instead of
    # a rescan of every group against every chosen one (quadratic on clusters of 100 articles).
    if config.selector == "concepts":
        chosen, used_tokens = _by_concepts(groups, representatives, single_outlet, group_salience, texts, segmented,
                                           word_counts, member_tokens, ordered_members, config, colour, lexicon,
                                           length.most - used_words)
    rep_rows = np.array(representatives, dtype=int)
    redundancy = np.zeros(len(groups), dtype=pairwise.dtype)
    corroborated = ~np.array(single_outlet, dtype=bool)
    remaining = np.ones(len(groups), dtype=bool) if config.selector == "mmr" else np.zeros(len(groups), dtype=bool)
    while remaining.any():
        pool = remaining & corroborated if config.prefer_corroborated and (remaining & corroborated).any() \
            else remaining
        score = config.mmr_lambda * group_salience - (1 - config.mmr_lambda) * redundancy
        indices = np.flatnonzero(pool)
        best = int(indices[np.argmax(score[indices])])  # the first of equal scores: the lowest index
        remaining[best] = False
        rep = representatives[best]
        if any(pairwise[rep, representatives[c]] >= config.redundancy_threshold for c in chosen):
            continue
        if single_outlet[best] and lexicon.loaded_count(texts[rep], colour):
            continue  # one outlet's framing, carried by no other outlet: not a neutral fact
        tokens = sum(member_tokens[i] for i in ordered_members(best)[:config.fusion_members])
        words_needed = word_counts[rep]
        if used_tokens + tokens > config.budget_tokens or (chosen and used_words + words_needed > length.most):
            continue  # a shorter fact further down may still fit
        chosen.append(best)
        redundancy = np.maximum(redundancy, pairwise[rep_rows, rep])
        used_tokens += tokens
        used_words += int(words_needed)
        if used_words >= length.target:
            break

    sizes = {d.doc_id: max(1, len(segmented.of_document(d.doc_id))) for d in segmented.cluster.documents}

    def reading_position(k: int) -> tuple[float, float]:
        earliest = min(sentences[i].index / sizes[sentences[i].doc_id] for i in groups[k])
        return (earliest, -group_salience[k])

    dates = {d.doc_id: d.date for d in segmented.cluster.documents}
    if any(dates.values()):  # a dated story: the latest value of a figure, facts in the order first reported
        chosen = keep_latest_figures(chosen, {k: sentences[representatives[k]] for k in chosen}, dates)
        if config.order == "position":
            chosen.sort(key=lambda k: (first_reported([sentences[i] for i in groups[k]], dates) or "~",
                                       reading_position(k)))
    elif config.order == "position":
        chosen.sort(key=reading_position)
    doc_order = [d.doc_id for d in segmented.cluster.documents]

    def as_group(k: int) -> SelectedGroup:
        members = ordered_members(k)
        return SelectedGroup(
            representative=sentences[members[0]],
            members=tuple(sentences[i] for i in members),
            salience=round(float(group_salience[k]), 6),
            support_docs=tuple(d for d in doc_order if d in {sentences[i].doc_id for i in members}),
            to_fuse=tuple(sentences[i] for i in members[:config.fusion_members]),
        )

    facts = {k: as_group(k) for k in sorted(range(len(groups)), key=lambda k: (-group_salience[k], k))}
    return Selection(embedded=embedded, groups=tuple(facts[k] for k in chosen),
                     budget_tokens=config.budget_tokens, used_tokens=int(used_tokens),
                     facts=tuple(facts.values()), headline=headline, colour=colour)


def _by_concepts(groups, representatives, single_outlet, group_salience, texts, segmented, word_counts,
                 member_tokens, ordered_members, config: RetrieveConfig, colour, lexicon: Lexicon,
                 word_budget: int) -> tuple[list[int], int]:
    """``retrieve.selector: concepts``: the facts the ICSI integer program chooses (retrieve/concepts.py),
    among the same facts MMR may take (no one-outlet framing), and the fusion tokens they use."""
    offered = [k for k in range(len(groups))
               if not (single_outlet[k] and lexicon.loaded_count(texts[representatives[k]], colour))]
    tokens = [sum(member_tokens[i] for i in ordered_members(k)[:config.fusion_members]) for k in offered]
    picked = choose_by_concepts([texts[representatives[k]] for k in offered],
                                [d.text for d in segmented.cluster.documents],
                                np.array([group_salience[k] for k in offered]),
                                [int(word_counts[representatives[k]]) for k in offered], tokens,
                                max(word_budget, 0), config.budget_tokens)
    return [offered[j] for j in picked], sum(tokens[j] for j in picked)


@dataclass(frozen=True)
class SummaryLength:
    """Words of the summary, headline included: selection stops at ``target``, never passes ``most``."""

    target: int
    most: int


def summary_length(segmented: SegmentedCluster, config: RetrieveConfig) -> SummaryLength:
    """How long the summary should be, headline included.

    The target follows the sources: ``length_ratio`` of the median document's length, within
    [min_summary_words, summary_words], so that three 60-word wire excerpts get a 50-word
    summary and five full articles get ``summary_words``. Selection stops once the target is
    reached and never passes ``most`` (a quarter above the target, at most summary_words);
    the first fact is always taken, whatever its length.
    """
    if config.length_ratio <= 0:
        return SummaryLength(config.summary_words, config.summary_words)
    lengths = [sum(word_count(s.text) for s in segmented.of_document(d.doc_id)) for d in segmented.cluster.documents]
    median = float(np.median(lengths)) if lengths else 0.0
    target = int(round(min(config.summary_words, max(config.min_summary_words, config.length_ratio * median))))
    return SummaryLength(target, min(config.summary_words, int(round(target * 1.25))))
