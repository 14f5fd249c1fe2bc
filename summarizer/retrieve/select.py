"""Retrieval as one step: score, group, select and order a cluster's facts within its budgets."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from summarizer.align.records import Alignment
from summarizer.config_schema import RetrieveConfig
from summarizer.embed.similarity import Similarity
from summarizer.neutral.lexicon import Lexicon
from summarizer.neutral.wording import strip_speculative_clause, strip_unshared_tail
from summarizer.registries import SCORERS
from summarizer.retrieve.concepts import choose_by_concepts
from summarizer.retrieve.grouping import candidate_mask, representative, sentence_word_counts, speculative
from summarizer.retrieve.headline import choose_headline
from summarizer.retrieve.pairwise import PairwiseSimilarity
from summarizer.retrieve.scoring import cluster_signals
from summarizer.retrieve.timeline import first_reported, keep_latest_figures
from summarizer.text import word_count
from summarizer.types import EmbeddedCluster, SegmentedCluster, SelectedGroup, Selection

#: token counts of texts under the fusion model's tokenizer (``Generator.count_tokens``)
TokenCounter = Callable[[list[str]], list[int]]


def retrieve(embedded: EmbeddedCluster, alignment: Alignment, config: RetrieveConfig, similarity: Similarity,
             lexicon: Lexicon, count_tokens: TokenCounter, neutral_edits: bool = True) -> Selection:
    """Score, select and order the cluster's facts (``alignment``'s) within the budgets of ``config``.

    ``neutral_edits``: whether the neutral stage will edit the wording (its cuts free words).
    Facts are chosen (``retrieve.selector``: MMR, or the concept-coverage program) within the
    fusion-token budget (counted with ``count_tokens``) and the word target, then put in reading
    order. MMR weighs a fact by its salience plus the share of the other outlets that report it
    (a pyramid's weight: the facts most outlets report come first); a fact whose best wording is
    unattributed speculation ("could", "is believed to") is offered only after every other.
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

    # Every fact of the alignment; one that no candidate sentence states (all too short, questions,
    # pieces of a quotation) is compared but never chosen.
    offered_facts = [f for f in alignment.facts if candidate[list(f.positions)].any()]
    groups = [list(f.positions) for f in offered_facts]
    representatives = [representative(g, segmented, pairwise, candidate, colour, lexicon, neutral_edits) for g in groups]
    group_salience = np.array([max(salience[i] for i in g if candidate[i]) for g in groups])
    documents = len(segmented.cluster.documents)
    support = np.array([len({sentences[i].doc_id for i in g}) for g in groups], dtype=int)
    single_outlet = [documents > 1 and support[k] == 1 for k in range(len(groups))]
    coverage = _pyramid_weight(offered_facts, documents)
    member_tokens = count_tokens(texts) if texts else []

    ordered = [_closest_first(g, rep, pairwise) for g, rep in zip(groups, representatives)]
    headline = choose_headline(embedded, colour, lexicon) if config.headline else None
    length = summary_length(segmented, config)
    headline_words = word_count(headline.text) if headline else 0
    # Per fact, for either selector: the fusion tokens its members take, and whether it is one
    # outlet's framing, carried by no other outlet (never a neutral fact: not offered at all).
    fact_tokens = [sum(member_tokens[i] for i in members[:config.fusion_members]) for members in ordered]
    framing = [single_outlet[k] and bool(lexicon.loaded_count(texts[representatives[k]], colour))
               for k in range(len(groups))]
    edited = _after_edits(texts, representatives, ordered, neutral_edits)
    fact_words = [word_count(text) for text in edited]
    if config.selector == "concepts":
        offered = [k for k in range(len(groups)) if not framing[k]]
        chosen = _by_concepts(offered, [texts[r] for r in representatives], segmented, group_salience, fact_words,
                              fact_tokens, max(length.most - headline_words, 0), config.budget_tokens)
    else:
        chosen = _by_mmr(pairwise, representatives, group_salience + coverage - 2.0 * _hedged(edited, documents),
                         framing, fact_tokens, fact_words, headline_words, length, config)
    used_tokens = sum(fact_tokens[k] for k in chosen)

    chosen = _in_reading_order(chosen, groups, representatives, group_salience, segmented, config.order)
    doc_position = {d.doc_id: k for k, d in enumerate(segmented.cluster.documents)}
    facts = {k: _selected([sentences[i] for i in ordered[k]], group_salience[k], doc_position, config.fusion_members)
             for k in sorted(range(len(groups)), key=lambda k: (-group_salience[k], k))}
    return Selection(embedded=embedded, groups=tuple(facts[k] for k in chosen),
                     budget_tokens=config.budget_tokens, used_tokens=int(used_tokens),
                     facts=tuple(facts.values()), headline=headline, colour=colour, alignment=alignment)


def _after_edits(texts: list[str], representatives: list[int], ordered: list[list[int]],
                 neutral_edits: bool) -> list[str]:
    """Each fact's representative as the summary will word it: where the neutral stage edits
    (``neutral_edits``: ``neutral.drop_loaded_words``), after its cuts of a closing clause only its
    own outlet states (``strip_unshared_tail``) and of a closing guess (``strip_speculative_clause``),
    so the words they free go to another fact and a report that closed with a guess is a report."""
    if not neutral_edits:
        return [texts[rep] for rep in representatives]
    return [strip_speculative_clause(strip_unshared_tail(texts[rep], [texts[i] for i in members]).text).text
            for rep, members in zip(representatives, ordered)]


def _pyramid_weight(facts: list, documents: int) -> np.ndarray:
    """MMR's value of a fact beside its salience: the share of the other outlets that report it, as
    its own sentence or as the second part of another (``Fact.also``: "…, marking his first visit
    since 2000"), as the comparison counts them."""
    reporting = np.array([len({m.doc_id for m in (*f.members, *f.also)}) for f in facts], dtype=float)
    return (reporting - 1) / max(1, documents - 1) if facts else np.zeros(0)


def _hedged(fact_texts: list[str], documents: int) -> np.ndarray:
    """Which facts are worded as unattributed speculation, to go after what other outlets could
    corroborate; one article has no other outlet (demoting its hedged lead cost R-2 on 75
    CNN/DailyMail articles: eval/README.md, "Full articles")."""
    return np.array([documents > 1 and speculative(text) for text in fact_texts], dtype=bool)


def _closest_first(group: list[int], rep: int, pairwise: PairwiseSimilarity) -> list[int]:
    """A fact's sentences: the representative first, then the other outlets' sentences, closest first."""
    others = [i for i in group if i != rep]
    closeness = dict(zip(others, pairwise.block([rep], others)[0])) if others else {}
    return [rep] + sorted(others, key=lambda i: (-closeness[i], i))


def _selected(members: list, salience: float, doc_position: dict[str, int], fusion_members: int) -> SelectedGroup:
    """A fact's record: its sentences (representative first), salience, outlets in input order and
    the sentences fusion gets."""
    return SelectedGroup(representative=members[0], members=tuple(members), salience=round(float(salience), 6),
                         support_docs=tuple(sorted({s.doc_id for s in members}, key=doc_position.__getitem__)),
                         to_fuse=tuple(members[:fusion_members]))


def _by_concepts(offered: list[int], fact_texts: list[str], segmented: SegmentedCluster, group_salience: np.ndarray,
                 fact_words: list[int], fact_tokens: list[int], words: int, budget_tokens: int) -> list[int]:
    """The offered facts the concept-coverage program chooses (``retrieve.selector=concepts``)."""
    picked = choose_by_concepts([fact_texts[k] for k in offered], [d.text for d in segmented.cluster.documents],
                                np.array([group_salience[k] for k in offered]), [fact_words[k] for k in offered],
                                [fact_tokens[k] for k in offered], words, budget_tokens)
    return [offered[j] for j in picked]


def _in_reading_order(chosen: list[int], groups: list[list[int]], representatives: list[int],
                      group_salience: np.ndarray, segmented: SegmentedCluster, order: str) -> list[int]:
    """The chosen facts in the order a reader meets them: where the outlets report them (earliest
    relative position first), or, for a dated story, as first reported; of two reports of the same
    figure on different days only the later is kept."""
    sentences = segmented.sentences
    sizes = {d.doc_id: max(1, len(segmented.of_document(d.doc_id))) for d in segmented.cluster.documents}

    def reading_position(k: int) -> tuple[float, float]:
        earliest = min(sentences[i].index / sizes[sentences[i].doc_id] for i in groups[k])
        return (earliest, -group_salience[k])

    dates = {d.doc_id: d.date for d in segmented.cluster.documents}
    if any(dates.values()):  # a dated story: the latest value of a figure, facts in the order first reported
        chosen = keep_latest_figures(chosen, {k: sentences[representatives[k]] for k in chosen}, dates)
        if order == "position":
            chosen.sort(key=lambda k: (_undated_last(first_reported([sentences[i] for i in groups[k]], dates)),
                                       reading_position(k)))
    elif order == "position":
        chosen.sort(key=reading_position)
    return chosen


def _by_mmr(pairwise: PairwiseSimilarity, representatives: list[int], group_salience: np.ndarray,
            framing: list[bool], fact_tokens: list[int], fact_words: list[int], used_words: int,
            length: SummaryLength, config: RetrieveConfig) -> list[int]:
    """``retrieve.selector: mmr``: facts by salience minus closeness to those already chosen,
    within the fusion-token budget and the word target; after the first, by that score per
    word^``length_exponent`` (Lin & Bilmes 2010: value per unit of the budget it uses).

    Over arrays: each fact's redundancy (its representative's closest similarity to a chosen one)
    is updated once per chosen fact, so each step is one vectorised argmax instead of a rescan of
    every fact against every chosen one (quadratic on clusters of 100 articles).
    """
    chosen: list[int] = []
    used_tokens = 0
    rep_rows = np.array(representatives, dtype=int)
    redundancy = np.zeros(len(representatives), dtype=np.float32)  # the similarities' own precision
    remaining = np.ones(len(representatives), dtype=bool)
    cost = np.maximum(fact_words, 1) ** config.length_exponent  # each fact's share of the word budget
    while remaining.any():
        score = config.mmr_lambda * group_salience - (1 - config.mmr_lambda) * redundancy
        if chosen and config.length_exponent:  # value per word, once the lead fact is in
            score = np.where(score > 0, score / cost, score * cost)
        indices = np.flatnonzero(remaining)
        best = int(indices[np.argmax(score[indices])])  # the first of equal scores: the lowest index
        remaining[best] = False
        rep = representatives[best]
        if framing[best] or (chosen and bool(
                (pairwise.block([rep], [representatives[c] for c in chosen])[0] >= config.redundancy_threshold).any())):
            continue
        if used_tokens + fact_tokens[best] > config.budget_tokens or (
                chosen and used_words + fact_words[best] > length.most):
            continue  # a shorter fact further down may still fit
        chosen.append(best)
        redundancy = np.maximum(redundancy, pairwise.block(rep_rows, [rep])[:, 0])
        used_tokens += fact_tokens[best]
        used_words += fact_words[best]
        if used_words >= length.target:
            break
    return chosen


def _undated_last(when: datetime | None) -> tuple[bool, datetime]:
    """A sort key: dated facts by their instant, then the undated ones."""
    return (when is None, when or datetime.max.replace(tzinfo=timezone.utc))


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
