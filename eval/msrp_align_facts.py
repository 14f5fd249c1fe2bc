"""MSRP through ``align_facts``: each pair as two one-sentence documents, "same" when they end in one fact.

    python eval/msrp_align_facts.py --data MSRP.jsonl [--limit N]

This is how the MSRP test portion is scored (we do not hold it): the whole path a user calls,
segmentation and the cosine cut included, not the pair model alone. On the training portion the
fitted models have seen every pair, so there it checks the path, not the accuracy (the
cross-validated numbers are scripts/train_cross_encoder.py's and scripts/train_pair_model.py's).
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from summarizer import Summarizer
from summarizer.align.training import read_pairs, scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="MSRP-format JSON Lines (id, label, sentence1, sentence2)")
    parser.add_argument("--limit", type=int, default=0, help="the first N pairs only")
    args = parser.parse_args(argv)
    pairs = read_pairs(args.data)[:args.limit or None]
    summarizer = Summarizer(fuse={"backend": "extractive"})
    started = time.perf_counter()
    same = []
    for pair in pairs:
        facts = summarizer.align_facts([pair.left, pair.right])
        same.append(any({m.document for m in f.members} == {0, 1} for f in facts))
    result = scores(np.array(same), np.array([p.label for p in pairs]))
    print(f"{len(pairs)} pairs of {args.data} in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{k} {v:.3f}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
