"""Typed records passed between pipeline stages.

Every stage takes the previous stage's frozen dataclasses and returns its own, so a
reader can follow the data from ingest to output without guessing dictionary keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarizer.compare import Comparison


@dataclass(frozen=True)
class Document:
    """One outlet's version of the story, after cleaning."""

    doc_id: str
    text: str
    title: str = ""
    source: str = ""  # file path or dataset record the text came from
    removed_lines: tuple[str, ...] = ()  # boilerplate dropped by the cleaner, kept for audit


@dataclass(frozen=True)
class Cluster:
    """Several documents about one event, plus an optional reference summary."""

    cluster_id: str
    documents: tuple[Document, ...]
    reference: str | None = None
    warnings: tuple[str, ...] = ()  # inputs skipped while reading, named by file/line


@dataclass(frozen=True)
class Sentence:
    """A sentence of one document; ``span`` indexes ``Document.text``."""

    doc_id: str
    index: int
    text: str
    span: tuple[int, int]


@dataclass(frozen=True)
class SegmentedCluster:
    cluster: Cluster
    sentences: tuple[Sentence, ...]  # grouped by document, in document order

    def of_document(self, doc_id: str) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if s.doc_id == doc_id)


@dataclass(frozen=True)
class SentenceRef:
    """A pointer to a source sentence: what a citation names."""

    doc_id: str
    index: int
    span: tuple[int, int]


@dataclass(frozen=True)
class SelectedGroup:
    """A fact selected for the summary: near-duplicate sentences across outlets."""

    representative: Sentence  # the best-worded member, used by extractive output
    members: tuple[Sentence, ...]  # representative first, then closest first; at most one per document
    salience: float
    support_docs: tuple[str, ...]  # documents that carry this fact

    @property
    def support_count(self) -> int:
        return len(self.support_docs)


@dataclass(frozen=True)
class Headline:
    """One outlet's headline, chosen to lead the summary; ``edits`` are neutrality edits."""

    text: str
    doc_id: str  # the outlet whose headline it is (what it cites)
    edits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    """Retrieval output: groups in summary order, within the token budget."""

    segmented: SegmentedCluster
    groups: tuple[SelectedGroup, ...]
    budget_tokens: int
    used_tokens: int
    # Every fact group retrieval formed, selected or not, most salient first: what the
    # cross-outlet comparison reads.
    facts: tuple[SelectedGroup, ...] = ()
    headline: Headline | None = None  # retrieve.headline: the outlets' most shared headline


class Origin(str, Enum):
    GENERATED = "generated"  # model text that passed the faithfulness guard
    REPAIRED = "repaired"  # model text cut back to its supported part
    EXTRACTED = "extracted"  # a source sentence, used as written or as a fallback


@dataclass(frozen=True)
class SupportCheck:
    """Why the guard accepted or rejected one candidate sentence."""

    supported: bool
    similarity: float
    unsupported_terms: tuple[str, ...] = ()
    reason: str = ""
    content_overlap: float = 1.0  # share of its content words found in the support


@dataclass(frozen=True)
class SummarySentence:
    text: str
    origin: Origin
    citations: tuple[SentenceRef, ...]
    check: SupportCheck
    edits: tuple[str, ...] = ()  # neutrality edits applied to the text
    rejected_text: str | None = None  # model output the guard threw away, for audit

    @property
    def cited_docs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.doc_id for c in self.citations))


@dataclass(frozen=True)
class Summary:
    cluster_id: str
    sentences: tuple[SummarySentence, ...]
    selection: Selection
    model: str
    backend: str
    timings: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    warnings: tuple[str, ...] = ()
    comparison: Comparison | None = None  # where the outlets agree and differ (compare stage)
    headline: Headline | None = None  # leads the summary; not part of ``text``

    @property
    def text_with_headline(self) -> str:
        """Headline, as a sentence of its own, then the summary: what ROUGE against a
        reference written "title. text" (NeuS) should read."""
        if not self.headline:
            return self.text
        head = self.headline.text
        ends_sentence = head.rstrip("\"'”’").endswith((".", "!", "?"))
        return (f"{head} {self.text}" if ends_sentence else f"{head}. {self.text}").rstrip()

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def word_count(self) -> int:
        return len(self.text.split())
