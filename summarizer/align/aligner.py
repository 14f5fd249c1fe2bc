"""Cross-outlet fact alignment: which sentences of different outlets state the same fact.

Three steps, each one the field's answer to a way the former seed-and-threshold grouping failed:

1. **Scored pairs** (``scoring``): near pairs of sentences from two documents get the pair
   model's probability of stating the same fact, read alone and within the story (hubness-corrected
   similarity, overlap of the cluster's rare words); quantities in conflict make it 0.
2. **Links: mutual best per pair of documents.** A pair links when its probability reaches
   ``align.same_fact_probability`` and each sentence is the other's most probable match in the
   other's document. A generic sentence ("tensions reach their highest point") is near many
   facts; mutual choice lets it link to at most one sentence of each other outlet, and step 3
   keeps it from bridging facts (hubness: Conneau et al. 2018 correct it the same way).
3. **Groups by average linkage under cannot-link.** Groups merge, most probable first, only when
   the mean probability over every pair of their members from two documents (unscored pairs
   count as 0) reaches the same bar: a group's members agree with each other, not only with one
   seed (Nenkova & Passonneau's content units; average linkage clustering). Two sentences of one
   document join one group only when they state the same fact by the same bar (cannot-link).

Every sentence ends in exactly one fact; a fact has one sentence per document, two or more only
where the document states it twice.
"""
from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np

from summarizer.align.pair_model import PairModel
from summarizer.align.records import Alignment, Fact, FactMember
from summarizer.align.scoring import CrossScores, pair_table, probabilities
from summarizer.types import Sentence


def mutual_links(probability: dict[tuple[int, int], float], documents: np.ndarray,
                 bar: float) -> list[tuple[float, int, int]]:
    """Pairs at or above ``bar`` where each is the other's most probable match in its document."""
    best: dict[tuple[int, int], tuple[float, int]] = {}  # (sentence, other document) -> (p, partner)
    across = {(i, j): p for (i, j), p in probability.items() if documents[i] != documents[j]}
    for (i, j), p in across.items():
        for a, b in ((i, j), (j, i)):
            key = (a, int(documents[b]))
            if key not in best or (p, -b) > (best[key][0], -best[key][1]):
                best[key] = (p, b)
    return sorted(((p, i, j) for (i, j), p in across.items() if p >= bar
                   and best[(i, int(documents[j]))][1] == j and best[(j, int(documents[i]))][1] == i),
                  key=lambda t: (-t[0], t[1], t[2]))


def average_linkage(count: int, links: list[tuple[float, int, int]], probability: dict[tuple[int, int], float],
                    documents: np.ndarray, bar: float, crowded: np.ndarray | None = None) -> list[list[int]]:
    """Groups of sentence indices: linked groups merge while the mean probability over their pairs
    of different documents stays ≥ ``bar`` (the most probable merge first). Two sentences of one
    document may share a group only when their own pair reaches ``bar``: the document states the
    fact twice; otherwise the document's sentences are different facts (cannot-link). An unscored
    pair counts as 0, unless both sentences are ``crowded`` (each had more near sentences than were
    scored: a fact hundreds of outlets report): then it is left out of the mean, unknown."""
    crowded = np.zeros(count, dtype=bool) if crowded is None else crowded
    group_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}

    def p(x: int, y: int) -> float:
        return probability.get((min(x, y), max(x, y)), 0.0)

    def mean(a: int, b: int) -> float | None:
        """Mean over the cross-document pairs; None where a shared document forbids the merge."""
        values = []
        for x in members[a]:
            for y in members[b]:
                key = (min(x, y), max(x, y))
                if documents[x] != documents[y]:
                    if key in probability or not (crowded[x] and crowded[y]):
                        values.append(probability.get(key, 0.0))
                elif p(x, y) < bar:
                    return None
        return sum(values) / len(values) if values else None

    heap = [(-p_, i, j) for p_, i, j in links]
    heapq.heapify(heap)
    while heap:
        negative, i, j = heapq.heappop(heap)
        a, b = group_of[i], group_of[j]
        score = mean(a, b) if a != b else None
        if score is None or score < bar:
            continue
        if score < -negative - 1e-12:  # the groups grew since this was pushed: re-queue at its mean now
            heapq.heappush(heap, (-score, i, j))
            continue
        for x in members[b]:
            group_of[x] = a
        members[a].extend(members.pop(b))
    return [sorted(g) for g in members.values()]


