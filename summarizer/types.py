"""Typed records passed between pipeline stages: each stage takes the previous stage's frozen
dataclasses and returns its own, so a reader follows the data without guessing dictionary keys."""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from summarizer.align.records import Alignment, SharedOrder
from summarizer.registries import SUMMARY_FORMATS
from summarizer.text import word_count


@dataclass(frozen=True)
class Document:
    """One outlet's version of the story, after cleaning."""

    doc_id: str
    text: str
    title: str = ""
    source: str = ""  # file path or dataset record the text came from
    removed_lines: tuple[str, ...] = ()  # boilerplate dropped by the cleaner, kept for audit
    outlet: str = ""  # the outlet's name as readers see it (ingest/outlet.py); "" = use doc_id
    date: str = ""  # when it was published, ISO 8601 (YYYY-MM-DD[THH:MM]); "" = not known

    @property
    def name(self) -> str:
        return self.outlet or self.doc_id


@dataclass(frozen=True)
class Cluster:
    """Several documents about one event, and the human summaries to score against (NeuS: one; DUC: four)."""

    cluster_id: str
    documents: tuple[Document, ...]
    references: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # inputs skipped while reading, named by file/line


@dataclass(frozen=True)
class Item:
    """One input record read by ingest: a cluster, or why not (``error`` names the file, line or field)."""

    cluster_id: str
    cluster: Cluster | None
    error: str | None = None
    where: str = ""  # the file, file:line or dataset[row] it came from


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
        """``doc_id``'s sentences, indexed once (a scan per call was quadratic on 800 articles)."""
        return self._by_document.get(doc_id, ())

    @functools.cached_property
    def _by_document(self) -> dict[str, tuple[Sentence, ...]]:  # each document's sentences are contiguous
        return {doc: tuple(run) for doc, run in itertools.groupby(self.sentences, key=lambda s: s.doc_id)}


@dataclass(frozen=True, eq=False)
class EmbeddedCluster:
    """A segmented cluster with its embeddings: what retrieval, the guard and the comparison read
    (``embeddings.embed_clusters``: one batched encoder call for a whole batch of clusters)."""

    segmented: SegmentedCluster
    vectors: np.ndarray  # one unit-norm row per sentence of ``segmented``
    title_vectors: np.ndarray  # one unit-norm row per document with a title, in document order

    @property
    def cluster(self) -> Cluster:
        return self.segmented.cluster

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self.segmented.sentences

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.segmented.sentences]


@dataclass(frozen=True)
class SentenceRef:
    """A pointer to a source sentence: what a citation names."""

    doc_id: str
    index: int
    span: tuple[int, int]

    @classmethod
    def of(cls, sentence: Sentence) -> SentenceRef:
        return cls(sentence.doc_id, sentence.index, sentence.span)

    @classmethod
    def citing(cls, sentences: tuple[Sentence, ...]) -> tuple[SentenceRef, ...]:
        """Citations of ``sentences``: each once, in document and sentence order."""
        ordered = sorted(dict.fromkeys(sentences), key=lambda s: (s.doc_id, s.index))
        return tuple(cls.of(s) for s in ordered)


@dataclass(frozen=True)
class SelectedGroup:
    """A fact selected for the summary: near-duplicate sentences across outlets."""

    representative: Sentence  # the best-worded member, used by extractive output
    members: tuple[Sentence, ...]  # representative first, then closest first; at most one per document
    salience: float
    support_docs: tuple[str, ...]  # documents that carry this fact
    # The members offered to fusion (the first retrieve.fusion_members): what the budget counted.
    to_fuse: tuple[Sentence, ...] = ()

    @property
    def support_count(self) -> int:
        return len(self.support_docs)


@dataclass(frozen=True)
class Headline:
    """One outlet's headline, chosen to lead the summary; ``edits``: what the neutral stage removed."""

    text: str
    doc_id: str  # the outlet whose headline it is (what it cites)
    edits: tuple[str, ...] = ()
    basis: str = ""  # how it was chosen, as readers are told ("the only headline among the outlets")


