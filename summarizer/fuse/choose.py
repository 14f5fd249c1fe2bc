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

import torch

from summarizer.config_schema import FuseConfig
from summarizer.fuse.base import FusionRequest
from summarizer.fuse.embedded import EmbeddedGenerator
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

    def unit(self) -> str:
        return "group"  # one fact at a time: the word graph is built from one fact's sentences

    def generate(self, requests: list[FusionRequest]) -> list[str]:
        return [choices[0] if choices else "" for choices in self.choose(requests)]

    def choose(self, requests: list[FusionRequest]) -> list[tuple[str, ...]]:
        """Per request, the candidate fusions that pass checks 1–4, most fluent first."""
        return [self._choose(request) for request in requests]

    def _choose(self, request: FusionRequest) -> tuple[str, ...]:
        sentences = [p.text for p in request.passages]
        if len({p.doc_label for p in request.passages}) < 2:
            return ()
        longest = max(word_count(s) for s in sentences)
        graph = WordGraph(sentences)
        candidates = graph.candidates(limit=self.config.graph_paths, max_paths=self.config.graph_paths,
                                      min_words=MIN_WORDS, max_words=longest + longest // 4)
        kept = corroborated_stems(sentences[0], sentences[1:])
        source_bigrams = bigram_sets(sentences)
        candidates = [c for c in candidates
                      if new_bigram_share_of(c, source_bigrams) >= FUSED_NEW_BIGRAMS and kept <= content_stems(c)]
        if not candidates:
            return ()
        structured = self.syntax.faithful_structure(candidates, sentences)
        # cheapest paths first, so the ones scored are the graph's most shared wordings
        candidates = [c for c, ok in zip(candidates, structured) if ok][:self.config.graph_scored]
        if not candidates:
            return ()
        scores = self.fluency([sentences[0]] + candidates)
        baseline, ranked = scores[0], scores[1:]
        order = sorted(range(len(candidates)), key=lambda i: (-ranked[i], i))
        return tuple(candidates[i] for i in order if ranked[i] >= baseline)[:self.config.graph_choices]

    def fluency(self, texts: list[str]) -> list[float]:
        """Mean log-probability per token of each text under the model (higher reads better).

        One right-padded forward pass per call; a text's score does not depend on the others in
        the call beyond float rounding, and each call holds one fact's texts only.
        """
        encoded = self.tokenizer(texts, return_tensors="pt", padding=True, padding_side="right",
                                 add_special_tokens=False, return_token_type_ids=False).to(self.device)
        with torch.inference_mode():
            logits = self.model(**encoded).logits[:, :-1].float()
        targets = encoded["input_ids"][:, 1:]
        mask = encoded["attention_mask"][:, 1:].float()
        token_scores = torch.log_softmax(logits, dim=-1).gather(-1, targets[..., None])[..., 0]
        return ((token_scores * mask).sum(1) / mask.sum(1).clamp(min=1)).tolist()
