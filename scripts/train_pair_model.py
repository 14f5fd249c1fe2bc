"""Train the alignment's "same fact" pair model (align.pair_model): its pair part on MSRP's
training portion, its context part on the hand-labelled clusters of eval/alignment/devset.json.

A thin launcher: the features and the fits are ``summarizer.align``.

    python scripts/train_pair_model.py --data ../shared/data/msrp/train.jsonl \\
        --devset eval/alignment/devset.json --output summarizer/align/pair_msrp.json \\
        --log eval/logs/train_pair_model.log

It reports the pair part's 10-fold cross-validated accuracy and F1 on MSRP beside the former rule
(blended similarity at or above retrieve.group_threshold), then fits both parts on all their data
(the dev set's cluster-held-out scores are eval/alignment.py --held-out). Same data, same file.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from summarizer.align.cross import load_cross_reader
from summarizer.align.devset import load_devset
from summarizer.align.pair_model import PairModel, fit_logistic
from summarizer.align.pairs import CONTEXT_FEATURES, PAIR_FEATURES
from summarizer.align.training import context_rows, cross_validated, fit_context, pair_matrix, read_pairs, scores
from summarizer.config_schema import RunConfig
from summarizer.embed.encoder import get_encoder

log = logging.getLogger("train_pair_model")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data/msrp/train.jsonl", help="MSRP-format JSON Lines")
    parser.add_argument("--devset", default="eval/alignment/devset.json", help="hand-labelled clusters")
    parser.add_argument("--output", default="summarizer/align/pair_msrp.json")
    parser.add_argument("--log", default="eval/logs/train_pair_model.log")
    parser.add_argument("--cross-oof", default="eval/logs/cross_oof_msrp.json",
                        help="each MSRP pair's out-of-fold cross-encoder logit (scripts/train_cross_encoder.py --folds 5)")
    parser.add_argument("--cross-encoder", default="pair_cross_msrp.safetensors",
                        help="the fitted cross-encoder, relative to --output's folder (scripts/train_cross_encoder.py)")
    parser.add_argument("--l2", type=float, default=1.0, help="penalty on standardised weights")
    parser.add_argument("--folds", type=int, default=10)
    args = parser.parse_args(argv)
    if not Path(args.data).is_file():
        parser.error(f"--data {args.data!r}: no such file (MSRP train is ../shared/data/msrp/train.jsonl)")
    adapter = Path(args.output).parent / args.cross_encoder
    for path, how in ((Path(args.cross_oof), "--folds 5"), (adapter, "")):
        if not path.is_file():
            parser.error(f"{path}: no such file; write it with scripts/train_cross_encoder.py {how}".rstrip())
    Path(args.log).parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s", handlers=[
        logging.StreamHandler(sys.stderr), logging.FileHandler(args.log, mode="w", encoding="utf-8")])
    config = RunConfig()  # not load_config: it checks the very model file this script writes
    started = time.perf_counter()
    pairs = read_pairs(args.data)
    labels = np.array([p.label for p in pairs])
    log.info("%s: %d pairs, %.1f%% judged the same (%s UTC)", args.data, len(pairs), 100 * labels.mean(),
             datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"))
    encoder = get_encoder(config.embedding)
    # The pair part is fitted on out-of-fold logits: what the cross-encoder says of pairs it never saw.
    out_of_fold = json.loads(Path(args.cross_oof).read_text(encoding="utf-8"))
    by_text = {(p.left, p.right): out_of_fold[p.pair_id] for p in pairs}
    features, conflicts = pair_matrix(pairs, encoder, lambda texts: np.array([by_text[t] for t in texts]))
    log.info("features of every pair in %.1f s; %d pairs have a quantity conflict (%d of them judged the same)",
             time.perf_counter() - started, int(conflicts.sum()), int(labels[conflicts].sum()))
    weight = config.retrieve.lexical_weight
    former = (1 - weight) * features[:, 0] + weight * features[:, 1] >= config.retrieve.group_threshold
    log.info("former rule (blended similarity >= %.2f): %s", config.retrieve.group_threshold, _row(scores(former, labels)))
    probability = cross_validated(features, conflicts, labels, args.folds, config.seed, args.l2)
    # As align_facts decides a pair of one-sentence documents: unscored below align.min_similarity.
    probability[features[:, 0] < config.align.min_similarity] = 0.0
    log.info("pair part, %d-fold cross-validated, as align_facts decides two one-sentence documents "
             "(quantity conflicts and cosines below %.2f are different facts): %s", args.folds,
             config.align.min_similarity, _row(scores(probability >= config.align.same_fact_probability, labels)))
    pair = fit_logistic(features, labels, PAIR_FEATURES, args.l2)
    log.info("pair part: %s; bias %.3f", _weights(PAIR_FEATURES, pair.weights), pair.bias)
    clusters = load_devset(args.devset, config)
    cross = load_cross_reader(str(adapter), config.embedding.device).logits
    rows = context_rows(clusters, encoder, config.align.min_similarity, cross)
    context = fit_context(rows, args.l2)
    log.info("context part: %d labelled in-context pairs of %d clusters (%d the same fact); %s; bias %.3f",
             len(rows.labels), len(clusters), int(rows.labels.sum()), _weights(CONTEXT_FEATURES, context.weights),
             context.bias)
    PairModel(pair, context, description=(
        f"pair part: logistic regression over PAIR_FEATURES fitted on {len(pairs)} MSRP training pairs "
        f"(Microsoft Research Paraphrase Corpus, research use; {Path(args.data).name}); context part: "
        f"logistic regression over CONTEXT_FEATURES fitted on {len(rows.labels)} pairs of the "
        f"{len(clusters)} hand-labelled clusters of {Path(args.devset).name}; by scripts/train_pair_model.py"
    ), cross_encoder=args.cross_encoder).save(args.output)
    log.info("wrote %s in %.1f s", args.output, time.perf_counter() - started)
    return 0


def _weights(names, weights) -> str:
    return ", ".join(f"{n} {w:+.3f}" for n, w in zip(names, weights))


def _row(result: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in result.items())


if __name__ == "__main__":
    sys.exit(main())
