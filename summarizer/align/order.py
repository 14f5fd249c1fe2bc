"""Which outlets tell the story in the same order: a rewrite of another outlet's article.

Aggregators rewrite a wire or broadcaster's article sentence by sentence: on the seeds, two of
the five articles state 20 and 24 of their facts in the BBC's order (and 17 in each other's),
while the other outlets share one to three facts in order with anyone. An editor weighing "reported by three outlets" needs to
know that three outlets may be one report. Two articles' shared run is the longest sequence of
facts both state in the same order (a longest increasing subsequence over the facts they share,
each counted where the article first states it); a run of ``MIN_SHARED_SEQUENCE`` facts or more is
reported on both outlets' cards. Independent reports of one event share its few core facts
(measured on NeuS val: three excerpts never share five); a rewrite shares the story.
"""
from __future__ import annotations

import bisect
from collections import defaultdict

from summarizer.align.records import Alignment, SharedOrder

#: facts two articles must tell in the same order before the comparison says so
MIN_SHARED_SEQUENCE = 5
#: clusters of more documents are not examined (pairs of documents grow with its square)
MAX_DOCUMENTS = 60


def shared_order(alignment: Alignment) -> dict[str, tuple[SharedOrder, ...]]:
    """Per outlet (doc_id), the other outlets that tell ``MIN_SHARED_SEQUENCE`` or more of its facts
    in its order, the longest run first."""
    ids = alignment.document_ids
    if not 2 <= len(ids) <= MAX_DOCUMENTS:
        return {}
    facts_of: dict[int, int] = defaultdict(int)
    shared: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for fact in alignment.facts:
        first: dict[int, int] = {}
        for member in fact.members:  # a fact a document states twice counts where it first does
            first.setdefault(member.document, member.sentence)
        for document in first:
            facts_of[document] += 1
        documents = sorted(first)
        for k, a in enumerate(documents):
            for b in documents[k + 1:]:
                shared[(a, b)].append((first[a], first[b]))
    found: dict[str, list[SharedOrder]] = defaultdict(list)
    for (a, b), positions in sorted(shared.items()):
        run = _longest_increasing([second for _, second in sorted(positions)])
        if run >= MIN_SHARED_SEQUENCE:
            found[ids[a]].append(SharedOrder(ids[b], run, facts_of[a]))
            found[ids[b]].append(SharedOrder(ids[a], run, facts_of[b]))
    return {doc: tuple(sorted(orders, key=lambda o: -o.facts)) for doc, orders in found.items()}


def _longest_increasing(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting, n log n)."""
    tails: list[int] = []
    for value in values:
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)
