"""Reading both sentences at once: a cross-encoder's view of "same fact?".

Views computed on each sentence apart (embedding cosine, shared words and n-grams, names, numbers)
cannot see that "accuse Pyongyang of providing Moscow with artillery" and "accused of supplying
weapons to Russia" say one thing: that takes attention across the pair, a cross-encoder (Nogueira
& Cho 2019; Reimers & Gurevych 2019 measure it well above bi-encoders on paraphrase pairs). The
bundled one is the sentence encoder's own weights (all-MiniLM-L6-v2, already installed) with
low-rank adapters on every linear layer (LoRA, Hu et al. 2021) and a linear head over the mean of
its token states, fitted on MSRP's training portion by ``scripts/train_cross_encoder.py``: about a
megabyte beside the package, not a second model. Its logit is the pair view ``cross`` of the pair
model (``pairs.PAIR_FEATURES``).
"""
from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from torch import nn

#: longest pair in tokens (MSRP's pairs are about 60; news sentences rarely pass 60 each)
MAX_TOKENS = 160
#: pairs per forward pass; fixed, so a cluster's pairs are batched the same way in every run
BATCH = 32


class LowRank(nn.Module):
    """A frozen linear layer plus a trainable low-rank update ``scale · B A`` (B starts at zero)."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        self.a = nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
        self.b = nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.a.T @ self.b.T) * self.scale

    def merged(self) -> nn.Linear:
        """The plain linear layer with the update folded in: inference costs what the base costs."""
        merged = nn.Linear(self.base.in_features, self.base.out_features, bias=self.base.bias is not None)
        with torch.no_grad():
            merged.weight.copy_(self.base.weight + self.scale * self.b @ self.a)
            if self.base.bias is not None:
                merged.bias.copy_(self.base.bias)
        return merged


def attach_adapters(model: nn.Module, rank: int, alpha: float) -> None:
    """Freeze ``model`` and wrap each linear layer of its transformer layers in a ``LowRank``."""
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    for name, module in list(model.named_modules()):
        if ".layer." not in f".{name}.":
            continue
        for child_name, child in list(module.named_children()):
            if isinstance(child, nn.Linear):
                setattr(module, child_name, LowRank(child, rank, alpha))


class PairHead(nn.Module):
    """The encoder over "first [SEP] second", mean-pooled, to one logit of "same meaning"."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        self.out = nn.Linear(int(encoder.config.hidden_size), 1)

    def forward(self, encoded: dict) -> torch.Tensor:
        hidden = self.encoder(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        return self.out((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)).squeeze(-1)


def trainable_state(head: PairHead) -> dict[str, torch.Tensor]:
    """What training changed: the adapters and the output layer (what the file holds)."""
    return {name: p.detach().cpu().contiguous() for name, p in head.named_parameters() if p.requires_grad}


def save_adapter(head: PairHead, path: str | Path, rank: int, alpha: float, description: str) -> None:
    """The adapters and head as safetensors, with what they need to be rebuilt in its metadata."""
    from safetensors.torch import save_file

    tensors = {name: t.to(torch.float16) for name, t in trainable_state(head).items()}
    save_file(tensors, str(path), metadata={"rank": str(rank), "alpha": str(alpha), "description": description})


class CrossReader:
    """A fitted cross-encoder in inference mode; ``logits`` scores sentence pairs."""

    def __init__(self, head: PairHead, tokenizer, device: torch.device) -> None:
        self.head = head.to(device).eval()
        self.tokenizer = tokenizer
        self.device = device
        self._lock = threading.Lock()

    @classmethod
    def load(cls, adapter: str | Path, base: str | Path, device: torch.device) -> CrossReader:
        """The adapter file's weights over the encoder at ``base``, the adapters folded into its layers."""
        from safetensors import SafetensorError, safe_open
        from transformers import AutoModel, AutoTokenizer

        try:
            with safe_open(str(adapter), framework="pt") as handle:
                metadata = handle.metadata() or {}
                state = {name: handle.get_tensor(name).float() for name in handle.keys()}
            rank, alpha = int(metadata["rank"]), float(metadata["alpha"])
        except (OSError, ValueError, KeyError, RuntimeError, SafetensorError) as error:
            raise ValueError(f"{adapter}: not a cross-encoder adapter ({type(error).__name__}: {error}); write one "
                             "with scripts/train_cross_encoder.py") from None
        # SDPA: a third faster than eager here; a cluster's pairs are batched the same way every run.
        encoder = AutoModel.from_pretrained(str(base), attn_implementation="sdpa")
        attach_adapters(encoder, rank, alpha)
        head = PairHead(encoder)
        missing = [name for name, p in head.named_parameters() if p.requires_grad and name not in state]
        if missing:
            raise ValueError(f"{adapter}: no weights for {missing[:3]}; retrain it with scripts/train_cross_encoder.py")
        head.load_state_dict(state, strict=False)
        for module in list(head.modules()):
            for child_name, child in list(module.named_children()):
                if isinstance(child, LowRank):
                    setattr(module, child_name, child.merged())
        return cls(head, AutoTokenizer.from_pretrained(str(base)), device)

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """The log-odds that each pair states the same thing: the mean of its two readings, each text
        first once (training shows each pair in a random order, so both are the model's view of
        it): the same number whichever outlet comes first. The pair model was fitted on logits read so."""
        if not pairs:
            return np.zeros(0)
        readings = [*pairs, *((b, a) for a, b in pairs)]
        order = sorted(range(len(readings)), key=lambda k: (len(readings[k][0]) + len(readings[k][1]), k))
        found = np.zeros(len(readings))
        with self._lock, torch.inference_mode():
            for start in range(0, len(order), BATCH):
                rows = order[start:start + BATCH]  # pairs of like length together: little padding
                encoded = self.tokenizer([readings[k][0] for k in rows], [readings[k][1] for k in rows],
                                         truncation=True, max_length=MAX_TOKENS, padding=True,
                                         return_tensors="pt").to(self.device)
                found[rows] = self.head(dict(encoded)).float().cpu().numpy()
        return (found[:len(pairs)] + found[len(pairs):]) / 2


@lru_cache(maxsize=4)
def load_cross_reader(adapter: str, device: str) -> CrossReader:
    """The reader of the ``adapter`` file (a pair model's ``cross_encoder``) over the bundled sentence
    encoder's weights, on ``device`` (``embedding.device``), once per process."""
    from summarizer.embed.encoder import bundled_model_path
    from summarizer.runtime import resolve_device

    return CrossReader.load(adapter, bundled_model_path(), resolve_device(device, "embedding.device"))

