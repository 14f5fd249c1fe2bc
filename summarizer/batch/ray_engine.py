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

from summarizer.batch.output_file import AppendOnlyWriter, recover_output
from summarizer.batch.runner import BatchStats, in_shard, summarize_items
from summarizer.config import RunConfig, config_from_dict
from summarizer.ingest import InputError
from summarizer.ingest.readers import item_from_line, line_record_id, parse_line
from summarizer.paths import OutputLock, check_output_is_not_input

log = logging.getLogger(__name__)


class RaySummarizer:
    """``map_batches`` callable class: models are loaded in ``__init__``, once per actor."""

    def __init__(self, config: dict) -> None:
        from summarizer.pipeline import Pipeline

        self.config = config_from_dict(config)
        self.pipeline = Pipeline(self.config)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        items = []
        for text in batch["text"]:
            line = as_bytes(str(text))
            item = item_from_line(line, fallback_id(line), f"input line {fallback_id(line)}", self.config.ingest)
            if item is not None:
                items.append(item)
        outcomes = summarize_items(self.pipeline, items).outcomes
        return {"line": np.array([json.dumps(o.record(self.config), ensure_ascii=False) for o in outcomes],
                                 dtype=object)}


# Ray reads the input as Latin-1, which maps every byte to one character and back, so that no line
# can fail to decode there (a line of invalid UTF-8 aborted the whole job); each line's bytes are
# then decoded like the local runner's (UTF-8, else Windows-1252 with a warning).
READ_ENCODING = "latin-1"


def as_bytes(text: str) -> bytes:
    """The line's bytes as they are in the file (``text`` was read as Latin-1)."""
    return text.encode(READ_ENCODING)


def fallback_id(line: bytes) -> str:
    """A stable id for a line without one (Ray gives no line numbers), the same on every run."""
    return f"line-{zlib.crc32(line):08x}"


def line_id(line: bytes, config: RunConfig) -> str:
    """The id the line's record has (what the output's records are keyed by), without cleaning its
    documents: the driver asks this of every line, the actors then read the lines it keeps."""
    return line_record_id(parse_line(line, "input line"), fallback_id(line), config.ingest)


def run_ray(input_path: str, output_path: str, config: RunConfig, batch_size: int = 8,
            shard: tuple[int, int] = (0, 1), concurrency: int | None = None, progress: bool = True) -> BatchStats:
    """Summarise a JSONL file of clusters with Ray Data; resumable like the local runner."""

    if not Path(input_path).is_file() or Path(input_path).suffix.lower() not in (".jsonl", ".ndjson"):
        raise InputError(f"{input_path}: --engine ray reads JSONL files of clusters (one per line)")
    output = Path(output_path)
    check_output_is_not_input(output_path, input_path)
    lock = OutputLock(output)
    try:
        return _run_ray(input_path, output, config, batch_size, shard, concurrency, progress)
    finally:
        lock.release()


def _run_ray(input_path: str, output: Path, config: RunConfig, batch_size: int, shard: tuple[int, int],
             concurrency: int | None, progress: bool) -> BatchStats:
    import ray
    from tqdm import tqdm

    done = recover_output(output)

    def wanted_line(line: bytes) -> bool:
        if not line.strip():
            return False
        cluster_id = line_id(line, config)
        return cluster_id not in done and in_shard(cluster_id, shard)

    def wanted(row: dict) -> bool:
        return wanted_line(as_bytes(row["text"]))

    # A rerun with nothing left to do starts no Ray instance and loads no model.
    with open(input_path, "rb") as handle:
        if not any(wanted_line(line.rstrip(b"\n")) for line in handle):  # Ray gives lines without it
            return BatchStats(skipped_done=len(done))
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False,
                 logging_level=logging.INFO if progress else logging.ERROR)
    if not progress:
        ray.data.DataContext.get_current().enable_progress_bars = False
    gpus = int(ray.cluster_resources().get("GPU", 0))
    actors = concurrency or max(1, gpus)

    dataset = (ray.data.read_text(str(Path(input_path).resolve()), encoding=READ_ENCODING)
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
