"""The Python API: ``Summarizer`` (models loaded once, called on many clusters) and ``summarize``.

    from summarizer import Summarizer, align_facts, summarize

    summary = summarize(["First outlet's article ...", "Second outlet's article ..."],
                        fuse={"backend": "extractive"})
    print(summary.text_with_headline)

    summarizer = Summarizer(retrieve={"summary_words": 80})   # loads the models once
    for documents in stories:
        print(summarizer(documents).to_json())

Overrides are config sections given as mappings, validated exactly like ``--set`` (a typo fails
with a "did you mean" hint before any model loads). Importing this module loads no model.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Union

from summarizer.align.records import Fact
from summarizer.config import load_config, merged_config
from summarizer.config_schema import RunConfig
from summarizer.errors import UsageError
from summarizer.ingest import read_clusters
from summarizer.ingest.records import cluster_from_record
from summarizer.types import Cluster, Summary

#: what a cluster may be given as: texts, {"title", "text"} mappings, a Cluster, or a path
Documents = Union[Cluster, str, os.PathLike, Iterable[Union[str, Mapping[str, Any]]]]


def _config(config: RunConfig | str | os.PathLike | None, overrides: dict[str, Any]) -> RunConfig:
    """The run's config: ``config`` (a RunConfig, a YAML path, or the defaults) with ``overrides``."""
    if config is not None and not isinstance(config, (RunConfig, str, os.PathLike)):
        raise UsageError(f"config: expected a RunConfig, a YAML path or None, got {type(config).__name__}")
    base = config if isinstance(config, RunConfig) else load_config(config)
    return merged_config(base, overrides) if overrides else base


def _is_path(text: str) -> bool:
    try:
        return "\n" not in text and Path(text).exists()
    except OSError:  # an article's text is no file name (too long, say)
        return False


def as_cluster(documents: Documents, config: RunConfig, cluster_id: str = "cluster") -> Cluster:
    """``documents`` as a cleaned Cluster: a Cluster as it is; a path read like ``run`` reads it
    (its first cluster); texts or {"title", "text"} mappings as one document each."""
    if isinstance(documents, Cluster):
        return documents
    if isinstance(documents, (os.PathLike, Path)) or (isinstance(documents, str) and _is_path(documents)):
        clusters = read_clusters(str(documents), config.ingest, limit=2)
        if not clusters:
            raise UsageError(f"{documents}: no cluster found")
        if len(clusters) > 1:  # its first alone was summarised without a word (redteam W9)
            raise UsageError(f"{documents}: holds several clusters; give them to summarize_many, e.g. "
                             "Summarizer().summarize_many(read_clusters(path, config.ingest))")
        return clusters[0]
    if isinstance(documents, str):
        raise UsageError("give a list of documents (one string each), not one string; or the path of a "
                         "folder or file")
    if isinstance(documents, (set, frozenset)):  # no order: the ids d0, d1, … would change between runs
        raise UsageError("documents: a set has no order; give a list")
    if isinstance(documents, (bytes, bytearray)) or not isinstance(documents, Iterable):
        raise UsageError(f"documents: expected a list of texts or {{\"title\", \"text\"}} mappings, a Cluster or a "
                         f"path, got {type(documents).__name__}")
    if isinstance(documents, Mapping):  # one document's mapping: its keys would become "documents"
        raise UsageError("give a list of documents, e.g. [{\"title\": ..., \"text\": ...}, ...], not one mapping")
    documents = list(documents)
    for position, document in enumerate(documents):
        if not isinstance(document, (str, Mapping)):
            raise UsageError(f"documents[{position}]: expected a string or a {{\"title\", \"text\"}} mapping, "
                             f"got {type(document).__name__}")
    records = [d if isinstance(d, Mapping) else {"text": d} for d in documents]
    return cluster_from_record({"id": cluster_id, "documents": records}, cluster_id, "documents", config.ingest)


