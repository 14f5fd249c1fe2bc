"""Fitting the cross-encoder (``cross.PairHead``) on human-judged pairs: ``scripts/train_cross_encoder.py``.

AdamW on the adapters and the head, linear warm-up over the first tenth of the steps then linear
decay, binary cross-entropy; each pair is shown in a random order every epoch (the reader averages
both orders). Seeded: the same data and settings give the same weights on one machine.
"""
from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from summarizer.align.cross import MAX_TOKENS, PairHead, attach_adapters
from summarizer.align.training import LabelledPair

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrossSettings:
    rank: int = 16
    alpha: float = 16.0
    epochs: int = 4
    learning_rate: float = 1e-3
    batch_size: int = 16
    seed: int = 0


def fit_cross(pairs: Sequence[LabelledPair], base: str, settings: CrossSettings) -> tuple[PairHead, object]:
    """A ``PairHead`` over the encoder at ``base`` fitted on ``pairs``, and its tokenizer."""
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(settings.seed)
    tokenizer = AutoTokenizer.from_pretrained(base)
    encoder = AutoModel.from_pretrained(base, attn_implementation="eager")
    attach_adapters(encoder, settings.rank, settings.alpha)
    head = PairHead(encoder)
    parameters = [p for p in head.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=settings.learning_rate, weight_decay=0.01)
    steps = settings.epochs * math.ceil(len(pairs) / settings.batch_size)
    warm = max(1, int(0.1 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, s / warm) * max(0.0, (steps - s) / (steps - warm)))
    rng = np.random.default_rng(settings.seed)
    labels = np.array([p.label for p in pairs], dtype=np.float32)
    started, step = time.perf_counter(), 0
    head.train()
    for epoch in range(settings.epochs):
        order = rng.permutation(len(pairs))
        for start in range(0, len(pairs), settings.batch_size):
            batch = order[start:start + settings.batch_size]
            swap = rng.random(len(batch)) < 0.5
            first = [pairs[k].right if s else pairs[k].left for k, s in zip(batch, swap)]
            second = [pairs[k].left if s else pairs[k].right for k, s in zip(batch, swap)]
            encoded = tokenizer(first, second, truncation=True, max_length=MAX_TOKENS, padding=True,
                                return_tensors="pt")
            loss = torch.nn.functional.binary_cross_entropy_with_logits(head(dict(encoded)),
                                                                        torch.from_numpy(labels[batch]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
            if step % 100 == 0:
                log.info("epoch %d, step %d of %d: loss %.3f (%.0f s)", epoch + 1, step, steps, loss.item(),
                         time.perf_counter() - started)
    return head.eval(), tokenizer
