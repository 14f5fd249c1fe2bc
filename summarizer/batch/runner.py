"""Resumable local batch runner: stream clusters in, append one JSON line per cluster out.

* Input is read lazily (JSONL line by line; Parquet/CSV/JSON through ``datasets`` streaming).
* Each output line is written with a single ``write`` on an ``O_APPEND`` descriptor, so a
  killed job leaves at most one torn final line; a restart removes that torn tail, reads the
  ids already written, and skips them.
* A cluster that fails becomes an error record (``{"id", "error"}``) and the job goes on.
* ``shard=(i, n)`` keeps the clusters whose id hashes to ``i`` modulo ``n`` (stable CRC32), so
  independent workers split one input without coordination.
"""
from __future__ import annotations

import itertools
import json
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from summarizer.batch.rows import RowRules, in_shard  # noqa: F401 (in_shard: the engines' import)
from summarizer.batch.output_file import AppendOnlyWriter, compact_output, has_repeated_ids, recover_output
from summarizer.config_schema import RunConfig
from summarizer.ingest import iter_items
from summarizer.render.paths import OutputLock, check_output_is_not_input
from summarizer.stats import StageStats
from summarizer.types import Cluster, Item, Summary
from summarizer.runtime import release_free_memory

log = logging.getLogger(__name__)


@dataclass
class BatchStats:
    written: int = 0
    errors: int = 0
    skipped_done: int = 0
    other_shards: int = 0
    generated_tokens: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.written / self.seconds if self.seconds else 0.0
        tokens = self.generated_tokens / self.seconds if self.seconds else 0.0
        return (f"done: {self.written} summarised, {self.errors} errors, {self.skipped_done} already done, "
                f"{self.other_shards} in other shards; {self.seconds:.1f} s, {rate:.2f} clusters/s, "
                f"{tokens:.1f} generated tokens/s")


@dataclass(frozen=True)
class Outcome:
    """What became of one input item: its summary, or the error (reading or summarising) it met."""

    item: Item
    summary: Summary | None = None
    error: str | None = None

    @property
    def cluster_id(self) -> str:
        return self.item.cluster_id

    def record(self, config: RunConfig) -> dict:
        """The output line: the summary's JSON record without ``config``, or ``{"id", "error"}``."""
        from summarizer.render.formats import error_record, summary_record

        if self.summary is None:
            return error_record(self.cluster_id, self.error)
        record = summary_record(self.summary, self.item.cluster, config)
        record.pop("config")  # the same for every line of a job
        return record


@dataclass(frozen=True)
class BatchOutcome:
    """The outcomes of one batch, in input order, and what its stages counted."""

    outcomes: tuple[Outcome, ...]
    stats: StageStats


def summarize_items(pipeline, items: list[Item]) -> BatchOutcome:
    """An Outcome per item, in order, and the stage counters of the batch.

    The batch is summarised in one pass; if that fails, each cluster is retried alone so that
    one bad cluster costs only its own record.
    """
    clusters: list[Cluster] = [item.cluster for item in items if item.cluster is not None]
    failures: dict[int, str] = {}
    stats = StageStats()
    try:
        result = pipeline.summarize_batch(clusters) if clusters else None
        summaries = list(result.summaries) if result else []
        if result:
            stats.merge(result.stats)
    except Exception:
        summaries = []
        for position, cluster in enumerate(clusters):
            try:
                result = pipeline.summarize_batch([cluster])
                summaries.append(result.summaries[0])
                stats.merge(result.stats)
            except Exception as error:
                summaries.append(None)
                failures[position] = f"{type(error).__name__}: {error}"
    release_free_memory()  # a long job's resident memory stays flat (summarizer/runtime.py)
    outcomes = []
    position = 0
    for item in items:
        if item.cluster is None:
            outcomes.append(Outcome(item, error=item.error))
            continue
        summary = summaries[position]
        outcomes.append(Outcome(item, summary, failures.get(position)))
        position += 1
    return BatchOutcome(tuple(outcomes), stats)


def count_lines(path: str) -> int | None:
    """Lines of a JSONL file (a fast byte scan), for the progress bar's ETA; None otherwise."""
    local = Path(path)
    if local.suffix.lower() not in (".jsonl", ".ndjson") or not local.is_file():
        return None
    count = 0
    with local.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            count += chunk.count(b"\n")
    return count


def write_html_index(output: Path, html_dir: Path) -> None:
    """``index.html`` for a batch's pages, from every record of its output (earlier runs too)."""
    from summarizer.render.html import page_name, write_page
    from summarizer.render.index import IndexEntry, opening, render_index

    entries = []
    with output.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            name = page_name(str(record["id"]))
            if "error" in record:
                entries.append(IndexEntry(str(record["id"]), None, f"error: {record['error']}", 0))
            else:
                page = name if (html_dir / name).exists() else None
                entries.append(IndexEntry(str(record["id"]), page, opening(record.get("summary", "")),
                                          len(record.get("documents", []))))
    write_page(html_dir, "index.html", render_index(entries, title=output.stem))


