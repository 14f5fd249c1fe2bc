"""Fluency of short texts under a causal language model: mean log-probability per token.

The word graph's candidates for one fact share long prefixes (they are paths through one graph
from the same start), so scoring them one padded row each computes the same prefix many times.
Here the texts of a call become one prefix tree (a trie of token ids): every distinct prefix is
one position of a single packed sequence, attending only to its ancestors (a 4-D attention mask,
as tree attention in speculative decoding does) at the position id of its depth. A token's
log-probability is read from its parent's logits. On the seeds this computes 267 positions
instead of 464 real tokens (and 507 padded ones), one forward pass for all facts instead of
one per fact: the fuse stage's scoring went from 1.17 s to 0.56 s with the same scores up to
float rounding (differences below 1e-6).

A model that ignores a custom 4-D mask or position ids would score wrong silently, so each
loaded model is checked once on two texts against plain padded rows; where they disagree the
padded rows are used (and the log says so).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import torch

log = logging.getLogger(__name__)

#: most positions in one packed sequence: attention over the packed tree costs its square, so
#: long clusters are scored in several sequences (each fact's texts stay in one)
PACKED_POSITIONS = 512
#: largest difference in mean log-probability between the packed and padded scoring of the
#: self-check's texts that still counts as the same (float rounding is near 1e-6)
SELF_CHECK_TOLERANCE = 1e-3
_CHECK_TEXTS = ("The leaders signed a defence pact on Wednesday.",
                "The leaders signed a pact in the capital, officials said.")


@dataclass
class _Trie:
    """Distinct token prefixes of some texts, in insertion order (a parent before its children)."""

    tokens: list[int] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)  # -1 for a text's first token
    depths: list[int] = field(default_factory=list)
    paths: list[list[int]] = field(default_factory=list)  # per text, its node per token
    _index: dict[tuple[int, int], int] = field(default_factory=dict)

    def add(self, token_ids: list[int]) -> None:
        path, parent = [], -1
        for depth, token in enumerate(token_ids):
            node = self._index.get((parent, token))
            if node is None:
                node = self._index[(parent, token)] = len(self.tokens)
                self.tokens.append(token)
                self.parents.append(parent)
                self.depths.append(depth)
            path.append(node)
            parent = node
        self.paths.append(path)

    def ancestor_mask(self) -> torch.Tensor:
        """(n, n) booleans: node i may attend to node j when j is i or one of its ancestors."""
        size = len(self.tokens)
        mask = torch.eye(size, dtype=torch.bool)
        for node, parent in enumerate(self.parents):
            if parent >= 0:
                mask[node] |= mask[parent]
        return mask


class FluencyScorer:
    """Mean log-probability per token of texts under ``model`` (higher reads better)."""

    def __init__(self, model, tokenizer, device) -> None:
        self.model, self.tokenizer, self.device = model, tokenizer, device
        self._packing: bool | None = None  # decided by the self-check on first use

    def score_groups(self, groups: list[list[str]]) -> list[list[float]]:
        """Scores of each group's texts; a text's score does not depend on the other texts
        beyond float rounding. Groups are packed into as few forward passes as fit."""
        if self._packing is None:
            self._packing = self._packing_agrees()
        if not self._packing:
            return [self.padded(group) if group else [] for group in groups]
        encoded = [self._token_ids(group) for group in groups]
        scores: list[list[float]] = [[] for _ in groups]
        for chunk in _chunks([sum(map(len, ids)) for ids in encoded], PACKED_POSITIONS):
            flat = self.packed([ids for g in chunk for ids in encoded[g]])
            for g in chunk:
                scores[g], flat = flat[:len(encoded[g])], flat[len(encoded[g]):]
        return scores

    def _token_ids(self, texts: list[str]) -> list[list[int]]:
        return self.tokenizer(texts, add_special_tokens=False)["input_ids"] if texts else []

    def packed(self, token_ids: list[list[int]]) -> list[float]:
        """One forward pass over the prefix tree of ``token_ids``."""
        if not token_ids:
            return []
        trie = _Trie()
        for ids in token_ids:
            trie.add(ids)
        if not trie.tokens:
            return [0.0] * len(token_ids)
        tokens = torch.tensor([trie.tokens], device=self.device)
        mask = trie.ancestor_mask().to(self.device)[None, None]
        with torch.inference_mode():
            logits = self.model(input_ids=tokens, attention_mask=mask,
                                position_ids=torch.tensor([trie.depths], device=self.device)).logits[0].float()
        parents = torch.tensor([max(p, 0) for p in trie.parents], device=self.device)
        node_scores = (logits[parents].gather(-1, tokens[0, :, None])[:, 0]
                       - torch.logsumexp(logits, dim=-1)[parents]).tolist()
        return [sum(node_scores[n] for n in path[1:]) / max(len(path) - 1, 1) for path in trie.paths]

    def padded(self, texts: list[str]) -> list[float]:
        """One right-padded row per text (any causal model scores right this way)."""
        encoded = self.tokenizer(texts, return_tensors="pt", padding=True, padding_side="right",
                                 add_special_tokens=False, return_token_type_ids=False).to(self.device)
        with torch.inference_mode():
            logits = self.model(**encoded).logits[:, :-1].float()
        targets = encoded["input_ids"][:, 1:]
        mask = encoded["attention_mask"][:, 1:].float()
        token_scores = torch.log_softmax(logits, dim=-1).gather(-1, targets[..., None])[..., 0]
        return ((token_scores * mask).sum(1) / mask.sum(1).clamp(min=1)).tolist()

    def _packing_agrees(self) -> bool:
        texts = list(_CHECK_TEXTS)
        try:
            packed = self.packed(self._token_ids(texts))
        except Exception as error:  # noqa: BLE001  any refusal of a 4-D mask (each model family raises its own)
            log.info("fluency: packed scoring unavailable for this model (%s); padded rows used", error)
            return False
        agrees = all(abs(a - b) <= SELF_CHECK_TOLERANCE for a, b in zip(packed, self.padded(texts)))
        if not agrees:
            log.info("fluency: this model ignores a tree attention mask; padded rows used")
        return agrees


def _chunks(sizes: list[int], budget: int) -> list[list[int]]:
    """Consecutive indices of ``sizes`` grouped so that each group's total stays within
    ``budget`` (a single size over it forms its own group)."""
    chunks: list[list[int]] = []
    total = 0
    for index, size in enumerate(sizes):
        if not chunks or total + size > budget:
            chunks.append([])
            total = 0
        chunks[-1].append(index)
        total += size
    return chunks
