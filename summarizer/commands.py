"""What each command does once its arguments are parsed: build the config, call the stages.

Each command returns an exit code or raises a ``SummarizerError``; ``cli.main`` maps errors to
exit codes in one place (``errors.exit_code``).
"""
from __future__ import annotations

import argparse
import logging
import math
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from summarizer.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from summarizer.text import printable
from summarizer.types import Item

log = logging.getLogger("summarizer")


def _check_limit(limit: int | None) -> None:
    if limit is not None and limit < 1:
        raise UsageError(f"--limit {limit}: give a number of clusters ≥ 1 (leave it out for all)")


def _quiet_pipeline_progress() -> None:
    # Per-cluster progress lines would break the progress bar; the bar reports progress here.
    logging.getLogger("summarizer.pipeline").setLevel(logging.WARNING)


def batch(args: argparse.Namespace) -> int:
    from summarizer.config import load_config

    try:
        index, count = (int(part) for part in args.shard.split("/"))
    except ValueError:
        index, count = -1, 0
    if not 0 <= index < count:
        raise UsageError(f"--shard {args.shard!r}: expected I/N with 0 ≤ I < N, e.g. 0/4")
    if args.batch_size < 1:
        raise UsageError("--batch-size must be ≥ 1")
    _check_limit(args.limit)
    if args.html_dir and args.engine == "ray":
        raise UsageError("--html works with --engine local only (Ray's driver receives JSON records, not the "
                         "source documents a page shows)")
    if Path(args.output).is_dir():
        raise UsageError(f"--output {args.output!r} is a folder; give the JSON Lines file to append to, "
                         f"e.g. {str(Path(args.output) / 'summaries.jsonl')!r}")
    if args.html_dir and Path(args.html_dir).exists() and not Path(args.html_dir).is_dir():
        raise UsageError(f"--html {args.html_dir!r} is a file; give a folder for the pages")
    from summarizer.render.paths import check_page_folder_holds_no_input

    check_page_folder_holds_no_input(args.html_dir, args.input, args.output)
    if args.retry_errors and args.engine == "ray":
        raise UsageError("--retry-errors works with --engine local only")
    if args.engine != "ray" and (args.concurrency is not None or args.num_cpus is not None):
        raise UsageError("--concurrency and --num-cpus size Ray's actors; add --engine ray")
    if args.concurrency is not None and args.concurrency < 1:
        raise UsageError("--concurrency must be ≥ 1")
    if args.num_cpus is not None and not (args.num_cpus > 0 and math.isfinite(args.num_cpus)):
        raise UsageError(f"--num-cpus {args.num_cpus}: give a number of CPUs > 0, e.g. 2")
    _quiet_pipeline_progress()
    config = load_config(args.config, args.overrides)
    if args.engine == "ray":
        from summarizer.batch.ray_engine import run_ray

        stats = run_ray(args.input, args.output, config, args.batch_size, (index, count), args.concurrency,
                        progress=not args.quiet, num_cpus=args.num_cpus)
    else:
        from summarizer.batch.runner import run_batch

        stats = run_batch(args.input, args.output, config, args.batch_size, (index, count), args.limit,
                          progress=not args.quiet, html_dir=args.html_dir, retry_errors=args.retry_errors)
    print(stats.line(), file=sys.stderr)
    return EXIT_OK


def _run_name(name: str | None) -> str | None:
    """``--run-name``, checked to be one folder inside ``evaluation.results_dir`` (no path out of it)."""
    if name is not None and (not name.strip() or name.strip() in (".", "..") or any(c in name for c in "/\\")
                             or name != printable(name)):
        raise UsageError(f"--run-name {printable(name)!r}: give a plain folder name (no '/', '\\', '..' or "
                         "control characters); results go to <evaluation.results_dir>/<run-name>/")
    return name


def evaluate(args: argparse.Namespace) -> int:
    from summarizer.config import load_config
    from summarizer.evaluation.harness import run_evaluation

    overrides = list(args.overrides)
    if args.lexicon:
        overrides.append(f"evaluation.lexicon_path={args.lexicon}")
    predictions = {}
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    for item in args.predictions:
        name, _, path = item.partition("=")
        if not name or not path:
            raise UsageError(f"--predictions {item!r}: expected NAME=PATH")
        if name in predictions or name in systems:  # one name, one system: a clash pooled or dropped one
            raise UsageError(f"--predictions {item!r}: the name {name!r} is already "
                             f"{'another --predictions' if name in predictions else 'in --systems'}; give each a name of its own")
        predictions[name] = path
    _check_limit(args.limit)
    _quiet_pipeline_progress()
    run_name = _run_name(args.run_name) or f"{Path(args.data).stem}-{time.strftime('%Y%m%d-%H%M%S')}"
    config = load_config(args.config, overrides)
    out_dir = run_evaluation(args.data, systems, predictions, config, run_name, args.limit, progress=not args.quiet)
    print((out_dir / "report.md").read_text(encoding="utf-8"))
    print(f"results: {out_dir}", file=sys.stderr)
    return EXIT_OK