def run_batch(input_path: str, output_path: str, config: RunConfig, batch_size: int = 8,
              shard: tuple[int, int] = (0, 1), limit: int | None = None, progress: bool = True,
              html_dir: str | None = None, retry_errors: bool = False) -> BatchStats:
    """Summarise every cluster of ``input_path`` not yet in ``output_path``; resumable.

    The output is never the input, is locked against a second job for the run, and is checked
    before anything is changed. A record whose id an earlier record of the input already had is
    an error record (nothing collides). ``retry_errors`` redoes the clusters whose last record is
    an error, and keeps only the new record of each. With ``html_dir``, one HTML page per
    summarised cluster is written there, and an ``index.html`` of the whole output at the end.
    """
    output = Path(output_path)
    check_output_is_not_input(output_path, input_path)
    existed = output.exists()
    lock = OutputLock(output)
    try:
        done = recover_output(output, retry_errors)
        try:
            stats = _run(input_path, output, config, batch_size, shard, limit, progress, html_dir, done)
        except Exception:
            if not existed and output.stat().st_size == 0:  # the lock's file: nothing was written to it
                output.unlink()
            raise
        if retry_errors and has_repeated_ids(output):  # only when a retried record was written (redteam W9)
            compact_output(output)
    finally:
        lock.release()
    if html_dir:
        write_html_index(output, Path(html_dir))
    return stats


def _progress_bar(input_path: str, shard: tuple[int, int], limit: int | None, done: int, progress: bool):
    """The clusters bar on stderr; its total is this shard's share of the input's lines."""
    from tqdm import tqdm

    lines = count_lines(input_path) if progress else None
    # Shards are hash-balanced, so this shard's share of the input is about 1/n of it.
    total = -(-lines // shard[1]) if lines is not None else None
    if total is not None and limit is not None:
        total = min(total, done + limit)
    return tqdm(desc="clusters", unit="cluster", disable=not progress, file=sys.stderr, dynamic_ncols=True,
                total=total, initial=min(done, total) if total is not None else 0)


def _write_outcomes(outcomes: tuple[Outcome, ...], writer: AppendOnlyWriter, config: RunConfig, stats: BatchStats,
                    html_dir: str | None, done: set[str]) -> None:
    """A batch's records appended (and synced), its pages written, its ids marked done."""
    from summarizer.render.html import page_name, render_html, write_page

    for outcome in outcomes:
        writer.write(outcome.record(config))
        if outcome.summary is None:
            stats.errors += 1
        else:
            stats.written += 1
            if html_dir:
                write_page(Path(html_dir), page_name(outcome.cluster_id),
                           render_html(outcome.summary, outcome.item.cluster))
        done.add(outcome.cluster_id)
    writer.sync()


def _run(input_path: str, output: Path, config: RunConfig, batch_size: int, shard: tuple[int, int],
         limit: int | None, progress: bool, html_dir: str | None, done: set[str]) -> BatchStats:
    from summarizer.pipeline import Pipeline
    from summarizer.runtime import size_torch_threads

    items = iter_items(input_path, config.ingest)
    first = next(items, None)  # an input that cannot be read at all fails here, before any model loads
    items = itertools.chain([first], items) if first is not None else iter(())
    size_torch_threads()
    pipeline = Pipeline(config)
    writer = AppendOnlyWriter(output)
    stats = BatchStats(skipped_done=0)
    started = time.perf_counter()
    bar = _progress_bar(input_path, shard, limit, len(done), progress)
    pending: list[Item] = []
    rules = RowRules(done, lambda cluster_id: in_shard(cluster_id, shard))

    def flush() -> None:
        batch = summarize_items(pipeline, pending)
        _write_outcomes(batch.outcomes, writer, config, stats, html_dir, done)
        stats.generated_tokens += batch.stats.counters["fuse.generated_tokens"]
        stats.seconds = time.perf_counter() - started
        bar.update(len(pending))
        bar.set_postfix_str(f"{stats.written / stats.seconds:.2f} clusters/s, "
                            f"{stats.generated_tokens / stats.seconds:.0f} tok/s, {stats.errors} errors")
        pending.clear()

    try:
        try:
            for item in items:
                if limit is not None and stats.written + stats.errors + len(pending) >= limit:
                    break
                decision = rules.decide(item.cluster_id, item.where)
                if decision.error:
                    item = Item(decision.cluster_id, None, decision.error, item.where)
                if decision.verdict != "take":
                    stats.other_shards += decision.verdict == "other shard"
                    stats.skipped_done += decision.verdict == "done"
                    continue
                pending.append(item)
                if len(pending) >= batch_size:
                    flush()
        except Exception:
            if pending:  # the input broke off (a dataset that stopped streaming): keep what was read
                flush()
            raise
        if pending:
            flush()
    finally:
        writer.close()
        bar.close()
    stats.seconds = time.perf_counter() - started
    return stats
