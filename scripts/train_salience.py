"""Train the learned salience scorer (retrieve.scorer=learned) on NeuS train.

A thin launcher: the features, labels and fit are ``summarizer.evaluation.salience_training``.

    python scripts/train_salience.py --data ../shared/data/neus/train.jsonl \\
        --output summarizer/retrieve/salience_neus.json --log eval/logs/train_salience-neus.log

Same data and arguments give the same file (no randomness).
"""
from __future__ import annotations

import argparse
import logging
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from summarizer.config import RunConfig
from summarizer.retrieve.salience_model import FEATURE_NAMES
from summarizer.evaluation.salience_training import centred_per_group, domain_document_sentences, fit_ridge, log, sentence_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data/neus/train.jsonl",
                        help="clusters with references, in the NeuS JSONL format (train split only)")
    parser.add_argument("--output", default="summarizer/retrieve/salience_neus.json")
    parser.add_argument("--log", default="eval/logs/train_salience-neus.log")
    parser.add_argument("--l2", type=float, default=1.0, help="ridge penalty on standardised features")
    parser.add_argument("--limit", type=int, default=None, help="first N clusters only (smoke tests)")
    args = parser.parse_args(argv)
    if not Path(args.data).is_file():
        parser.error(f"--data {args.data!r}: no such file (NeuS train is ../shared/data/neus/train.jsonl)")
    Path(args.log).parent.mkdir(parents=True, exist_ok=True)
    handlers = [logging.StreamHandler(sys.stderr), logging.FileHandler(args.log, mode="w", encoding="utf-8")]
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        return _train(args, argv)
    finally:
        for handler in handlers:
            log.removeHandler(handler)
            handler.close()


def _train(args: argparse.Namespace, argv: list[str] | None) -> int:
    started = time.perf_counter()
    config = RunConfig()
    table = sentence_table(args.data, config, args.limit)
    features, labels, groups, clusters = table.features, table.labels, table.groups, table.clusters
    description = (f"ridge (l2={args.l2}) from {len(FEATURE_NAMES)} salience features to ROUGE-1 + ROUGE-2 "
                   f"precision against the reference, both centred per cluster; {len(labels)} sentences of "
                   f"{clusters} clusters of {Path(args.data).name}")
    domain = domain_document_sentences(table.document_sentences)
    model = fit_ridge(features, labels, args.l2, description, groups, domain)
    predicted = centred_per_group(model.predict(features), groups)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(model.to_json(), encoding="utf-8")
    log.info("date: %s; python %s on %s", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
             platform.python_version(), platform.platform())
    log.info("command: python scripts/train_salience.py %s", " ".join(argv if argv is not None else sys.argv[1:]))
    log.info(description)
    log.info("label mean %.4f, std %.4f; training-set Pearson r of the fit within clusters %.4f",
             labels.mean(), labels.std(), float(np.corrcoef(predicted, centred_per_group(labels, groups))[0, 1]))
    log.info("documents of up to %d sentences in the model's domain (99th percentile of %d training documents; "
             "longest %d): retrieve.scorer=auto uses it on clusters whose median document is no longer",
             domain, len(table.document_sentences), int(table.document_sentences.max()))
    log.info("weights on standardised features (label units per standard deviation):")
    for name, weight in sorted(zip(FEATURE_NAMES, model.weights), key=lambda p: -abs(p[1])):
        log.info("  %-26s %+.4f", name, weight)
    log.info("wrote %s in %.0f s", args.output, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
