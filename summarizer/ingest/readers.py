"""Readers: a path → ``Item``s (a cluster each, or why a record could not be read).

Registered by name in ``summarizer.registries.READERS``; ``ingest.items.iter_items`` picks one by
what the path is. Every reader turns a bad record into an error item and goes on.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from summarizer.config_schema import IngestConfig
from summarizer.ingest.records import InputError, cluster_from_record, decode_bytes, finish_cluster, make_document
from summarizer.types import Document, Item

# Hub datasets are named explicitly so that a mistyped folder never becomes a network request.
HUB_PREFIX = "hf:"
DATASET_BUILDERS = {".parquet": "parquet", ".csv": "csv", ".arrow": "arrow", ".json": "json",
                    ".jsonl": "json", ".ndjson": "json"}


def read_folder(path: Path, config: IngestConfig) -> Iterator[Item]:
    """A folder of text files is one cluster, one document per file, in name order."""
    cluster_id = path.resolve().name
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        yield Item(cluster_id, None, f"{path}: the folder has no files; put one article per text file in it")
        return
    stems = [p.stem for p in files]
    documents: list[Document] = []
    warnings: list[str] = []
    try:
        for file in files:
            doc_id = file.stem if stems.count(file.stem) == 1 else file.name
            try:
                decoded = decode_bytes(file.read_bytes(), str(file))
            except InputError as error:
                warnings.append(f"{error}; skipped")
                continue
            except OSError as error:  # unreadable (permissions, a vanished file): one document lost, not all
                warnings.append(f"{file}: cannot be read ({error.strerror or error}); skipped")
                continue
            if decoded.warning:
                warnings.append(decoded.warning)
            documents.append(make_document(doc_id, decoded.text, "", str(file), config))
        yield Item(cluster_id, finish_cluster(cluster_id, documents, None, warnings, config, str(path)))
    except InputError as error:
        yield Item(cluster_id, None, str(error))


def read_file(path: Path, config: IngestConfig) -> Iterator[Item]:
    """A single article file: summarised as a one-document cluster."""
    try:
        decoded = decode_bytes(path.read_bytes(), str(path))
        doc = make_document(path.stem, decoded.text, "", str(path), config)
        yield Item(path.stem, finish_cluster(path.stem, [doc], None, [decoded.warning] if decoded.warning else [],
                                             config, str(path)))
    except InputError as error:
        yield Item(path.stem, None, str(error))
    except OSError as error:
        yield Item(path.stem, None, f"{path}: cannot be read ({error.strerror or error})")


def item_from_line(raw: bytes | str, fallback_id: str, where: str, config: IngestConfig) -> Item | None:
    """One JSONL line → an Item (None for a blank line); never raises on bad input."""
    try:
        line = decode_bytes(raw, where).text if isinstance(raw, bytes) else raw
        if not line.strip():
            return None
        record = json.loads(line)
    except InputError as error:
        return Item(fallback_id, None, str(error))
    except json.JSONDecodeError as error:
        return Item(fallback_id, None, f"{where}: not valid JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return Item(fallback_id, None, f"{where}: not valid JSON (nested too deeply)")
    cluster_id = str(record.get(config.id_field) or fallback_id) if isinstance(record, dict) else fallback_id
    try:
        return Item(cluster_id, cluster_from_record(record, fallback_id, where, config))
    except InputError as error:
        return Item(cluster_id, None, str(error))


def read_jsonl(path: Path, config: IngestConfig) -> Iterator[Item]:
    """One cluster per JSON line, read lazily; a bad line is an error item naming its line."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            item = item_from_line(raw, f"{path.stem}-{number}", f"{path}:{number}", config)
            if item is not None:
                yield item


def open_dataset(path: str, streaming: bool = True):
    """Records of a local JSON/JSONL/Parquet/CSV/Arrow file, or of ``hf:NAME[:SPLIT]`` on the hub
    (split "train" unless named, e.g. ``hf:multi_news:validation``).

    The one place datasets are opened, so every command reads the same inputs the same way.
    """
    import datasets

    local = Path(path)
    split = "train"
    if not local.exists() and not path.startswith(HUB_PREFIX):
        raise InputError(f"{path}: no such file (for a Hugging Face hub dataset write {HUB_PREFIX}NAME)")
    try:
        if local.exists():
            builder = DATASET_BUILDERS.get(local.suffix.lower(), "json")
            return datasets.load_dataset(builder, data_files=str(local), split=split, streaming=streaming)
        name, _, named_split = path.removeprefix(HUB_PREFIX).partition(":")
        return datasets.load_dataset(name, split=named_split or split, streaming=streaming)
    except Exception as error:  # datasets raises many unrelated types for an unreadable source
        what = "could not be read as a dataset" if local.exists() else "could not be loaded from the hub"
        raise InputError(f"{path}: {what} ({type(error).__name__}: {error}). Local files need a "
                         ".jsonl/.json/.parquet/.csv suffix; hub names need network access") from None


def read_dataset(path: str | Path, config: IngestConfig) -> Iterator[Item]:
    """Anything ``datasets.load_dataset`` reads: local Parquet/CSV/JSON, or ``hf:NAME[:SPLIT]``."""
    name = str(path)
    for number, record in enumerate(open_dataset(name)):
        fallback_id = f"{Path(name).stem}-{number}"
        cluster_id = str(record.get(config.id_field) or fallback_id) if isinstance(record, dict) else fallback_id
        try:
            yield Item(cluster_id, cluster_from_record(record, fallback_id, f"{name}[{number}]", config))
        except InputError as error:
            yield Item(cluster_id, None, str(error))
