"""Constrained decoding: the embedded model writes a fact's sentence from its outlets' tokens only
(issue #14, lever 2).

The model is prompted as the writing backend is (the fact's sentences, "combine them into a single
sentence"), but each next token must continue a token n-gram that occurs in one of the fact's
sentences: at the start, a sentence's first token; after that, a token that follows the last
``order`` generated tokens somewhere in the sentences; the end of turn only after a sentence's last
token. So no name, number or word can be invented, and the model can still switch from one
outlet's wording to another's wherever they share ``order`` tokens, choose and drop. Beam search
returns several such texts per fact; they are candidates like the word graph's paths, and go
through the same checks (``fuse/choose.py``) and the guard.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch


class NGramConstraint:
    """``prefix_allowed_tokens_fn`` for ``generate``: per batch row, the tokens that continue an
    n-gram of that row's source token sequences (see the module docstring)."""

    def __init__(self, sources: Sequence[Sequence[Sequence[int]]], prompt_width: int, order: int,
                 end_id: int) -> None:
        self.prompt_width = prompt_width
        self.order = order
        self.end_id = end_id
        # per row: context (the last k ≤ order tokens) → tokens that follow it in some source
        self.followers = [self._followers(row) for row in sources]

    def _followers(self, sequences: Sequence[Sequence[int]]) -> dict[tuple[int, ...], set[int]]:
        table: dict[tuple[int, ...], set[int]] = {}
        for tokens in sequences:
            extended = list(tokens) + [self.end_id]
            for position, token in enumerate(extended):
                # a context shorter than ``order`` only near a sentence's start, where fewer tokens precede
                k = min(self.order, position)
                table.setdefault(tuple(extended[position - k:position]), set()).add(token)
        return table

    def __call__(self, row: int, input_ids: torch.Tensor) -> list[int]:
        generated = input_ids[self.prompt_width:].tolist()
        context = tuple(generated[-self.order:]) if len(generated) >= self.order else tuple(generated)
        allowed = self.followers[row].get(context)
        return sorted(allowed) if allowed else [self.end_id]


def constrained_texts(generator, requests: Sequence, beams: int, order: int = 2) -> list[list[str]]:
    """Per request, up to ``beams`` texts the causal ``generator`` writes under the n-gram
    constraint of the request's passages (one batch per ``fuse.batch_size`` requests)."""
    tokenizer = generator.tokenizer
    end_id = tokenizer.convert_tokens_to_ids("<|im_end|>")
    if not isinstance(end_id, int) or end_id == tokenizer.unk_token_id:
        end_id = tokenizer.eos_token_id
    results: list[list[str]] = []
    size = generator.config.batch_size
    for start in range(0, len(requests), size):
        batch = requests[start:start + size]
        sources = [[tokenizer(p.text, add_special_tokens=False)["input_ids"] for p in r.passages] for r in batch]
        inputs = generator.model_inputs(batch)
        width = inputs["input_ids"].shape[1]
        longest = max(len(t) for row in sources for t in row)
        constraint = NGramConstraint(sources, width, order, end_id)
        with torch.inference_mode():
            output = generator.model.generate(
                **inputs, prefix_allowed_tokens_fn=constraint, num_beams=beams, num_return_sequences=beams,
                max_new_tokens=longest + longest // 4, do_sample=False, early_stopping=True,
                # no n-gram ban: the prompt holds the sentences, so a ban would forbid the copying
                # the constraint asks for; loops are caught by the candidate checks instead
                eos_token_id=end_id, pad_token_id=tokenizer.pad_token_id)
        texts = tokenizer.batch_decode(output[:, width:], skip_special_tokens=True)
        for row in range(len(batch)):
            results.append([t.strip() for t in texts[row * beams:(row + 1) * beams]])
    return results
