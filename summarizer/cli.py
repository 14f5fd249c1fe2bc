"""Command line: parse arguments, build the config, call the pipeline. No logic of its own."""
from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
import time
from pathlib import Path

from summarizer import __version__

log = logging.getLogger("summarizer")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="YAML config (see configs/default.yaml for every key)")
    parser.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="overrides",
                        help="override one config key, e.g. --set fuse.backend=extractive (repeatable)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m summarizer",
        description="Fuse several outlets' versions of a story into one neutral summary "
                    "in which every sentence cites its sources.")
    parser.add_argument("--version", action="version", version=f"summarizer {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run", help="summarise a folder of articles or a file of clusters",
        description="Summarise PATH: a folder of text files (one article each = one cluster), a "
                    "single text file, a JSONL file of clusters ({\"id\", \"documents\": [{\"title\", "
                    "\"text\"}], \"reference\"?}), a Parquet/CSV/JSON dataset, or hf:NAME for a "
                    "Hugging Face hub dataset such as hf:multi_news (needs network).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  python -m summarizer run examples/bridge\n"
               "  python -m summarizer run stories/ --format html --output story.html\n"
               "  python -m summarizer run stories/ --format json --output summary.json\n"
               "  python -m summarizer run stories/ --set fuse.backend=seq2seq "
               "--set fuse.model=facebook/bart-large-cnn\n"
               "  python -m summarizer run clusters.jsonl --format json --output out.jsonl")
    run.add_argument("path", metavar="PATH", help="folder, text file, JSONL/Parquet file or hf:DATASET")
    _add_config_options(run)
    run.add_argument("--format", choices=["text", "markdown", "json", "html"], default=None,
                     help="output format (default: output.format from the config, i.e. text); "
                          "json gives one object per cluster, as JSON Lines when there are several; "
                          "html gives one self-contained page, or for several clusters one page each "
                          "plus index.html in the --output folder")
    run.add_argument("--output", "-o", metavar="FILE",
                     help="write here instead of stdout; clusters are written as they finish "
                          "(a folder for --format html with several clusters)")
    run.add_argument("--limit", type=int, metavar="N", help="summarise only the first N clusters")
    run.add_argument("--quiet", "-q", action="store_true", help="no progress messages on stderr")
    evaluate = commands.add_parser(
        "eval", help="score systems on a dataset with ROUGE, consistency and neutrality",
        description="Run systems over a dataset of clusters with references and score them: ROUGE-1/2/L/Lsum "
                    "(stemmed, Unicode-aware), factual consistency against the sources, NeuS arousal "
                    "(needs the NRC-VAD lexicon), single-outlet wording share, source coverage, length. "
                    "Writes examples.jsonl, summary.json, report.md and PNG plots to "
                    "<evaluation.results_dir>/<run-name>/.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  python -m summarizer eval --data ../shared/data/neus/val.jsonl --systems pipeline,lead,lexrank,oracle\n"
               "  python -m summarizer eval --data val.jsonl --systems lead --predictions primera=primera.jsonl "
               "--lexicon NRC-VAD-Lexicon.txt")
    evaluate.add_argument("--data", required=True, metavar="PATH",
                          help="JSONL/JSON/Parquet of clusters with references (NeuS format), or hf:NAME")
    evaluate.add_argument("--systems", default="pipeline,lead,lexrank,oracle", metavar="NAMES",
                          help="comma-separated systems: pipeline, lead, lexrank, oracle (default: all); "
                               "empty to score only --predictions")
    evaluate.add_argument("--predictions", action="append", default=[], metavar="NAME=PATH",
                          help='score another system\'s summaries: JSONL of {"id", "summary"} (repeatable)')
    evaluate.add_argument("--limit", type=int, metavar="N", help="only the first N clusters")
    evaluate.add_argument("--run-name", metavar="NAME", help="results folder name (default: data name + time)")
    evaluate.add_argument("--lexicon", metavar="FILE", help="NRC-VAD-Lexicon.txt (sets evaluation.lexicon_path)")
    _add_config_options(evaluate)
    evaluate.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    frank = commands.add_parser(
        "eval-consistency", help="measure the consistency checker against human judgements (FRANK)",
        description="Score every summary of a FRANK file with the consistency checker "
                    "(evaluation.consistency: offline or nli) and report ROC AUC and cross-validated "
                    "balanced accuracy per dataset (cnndm, bbc) next to FRANK's released metrics. Writes "
                    "frank.json and report.md to <evaluation.results_dir>/<run-name>/.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  python -m summarizer eval-consistency --data ../shared/data/frank/valid.jsonl")
    frank.add_argument("--data", required=True, metavar="PATH", help="FRANK JSONL (shared/data/frank/valid.jsonl)")
    frank.add_argument("--aggregate", choices=["mean-min", "mean", "min"], default="mean-min",
                       help="summary score from sentence scores (default: mean-min, the mean of the two; "
                            "also adds a row with their weight chosen by cross-validation)")
    frank.add_argument("--limit", type=int, metavar="N", help="only the first N summaries")
    frank.add_argument("--run-name", metavar="NAME", help="results folder name (default: frank-<time>)")
    _add_config_options(frank)
    frank.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    batch = commands.add_parser(
        "batch", help="summarise a large file of clusters; resumable, one JSON line per cluster",
        description="Stream clusters from INPUT (JSONL, Parquet/CSV/JSON via datasets, or hf:NAME) and append one "
                    "JSON line per cluster to --output: the JSON summary record with its id, or {\"id\", "
                    "\"error\"} for a cluster that failed. Run the same command again after a crash: ids "
                    "already written are skipped and a torn last line is removed.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  python -m summarizer batch clusters.jsonl --output summaries.jsonl\n"
               "  python -m summarizer batch clusters.parquet --output part-0.jsonl --shard 0/4")
    batch.add_argument("input", metavar="INPUT", help="JSONL/Parquet/CSV/JSON of clusters, or hf:NAME")
    batch.add_argument("--output", "-o", required=True, metavar="FILE", help="JSON Lines output (appended)")
    batch.add_argument("--batch-size", type=int, default=8, metavar="N",
                       help="clusters summarised together: one embedding call and one generation pass (default 8)")
    batch.add_argument("--shard", default="0/1", metavar="I/N",
                       help="process only shard I of N (by a stable hash of the id), e.g. 0/4")
    batch.add_argument("--limit", type=int, metavar="N", help="stop after N clusters in this run (local engine)")
    batch.add_argument("--engine", choices=["local", "ray"], default="local",
                       help="local: this process; ray: Ray Data over the cluster at RAY_ADDRESS (or a local one); "
                            "ray reads JSONL input")
    batch.add_argument("--html", metavar="FOLDER", dest="html_dir",
                       help="also write one HTML page per cluster (summary, cross-outlet comparison, sources) "
                            "into FOLDER, and FOLDER/index.html when the run ends (local engine)")
    batch.add_argument("--actors", type=int, metavar="N",
                       help="ray: model replicas (default: one per GPU, or 1 without GPUs)")
    _add_config_options(batch)
    batch.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    return parser


