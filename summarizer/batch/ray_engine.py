"""The batch job on Ray Data: the same stages, spread over a Ray cluster.

The driver plans the input (``ray_input``: the rows still to do, with the local runner's ids,
duplicate rule and shards) → one read task per chunk of the JSONL or Parquet file →
``map_batches`` with a callable class that loads the models once per actor (one GPU per actor
on GPU clusters; ``num_cpus`` CPUs each, as many as fit, on CPU clusters) → results streamed
back to the driver, which appends them to the same resumable JSON Lines output as the local
runner. Connects to the cluster named by ``RAY_ADDRESS`` (``ray start --head`` / a KubeRay
cluster), else starts a local one.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

from summarizer.batch.output_file import AppendOnlyWriter, recover_output
from summarizer.batch.ray_input import Plan, datasource, item_of_row, plan_input
from summarizer.batch.runner import BatchStats, in_shard, summarize_items
from summarizer.config import RunConfig, config_from_dict
from summarizer.render.paths import OutputLock, check_output_is_not_input

log = logging.getLogger(__name__)


class RaySummarizer:
    """``map_batches`` callable class: models are loaded in ``__init__``, once per actor."""

    def __init__(self, config: dict, threads: int) -> None:
        import torch

        from summarizer.pipeline import Pipeline

        # The actor's CPUs as Ray reserved them: torch would otherwise start a thread per core of
        # the node, and actors sharing a node would slow each other down.
        torch.set_num_threads(max(1, threads))
        self.config = config_from_dict(config)
        self.pipeline = Pipeline(self.config)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        items = []
        for cluster_id, where, line, error in zip(batch["id"], batch["where"], batch["line"], batch["error"]):
            item = item_of_row(str(cluster_id), str(where), bytes(line), str(error), self.config.ingest)
            if item is not None:
                items.append(item)
        outcomes = summarize_items(self.pipeline, items).outcomes
        return {"line": np.array([json.dumps(o.record(self.config), ensure_ascii=False) for o in outcomes],
                                 dtype=object)}


def actor_layout(cluster: dict, concurrency: int | None, num_cpus: float | None) -> tuple[int, float, int]:
    """(actors, CPUs per actor, GPUs per actor) for a cluster's resources.

    GPU clusters: one actor per GPU, one CPU each. CPU clusters: ``num_cpus`` each (default 1) and
    as many actors as fit beside one CPU kept free for the read tasks and the driver. An explicit
    ``concurrency`` wins either way.
    """
    gpus, cpus = int(cluster.get("GPU", 0)), float(cluster.get("CPU", 1))
    per_actor = num_cpus if num_cpus is not None else 1.0
    if concurrency is not None:
        actors = concurrency
    elif gpus:
        actors = gpus
    else:
        actors = max(1, int((cpus - 1) // per_actor))
    return actors, per_actor, 1 if gpus else 0


def run_ray(input_path: str, output_path: str, config: RunConfig, batch_size: int = 8,
            shard: tuple[int, int] = (0, 1), concurrency: int | None = None, progress: bool = True,
            num_cpus: float | None = None) -> BatchStats:
    """Summarise a JSONL or Parquet file of clusters with Ray Data; resumable like the local runner,
    with the same ids (records without one get ``{stem}-{line}``), so either engine resumes the
    other's output."""
    output = Path(output_path)
    check_output_is_not_input(output_path, input_path)
    lock = OutputLock(output)
    try:
        done = recover_output(output)
        plan = plan_input(input_path, config.ingest, done, lambda cluster_id: in_shard(cluster_id, shard))
        if not plan.total:  # a rerun with nothing left to do starts no Ray instance and loads no model
            return BatchStats(skipped_done=plan.skipped_done, other_shards=plan.other_shards)
        return _run_ray(plan, output, config, batch_size, concurrency, num_cpus, progress, done)
    finally:
        lock.release()


def _run_ray(plan: Plan, output: Path, config: RunConfig, batch_size: int, concurrency: int | None,
             num_cpus: float | None, progress: bool, done: set[str]) -> BatchStats:
    import ray
    from tqdm import tqdm

    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False,
                 logging_level=logging.INFO if progress else logging.ERROR)
    if not progress:
        ray.data.DataContext.get_current().enable_progress_bars = False
    actors, cpus, gpus = actor_layout(ray.cluster_resources(), concurrency, num_cpus)
    log.info("ray: %d cluster(s) to summarise by %d actor(s) of %g CPU and %d GPU each", plan.total, actors,
             cpus, gpus)
    dataset = (ray.data.read_datasource(datasource(plan))
               .map_batches(RaySummarizer, fn_constructor_kwargs={"config": config.to_dict(),
                                                                  "threads": int(cpus)},
                            batch_size=batch_size, compute=ray.data.ActorPoolStrategy(size=actors),
                            num_cpus=cpus, num_gpus=gpus))
    writer = AppendOnlyWriter(output)
    stats = BatchStats(skipped_done=plan.skipped_done, other_shards=plan.other_shards)
    started = time.perf_counter()
    bar = tqdm(desc="clusters", unit="cluster", disable=not progress, file=sys.stderr, dynamic_ncols=True,
               total=plan.total)
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
    return stats
