"""The whole job as a list of steps: segment → embed → align → retrieve → fuse → guard → dedupe →
neutral wording (with people's full names) → compare → Summary.

Every step has one shape: it takes the batch's ``ClusterState``s and returns them with its own
field filled in, and it owns its switches, thresholds and counters. ``Pipeline.steps`` is the
list; ``summarize_batch`` runs it, timing each step, and reads the Summaries off the states.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import torch

from summarizer.align.records import Alignment
from summarizer.align.stage import align_cluster, cross_scores
from summarizer.compare import compare
from summarizer.config_schema import RunConfig
from summarizer.embed.encoder import embed_clusters, get_encoder
from summarizer.embed.similarity import Similarity
from summarizer.fuse.base import Generator
from summarizer.fuse.requests import fuse
from summarizer.neutral.lexicon import Lexicon
from summarizer.neutral.people import FullNames
from summarizer.neutral.wording import neutral_headline, neutral_sentences
from summarizer.registries import GENERATORS
from summarizer.retrieve import retrieve
from summarizer.segment import segment_cluster
from summarizer.stats import StageStats
from summarizer.types import (Cluster, Comparison, Drafts, EmbeddedCluster, Headline, SegmentedCluster, Selection,
                              Summary, SummarySentence)
from summarizer.verify import FaithfulnessGuard, GuardPolicy
from summarizer.verify.dedupe import drop_repeated
from summarizer.verify.syntax import SyntaxCheck

log = logging.getLogger(__name__)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@dataclass(frozen=True)
class ClusterState:
    """One cluster on its way through the steps: each step fills in its own field."""

    cluster: Cluster
    segmented: SegmentedCluster | None = None
    embedded: EmbeddedCluster | None = None
    alignment: Alignment | None = None
    selection: Selection | None = None
    drafts: Drafts | None = None
    sentences: tuple[SummarySentence, ...] = ()
    headline: Headline | None = None
    comparison: Comparison | None = None


class Step(Protocol):
    """A stage as the pipeline runs it: a name (its timing's key) and one call over the batch."""

    name: str

    def __call__(self, states: list[ClusterState], stats: StageStats) -> list[ClusterState]: ...


@dataclass(frozen=True)
class BatchResult:
    """The summaries of one ``summarize_batch`` call, in input order, and what its stages counted."""

    summaries: tuple[Summary, ...]
    stats: StageStats


class Pipeline:
    """Holds the loaded models and the steps; ``summarize`` runs one cluster through every step."""

    def __init__(self, config: RunConfig, generator: Generator | None = None) -> None:
        self.config = config
        seed_everything(config.seed)
        started = time.perf_counter()
        log.info("loading sentence encoder")
        self.encoder = get_encoder(config.embedding)
        self.cross = cross_scores(config.align, config.embedding.device)
        if generator is None:
            log.info("loading fusion backend %r", config.fuse.backend)
            generator = GENERATORS.build(config.fuse.backend, config.fuse)
        self.generator = generator
        self.similarity = Similarity(self.encoder, config.retrieve.lexical_weight)
        self.lexicon = Lexicon.from_config(config.neutral)
        # Model text must parse as a complete sentence; the parser loads only where there is model text
        # (once per process: verify.syntax.load_parser is cached, so the wordgraph backend shares it).
        syntax = SyntaxCheck(config.fuse.parser) if generator.generates else None
        self.policy = GuardPolicy(FaithfulnessGuard(self.similarity, config.guard), config.segment.language, syntax)
        # spaCy loads on the first summary that mentions someone by a name the sources give in full.
        self.full_names = FullNames(config.fuse.parser, self.policy.guard) if config.neutral.full_names else None
        self.steps: list[Step] = [
            _Each("segment", "segmented", lambda s: segment_cluster(s.cluster, config.segment)),
            _Embed(self.encoder),
            _Each("align", "alignment", lambda s: align_cluster(s.embedded, config.align, self.cross)),
            _Each("retrieve", "selection", lambda s: retrieve(s.embedded, s.alignment, config.retrieve, self.similarity,
                                                              self.lexicon, self.generator.count_tokens,
                                                              config.neutral.drop_loaded_words)),
            _Fuse(self.generator, config),
            _EachCounted("guard", "sentences", lambda s, stats: tuple(self.policy.apply(s.selection, s.drafts, stats))),
            _EachCounted("dedupe", "sentences", lambda s, stats: tuple(drop_repeated(
                list(s.sentences), self.similarity, config.guard.duplicate_similarity, stats))),
            _Neutral(config, self.lexicon, self.full_names),
            _Each("compare", "comparison", lambda s: compare(s.selection, self.lexicon, config.compare)
                  if config.compare.enabled else None),
        ]
        self.load_seconds = time.perf_counter() - started

    def summarize(self, cluster: Cluster) -> Summary:
        return self.summarize_batch([cluster]).summaries[0]

    def summarize_many(self, clusters: list[Cluster]) -> list[Summary]:
        return list(self.summarize_batch(clusters).summaries)

    def summarize_batch(self, clusters: list[Cluster]) -> BatchResult:
        """Summarise several clusters with one embedding pass and one batched generation.

        Stage timings of a batch are shared equally among its clusters.
        """
        seed_everything(self.config.seed)
        stats = StageStats()
        states = [ClusterState(cluster) for cluster in clusters]
        for step in self.steps:
            with stats.timed(step.name):
                states = step(states, stats)
        timings = stats.per_item(len(clusters))
        return BatchResult(tuple(self._summary(state, timings) for state in states), stats)

    def _summary(self, state: ClusterState, timings: dict[str, float]) -> Summary:
        warnings = list(state.cluster.warnings)
        if not state.sentences:
            warnings.append("no sentence could be selected: the documents share no usable sentence")
        return Summary(cluster_id=state.cluster.cluster_id, sentences=state.sentences, selection=state.selection,
                       model=self.generator.model_id, backend=self.config.fuse.backend, timings=dict(timings),
                       warnings=tuple(warnings), comparison=state.comparison, headline=state.headline)


class _Each:
    """A step that computes one field of each state on its own."""

    def __init__(self, name: str, field: str, compute) -> None:
        self.name, self.field, self.compute = name, field, compute

    def __call__(self, states: list[ClusterState], stats: StageStats) -> list[ClusterState]:
        return [replace(s, **{self.field: self.compute(s)}) for s in states]


class _EachCounted(_Each):
    """``_Each`` for a stage that counts what it does in the batch's ``StageStats``."""

    def __call__(self, states: list[ClusterState], stats: StageStats) -> list[ClusterState]:
        return [replace(s, **{self.field: self.compute(s, stats)}) for s in states]


class _Embed:
    """Every sentence and title of the batch in one encoder call."""

    name = "embed"

    def __init__(self, encoder) -> None:
        self.encoder = encoder

    def __call__(self, states: list[ClusterState], stats: StageStats) -> list[ClusterState]:
        embedded = embed_clusters([s.segmented for s in states], self.encoder)
        return [replace(s, embedded=e) for s, e in zip(states, embedded)]


class _Fuse:
    """Every fusion request of the batch in one generation call."""

    name = "fuse"

    def __init__(self, generator: Generator, config: RunConfig) -> None:
        self.generator, self.config = generator, config

    def __call__(self, states: list[ClusterState], stats: StageStats) -> list[ClusterState]:
        drafts = fuse([s.selection for s in states], self.generator, self.config.fuse, stats)
        return [replace(s, drafts=d) for s, d in zip(states, drafts)]


class _Neutral:
    """One-outlet loaded words removed (``neutral.drop_loaded_words``), then a person's first mention
    given the full name the sources use (``neutral.full_names``)."""

    name = "neutral"

    def __init__(self, config: RunConfig, lexicon: Lexicon, full_names: FullNames | None) -> None:
        self.config, self.lexicon, self.full_names = config, lexicon, full_names

    def __call__(self, states: list[ClusterState], stats: StageStats) -> list[ClusterState]:
        done = []
        for state in states:
            selection, sentences, headline = state.selection, list(state.sentences), state.selection.headline
            if self.config.neutral.drop_loaded_words:
                sentences = neutral_sentences(sentences, selection.cluster, selection.colour, self.lexicon)
                headline = neutral_headline(headline, selection.cluster, selection.colour, self.lexicon)
            if self.full_names is not None:
                sentences = self.full_names.apply(sentences, selection)
            done.append(replace(state, sentences=tuple(sentences), headline=headline))
        return done