@dataclass(frozen=True)
class Selection:
    """Retrieval output: groups in summary order, within the token budget."""

    embedded: EmbeddedCluster
    groups: tuple[SelectedGroup, ...]
    budget_tokens: int
    used_tokens: int
    facts: tuple[SelectedGroup, ...] = ()  # every fact group formed, most salient first (the comparison's)
    headline: Headline | None = None  # retrieve.headline: the outlets' most shared headline
    # one-outlet loaded modifiers (Lexicon.colour_words): retrieval avoids them, the neutral stage removes them
    colour: frozenset[str] = frozenset()
    alignment: Alignment | None = None  # which sentences state the same fact (align stage): facts' source

    @property
    def segmented(self) -> SegmentedCluster:
        return self.embedded.segmented

    @property
    def cluster(self) -> Cluster:
        return self.embedded.cluster


class DraftUnit(str, Enum):
    """What a fusion backend wrote for one selection."""

    NONE = "none"  # nothing: the backend does not generate (extractive)
    GROUP = "group"  # one sentence per selected fact
    CLUSTER = "cluster"  # one summary of the whole selection


@dataclass(frozen=True)
class Drafts:
    """Fusion output for one selection, checked by the guard (``verify.policy``)."""

    unit: DraftUnit
    texts: tuple[str, ...] = ()  # GROUP: one draft per selected group ("" where none); CLUSTER: the one draft
    alternatives: tuple[tuple[str, ...], ...] = ()  # GROUP (wordgraph): other candidates per group, best first

    def choices(self, position: int) -> tuple[str, ...]:
        """GROUP unit: every candidate for the group at ``position``, best first ("" dropped)."""
        rest = self.alternatives[position] if position < len(self.alternatives) else ()
        return tuple(t for t in (self.texts[position], *rest) if t)


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
    edits: tuple[str, ...] = ()  # words or phrases the neutral stage removed from the text
    full_names: tuple[str, ...] = ()  # names a first mention was given in full (people.py)
    rejected_text: str | None = None  # model output the guard threw away, for audit

    @property
    def cited_docs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.doc_id for c in self.citations))


@dataclass(frozen=True)
class ComparedFact:
    """A fact and the outlets that report it."""

    text: str  # the best-worded sentence stating it
    documents: tuple[str, ...]  # outlets that carry it, in document order
    sentences: tuple[SentenceRef, ...]  # where each outlet says it (one per outlet at most)
    salience: float
    in_summary: bool


@dataclass(frozen=True)
class DistinctiveTerm:
    """A word or phrase that one outlet uses and no other outlet does."""

    term: str
    count: int
    loaded: bool  # on the project's list of loaded (editorialising) words
    context: str  # a few words around its first use
    sentence: SentenceRef  # the sentence of its first use


@dataclass(frozen=True)
class OutletProfile:
    doc_id: str
    title: str
    leads_with: ComparedFact | None  # the fact of its first sentence: what it puts first
    distinctive_terms: tuple[DistinctiveTerm, ...]
    omissions: tuple[ComparedFact, ...]  # facts most other outlets report that it lacks
    only_here: tuple[ComparedFact, ...]  # facts no other outlet reports
    same_order: tuple[SharedOrder, ...] = ()  # outlets telling many of its facts in its order


@dataclass(frozen=True)
class Comparison:
    documents: tuple[str, ...]
    reported_by_all: tuple[ComparedFact, ...]
    reported_by_some: tuple[ComparedFact, ...]  # by more than one outlet but not all
    reported_by_one: tuple[ComparedFact, ...]
    outlets: tuple[OutletProfile, ...]
    note: str = ""  # why the comparison is empty or limited


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
        """Headline as a sentence, then the summary: what ROUGE against a "title. text" reference reads."""
        if not self.headline:
            return self.text
        head = self.headline.text
        ends_sentence = head.rstrip("\"'”’").endswith((".", "!", "?"))
        return (f"{head} {self.text}" if ends_sentence else f"{head}. {self.text}").rstrip()

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def to_json(self) -> str:
        """The JSON record of ``run --format json`` (README, "Output format"), without the config."""
        return SUMMARY_FORMATS.get("json")(self)

    def to_html(self) -> str:
        """The self-contained page of ``run --format html``."""
        return SUMMARY_FORMATS.get("html")(self)

    @property
    def word_count(self) -> int:
        return word_count(self.text)
