"""The one way every command reads its input: ``iter_items`` (``run``, ``batch``, ``eval``, Ray)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from summarizer.config_schema import IngestConfig
from summarizer.ingest.readers import DATASET_BUILDERS, HUB_PREFIX
from summarizer.ingest.records import InputError
from summarizer.ingest.web import is_url, lists_urls
from summarizer.registries import READERS
from summarizer.types import Cluster, Item


def detect_reader(path: str) -> str:
    """The ``READERS`` name for ``path``: stdin, url, folder, jsonl, datasets, urls (a text file
    listing URLs) or (a single article) file."""
    if path == "-":
        return "stdin"
    if is_url(path):
        return "url"
    local = Path(path)
    if local.is_dir():
        return "folder"
    if local.is_file():
        suffix = local.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            return "jsonl"
        if suffix in DATASET_BUILDERS:
            return "datasets"
        return "urls" if lists_urls(local) else "file"
    if path.startswith(HUB_PREFIX):
        return "datasets"
    if local.exists():  # a FIFO, a socket, a device
        raise InputError(f"{path}: not a regular file or folder; give a file or a folder of articles")
    raise InputError(f"{path}: no such file or folder (for a Hugging Face hub dataset write "
                     f"{HUB_PREFIX}NAME, e.g. {HUB_PREFIX}multi_news)")


def iter_items(path: str, config: IngestConfig) -> Iterator[Item]:
    """The input's clusters, lazily, each as an ``Item``; a record that cannot be read is an error
    item naming its file, line or field, and reading goes on. Raises ``InputError`` only when
    ``path`` itself cannot be read (missing, not a dataset)."""
    kind = detect_reader(path)
    yield from READERS.get(kind)(path if kind in ("datasets", "url") else Path(path), config)


def read_clusters(path: str, config: IngestConfig, limit: int | None = None) -> list[Cluster]:
    """The first ``limit`` (default all) clusters of ``path``; an unreadable record raises its
    ``InputError`` (for evaluation and training, where a silently smaller dataset would skew
    the numbers)."""
    clusters: list[Cluster] = []
    for item in iter_items(path, config):
        if limit is not None and len(clusters) >= limit:
            break
        if item.cluster is None:
            raise InputError(item.error)
        clusters.append(item.cluster)
    return clusters
