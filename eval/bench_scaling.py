"""Seconds of each stage against the size of a cluster, 1 to 200 full-length articles (issue #15).

Development clusters are assembled from NeuS-format data so that they read like a real story
cluster at any size: article k of a cluster joins one excerpt from each of ``--excerpts`` NeuS
clusters, taking the outlet k mod 3 of each, so any two articles share facts the way outlets
covering the same events do (the three outlets' excerpts of one NeuS cluster land in different
articles). The extractive backend runs the pipeline once per size (after one warm-up run, so
model loading is not timed); the stage timings are the pipeline's own.

    python eval/bench_scaling.py --data ../shared/data/neus/train.jsonl --output eval/results/scaling.json --plot eval/results/scaling.png
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from summarizer.config import load_config
from summarizer.pipeline import Pipeline
from summarizer.text import word_count
from summarizer.types import Cluster, Document

SIZES = (1, 2, 5, 10, 25, 50, 100, 200)
STAGES = ("segment", "embed", "align", "retrieve", "fuse", "guard", "dedupe", "neutral", "compare")


def _texts(record: dict) -> list[str]:
    texts = []
    for document in record["documents"]:
        if isinstance(document, dict):
            texts.append(f"{document.get('title', '')}\n{document.get('text', '')}".strip())
        else:
            texts.append(str(document))
    return texts


def development_cluster(records: list[dict], documents: int, excerpts: int, cluster_id: str,
                        first: int = 0) -> Cluster:
    """``documents`` articles, each joining one excerpt of ``excerpts`` NeuS clusters from record
    ``first`` on (see above)."""
    articles = []
    for k in range(documents):
        block = first + (k // 3) * excerpts  # every three articles cover the next stories
        parts = []
        for j in range(excerpts):
            texts = _texts(records[(block + j) % len(records)])
            parts.append(texts[k % len(texts)])
        articles.append(Document(doc_id=f"a{k:03d}", text="\n".join(parts), source=f"{cluster_id}/a{k:03d}"))
    return Cluster(cluster_id=cluster_id, documents=tuple(articles))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="NeuS-format JSONL (documents: three outlets' excerpts)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="documents per cluster, comma-separated")
    parser.add_argument("--excerpts", type=int, default=10, help="NeuS excerpts joined into one article")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--output", type=Path, default=None, help="results as JSON")
    parser.add_argument("--plot", type=Path, default=None, help="seconds against words, log-log (PNG)")
    args = parser.parse_args(argv)
    with open(args.data, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    config = load_config(None, ["fuse.backend=extractive", *args.set])
    pipeline = Pipeline(config)
    # warm-up on stories no measured cluster uses, so no sentence is cached from it
    pipeline.summarize(development_cluster(records, 3, args.excerpts, "warm-up", first=len(records) // 2))
    rows = []
    print("| documents | words | sentences | " + " | ".join(STAGES) + " | all stages | wall |")
    print("| ---: " * (len(STAGES) + 5) + "|")
    for size in (int(s) for s in args.sizes.split(",")):
        cluster = development_cluster(records, size, args.excerpts, f"dev-{size}")
        started = time.perf_counter()
        summary = pipeline.summarize(cluster)
        wall = time.perf_counter() - started
        row = {"documents": size, "words": sum(word_count(d.text) for d in cluster.documents),
               "sentences": len(summary.selection.segmented.sentences),
               "seconds": {stage: summary.timings.get(stage, 0.0) for stage in STAGES}, "wall": wall,
               "summary_words": summary.word_count}
        rows.append(row)
        print(f"| {size} | {row['words']:,} | {row['sentences']:,} | "
              + " | ".join(f"{row['seconds'][s]:.2f}" for s in STAGES)
              + f" | {sum(row['seconds'].values()):.2f} | {wall:.2f} |", flush=True)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps({"rows": rows, "config": args.set, "excerpts": args.excerpts}, indent=2))
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        words = [r["words"] for r in rows]
        figure, axes = plt.subplots(figsize=(7, 4.5))
        for stage in ("segment", "embed", "retrieve", "compare"):
            axes.plot(words, [max(r["seconds"][stage], 1e-3) for r in rows], marker="o", label=stage)
        axes.plot(words, [sum(r["seconds"].values()) for r in rows], marker="o", color="black", label="all stages")
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("words in the cluster")
        axes.set_ylabel("seconds (2 cores)")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend()
        figure.tight_layout()
        args.plot.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(args.plot, dpi=120)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
