"""The batch job on Ray Data: the same stages, spread over a Ray cluster.

Read → ``map_batches`` with a callable class that loads the models once per actor (one GPU
per actor when the cluster has GPUs) → results streamed back to the driver, which appends
them to the same resumable JSON Lines output as the local runner. Connects to the cluster
named by ``RAY_ADDRESS`` (``ray start --head`` / a KubeRay cluster), else starts a local one.
"""
from __future__ import annotations

import json
import logging
import sys
import time
import zlib
from pathlib import Path

import numpy as np

from summarizer.batch.runner import AppendOnlyWriter, BatchStats, in_shard, recover_output, summarize_items
from summarizer.config import RunConfig, config_from_dict
from summarizer.ingest import InputError
from summarizer.ingest.readers import item_from_line

log = logging.getLogger(__name__)


class RaySummarizer:
    """``map_batches`` callable class: models are loaded in ``__init__``, once per actor."""

    def __init__(self, config: dict) -> None:
        from summarizer.pipeline import Pipeline

        self.config = config_from_dict(config)
        self.pipeline = Pipeline(self.config)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        items = []
        for line in batch["text"]:
            line = str(line)
            item = item_from_line(line, fallback_id(line), f"input line {fallback_id(line)}", self.config.ingest)
            if item is not None:
                items.append(item)
        outcomes = summarize_items(self.pipeline, items).outcomes
        return {"line": np.array([json.dumps(o.record(self.config), ensure_ascii=False) for o in outcomes],
                                 dtype=object)}


def fallback_id(line: str) -> str:
    """A stable id for a line without one (Ray gives no line numbers), the same on every run."""
    return f"line-{zlib.crc32(line.encode('utf-8')):08x}"


def line_id(line: str, id_field: str) -> str:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return fallback_id(line)
    value = record.get(id_field) if isinstance(record, dict) else None
    return str(value) if value else fallback_id(line)


def run_ray(input_path: str, output_path: str, config: RunConfig, batch_size: int = 8,
            shard: tuple[int, int] = (0, 1), concurrency: int | None = None, progress: bool = True) -> BatchStats:
    """Summarise a JSONL file of clusters with Ray Data; resumable like the local runner."""
    import ray
    from tqdm import tqdm

    if not Path(input_path).is_file() or Path(input_path).suffix.lower() not in (".jsonl", ".ndjson"):
        raise InputError(f"{input_path}: --engine ray reads JSONL files of clusters (one per line)")
    output = Path(output_path)
    done = recover_output(output)
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
    gpus = int(ray.cluster_resources().get("GPU", 0))
    actors = concurrency or max(1, gpus)
    id_field = config.ingest.id_field

    def wanted(row: dict) -> bool:
        line = row["text"]
        if not line.strip():
            return False
        cluster_id = line_id(line, id_field)
        return cluster_id not in done and in_shard(cluster_id, shard)

    dataset = (ray.data.read_text(str(Path(input_path).resolve()))
               .filter(wanted)
               .map_batches(RaySummarizer, fn_constructor_kwargs={"config": config.to_dict()},
                            batch_size=batch_size, concurrency=actors, num_gpus=1 if gpus else 0))
    writer = AppendOnlyWriter(output)
    stats = BatchStats()
    started = time.perf_counter()
    bar = tqdm(desc="clusters", unit="cluster", disable=not progress, file=sys.stderr, dynamic_ncols=True)
    try:
        for batch in dataset.iter_batches(batch_size=None):
            for line in batch["line"]:
                record = json.loads(line)
                if record["id"] in done:
                    continue  # a retried Ray task may deliver a batch twice
                writer.write(str(line))
                done.add(record["id"])
                if "error" in record:
                    stats.errors += 1
                else:
                    stats.written += 1
                bar.update()
            writer.sync()
            stats.seconds = time.perf_counter() - started
            bar.set_postfix_str(f"{stats.written / stats.seconds:.2f} clusters/s, {stats.errors} errors")
    finally:
        writer.close()
        bar.close()
    stats.seconds = time.perf_counter() - started
    log.info("ray: %d actor(s), %d GPU(s) in the cluster", actors, gpus)
    return stats
