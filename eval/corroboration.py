"""How many of the selected facts two outlets or more report (the corroborated share), and time per cluster.

    python eval/corroboration.py --data ../shared/data/neus/val.jsonl [--set fuse.backend=extractive]

Selection does not depend on the fusion backend, so the extractive backend (no generation) gives
the same facts in a fraction of the time.
"""
from __future__ import annotations

import argparse
import sys
import time

from summarizer.config import load_config
from summarizer.ingest import read_clusters
from summarizer.pipeline import Pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data/neus/val.jsonl")
    parser.add_argument("--set", action="append", default=["fuse.backend=extractive"], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    config = load_config(None, args.set)
    clusters = read_clusters(args.data, config.ingest)
    pipeline = Pipeline(config)
    started = time.perf_counter()
    selected = corroborated = 0
    for cluster in clusters:
        summary = pipeline.summarize(cluster)
        selected += len(summary.selection.groups)
        corroborated += sum(g.support_count > 1 for g in summary.selection.groups)
    seconds = time.perf_counter() - started
    print(f"{len(clusters)} clusters: {corroborated} of {selected} selected facts reported by two outlets or more "
          f"({100 * corroborated / max(1, selected):.1f}%); {seconds / max(1, len(clusters)):.3f} s per cluster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
