"""Command line: the argument parser and the one place errors become exit codes.

What each command does is in ``summarizer.commands``.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from summarizer import __version__
from summarizer.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, SummarizerError, exit_code  # noqa: F401
from summarizer.text import printable


LOG_LEVELS = ("debug", "info", "warning", "error")
#: the documented default config, shipped in the package (configs/default.yaml in the source links to it)
DEFAULT_CONFIG = Path(__file__).with_name("default.yaml")


def _prog() -> str:
    """The name the user typed: ``summarizer`` (the console script) or ``python -m summarizer``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m summarizer" if name in ("__main__.py", "-c", "") else name


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help=f"YAML config; every key, its default and meaning: {DEFAULT_CONFIG}")
    parser.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="overrides",
                        help="override one config key, e.g. --set fuse.backend=extractive (repeatable)")
    parser.add_argument("--log-level", choices=LOG_LEVELS, default=None,
                        help="messages on stderr from this level up (default: info; warning with --quiet)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_prog(),
        description="Fuse several outlets' versions of a story into one neutral summary "
                    "in which every sentence cites its sources.")
    parser.add_argument("--version", action="version", version=f"summarizer {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _run_parser(commands)
    _eval_parser(commands)
    _frank_parser(commands)
    _batch_parser(commands)
    _serve_parser(commands)
    return parser


def _run_parser(commands) -> None:
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
    run.add_argument("path", metavar="PATH",
                     help="folder, text file, JSONL/Parquet file, hf:DATASET, or - for standard input (JSON "
                          "Lines of clusters, or one article's text)")
    _add_config_options(run)
    run.add_argument("--format", choices=["text", "markdown", "json", "jsonl", "html"], default=None,
                     help="output format (default: output.format from the config, i.e. text); "
                          "json gives one indented object for one cluster, JSON Lines for several; jsonl "
                          "always gives JSON Lines, one record per line; html gives one self-contained page, "
                          "or for several clusters one page each plus index.html in the --output folder")
    run.add_argument("--output", "-o", metavar="FILE",
                     help="write here instead of stdout (- is stdout); clusters are written as they finish "
                          "(a folder for --format html with several clusters)")
    run.add_argument("--limit", type=int, metavar="N", help="summarise only the first N clusters")
    _words_option(run)
    run.add_argument("--quiet", "-q", action="store_true", help="no progress messages on stderr")


def _eval_parser(commands) -> None:
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
    _words_option(evaluate)
    evaluate.add_argument("--run-name", metavar="NAME", help="results folder name (default: data name + time)")
    evaluate.add_argument("--lexicon", metavar="FILE", help="NRC-VAD-Lexicon.txt (sets evaluation.lexicon_path)")
    _add_config_options(evaluate)
    evaluate.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def _frank_parser(commands) -> None:
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


def _batch_parser(commands) -> None:
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
    _words_option(batch)
    batch.add_argument("--retry-errors", action="store_true",
                       help="redo the clusters whose record in --output is an error; their new record replaces "
                            "it (local engine)")
    batch.add_argument("--engine", choices=["local", "ray"], default="local",
                       help="local: this process; ray: Ray Data over the cluster at RAY_ADDRESS (or a local one); "
                            "ray reads JSONL and Parquet input")
    batch.add_argument("--html", metavar="FOLDER", dest="html_dir",
                       help="also write one HTML page per cluster (summary, cross-outlet comparison, sources) "
                            "into FOLDER, and FOLDER/index.html when the run ends (local engine)")
    batch.add_argument("--concurrency", "--actors", type=int, metavar="N", dest="concurrency",
                       help="ray: model replicas (actors); default: one per GPU on GPU clusters, else as many "
                            "as fit with --num-cpus each beside one CPU left for reading")
    batch.add_argument("--num-cpus", type=float, metavar="N",
                       help="ray: CPUs reserved per actor, also its torch threads (default 1)")
    _add_config_options(batch)
    batch.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def _serve_parser(commands) -> None:
    serve = commands.add_parser(
        "serve", help="the HTTP API and the editor's page, with the models loaded once",
        description="Serve POST /v1/summaries, POST /v1/facts, the editor's page at /, /healthz, /v1/version and "
                    "/openapi.json. URLs in requests are fetched with private, loopback and link-local addresses "
                    "refused.", formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  python -m summarizer serve\n  python -m summarizer serve --host 0.0.0.0 --port 8080 "
               "--token-file token.txt")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--token-file", metavar="FILE", help="a file holding a bearer token every POST must carry")
    serve.add_argument("--queue-size", type=int, default=32, metavar="N",
                       help="requests waiting for the models; one more is answered 503 with Retry-After (default 32)")
    serve.add_argument("--batch-size", type=int, default=8, metavar="N",
                       help="most waiting requests summarised together in one pass (default 8)")
    serve.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                       help="longest a request may wait and run; then 504 (default 300)")
    serve.add_argument("--max-body-mb", type=int, default=10, metavar="MB", help="largest request body (default 10)")
    serve.add_argument("--allow-private-addresses", action="store_true",
                       help="fetch URLs that resolve to this machine or a private network (only behind your own "
                            "firewall, for your own intranet pages)")
    _add_config_options(serve)
    serve.add_argument("--quiet", "-q", action="store_true", help="no request log")


def _words_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--words", type=int, metavar="N",
                         help="summaries of N words, headline included, whatever the input's length (the same "
                              "as --set retrieve.summary_words=N --set retrieve.length_ratio=0; without it the "
                              "length follows the sources, at most retrieve.summary_words)")


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code (errors.exit_code maps every error to one)."""
    # Before anything imports transformers: its weight-conversion bars are no progress for our users.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # Before torch loads its OpenMP runtime: threads that wait sleep instead of spinning. Beside two
    # busy processes on 2 cores a `run` on the seeds took 48 s spinning, 15 s passive (9.5 s quiet
    # either way; eval/README.md, "Service"). A user's own OMP_WAIT_POLICY wins.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "words", None) is not None and args.words < 10:
        parser.error(f"--words {args.words}: a summary needs at least 10 words")
    if getattr(args, "words", None) is not None:  # checked (range, type) with the rest of the config
        args.overrides = [*args.overrides, f"retrieve.summary_words={args.words}", "retrieve.length_ratio=0"]
    level = (args.log_level.upper() if getattr(args, "log_level", None)
             else logging.WARNING if getattr(args, "quiet", False) else logging.INFO)
    logging.basicConfig(level=level, format="summarizer: %(message)s", stream=sys.stderr)
    # Library chatter (weight-loading notes, deprecation notes) is not progress for our users.
    # trafilatura says "discarding data: None" where it finds no article (our own reader then reads the page).
    for noisy in ("transformers", "datasets", "huggingface_hub", "accelerate", "trafilatura", "htmldate",
                  "courlan", "justext"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from summarizer import commands

    command = {"run": commands.run, "eval": commands.evaluate, "eval-consistency": commands.evaluate_consistency,
               "batch": commands.batch, "serve": commands.serve}[args.command]
    try:
        return command(args)
    except BrokenPipeError:
        # The reader went away (`| head`): what it took was written; say so once, without a traceback.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (Python flushes stdout again at exit)
        print("error: the output was closed before the run finished (broken pipe)", file=sys.stderr)
        return EXIT_FAILED
    except (SummarizerError, OSError, KeyboardInterrupt) as error:
        code = exit_code(error)
        message = "interrupted" if isinstance(error, KeyboardInterrupt) else f"error: {printable(str(error))}"
        print(message, file=sys.stderr)
        return code if code is not None else EXIT_FAILED
