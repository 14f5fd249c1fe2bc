"""The whole job: segment → retrieve → fuse → guard → neutral wording → Summary."""
from __future__ import annotations

import logging
import random
import time
from contextlib import contextmanager

import numpy as np
import torch

from summarizer.compare import compare
from summarizer.config import RunConfig
from summarizer.embeddings import get_encoder
from summarizer.fuse import GENERATORS, FusionRequest, Generator, Passage
from summarizer.neutral import colour_words, neutral_wording
from summarizer.retrieve import retrieve
from summarizer.segment import segment_cluster, split_sentences
from summarizer.types import (Cluster, Headline, Origin, SelectedGroup, Selection, Sentence, SentenceRef,
                              Summary, SummarySentence, SupportCheck)
from summarizer.verify import FaithfulnessGuard, SourceIndex, Verdict, clean_draft

log = logging.getLogger(__name__)

# Two output sentences this similar say the same thing; the later one is dropped.
_DUPLICATE_SIMILARITY = 0.85


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _refs(sentences: tuple[Sentence, ...]) -> tuple[SentenceRef, ...]:
    ordered = sorted(dict.fromkeys(sentences), key=lambda s: (s.doc_id, s.index))
    return tuple(SentenceRef(s.doc_id, s.index, s.span) for s in ordered)


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
        self.guard = FaithfulnessGuard(self.encoder, config.guard, config.retrieve.lexical_weight)
        self.load_seconds = time.perf_counter() - started

    def summarize(self, cluster: Cluster) -> Summary:
        return self.summarize_many([cluster])[0]

    def summarize_many(self, clusters: list[Cluster]) -> list[Summary]:
        """Summarise several clusters with one embedding pass and one batched generation.

        Stage timings of a batch are shared equally among its clusters.
        """
        seed_everything(self.config.seed)
        timings: dict[str, float] = {}

        @contextmanager
        def timed(stage: str):
            started = time.perf_counter()
            yield
            timings[stage] = round((time.perf_counter() - started) / max(1, len(clusters)), 4)

        with timed("segment"):
            segmented = [segment_cluster(c, self.config.segment) for c in clusters]
        with timed("retrieve"):
            # One batched embedding call for every sentence and title of the batch; the
            # per-cluster calls below are then served from the encoder's cache.
            self.encoder.encode([s.text for seg in segmented for s in seg.sentences]
                                + [d.title for c in clusters for d in c.documents if d.title])
            vectors = [self.encoder.encode([s.text for s in seg.sentences]) for seg in segmented]
            selections = [
                retrieve(seg, v, self.encoder.encode([d.title for d in seg.cluster.documents if d.title]),
                         self.config.retrieve, self.config.neutral, self.generator.count_tokens)
                for seg, v in zip(segmented, vectors)]
        with timed("fuse"):
            drafts = self._fuse(selections)
        with timed("guard"):
            sentences = [self._guard(selection, draft, SourceIndex(seg.sentences, v, self.guard.index_text(seg)))
                         for selection, draft, seg, v in zip(selections, drafts, segmented, vectors)]
        with timed("neutral"):
            colours = [self._colour(c) for c in clusters]
            sentences = [self._neutralize(s, c, colour) for s, c, colour in zip(sentences, clusters, colours)]
            headlines = [self._neutral_headline(selection.headline, c, colour)
                         for selection, c, colour in zip(selections, clusters, colours)]
        with timed("compare"):
            comparisons = [compare(selection, v, self.config.compare, self.config.retrieve, self.config.neutral)
                           if self.config.compare.enabled else None
                           for selection, v in zip(selections, vectors)]
        summaries = []
        for cluster, selection, chosen, comparison, headline in zip(clusters, selections, sentences, comparisons,
                                                                   headlines):
            warnings = list(cluster.warnings)
            if not chosen:
                warnings.append("no sentence could be selected: the documents share no usable sentence")
            summaries.append(Summary(cluster_id=cluster.cluster_id, sentences=tuple(chosen), selection=selection,
                                     model=self.generator.model_id, backend=self.config.fuse.backend,
                                     timings=dict(timings), warnings=tuple(warnings), comparison=comparison,
                                     headline=headline))
        return summaries

    # -- fusion ---------------------------------------------------------------------------
    def _fusable(self, group: SelectedGroup) -> bool:
        return len(group.members) >= self.config.fuse.min_group_size_to_fuse

    def _requests(self, selection: Selection) -> list[FusionRequest]:
        """Cluster unit: one request for the whole selection; group unit: one per fusable group."""
        if not selection.groups:
            return []
        if self.generator.unit() == "cluster":
            passages = tuple(Passage(m.doc_id, m.text) for g in selection.groups
                             for m in g.members[:self.config.retrieve.fusion_members])
            words = sum(len(g.representative.text.split()) for g in selection.groups)
            return [FusionRequest(passages, "cluster", words)]
        return [FusionRequest(tuple(Passage(m.doc_id, m.text) for m in g.members[:self.config.retrieve.fusion_members]),
                              "group",
                              len(g.representative.text.split()))
                for g in selection.groups if self._fusable(g)]

    def _fuse(self, selections: list[Selection]) -> list[list[str | None] | str | None]:
        """Per cluster: None (no generation), one text (cluster unit) or one draft per group."""
        if not self.generator.generates:
            return [None] * len(selections)
        per_cluster = [self._requests(s) for s in selections]
        requests = [r for rs in per_cluster for r in rs]
        if requests:
            log.info("generating %d fusion request(s) for %d cluster(s)", len(requests), len(selections))
        outputs = iter(self.generator.generate(requests) if requests else [])
        drafts: list[list[str | None] | str | None] = []
        for selection, cluster_requests in zip(selections, per_cluster):
            if not selection.groups:
                drafts.append(None)
            elif self.generator.unit() == "cluster":
                drafts.append(next(outputs))
            else:
                drafts.append([next(outputs) if self._fusable(g) else None for g in selection.groups])
        return drafts

    # -- guard ----------------------------------------------------------------------------
    @staticmethod
    def _extracted(group: SelectedGroup, rejected: str | None = None,
                   check: SupportCheck | None = None) -> SummarySentence:
        return SummarySentence(
            text=group.representative.text, origin=Origin.EXTRACTED, citations=_refs(group.members),
            check=check or SupportCheck(True, 1.0, (), "source sentence"), rejected_text=rejected)

    def _first_sentence(self, text: str) -> str:
        pieces = split_sentences(clean_draft(text).replace("\n", " "), self.config.segment.language)
        return pieces[0][0] if pieces else ""

    def _min_words(self, group: SelectedGroup) -> int:
        shortest = min(len(m.text.split()) for m in group.members)
        return max(6, int(self.config.guard.min_length_ratio * shortest))

    def _accept(self, draft: str, verdict: Verdict, index: SourceIndex,
                fallback: SelectedGroup | None) -> SummarySentence | None:
        if verdict.check.supported:
            return SummarySentence(draft, Origin.GENERATED, _refs(verdict.support), verdict.check)
        repaired = self.guard.repair(draft, index, self._min_words(fallback) if fallback else 6)
        if repaired is not None:
            text, fixed = repaired
            return SummarySentence(text, Origin.REPAIRED, _refs(fixed.support), fixed.check,
                                   rejected_text=draft)
        if fallback is None:
            return None
        return self._extracted(fallback, rejected=draft, check=SupportCheck(
            True, 1.0, (), f"model sentence rejected ({verdict.check.reason}); source sentence used"))

    def _guard(self, selection: Selection, drafts: list[str | None] | str | None,
               index: SourceIndex) -> list[SummarySentence]:
        groups = selection.groups
        if drafts is None:
            return [self._extracted(g) for g in groups]
        if isinstance(drafts, str):
            return self._guard_summary(groups, drafts, index)
        candidates = [self._first_sentence(d) if d else "" for d in drafts]
        to_check = [(c, self._min_words(g)) for c, g in zip(candidates, groups) if c]
        verdicts = iter(self.guard.check([c for c, _ in to_check], index, [m for _, m in to_check]))
        output = []
        for group, draft, candidate in zip(groups, drafts, candidates):
            if not candidate:
                output.append(self._extracted(group, rejected=draft or None))
                continue
            output.append(self._accept(candidate, next(verdicts), index, group))
        return output

    def _guard_summary(self, groups: tuple[SelectedGroup, ...], draft: str,
                       index: SourceIndex) -> list[SummarySentence]:
        """Cluster unit: check each generated sentence; replace failures by unused facts."""
        candidates = [s for s, _ in split_sentences(clean_draft(draft).replace("\n", " "),
                                                    self.config.segment.language)]
        verdicts = self.guard.check(candidates, index)
        unused = list(groups)
        output: list[SummarySentence] = []
        for candidate, verdict in zip(candidates, verdicts):
            # Replace with the unused fact closest to what the model tried to say.
            support = set(verdict.support)
            fallback = next((g for g in unused if support & set(g.members)), unused[0] if unused else None)
            sentence = self._accept(candidate, verdict, index, fallback)
            if sentence is None:
                continue
            if sentence.origin is Origin.EXTRACTED and fallback in unused:
                unused.remove(fallback)
            output.append(sentence)
        if not output:  # the model produced nothing usable: fall back to the extractive summary
            reason = "model produced no text" if not draft.strip() else "no model sentence was usable"
            output = [self._extracted(g, rejected=draft or None, check=SupportCheck(
                True, 1.0, (), f"{reason}; source sentence used")) for g in groups]
        return output

    # -- neutral wording ------------------------------------------------------------------
    def _colour(self, cluster: Cluster) -> frozenset[str]:
        return colour_words([d.text for d in cluster.documents], self.config.neutral) \
            if self.config.neutral.drop_loaded_words else frozenset()

    def _neutral_headline(self, headline: Headline | None, cluster: Cluster,
                          colour: frozenset[str]) -> Headline | None:
        """The chosen headline with the same neutral edits as the summary's sentences."""
        if headline is None or not self.config.neutral.drop_loaded_words:
            return headline
        edit = neutral_wording(headline.text, [d.text for d in cluster.documents], colour, self.config.neutral)
        if not edit.removed:
            return headline
        return Headline(edit.text, headline.doc_id, edit.notes)

    def _neutralize(self, sentences: list[SummarySentence], cluster: Cluster,
                    colour: frozenset[str]) -> list[SummarySentence]:
        """Drop repeated facts; apply the neutral edits (``colour``: the cluster's ``_colour``)."""
        document_texts = [d.text for d in cluster.documents]
        kept: list[SummarySentence] = []
        kept_vectors: list[np.ndarray] = []
        vectors = self.encoder.encode([s.text for s in sentences]) if sentences else []
        for sentence, vector in zip(sentences, vectors):
            if any(float(vector @ other) >= _DUPLICATE_SIMILARITY for other in kept_vectors):
                continue
            if self.config.neutral.drop_loaded_words:
                edit = neutral_wording(sentence.text, document_texts, colour, self.config.neutral)
                if edit.removed:
                    sentence = SummarySentence(edit.text, sentence.origin, sentence.citations, sentence.check,
                                               edits=edit.notes,
                                               rejected_text=sentence.rejected_text)
            kept.append(sentence)
            kept_vectors.append(vector)
        return kept
