"""Every pluggable implementation, by name: the one table a config's names are checked against.

Each entry is a "module:attribute" string, so this module imports none of them; ``Registry.get``
imports an implementation the first time it is built. Add your own with ``register``, e.g.
``GENERATORS.register("mine", "my_package.fusion:MyGenerator")``.
"""
from __future__ import annotations

from summarizer.registry import Registry

#: fusion backends (fuse.backend): each a ``summarizer.fuse.base.Generator`` taking a FuseConfig
GENERATORS = Registry("fusion backend", {
    "default": "summarizer.fuse.embedded:EmbeddedGenerator",  # the embedded model writing (its first name)
    "embedded": "summarizer.fuse.embedded:EmbeddedGenerator",
    "causal": "summarizer.fuse.hf:CausalGenerator",
    "seq2seq": "summarizer.fuse.hf:Seq2SeqGenerator",
    "extractive": "summarizer.fuse.extractive:ExtractiveGenerator",
    "wordgraph": "summarizer.fuse.choose:WordGraphFuser",
}, base="summarizer.fuse.base:Generator")

#: salience scorers (retrieve.scorer): (Signals, RetrieveConfig) → one score per sentence
SCORERS = Registry("salience scorer", {
    "auto": "summarizer.retrieve.scoring:auto_salience",
    "learned": "summarizer.retrieve.scoring:learned_salience",
    "corroboration": "summarizer.retrieve.scoring:corroboration_salience",
    "lead": "summarizer.retrieve.scoring:lead_salience",
})

#: input readers, chosen by what a path is (ingest.items.detect_reader): (path, IngestConfig) → Items
READERS = Registry("input reader", {
    "folder": "summarizer.ingest.readers:read_folder",
    "file": "summarizer.ingest.readers:read_file",
    "jsonl": "summarizer.ingest.readers:read_jsonl",
    "datasets": "summarizer.ingest.readers:read_dataset",
    "stdin": "summarizer.ingest.readers:read_stdin",
    "url": "summarizer.ingest.web:read_url",
    "urls": "summarizer.ingest.web:read_url_list",
})

#: consistency checkers (evaluation.consistency): RunConfig → ConsistencyScorer
CONSISTENCY = Registry("consistency scorer", {
    "offline": "summarizer.evaluation.consistency:OfflineConsistency.from_config",
    "nli": "summarizer.evaluation.consistency:NLIConsistency.from_config",
})

#: systems the evaluation harness scores (eval --systems): RunConfig → System
SYSTEMS = Registry("system", {
    "pipeline": "summarizer.evaluation.systems:PipelineSystem",
    "lead": "summarizer.evaluation.systems:Lead",
    "lexrank": "summarizer.evaluation.systems:LexRank",
    "oracle": "summarizer.evaluation.systems:GreedyOracle",
}, base="summarizer.evaluation.systems:System")