def evaluate_consistency(args: argparse.Namespace) -> int:
    from summarizer.config import load_config
    from summarizer.evaluation.frank import run_frank_evaluation
    from summarizer.evaluation.harness import consistency_scorer

    config = load_config(args.config, args.overrides)
    checker = consistency_scorer(config)
    out_dir = Path(config.evaluation.results_dir) / (_run_name(args.run_name) or f"frank-{time.strftime('%Y%m%d-%H%M%S')}")
    report = run_frank_evaluation(args.data, checker, config.evaluation.consistency, out_dir, args.aggregate,
                                  args.limit, progress=not args.quiet)
    print(report)
    print(f"results: {out_dir}", file=sys.stderr)
    return EXIT_OK


def _read_ahead(items: Iterator[Item]) -> list[Item]:
    """Items up to and including the second cluster (or all): whether the input holds several
    clusters decides the output's shape."""
    head: list[Item] = []
    clusters = 0
    for item in items:
        head.append(item)
        clusters += item.cluster is not None
        if clusters == 2:
            break
    return head


def _run_config(args: argparse.Namespace):
    """``run``'s config, with every check on where it writes made before any work."""
    from summarizer.config import load_config
    from summarizer.render.paths import check_output_is_not_input, check_page_folder_holds_no_input

    overrides = list(args.overrides)
    if args.format:
        overrides.append(f"output.format={args.format}")
    _check_limit(args.limit)
    config = load_config(args.config, overrides)
    check_output_is_not_input(args.output, args.path)
    if config.output.format == "html" and args.output and args.output != "-" and (
            Path(args.output).is_dir() or args.output.endswith(("/", "\\"))):
        check_page_folder_holds_no_input(args.output, args.path)
    return config


def _loaded_pipeline(config):
    from summarizer.pipeline import Pipeline
    from summarizer.runtime import size_torch_threads

    size_torch_threads()
    started = time.perf_counter()
    pipeline = Pipeline(config)
    log.info("models ready in %.1f s", time.perf_counter() - started)
    return pipeline


def run(args: argparse.Namespace) -> int:
    """``run``: every cluster of the input summarised and written as it finishes."""
    import itertools

    from summarizer.ingest import iter_items
    from summarizer.render.sinks import open_sink

    config = _run_config(args)
    items = iter_items(args.path, config.ingest)
    head = _read_ahead(items)
    if not head:
        raise UsageError(f"{args.path}: no clusters found")
    several = sum(item.cluster is not None for item in head) > 1
    sink = open_sink(args.output, config.output.format, several, config, title=Path(args.path).name)
    failures = written = 0
    pipeline = None
    try:
        for item in itertools.chain(head, items):
            if args.limit is not None and written >= args.limit:
                break
            if item.cluster is None:
                failures += 1
                print(f"error: {printable(item.error)}", file=sys.stderr)
                sink.error(item.cluster_id, item.error)
                continue
            if pipeline is None:  # loaded only once the input has a cluster to summarise
                pipeline = _loaded_pipeline(config)
            for warning in item.cluster.warnings:
                print(f"warning: {printable(warning)}", file=sys.stderr)
            try:
                summary = pipeline.summarize(item.cluster)
            except Exception as error:  # one bad cluster must not lose the others' output
                failures += 1
                message = f"{type(error).__name__}: {error}"
                print(f"error: cluster {item.cluster_id!r}: {printable(message)}", file=sys.stderr)
                sink.error(item.cluster_id, message)
                continue
            sink.write(summary, item.cluster)
            written += 1
            log.info("%s: %d words, %d sentences in %.1f s", item.cluster_id, summary.word_count,
                     len(summary.sentences), sum(summary.timings.values()))
    finally:
        sink.close()
    if failures:
        if written == 0 and pipeline is None:
            return EXIT_USAGE  # nothing in the input could be read
        print(f"error: {failures} cluster(s) or input line(s) failed; {written} summarised", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def serve(args: argparse.Namespace) -> int:
    """``serve``: the HTTP API and the editor's page (``summarizer.serve``)."""
    from summarizer.serve.command import serve as run_service

    return run_service(args)
