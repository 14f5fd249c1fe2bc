"""The alignment stage: an embedded cluster in, its ``Alignment`` out."""
from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from summarizer.align.aligner import align
from summarizer.align.pair_model import load_pair_model
from summarizer.align.records import Alignment
from summarizer.align.scoring import CrossScores
from summarizer.config_schema import AlignConfig
from summarizer.types import EmbeddedCluster


def cross_scores(config: AlignConfig, device: str) -> CrossScores:
    """The pair model's cross-encoder on ``device`` (the sentence encoder's, ``embedding.device``: the
    cross-encoder is that encoder's weights with adapters). It reads only pairs no story gives
    context to (two one-sentence documents), so it is loaded on the first such pair, once per process."""
    adapter = load_pair_model(config.pair_model).cross_encoder

    def cross(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        from summarizer.align.cross import load_cross_reader

        with _LOADING:  # one load when several threads (the service's) need it at once
            reader = load_cross_reader(adapter, device)
        return reader.logits(pairs)

    return cross


_LOADING = threading.Lock()


def align_cluster(embedded: EmbeddedCluster, config: AlignConfig, cross: CrossScores) -> Alignment:
    """Every sentence of ``embedded`` in exactly one fact (``aligner`` says how); ``cross`` from
    ``cross_scores``."""
    return align(embedded.sentences, embedded.vectors, [d.doc_id for d in embedded.cluster.documents],
                 load_pair_model(config.pair_model), config.min_similarity, config.same_fact_probability, cross)
