"""Train the learned salience scorer (retrieve.scorer=learned) on NeuS train.

Each sentence of each training cluster gets the features the pipeline computes
(summarizer.retrieve.features.FEATURE_NAMES, through the same ``cluster_signals``) and a label:
its ROUGE-1 + ROUGE-2 precision against the cluster's reference (title and text). Precision,
not recall or F1, because the summary has a word budget: a sentence earns its place by how much
of what it says the reference also says. A ridge regression on standardised features is fitted
in closed form (no extra dependency, seconds on CPU; most of the time is embedding and ROUGE).

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
from summarizer.embeddings import get_encoder
from summarizer.evaluation.harness import load_clusters
from summarizer.evaluation.rouge import Rouge
from summarizer.retrieve import cluster_signals
from summarizer.retrieve.features import FEATURE_NAMES, LinearSalience
from summarizer.segment import segment_cluster

log = logging.getLogger("train_salience")


def sentence_table(data: str, config: RunConfig,
                   limit: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Features, labels and cluster numbers of every sentence of every cluster with a reference."""
    clusters = [c for c in load_clusters(data, config, limit) if c.reference]
    if not clusters:
        raise SystemExit(f"{data}: no clusters with a reference to train on")
    encoder = get_encoder(config.embedding)
    rouge = Rouge()
    features, labels, groups = [], [], []
    for start in range(0, len(clusters), 64):
        chunk = clusters[start:start + 64]
        segmented = [segment_cluster(c, config.segment) for c in chunk]
        # One embedding batch per chunk; the per-cluster calls below hit the encoder's cache.
        encoder.encode([s.text for seg in segmented for s in seg.sentences]
                       + [d.title for c in chunk for d in c.documents if d.title])
        for offset, (cluster, seg) in enumerate(zip(chunk, segmented)):
            if not seg.sentences:
                continue
            vectors = encoder.encode([s.text for s in seg.sentences])
            titles = encoder.encode([d.title for d in cluster.documents if d.title])
            signals, _ = cluster_signals(seg, vectors, titles, config.retrieve)
            features.append(signals.features)
            groups += [start + offset] * len(seg.sentences)
            for sentence in seg.sentences:
                scores = rouge.score(sentence.text, cluster.reference)
                labels.append(scores["rouge1"].precision + scores["rouge2"].precision)
        log.info("%d / %d clusters", min(start + 64, len(clusters)), len(clusters))
    return np.concatenate(features), np.asarray(labels), np.asarray(groups), len(clusters)


def _centred_per_group(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    sums = np.zeros((groups.max() + 1,) + values.shape[1:])
    np.add.at(sums, groups, values)
    counts = np.bincount(groups, minlength=len(sums)).reshape((-1,) + (1,) * (values.ndim - 1))
    return values - (sums / np.maximum(counts, 1))[groups]


def fit_ridge(features: np.ndarray, labels: np.ndarray, l2: float, description: str,
              groups: np.ndarray | None = None) -> LinearSalience:
    """Closed-form ridge regression on standardised features; the bias is not penalised.

    With ``groups`` (the cluster of each sentence) features and labels are centred per cluster
    first: the scorer only ever compares sentences of one cluster, so what it should learn is
    which sentence of a cluster is better, not which clusters have easy references (NeuS val,
    scripted: ROUGE-1 +0.5 over the uncentred fit, eval/README.md).
    """
    mean = features.mean(axis=0)
    fit_features = features if groups is None else _centred_per_group(features, groups) + mean
    fit_labels = labels if groups is None else _centred_per_group(labels, groups)
    scale = fit_features.std(axis=0)
    scale[scale < 1e-9] = 1.0  # a constant feature gets weight 0 rather than a division by zero
    standard = (fit_features - mean) / scale
    centred = fit_labels - fit_labels.mean()
    weights = np.linalg.solve(standard.T @ standard + l2 * np.eye(standard.shape[1]), standard.T @ centred)
    return LinearSalience(FEATURE_NAMES, tuple(np.round(mean, 8).tolist()), tuple(np.round(scale, 8).tolist()),
                          tuple(np.round(weights, 8).tolist()), round(float(labels.mean()), 8), description)


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
    features, labels, groups, clusters = sentence_table(args.data, config, args.limit)
    description = (f"ridge (l2={args.l2}) from {len(FEATURE_NAMES)} salience features to ROUGE-1 + ROUGE-2 "
                   f"precision against the reference, both centred per cluster; {len(labels)} sentences of "
                   f"{clusters} clusters of {Path(args.data).name}")
    model = fit_ridge(features, labels, args.l2, description, groups)
    predicted = _centred_per_group(model.predict(features), groups)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(model.to_json(), encoding="utf-8")
    log.info("date: %s; python %s on %s", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
             platform.python_version(), platform.platform())
    log.info("command: python scripts/train_salience.py %s", " ".join(argv if argv is not None else sys.argv[1:]))
    log.info(description)
    log.info("label mean %.4f, std %.4f; training-set Pearson r of the fit within clusters %.4f",
             labels.mean(), labels.std(), float(np.corrcoef(predicted, _centred_per_group(labels, groups))[0, 1]))
    log.info("weights on standardised features (label units per standard deviation):")
    for name, weight in sorted(zip(FEATURE_NAMES, model.weights), key=lambda p: -abs(p[1])):
        log.info("  %-26s %+.4f", name, weight)
    log.info("wrote %s in %.0f s", args.output, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
