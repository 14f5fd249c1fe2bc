"""The alignment stage's result: the cluster's facts, each with the sentences that state it.

This one result decides "same fact" for retrieval (its groups), the citations, the comparison,
fusion's inputs and the guard's corroboration; ``summarizer.align_facts`` returns its facts.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # summarizer.types carries these records: it imports this module, not the reverse
    from summarizer.types import Sentence


@dataclass(frozen=True)
class FactMember:
    """One outlet's sentence stating a fact."""

    document: int  # the document's index in the cluster (input order)
    sentence: int  # the sentence's index in its document
    text: str
    doc_id: str
    span: tuple[int, int]  # character offsets into the cleaned document
    position: int  # the sentence's index among all of the cluster's sentences

    @classmethod
    def of(cls, sentence: Sentence, document: int, position: int) -> FactMember:
        return cls(document, sentence.index, sentence.text, sentence.doc_id, sentence.span, position)


@dataclass(frozen=True)
class Fact:
    """Sentences of different outlets that state one fact (at most one per document, in document order)."""

    members: tuple[FactMember, ...]
    # Several members: the mean pair probability among them. One member: how sure it is that no other
    # outlet states it, the product of 1 - p over its scored pairs with other outlets' sentences (each
    # near paraphrase at p 0.2 is a chance of a match, not just the most probable one).
    confidence: float
    # Sentences of other facts that state this one too, as a second part ("…, marking his first visit
    # since 2000"): as probable as the bar with one of its members. An outlet with such a sentence
    # does not leave the fact out, though the sentence counts for its own fact.
    also: tuple[FactMember, ...] = ()
    # Per document of the cluster (input order): the probability that it states the fact, 1 for the
    # members' documents; for another, 1 - the product over its sentences of 1 - each one's most
    # probable pair with a member (noisy-OR: several near paraphrases make "left out" unsure).
    stated_by: tuple[float, ...] = ()

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(m.doc_id for m in self.members)

    @property
    def positions(self) -> tuple[int, ...]:
        return tuple(m.position for m in self.members)


@dataclass(frozen=True)
class SharedOrder:
    """Another outlet that tells many of an outlet's facts in the same order: one rewrote the
    other's article, or both rewrote a third (``align.order``)."""

    doc_id: str  # the other outlet
    facts: int  # the longest run of facts the two state in one order
    of: int  # the facts this outlet states


@dataclass(frozen=True)
class Alignment:
    """Every sentence of a cluster in exactly one fact."""

    facts: tuple[Fact, ...]  # in order of their first member's place in the input
    document_ids: tuple[str, ...]

    def fact_of(self, position: int) -> Fact:
        """The fact the sentence at ``position`` (among the cluster's sentences) belongs to."""
        return self._by_position[position]

    @functools.cached_property  # as SegmentedCluster indexes its documents: once, on first use
    def _by_position(self) -> dict[int, Fact]:
        return {m.position: fact for fact in self.facts for m in fact.members}
