"""Every pluggable implementation, by name: the one table a config's names are checked against.

Each entry is a "module:attribute" string, so this module imports none of them; ``Registry.get``
imports an implementation the first time it is built. Add your own with ``register``, e.g.
``GENERATORS.register("mine", "my_package.fusion:MyGenerator")``.

The registry itself: name → implementation lookup shared by every pluggable stage.

Entries are "module:attribute" strings, as lm-evaluation-harness registers its tasks: listing or
checking a name imports nothing, so a mistyped backend in a config is reported before torch and
transformers load (they take seconds to import). The implementation is imported the first time
it is built, and checked against the registry's base class then.
"""
from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from summarizer.errors import UsageError

T = TypeVar("T")


class UnknownNameError(UsageError):
    """Raised for a name no implementation was registered under."""


def import_object(target: str) -> Any:
    """``"package.module:Name.attr"`` → the object (an attribute path after the colon)."""
    module_name, _, attribute = target.partition(":")
    value: Any = importlib.import_module(module_name)
    for part in attribute.split(".") if attribute else ():
        value = getattr(value, part)
    return value


class Registry(Generic[T]):
    """A named table of builders; unknown names list what is available.

    ``entries`` maps names to "module:attribute" strings (imported on first use); ``base`` is a
    "module:Class" string every class entry must subclass.
    """

    def __init__(self, kind: str, entries: dict[str, str] | None = None, base: str = "") -> None:
        self.kind = kind
        self.base = base
        self._targets: dict[str, str | Callable[..., T]] = dict(entries or {})

    def register(self, name: str, target: str | Callable[..., T]) -> None:
        """Add ``name``: a "module:attribute" string (imported when built) or the builder itself."""
        if name in self._targets:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._targets[name] = target

    def names(self) -> list[str]:
        return sorted(self._targets)

    def check(self, name: str) -> None:
        """Raise ``UnknownNameError`` (with a hint) unless ``name`` is registered; imports nothing."""
        if name not in self._targets:
            close = difflib.get_close_matches(name, self.names(), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UnknownNameError(f"unknown {self.kind} {name!r}{hint}; available: {', '.join(self.names())}")

    def get(self, name: str) -> Callable[..., T]:
        """The builder registered as ``name``, imported now if it was registered by path."""
        self.check(name)
        target = self._targets[name]
        if isinstance(target, str):
            builder = import_object(target)
            if self.base and isinstance(builder, type) and not issubclass(builder, import_object(self.base)):
                raise TypeError(f"{self.kind} {name!r} ({target}) is not a subclass of {self.base}")
            self._targets[name] = builder
            return builder
        return target

    def build(self, name: str, *args, **kwargs) -> T:
        return self.get(name)(*args, **kwargs)


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

#: what a Summary renders itself as (``Summary.to_json``, ``Summary.to_html``): the records in
#: ``types.py`` know no renderer, only this table's names
SUMMARY_FORMATS = Registry("summary format", {
    "json": "summarizer.render.formats:summary_json",
    "html": "summarizer.render.html:summary_page",
})

#: model files a config may name, each with the loader of the stage that reads it: the config
#: checks them at load (a stale or broken file is a message before torch loads) knowing only this
#: table's names. A loader raises ValueError saying what is wrong and how to fix it.
MODEL_FILES = {
    "retrieve.salience_model": "summarizer.retrieve.salience_model:load_salience_model",
    "align.pair_model": "summarizer.align.pair_model:load_pair_model",
}
