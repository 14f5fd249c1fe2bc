"""The alignment stage: an embedded cluster in, its ``Alignment`` out."""
from __future__ import annotations

from summarizer.align.aligner import align
from summarizer.align.pair_model import load_pair_model
from summarizer.align.records import Alignment
from summarizer.config_schema import AlignConfig
from summarizer.types import EmbeddedCluster


def align_cluster(embedded: EmbeddedCluster, config: AlignConfig) -> Alignment:
    """Every sentence of ``embedded`` in exactly one fact (``aligner`` says how)."""
    return align(embedded.sentences, embedded.vectors, [d.doc_id for d in embedded.cluster.documents],
                 load_pair_model(config.pair_model), config.min_similarity, config.same_fact_probability)
