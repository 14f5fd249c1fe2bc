"""Train the alignment's cross-encoder (summarizer/align/cross.py) on MSRP's training portion.

A thin launcher: the model is ``summarizer.align.cross``, the fit ``summarizer.align.cross_training``.

    python scripts/train_cross_encoder.py --data ../shared/data/msrp/train.jsonl \\
        --output summarizer/align/pair_cross_msrp.safetensors --log eval/logs/train_cross_encoder.log
    python scripts/train_cross_encoder.py --folds 5 --oof eval/logs/cross_oof_msrp.json \\
        --log eval/logs/cross_validate_cross_encoder.log

The first fits on every pair and writes the adapter file (about 1 MB, float16). The second
cross-validates instead: each fold's pairs are scored by a model fitted on the other folds; it
reports accuracy and F1 of logit > 0 (quantity conflicts vetoed, as ``align_facts`` decides) and
writes every pair's out-of-fold logit (what ``scripts/train_pair_model.py`` calibrates on). About
8 minutes a fit on 2 CPU cores.
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
import torch

from summarizer.align.cross import CrossReader, save_adapter
from summarizer.align.cross_training import CrossSettings, fit_cross
from summarizer.align.pairs import SentenceView, quantity_conflict
from summarizer.align.training import folds, read_pairs, scores
from summarizer.embed.encoder import bundled_model_path

log = logging.getLogger("train_cross_encoder")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data/msrp/train.jsonl", help="MSRP-format JSON Lines")
    parser.add_argument("--output", default="summarizer/align/pair_cross_msrp.safetensors")
    parser.add_argument("--log", default="eval/logs/train_cross_encoder.log")
    parser.add_argument("--folds", type=int, default=0, help="cross-validate with this many folds instead")
    parser.add_argument("--only-folds", default="", help="comma-separated fold numbers to run (default all)")
    parser.add_argument("--oof", default="eval/logs/cross_oof_msrp.json", help="out-of-fold logits (with --folds)")
    parser.add_argument("--rank", type=int, default=CrossSettings.rank)
    parser.add_argument("--epochs", type=int, default=CrossSettings.epochs)
    parser.add_argument("--learning-rate", type=float, default=CrossSettings.learning_rate)
    parser.add_argument("--seed", type=int, default=CrossSettings.seed)
    args = parser.parse_args(argv)
    if not Path(args.data).is_file():
        parser.error(f"--data {args.data!r}: no such file (MSRP train is ../shared/data/msrp/train.jsonl)")
    Path(args.log).parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s", handlers=[
        logging.StreamHandler(sys.stderr), logging.FileHandler(args.log, mode="a", encoding="utf-8")])
    settings = CrossSettings(rank=args.rank, alpha=float(args.rank), epochs=args.epochs,
                             learning_rate=args.learning_rate, seed=args.seed)
    pairs = read_pairs(args.data)
    labels = np.array([p.label for p in pairs])
    base = str(bundled_model_path())
    log.info("%s: %d pairs, %.1f%% judged the same; %s (%s UTC)", args.data, len(pairs), 100 * labels.mean(),
             settings, datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"))
    started = time.perf_counter()
    if not args.folds:
        head, _ = fit_cross(pairs, base, settings)
        description = (f"cross-encoder: all-MiniLM-L6-v2 with rank-{settings.rank} adapters and a linear head, "
                       f"fitted on {len(pairs)} MSRP training pairs ({args.data}); {settings}")
        save_adapter(head, args.output, settings.rank, settings.alpha, description)
        log.info("wrote %s (%d bytes) in %.0f s", args.output, Path(args.output).stat().st_size,
                 time.perf_counter() - started)
        return 0
    oof = json.loads(Path(args.oof).read_text()) if Path(args.oof).is_file() else {}
    chosen = {int(k) for k in args.only_folds.split(",") if k.strip()} or set(range(args.folds))
    for number, test in enumerate(folds(len(pairs), args.folds, seed=0)):
        if number not in chosen:
            continue
        train = [pairs[k] for k in np.setdiff1d(np.arange(len(pairs)), test)]
        head, tokenizer = fit_cross(train, base, settings)
        logits = CrossReader(head, tokenizer, torch.device("cpu")).logits([(pairs[k].left, pairs[k].right) for k in test])
        oof.update({pairs[k].pair_id: round(float(z), 5) for k, z in zip(test, logits)})
        log.info("fold %d of %d: %s (%.0f s)", number, args.folds, scores(logits > 0, labels[test]),
                 time.perf_counter() - started)
        Path(args.oof).write_text(json.dumps(oof, sort_keys=True) + "\n")
    if len(oof) == len(pairs):
        logits = np.array([oof[p.pair_id] for p in pairs])
        conflict = np.array([quantity_conflict(SentenceView.of(p.left), SentenceView.of(p.right)) for p in pairs])
        log.info("all %d folds, logit > 0: %s", args.folds, scores(logits > 0, labels))
        log.info("all %d folds, logit > 0, quantity conflicts vetoed: %s", args.folds,
                 scores((logits > 0) & ~conflict, labels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
