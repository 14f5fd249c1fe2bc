"""Loading the run configuration: YAML and ``--set`` overrides → a validated ``RunConfig``.

Configs are data: YAML is read with ``safe_load`` only, unknown keys are rejected with a
"did you mean" hint, and every value is type-, range- and name-checked when the config is built.
Backend and scorer names are checked against ``summarizer.registries`` without importing any
implementation, so a typo fails in well under a second, before torch or any model loads.
The schema itself (one dataclass per stage) is ``summarizer.config_schema``, re-exported here.
"""
from __future__ import annotations

import difflib
import math
import reprlib
import os
import types
import typing
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from summarizer.config_schema import (BOUNDS, CHOICES, DTYPES, FORMATS, ORDERS, UNITS, CompareConfig,  # noqa: F401
                                      ConfigError, EmbeddingConfig, EvaluationConfig, FuseConfig, GuardConfig,
                                      IngestConfig, NeutralConfig, OutputConfig, RetrieveConfig, RunConfig,
                                      SegmentConfig)
from summarizer.registries import CONSISTENCY, GENERATORS, SCORERS
from summarizer.registries import MODEL_FILES, UnknownNameError, import_object

# Values in messages are shown shortened: a YAML alias bomb (nine lists of nine, nested) is cheap to
# load by reference and would take gigabytes to print in full.
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxtuple, _SHORT.maxdict, _SHORT.maxstring, _SHORT.maxother = 2, 4, 4, 4, 60, 60


def _short(value: Any) -> str:
    return _SHORT.repr(value)


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
            if abs(value) >= 2**63:  # no count, size or seed is this large; numpy and torch overflow
                raise ConfigError(f"{path}: {_short(value)} is too large (at most {2**63 - 1})")
            return value
    elif annotation is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, int) and abs(value) >= 2**63:  # a 400-digit integer has no float
                raise ConfigError(f"{path}: expected a finite number, got {_short(value)}")
            if not math.isfinite(value):  # NaN passes every range check; infinity means nothing here
                raise ConfigError(f"{path}: expected a finite number, got {_short(value)}")
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
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        if value in (None, "") and len(arguments) < len(typing.get_args(annotation)):
            return None  # unset: YAML null, or `--set key=`
        if len(arguments) == 1:
            return _coerce(path, value, arguments[0])
        return value
    expected = "a list of strings" if origin is tuple else getattr(annotation, "__name__", str(annotation))
    raise ConfigError(f"{path}: expected {expected}, got {_short(value)} ({type(value).__name__})")


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
    for path, (low, high) in BOUNDS.items():
        value = flat[path]
        if value is None:  # unset
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"≥ {low}" if high is None else f"between {low} and {high}"
            raise ConfigError(f"{path} = {_short(value)} is out of range: must be {span}")
    for path, choices in CHOICES.items():
        if flat[path] not in choices:
            raise ConfigError(
                f"{path} = {_short(flat[path])}; choose one of {', '.join(choices)}"
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
    # Names are checked against the registries, which import nothing: a typo fails at once.
    try:
        GENERATORS.check(config.fuse.backend)
        SCORERS.check(config.retrieve.scorer)
        CONSISTENCY.check(config.evaluation.consistency)
    except UnknownNameError as error:
        key = next(k for k, registry in (("fuse.backend", GENERATORS), ("retrieve.scorer", SCORERS),
                                         ("evaluation.consistency", CONSISTENCY))
                   if getattr(getattr(config, k.split(".")[0]), k.split(".")[1]) not in registry.names())
        raise ConfigError(f"{key}: {error}") from None
    for key, loader in MODEL_FILES.items():
        if key == "retrieve.salience_model" and config.retrieve.scorer not in ("learned", "auto"):
            continue  # read only by the learned scorer
        section, name = key.split(".")
        try:
            import_object(loader)(getattr(getattr(config, section), name))
        except ValueError as error:
            raise ConfigError(f"{key}: {error}") from None
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
            raise ConfigError(f"{key} = {_short(value)}: no such folder; give an existing local model folder "
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
    except RecursionError:  # thousands of nested brackets: PyYAML recurses once per level
        raise ConfigError(f"--set {key}: the value is nested too deeply to be a setting") from None
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
        except RecursionError:
            raise ConfigError(f"config file {str(file)!r} is nested too deeply to be a configuration") from None
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
        raise ConfigError(str(error)[:300]) from None
    _validate(config)
    return config


def merged_config(base: RunConfig, overrides: dict[str, Any]) -> RunConfig:
    """``base`` with nested ``overrides`` (``{"fuse": {"backend": "extractive"}}``), checked like
    ``--set``: unknown keys get a "did you mean" hint, types, ranges and names are validated."""
    try:
        config = _build(RunConfig, _deep_merge(base.to_dict(), overrides), "")
    except TypeError as error:
        raise ConfigError(str(error)[:300]) from None
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