class Summarizer:
    """Loads the models once; call it on a cluster's documents, or use ``summarize_many``."""

    def __init__(self, config: RunConfig | str | os.PathLike | None = None, **overrides: Mapping[str, Any]) -> None:
        from summarizer.pipeline import Pipeline

        self.config = _config(config, overrides)
        self.pipeline = Pipeline(self.config)

    def __call__(self, documents: Documents) -> Summary:
        """The summary of one cluster's documents (id "cluster" unless they come with one)."""
        return self.pipeline.summarize(as_cluster(documents, self.config))

    def align_facts(self, documents: Documents) -> list[Fact]:
        """The facts of one cluster (``summarizer.align_facts``), with this instance's loaded encoder."""
        return _aligned(documents, self.config, self.pipeline.encoder)

    def summarize_many(self, clusters: Iterable[Documents]) -> list[Summary]:
        """One Summary per cluster, summarised together (one embedding pass, one generation pass)."""
        if isinstance(clusters, (str, bytes, os.PathLike)) or not isinstance(clusters, Iterable):
            raise UsageError(f"clusters: expected a list of clusters (each a list of documents, a Cluster or a "
                             f"path), got {type(clusters).__name__}")
        items = [as_cluster(documents, self.config, f"cluster-{i}") for i, documents in enumerate(clusters)]
        return list(self.pipeline.summarize_batch(items).summaries) if items else []


def align_facts(documents: Documents, config: RunConfig | str | os.PathLike | None = None,
                **overrides: Mapping[str, Any]) -> list[Fact]:
    """Which sentences of different documents state the same fact: what ``summarize`` takes in, the
    alignment stage's facts out (every sentence in exactly one fact, in input order). Each fact has
    ``members``, each member ``.document`` (the document's index in the input), ``.sentence`` (its
    index in that document) and ``.text``; ``fact.confidence`` says how sure the decision is, and
    ``fact.stated_by[k]`` how likely document ``k`` states the fact (1 for the members' documents).

        for fact in align_facts([bbc_text, reuters_text, ap_text]):
            if len(fact.members) > 1:
                print([m.document for m in fact.members], fact.members[0].text)

    Loads only the sentence encoder (no generator); for many clusters, ``Summarizer(...).align_facts``.
    """
    from summarizer.embed.encoder import get_encoder

    resolved = _config(config, overrides)
    return _aligned(documents, resolved, get_encoder(resolved.embedding))


def _aligned(documents: Documents, config: RunConfig, encoder) -> list[Fact]:
    # A list's documents are "d0", "d1", … by input position, so a document skipped while reading
    # (too few words) does not shift the others' indices; a folder's or a Cluster's, by their order.
    given_as_list = not isinstance(documents, (Cluster, str, os.PathLike))
    return facts_in_cluster(as_cluster(documents, config), config, encoder, by_input_position=given_as_list)


def facts_in_cluster(cluster: Cluster, config: RunConfig, encoder, by_input_position: bool) -> list[Fact]:
    """The alignment's facts of a read ``cluster`` with a loaded ``encoder``; a member's
    ``.document`` is the number in its doc id ("d3" → 3) when ``by_input_position`` (documents
    built from a list, where a skipped one must not shift the others), else its place in the cluster."""
    from summarizer.align.stage import align_cluster, cross_scores
    from summarizer.embed.encoder import embed_clusters
    from summarizer.segment import segment_cluster

    embedded = embed_clusters([segment_cluster(cluster, config.segment)], encoder)[0]
    alignment = align_cluster(embedded, config.align, cross_scores(config.align, config.embedding.device))
    position = {d.doc_id: int(d.doc_id[1:]) if by_input_position else k for k, d in enumerate(cluster.documents)}
    return [replace(fact, members=tuple(replace(m, document=position[m.doc_id]) for m in fact.members),
                    also=tuple(replace(m, document=position[m.doc_id]) for m in fact.also))
            for fact in alignment.facts]


def summarize(documents: Documents, config: RunConfig | str | os.PathLike | None = None,
              **overrides: Mapping[str, Any]) -> Summary:
    """Summarise one cluster; e.g. ``summarize(texts, fuse={"backend": "extractive"})``.

    Loads the models on each call: for many clusters, make one ``Summarizer``.
    """
    return Summarizer(config, **overrides)(documents)
