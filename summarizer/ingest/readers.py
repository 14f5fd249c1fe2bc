"""Readers that turn a path into clusters: a folder of files, cluster JSONL, or a dataset."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from summarizer.config import IngestConfig
from summarizer.ingest.clean import clean_text
from summarizer.ingest.html_text import html_to_text, looks_like_html
from summarizer.registry import Registry
from summarizer.text import word_count
from summarizer.types import Cluster, Document


class InputError(ValueError):
    """Input that cannot be summarised; the message names the file, line or field."""


READERS: Registry[Iterator[Cluster]] = Registry("input reader")

_BINARY_SAMPLE = 8192


def decode_bytes(data: bytes, where: str) -> tuple[str, str | None]:
    """Decode file bytes; returns the text and a warning when a fallback was needed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        raise InputError(f"{where}: looks like a binary file (it contains NUL bytes); "
                         "give plain-text articles")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        text = data.decode("cp1252", errors="replace")
        return text, (f"{where}: not valid UTF-8 (byte {error.start}); "
                      "read as Windows-1252/Latin-1, check accented characters")


def make_document(doc_id: str, raw_text: str, title: str, source: str,
                  config: IngestConfig) -> Document:
    """Clean one article and check it against the ingest limits."""
    if len(raw_text) > config.max_chars_per_document:
        raise InputError(
            f"{source}: {len(raw_text):,} characters is over ingest.max_chars_per_document="
            f"{config.max_chars_per_document:,}; raise it with "
            f"--set ingest.max_chars_per_document=N if this file really is one article"
        )
    if looks_like_html(raw_text):
        raw_text, page_title = html_to_text(raw_text)
        title = title or page_title
    cleaned = clean_text(raw_text, strip_boilerplate=config.strip_boilerplate,
                         title_from_first_line=config.title_from_first_line and not title)
    return Document(doc_id=doc_id, text=cleaned.text, title=title.strip() or cleaned.title,
                    source=source, removed_lines=cleaned.removed_lines)


def finish_cluster(cluster_id: str, documents: list[Document], reference: str | None,
                   warnings: list[str], config: IngestConfig, where: str) -> Cluster:
    """Drop documents too short to use, enforce limits, and build the Cluster."""
    usable = []
    for doc in documents:
        if word_count(doc.text) < config.min_words:
            warnings.append(f"{doc.source}: skipped, fewer than {config.min_words} words of "
                            "story text after cleaning")
        else:
            usable.append(doc)
    if not usable:
        detail = "; ".join(warnings) if warnings else "no documents given"
        raise InputError(f"{where}: no usable documents ({detail})")
    if len(usable) > config.max_documents:
        raise InputError(f"{where}: {len(usable)} documents is over ingest.max_documents="
                         f"{config.max_documents}; raise it with --set ingest.max_documents=N")
    return Cluster(cluster_id=cluster_id, documents=tuple(usable), reference=reference,
                   warnings=tuple(warnings))


@READERS.register("folder")
def read_folder(path: Path, config: IngestConfig) -> Iterator[Cluster]:
    """A folder of text files is one cluster, one document per file, in name order."""
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise InputError(f"{path}: the folder has no files; put one article per text file in it")
    stems = [p.stem for p in files]
    documents: list[Document] = []
    warnings: list[str] = []
    for file in files:
        doc_id = file.stem if stems.count(file.stem) == 1 else file.name
        try:
            text, warning = decode_bytes(file.read_bytes(), str(file))
        except InputError as error:
            warnings.append(f"{error}; skipped")
            continue
        if warning:
            warnings.append(warning)
        documents.append(make_document(doc_id, text, "", str(file), config))
    yield finish_cluster(path.resolve().name, documents, None, warnings, config, str(path))


def _as_text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        title = value.get("title") or ""
        text = value.get("text") or ""
        if not isinstance(title, str) or not isinstance(text, str):
            raise InputError(f"{where}: 'title' and 'text' must be strings")
        return f"{title}\n{text}".strip() if title else text
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a string, got {type(value).__name__}")
    return value


