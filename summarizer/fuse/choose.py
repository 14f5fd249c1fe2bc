"""The wordgraph backend: the embedded model *chooses* among fusions it did not write.

For each fact carried by two or more outlets, the outlets' sentences form a word graph
(``fuse/wordgraph.py``) whose cheapest paths are candidate fusions: each one a sentence no
outlet wrote, joined from their wordings where they share words. A candidate is offered to the
guard only if it

1. is fusion, not a copy: at least ``FUSED_NEW_BIGRAMS`` of its bigrams are absent from every
   one of the fact's sentences (a path that keeps one outlet's sentence with a word changed is
   not worth replacing that sentence with);
2. keeps every content word of the fact's best-worded sentence that another outlet also wrote
   (``verify.policy.corroborated_stems``): nothing two outlets report is lost;
3. parses as one complete sentence whose every head-dependent relation occurs in one of the
   fact's sentences (``verify/syntax.py``);
4. reads at least as fluently, per token under the embedded SmolLM2 model, as the fact's
   best-worded sentence does: a 135M model is a poor writer but a usable judge of fluency. The
   model scores the ``fuse.graph_scored`` cheapest candidates that pass 1–3, so a fact of long
   sentences costs no more than a short one.

Survivors go to the guard best first (``fuse.graph_choices`` at most); the guard stage takes the
first it supports, and otherwise the source sentence stands.
"""
from __future__ import annotations

import dataclasses
import logging

from summarizer.config_schema import FuseConfig
from summarizer.fuse.base import FusionRequest
from summarizer.fuse.embedded import EmbeddedGenerator
from summarizer.fuse.fluency import FluencyScorer
from summarizer.fuse.wordgraph import WordGraph
from summarizer.fuse.novelty import FUSED_NEW_BIGRAMS, bigram_sets, new_bigram_share_of
from summarizer.text import content_stems, word_count
from summarizer.verify.policy import corroborated_stems
from summarizer.verify.syntax import SyntaxCheck

log = logging.getLogger(__name__)

#: candidates are between these many words and the longest input sentence plus a quarter
MIN_WORDS = 8


class WordGraphFuser(EmbeddedGenerator):
    """Word-graph fusion ranked by the embedded model; see the module docstring."""

    name = "wordgraph"
    preferred_unit = "group"

    def __init__(self, config: FuseConfig, model=None, tokenizer=None) -> None:
        # Scores in float32 whatever is fastest for generation here, so that the same cluster gets
        # the same fusion on every CPU.
        if config.dtype == "auto":
            config = dataclasses.replace(config, dtype="float32")
        super().__init__(config, model, tokenizer)
        self.syntax = SyntaxCheck(config.parser)
        self.scorer = FluencyScorer(self.model, self.tokenizer, self.device)

    def unit(self) -> str:
        return "group"  # one fact at a time: the word graph is built from one fact's sentences

    def generate(self, requests: list[FusionRequest]) -> list[str]:
        return [choices[0] if choices else "" for choices in self.choose(requests)]

    def choose(self, requests: list[FusionRequest]) -> list[tuple[str, ...]]:
        """Per request, the candidate fusions that pass checks 1–4, most fluent first.

        Every fact's candidates are drafted first, then parsed together and scored together
        (one packed forward pass for as many facts as fit: ``fuse/fluency.py``)."""
        drafts = self._structured([self._drafts(request) for request in requests])
        scored = [index for index, (_, candidates) in enumerate(drafts) if candidates]
        scores = self.fluency_of_groups([[drafts[i][0][0], *drafts[i][1]] for i in scored])
        choices: list[tuple[str, ...]] = [()] * len(requests)
        for index, (baseline, *ranked) in zip(scored, scores):
            candidates = drafts[index][1]
            order = sorted(range(len(candidates)), key=lambda i: (-ranked[i], i))
            choices[index] = tuple(candidates[i] for i in order if ranked[i] >= baseline)[:self.config.graph_choices]
        return choices

    def _drafts(self, request: FusionRequest) -> tuple[list[str], list[str]]:
        """The fact's sentences and its word-graph candidates that pass checks 1 and 2."""
        sentences = [p.text for p in request.passages]
        if len({p.doc_label for p in request.passages}) < 2:
            return sentences, []
        longest = max(word_count(s) for s in sentences)
        candidates = WordGraph(sentences).candidates(limit=self.config.graph_paths, max_paths=self.config.graph_paths,
                                                     min_words=MIN_WORDS, max_words=longest + longest // 4)
        kept = corroborated_stems(sentences[0], sentences[1:])
        source_bigrams = bigram_sets(sentences)
        return sentences, [c for c in candidates
                           if new_bigram_share_of(c, source_bigrams) >= FUSED_NEW_BIGRAMS and kept <= content_stems(c)]

    def _structured(self, drafts: list[tuple[list[str], list[str]]]) -> list[tuple[list[str], list[str]]]:
        """Check 3 on every fact's candidates in one parse; the cheapest ``fuse.graph_scored``
        survivors per fact (the graph's most shared wordings) go on to be scored."""
        verdicts = self.syntax.faithful_structure_many([(c, s) for s, c in drafts])
        return [(sentences, [c for c, ok in zip(candidates, ok_list) if ok][:self.config.graph_scored])
                for (sentences, candidates), ok_list in zip(drafts, verdicts)]

    def fluency(self, texts: list[str]) -> list[float]:
        """Mean log-probability per token of each text under the model (higher reads better)."""
        return self.fluency_of_groups([texts])[0]

    def fluency_of_groups(self, groups: list[list[str]]) -> list[list[float]]:
        """``fluency`` of each group's texts, every group in as few forward passes as fit."""
        return self.scorer.score_groups(groups)
