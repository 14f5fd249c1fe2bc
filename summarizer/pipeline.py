"""The whole job as a list of stages: segment → embed → align → retrieve → fuse → guard → dedupe → neutral
wording (with people's full names) → compare → Summary. Each stage takes the previous stage's records and returns its own;
this module only composes them and keeps per-stage timings and counters."""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass

import numpy as np
import torch

from summarizer.align.stage import align_cluster
from summarizer.compare.outlets import compare
from summarizer.config_schema import RunConfig
from summarizer.verify.dedupe import drop_repeated
from summarizer.embed.encoder import embed_clusters, get_encoder
from summarizer.fuse.base import Generator
from summarizer.fuse.requests import fuse
from summarizer.neutral.lexicon import Lexicon
from summarizer.neutral.wording import neutral_headline, neutral_sentences
from summarizer.neutral.people import FullNames
from summarizer.registries import GENERATORS
from summarizer.retrieve import retrieve
from summarizer.segment import segment_cluster
from summarizer.embed.similarity import Similarity
from summarizer.stats import StageStats
from summarizer.types import Cluster, Summary
from summarizer.verify import FaithfulnessGuard, GuardPolicy
from summarizer.verify.syntax import SyntaxCheck

log = logging.getLogger(__name__)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@dataclass(frozen=True)
class BatchResult:
    """The summaries of one ``summarize_batch`` call, in input order, and what its stages counted."""

    summaries: tuple[Summary, ...]
    stats: StageStats


class Pipeline:
    """Holds the loaded models; ``summarize`` runs one cluster through every stage."""

    def __init__(self, config: RunConfig, generator: Generator | None = None) -> None:
        self.config = config
        seed_everything(config.seed)
        started = time.perf_counter()
        log.info("loading sentence encoder")
        self.encoder = get_encoder(config.embedding)
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
        self.load_seconds = time.perf_counter() - started

    def summarize(self, cluster: Cluster) -> Summary:
        return self.summarize_batch([cluster]).summaries[0]

    def summarize_many(self, clusters: list[Cluster]) -> list[Summary]:
        return list(self.summarize_batch(clusters).summaries)

    def summarize_batch(self, clusters: list[Cluster]) -> BatchResult:
        """Summarise several clusters with one embedding pass and one batched generation.

        Stage timings of a batch are shared equally among its clusters.
        """
        config = self.config
        seed_everything(config.seed)
        stats = StageStats()
        with stats.timed("segment"):
            segmented = [segment_cluster(c, config.segment) for c in clusters]
        with stats.timed("embed"):
            embedded = embed_clusters(segmented, self.encoder)
        with stats.timed("align"):
            alignments = [align_cluster(e, config.align) for e in embedded]
        with stats.timed("retrieve"):
            selections = [retrieve(e, a, config.retrieve, self.similarity, self.lexicon, self.generator.count_tokens)
                          for e, a in zip(embedded, alignments)]
        with stats.timed("fuse"):
            drafts = fuse(selections, self.generator, config.fuse, stats)
        with stats.timed("guard"):
            sentences = [self.policy.apply(s, d, stats) for s, d in zip(selections, drafts)]
        with stats.timed("dedupe"):
            kept = [drop_repeated(chosen, self.similarity, stats) for chosen in sentences]
        with stats.timed("neutral"):
            headlines = [s.headline for s in selections]
            if config.neutral.drop_loaded_words:
                kept = [neutral_sentences(chosen, s.cluster, s.colour, self.lexicon) for chosen, s in zip(kept, selections)]
                headlines = [neutral_headline(s.headline, s.cluster, s.colour, self.lexicon) for s in selections]
            if self.full_names is not None:
                kept = [self.full_names.apply(chosen, s) for chosen, s in zip(kept, selections)]
        with stats.timed("compare"):
            comparisons = [compare(s, self.lexicon, config.compare) if config.compare.enabled else None
                           for s in selections]
        timings = stats.per_item(len(clusters))
        summaries = []
        for cluster, selection, chosen, comparison, headline in zip(clusters, selections, kept, comparisons,
                                                                   headlines):
            warnings = list(cluster.warnings)
            if not chosen:
                warnings.append("no sentence could be selected: the documents share no usable sentence")
            summaries.append(Summary(cluster_id=cluster.cluster_id, sentences=tuple(chosen), selection=selection,
                                     model=self.generator.model_id, backend=config.fuse.backend,
                                     timings=dict(timings), warnings=tuple(warnings), comparison=comparison,
                                     headline=headline))
        return BatchResult(tuple(summaries), stats)