def _batch(args: argparse.Namespace) -> int:
    from summarizer.batch.runner import run_batch
    from summarizer.config import ConfigError, load_config
    from summarizer.ingest import InputError

    try:
        index, count = (int(part) for part in args.shard.split("/"))
        if not 0 <= index < count:
            raise ValueError
    except ValueError:
        print(f"error: --shard {args.shard!r}: expected I/N with 0 ≤ I < N, e.g. 0/4", file=sys.stderr)
        return EXIT_USAGE
    if args.batch_size < 1:
        print("error: --batch-size must be ≥ 1", file=sys.stderr)
        return EXIT_USAGE
    if args.html_dir and args.engine == "ray":
        print("error: --html works with --engine local only (Ray's driver receives JSON records, not the "
              "source documents a page shows)", file=sys.stderr)
        return EXIT_USAGE
    logging.getLogger("summarizer.pipeline").setLevel(logging.WARNING)  # the bar reports progress
    try:
        config = load_config(args.config, args.overrides)
        if args.engine == "ray":
            from summarizer.batch.ray_engine import run_ray

            stats = run_ray(args.input, args.output, config, args.batch_size, (index, count), args.actors,
                            progress=not args.quiet)
        else:
            stats = run_batch(args.input, args.output, config, args.batch_size, (index, count), args.limit,
                              progress=not args.quiet, html_dir=args.html_dir)
    except (ConfigError, InputError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (RuntimeError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(stats.line(), file=sys.stderr)
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from summarizer.config import ConfigError, load_config
    from summarizer.evaluation.harness import run_evaluation
    from summarizer.evaluation.neutrality import LexiconError
    from summarizer.ingest import InputError

    overrides = list(args.overrides)
    if args.lexicon:
        overrides.append(f"evaluation.lexicon_path={args.lexicon}")
    predictions = {}
    for item in args.predictions:
        name, _, path = item.partition("=")
        if not name or not path:
            print(f"error: --predictions {item!r}: expected NAME=PATH", file=sys.stderr)
            return EXIT_USAGE
        predictions[name] = path
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    # Per-cluster progress lines would break the progress bar; the bar reports progress here.
    logging.getLogger("summarizer.pipeline").setLevel(logging.WARNING)
    run_name = args.run_name or f"{Path(args.data).stem}-{time.strftime('%Y%m%d-%H%M%S')}"
    try:
        config = load_config(args.config, overrides)
        out_dir = run_evaluation(args.data, systems, predictions, config, run_name, args.limit,
                                 progress=not args.quiet)
    except (ConfigError, InputError, LexiconError, FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    print((out_dir / "report.md").read_text(encoding="utf-8"))
    print(f"results: {out_dir}", file=sys.stderr)
    return EXIT_OK


def _evaluate_consistency(args: argparse.Namespace) -> int:
    from summarizer.config import ConfigError, load_config
    from summarizer.evaluation.frank import run_frank_evaluation
    from summarizer.evaluation.harness import consistency_scorer
    from summarizer.ingest import InputError

    try:
        config = load_config(args.config, args.overrides)
        checker = consistency_scorer(config)
        out_dir = Path(config.evaluation.results_dir) / (args.run_name or f"frank-{time.strftime('%Y%m%d-%H%M%S')}")
        report = run_frank_evaluation(args.data, checker, config.evaluation.consistency, out_dir, args.aggregate,
                                      args.limit, progress=not args.quiet)
    except (ConfigError, InputError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(report)
    print(f"results: {out_dir}", file=sys.stderr)
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from summarizer.config import ConfigError, load_config
    from summarizer.ingest import InputError, read_clusters
    from summarizer.output import OutputError, open_sink
    from summarizer.pipeline import Pipeline

    overrides = list(args.overrides)
    if args.format:
        overrides.append(f"output.format={args.format}")
    try:
        config = load_config(args.config, overrides)
    except (ConfigError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    failures = 0

    def read():
        """The input's clusters; a bad record ends the input with a message, never a traceback."""
        nonlocal failures
        clusters = read_clusters(args.path, config.ingest)
        while True:
            try:
                cluster = next(clusters)
            except StopIteration:
                return
            except InputError as error:
                failures += 1
                print(f"error: {error}", file=sys.stderr)
                return
            yield cluster

    try:
        clusters = read()
        # Two clusters are read ahead: whether there are several decides the output's shape.
        head = [c for c in (next(clusters, None), next(clusters, None)) if c is not None]
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not head:
        if not failures:
            print(f"error: {args.path}: no clusters found", file=sys.stderr)
        return EXIT_USAGE
    several = len(head) > 1
    try:
        sink = open_sink(args.output, config.output.format, several, config, title=Path(args.path).name)
    except (OutputError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE

    started = time.perf_counter()
    try:
        pipeline = Pipeline(config)
    except (RuntimeError, OSError, ValueError) as error:
        sink.close()
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    log.info("models ready in %.1f s", time.perf_counter() - started)

    written = 0
    try:
        for cluster in itertools.chain(head, clusters):
            if args.limit is not None and written >= args.limit:
                break
            for warning in cluster.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            try:
                summary = pipeline.summarize(cluster)
            except Exception as error:  # one bad cluster must not lose the others' output
                failures += 1
                message = f"{type(error).__name__}: {error}"
                print(f"error: cluster {cluster.cluster_id!r}: {message}", file=sys.stderr)
                sink.error(cluster.cluster_id, message)
                continue
            sink.write(summary, cluster)
            written += 1
            log.info("%s: %d words, %d sentences in %.1f s", cluster.cluster_id, summary.word_count,
                     len(summary.sentences), sum(summary.timings.values()))
    finally:
        sink.close()
    if failures:
        print(f"error: {failures} cluster(s) or input line(s) failed; {written} summarised",
              file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
                        format="summarizer: %(message)s", stream=sys.stderr)
    # Library chatter (weight-loading bars, deprecation notes) is not progress for our users.
    for noisy in ("transformers", "datasets", "huggingface_hub", "accelerate"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    command = {"run": _run, "eval": _evaluate, "eval-consistency": _evaluate_consistency,
               "batch": _batch}[args.command]
    try:
        return command(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