def second_statements(groups: list[list[int]], probability: dict[tuple[int, int], float], documents: np.ndarray,
                      bar: float) -> dict[int, list[int]]:
    """Per group (keyed by its first member): sentences of other groups and other documents as
    probable as ``bar`` with one of its members at least (a second statement of the fact: it would
    have joined but for the fact it states first)."""
    group_of = {i: g[0] for g in groups for i in g}
    members = {g[0]: g for g in groups}
    near: dict[int, set[int]] = {g[0]: set() for g in groups}
    for (i, j), p in probability.items():
        if p > 0 and group_of[i] != group_of[j]:
            near[group_of[i]].add(j)
            near[group_of[j]].add(i)
    found: dict[int, list[int]] = {}
    for key, candidates in near.items():
        group, docs = members[key], {int(documents[x]) for x in members[key]}
        found[key] = sorted(x for x in candidates if int(documents[x]) not in docs and max(
            probability.get((min(x, y), max(x, y)), 0.0) for y in group) >= bar)
    return found


def stated_by(groups: list[list[int]], probability: dict[tuple[int, int], float], documents: np.ndarray,
              count: int) -> list[tuple[float, ...]]:
    """Per group, per document (of ``count``): the probability that the document states the group's
    fact. A member's document: 1. Another: each of its sentences states it with its most probable
    pair with a member; the document does unless none does (noisy-OR over its sentences). Five near
    paraphrases at p 0.2 make it 0.67 where the best alone would say 0.2, and a fact other outlets
    word differently would be called one outlet's, or left out by outlets that state it."""
    group_of = {i: k for k, g in enumerate(groups) for i in g}
    best: dict[tuple[int, int], float] = {}  # (group, sentence of another document) -> p
    for (i, j), p in probability.items():
        if p > 0 and documents[i] != documents[j]:
            for member, other in ((i, j), (j, i)):
                key = (group_of[member], other)
                best[key] = max(best.get(key, 0.0), p)
    unstated = np.ones((len(groups), count))
    for (group, sentence), p in best.items():
        unstated[group, documents[sentence]] *= 1.0 - p
    for k, group in enumerate(groups):
        unstated[k, [documents[i] for i in group]] = 0.0
    return [tuple(float(1.0 - u) for u in row) for row in unstated]


def align(sentences: Sequence[Sentence], vectors: np.ndarray, document_ids: Sequence[str], model: PairModel,
          min_similarity: float, bar: float, cross: CrossScores) -> Alignment:
    """The cluster's facts from its sentences (document order) and their unit-norm embeddings;
    ``cross`` reads sentence pairs with the model's cross-encoder."""
    position = {doc: k for k, doc in enumerate(document_ids)}
    documents = np.array([position[s.doc_id] for s in sentences], dtype=int)
    texts = [s.text for s in sentences]
    table = pair_table(texts, vectors, documents, min_similarity, cross)
    probability = probabilities(table, model)
    groups = average_linkage(len(sentences), mutual_links(probability, documents, bar), probability, documents, bar,
                             table.crowded)
    stated = stated_by(groups, probability, documents, len(document_ids))
    also = second_statements(groups, probability, documents, bar)
    facts = []
    stated_of = {g[0]: row for g, row in zip(groups, stated)}
    for group in sorted(groups, key=lambda g: (documents[g[0]], g[0])):
        if len(group) > 1:
            pairs = [probability.get((x, y), 0.0) for k, x in enumerate(group) for y in group[k + 1:]
                     if documents[x] != documents[y]]
            confidence = float(np.mean(pairs))
        else:  # how sure it is that no other outlet states it
            confidence = float(np.prod([1.0 - p for d, p in enumerate(stated_of[group[0]]) if d != documents[group[0]]]))
        facts.append(Fact(members=tuple(FactMember.of(sentences[i], int(documents[i]), i) for i in group),
                          confidence=round(confidence, 4),
                          also=tuple(FactMember.of(sentences[i], int(documents[i]), i) for i in also[group[0]]),
                          stated_by=tuple(round(p, 4) for p in stated_of[group[0]])))
    return Alignment(facts=tuple(facts), document_ids=tuple(document_ids))