def cluster_from_record(record: dict[str, Any], fallback_id: str, where: str,
                        config: IngestConfig) -> Cluster:
    """Build a cluster from one record: NeuS-style list of documents or Multi-News string."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    cluster_id = str(record.get(config.id_field) or fallback_id)
    if config.documents_field not in record:
        raise InputError(f"{where}: missing field {config.documents_field!r} "
                         f"(set ingest.documents_field if your data names it differently)")
    raw_docs = record[config.documents_field]
    if isinstance(raw_docs, str):
        raw_docs = [d for d in raw_docs.split(config.document_separator) if d.strip()]
    if not isinstance(raw_docs, list):
        raise InputError(f"{where}: field {config.documents_field!r} must be a list of documents "
                         f"or a string joined by {config.document_separator!r}")
    documents = []
    for position, raw in enumerate(raw_docs):
        doc_where = f"{where}: {config.documents_field}[{position}]"
        if isinstance(raw, str):
            text, title = raw, ""
        elif isinstance(raw, dict):
            text = raw.get(config.text_field)
            title = raw.get(config.title_field) or ""
            if text is None:
                text = ""
            if not isinstance(text, str) or not isinstance(title, str):
                raise InputError(f"{doc_where}: {config.text_field!r} and {config.title_field!r} "
                                 "must be strings")
        else:
            raise InputError(f"{doc_where}: expected an object with {config.text_field!r} "
                             f"or a string, got {type(raw).__name__}")
        # A title-only document still says something; keep its title as its text.
        body = text if text.strip() else title
        documents.append(make_document(f"d{position}", body, title, doc_where, config))
    reference = record.get(config.reference_field)
    if reference is None and "summary" in record and config.reference_field == "reference":
        reference = record["summary"]  # Multi-News and most summarization datasets
    reference_text = _as_text(reference, f"{where}: {config.reference_field}") or None
    return finish_cluster(cluster_id, documents, reference_text, [], config, where)


@READERS.register("jsonl")
def read_jsonl(path: Path, config: IngestConfig) -> Iterator[Cluster]:
    """One cluster per JSON line. Bad lines are reported and skipped, never fatal alone."""
    bad: list[str] = []
    produced = 0
    with path.open("rb") as handle:
        for number, raw_line in enumerate(handle, start=1):
            where = f"{path}:{number}"
            try:
                line, _ = decode_bytes(raw_line, where)
            except InputError as error:
                bad.append(str(error))
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                bad.append(f"{where}: not valid JSON ({error.msg} at column {error.colno})")
                continue
            try:
                cluster = cluster_from_record(record, f"{path.stem}-{number}", where, config)
            except InputError as error:
                bad.append(str(error))
                continue
            produced += 1
            yield cluster
    if bad:
        shown = "\n  ".join(bad[:10])
        more = f"\n  … and {len(bad) - 10} more" if len(bad) > 10 else ""
        message = f"{path}: {len(bad)} line(s) could not be used:\n  {shown}{more}"
        if produced == 0:
            raise InputError(message)
        raise PartialInputError(message)


class PartialInputError(InputError):
    """Raised after the good clusters of a file were produced, to report the bad ones."""


# Hub datasets are named explicitly so that a mistyped folder never becomes a network request.
HUB_PREFIX = "hf:"
_DATASET_BUILDERS = {".parquet": "parquet", ".csv": "csv", ".arrow": "arrow", ".json": "json",
                     ".jsonl": "json", ".ndjson": "json"}


def open_dataset(path: str, split: str = "train", streaming: bool = True):
    """Records of a local JSON/JSONL/Parquet/CSV/Arrow file or an ``hf:NAME`` hub dataset.

    The one place datasets are opened, so every command reads the same inputs the same way.
    """
    import datasets

    local = Path(path)
    if not local.exists() and not path.startswith(HUB_PREFIX):
        raise InputError(f"{path}: no such file (for a Hugging Face hub dataset write {HUB_PREFIX}NAME)")
    try:
        if local.exists():
            builder = _DATASET_BUILDERS.get(local.suffix.lower(), "json")
            return datasets.load_dataset(builder, data_files=str(local), split=split, streaming=streaming)
        return datasets.load_dataset(path.removeprefix(HUB_PREFIX), split=split, streaming=streaming)
    except Exception as error:  # datasets raises many unrelated types for an unreadable source
        what = "could not be read as a dataset" if local.exists() else "could not be loaded from the hub"
        raise InputError(f"{path}: {what} ({type(error).__name__}: {error}). Local files need a "
                         ".jsonl/.json/.parquet/.csv suffix; hub names need network access") from None


@READERS.register("datasets")
def read_dataset(path: str | Path, config: IngestConfig, split: str = "train") -> Iterator[Cluster]:
    """Anything ``datasets.load_dataset`` reads: local Parquet/CSV/JSON, or ``hf:NAME``."""
    for number, record in enumerate(open_dataset(str(path), split)):
        yield cluster_from_record(record, f"{Path(path).stem}-{number}", f"{path}[{number}]", config)


def detect_reader(path: str) -> str:
    local = Path(path)
    if local.is_dir():
        return "folder"
    if local.is_file():
        return "jsonl" if local.suffix.lower() in (".jsonl", ".ndjson") else (
            "datasets" if local.suffix.lower() in _DATASET_BUILDERS else "folder-file")
    if path.startswith(HUB_PREFIX):
        return "datasets"
    raise InputError(f"{path}: no such file or folder (for a Hugging Face hub dataset write "
                     f"{HUB_PREFIX}NAME, e.g. {HUB_PREFIX}multi_news)")


def read_clusters(path: str, config: IngestConfig) -> Iterator[Cluster]:
    """Yield the clusters at ``path``: a folder, a cluster JSONL, a text file, or a dataset."""
    kind = detect_reader(path)
    if kind == "folder-file":
        # A single article file: summarise it as a one-document cluster.
        file = Path(path)
        text, warning = decode_bytes(file.read_bytes(), str(file))
        doc = make_document(file.stem, text, "", str(file), config)
        yield finish_cluster(file.stem, [doc], None, [warning] if warning else [], config, path)
        return
    yield from READERS.get(kind)(Path(path) if kind != "datasets" else path, config)
